"""Answering a nomination by e-mail link: the link opens that one nomination and allows exactly
its answer, once, for seven days, while the nomination waits; a GET never changes anything."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from portal.audit.tables import AuditEvent
from portal.clock import now
from portal.notifications.tables import OutboxMessage
from portal.placements import links, machine
from portal.placements.jobs import send_reminders
from portal.placements.tables import LinkPurpose, Placement, PlacementEvent, PlacementLink
from portal.templating import create_environment
from portal.worker import deliver_due
from tests.conftest import run
from tests.factories import csrf_token, link_from, login, make_candidate, post_form
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user


@pytest.fixture
def nominated(app, slot, candidate, alice, erik) -> Any:
    return make_placement("proposed", slot=slot, candidate=candidate, case_worker=alice,
                          employer_user=erik)  # fmt: skip


@pytest.fixture
def token(nominated) -> str:
    raw = run(links.issue(nominated, LinkPurpose.answer))
    assert raw
    return raw


def state(placement_id: Any) -> str:
    row = run(Placement.select(Placement.state).where(Placement.id == placement_id).first())
    return str(row["state"])


def link_row(raw: str) -> dict[str, Any]:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return run(PlacementLink.select().where(PlacementLink.digest == digest).first())


def audit_actions(placement_id: Any) -> list[str]:
    rows = run(
        AuditEvent.select(AuditEvent.action).where(AuditEvent.record_id == str(placement_id))
    )
    return [row["action"] for row in rows]


def test_it_keeps_only_the_hash_of_the_secret(token, nominated):
    row = link_row(token)
    assert row["placement"] == nominated and row["purpose"] == "answer"
    assert token not in str(row)
    lifetime = row["expires_at"] - now()
    assert dt.timedelta(days=6, hours=23) < lifetime <= dt.timedelta(days=7)


def test_a_get_shows_the_pseudonymised_nomination_and_changes_nothing(
    client, token, nominated, candidate
):
    response = client.get(f"/answer/{token}")
    assert response.status_code == 200
    assert candidate.code in response.text
    assert (
        f"{candidate.code} annehmen" in response.text
        and f'action="/answer/{token}/accept"' in response.text
    )
    assert "Amina" not in response.text and "Haddad" not in response.text
    assert state(nominated) == "proposed"
    assert link_row(token)["used_at"] is None
    # No session is made for the holder of a link.
    assert "portal_session" not in client.cookies
    assert "placement_link.opened" in audit_actions(nominated)


def test_it_accepts_once_through_the_machine(client, token, nominated, employer, mailbox):
    response = post_form(client, f"/answer/{token}/accept", {})
    assert response.status_code == 200, response.text[:500]
    assert "angenommen" in response.text
    assert state(nominated) == "accepted"
    assert link_row(token)["used_at"] is not None
    [event] = run(
        PlacementEvent.select().where(
            (PlacementEvent.placement == nominated) & (PlacementEvent.action == "accept")
        )
    )
    assert event["actor"] is None and event["actor_organisation"] == employer.id
    actions = audit_actions(nominated)
    assert "placement_link.used" in actions and "placement.accept" in actions
    # Used: the link opens nothing any more, and answers nothing.
    assert client.get(f"/answer/{token}").status_code == 404
    again = post_form(client, f"/answer/{token}/decline", {"reason": "dates"})
    assert again.status_code == 404 and "nicht mehr gültig" in again.text
    assert state(nominated) == "accepted"


def test_a_decline_without_reason_is_refused_and_leaves_the_link_alive(client, token, nominated):
    response = post_form(client, f"/answer/{token}/decline", {"reason": ""})
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Grund" in response.text
    assert link_row(token)["used_at"] is None and state(nominated) == "proposed"
    response = post_form(client, f"/answer/{token}/decline", {"reason": "dates"})
    assert response.status_code == 200 and state(nominated) == "declined"


def test_a_post_without_the_csrf_token_is_refused(client, token, nominated):
    csrf_token(client)
    assert client.post(f"/answer/{token}/accept", data={}).status_code == 403
    assert state(nominated) == "proposed"


def test_it_fails_after_expiry(client, token, nominated, time_machine):
    time_machine.move_to(now() + dt.timedelta(days=7, minutes=1))
    assert client.get(f"/answer/{token}").status_code == 404
    assert post_form(client, f"/answer/{token}/accept", {}).status_code == 404
    assert state(nominated) == "proposed"


def test_it_dies_with_a_withdrawal(client, token, nominated, alice):
    withdrawal = machine.Input(reason="other", note="Umzug")
    run(machine.apply(as_user(alice), nominated, "withdraw", withdrawal))
    assert link_row(token)["revoked_at"] is not None
    assert client.get(f"/answer/{token}").status_code == 404
    assert post_form(client, f"/answer/{token}/accept", {}).status_code == 404
    assert state(nominated) == "withdrawn"


def test_it_dies_when_the_nomination_is_answered_in_the_inbox(client, token, nominated, erik):
    run(machine.apply(as_user(erik), nominated, "accept"))
    assert link_row(token)["revoked_at"] is not None
    assert client.get(f"/answer/{token}").status_code == 404


def test_it_answers_nothing_but_its_own_nomination(client, token, nominated, slot, agency, alice,
                                                   erik):  # fmt: skip
    other = make_candidate(agency, alice, occupations=("24412",), status="active")
    consent(other)
    second = make_placement("proposed", slot=slot, candidate=other, case_worker=alice,
                            employer_user=erik)  # fmt: skip
    grant = run(links.find(token, LinkPurpose.answer))
    assert grant is not None
    with pytest.raises(Exception) as refused:
        run(machine.apply(None, second, "accept", link=grant))
    assert type(refused.value).__name__ == "NotFoundException"
    # Nor another action on its own placement (a withdrawal is the case manager's).
    with pytest.raises(Exception) as refused:
        run(machine.apply(None, nominated, "withdraw", machine.Input(reason="other"), link=grant))
    assert type(refused.value).__name__ == "NotFoundException"
    assert (state(nominated), state(second)) == ("proposed", "proposed")
    assert link_row(token)["used_at"] is None


def test_it_opens_no_other_page(client, token, nominated):
    client.get(f"/answer/{token}")
    for path in ("/nominations", f"/placements/{nominated}", f"/placements/{nominated}/evaluation",
                 f"/nominations/{nominated}/answer", "/account"):  # fmt: skip
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (302, 303, 401) and "/login" in response.headers.get(
            "location", "/login"
        ), path
    # An answer link is not an evaluation link.
    assert client.get(f"/evaluate/{token}").status_code == 404


def test_a_logged_in_user_of_the_employer_goes_the_usual_way(client, token, nominated, emma):
    login(client, emma.email)
    response = client.get(f"/answer/{token}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/nominations/{nominated}/answer"
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert f'action="/nominations/{nominated}/accept"' in page.text
    assert link_row(token)["used_at"] is None and state(nominated) == "proposed"


def test_the_usual_answer_page_is_the_employers_own(client, nominated, fritz):
    login(client, fritz.email)
    assert client.get(f"/nominations/{nominated}/answer").status_code == 404


def test_wrong_links_are_throttled_per_address(client, token):
    for attempt in range(10):
        assert client.get(f"/answer/wrong-{attempt}").status_code == 404
    assert client.get(f"/answer/{token}").status_code == 429


def test_the_nomination_mail_carries_a_link_of_its_own_to_each_user(
    client, slot, candidate, alice, erik, emma, settings, mailbox
):
    nominated = run(
        machine.create(as_user(alice), "nominate", slot_id=slot.id, candidate_id=candidate.id,
                       note="Erfahrung im Schweißen.")
    )  # fmt: skip
    run(deliver_due(settings, create_environment()))
    german, english = mailbox.last_to(erik.email), mailbox.last_to(emma.email)
    assert "Ansehen und annehmen / ablehnen" in german.get_content()
    assert "View and accept / decline" in english.get_content()
    paths = [link_from(german), link_from(english)]
    assert all(path.startswith("/answer/") for path in paths) and paths[0] != paths[1]
    # The secret is in the mail only: the outbox keeps the context without it.
    contexts = run(OutboxMessage.select(OutboxMessage.context))
    assert not any(path.removeprefix("/answer/") in str(row) for row in contexts for path in paths)
    page = client.get(paths[0])
    assert page.status_code == 200 and candidate.code in page.text
    assert post_form(client, f"{paths[1]}/accept", {}).status_code == 200
    assert state(nominated) == "accepted"
    assert client.get(paths[0]).status_code == 404  # Erik's link died with Emma's answer


def test_the_reminder_carries_a_new_link(client, nominated, erik, settings, mailbox, time_machine):
    time_machine.move_to(now() + dt.timedelta(days=8))
    assert run(send_reminders(settings, moment=now())) == 1
    run(deliver_due(settings, create_environment()))
    path = link_from(mailbox.last_to(erik.email))
    assert path.startswith("/answer/") and client.get(path).status_code == 200
