"""/partenaires/<pk>/fusionner/: a gestionnaire chooses the duplicate, sees what will move,
then merges; a lecteur or a partner cannot."""

import pytest
from django.urls import reverse

from partners.models import Organisation
from partners.tests.test_merge import give
from tests.factories import ConventionFactory, OrganisationFactory
from tests.personas import assert_login_redirect, count_queries

pytestmark = pytest.mark.django_db


def urls(kept, duplicate):
    return (
        reverse("partners:merge_choose", args=[kept.pk]),
        reverse("partners:merge", args=[kept.pk, duplicate.pk]),
    )


def test_personas(client, lecteur, partner, gestionnaire, kept, duplicate):
    choose, confirm = urls(kept, duplicate)
    for url in (choose, confirm):
        assert_login_redirect(client.get(url))
        assert_login_redirect(client.post(url))
    for user in (partner, lecteur):
        client.force_login(user)
        for url in (choose, confirm):
            assert client.get(url).status_code == 403
            assert client.post(url).status_code == 403
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    client.force_login(gestionnaire)
    assert client.get(choose).status_code == 200
    assert client.get(confirm).status_code == 200
    assert client.get(reverse("partners:merge", args=[kept.pk, 999999])).status_code == 404


def test_choose_then_confirm_then_merge(manager_client, kept, duplicate, academy):
    give(duplicate, academy)
    choose, confirm = urls(kept, duplicate)
    response = manager_client.get(choose, {"duplicate": duplicate.pk})
    assert response.status_code == 302 and response["Location"] == confirm
    page = manager_client.get(confirm).content.decode()
    for text in ("Parties : 1", "Correspondants : 1", "Mandats : 1", "Utilisateurs du portail : 1",
                 "complétés par ceux du doublon : sigle, SIRET"):  # fmt: skip
        assert text in page
    response = manager_client.post(confirm)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[kept.pk])
    page = manager_client.get(response["Location"]).content.decode()
    assert "« CRESS PACA (doublon) » est fusionnée dans cette organisation" in page
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    page = manager_client.get(reverse("partners:history", args=[kept.pk])).content.decode()
    assert "Fusion : « CRESS PACA (doublon) »" in page and "Repris : mandats : 1" in page


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_a_wrong_choice_is_said_in_french(manager_client, kept, value):
    response = manager_client.get(
        reverse("partners:merge_choose", args=[kept.pk]), {"duplicate": value}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choisissez l&#x27;organisation en double." in content or "n&#x27;existe pas" in content


def test_a_refused_merge_says_why_and_offers_no_button(manager_client, kept, duplicate, academy):
    ConventionFactory(parties=[academy, kept, duplicate])
    choose, confirm = urls(kept, duplicate)
    page = manager_client.get(confirm).content.decode()
    assert "La fusion est impossible" in page and 'data-testid="merge-form"' not in page
    response = manager_client.post(confirm)
    assert response.status_code == 200
    assert "ont chacune une « partie » pour" in response.content.decode()
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    # Itself: refused too.
    page = manager_client.get(reverse("partners:merge", args=[kept.pk, kept.pk])).content
    assert "Choisissez une autre organisation" in page.decode()


def test_the_queries_do_not_grow_with_what_moves(manager_client, academy):
    def pair(size):
        kept, duplicate = OrganisationFactory(), OrganisationFactory(short_name="")
        for _ in range(size):
            give(duplicate, academy)
        return urls(kept, duplicate)

    small, large = pair(1), pair(6)
    manager_client.get(small[0])
    # The session, its user, the manager check, the organisation, the choices.
    assert count_queries(manager_client, small[0])[1] == 5
    assert count_queries(manager_client, large[0])[1] == 5
    # The same, the duplicate; a count per kind of row (5, letterheads included) and a check
    # per unique rule that includes the organisation (2).
    assert count_queries(manager_client, small[1])[1] == 12
    assert count_queries(manager_client, large[1])[1] == 12
    _, few = count_queries(manager_client, small[1], method="post")
    _, many = count_queries(manager_client, large[1], method="post")
    assert few == many
