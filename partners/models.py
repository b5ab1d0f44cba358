from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .enums import Civility, ContactRole, LegalForm
from .validators import validate_logo, validate_siret


class OrganisationQuerySet(models.QuerySet):
    def partners(self):
        return self.filter(is_academy=False)

    def named(self, text: str):
        """Organisations whose name or acronym contains `text`, in any case."""
        return self.filter(Q(name__icontains=text) | Q(short_name__icontains=text))


class Organisation(models.Model):
    """A party to conventions: the académie itself, an association, a chamber, ..."""

    name = models.CharField("nom", max_length=255, unique=True)
    short_name = models.CharField("sigle", max_length=60, blank=True)
    legal_form = models.CharField(
        "forme juridique", max_length=20, choices=LegalForm, default=LegalForm.ASSOCIATION
    )
    is_academy = models.BooleanField(
        "académie (rectorat)",
        default=False,
        help_text="Cochée pour l'académie elle-même, qui n'est pas un partenaire.",
    )
    address = models.TextField("adresse", blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    website = models.URLField("site internet", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateurs du portail",
        related_name="partner_organisations",
        blank=True,
        help_text="Comptes partenaires qui voient, en lecture seule, les conventions de "
        "cette organisation.",
    )

    # The reason holds what a merge brought in (`merge.organisation_merge`): longer than the
    # 100 characters of django-simple-history's default column.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="organisation_siret_unique"
            ),
        ]
        indexes = [
            # The partners list's order (the académies first, then by name): its page is read
            # from here rather than sorting every organisation.
            models.Index(
                models.F("is_academy").desc(), "name", "id", name="organisation_list_order"
            ),
        ]

    def __str__(self):
        return self.choice_label(self.name, self.short_name)

    # For config.widgets.FastSelect: the label of a choice without building the instance.
    CHOICE_LABEL_FIELDS = ("name", "short_name")

    @staticmethod
    def choice_label(name, short_name):
        return f"{name} ({short_name})" if short_name else name

    @property
    def display_name(self):
        return self.short_name or self.name


class Person(models.Model):
    civility = models.CharField("civilité", max_length=3, choices=Civility, blank=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    # For config.widgets.FastSelect (the people of a mandate's form), as Organisation's.
    CHOICE_LABEL_FIELDS = ("last_name", "first_name", "email")

    @staticmethod
    def choice_label(last_name, first_name, email):
        return f"{last_name} {first_name}" + (f" ({email})" if email else "")


class MandateQuerySet(models.QuerySet):
    def current(self, on):
        """Mandates held on the date `on` (an open start or end counts as held)."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )


class Mandate(models.Model):
    """Who holds which office at an organisation, and when.

    The recteur of 2010 (J.-P. de Gaudemar) is not the recteur of 2018 (B. Beignier); a
    signed convention keeps the name and title it was signed with (see `Signatory`).
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mandates", verbose_name="personne"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="mandates",
        verbose_name="organisation",
    )
    title = models.CharField("fonction", max_length=255)
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = "mandat"
        ordering = ["organisation__name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="mandate_end_after_start",
                violation_error_message="La fin du mandat précède son début.",
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.title}"


class Contact(models.Model):
    """A correspondent named in a convention (its contacts annex): who to call for what."""

    convention = models.ForeignKey(
        "conventions.Convention",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name="convention",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts", verbose_name="organisation"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contacts", verbose_name="personne"
    )
    role = models.CharField("rôle", max_length=20, choices=ContactRole)
    title = models.CharField("fonction", max_length=255, blank=True)
    address = models.TextField("adresse", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "correspondant"
        ordering = ["convention", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation", "person", "role"],
                name="contact_unique_role",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class LetterheadQuerySet(models.QuerySet):
    def in_force(self, on):
        """The letterheads in force on `on`, the most recent first."""
        return self.filter(
            Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        ).order_by("-valid_from", "-pk")


class Letterhead(models.Model):
    """The heading an organisation prints on its documents, in force for a period: the
    académie's 2010 ministries, today's « région académique ». A convention prints the one
    in force at its signature (or the one chosen for it)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="letterheads",
        verbose_name="organisation",
    )
    name = models.CharField("nom", max_length=120, help_text="« Ministères 2010 »…")
    valid_from = models.DateField("en vigueur du")
    valid_until = models.DateField("au", null=True, blank=True)
    text = models.TextField(
        "texte",
        help_text="Les lignes de l'en-tête ; une ligne vide sépare deux blocs (un par "
        "ministère ou service).",
    )
    logo = models.FileField(
        "logo",
        upload_to="letterheads/",
        blank=True,
        validators=[validate_logo],
        help_text="Facultatif : une image PNG ou JPEG (1 Mo au plus), imprimée avant le texte.",
    )

    history = HistoricalRecords()

    objects = LetterheadQuerySet.as_manager()

    class Meta:
        verbose_name = "en-tête"
        ordering = ["organisation", "-valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "valid_from"], name="letterhead_one_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="letterhead_end_after_start",
                violation_error_message="La fin de validité précède son début.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.name}"

    @property
    def blocks(self) -> list[list[str]]:
        """The heading's blocks, each a list of lines."""
        blocks = [block.strip() for block in self.text.replace("\r\n", "\n").split("\n\n")]
        return [block.split("\n") for block in blocks if block]
