"""The interchange format: every key of a file, its type, whether it is required, its default.

docs/format.md describes each key for people; this module is what the code reads. The reader
(`reader.py`) checks a file against these shapes, the loader (`loader.py`) makes rows of the
checked values, the writer (`writer.py`) writes rows back with the same keys.

Adding a key:
- a plain column of a model (an amount, a date, a flag): one `column(...)` line in its shape.
  The reader checks its type, the loader passes it to the model (whose `full_clean()` checks
  the rest), the writer reads the attribute of the same name. Then its row in docs/format.md
  (`test_format_doc` fails until it is there).
- a link to another record (an organisation, a party, a plan): a `ref(...)` line here, its
  resolution in `loader.py` and its value in `writer.py`.
- a list of records of a new kind: a new `Shape` and a `nested(...)` line, then the loader's
  and the writer's function for that shape.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from actions.enums import ActionStatus, Audience, Rhythm
from actions.models import (
    Action,
    ActionContribution,
    ActionPlan,
    ActionReview,
    MeetingAttendance,
    Obligation,
    ObligationFulfilment,
    SteeringMeeting,
)
from conventions.enums import (
    AnnexKind,
    ArticleChangeKind,
    ArticleKind,
    CommitmentPeriod,
    ConventionKind,
    TerminationKind,
)
from conventions.forms import EARLIEST, LATEST, MAX_MONTHS
from conventions.models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    Convention,
    ExternalReference,
    FinancialCommitment,
    Instalment,
    Party,
    PartyWithdrawal,
    Payment,
    RenewalDecision,
    Signatory,
    Termination,
)
from partners.enums import Civility, ContactRole, LegalForm
from partners.models import Contact, Letterhead, Mandate, Organisation, Person

# Types ---------------------------------------------------------------------------------------


class Invalid(Exception):
    """A value of the wrong type or out of range; its French message."""


def shown(value) -> str:
    """A value as a message quotes it: « trente-six », 12, vrai, rien."""
    if value is None:
        return "rien"
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, str):
        return f"« {value} »"
    if isinstance(value, dict):
        return "une table de clés"
    if isinstance(value, list):
        return "une liste"
    return str(value)


class Kind:
    """A type of value: what `parse` accepts (else `Invalid`), and its empty value."""

    label = ""
    empty: Any = None

    def parse(self, value):
        return value


class Text(Kind):
    """Text, stripped as the staff forms strip it, its line breaks as "\n" (a browser sends
    "\r\n": the same printed text, `yamlio` writes it so)."""

    label = "texte"
    empty = ""

    def parse(self, value):
        if not isinstance(value, str):
            raise Invalid(f"texte attendu, reçu {shown(value)} (mettez-le entre guillemets)")
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class Integer(Kind):
    label = "nombre entier"

    def __init__(self, maximum: int | None = None):
        self.maximum = maximum

    def parse(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"nombre entier attendu, reçu {shown(value)}")
        if self.maximum is not None and value > self.maximum:
            raise Invalid(f"nombre entier d'au plus {self.maximum} attendu, reçu {value}")
        return value


class Amount(Kind):
    """An amount in euros, written as a string with a decimal point: "30000.00" (an integer
    is accepted); never a float, whose cents are not exact."""

    label = "montant"

    def parse(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if isinstance(value, str) and re.fullmatch(r"\d{1,10}(\.\d{1,2})?", value.strip()):
            return Decimal(value.strip())
        raise Invalid(
            f'montant en euros attendu, écrit "12500.00" (point décimal, sans espace), '
            f"reçu {shown(value)}"
        )


class Boolean(Kind):
    label = "booléen"
    empty = False

    def parse(self, value):
        if not isinstance(value, bool):
            raise Invalid(f"true ou false attendu, reçu {shown(value)}")
        return value


class Day(Kind):
    """A date written AAAA-MM-JJ, between 1990 and 2100 as in the staff forms."""

    label = "date"

    def parse(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            day = value
        elif isinstance(value, str):
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                if len(value.strip()) == 10 and value.strip()[4::3] == "--":
                    raise Invalid(f"date inexistante {shown(value)}") from None
                raise Invalid(f"date attendue au format AAAA-MM-JJ, reçu {shown(value)}") from None
        else:
            raise Invalid(f"date attendue au format AAAA-MM-JJ, reçu {shown(value)}")
        if not EARLIEST <= day <= LATEST:
            raise Invalid(
                f"date entre {EARLIEST.year} et {LATEST.year} attendue, reçu {day.isoformat()}"
            )
        return day


UNKNOWN = "unknown"


class OrUnknown(Kind):
    """A value of `inner`'s kind, or `unknown` when the text does not give it (« unknown is a
    value »: the convention is then « à compléter »)."""

    def __init__(self, inner: Kind):
        self.inner = inner
        self.label = f"{inner.label} ou unknown"
        self.empty = inner.empty

    def parse(self, value):
        if value == UNKNOWN:
            return UNKNOWN
        try:
            return self.inner.parse(value)
        except Invalid as error:
            if not isinstance(value, str):
                raise
            # A word (« inconnue », « trente-six »): say which one means « not given ».
            raise Invalid(f"{error} (ou « unknown » si le texte ne le donne pas)") from None


class Choice(Kind):
    """One of the codes of a list of choices (`legal_form: association`)."""

    label = "code"

    def __init__(self, choices, blank: bool = False):
        self.choices = choices
        self.codes = [str(code) for code in choices.values]
        self.blank = blank
        self.empty = "" if blank else None

    def parse(self, value):
        if self.blank and value == "":
            return ""
        if not isinstance(value, str) or value not in self.codes:
            raise Invalid(f"valeur inconnue {shown(value)} ; valeurs possibles : {self.listing()}")
        return value

    def listing(self) -> str:
        return ", ".join(self.codes)


class ArticleNumber(Kind):
    """An article's number as printed: "3", "2.4", "1.3.1" (text; a bare 3 is accepted)."""

    label = "numéro d'article"

    def parse(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, float):
            raise Invalid('numéro d\'article à écrire entre guillemets, par exemple « "2.4" »')
        if not isinstance(value, str):
            raise Invalid(f"numéro d'article attendu, reçu {shown(value)}")
        return value.strip()


class ListOf(Kind):
    """A list whose every item is of `item`'s kind."""

    def __init__(self, item: Kind):
        self.item = item
        self.label = f"liste ({item.label})"

    @property
    def empty(self):
        return []


# Keys and shapes -----------------------------------------------------------------------------

NOTHING = object()


@dataclass(eq=False)
class Field:
    """One key of a mapping. `attr`: the model column that takes the value as it is (None: the
    loader resolves it, a link to another record, or a nested list)."""

    key: str
    kind: Kind | None = None
    shape: "Shape | None" = None
    many: bool = False
    required: bool = False
    default: Any = NOTHING
    attr: str | None = None
    # The model's flag set when the value is `unknown` (OrUnknown): signed_on_unknown...
    unknown_attr: str | None = None

    @property
    def empty(self):
        """The value of the key when it is absent or null."""
        if self.default is not NOTHING:
            return self.default
        if self.many:
            return []
        if self.shape is not None:
            return None
        return self.kind.empty


def column(key, kind, *, required=False, default=NOTHING, attr=None, unknown=None) -> Field:
    return Field(
        key, kind, required=required, default=default, attr=attr or key, unknown_attr=unknown
    )


def ref(key, kind=None, *, required=False) -> Field:
    return Field(key, kind or Text(), required=required)


def nested(key, shape) -> Field:
    return Field(key, shape=shape, many=True)


def one(key, shape, *, required=False) -> Field:
    return Field(key, shape=shape, required=required)


@dataclass(eq=False)
class Shape:
    """A mapping of the format: where it sits (`path`, as docs/format.md titles it), the
    model its rows go to, its keys in the order files are written."""

    path: str
    model: type | None
    fields: list[Field] = field(default_factory=list)

    def __post_init__(self):
        self.by_key = {f.key: f for f in self.fields}

    def add(self, new: Field) -> None:
        self.fields.append(new)
        self.by_key[new.key] = new

    def columns(self, values: dict) -> dict:
        """{model attribute: value} of the plain columns among `values`; `unknown` sets the
        field's flag and leaves its column empty."""
        found = {}
        for f in self.fields:
            if not f.attr or f.key not in values:
                continue
            value = values[f.key]
            if f.unknown_attr:
                found[f.unknown_attr] = value == UNKNOWN
                value = None if value == UNKNOWN else value
            found[f.attr] = value
        return found

    def key_for(self, attr: str) -> str | None:
        """The key that fills the model attribute `attr` (an error of `full_clean`)."""
        for f in self.fields:
            if attr in (f.attr, f.unknown_attr) or (f.attr is None and f.key == attr):
                return f.key
        return None


def months(name: str) -> Integer:
    """A number of months, bounded as the staff forms bound it (conventions.forms.MAX_MONTHS)."""
    return Integer(maximum=MAX_MONTHS[name])


LETTERHEAD = Shape("organisations[].letterheads[]", Letterhead, [
    column("name", Text(), required=True),
    column("valid_from", Day(), required=True),
    column("valid_until", Day()),
    column("text", Text(), required=True),
])  # fmt: skip

ORGANISATION = Shape("organisations[]", Organisation, [
    column("name", Text(), required=True),
    column("short_name", Text()),
    column("legal_form", Choice(LegalForm), default=LegalForm.ASSOCIATION.value),
    column("is_academy", Boolean()),
    column("address", Text()),
    column("siret", Text()),
    column("email", Text()),
    column("phone", Text()),
    column("website", Text()),
    nested("letterheads", LETTERHEAD),
])  # fmt: skip

PERSON = Shape("people[]", Person, [
    column("civility", Choice(Civility, blank=True)),
    column("first_name", Text(), required=True),
    column("last_name", Text(), required=True),
    column("email", Text()),
    column("phone", Text()),
])  # fmt: skip

MANDATE = Shape("mandates[]", Mandate, [
    ref("person", required=True),
    ref("organisation", required=True),
    column("title", Text(), required=True),
    column("start_date", Day()),
    column("end_date", Day()),
])  # fmt: skip

SIGNATORY = Shape("conventions[].parties[].signatory", Signatory, [
    ref("person"),
    ref("mandate_title"),
    column("name", Text()),
    column("title", Text()),
    column("delegation", Text()),
    column("delegation_act", Text()),
    column("signed_on", Day()),
    column("place", Text()),
])  # fmt: skip

PARTY = Shape("conventions[].parties[]", Party, [
    ref("organisation", required=True),
    column("name_as_written", Text()),
    column("description", Text()),
    column("designation", Text()),
    column("group", Text()),
    column("address", Text()),
    column("printed_block", Text()),
    column("signature_heading", Text()),
    column("signature_mention", Text()),
    one("signatory", SIGNATORY),
])  # fmt: skip

ARTICLE = Shape("conventions[].articles[]", Article, [
    column("kind", Choice(ArticleKind), default=ArticleKind.ARTICLE.value),
    column("heading", Text()),
    column("body", Text()),
])  # fmt: skip
ARTICLE.add(nested("children", ARTICLE))  # nested articles have the same keys

TABLE = Shape("conventions[].annexes[].tables[]", None, [
    column("caption", Text()),
    column("columns", ListOf(Text())),
    column("rows", ListOf(ListOf(Text()))),
])  # fmt: skip

ANNEX = Shape("conventions[].annexes[]", Annex, [
    column("kind", Choice(AnnexKind), default=AnnexKind.TEXT.value),
    column("title", Text(), required=True),
    column("body", Text()),
    nested("tables", TABLE),
])  # fmt: skip

CONTACT = Shape("conventions[].contacts[]", Contact, [
    ref("organisation", required=True),
    ref("person", required=True),
    column("role", Choice(ContactRole), required=True),
    column("title", Text()),
    column("address", Text()),
])  # fmt: skip

ARTICLE_CHANGE = Shape("conventions[].amendments[].changes[]", ArticleChange, [
    column("kind", Choice(ArticleChangeKind), required=True),
    ref("article", ArticleNumber()),
    column("heading", Text()),
    column("body", Text()),
])  # fmt: skip

AMENDMENT_SIGNATORY = Shape("conventions[].amendments[].signatories[]", Signatory, [
    ref("party", required=True),
    *SIGNATORY.fields,
])  # fmt: skip

# A party that joins by the avenant: the keys of a convention's party; its `signatory`
# signs the avenant.
ADDED_PARTY = Shape("conventions[].amendments[].parties_added[]", Party, list(PARTY.fields))

WITHDRAWAL = Shape("conventions[].amendments[].parties_removed[]", PartyWithdrawal, [
    ref("organisation", required=True),
    column("on", Day()),
])  # fmt: skip

AMENDMENT = Shape("conventions[].amendments[]", Amendment, [
    column("number", Integer(), required=True),
    column("title", Text(), required=True),
    column("body", Text()),
    column("signature_place", Text()),
    column("signed_on", Day()),
    column("effective_date", Day()),
    column("new_duration_months", months("new_duration_months")),
    column("new_ends_on", Day(), attr="new_last_day"),
    ref("application"),
    nested("changes", ARTICLE_CHANGE),
    nested("parties_added", ADDED_PARTY),
    nested("parties_removed", WITHDRAWAL),
    nested("signatories", AMENDMENT_SIGNATORY),
])  # fmt: skip

TERMINATION = Shape("conventions[].terminations[]", Termination, [
    column("kind", Choice(TerminationKind), required=True),
    ref("party"),
    column("received_on", Day()),
    column("requested_on", Day()),
    column("cured_on", Day()),
    column("agreed_last_day", Day()),
    column("note", Text()),
])  # fmt: skip

RENEWAL_DECISION = Shape("conventions[].renewal_decisions[]", RenewalDecision, [
    column("decided_on", Day(), required=True),
    column("renew", Boolean(), required=True, default=None),
    column("note", Text()),
])  # fmt: skip

ACTION_REFERENCE = Shape("conventions[].action_plans[].actions[].carried_from", None, [
    column("school_year", Integer(), required=True),
    column("number", Integer(), required=True),
])  # fmt: skip

CONTRIBUTION = Shape(
    "conventions[].action_plans[].actions[].contributions[]", ActionContribution, [
    ref("party", required=True),
    column("text", Text(), required=True),
])  # fmt: skip

ACTION = Shape("conventions[].action_plans[].actions[]", Action, [
    column("number", Integer(), required=True),
    column("axis", Text(), required=True),
    column("title", Text(), required=True),
    column("objective", Text()),
    column("modalities", Text()),
    column("start_label", Text()),
    column("start_date", Day()),
    column("status", Choice(ActionStatus), default=ActionStatus.PLANNED.value),
    column("pupils_reached", Integer()),
    column("events_held", Integer()),
    column("results_comment", Text()),
    ref("audiences", ListOf(Choice(Audience))),
    one("carried_from", ACTION_REFERENCE),
    nested("contributions", CONTRIBUTION),
])  # fmt: skip

ACTION_PLAN = Shape("conventions[].action_plans[]", ActionPlan, [
    column("school_year", Integer(), required=True),
    column("title", Text(), default="Plan d'action"),
    ref("annex", Integer()),
    nested("actions", ACTION),
])  # fmt: skip

ATTENDANCE = Shape("conventions[].steering_meetings[].attendances[]", MeetingAttendance, [
    ref("party", required=True),
    column("attendees", Text(), required=True),
])  # fmt: skip

REVIEW = Shape("conventions[].steering_meetings[].reviews[]", ActionReview, [
    one("action", ACTION_REFERENCE, required=True),
    column("status", Choice(ActionStatus), required=True),
    # The bounds of the staff review form (actions.forms.ReviewForm).
    column("pupils_reached", Integer(maximum=10_000_000)),
    column("events_held", Integer(maximum=100_000)),
    column("assessment", Text()),
])  # fmt: skip

STEERING_MEETING = Shape("conventions[].steering_meetings[]", SteeringMeeting, [
    column("held_on", Day(), required=True),
    column("place", Text()),
    column("agenda", Text()),
    column("minutes", Text()),
    column("decisions", Text()),
    column("minutes_shared", Boolean()),
    ref("reviewed_plan", Integer()),
    ref("adopted_plan", Integer()),
    nested("attendances", ATTENDANCE),
    nested("reviews", REVIEW),
])  # fmt: skip

FULFILMENT = Shape("conventions[].obligations[].fulfilments[]", ObligationFulfilment, [
    column("due_on", Day(), required=True),
    column("delivered_on", Day(), required=True),
    column("description", Text()),
])  # fmt: skip

OBLIGATION = Shape("conventions[].obligations[]", Obligation, [
    ref("party", required=True),
    column("title", Text(), required=True),
    column("description", Text()),
    column("rhythm", Choice(Rhythm), required=True),
    ref("fixed_dates", ListOf(Day())),
    nested("fulfilments", FULFILMENT),
])  # fmt: skip

EXTERNAL_REFERENCE = Shape("conventions[].external_references[]", ExternalReference, [
    column("label", Text(), required=True),
    column("value", Text(), required=True),
])  # fmt: skip

INSTALMENT = Shape("conventions[].financial_commitments[].schedule[]", Instalment, [
    column("due_on", Day(), required=True),
    column("amount", Amount(), required=True),
])  # fmt: skip

PAYMENT = Shape("conventions[].financial_commitments[].payments[]", Payment, [
    column("paid_on", Day(), required=True),
    column("amount", Amount(), required=True),
    column("reference", Text()),
])  # fmt: skip

FINANCIAL_COMMITMENT = Shape("conventions[].financial_commitments[]", FinancialCommitment, [
    ref("payer", required=True),
    ref("payee", required=True),
    column("label", Text()),
    column("amount", Amount(), required=True),
    column("period", Choice(CommitmentPeriod), default=CommitmentPeriod.ONCE.value),
    column("imputation", Text()),
    ref("amendment", Integer()),
    nested("schedule", INSTALMENT),
    nested("payments", PAYMENT),
])  # fmt: skip

CONVENTION = Shape("conventions[]", Convention, [
    column("reference", Text(), required=True),
    column("title", Text(), required=True),
    column("short_title", Text(), required=True),
    column("kind", Choice(ConventionKind), default=ConventionKind.PARTNERSHIP.value),
    ref("parent"),
    column("parent_article", Text()),
    ref("renews"),
    column("preamble", Text()),
    column("signature_place", Text()),
    column("signed_on", OrUnknown(Day()), unknown="signed_on_unknown"),
    column("effective_date", Day()),
    column("sent_for_signature_on", Day()),
    column("duration_months", OrUnknown(months("duration_months")), unknown="term_unknown"),
    column("school_years", Integer(maximum=20)),
    column("ends_on", Day(), attr="fixed_last_day"),
    column("notice_months", months("notice_months"), default=0),
    column("provisional_months", months("provisional_months"), default=0),
    column("tacit_renewal", Boolean()),
    column("renewal_months", months("renewal_months")),
    column("max_renewals", months("max_renewals")),
    column("yearly_steering_meeting", Boolean()),
    column("requires_initials", Boolean()),
    column("document_title", Text()),
    column("has_cover", Boolean(), default=True),
    column("cover", Text()),
    column("parties_intro", Text(), default="Entre les soussignés"),
    column("parties_outro", Text()),
    column("preamble_heading", Text(), default="Préambule"),
    column("intro_after_preamble", Boolean()),
    column("articles_intro", Text(), default="il a été convenu ce qui suit :"),
    column("closing", Text()),
    column("signatures_per_party", Boolean()),
    column("with_letterhead", Boolean(), default=True),
    ref("letterhead"),
    nested("external_references", EXTERNAL_REFERENCE),
    nested("parties", PARTY),
    nested("articles", ARTICLE),
    nested("annexes", ANNEX),
    nested("contacts", CONTACT),
    nested("amendments", AMENDMENT),
    nested("terminations", TERMINATION),
    nested("renewal_decisions", RENEWAL_DECISION),
    nested("action_plans", ACTION_PLAN),
    nested("steering_meetings", STEERING_MEETING),
    nested("obligations", OBLIGATION),
    nested("financial_commitments", FINANCIAL_COMMITMENT),
])  # fmt: skip

FILE = Shape("", None, [
    nested("organisations", ORGANISATION),
    nested("people", PERSON),
    nested("mandates", MANDATE),
    nested("conventions", CONVENTION),
])  # fmt: skip


def shapes() -> list[Shape]:
    """Every shape of the format, each once, in the order of a file."""
    found: list[Shape] = []

    def walk(shape):
        if shape in found:
            return
        found.append(shape)
        for f in shape.fields:
            if f.shape is not None:
                walk(f.shape)

    walk(FILE)
    return found[1:]
