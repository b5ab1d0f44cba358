"""Who is bound by a convention: its parties and the people who sign for them."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from partners.models import Mandate, Organisation

from .convention import Convention


class PartyQuerySet(models.QuerySet):
    def attach_partner_names(self, conventions) -> None:
        """Set on each of `conventions` the names `Convention.partner_names` returns, read
        as plain values in one query: a list of 30 conventions built 120 parties and
        organisations through a prefetch, a third of the échéancier's CPU (make bench)."""
        names = {convention.pk: [] for convention in conventions}
        rows = (
            self.filter(convention_id__in=names, organisation__is_academy=False)
            .order_by("convention_id", "position", "pk")
            .values_list("convention_id", "organisation__short_name", "organisation__name")
        )
        for pk, short_name, name in rows:
            names[pk].append(short_name or name)
        for convention in conventions:
            convention.attached_partner_names = names[convention.pk]

    def with_membership(self):
        """Parties with what `Party.bound_on` and the pages need of their accession and
        withdrawal (in the parties' own query)."""
        return self.select_related("organisation", "joined_by", "withdrawal_record__amendment")

    def current(self):
        """The parties bound now or once: original ones and those whose avenant of accession
        is signed (not those whose accession is still being signed)."""
        return self.filter(Q(joined_by__isnull=True) | Q(joined_by__signed_on__isnull=False))

    def may_leave(self, convention):
        """The parties that an avenant may withdraw: bound now, not already leaving."""
        return (
            self.filter(convention=convention)
            .current()
            .filter(withdrawal_record__isnull=True)
            .order_by("position", "pk")
        )

    def may_sign(self, amendment):
        """The parties bound by the convention that do not sign `amendment` (yet)."""
        return (
            self.filter(convention_id=amendment.convention_id)
            .current()
            .exclude(withdrawal_record__amendment__signed_on__isnull=False)
            .exclude(signatories__amendment=amendment)
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
    printed_block = models.TextField(
        "bloc tel qu'imprimé",
        blank=True,
        help_text="Le paragraphe de la partie tel que le texte l'écrit (« … faisant élection "
        "de domicile … », « d'une part, »), quand il diffère de celui composé à partir des "
        "champs ; vide : composé.",
    )
    signature_heading = models.TextField(
        "en-tête de signature",
        blank=True,
        help_text="Au-dessus de la signature : « Pour l'Etat, Le Recteur de l'Académie » ; "
        "vide : « Pour » et le nom de la partie.",
    )
    signature_mention = models.CharField(
        "mention de signature",
        max_length=300,
        blank=True,
        help_text="« (à revêtir du cachet de l'organisme) », « Lu et approuvé ».",
    )
    joined_by = models.ForeignKey(
        "Amendment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parties_added",
        verbose_name="adhésion par l'avenant",
        help_text="Vide : partie à la convention dès l'origine. Sinon, l'avenant d'adhésion qui "
        "la fait entrer ; elle est partie à compter de sa date d'effet, une fois signé.",
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

    @property
    def is_original(self) -> bool:
        """A party of the convention as signed, not one that joined it by an avenant."""
        return self.joined_by_id is None

    # Accession and withdrawal: read with `Party.objects.with_membership()`.

    @property
    def withdrawal(self) -> "PartyWithdrawal | None":
        """The avenant that withdraws this party, signed or being signed (at most one)."""
        try:
            return self.withdrawal_record
        except PartyWithdrawal.DoesNotExist:
            return None

    @property
    def joined_on(self):
        """The first day a party that joined by a signed avenant is bound; None for an
        original party or an accession not yet signed."""
        if self.joined_by_id is None or self.joined_by.signed_on is None:
            return None
        return self.joined_by.start_date

    @property
    def left_on(self):
        """The first day the party is no longer bound, once its withdrawal is signed."""
        withdrawal = self.withdrawal
        if withdrawal is None or withdrawal.amendment.signed_on is None:
            return None
        return withdrawal.effective_on

    @property
    def accession_pending(self) -> bool:
        return self.joined_by_id is not None and self.joined_by.signed_on is None

    def bound_on(self, on) -> bool:
        """Whether the party is bound by the convention on `on`: an original party, or one
        whose accession is signed and in effect, and not withdrawn by then."""
        if self.joined_by_id is not None:
            joined_on = self.joined_on
            if joined_on is None or joined_on > on:
                return False
        left_on = self.left_on
        return left_on is None or on < left_on

    def take_organisation_as_signed(self) -> None:
        """Keep the organisation's name and address as they are now, as the signed text
        prints them (called when the last party signs, before the text freezes)."""
        self.signed_organisation_name = self.organisation.name
        self.signed_organisation_address = self.organisation.address
        self.save(update_fields=["signed_organisation_name", "signed_organisation_address"])


class PartyWithdrawal(models.Model):
    """What an avenant of withdrawal does: a party stops being bound from a date."""

    amendment = models.ForeignKey(
        "Amendment", on_delete=models.CASCADE, related_name="withdrawals", verbose_name="avenant"
    )
    party = models.OneToOneField(
        Party, on_delete=models.CASCADE, related_name="withdrawal_record", verbose_name="partie"
    )
    on = models.DateField(
        "ne fait plus partie à compter du",
        null=True,
        blank=True,
        help_text="Premier jour où la partie n'est plus liée. Vide : la date d'effet de l'avenant.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "retrait d'une partie"
        verbose_name_plural = "retraits de parties"
        ordering = ["amendment", "pk"]

    def __str__(self):
        return f"Retrait : {self.party}"

    @property
    def effective_on(self):
        """The first day the party is no longer bound: its date, else the avenant's."""
        return self.on or self.amendment.start_date


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


def parties_with_signatories(convention, *, current_only: bool = False) -> list[Party]:
    """The convention's parties in order, each with `.signatory`: who signed (or signs) the
    text that made it a party, the convention or the avenant by which it joined; with what
    `Party.bound_on` needs (two queries). `current_only`: without the parties whose
    accession is still being signed (the portal)."""
    parties = Party.objects.filter(convention=convention)
    if current_only:
        parties = parties.current()
    parties = list(parties.with_membership().order_by("position", "pk"))
    signatories = {
        s.party_id: s
        for s in Signatory.objects.filter(party__convention=convention).filter(
            Q(amendment=None) | Q(amendment=F("party__joined_by"))
        )
    }
    for party in parties:
        party.signatory = signatories.get(party.pk)
    return parties
