"""The printed convention says what was signed: its own title, formulas, parties' wording,
closing and letterhead; the signature block never alone on its page; proper names never
broken at their hyphens (issue 17, points 1 to 3)."""

import datetime
import re

import pytest
from django.urls import reverse

from conventions.models import Amendment, Article, Convention
from documents import printing
from partners.models import Letterhead
from tests.factories import ArticleFactory, ConventionFactory, OrganisationFactory, sign
from tests.pdftext import body_text, normalise, pages_text

pytestmark = pytest.mark.django_db

SEEDS = ["ORM-DONNEES", "CITE-METIERS", "CGPME-AGEFA", "METROPOLE-PE-DONNEES", "CRESS-PACA-2010"]


def _text(convention):
    return body_text(printing.convention_pdf(convention), [convention.short_title, "Paraphes :"])


def test_each_seed_prints_its_own_wording(demo):
    cress = _text(Convention.objects.get(reference="CRESS-PACA-2010"))
    assert (
        normalise(
            "Effectuée en deux exemplaires originaux, signés le 17 mai 2010 à Aix-en-Provence"
        )
        in cress
    )
    assert "il a été convenu ce qui suit" not in cress
    assert "convention cadre de partenariat" in cress

    cgpme = _text(Convention.objects.get(reference="CGPME-AGEFA"))
    assert "il a été expressément convenu et arrêté ce qui suit" in cgpme
    assert "convention de partenariat" in cgpme and "cadre" not in cgpme.split("entre les")[0]

    donnees = _text(Convention.objects.get(reference="METROPOLE-PE-DONNEES"))
    assert (
        normalise("AVENANT N°1 CONVENTION D'APPLICATION RELATIVE A L'ECHANGE DE DONNEES") in donnees
    )
    assert normalise("Ci-après dénommés ensemble « les parties »") in donnees
    assert "(à revêtir du cachet de l'organisme)" in donnees
    assert "signature du représentant de pôle emploi" in donnees
    # Its formula comes after the « Vu … » of its preamble, as in the text.
    assert donnees.index("vu le code du travail") < donnees.index(
        "il est convenu entre les parties ce qui suit"
    )

    orm = _text(Convention.objects.get(reference="ORM-DONNEES"))
    assert "faisant élection de domicile" in orm
    assert "pour l'etat, le recteur de l'académie d'aix marseille" in orm


def test_the_letterhead_is_the_one_of_its_time_and_none_without_the_academie(demo):
    first_page = {
        reference: normalise(pages_text(printing.convention_pdf(c))[0])
        for reference, c in (
            (r, Convention.objects.get(reference=r)) for r in SEEDS + ["METROPOLE-PE-2018"]
        )
    }
    # 2010: the ministries of the time, no « région académique ».
    for reference in ("ORM-DONNEES", "CRESS-PACA-2010"):
        assert "ministère de l'éducation nationale" in first_page[reference]
        assert "région académique" not in first_page[reference]
    assert "vie associative" in first_page["ORM-DONNEES"]
    assert "vie associative" not in first_page["CRESS-PACA-2010"]
    assert "région académique" in first_page["CITE-METIERS"]
    # A Métropole–Pôle emploi text carries none of ours; CGPME's text has none.
    for reference in ("METROPOLE-PE-2018", "METROPOLE-PE-DONNEES", "CGPME-AGEFA"):
        assert "ministère" not in first_page[reference], reference
    avenant = Amendment.objects.get(convention__reference="METROPOLE-PE-2018")
    assert "ministère" not in normalise(pages_text(printing.amendment_pdf(avenant))[0])


def test_the_avenant_prints_its_signatories(demo):
    avenant = Amendment.objects.get(convention__reference="METROPOLE-PE-2018", number=1)
    text = body_text(printing.amendment_pdf(avenant), [avenant.convention.short_title])
    signatures = text[text.index("fait à") :]
    assert "jean-charles blanc" in signatures and "martine vassal" in signatures


def test_a_new_convention_gets_the_house_wording_and_the_letterhead_in_force():
    academy = OrganisationFactory(academy=True)
    Letterhead.objects.create(
        organisation=academy, name="Ancien", valid_from=datetime.date(2000, 1, 1),
        valid_until=datetime.date(2011, 12, 31), text="MINISTÈRE ANCIEN",
    )  # fmt: skip
    Letterhead.objects.create(
        organisation=academy, name="Actuel", valid_from=datetime.date(2012, 1, 1),
        text="RÉGION ACADÉMIQUE\nPROVENCE\n\nMINISTÈRE ACTUEL",
    )  # fmt: skip
    convention = ConventionFactory(parties=[academy, OrganisationFactory()])
    ArticleFactory(convention=convention, body="Texte.")
    html = printing.convention_html(convention)
    assert "Entre les soussignés" in html and "il a été convenu ce qui suit" in html
    assert "MINISTÈRE ACTUEL" in html and "MINISTÈRE ANCIEN" not in html
    assert "exemplaires originaux" in html and "Reconstitution" not in html
    # Signed in 2010 (outside the application): the head of 2010, and said to be rebuilt.
    sign(convention, datetime.date(2010, 6, 1))
    html = printing.convention_html(convention)
    assert "MINISTÈRE ANCIEN" in html and "MINISTÈRE ACTUEL" not in html
    assert "Reconstitution du texte signé" in html
    assert "Reconstitution" not in printing.convention_html(convention, signed_here=True)
    # None when the académie is not a party.
    other = ConventionFactory(parties=[OrganisationFactory(), OrganisationFactory()])
    assert "MINISTÈRE" not in printing.convention_html(other)


def test_staff_edit_the_wording_of_a_draft(manager_client):
    convention = ConventionFactory()
    ArticleFactory(convention=convention)
    url = reverse("conventions:wording", args=[convention.reference])
    page = manager_client.get(url).content.decode()
    assert "Entre les soussignés" in page and "il a été convenu ce qui suit" in page
    data = {
        "document_title": "CONVENTION DE PARTENARIAT",
        "has_cover": "",
        "cover": "",
        "with_letterhead": "on",
        "letterhead": "",
        "parties_intro": "ENTRE",
        "parties_outro": "Ci-après dénommés ensemble « les parties ».",
        "preamble_heading": "PREAMBULE",
        "articles_intro": "",
        "closing": "Effectuée en deux exemplaires originaux.",
        "signatures_per_party": "on",
        "version": convention.version,
    }
    response = manager_client.post(url, data)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.parties_intro, convention.articles_intro) == ("ENTRE", "")
    assert not convention.has_cover and convention.signatures_per_party
    text = normalise(" ".join(pages_text(printing.convention_pdf(convention))))
    assert "il a été convenu" not in text
    assert (
        text.index("convention de partenariat")
        < text.index("entre")
        < text.index(normalise("ci-après dénommés ensemble « les parties »"))
    )
    assert "effectuée en deux exemplaires originaux" in text and text.count("fait à") == 2
    # A stale form is refused, what was typed kept.
    data["parties_intro"] = "Entre les parties"
    response = manager_client.post(url, data)
    assert response.status_code == 200 and 'value="Entre les parties"' in response.content.decode()
    # Signed: the wording no longer changes.
    sign(convention)
    assert manager_client.get(url).status_code == 403


def _page_with(pages: list[str], piece: str) -> int:
    return next(i for i, page in enumerate(pages) if piece in page)


def _last_words(article_body: str) -> str:
    return " ".join(normalise(article_body).split()[-3:])


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 13, 21, 34, 60])
def test_the_signature_block_keeps_the_end_of_the_last_article(count):
    convention = ConventionFactory()
    for position in range(1, count + 1):
        ArticleFactory(
            convention=convention,
            position=position,
            heading=f"Article de taille {position}",
            body="\n\n".join(
                f"Alinéa {n} de l'article {position} : les parties conviennent de se réunir "
                "chaque année pour dresser le bilan des actions conduites ensemble."
                for n in range(1, 2 + position % 4)
            ),
        )
    last = Article.objects.filter(convention=convention).order_by("position").last()
    pages = [normalise(p) for p in pages_text(printing.convention_pdf(convention))]
    signature_page = _page_with(pages, "exemplaires originaux")
    assert _last_words(last.body) in pages[signature_page], (count, signature_page)


@pytest.mark.parametrize("reference", SEEDS)
def test_seeds_keep_the_signature_block_with_the_last_article(demo, reference):
    convention = Convention.objects.get(reference=reference)
    last = convention.numbered_articles()[-1]
    pages = [normalise(p) for p in pages_text(printing.convention_pdf(convention))]
    closing = normalise(convention.closing.splitlines()[0]) if convention.closing else "fait à"
    signature_page = next(i for i, page in enumerate(pages) if closing in page and i > 0)
    assert _last_words(last.body) in pages[signature_page]


@pytest.mark.parametrize("reference", SEEDS)
def test_no_line_ends_inside_a_proper_name(demo, reference):
    convention = Convention.objects.get(reference=reference)
    names = [p.display_name for p in convention.parties.all()] + [
        "Aix-Marseille", "Aix-en-Provence", "Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur",
        "Jean-Paul", "Jean-Charles",
    ]  # fmt: skip
    prefixes = set()
    for name in names:
        for word in re.findall(r"\w+(?:-\w+)+", name):
            parts = word.split("-")
            prefixes |= {"-".join(parts[: i + 1]) + "-" for i in range(len(parts) - 1)}
    pdf = printing.convention_pdf(convention)
    for page in pages_text(pdf):
        for line in page.splitlines():
            line = line.rstrip().replace("\u2011", "-")
            assert not any(line.endswith(prefix) for prefix in prefixes), line


def test_a_letterhead_may_carry_a_logo_and_only_an_image(settings, tmp_path):
    import base64

    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    # A 1x1 PNG.
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    academy = OrganisationFactory(academy=True)
    head = Letterhead(
        organisation=academy, name="Avec logo", valid_from=datetime.date(2000, 1, 1),
        text="MINISTÈRE",
    )  # fmt: skip
    head.logo.save("marianne.png", ContentFile(png), save=False)
    head.full_clean()
    head.save()
    convention = ConventionFactory(parties=[academy, OrganisationFactory()])
    ArticleFactory(convention=convention)
    html = printing.convention_html(convention)
    assert 'class="heading-logo"' in html and "Logo : " in html
    from io import BytesIO

    first = PdfReader(BytesIO(printing.convention_pdf(convention))).pages[0]
    images = [
        name for name, obj in first["/Resources"].get("/XObject", {}).items()
        if obj.get_object()["/Subtype"] == "/Image"
    ]  # fmt: skip
    assert images
    # Not an image: refused, with a French message.
    bad = Letterhead(
        organisation=academy, name="Script", valid_from=datetime.date(2001, 1, 1), text="X"
    )
    bad.logo.save("logo.png", ContentFile(b"<svg onload='alert(1)'/>"), save=False)
    with pytest.raises(ValidationError, match="PNG ou JPEG"):
        bad.full_clean()
