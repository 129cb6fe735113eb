from portal.accounts.tables import Chamber, OrgKind, OrgStatus, Role, SizeClass
from tests.factories import login, make_org, make_user


def test_it_shows_the_details_and_the_users_but_not_their_addresses(client, operator):
    org = make_org(
        OrgKind.employer,
        name="Metallbau Kruse GmbH",
        street="Werkstraße 5",
        postcode="04109",
        city="Leipzig",
        sector="Metallbau",
        size_class=SizeClass.small,
        chamber=Chamber.hwk,
        status=OrgStatus.pending,
    )
    make_user(org, Role.employer_admin, name="Karla Kruse", email="karla@kruse.example.org")
    login(client, operator.email)
    response = client.get(f"/admin/organisations/{org.id}")
    assert response.status_code == 200
    for text in ("Werkstraße 5", "04109 Leipzig", "Metallbau", "10–49 Beschäftigte"):
        assert text in response.text
    assert "Handwerkskammer (HWK)" in response.text and "Wartet auf Freigabe" in response.text
    assert "Karla Kruse" in response.text and "Administrator/in Arbeitgeber" in response.text
    assert "karla@kruse.example.org" not in response.text
    assert "Freigeben" in response.text and "Ablehnen" in response.text


def test_it_offers_no_approval_before_the_address_is_confirmed(client, operator):
    org = make_org(OrgKind.employer, status=OrgStatus.pending)
    make_user(org, Role.employer_admin, confirmed=False)
    login(client, operator.email)
    response = client.get(f"/admin/organisations/{org.id}")
    assert "E-Mail noch nicht bestätigt" in response.text
    assert f"/admin/organisations/{org.id}/approve" not in response.text
    assert f"/admin/organisations/{org.id}/reject" in response.text


def test_it_offers_no_suspension_of_the_operators_own_organisation(client, operator):
    login(client, operator.email)
    response = client.get(f"/admin/organisations/{operator.organisation}")
    assert response.status_code == 200
    assert "/suspend" not in response.text
