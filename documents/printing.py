"""The printed convention and avenant: what they print, as HTML, then as PDF (WeasyPrint).

`convention_html` / `amendment_html` render `templates/print/*.html` with our own print
stylesheet (`static/print/print.css`, not the web design system's); `write_pdf` turns that
HTML into a PDF, archival (PDF/A-3b, with the structured data attached as JSON) for signed
documents. `content_key` names what a rendering prints: the pages render each content once,
in the worker, and keep it (`documents.delivery`).

Reading is bounded: a convention prints in a fixed number of queries, whatever its size.
"""

import datetime
import hashlib
import json
import logging
import mimetypes
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import Action, ActionContribution
from conventions.enums import AnnexKind, ArticleChangeKind, ArticleKind, ConventionKind
from conventions.extensions import convention_data
from conventions.models import (
    Amendment,
    Annex,
    Article,
    Convention,
    FinancialCommitment,
    Instalment,
    Party,
    Signatory,
)
from conventions.rules.formatting import french_date
from conventions.rules.money import euros
from partners.models import Contact, Letterhead

from .typography import agree, in_sentence

PRINT_CSS = "print/print.css"
# The only files WeasyPrint may read while printing (see `print_url_fetcher`).
PRINT_ASSETS = Path(__file__).resolve().parent / "static" / "print"
# A letterhead's logo, as the printed HTML names it: `stored:letterheads/<name>`, read by
# `print_url_fetcher` from the storage of stored files (a local folder or object storage:
# a logo has no path on the server's disk when it is in a bucket).
STORED_LOGO = re.compile(r"stored:(letterheads/\w[\w.-]*)")

logger = logging.getLogger(__name__)


@dataclass
class PrintedParty:
    """A party as "Entre les soussignés" names it and as its signature column reads."""

    name: str
    description: str
    address: str
    designation: str
    represented: str  # "représentée par" / "représenté par"
    designated: str  # "ci-après dénommée" / "ci-après dénommé"
    pour: str  # "Pour l'académie d'Aix-Marseille"
    signatory: Signatory | None
    title_lines: list[str] = field(default_factory=list)
    signed_note: str = ""
    # The joint designation closing a group of parties (« ensemble ci-après dénommées
    # « l'Université » »), on the last member of the group in the document's order.
    group_line: str = ""
    # As the signed text writes them (`Party.printed_block`, ...): its paragraphs, the
    # lines above its signature, the mention under it.
    block: str = ""
    heading_lines: list[str] = field(default_factory=list)
    mention: str = ""
    done_at: tuple[str, str] | None = None  # (place, date) of its own « Fait à », if any


@dataclass
class ContactGroup:
    organisation: str
    contacts: list[Contact]


@dataclass
class Axis:
    name: str
    actions: list[Action]


def academy_author() -> str:
    """ "Académie d'Aix-Marseille": the author of every printed document."""
    name = settings.ACADEMY_NAME
    return name[:1].upper() + name[1:]


def heading_blocks() -> list[list[str]]:
    """The académie's heading when it has no letterhead on record (settings)."""
    return [block.split("\n") for block in settings.ACADEMY_PRINT_HEADING]


def letterhead_for(convention: Convention, parties: list[Party]):
    """The letterhead the convention prints: the one chosen for it; else the one in force at
    its signature (today for a draft) for the académie that is a party; None when the
    académie is not a party (a Métropole–Pôle emploi text), when the text has none, or when
    the académie's letterheads on record leave that date uncovered; "settings" for an
    académie with none on record (the heading of the settings)."""
    if not convention.with_letterhead:
        return None
    if convention.letterhead_id:
        return convention.letterhead
    academy = next((p.organisation for p in parties if p.organisation.is_academy), None)
    if academy is None:
        return None
    on = convention.signed_on or timezone.localdate()
    letterheads = list(Letterhead.objects.filter(organisation=academy).order_by("-valid_from"))
    if not letterheads:
        return "settings"
    return next(
        (
            head
            for head in letterheads
            if head.valid_from <= on and (head.valid_until is None or on <= head.valid_until)
        ),
        None,
    )


def letterhead_context(convention: Convention, parties: list[Party]) -> dict:
    """The heading's blocks and, when its letterhead has one, its logo (a `stored:` URL
    that WeasyPrint may read: `stored_logo`) and the logo's text alternative."""
    head = letterhead_for(convention, parties)
    if head == "settings":
        return {"heading": heading_blocks(), "logo": "", "logo_alt": ""}
    if head is None:
        return {"heading": [], "logo": "", "logo_alt": ""}
    logo = f"stored:{head.logo.name}" if head.logo else ""
    return {"heading": head.blocks, "logo": logo, "logo_alt": f"Logo : {head.organisation}"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, the lines of each joined by a line break."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    return ["\n".join(_lines(b)) for b in blocks if b]


def title_lines(title: str) -> list[str]:
    """A signatory's title, one office per line as the seeds print it."""
    return [part.strip() for part in title.split(",") if part.strip()]


def printed_parties(
    parties: list[Party], signatories: dict[int, Signatory], signed_on, place, *,
    per_party: bool = False,
):  # fmt: skip
    """The parties in document order, with the signatory that signs for each. `per_party`:
    each signs under its own « Fait à …, le … » (its signatory's place and date)."""
    printed = []
    last_of_group = {party.group: party.pk for party in parties if party.group}
    for party in parties:
        name = party.display_name
        signatory = signatories.get(party.pk)
        note = ""
        if (
            signatory
            and signatory.signed_on
            and (signatory.signed_on != signed_on or (signatory.place and signatory.place != place))
        ):
            note = f"Signé le {french_date(signatory.signed_on)}"
            if signatory.place:
                note += f" à {signatory.place}"
        printed.append(
            PrintedParty(
                name=name,
                description=party.description,
                address=", ".join(
                    line.strip() for line in party.display_address.splitlines() if line.strip()
                ),
                designation=party.designation,
                represented=agree("représenté", name) + " par",
                designated="ci-après " + agree("dénommé", name),
                pour="Pour " + in_sentence(name),
                signatory=signatory,
                title_lines=title_lines(signatory.title) if signatory else [],
                signed_note="" if per_party else note,
                group_line=_group_line(party, parties)
                if last_of_group.get(party.group) == party.pk
                else "",
                block=party.printed_block.strip(),
                heading_lines=_lines(party.signature_heading) or ["Pour " + in_sentence(name)],
                mention=party.signature_mention,
                done_at=(
                    (signatory.place, french_date(signatory.signed_on)) if signatory else ("", "")
                )
                if per_party
                else None,
            )
        )
    return printed


def _group_line(party: Party, parties: list[Party]) -> str:
    """« ensemble ci-après dénommées « l'Université » »: feminine when every member is."""
    members = [p for p in parties if p.group == party.group]
    feminine = all(agree("dénommé", p.display_name).endswith("e") for p in members)
    return f"ensemble ci-après dénommé{'e' if feminine else ''}s « {party.group} »"


def _parties(convention: Convention, amendment: Amendment | None = None):
    """The parties to the document and, per party, its signatory. The convention: its
    parties as signed (not those that joined it later by an avenant). An avenant: the
    parties that sign it (those that join or leave by it among them)."""
    signatories = {
        s.party_id: s
        for s in Signatory.objects.filter(party__convention=convention, amendment=amendment)
    }
    parties = Party.objects.filter(convention=convention)
    if amendment is None:
        parties = parties.filter(joined_by=None)
    elif signatories:
        parties = parties.filter(pk__in=list(signatories))
    else:  # no signatory recorded yet: the parties bound when it is made, and its newcomers
        parties = parties.filter(
            Q(joined_by=None) | Q(joined_by__signed_on__isnull=False) | Q(joined_by=amendment)
        ).exclude(
            withdrawal_record__amendment__signed_on__isnull=False,
            withdrawal_record__amendment__number__lt=amendment.number,
        )
    parties = list(parties.select_related("organisation").order_by("position", "pk"))
    return parties, signatories


def _contact_groups(convention: Convention, parties: list[Party]) -> list[ContactGroup]:
    """The convention's correspondents, grouped by organisation in the parties' order."""
    rank = {party.organisation_id: party.position for party in parties}
    contacts = Contact.objects.filter(convention=convention).select_related(
        "person", "organisation"
    )
    groups: dict[int, ContactGroup] = {}
    for contact in sorted(
        contacts, key=lambda c: (rank.get(c.organisation_id, 999), c.position, c.pk)
    ):
        group = groups.setdefault(
            contact.organisation_id, ContactGroup(str(contact.organisation), [])
        )
        group.contacts.append(contact)
    return list(groups.values())


def _axes_by_annex(convention: Convention, parties: list[Party]) -> dict[int, list[Axis]]:
    """The action plan printed by each annex, as axes of actions in the document's order;
    `action.by_party` is what each party does, in the parties' order ("" for nothing)."""
    actions = (
        Action.objects.filter(plan__convention=convention, plan__annex__isnull=False)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=ActionContribution.objects.order_by("pk"),
            )
        )
        .order_by("plan_id", "number")
    )
    by_annex: dict[int, list[Axis]] = {}
    for action in actions:
        texts = {c.party_id: c.text for c in action.contributions.all()}
        action.by_party = [texts.get(party.pk, "") for party in parties]
        axes = by_annex.setdefault(action.plan.annex_id, [])
        if not axes or axes[-1].name != action.axis:
            axes.append(Axis(action.axis, []))
        axes[-1].actions.append(action)
    return by_annex


def printed_commitments(convention: Convention, amendment: Amendment | None = None) -> list:
    """The financial commitments the convention itself makes (or `amendment`), as printed:
    who pays whom, what, how much, when, on which budget line (two queries)."""
    commitments = list(
        FinancialCommitment.objects.filter(convention=convention, amendment=amendment)
        .select_related("payer__organisation", "payee__organisation")
        .prefetch_related(
            Prefetch("instalments", queryset=Instalment.objects.order_by("due_on", "pk"))
        )
        .order_by("pk")
    )
    for commitment in commitments:
        commitment.schedule = [
            (french_date(i.due_on), euros(i.amount)) for i in commitment.instalments.all()
        ]
    return commitments


def _annexes(convention, parties):
    annexes = list(Annex.objects.filter(convention=convention).order_by("position"))
    kinds = {annex.kind for annex in annexes}
    contact_groups = _contact_groups(convention, parties) if AnnexKind.CONTACTS in kinds else []
    axes = _axes_by_annex(convention, parties) if AnnexKind.ACTION_PLAN in kinds else {}
    money = printed_commitments(convention) if AnnexKind.FINANCIAL in kinds else []
    for number, annex in enumerate(annexes, start=1):
        annex.number = number
        annex.contact_groups = contact_groups if annex.kind == AnnexKind.CONTACTS else []
        annex.commitments = money if annex.kind == AnnexKind.FINANCIAL else []
        annex.axes = axes.get(annex.pk, [])
        annex.printed_tables = [
            {
                "caption": table.get("caption") or "",
                "columns": table.get("columns") or [],
                "rows": table.get("rows") or [],
            }
            for table in annex.tables or []
        ]
    return annexes


def _articles(convention):
    articles = convention.numbered_articles()
    for article in articles:
        article.label = Article.label(article.kind, article.number)
    return articles


def _signature_line(place: str, signed_on) -> tuple[str, str]:
    return place, french_date(signed_on)


def holds_signed_text(convention: Convention) -> bool:
    """Whether the application holds the whole text the parties signed, so that it may
    generate, store and serve a PDF as the signed copy: a convention with its articles.

    A convention without any (METROPOLE-PE-2018, known only through its avenant n°1: an
    editorial note, no article; one recorded from its scan alone) has only part of its text
    here: its signed document is its original, its scan filed on its documents page. It still
    prints, as a plain PDF marked « ce n'est pas l'exemplaire signé » on every page, never as
    an archival PDF/A, and nothing is stored as its signed copy (`signed.store_signed_pdf`)."""
    return convention.articles.exists()


def convention_context(
    convention: Convention, *, today: datetime.date | None = None, signed_here: bool = False
) -> dict:
    """Everything the printed convention shows. Eight queries at most. `signed_here`: the
    copy stored when its last party signs in the application; any other print of a signed
    convention is a reconstitution and says so."""
    parties, signatories = _parties(convention)
    articles = _articles(convention)
    is_draft = not convention.is_signed
    # Signed, but without its articles: the text printed is not the signed copy (the
    # articles are read here anyway: `holds_signed_text` without a query).
    not_signed_copy = convention.is_signed and not articles
    place, date = _signature_line(convention.signature_place, convention.signed_on)
    kind_label = ConventionKind(convention.kind).label
    return {
        "convention": convention,
        "document_title": convention.title,
        "subject": _subject(convention, not_signed_copy=not_signed_copy),
        "author": academy_author(),
        **letterhead_context(convention, parties),
        "kind_label": kind_label,
        # The title as written, or the house one: the kind, in capitals.
        "printed_title": convention.document_title or kind_label.upper(),
        "cover_title": convention.document_title or kind_label,
        "cover_lines": _lines(convention.cover),
        "parties_intro": convention.parties_intro,
        "parties_outro": convention.parties_outro,
        "articles_intro": convention.articles_intro,
        "closing": _paragraphs(convention.closing),
        "per_party": convention.signatures_per_party,
        "is_reconstitution": convention.is_signed and not signed_here,
        "parties": printed_parties(
            parties,
            signatories,
            convention.signed_on,
            place,
            per_party=convention.signatures_per_party,
        ),  # fmt: skip
        "articles": articles,
        "with_contents": bool(articles) and articles[0].kind == ArticleKind.TITLE,
        "annexes": _annexes(convention, parties),
        "signature_place": place,
        "signature_date": date,
        "originals": convention.originals_in_words(len(parties)),
        "footer_title": convention.short_title,
        "requires_initials": convention.requires_initials,
        "is_draft": is_draft,
        "not_signed_copy": not_signed_copy,
        "generated_on": french_date(today or timezone.localdate())
        if is_draft or not_signed_copy
        else "",
    }


def _subject(convention: Convention, *, not_signed_copy: bool = False) -> str:
    kind = ConventionKind(convention.kind).label
    if not_signed_copy:
        return f"{kind} : texte connu, pas l'exemplaire signé ({convention.reference})"
    if convention.signed_on:
        return f"{kind} signée le {french_date(convention.signed_on)} ({convention.reference})"
    return f"Projet de {kind[:1].lower()}{kind[1:]} ({convention.reference})"


def amendment_context(amendment: Amendment, *, today: datetime.date | None = None) -> dict:
    """Everything the printed avenant shows: parties, what it changes, its signatures."""
    convention = amendment.convention
    parties, signatories = _parties(convention, amendment)
    numbers = {a.pk: a for a in _articles(convention)}
    changes = list(amendment.changes.order_by("pk"))
    for change in changes:
        change.target = numbers.get(change.article_id)
        change.sentence = _change_sentence(change)
    membership = _membership_sentences(amendment)
    is_draft = amendment.signed_on is None
    place, date = _signature_line(amendment.signature_place, amendment.signed_on)
    title = f"Avenant N°{amendment.number}"
    return {
        "amendment": amendment,
        "convention": convention,
        "document_title": f"{title} à la {_lower_first(convention.title)}",
        "subject": f"{title} — {amendment.title} ({convention.reference})",
        "author": academy_author(),
        **letterhead_context(convention, parties),
        "title": title,
        "convention_title": _lower_first(convention.title),
        "convention_signed_on": french_date(convention.signed_on),
        "parties": printed_parties(parties, signatories, amendment.signed_on, place),
        # An avenant drafted here prints the house formulas.
        "parties_intro": "Entre les soussignés",
        "parties_outro": "",
        "closing": [],
        "per_party": False,
        "changes": changes,
        "membership": membership,
        "commitments": printed_commitments(convention, amendment),
        "signature_place": place,
        "signature_date": date,
        "originals": convention.originals_in_words(len(parties)),
        "footer_title": f"{title} — {convention.short_title}",
        "requires_initials": convention.requires_initials,
        "is_draft": is_draft,
        "not_signed_copy": False,
        "generated_on": french_date(today or timezone.localdate()) if is_draft else "",
    }


def _membership_sentences(amendment: Amendment) -> list[str]:
    """What the avenant does to the parties: « X adhère à la convention à compter du … »,
    « Y cesse d'être partie à la convention à compter du … »."""
    start = (
        f"à compter du {french_date(amendment.effective_date)}"
        if amendment.effective_date
        else "à compter de la signature du présent avenant"
    )
    sentences = []
    for party in amendment.parties_added.select_related("organisation").order_by("position"):
        designation = (
            f", ci-après dénommé{_feminine(party)} « {party.designation} »,"
            if (party.designation)
            else ""
        )
        sentences.append(
            f"{_upper_first(party.display_name)}{designation} adhère à la convention {start}, "
            "dans les conditions qu'elle prévoit, et devient partie à celle-ci."
        )
    for withdrawal in amendment.withdrawals.select_related("party__organisation").order_by("pk"):
        on = f"à compter du {french_date(withdrawal.on)}" if withdrawal.on else start
        sentences.append(
            f"{_upper_first(withdrawal.party.display_name)} cesse d'être partie à la "
            f"convention {on}."
        )
    return sentences


def _feminine(party: Party) -> str:
    return "e" if agree("dénommé", party.display_name).endswith("e") else ""


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _article_name(article) -> str:
    """ "l'article 3", "le titre 2", "l'article 2.1"."""
    if article is None:
        return "l'article visé"
    if article.kind == ArticleKind.TITLE:
        return f"le titre {article.number}"
    return f"l'article {article.number}"


def _change_sentence(change) -> str:
    target = change.target
    named = _article_name(target)
    heading = f" « {target.heading} »" if target is not None and target.heading else ""
    if change.kind == ArticleChangeKind.REPLACE:
        return (
            f"{named[:1].upper()}{named[1:]}{heading} est remplacé par les dispositions suivantes :"
        )
    if change.kind == ArticleChangeKind.REMOVE:
        return f"{named[:1].upper()}{named[1:]}{heading} est supprimé."
    if target is None:
        return "Il est ajouté à la convention un article ainsi rédigé :"
    return f"Après {named}{heading}, il est inséré un article ainsi rédigé :"


# --- HTML ------------------------------------------------------------------------------


def convention_html(
    convention: Convention, *, today: datetime.date | None = None, signed_here: bool = False
) -> str:
    return render_to_string(
        "print/convention.html",
        convention_context(convention, today=today, signed_here=signed_here),
    )


def amendment_html(
    amendment: Amendment, *, today: datetime.date | None = None, signed_here: bool = False
) -> str:
    context = amendment_context(amendment, today=today)
    context["is_reconstitution"] = amendment.signed_on is not None and not signed_here
    return render_to_string("print/amendment.html", context)


def structured_data(convention: Convention) -> dict:
    """The data attached to a signed PDF (JSON): the convention in the interchange format
    (docs/format.md), every key included (preamble, parties, articles, annexes, contacts,
    its avenants, ...), as `interchange` writes it (`conventions.extensions.convention_data`).
    `load_conventions` reads it back. As it stands when the PDF is written: an avenant's
    PDF carries its convention, that avenant and those before it included."""
    return convention_data(convention)


# --- PDF -------------------------------------------------------------------------------


@cache
def _ssl_context():
    import ssl

    return ssl.create_default_context()


def print_asset(url: str) -> Path | None:
    """The file of `PRINT_ASSETS` that `url` names, or None: a `file:` URL of a regular file
    inside that folder once every `..` and symbolic link is resolved; nothing else."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(url2pathname(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(PRINT_ASSETS.resolve()) or not path.is_file():
        return None
    return path


def stored_logo(url: str) -> bytes | None:
    """The letterhead's logo that a `stored:letterheads/<name>` URL names (a PNG or JPEG
    checked when uploaded), read from the stored files; None for any other URL, a name
    with a folder or `..` in it, or a logo missing from the storage."""
    match = STORED_LOGO.fullmatch(unquote(url))
    if match is None or ".." in match[1]:
        return None
    storage = Letterhead._meta.get_field("logo").storage
    try:
        with storage.open(match[1], "rb") as stored:
            return stored.read()
    except OSError:
        logger.error("Letterhead logo missing from the storage: %s", match[1])
        return None


def print_url_fetcher():
    """What WeasyPrint may load while printing: our own print assets (`static/print/`) and
    the letterheads' logos (`stored_logo`), and nothing else: no other local file
    (`file:///etc/...`, `/dev/zero`), no network, no `data:`. Each refusal is logged; the
    document prints without the resource."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class PrintAssetFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            logo = stored_logo(url)
            if logo is not None:
                content_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=logo, headers={"Content-Type": content_type})
            path = print_asset(url)
            if path is None:
                logger.warning("Print resource refused: %s", url[:300])
                raise ValueError(f"Print resource refused: {url[:300]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    # The SSL context is built once (WeasyPrint's default builds one per document), though
    # this fetcher never opens a connection.
    return PrintAssetFetcher(ssl_context=_ssl_context(), allowed_protocols=("file",))


@cache
def print_css_text() -> str:
    path = finders.find(PRINT_CSS)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


# The signed copy's PDF/A level (ISO 19005-3). WeasyPrint tags every printed document (see
# `write_pdf`), but the `a` level asks more than tags: every figure's alternative text, a
# role map for what is not a standard structure type, table headers bound to their cells;
# nothing here checks that (no veraPDF in the tests). We claim `b`, which the file meets.
ARCHIVAL_VARIANT = "pdf/a-3b"
# What `write_pdf` does beyond the HTML and the stylesheet: change it with the options.
RENDERER = f"tagged|{ARCHIVAL_VARIANT}"


@cache
def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def write_pdf(html: str, *, archival_data: dict | None = None, data_name: str = "") -> bytes:
    """The PDF of a printed HTML document: tagged (a structure tree in reading order, the
    language of `<html lang>`, the `<title>` shown as the window's title), for screen readers.

    With `archival_data`: PDF/A-3b, the data attached as a JSON file (AFRelationship Data),
    its creation date in the information dictionary and in the XMP metadata alike.
    Every resource the HTML or the stylesheet asks for goes through `print_url_fetcher`.
    """
    from weasyprint import CSS, HTML, Attachment

    fetcher = print_url_fetcher()
    base_url = PRINT_ASSETS.as_uri() + "/"
    stylesheet = CSS(string=print_css_text(), base_url=base_url, url_fetcher=fetcher)
    options = {"stylesheets": [stylesheet], "pdf_tags": True}
    if archival_data is not None:
        payload = json.dumps(archival_data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        options["pdf_variant"] = ARCHIVAL_VARIANT
        options["attachments"] = [
            Attachment(
                string=payload,
                name=data_name or "convention.json",
                description="La convention au format d'échange (docs/format.md)",
                relationship="Data",
            )
        ]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**options)
    if archival_data is not None:
        # WeasyPrint writes the same date as /CreationDate and xmp:CreateDate (and as the
        # modification date, which the seal's revision moves forward in both).
        created = timezone.localtime().replace(microsecond=0).isoformat()
        document.metadata.created = document.metadata.modified = created
    return document.write_pdf(**options)


def content_key(html: str, data: dict | None = None) -> str:
    """What identifies a rendering: the printed HTML, the stylesheet it uses, and the data
    attached to it (which holds more than the text prints: payments, meetings, ...)."""
    digest = hashlib.sha256(html.encode())
    digest.update(print_css_text().encode())
    # And how it is rendered: a PDF cached by an older renderer (untagged, another
    # WeasyPrint) is not served after an upgrade.
    digest.update(f"{RENDERER}|{weasyprint_version()}".encode())
    if data is not None:
        digest.update(json.dumps(data, cls=DjangoJSONEncoder).encode())
    return digest.hexdigest()


def convention_pdf(convention: Convention) -> bytes:
    """The convention as it prints now: a draft (marked PROJET), or, signed, a
    reconstitution of its text (said so on its first page; marked as not the signed copy
    when the application does not hold its articles), a plain PDF without attached data.

    Rendered here, at once: the pages render it in the worker and keep it by content
    (`documents.delivery`). The signed copy itself is stored once, after its last party
    signs here, by `documents.store_signed_pdf`, and served instead of this."""
    return write_pdf(convention_html(convention))


def amendment_pdf(amendment: Amendment) -> bytes:
    """An avenant as it prints now (its signed copy, stored after its signature, is served
    instead when there is one)."""
    return write_pdf(amendment_html(amendment))
