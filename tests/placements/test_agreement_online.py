"""The internship agreement confirmed online: the employer's signatory and the case manager in
the portal, the intern by a personal single-use link; each bound to the text's SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest

from portal.accounts.tables import Organisation
from portal.audit.tables import AuditEvent
from portal.clock import now, today
from portal.notifications.tables import OutboxMessage
from portal.placements import agreement, checklist, links, machine, preparation
from portal.placements.checklist import Answer
from portal.placements.loading import select_placement
from portal.placements.tables import (
    AgreementConfirmation,
    ChecklistItem,
    LinkPurpose,
    Placement,
    PlacementEvent,
    PlacementLink,
)
from portal.templating import create_environment
from portal.worker import deliver_due
from tests.conftest import run
from tests.factories import login, make_candidate, make_slot, post_form
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return post_form(client, url, data, follow_redirects=False)


def page_url(placement_id: Any) -> str:
    return f"/placements/{placement_id}/agreement"


def note_insurance(placement_id: Any, user: Any, carrier: str = "BG Holz und Metall") -> None:
    run(preparation.confirm(as_user(user), placement_id, Answer("insurance", carrier)))


@pytest.fixture
def ready(app, slot, candidate, alice, erik) -> Any:
    """A placement being prepared whose checklist names the accident insurance."""
    placement_id = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    note_insurance(placement_id, alice)
    return placement_id


@pytest.fixture
def token(ready) -> str:
    raw = run(links.issue(ready, LinkPurpose.agreement))
    assert raw
    return raw


def row_of(placement_id: Any) -> Any:
    found = run(select_placement(placement_id))
    assert found is not None
    return found


def current_digest(placement_id: Any) -> str:
    return str(agreement.text_digest(run(agreement.terms(row_of(placement_id)))))


def confirmations(placement_id: Any) -> list[dict[str, Any]]:
    return run(
        AgreementConfirmation.select()
        .where(AgreementConfirmation.placement == placement_id)
        .order_by(AgreementConfirmation.id)
    )


def digest_on(html: str) -> str:
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', html)
    assert found, html[:2000]
    return found.group(1)


def confirm_in_portal(client: Any, user: Any, placement_id: Any) -> Any:
    login(client, user.email)
    digest = digest_on(client.get(page_url(placement_id)).text)
    response = post(client, f"{page_url(placement_id)}/confirm", {"digest": digest})
    client.cookies.clear()
    return response


def agreement_item(placement_id: Any) -> Any:
    return run(
        ChecklistItem.select()
        .where((ChecklistItem.placement == placement_id) & (ChecklistItem.item == "agreement"))
        .first()
    )


def items(placement_id: Any) -> dict[str, Any]:
    return dict(run(checklist.items_of(placement_id)))


def link_row(raw: str) -> Any:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return run(PlacementLink.select().where(PlacementLink.digest == digest).first())


# -- each party -------------------------------------------------------------------------------


def test_it_records_the_employers_confirmation_of_the_exact_text(client, ready, erik):
    response = confirm_in_portal(client, erik, ready)
    assert response.status_code == 303
    [found] = confirmations(ready)
    assert (found["party"], found["confirmed_by"]) == ("employer", erik.id)
    assert found["address"] == "testclient"
    assert found["text_digest"] == current_digest(ready)
    text = agreement.plain(agreement.render(run(agreement.terms(row_of(ready)))))
    assert found["text_digest"] == hashlib.sha256(text.encode()).hexdigest()
    assert "Praktikumsvereinbarung" in text and "Kennung im Portal" in text
    assert "Haddad" not in text  # the text confirmed online carries no name
    [event] = run(
        PlacementEvent.select().where(
            (PlacementEvent.placement == ready) & (PlacementEvent.action == "agreement.employer")
        )
    )
    assert event["actor"] == erik.id
    audited = run(AuditEvent.select().where(AuditEvent.action == "placement.agreement.employer"))
    assert [a["record_id"] for a in audited] == [str(ready)]
    assert agreement_item(ready) is None  # two parties are still missing


def test_the_page_shows_who_has_confirmed(client, ready, erik, alice):
    confirm_in_portal(client, erik, ready)
    login(client, alice.email)
    text = client.get(page_url(ready)).text
    assert "Erik Werkstatt" in text
    assert current_digest(ready) in text
    assert "Vereinbarung für Jobcenter Musterland bestätigen" in text  # Alice's own button
    assert "Link als QR-Code zeigen" in text
    history = client.get(f"/placements/{ready}").text
    assert "Praktikumsvereinbarung vom Betrieb online bestätigt" in history


def test_all_three_complete_the_checklist_item(client, ready, erik, alice, token):
    assert confirm_in_portal(client, erik, ready).status_code == 303
    assert confirm_in_portal(client, alice, ready).status_code == 303
    page = client.get(f"/agreement/{token}")
    assert page.status_code == 200
    assert "Praktikumsvereinbarung" in page.text
    response = post(client, f"/agreement/{token}", {"digest": digest_on(page.text)})
    assert response.status_code == 200 and "Danke" in response.text
    parties = [(c["party"], c["confirmed_by"], c["link"]) for c in confirmations(ready)]
    assert parties == [
        ("employer", erik.id, None),
        ("case_worker", alice.id, None),
        ("intern", None, link_row(token)["id"]),
    ]
    assert link_row(token)["used_at"] is not None
    item = agreement_item(ready)
    assert (item["value"], item["detail"]) == (agreement.ONLINE, current_digest(ready))
    assert run(agreement.checklist_complete(row_of(ready))) is False  # work access etc. open
    for code, value in (
        ("work_access", "not_needed_free"),
        ("safety_briefing", today().isoformat()),
    ):
        run(preparation.confirm(as_user(alice), ready, Answer(code, value)))
    assert run(agreement.checklist_complete(row_of(ready))) is True
    run(machine.apply(as_user(alice), ready, "start", None))
    assert run(Placement.select(Placement.state).where(Placement.id == ready).first()) == {
        "state": "in_progress"
    }


def test_a_changed_text_needs_new_confirmations(client, ready, erik, alice, token):
    confirm_in_portal(client, erik, ready)
    confirm_in_portal(client, alice, ready)
    post(client, f"/agreement/{token}", {"digest": current_digest(ready)})
    assert "agreement" in run(agreement.fresh(row_of(ready), items(ready)))
    before = current_digest(ready)
    note_insurance(ready, alice, "VBG")  # the text names the insurance
    assert current_digest(ready) != before
    assert agreement_item(ready) is None  # reopened, for the lists' view of the checklist too
    login(client, alice.email)
    text = client.get(page_url(ready)).text
    assert "Veraltete Bestätigungen" in text
    assert text.count(">veraltet<") == 3
    checklist_page = client.get(f"/placements/{ready}/checklist").text
    assert "Von allen Beteiligten online bestätigt" not in checklist_page
    # Alice confirms the new text; the old confirmations stay as a record.
    assert (
        post(client, f"{page_url(ready)}/confirm", {"digest": digest_on(text)}).status_code == 303
    )
    assert len(confirmations(ready)) == 4


def test_a_change_taken_back_completes_the_item_again(client, ready, erik, alice, token):
    confirm_in_portal(client, erik, ready)
    confirm_in_portal(client, alice, ready)
    post(client, f"/agreement/{token}", {"digest": current_digest(ready)})
    digest = current_digest(ready)
    note_insurance(ready, alice, "VBG")
    assert agreement_item(ready) is None
    note_insurance(ready, alice, "BG Holz und Metall")
    assert agreement_item(ready)["detail"] == digest


def test_an_outdated_item_is_not_counted_whatever_changed(client, ready, erik, alice, token):
    confirm_in_portal(client, erik, ready)
    confirm_in_portal(client, alice, ready)
    post(client, f"/agreement/{token}", {"digest": current_digest(ready)})
    # A change that no checklist answer made (the employer's address): the item stays, but
    # counts no more.
    run(Organisation.update({Organisation.street: "Neue Straße 1"}).where(
        Organisation.id == row_of(ready)["employer"]
    ))  # fmt: skip
    assert agreement_item(ready) is not None
    assert "agreement" not in run(agreement.fresh(row_of(ready), items(ready)))


def test_a_digest_of_an_older_text_is_refused(client, ready, erik, alice):
    login(client, erik.email)
    old = digest_on(client.get(page_url(ready)).text)
    note_insurance(ready, alice, "VBG")
    response = post(client, f"{page_url(ready)}/confirm", {"digest": old})
    assert response.status_code == 409
    assert "hat sich geändert" in response.text
    assert confirmations(ready) == []


def test_a_party_confirms_once(client, ready, erik, emma):
    assert confirm_in_portal(client, erik, ready).status_code == 303
    login(client, emma.email)  # Erik's colleague: the employer has confirmed already
    response = post(client, f"{page_url(ready)}/confirm", {"digest": current_digest(ready)})
    assert response.status_code == 409
    assert len(confirmations(ready)) == 1


def test_it_waits_for_the_dates_and_the_insurance(client, slot, candidate, alice, erik):
    accepted = make_placement(
        "accepted", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, alice.email)
    assert "sobald die Termine feststehen" in client.get(page_url(accepted)).text
    response = post(client, f"{page_url(accepted)}/confirm", {"digest": "0" * 64})
    assert response.status_code == 409
    run(machine.apply(as_user(alice), accepted, "prepare", machine.Input(
        start_date=slot.start_date, end_date=slot.end_date
    )))  # fmt: skip
    digest = current_digest(accepted)
    response = post(client, f"{page_url(accepted)}/confirm", {"digest": digest})
    assert response.status_code == 409 and "Unfallversicherungsträger" in response.text
    assert post(client, f"{page_url(accepted)}/qr", {}).status_code == 409
    assert confirmations(accepted) == []
    assert run(PlacementLink.select().where(PlacementLink.placement == accepted)) == []


def test_the_signed_upload_still_completes_the_item(ready, alice):
    run(ChecklistItem.insert(ChecklistItem(
        placement=ready, item="agreement", value="signed_copy", confirmed_by=alice.id
    )))  # fmt: skip
    done = {"agreement": agreement_item(ready)}
    assert run(agreement.fresh(row_of(ready), done)) == done


# -- strangers --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["fritz", "charlie", "bob"])
def test_strangers_find_nothing(client, ready, who, request):
    login(client, request.getfixturevalue(who).email)
    digest = current_digest(ready)
    for path in ("confirm", "qr", "intern-link"):
        response = post(client, f"{page_url(ready)}/{path}", {"digest": digest})
        assert response.status_code == 404, path
    assert confirmations(ready) == []


def test_the_operator_is_refused(client, ready, operator):
    login(client, operator.email)
    response = post(client, f"{page_url(ready)}/confirm", {"digest": current_digest(ready)})
    assert response.status_code == 403
    assert confirmations(ready) == []


def test_only_the_case_manager_gives_the_intern_a_link(client, ready, erik):
    login(client, erik.email)
    assert "Link als QR-Code zeigen" not in client.get(page_url(ready)).text
    assert post(client, f"{page_url(ready)}/qr", {}).status_code == 403
    assert post(client, f"{page_url(ready)}/intern-link", {}).status_code == 403
    assert run(PlacementLink.select().where(PlacementLink.placement == ready)) == []


# -- the intern's link ------------------------------------------------------------------------


def test_a_get_shows_the_text_and_changes_nothing(client, ready, token, candidate):
    for _ in range(2):
        response = client.get(f"/agreement/{token}")
        assert response.status_code == 200
    assert candidate.code in response.text
    assert "Haddad" not in response.text
    assert 'name="digest"' in response.text
    assert link_row(token)["used_at"] is None
    assert confirmations(ready) == []
    opened = run(AuditEvent.select().where(AuditEvent.action == "placement_link.opened"))
    assert len(opened) == 2 and token not in str(opened)


def test_the_link_works_once(client, ready, token):
    digest = current_digest(ready)
    assert post(client, f"/agreement/{token}", {"digest": digest}).status_code == 200
    assert client.get(f"/agreement/{token}").status_code == 404
    assert post(client, f"/agreement/{token}", {"digest": digest}).status_code == 404
    assert len(confirmations(ready)) == 1


def test_a_refused_confirmation_keeps_the_link(client, ready, token, alice):
    old = current_digest(ready)
    note_insurance(ready, alice, "VBG")
    response = post(client, f"/agreement/{token}", {"digest": old})
    assert response.status_code == 409 and "hat sich geändert" in response.text
    assert link_row(token)["used_at"] is None
    assert post(client, f"/agreement/{token}", {"digest": current_digest(ready)}).status_code == 200


def test_the_link_fails_after_expiry(client, ready, token, time_machine):
    time_machine.move_to(now() + dt.timedelta(days=7, minutes=1))
    assert client.get(f"/agreement/{token}").status_code == 404
    assert post(client, f"/agreement/{token}", {"digest": "x"}).status_code == 404
    assert confirmations(ready) == []


def test_the_link_dies_with_a_withdrawal(client, ready, token, alice):
    run(
        machine.apply(as_user(alice), ready, "withdraw", machine.Input(reason="candidate_declined"))
    )
    assert link_row(token)["revoked_at"] is not None
    assert client.get(f"/agreement/{token}").status_code == 404
    assert post(client, f"/agreement/{token}", {"digest": "x"}).status_code == 404
    assert confirmations(ready) == []


def test_the_link_opens_only_its_own_agreement(client, ready, token, employer, agency, alice, erik):
    other = make_candidate(agency, alice, occupations=("24412",), status="active")
    consent(other)
    second = make_placement("preparing", slot=make_slot(employer), candidate=other,
                            case_worker=alice, employer_user=erik)  # fmt: skip
    note_insurance(second, alice)
    text = client.get(f"/agreement/{token}").text
    assert row_of(ready)["candidate_code"] in text and other.code not in text
    # Its grant confirms no other placement's agreement, and it opens no page of the portal.
    grant = run(links.find(token, LinkPurpose.agreement))
    with pytest.raises(Exception, match="nicht mehr gültig"):
        run(agreement.confirm(row_of(second), agreement.P.intern, current_digest(second),
                              link=_foreign(grant, second)))  # fmt: skip
    assert confirmations(second) == []
    assert client.get(f"/answer/{token}").status_code == 404
    assert client.get(f"/evaluate/{token}").status_code == 404
    response = client.get(f"/placements/{ready}", follow_redirects=False)
    assert "/login" in response.headers.get("location", "")


def _foreign(grant: Any, placement_id: Any) -> Any:
    """The grant's link used for another placement (as a forged request would)."""
    return links.Grant(grant.link_id, placement_id, grant.employer_id, grant.purpose)


def test_an_answer_link_is_no_agreement_link(client, ready, slot):
    raw = run(links.issue(ready, LinkPurpose.answer))
    assert raw is None  # not proposed: no answer link is made at all
    assert client.get("/agreement/not-a-link").status_code == 404


# -- giving the intern the link ---------------------------------------------------------------


def test_the_qr_code_carries_a_new_link(client, ready, alice):
    login(client, alice.email)
    response = post(client, f"{page_url(ready)}/qr", {})
    assert response.status_code == 200
    assert (
        "<svg" in response.text
        and "<script" not in response.text.split("<svg")[1].split("</svg>")[0]
    )
    raw = re.search(r"/agreement/([A-Za-z0-9_-]{43})<", response.text).group(1)
    assert response.headers["cache-control"] == "no-store"
    client.cookies.clear()
    assert client.get(f"/agreement/{raw}").status_code == 200
    actions = run(
        PlacementEvent.select(PlacementEvent.action).where(PlacementEvent.placement == ready)
    )
    assert {"action": "agreement.link_shown"} in actions


def test_the_link_goes_to_the_interns_e_mail(
    client, app, employer, agency, alice, erik, settings, mailbox
):
    intern = make_candidate(agency, alice, identity={"email": "amina@example.org"},
                            occupations=("24412",), status="active")  # fmt: skip
    consent(intern)
    placement_id = make_placement("preparing", slot=make_slot(employer), candidate=intern,
                                  case_worker=alice, employer_user=erik)  # fmt: skip
    note_insurance(placement_id, alice)
    login(client, alice.email)
    response = post(client, f"{page_url(placement_id)}/intern-link", {})
    assert response.status_code == 303
    run(deliver_due(settings, create_environment()))
    body = mailbox.last_to("amina@example.org").get_content()
    [sent] = run(OutboxMessage.select().where(OutboxMessage.template == "placement_agreement_link"))
    assert sent["sent_at"] is not None and sent["to_address"] == ""  # the vault's, not kept
    raw = body.split("/agreement/")[1].split()[0]
    client.cookies.clear()
    page = client.get(f"/agreement/{raw}")
    assert page.status_code == 200 and intern.code in page.text


def test_without_an_e_mail_it_offers_the_qr_code(client, ready, alice):
    login(client, alice.email)
    response = post(client, f"{page_url(ready)}/intern-link", {})
    assert response.status_code == 409
    assert "QR-Code" in response.text
