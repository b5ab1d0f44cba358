"""Who is bound by a convention: its parties and the people who sign for them."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partners.models import Mandate, Organisation

from .convention import Convention


class PartyQuerySet(models.QuerySet):
    def for_names(self):
        """Parties in their order, with only what a list shows of them: their organisation's
        name, acronym and whether it is the académie (`Convention.partner_names`)."""
        return (
            self.select_related("organisation")
            .only(
                "convention_id",
                "position",
                "organisation__name",
                "organisation__short_name",
                "organisation__is_academy",
            )
            .order_by("position", "pk")
        )


class Party(models.Model):
    """An organisation that is party to a convention, as the document names it."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="parties", verbose_name="convention"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="parties", verbose_name="organisation"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    name_as_written = models.CharField(
        "nom dans le texte",
        max_length=255,
        blank=True,
        help_text="« l'Etat », « la Cité des Métiers de Marseille ... » ; vide : le nom de "
        "l'organisation.",
    )
    description = models.CharField(
        "qualité", max_length=255, blank=True, help_text="« Association loi 1901 », ..."
    )
    designation = models.CharField(
        "dénomination abrégée",
        max_length=80,
        blank=True,
        help_text="Ci-après dénommé « l'ORM ».",
    )
    group = models.CharField(
        "désignation commune",
        max_length=80,
        blank=True,
        help_text="« l'Université », « les académies » : la même sur chaque partie du groupe, "
        "imprimée une fois pour elles (« ensemble ci-après dénommées … »).",
    )
    address = models.TextField(
        "adresse dans le texte", blank=True, help_text="Vide : l'adresse de l'organisation."
    )
    # The organisation's name and address when the last party signed the convention: what
    # its signed text printed where `name_as_written` / `address` are blank, whatever the
    # organisation is called later. NULL: not signed (or signed outside the signature
    # service, and not yet taken by migration 0014): the organisation's current ones.
    signed_organisation_name = models.CharField(
        "nom de l'organisation à la signature",
        max_length=255,
        null=True,
        blank=True,
        editable=False,
    )
    signed_organisation_address = models.TextField(
        "adresse de l'organisation à la signature", null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = "partie"
        ordering = ["convention", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation"], name="party_unique_organisation"
            ),
            models.UniqueConstraint(
                fields=["convention", "position"], name="party_unique_position"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def organisation_name(self) -> str:
        """The organisation's name as the signed text knows it (its current one in a draft)."""
        if self.signed_organisation_name is not None:
            return self.signed_organisation_name
        return self.organisation.name

    @property
    def organisation_address(self) -> str:
        if self.signed_organisation_address is not None:
            return self.signed_organisation_address
        return self.organisation.address

    @property
    def display_name(self):
        return self.name_as_written or self.organisation_name

    @property
    def display_address(self):
        return self.address or self.organisation_address

    def take_organisation_as_signed(self) -> None:
        """Keep the organisation's name and address as they are now, as the signed text
        prints them (called when the last party signs, before the text freezes)."""
        self.signed_organisation_name = self.organisation.name
        self.signed_organisation_address = self.organisation.address
        self.save(update_fields=["signed_organisation_name", "signed_organisation_address"])


class Signatory(models.Model):
    """Who signs for a party, with name and title as signed, on the convention or an avenant.

    The name and title are copied from the mandate when chosen and then kept as signed: a
    later recteur does not change what an earlier one signed.
    """

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="signatories", verbose_name="partie"
    )
    amendment = models.ForeignKey(
        "Amendment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signatories",
        verbose_name="avenant",
        help_text="Vide : signature de la convention elle-même.",
    )
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name="mandat",
    )
    name = models.CharField(
        "nom du signataire",
        max_length=200,
        blank=True,
        help_text="Vide quand le texte ne nomme que la fonction (« le ministre de l'éducation "
        "nationale »).",
    )
    title = models.CharField("fonction du signataire", max_length=500)
    delegation = models.CharField(
        "signe par délégation",
        max_length=200,
        blank=True,
        help_text="« Pour le recteur et par délégation » : imprimé au-dessus du nom.",
    )
    delegation_act = models.CharField(
        "acte de délégation",
        max_length=300,
        blank=True,
        help_text="« arrêté du 1er septembre 2020 portant délégation de signature ».",
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    place = models.CharField("signé à", max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire"
        ordering = ["party__position", "pk"]
        constraints = [
            # One signatory per party on the convention, and one per party on each avenant.
            models.UniqueConstraint(
                fields=["party"],
                condition=Q(amendment__isnull=True),
                name="signatory_unique_on_convention",
            ),
            models.UniqueConstraint(
                fields=["party", "amendment"],
                condition=Q(amendment__isnull=False),
                name="signatory_unique_on_amendment",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.name else self.title
