import datetime
import hashlib
import itertools
from collections import defaultdict

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partners.models import Mandate, Organisation

from .enums import (
    ACTIONABLE_DEADLINE_KINDS,
    ACTIVE_STATUSES,
    CHILD_KINDS,
    AnnexKind,
    ArticleChangeKind,
    ArticleKind,
    ConventionKind,
    ConventionStatus,
    DeadlineKind,
    DocumentKind,
    TerminationKind,
)
from .formatting import french_date
from .numbering import Node, number_tree
from .rights import may_write

# Columns that `refresh.refresh_schedule` recomputes (bulk_update): not a change by anyone,
# so not in the history.
SCHEDULE_COLUMNS = [
    "status", "term_start", "current_term_end", "notice_deadline", "provisional_end",
    "ends_on", "schedule_computed_on", "next_refresh_on", "updated_at",
]  # fmt: skip

ORIGINALS_IN_WORDS = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six"}


class ConventionQuerySet(models.QuerySet):
    def active(self):
        """Signed and not ended: in force, terminating, in provisional application, or due to
        start."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def visible_to(self, user):
        """The conventions a partner user may read on the portal: signed conventions to which
        one of the user's organisations (`Organisation.members`) is a party.

        The one rule of the portal: every portal view reads conventions, and what hangs off
        them, through this. Drafts and conventions in signature never; a staff agent, who
        belongs to no organisation, nothing; an inactive account nothing.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return (
            self.filter(signed_on__isnull=False)
            .exclude(status__in=(ConventionStatus.DRAFT, ConventionStatus.IN_SIGNATURE))
            # An uncorrelated `IN`: SQLite would run a correlated EXISTS once per convention
            # of the database (make bench).
            .filter(pk__in=Party.objects.filter(organisation__members=user).values("convention_id"))
        )

    def with_partner(self, organisations):
        """Conventions to which one of `organisations` (a queryset) is a party; an
        uncorrelated `IN`, as in `visible_to`."""
        return self.filter(
            pk__in=Party.objects.filter(organisation__in=organisations).values("convention_id")
        )

    def schedule_due(self, today):
        """Conventions whose stored schedule may have changed with the passage of time (a
        stored date reached), or was never computed. Served by `convention_next_refresh`."""
        return self.filter(Q(next_refresh_on__lte=today) | Q(schedule_computed_on__isnull=True))

    def values_with_partner_names(self, *fields, chunk_size=2000):
        """Yield `(partner_names, *fields)` tuples: the parties' names as written, in order,
        joined by ", ". Two queries per chunk (the rows, then their parties), no model
        instance: an export of 10,000 conventions stays around a second in constant memory.
        (SQLite 3.40 cannot order an aggregate, hence no STRING_AGG.)"""
        rows = self.values_list("pk", *fields).iterator(chunk_size=chunk_size)
        while chunk := list(itertools.islice(rows, chunk_size)):
            names = defaultdict(list)
            parties = (
                Party.objects.filter(convention_id__in=[row[0] for row in chunk])
                .order_by("convention_id", "position", "pk")
                .values_list("convention_id", "name_as_written", "organisation__name")
            )
            for convention_id, written, organisation in parties:
                names[convention_id].append(written or organisation)
            for pk, *values in chunk:
                yield (", ".join(names[pk]), *values)

    def term_ending_within(self, *, days: int, today: datetime.date):
        """Conventions whose current period ends between `today` and `days` days later
        ("arrive à échéance dans N jours"); reads the stored schedule column."""
        return self.filter(
            current_term_end__gte=today,
            current_term_end__lte=today + datetime.timedelta(days=days),
        )

    def search(self, text: str, *, vendor: str):
        """Conventions whose reference, title, partners' names or article text match `text`.

        Each table is searched once in an uncorrelated subquery (`pk IN (...)`), so that a
        convention matching in ten articles is listed once, with no DISTINCT, and the
        database reads the articles once rather than once per convention. On PostgreSQL,
        partners' names and articles use full-text search with the French configuration
        ("partenariats" finds "partenariat"), served by the GIN indexes of migration
        0005_search_indexes (same expressions as `search_vectors` below). On SQLite, titles
        and names by case-insensitive substring, articles through the FTS5 index of
        0006_sqlite_article_fts. The reference, title and short title are always matched as
        substrings ("CRESS" finds "CRESS-PACA-2010"); on PostgreSQL from the trigram indexes
        of 0010_search_trigram_indexes.
        """
        text = text.strip()
        if not text:
            return self
        own_columns = (
            Q(reference__icontains=text) | Q(title__icontains=text) | Q(short_title__icontains=text)
        )
        if vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            query = SearchQuery(text, config="french", search_type="websearch")
            vectors = search_vectors()

            def matching(model):
                return model.objects.annotate(_search=vectors[model]).filter(_search=query)

            organisations = matching(Organisation).values("pk")
            # Titles by substring: a fifth of 10,000 titles may match a partner's name, and
            # PostgreSQL then prefers computing every title's vector to its index (300 ms).
            # Reference and titles in a subquery of their own, served by the trigram indexes
            # of 0010: ORed in the outer query with the subqueries below, the conditions can
            # use no index and PostgreSQL computes UPPER() of every row (about 20 ms at 10,000
            # conventions, twice per page: count and rows). One `pk IN (... UNION ...)`
            # instead misleads the planner on the page query (a nested loop, 100 ms).
            return self.filter(
                Q(pk__in=self.model.objects.filter(own_columns).values("pk"))
                | Q(pk__in=matching(Party).values("convention_id"))
                | Q(
                    pk__in=Party.objects.filter(organisation__in=organisations).values(
                        "convention_id"
                    )
                )
                | Q(pk__in=matching(Article).values("convention_id"))
            )
        # Organisations and parties apart: joined, the organisation's names would be matched
        # once per party (20,000 rows) instead of once per organisation (2,000).
        organisations = Organisation.objects.named(text).values("pk")
        parties_of_organisations = Party.objects.filter(organisation__in=organisations)
        parties_by_name = Party.objects.filter(name_as_written__icontains=text)
        # Articles through the FTS5 index of migration 0006: every word, as a prefix
        # ("partenar" finds "partenariat"), accents ignored.
        words = " ".join('"{}"*'.format(word.replace('"', '""')) for word in text.split())
        articles = Article.objects.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM conventions_article_fts WHERE conventions_article_fts MATCH %s",
                [words],
            )
        ).values("convention_id")
        return self.filter(
            own_columns
            | Q(pk__in=parties_of_organisations.values("convention_id"))
            | Q(pk__in=parties_by_name.values("convention_id"))
            | Q(pk__in=articles)
        )


def search_vectors():
    """The French full-text vectors searched on PostgreSQL, per model; the GIN indexes of
    migration 0005_search_indexes are built on exactly these expressions."""
    from django.contrib.postgres.search import SearchVector

    return {
        Party: SearchVector("name_as_written", config="french"),
        Organisation: SearchVector("name", "short_name", config="french"),
        Article: SearchVector("heading", "body", config="french"),
    }


class Convention(models.Model):
    reference = models.CharField(
        "référence",
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                "Lettres sans accent, chiffres, tirets et soulignés uniquement.",
            )
        ],
        help_text="Identifiant court, utilisé dans les adresses : « 2010-CRESS-PACA ».",
    )
    title = models.CharField("titre", max_length=500)
    short_title = models.CharField(
        "titre court", max_length=120, help_text="Rappelé en pied de chaque page imprimée."
    )
    kind = models.CharField(
        "nature", max_length=20, choices=ConventionKind, default=ConventionKind.PARTNERSHIP
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="convention parente",
        help_text="La convention cadre ou de partenariat qu'elle applique.",
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name="renouvelle",
        help_text="La convention antérieure que celle-ci remplace.",
    )
    preamble = models.TextField("préambule", blank=True)
    signature_place = models.CharField("lieu de signature", max_length=120, blank=True)
    signed_on = models.DateField(
        "date de signature",
        null=True,
        blank=True,
        help_text="Celle de la dernière partie qui signe ; vide tant que la convention est un "
        "projet.",
    )
    effective_date = models.DateField(
        "date d'effet",
        null=True,
        blank=True,
        help_text="Seulement si la convention prend effet à une autre date que sa signature.",
    )
    duration_months = models.PositiveSmallIntegerField(
        "durée (mois)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Vide : durée de la convention parente, ou durée indéterminée.",
    )
    notice_months = models.PositiveSmallIntegerField(
        "préavis (mois)", default=0, help_text="Préavis de résiliation ou de non-reconduction."
    )
    provisional_months = models.PositiveSmallIntegerField(
        "application provisoire (mois)",
        default=0,
        help_text="Durée maximale pendant laquelle les dispositions restent applicables après "
        "le terme, le temps de négocier le renouvellement.",
    )
    tacit_renewal = models.BooleanField("reconduction tacite", default=False)
    renewal_months = models.PositiveSmallIntegerField(
        "durée d'une reconduction (mois)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Vide : la durée initiale.",
    )
    max_renewals = models.PositiveSmallIntegerField(
        "nombre maximal de reconductions", null=True, blank=True
    )
    requires_initials = models.BooleanField(
        "paraphes sur chaque page",
        default=False,
        help_text="Imprime un cadre « Paraphes » sur chaque page.",
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ConventionStatus,
        default=ConventionStatus.DRAFT,
        editable=False,
    )
    sent_for_signature_on = models.DateField("mise en signature le", null=True, blank=True)

    # The schedule, computed by `conventions.schedule` from the dates, clauses and events
    # (and the parent's) and stored so that lists filter and sort on it in the database.
    # Refreshed whenever the convention, its parent, avenants or events change, and daily.
    term_start = models.DateField("début", null=True, blank=True, editable=False)
    current_term_end = models.DateField(
        "fin de la période en cours", null=True, blank=True, editable=False
    )
    notice_deadline = models.DateField(
        "date limite de préavis", null=True, blank=True, editable=False
    )
    provisional_end = models.DateField(
        "fin de l'application provisoire", null=True, blank=True, editable=False
    )
    ends_on = models.DateField(
        "dernier jour d'application",
        null=True,
        blank=True,
        editable=False,
        help_text="Connu quand la convention est échue, résiliée ou sans reconduction.",
    )
    schedule_computed_on = models.DateField(
        "échéances calculées le", null=True, blank=True, editable=False
    )
    next_refresh_on = models.DateField(
        "échéances à recalculer le",
        null=True,
        blank=True,
        editable=False,
        help_text="Premier jour où le statut ou les échéances changent avec le temps.",
    )
    yearly_steering_meeting = models.BooleanField(
        "comité de pilotage annuel",
        default=False,
        help_text="La convention prévoit un comité de pilotage chaque année : l'échéancier "
        "rappelle chaque année de la convention le comité à tenir.",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="référent",
        help_text="Agent du rectorat qui suit la convention et reçoit ses rappels.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    # Optimistic locking: an edit is saved only if nobody saved in between (services).
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = ConventionQuerySet.as_manager()

    # Who changed what, when (conventions/history.py). The computed schedule is left
    # out: a refresh recomputes it, nobody "changes" it.
    history = HistoricalRecords(excluded_fields=SCHEDULE_COLUMNS)

    class Meta:
        verbose_name = "convention"
        # The most recently signed first, drafts last: the order of the lists and the admin,
        # served by the index `convention_list_order` of migration 0011.
        ordering = [models.F("signed_on").desc(nulls_last=True), "reference"]
        indexes = [
            # Lists filtered by status and sorted by the next dates; the échéancier and
            # "arrive à échéance dans N jours" filter on these ranges.
            models.Index(fields=["status", "current_term_end"], name="convention_status_end"),
            models.Index(fields=["notice_deadline"], name="convention_notice_deadline"),
            models.Index(fields=["current_term_end"], name="convention_term_end"),
            models.Index(fields=["referent", "status"], name="convention_referent_status"),
            # The daily `refresh_schedules`: next_refresh_on <= today.
            models.Index(fields=["next_refresh_on"], name="convention_next_refresh"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True) | Q(duration_months__gte=1),
                name="convention_duration_positive",
                violation_error_message="La durée doit être d'au moins un mois.",
            ),
            models.CheckConstraint(
                condition=Q(renewal_months__isnull=True) | Q(renewal_months__gte=1),
                name="convention_renewal_positive",
                violation_error_message="La durée d'une reconduction doit être d'au moins un mois.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=CHILD_KINDS) | Q(parent__isnull=False),
                name="convention_child_kind_has_parent",
                violation_error_message="Une convention d'application ou locale doit avoir une "
                "convention parente.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="convention_not_own_parent",
                violation_error_message="Une convention ne peut pas être sa propre parente.",
            ),
            models.CheckConstraint(
                condition=Q(renews__isnull=True) | ~Q(renews=F("pk")),
                name="convention_not_renewing_itself",
                violation_error_message="Une convention ne peut pas se renouveler elle-même.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.short_title}"

    def get_absolute_url(self):
        return reverse("conventions:detail", kwargs={"reference": self.reference})

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def start_date(self) -> datetime.date | None:
        """A term starts on the date of signature unless the convention names another date."""
        return self.effective_date or self.signed_on

    def partner_names(self) -> list[str]:
        """The partner organisations (not the académie), from prefetched parties if any."""
        return [
            party.organisation.display_name
            for party in self.parties.all()
            if not party.organisation.is_academy
        ]

    def dependents_ending_with_it(self):
        """The conventions d'application (and locales) still applying under this one: they
        end, "sans autre formalité", when it ends."""
        return self.children.active().order_by("reference")

    def numbered_articles(self):
        """The articles in document order, each with `.number` and `.depth` set. One query."""
        articles = {a.pk: a for a in self.articles.all()}
        nodes = [Node(a.pk, a.parent_id, a.position) for a in articles.values()]
        ordered = []
        for pk, number, depth in number_tree(nodes):
            article = articles[pk]
            article.number, article.depth = number, depth
            ordered.append(article)
        return ordered

    # Rights, asked by the views (which refuse with 403) and by the templates (which hide
    # the buttons). Reading is `conventions.rights.may_read`.
    def can_be_edited_by(self, user) -> bool:
        """The text of a draft changes until the last party signs; then only by avenant."""
        return not self.is_signed and may_write(user)

    def can_be_signed_by(self, user) -> bool:
        return not self.is_signed and may_write(user)

    def can_be_amended_by(self, user) -> bool:
        return self.is_signed and may_write(user)

    def ended_before(self, on: datetime.date) -> str:
        """Why no avenant can be signed or take effect on `on`: the convention no longer
        applied then (its last day of application is known and passed); "" otherwise."""
        if self.ends_on and on > self.ends_on:
            return (
                f"La convention ne s'applique plus après le {french_date(self.ends_on)} : "
                "un avenant ne peut être signé ni prendre effet après cette date."
            )
        return ""

    def can_be_renewed_by(self, user) -> bool:
        return self.is_signed and may_write(user)

    def can_record_events_by(self, user) -> bool:
        return self.is_signed and may_write(user)

    def originals_in_words(self, party_count: int) -> str:
        """ "deux" for two parties: one original per party ("en deux exemplaires originaux")."""
        return ORIGINALS_IN_WORDS.get(party_count, str(party_count))


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
    address = models.TextField(
        "adresse dans le texte", blank=True, help_text="Vide : l'adresse de l'organisation."
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
    def display_name(self):
        return self.name_as_written or self.organisation.name

    @property
    def display_address(self):
        return self.address or self.organisation.address


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
    name = models.CharField("nom du signataire", max_length=200)
    title = models.CharField("fonction du signataire", max_length=500)
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
        return f"{self.name}, {self.title}"


class Article(models.Model):
    """A numbered piece of the text; nested through `parent`, its number follows position."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="articles", verbose_name="convention"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="article parent",
    )
    position = models.PositiveIntegerField("rang")
    kind = models.CharField(
        "présentation", max_length=10, choices=ArticleKind, default=ArticleKind.ARTICLE
    )
    heading = models.CharField("intitulé", max_length=500, blank=True)
    body = models.TextField("texte", blank=True)
    # Optimistic locking, as on Convention.
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "article"
        ordering = ["convention", "parent_id", "position"]
        constraints = [
            # Siblings have distinct ranks; NULL parents are not equal in SQL, hence two.
            models.UniqueConstraint(
                fields=["convention", "position"],
                condition=Q(parent__isnull=True),
                name="article_unique_top_position",
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="article_unique_child_position",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="article_not_own_parent",
            ),
        ]

    def __str__(self):
        return self.heading or f"Article {self.pk}"

    @staticmethod
    def label(kind: str, number: str) -> str:
        """ "Titre 2", "Article 10.1" or "1.3.1"."""
        if kind == ArticleKind.SECTION:
            return number
        return f"{ArticleKind(kind).label} {number}"


class Annex(models.Model):
    """An annex: free text, or a table (data list, partnership plan), or rendered from records
    (contacts from `partners.Contact`, the action plan from `actions.ActionPlan`)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="annexes", verbose_name="convention"
    )
    position = models.PositiveSmallIntegerField("rang")
    kind = models.CharField("nature", max_length=20, choices=AnnexKind, default=AnnexKind.TEXT)
    title = models.CharField("titre", max_length=255)
    body = models.TextField("texte", blank=True)
    tables = models.JSONField(
        "tableaux",
        default=list,
        blank=True,
        help_text='[{"caption": "...", "columns": ["Thèmes", ...], "rows": [["...", ...]]}]',
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe"
        ordering = ["convention", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "position"], name="annex_unique_position"
            ),
        ]

    def __str__(self):
        return self.title


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


def _overdue(today) -> Q:
    return Q(
        due_on__lt=today,
        done_on__isnull=True,
        kind__in=ACTIONABLE_DEADLINE_KINDS,
        convention__status__in=ACTIVE_STATUSES,
    ) & (Q(lapses_on__isnull=True) | Q(lapses_on__gte=today))


def _upcoming(today, days) -> Q:
    return Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days))


class DeadlineQuerySet(models.QuerySet):
    def overdue(self, today):
        """Actions not done by their date, on conventions that still apply."""
        return self.filter(_overdue(today))

    def upcoming(self, today, days):
        """What falls due from today to `days` days ahead, inclusive."""
        return self.filter(_upcoming(today, days))

    def due_or_overdue(self, today, days):
        """The échéancier: what is overdue and what falls due in the next `days` days."""
        return self.filter(_overdue(today) | _upcoming(today, days))

    def of_referent(self, user):
        return self.filter(convention__referent=user)

    def with_partner(self, organisations):
        """Deadlines of conventions to which one of `organisations` (a queryset) is a party."""
        return self.filter(
            Exists(
                Party.objects.filter(
                    convention=OuterRef("convention"), organisation__in=organisations
                )
            )
        )

    def visible_in_feed_of(self, user, *, is_manager: bool):
        """A manager's calendar lists every convention's deadlines, others their own."""
        return self if is_manager else self.of_referent(user)


class Deadline(models.Model):
    """One dated thing of a convention's schedule, as the échéancier lists it.

    Materialised by `conventions.refresh.refresh_schedule` from `conventions.schedule` (never
    edited by hand) so that the échéancier is one indexed, paginated query. A row keeps its
    pk while its kind, date and subject stay the same: reminders already sent refer to it.
    """

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="deadlines", verbose_name="convention"
    )
    kind = models.CharField("nature", max_length=20, choices=DeadlineKind)
    due_on = models.DateField("échéance")
    label = models.CharField("libellé", max_length=400)
    obligation = models.ForeignKey(
        "actions.Obligation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name="engagement récurrent",
    )
    meeting_number = models.PositiveSmallIntegerField("comité n°", null=True, blank=True)
    done_on = models.DateField(
        "fait le",
        null=True,
        blank=True,
        help_text="Décision prise, comité tenu, livraison faite.",
    )
    lapses_on = models.DateField(
        "sans objet après le",
        null=True,
        blank=True,
        help_text="Un préavis manqué n'est plus en retard une fois la période terminée.",
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "échéance"
        ordering = ["due_on", "convention_id", "kind", "pk"]
        indexes = [
            # The échéancier, the reminders and the calendar feed: a range of due_on.
            models.Index(fields=["due_on"], name="deadline_due_on"),
            # "Mes échéances": the conventions of a référent, then a range of dates.
            models.Index(fields=["convention", "due_on"], name="deadline_convention_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "kind", "due_on"],
                condition=Q(obligation__isnull=True),
                name="deadline_unique_per_convention",
            ),
            models.UniqueConstraint(
                fields=["obligation", "due_on"],
                condition=Q(obligation__isnull=False),
                name="deadline_unique_per_obligation",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeadlineKind.OBLIGATION, obligation__isnull=False)
                | (~Q(kind=DeadlineKind.OBLIGATION) & Q(obligation__isnull=True)),
                name="deadline_obligation_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeadlineKind.MEETING, meeting_number__isnull=False)
                | (~Q(kind=DeadlineKind.MEETING) & Q(meeting_number__isnull=True)),
                name="deadline_meeting_number_iff_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.due_on:%d/%m/%Y}"

    def is_overdue(self, today) -> bool:
        return (
            self.due_on < today
            and self.done_on is None
            and self.kind in ACTIONABLE_DEADLINE_KINDS
            and self.convention.status in ACTIVE_STATUSES
            and (self.lapses_on is None or self.lapses_on >= today)
        )


class ReminderSent(models.Model):
    """A reminder mailed about a deadline, `offset_days` before it: each is sent once."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name="échéance"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_received",
        verbose_name="destinataire",
    )
    offset_days = models.PositiveSmallIntegerField("jours avant l'échéance")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "offset_days", "recipient"], name="reminder_sent_once"
            ),
        ]

    def __str__(self):
        return f"J-{self.offset_days} : {self.deadline}"


class DigestSent(models.Model):
    """The weekly digest mailed to a référent, once per week (identified by its Monday)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests_received",
        verbose_name="destinataire",
    )
    week_of = models.DateField("semaine du")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "récapitulatif hebdomadaire envoyé"
        verbose_name_plural = "récapitulatifs hebdomadaires envoyés"
        ordering = ["-week_of", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week_of"], name="digest_sent_once"),
        ]

    def __str__(self):
        return f"Semaine du {self.week_of:%d/%m/%Y}"


def signed_document_path(instance, filename):
    return f"conventions/{instance.convention.reference}/{filename}"


class SignedDocumentQuerySet(models.QuerySet):
    def generated(self):
        return self.filter(kind=DocumentKind.GENERATED)

    def scans(self):
        return self.filter(kind=DocumentKind.SCAN)

    def for_partners(self):
        """What the portal may offer of a (visible) convention's stored documents: the
        generated signed PDFs, which hold the text every party signed, and the scans staff
        chose to share; never a document of an avenant not yet signed."""
        return self.filter(
            Q(kind=DocumentKind.GENERATED) | Q(shared_with_partners=True),
            Q(amendment__isnull=True) | Q(amendment__signed_on__isnull=False),
        )


class SignedDocument(models.Model):
    """A signed PDF, kept as stored: never regenerated, never changed (see `documents.py`).

    The generated one is written once, when the last party signs; scans of the paper copy
    signed by hand are kept next to it. `sha256` fingerprints the stored bytes.
    """

    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        related_name="signed_documents",
        verbose_name="convention",
    )
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_documents",
        verbose_name="avenant",
        help_text="Vide : le document de la convention elle-même.",
    )
    kind = models.CharField("nature", max_length=10, choices=DocumentKind)
    file = models.FileField("fichier", upload_to=signed_document_path, max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("taille (octets)")
    sealed = models.BooleanField("scellé", default=False)
    # A scan may carry handwritten notes or internal stamps: staff share it on purpose.
    # The generated PDF is always offered to the parties (see `for_partners`).
    shared_with_partners = models.BooleanField(
        "partagé avec les partenaires",
        default=False,
        help_text="Coché : les partenaires parties à la convention téléchargent ce scan sur "
        "leur portail. Le PDF signé généré leur est toujours proposé.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposé par",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = SignedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document signé"
        verbose_name_plural = "documents signés"
        ordering = ["convention", "amendment", "kind", "created_at", "pk"]
        constraints = [
            # Generated once: one generated PDF per convention, one per avenant.
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(kind=DocumentKind.GENERATED, amendment__isnull=True),
                name="signed_document_one_generated_per_convention",
            ),
            models.UniqueConstraint(
                fields=["amendment"],
                condition=Q(kind=DocumentKind.GENERATED, amendment__isnull=False),
                name="signed_document_one_generated_per_amendment",
            ),
            # The same file is not filed twice for a convention.
            models.UniqueConstraint(
                fields=["convention", "sha256"], name="signed_document_unique_content"
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="signed_document_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="signed_document_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.convention.reference}"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def matches_fingerprint(self) -> bool:
        """Whether the stored bytes still hash to the fingerprint taken when they were filed."""
        return hashlib.sha256(self.read()).hexdigest() == self.sha256

    @property
    def download_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
