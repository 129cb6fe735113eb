from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import link_from, login, make_org, make_user, post_form


def _pending(confirmed=True, language="de"):
    org = make_org(OrgKind.employer, name="Metallbau Kruse GmbH", status=OrgStatus.pending)
    return org, make_user(org, Role.employer_admin, confirmed=confirmed, language=language)


def _org(org):
    return run(Organisation.select().where(Organisation.id == org.id).first())


def test_it_approves_a_registration_and_tells_its_users(client, operator, mailbox):
    org, user = _pending()
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/approve", {})
    assert response.status_code == 200
    assert "Metallbau Kruse GmbH wurde freigegeben." in response.text
    assert _org(org)["status"] == OrgStatus.active
    assert _org(org)["decided_at"] is not None
    message = mailbox.last_to(user.email)
    assert message["Subject"] == "Ihre Registrierung wurde freigegeben"
    assert "Metallbau Kruse GmbH" in message.get_content()
    assert link_from(message) == "/login"
    event = run(AuditEvent.select().where(AuditEvent.action == "organisation.approved").first())
    assert event["record_id"] == str(org.id) and event["actor_id"] == operator.id


def test_it_writes_to_each_user_in_their_language(client, operator, mailbox):
    org, user = _pending(language="en")
    login(client, operator.email)
    post_form(client, f"/admin/organisations/{org.id}/approve", {})
    assert mailbox.last_to(user.email)["Subject"] == "Your registration has been approved"


def test_it_returns_to_the_filtered_list_when_approved_from_there(client, operator):
    org, _user = _pending()
    login(client, operator.email)
    response = post_form(
        client,
        f"/admin/organisations/{org.id}/approve",
        {"next": "/admin/organisations?status=pending"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/organisations?status=pending"


def test_it_refuses_to_approve_an_active_organisation(client, operator, mailbox):
    org = make_org(OrgKind.employer, name="Schon Aktiv GmbH")
    make_user(org, Role.employer_admin)
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/approve", {})
    assert "Nur eine Registrierung, die auf Freigabe wartet, kann freigegeben werden." in (
        response.text
    )
    assert "Ihr Status ist: Aktiv." in response.text
    assert _org(org)["decided_at"] is None
    assert mailbox.messages == []
    assert not run(AuditEvent.exists().where(AuditEvent.action == "organisation.approved"))


def test_it_refuses_to_approve_before_the_address_is_confirmed(client, operator, mailbox):
    org, _user = _pending(confirmed=False)
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/approve", {})
    assert "Die E-Mail-Adresse ist nicht bestätigt." in response.text
    assert _org(org)["status"] == OrgStatus.pending
    assert mailbox.messages == []


def test_it_swaps_only_the_status_block_for_htmx(client, operator):
    org, _user = _pending()
    login(client, operator.email)
    response = post_form(
        client, f"/admin/organisations/{org.id}/approve", {}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="org-status"')
    assert "<html" not in response.text
    assert "wurde freigegeben" in response.text
    assert f"/admin/organisations/{org.id}/suspend" in response.text
    assert _org(org)["status"] == OrgStatus.active


def test_it_shows_a_refusal_in_the_status_block_for_htmx(client, operator):
    org, _user = _pending(confirmed=False)
    login(client, operator.email)
    response = post_form(
        client, f"/admin/organisations/{org.id}/approve", {}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "kern-alert--danger" in response.text
    assert "Die E-Mail-Adresse ist nicht bestätigt." in response.text
