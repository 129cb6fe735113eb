from portal.accounts.tables import OrgKind, Role, Token, TokenKind, User
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import csrf_token, link_from, login, make_org, make_user, post_form


def _invite(client, headers=None, **fields):
    data = {"email": "neu@example.org", "display_name": "Nora Neu", "role": "employer_member"}
    return post_form(
        client, "/team", {**data, **fields}, headers=headers or {}, follow_redirects=False
    )


def _user(email):
    return run(User.select().where(User.email == email).first())


def test_it_invites_a_colleague_and_mails_the_link(client, mailbox):
    org = make_org(OrgKind.employer, name="Metallbau Kruse")
    admin = make_user(org, Role.employer_admin, name="Anna Admin")
    login(client, admin.email)
    response = _invite(client, email="Neu@Example.org")
    assert response.status_code == 303
    assert response.headers["location"] == "/team"
    invited = _user("neu@example.org")
    assert invited["organisation"] == org.id
    assert invited["role"] == "employer_member"
    assert invited["password_hash"] == ""
    message = mailbox.last_to("neu@example.org")
    assert message["Subject"] == "Einladung zum Praktikumsportal"
    assert "Anna Admin hat Sie eingeladen, für Metallbau Kruse" in message.get_content()
    assert link_from(message).startswith("/invite/")
    page = client.get("/team")
    assert "Wir haben eine Einladung an neu@example.org gesendet." in page.text
    assert "Nora Neu" in page.text and "Einladung ausstehend" in page.text
    event = run(AuditEvent.select().where(AuditEvent.action == "user.invited").first())
    assert event["record_id"] == str(invited["id"])


def test_it_writes_the_mail_in_the_inviters_language(client, mailbox):
    org = make_org(OrgKind.case_management)
    lead = make_user(org, Role.team_lead, language="en", name="Lena Lead")
    login(client, lead.email)
    _invite(client, role="case_manager")
    message = mailbox.last_to("neu@example.org")
    assert message["Subject"] == "Invitation to the placement portal"
    assert "Lena Lead has invited you" in message.get_content()
    assert _user("neu@example.org")["language"] == "en"


def test_it_swaps_the_list_and_the_form_for_htmx(client, mailbox):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    response = _invite(client, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="team" hx-target="this"')
    assert "<html" not in response.text
    assert "Nora Neu" in response.text
    # The success message takes the focus after the swap; the form is empty again.
    assert 'id="invite-result"' in response.text and "autofocus" in response.text
    assert 'value="neu@example.org"' not in response.text
    assert mailbox.last_to("neu@example.org")


def test_it_says_next_to_the_field_that_the_address_has_an_account(client, mailbox):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    make_user(make_org(), Role.employer_member, email="vergeben@example.org")
    login(client, admin.email)
    response = _invite(client, email="Vergeben@example.org")
    assert response.status_code == 400
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in response.text
    assert 'aria-invalid="true"' in response.text
    assert run(User.count().where(User.organisation == org.id)) == 1
    assert mailbox.to("vergeben@example.org") == []


def test_it_returns_the_form_with_messages_for_htmx(client, mailbox):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    response = _invite(
        client, email="kein-at-zeichen", display_name="", headers={"HX-Request": "true"}
    )
    # htmx swaps only 2xx answers: the fragment with its messages comes with 200.
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in response.text
    assert "Bitte füllen Sie dieses Feld aus." in response.text
    # The first invalid field gets the focus after the swap: no success message comes before it.
    assert 'id="invite-result"' not in response.text
    assert 'value="kein-at-zeichen"' in response.text
    assert mailbox.messages == []


def test_it_refuses_a_role_of_another_kind_of_organisation(client, mailbox):
    org = make_org(OrgKind.employer)
    admin = make_user(org, Role.employer_admin)
    login(client, admin.email)
    for role in ("case_manager", "operator_admin", "statistics_viewer", "nonsense"):
        response = _invite(client, role=role)
        assert response.status_code == 400
        assert "Bitte wählen Sie eine der Möglichkeiten aus." in response.text
    assert run(User.count().where(User.organisation == org.id)) == 1
    assert run(Token.count().where(Token.kind == TokenKind.invite)) == 0


def test_it_offers_only_the_roles_of_the_own_kind(client):
    lead = make_user(make_org(OrgKind.case_management), Role.team_lead)
    login(client, lead.email)
    page = client.get("/team").text
    assert 'value="case_manager"' in page and 'value="team_lead"' in page
    assert 'value="employer_member"' not in page and 'value="operator_admin"' not in page


def test_it_refuses_colleagues_without_admin_role(client, mailbox):
    org = make_org()
    member = make_user(org, Role.employer_member)
    login(client, member.email)
    assert _invite(client).status_code == 403
    assert _user("neu@example.org") is None


def test_it_refuses_an_admin_of_a_pending_organisation(client, mailbox):
    from portal.accounts.tables import OrgStatus

    admin = make_user(make_org(status=OrgStatus.pending), Role.employer_admin)
    login(client, admin.email)
    assert _invite(client).status_code == 403
    assert _user("neu@example.org") is None


def test_it_sends_an_anonymous_visitor_away(client, mailbox):
    csrf_token(client)
    response = _invite(client)
    assert response.status_code == 403
    assert _user("neu@example.org") is None
