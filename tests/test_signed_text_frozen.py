"""A signed convention's text and its signed PDF cannot change by any path (issue 9):
the database refuses it (migration 0007), and the admin shows it read-only."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conventions.models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    Convention,
    Party,
    Signatory,
)
from documents import signed as documents
from documents.models import SignedDocument
from echeancier.refresh import refresh_schedule
from tests.factories import (
    AmendmentFactory,
    ArticleFactory,
    ConventionFactory,
    OrganisationFactory,
    UserFactory,
    sign,
)

pytestmark = pytest.mark.django_db


def refused(action):
    with pytest.raises(IntegrityError, match="signed_text_frozen"), transaction.atomic():
        action()


@pytest.fixture
def signed():
    convention = ConventionFactory()
    ArticleFactory(convention=convention, heading="Objet", body="Texte signé.")
    Annex.objects.create(convention=convention, position=1, title="Contacts")
    return sign(convention)


def test_the_text_fields_of_a_signed_convention_are_refused(signed):
    refused(lambda: Convention.objects.filter(pk=signed.pk).update(title="Autre"))
    refused(lambda: Convention.objects.filter(pk=signed.pk).update(preamble="Considérant."))
    refused(lambda: Convention.objects.filter(pk=signed.pk).update(signed_on=None))
    refused(lambda: Convention.objects.filter(pk=signed.pk).update(duration_months=60))
    # What is not the text stays writable: the référent, the computed schedule.
    Convention.objects.filter(pk=signed.pk).update(referent=UserFactory())
    refresh_schedule(signed, today=timezone.localdate())
    signed.refresh_from_db()
    assert signed.status != "draft" and signed.title != "Autre"


def test_articles_annexes_parties_and_signatories_are_refused(signed):
    article = signed.articles.get()
    refused(lambda: Article.objects.filter(pk=article.pk).update(body="Réécrit."))
    refused(lambda: ArticleFactory(convention=signed))
    refused(lambda: Annex.objects.filter(convention=signed).update(title="Autre"))
    refused(lambda: Party.objects.filter(convention=signed).update(designation="X"))
    refused(lambda: Party.objects.create(convention=signed, organisation=OrganisationFactory(),
                                         position=9))  # fmt: skip
    signatory = Signatory.objects.filter(party__convention=signed).first()
    refused(lambda: Signatory.objects.filter(pk=signatory.pk).update(name="Autre"))
    assert Article.objects.get(pk=article.pk).body == "Texte signé."


def test_a_draft_stays_writable():
    draft = ConventionFactory()
    article = ArticleFactory(convention=draft)
    Article.objects.filter(pk=article.pk).update(body="Nouveau.")
    Convention.objects.filter(pk=draft.pk).update(title="Nouveau titre")
    assert Article.objects.get(pk=article.pk).body == "Nouveau."


def test_a_signed_avenant_is_frozen_but_a_new_one_can_be_written(signed):
    amendment = AmendmentFactory(convention=signed, number=1)
    ArticleChange.objects.create(amendment=amendment, kind="add", body="Ajout.")
    party = signed.parties.first()
    Signatory.objects.create(party=party, amendment=amendment, name="N", title="T")
    sign(amendment, datetime.date(2012, 1, 1))
    refused(lambda: Amendment.objects.filter(pk=amendment.pk).update(body="Autre"))
    refused(lambda: ArticleChange.objects.create(amendment=amendment, kind="add", body="X"))
    refused(lambda: ArticleChange.objects.filter(amendment=amendment).update(body="X"))
    second = AmendmentFactory(convention=signed, number=2)
    ArticleChange.objects.create(amendment=second, kind="add", body="Encore.")


def test_a_stored_signed_pdf_is_never_rewritten(signed):
    document = documents.store_signed_pdf(signed)
    refused(lambda: SignedDocument.objects.filter(pk=document.pk).update(sha256="0" * 64))
    refused(lambda: SignedDocument.objects.filter(pk=document.pk).update(file="autre.pdf"))
    assert SignedDocument.objects.get(pk=document.pk).matches_fingerprint()


def test_the_admin_shows_a_signed_convention_read_only(client, signed):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:conventions_convention_change", args=[signed.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()  # shown, not editable
    article = signed.articles.get()
    article_url = reverse("admin:conventions_article_change", args=[article.pk])
    response = client.post(article_url, {"body": "Réécrit."})
    assert response.status_code in (200, 403)
    assert Article.objects.get(pk=article.pk).body == "Texte signé."
    delete_url = reverse("admin:conventions_convention_delete", args=[signed.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Convention.objects.filter(pk=signed.pk).exists()
