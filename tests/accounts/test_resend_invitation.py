from portal.accounts.tables import Role, User
from tests.conftest import run
from tests.factories import link_from, login, make_org, make_user, post_form


def _pending(organisation, **kwargs):
    user = make_user(organisation, Role.employer_member, **kwargs)
    run(User.update({User.password_hash: ""}).where(User.id == user.id))
    return user


def test_it_sends_a_new_link_and_the_old_one_stops_working(client, mailbox):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    login(client, admin.email)
    post_form(
        client,
        "/team",
        {"email": "neu@example.org", "display_name": "N", "role": "employer_member"},
    )
    old_link = link_from(mailbox.last_to("neu@example.org"))
    invited = run(User.select(User.id).where(User.email == "neu@example.org").first())
    response = post_form(client, f"/team/{invited['id']}/invitation", {})
    assert response.status_code == 200
    assert "Wir haben eine neue Einladung an neu@example.org gesendet." in response.text
    new_link = link_from(mailbox.last_to("neu@example.org"))
    assert new_link != old_link
    assert len(mailbox.to("neu@example.org")) == 2
    client.cookies.clear()
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_it_refuses_when_the_invitation_was_accepted(client, mailbox):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    member = make_user(org, Role.employer_member)
    login(client, admin.email)
    response = post_form(client, f"/team/{member.id}/invitation", {})
    assert response.status_code == 400
    assert "Für dieses Konto gibt es keine offene Einladung." in response.text
    assert mailbox.to(member.email) == []


def test_it_answers_404_for_a_user_of_another_organisation(client, mailbox):
    admin = make_user(make_org(), Role.employer_admin)
    stranger = _pending(make_org())
    login(client, admin.email)
    assert post_form(client, f"/team/{stranger.id}/invitation", {}).status_code == 404
    assert mailbox.to(stranger.email) == []


def test_it_refuses_a_colleague_without_admin_role(client, mailbox):
    org = make_org()
    member = make_user(org, Role.employer_member)
    pending = _pending(org)
    login(client, member.email)
    assert post_form(client, f"/team/{pending.id}/invitation", {}).status_code == 403
    assert mailbox.to(pending.email) == []


def test_it_refuses_an_anonymous_visitor(client, mailbox):
    pending = _pending(make_org())
    assert post_form(client, f"/team/{pending.id}/invitation", {}).status_code == 403
    assert mailbox.to(pending.email) == []
