"""A convention and its text: the agreement, its articles and its annexes."""

import datetime
import functools
import itertools
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partners.models import Letterhead, Organisation

from ..enums import (
    ACTIVE_STATUSES,
    CHILD_KINDS,
    AnnexKind,
    ArticleKind,
    ConventionKind,
    ConventionStatus,
)
from ..rights import may_write
from ..rules.clauses import notice_exceeds_term
from ..rules.formatting import french_date
from ..rules.numbering import Node, number_tree

# Columns that `refresh.refresh_schedule` recomputes (bulk_update): not a change by anyone,
# so not in the history.
SCHEDULE_COLUMNS = [
    "status", "term_start", "current_term_end", "notice_deadline", "provisional_end",
    "ends_on", "schedule_computed_on", "next_refresh_on", "updated_at",
]  # fmt: skip

TERM_RULE = (
    "Indiquez la durée d'une seule façon : en mois, en années scolaires ou par un dernier jour "
    "fixé (ou cochez « durée ou terme inconnus » et laissez-les vides)."
)

ORIGINALS_IN_WORDS = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six"}


# The lists of a convention's page that most conventions do not have: the page reads each
# only when the convention has some (`Convention.read_parts`).
PAGE_PARTS = (
    "amendments",
    "annexes",
    "children",
    "contacts",
    "terminations",
    "renewal_decisions",
    "external_references",
    "renewals",
    "financial_commitments",
)


class ConventionQuerySet(models.QuerySet):
    def signed(self):
        """Signed on a known date, or known to be signed on an unknown one."""
        return self.filter(Q(signed_on__isnull=False) | Q(signed_on_unknown=True))

    def to_complete(self):
        """Signed, but a fact their dates need is unknown (« à compléter »)."""
        return self.filter(status=ConventionStatus.INCOMPLETE)

    def active(self):
        """Signed and not ended: in force, terminating, in provisional application, or due to
        start."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def visible_to(self, user):
        """The conventions a partner user may read on the portal: signed conventions to which
        one of the user's organisations (`Organisation.members`) is a party (or was: a
        party that withdrew by an avenant; or is from its accession, once signed).

        The one rule of the portal: every portal view reads conventions, and what hangs off
        them, through this. Drafts and conventions in signature never; a staff agent, who
        belongs to no organisation, nothing; an inactive account nothing.
        """
        from .parties import Party  # defined after Convention, which it refers to

        if not user.is_authenticated or not user.is_active:
            return self.none()
        return (
            self.signed()
            .exclude(status__in=(ConventionStatus.DRAFT, ConventionStatus.IN_SIGNATURE))
            # An uncorrelated `IN`: SQLite would run a correlated EXISTS once per convention
            # of the database (make bench).
            # A party that joins by an avenant sees the convention once that avenant is
            # signed; one that withdrew keeps seeing what it was bound by.
            .filter(
                pk__in=Party.objects.filter(organisation__members=user)
                .current()
                .values("convention_id")
            )
        )

    def with_partner(self, organisations):
        """Conventions to which one of `organisations` (a queryset) is a party; an
        uncorrelated `IN`, as in `visible_to`."""
        from .parties import Party  # defined after Convention, which it refers to

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
        from .parties import Party  # defined after Convention, which it refers to

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
        """Conventions whose reference, title, search document or article text match `text`.

        The search document (`conventions.search`) holds, lower-cased and without accents,
        the reference and titles, parties as written and their organisations' names,
        signatories, correspondents, external references, annexes and action plans: it is
        matched as a substring ("CRESS" finds "2010-CRESS-PACA", "pole emploi" finds
        « Pôle emploi »). The articles by words, accents ignored.

        On PostgreSQL both conditions bear on the convention's own row: the document (trigram
        index of 0021) and the words of its articles (`article_words`, 0023, French
        stemming: "partenariats" finds "partenariat"). PostgreSQL then estimates how many
        rows match and either walks the list's order until it has the page (a word in a
        fifth of the conventions) or gathers the few matches from the indexes (a rare
        word), at any number of conventions (make bench). Every write of a convention or of
        a name it prints refreshes its document (`conventions.search`). On SQLite, the
        reference, titles and names by case-insensitive substring, articles and document
        through their FTS5 indexes (migrations 0006 and 0021), each in an uncorrelated
        subquery (`pk IN (...)`), read once.
        """
        from ..search import ArticleWords, normalise
        from .parties import Party  # defined after Convention, which it refers to

        text = text.strip()
        if not text:
            return self
        document = normalise(text)
        if vendor == "postgresql":
            return self.filter(Q(search_document__contains=document) | ArticleWords.match(document))
        own_columns = (
            Q(reference__icontains=text) | Q(title__icontains=text) | Q(short_title__icontains=text)
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
        document_words = " ".join('"{}"*'.format(w.replace('"', '""')) for w in document.split())
        documents = RawSQL(
            "SELECT rowid FROM conventions_convention_fts WHERE conventions_convention_fts "
            "MATCH %s",
            [document_words or '""'],
        )
        return self.filter(
            own_columns
            | Q(pk__in=parties_of_organisations.values("convention_id"))
            | Q(pk__in=parties_by_name.values("convention_id"))
            | Q(pk__in=articles)
            | Q(pk__in=documents)
        )


@functools.cache
def _parts_sql(names: tuple[str, ...]) -> str:
    """`SELECT EXISTS(...), ...`: whether a convention (each `%s`) has rows of each
    reverse relation of `names`."""
    quote = connection.ops.quote_name
    exists = []
    for name in names:
        relation = Convention._meta.get_field(name)
        table = quote(relation.related_model._meta.db_table)
        exists.append(f"EXISTS(SELECT 1 FROM {table} WHERE {quote(relation.field.column)} = %s)")
    return "SELECT " + ", ".join(exists)


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
    parent_article = models.CharField(
        "article de la convention parente",
        max_length=200,
        blank=True,
        help_text="« article 6 du titre II » : la disposition de la convention parente en "
        "application de laquelle celle-ci est conclue.",
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
    signed_on_unknown = models.BooleanField(
        "signée, date inconnue",
        default=False,
        help_text="Signée, mais le texte connu ne donne pas la date de signature : la convention "
        "est « à compléter » et rien n'est calculé de cette date.",
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
    school_years = models.PositiveSmallIntegerField(
        "durée (années scolaires)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="« Années scolaires 2016-2017 à 2018-2019 » : 3. Du 1er septembre au 31 août, "
        "à partir de l'année scolaire de la date d'effet.",
    )
    fixed_last_day = models.DateField(
        "dernier jour fixé par le texte",
        null=True,
        blank=True,
        help_text="« Jusqu'au 31 août 2025 » : le terme est cette date, quelle que soit la date "
        "de signature.",
    )
    term_unknown = models.BooleanField(
        "durée ou terme inconnus",
        default=False,
        help_text="Le texte connu ne donne ni durée ni terme : la convention est « à compléter » "
        "et aucune échéance n'est calculée sur une supposition.",
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
    # The text around the articles, as signed (docs/format.md, « The document » in DOMAIN):
    # a new convention starts with the house formulas, which staff may edit while it is a
    # draft; a convention known from its text carries its own. Frozen once signed.
    document_title = models.CharField(
        "titre imprimé",
        max_length=500,
        blank=True,
        help_text="Le titre tel qu'il est imprimé en tête du texte (« CONVENTION DE "
        "PARTENARIAT ») ; vide : la nature de la convention.",
    )
    has_cover = models.BooleanField(
        "page de garde", default=True, help_text="Décoché : le texte commence en page 1."
    )
    cover = models.TextField(
        "texte de la page de garde",
        blank=True,
        help_text="Ses lignes telles qu'imprimées ; vide : « Convention de … entre … et … », "
        "composé à partir des parties.",
    )
    parties_intro = models.CharField(
        "formule d'introduction des parties",
        max_length=200,
        blank=True,
        default="Entre les soussignés",
        help_text="« Entre les soussignés », « ENTRE », « entre » ; vide : aucune.",
    )
    parties_outro = models.CharField(
        "formule après les parties",
        max_length=300,
        blank=True,
        help_text="« Ci-après dénommés ensemble « les parties ». »",
    )
    preamble_heading = models.CharField(
        "intitulé du préambule",
        max_length=200,
        blank=True,
        default="Préambule",
        help_text="« Préambule », « PREAMBULE » ; vide : le préambule n'a pas d'intitulé "
        "(« Vu … », « Considérant … »).",
    )
    intro_after_preamble = models.BooleanField(
        "formule après le préambule",
        default=False,
        help_text="La formule avant les articles suit le préambule (« Vu … » puis « IL EST "
        "CONVENU … ») au lieu de le précéder.",
    )
    with_letterhead = models.BooleanField(
        "en-tête imprimé", default=True, help_text="Décoché : le document n'a pas d'en-tête."
    )
    articles_intro = models.CharField(
        "formule avant les articles",
        max_length=300,
        blank=True,
        default="il a été convenu ce qui suit :",
        help_text="« il a été expressément convenu et arrêté ce qui suit. » ; vide : aucune.",
    )
    closing = models.TextField(
        "formule finale",
        blank=True,
        help_text="« Effectuée en deux exemplaires originaux, signés le 17 mai 2010 à "
        "Aix-en-Provence » ; vide : « Fait à …, le …, en … exemplaires originaux. »",
    )
    signatures_per_party = models.BooleanField(
        "un « Fait à » par partie",
        default=False,
        help_text="Chaque partie signe sous son propre « Fait à …, le … » au lieu d'un seul "
        "pour toutes.",
    )
    letterhead = models.ForeignKey(
        Letterhead,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="en-tête",
        help_text="Vide : celui de l'académie partie à la convention, en vigueur à la date de "
        "signature ; aucun si l'académie n'est pas partie.",
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ConventionStatus,
        default=ConventionStatus.DRAFT,
        editable=False,
    )
    sent_for_signature_on = models.DateField("mise en signature le", null=True, blank=True)

    # Every text the search finds it by besides its articles, normalised (conventions.search).
    search_document = models.TextField("texte de recherche", blank=True, default="", editable=False)

    # The schedule, computed by `echeancier.schedule` from the dates, clauses and events
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

    # Who changed what, when (conventions/services/history.py). The computed schedule is left
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
                condition=Q(signed_on_unknown=False) | Q(signed_on__isnull=True),
                name="convention_signature_date_known_or_unknown",
                violation_error_message="Une date de signature est donnée : elle n'est pas "
                "inconnue.",
            ),
            models.CheckConstraint(
                condition=Q(school_years__isnull=True) | Q(school_years__gte=1),
                name="convention_school_years_positive",
                violation_error_message="La durée doit être d'au moins une année scolaire.",
            ),
            models.CheckConstraint(
                # One way of giving the term at most, and none when it is unknown.
                condition=(
                    Q(duration_months__isnull=True, school_years__isnull=True)
                    | Q(duration_months__isnull=True, fixed_last_day__isnull=True)
                    | Q(school_years__isnull=True, fixed_last_day__isnull=True)
                )
                & (
                    Q(term_unknown=False)
                    | Q(
                        duration_months__isnull=True,
                        school_years__isnull=True,
                        fixed_last_day__isnull=True,
                    )
                ),
                name="convention_one_way_to_give_the_term",
                violation_error_message=TERM_RULE,
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
        """Signed, on a known date or (a convention signed before the application) not."""
        return self.signed_on is not None or self.signed_on_unknown

    @property
    def start_date(self) -> datetime.date | None:
        """A term starts on the date of signature unless the convention names another date."""
        return self.effective_date or self.signed_on

    def partner_names(self) -> list[str]:
        """The partner organisations (not the académie): as attached by
        `Party.objects.attach_partner_names`, else from the parties, prefetched if they are."""
        attached = getattr(self, "attached_partner_names", None)
        if attached is not None:
            return attached
        return [
            party.organisation.display_name
            for party in self.parties.all()
            if not party.organisation.is_academy
        ]

    def read_parts(self, *more) -> None:
        """Set `has_annexes`... for each of `PAGE_PARTS` and `more` (reverse relations: the
        parts of the page's sections), in one query of precompiled SQL: a page that read
        every list spent a third of its CPU on empty ones, and as many EXISTS annotations
        cost 2 ms to compile (make bench)."""
        names = (*PAGE_PARTS, *more)
        with connections[self._state.db or DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(_parts_sql(names), [self.pk] * len(names))
            found = cursor.fetchone()
        for name, present in zip(names, found, strict=True):
            setattr(self, f"has_{name}", bool(present))

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

    def clean(self):
        """Rules between clauses, in one place for every path that validates a convention:
        the staff form, the admin, a renewal, the import (`full_clean` calls this)."""
        super().clean()
        ways = [self.duration_months, self.school_years, self.fixed_last_day]
        if sum(w is not None for w in ways) > 1 or (self.term_unknown and any(ways)):
            raise ValidationError({"duration_months": TERM_RULE})
        start = self.effective_date or self.signed_on
        if self.fixed_last_day and start and self.fixed_last_day < start:
            raise ValidationError(
                {
                    "fixed_last_day": "Le dernier jour fixé doit suivre la date d'effet ou de "
                    f"signature ({french_date(start)})."
                }
            )
        term_months = self.duration_months or (
            12 * self.school_years if self.school_years else None
        )
        if error := notice_exceeds_term(
            self.notice_months, term_months, self.tacit_renewal, self.renewal_months
        ):
            raise ValidationError({"notice_months": error})

    @property
    def missing_facts(self) -> list[str]:
        """What a signed convention lacks for its dates to be computed (« à compléter »)."""
        missing = []
        if self.signed_on_unknown:
            missing.append("La date de signature")
        if self.term_unknown:
            missing.append("La durée ou le terme de la convention")
        return missing

    @property
    def term_label(self) -> str:
        """« 36 mois », « 3 années scolaires », « jusqu'au 31 août 2025 », « inconnue »..."""
        if self.term_unknown:
            return "Inconnue (à compléter)"
        if self.fixed_last_day:
            return f"Jusqu'au {french_date(self.fixed_last_day)}"
        if self.school_years:
            plural = "s" if self.school_years > 1 else ""
            return f"{self.school_years} année{plural} scolaire{plural}"
        if self.duration_months:
            return f"{self.duration_months} mois"
        if self.parent_id:
            return "Celle de la convention parente"
        return "Indéterminée"

    def can_be_renewed_by(self, user) -> bool:
        return self.is_signed and may_write(user)

    def can_record_events_by(self, user) -> bool:
        return self.is_signed and may_write(user)

    def can_record_money_by(self, user) -> bool:
        """Money is not part of the signed text: it is recorded as it happens, on a draft as
        on a signed convention."""
        return may_write(user)

    def originals_in_words(self, party_count: int) -> str:
        """ "deux" for two parties: one original per party ("en deux exemplaires originaux")."""
        return ORIGINALS_IN_WORDS.get(party_count, str(party_count))


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
