from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import PASSWORD, login, make_org, make_user, post_form


def _pending(confirmed=True):
    org = make_org(OrgKind.employer, name="Briefkasten GmbH", status=OrgStatus.pending)
    return org, make_user(org, Role.employer_admin, confirmed=confirmed)


def _status(org):
    return run(Organisation.select(Organisation.status).where(Organisation.id == org.id).first())


def test_it_rejects_with_a_reason_that_the_mail_carries(client, operator, mailbox):
    org, user = _pending()
    login(client, operator.email)
    response = post_form(
        client,
        f"/admin/organisations/{org.id}/reject",
        {"reason": "Kein Betrieb in unserer Region."},
    )
    assert response.status_code == 200
    assert "Briefkasten GmbH wurde abgelehnt." in response.text
    assert _status(org)["status"] == OrgStatus.rejected
    message = mailbox.last_to(user.email)
    assert message["Subject"] == "Ihre Registrierung wurde nicht freigegeben"
    assert "Kein Betrieb in unserer Region." in message.get_content()
    event = run(AuditEvent.select().where(AuditEvent.action == "organisation.rejected").first())
    assert event["record_id"] == str(org.id)
    # The audit log keeps that a reason was given, not the text.
    assert "Region" not in str(event["detail"])


def test_it_rejects_without_a_reason(client, operator, mailbox):
    org, user = _pending()
    login(client, operator.email)
    post_form(client, f"/admin/organisations/{org.id}/reject", {})
    assert "Begründung" not in mailbox.last_to(user.email).get_content()


def test_it_keeps_the_rejected_user_out(client, operator):
    org, user = _pending()
    login(client, operator.email)
    post_form(client, f"/admin/organisations/{org.id}/reject", {"reason": "Nein."})
    client.cookies.clear()
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "portal_session" not in client.cookies


def test_it_mails_no_one_whose_address_is_unconfirmed(client, operator, mailbox):
    org, _user = _pending(confirmed=False)
    login(client, operator.email)
    post_form(client, f"/admin/organisations/{org.id}/reject", {"reason": "Unbekannt."})
    assert _status(org)["status"] == OrgStatus.rejected
    assert mailbox.messages == []


def test_it_refuses_to_reject_an_active_organisation(client, operator):
    org = make_org(OrgKind.employer)
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/reject", {})
    assert "Nur eine Registrierung, die auf Freigabe wartet, kann abgelehnt werden." in (
        response.text
    )
    assert _status(org)["status"] == OrgStatus.active


def test_it_refuses_an_overlong_reason(client, operator, mailbox):
    org, _user = _pending()
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/reject", {"reason": "x" * 2001})
    assert "Bitte verwenden Sie höchstens 2000 Zeichen." in response.text
    assert _status(org)["status"] == OrgStatus.pending
    assert mailbox.messages == []
