import pytest

from portal.accounts.tables import OrgKind, OrgStatus, Role, User
from tests.conftest import run
from tests.factories import link_from, login, make_org, make_user, post_form


def _invite(client, org, **fields):
    data = {
        "display_name": "Iris Kammer",
        "email": "iris@ihk.example.org",
        "role": "statistics_viewer",
    }
    return post_form(client, f"/admin/organisations/{org.id}/users", {**data, **fields})


def test_it_invites_a_second_user_into_a_chamber(client, mailbox, operator):
    chamber = make_org(OrgKind.chamber, name="IHK Beispiel")
    login(client, operator.email)
    response = _invite(client, chamber)
    assert response.status_code == 200
    assert "Wir haben eine Einladung an iris@ihk.example.org gesendet." in response.text
    user = run(User.select().where(User.email == "iris@ihk.example.org").first())
    assert user["role"] == Role.statistics_viewer
    assert user["organisation"] == chamber.id
    assert link_from(mailbox.last_to("iris@ihk.example.org")).startswith("/invite/")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "team_lead"}, "Bitte wählen Sie eine der Möglichkeiten aus."),
        ({"email": "no-address"}, "Bitte geben Sie eine gültige E-Mail-Adresse ein"),
        ({"display_name": ""}, "Bitte füllen Sie dieses Feld aus."),
    ],
)
def test_it_refuses_a_wrong_invitation_and_creates_nothing(
    client, mailbox, operator, fields, message
):
    chamber = make_org(OrgKind.chamber)
    login(client, operator.email)
    response = _invite(client, chamber, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert run(User.count().where(User.organisation == chamber.id)) == 0
    assert mailbox.messages == []


def test_it_refuses_an_address_that_has_an_account(client, mailbox, operator):
    chamber = make_org(OrgKind.chamber)
    taken = make_user(make_org(), Role.employer_member, email="iris@ihk.example.org")
    login(client, operator.email)
    response = _invite(client, chamber)
    assert response.status_code == 400
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in response.text
    assert run(User.count().where(User.email == taken.email)) == 1


def test_it_refuses_to_invite_into_a_pending_organisation(client, operator):
    pending = make_org(OrgKind.employer, status=OrgStatus.pending)
    login(client, operator.email)
    response = _invite(client, pending, role="employer_member")
    assert response.status_code == 400
    assert not run(User.exists().where(User.organisation == pending.id))


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.case_management, Role.team_lead),
        (OrgKind.employer, Role.employer_admin),
    ],
)
def test_it_refuses_everyone_but_operators(client, kind, role):
    chamber = make_org(OrgKind.chamber)
    login(client, make_user(make_org(kind), role).email)
    assert _invite(client, chamber).status_code == 403
    assert not run(User.exists().where(User.email == "iris@ihk.example.org"))


def test_it_answers_404_for_an_unknown_organisation(client, operator):
    login(client, operator.email)
    response = post_form(
        client, "/admin/organisations/00000000-0000-0000-0000-000000000000/users", {}
    )
    assert response.status_code == 404
