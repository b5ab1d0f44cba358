"""What changes a signed convention: avenants and their article changes, renewal decisions,
terminations."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..enums import ArticleChangeKind, TerminationKind
from ..rights import may_write
from .convention import Article, Convention
from .parties import Party


class Amendment(models.Model):
    """Avenant N°k: a numbered, signed change to a signed convention."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="amendments", verbose_name="convention"
    )
    number = models.PositiveSmallIntegerField("numéro", validators=[MinValueValidator(1)])
    title = models.CharField("objet", max_length=500)
    body = models.TextField("texte", blank=True)
    signature_place = models.CharField("lieu de signature", max_length=120, blank=True)
    signed_on = models.DateField("date de signature", null=True, blank=True)
    effective_date = models.DateField("date d'effet", null=True, blank=True)
    new_duration_months = models.PositiveSmallIntegerField(
        "nouvelle durée (mois)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Vide : la durée ne change pas.",
    )
    new_last_day = models.DateField(
        "prolongation jusqu'au",
        null=True,
        blank=True,
        help_text="« La convention ainsi prolongée expirera le 31 décembre 2023 » : le nouveau "
        "dernier jour de la période en cours, à compter de la date d'effet de l'avenant.",
    )
    application = models.OneToOneField(
        Convention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_by_amendment",
        verbose_name="convention d'application créée",
        help_text="Quand l'avenant a pour objet une convention d'application (seed 003).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="amendment_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="amendment_number_positive"),
            models.CheckConstraint(
                condition=Q(new_duration_months__isnull=True) | Q(new_duration_months__gte=1),
                name="amendment_duration_positive",
            ),
            models.CheckConstraint(
                condition=Q(new_duration_months__isnull=True) | Q(new_last_day__isnull=True),
                name="amendment_one_new_term",
                violation_error_message="Un avenant fixe une nouvelle durée ou un nouveau dernier "
                "jour, pas les deux.",
            ),
        ]

    def __str__(self):
        return f"Avenant N°{self.number} — {self.title}"

    @property
    def start_date(self):
        return self.effective_date or self.signed_on

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    def can_be_edited_by(self, user) -> bool:
        """An avenant's text and signatures change until its last party signs."""
        return not self.is_signed and may_write(user)


class ArticleChange(models.Model):
    """What an avenant does to one article: replace its text, add a new one, or remove it."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="changes", verbose_name="avenant"
    )
    kind = models.CharField("modification", max_length=10, choices=ArticleChangeKind)
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name="article visé",
        help_text="L'article remplacé ou supprimé ; pour un ajout, l'article après lequel il "
        "s'insère (vide : à la fin).",
    )
    heading = models.CharField("nouvel intitulé", max_length=500, blank=True)
    body = models.TextField("nouveau texte", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modification d'article"
        verbose_name_plural = "modifications d'articles"
        ordering = ["amendment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ArticleChangeKind.ADD) | Q(article__isnull=False),
                name="article_change_targets_article",
                violation_error_message="Un remplacement ou une suppression vise un article.",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class RenewalDecision(models.Model):
    """The rectorat's decision, before the notice deadline, to renew a convention or not."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="renewal_decisions",
        verbose_name="convention",
    )
    decided_on = models.DateField("décidé le")
    renew = models.BooleanField("reconduire", help_text="Décoché : ne pas reconduire.")
    note = models.TextField("observations", blank=True)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision de reconduction"
        verbose_name_plural = "décisions de reconduction"
        ordering = ["convention", "-decided_on", "-pk"]

    def __str__(self):
        return "Reconduction" if self.renew else "Non-reconduction"


class Termination(models.Model):
    """An event that ends a convention early: a party's letter, a breach, a mutual agreement."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="terminations",
        verbose_name="convention",
    )
    kind = models.CharField("nature", max_length=10, choices=TerminationKind)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terminations",
        verbose_name="à l'initiative de",
    )
    received_on = models.DateField(
        "courrier reçu le",
        null=True,
        blank=True,
        help_text="Résiliation par une partie : date de réception du courrier ; manquement : "
        "date de réception de la mise en demeure.",
    )
    requested_on = models.DateField(
        "date d'effet demandée",
        null=True,
        blank=True,
        help_text="Premier jour où la convention ne s'applique plus, si le courrier en fixe un.",
    )
    cured_on = models.DateField(
        "manquement réparé le",
        null=True,
        blank=True,
        help_text="Manquement : date à laquelle la mise en demeure a été suivie d'effet.",
    )
    agreed_last_day = models.DateField(
        "dernier jour convenu",
        null=True,
        blank=True,
        help_text="Résiliation d'un commun accord : le dernier jour d'application.",
    )
    note = models.TextField("observations", blank=True)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "résiliation"
        ordering = ["convention", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["notice", "breach"]) | Q(received_on__isnull=False),
                name="termination_letter_has_date",
                violation_error_message="Indiquez la date de réception du courrier.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="mutual") | Q(agreed_last_day__isnull=False),
                name="termination_mutual_has_last_day",
                violation_error_message="Indiquez le dernier jour convenu.",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()
