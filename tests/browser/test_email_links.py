"""The e-mail links in a real browser, in German: the employer from the nomination mail to an
accepted nomination without logging in, the supervisor's evaluation by link; axe-core on every
page and state, at 1280 and 375 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateStatus
from portal.clock import today
from portal.placements import machine
from portal.placements.jobs import ask_for_evaluations
from portal.placements.tables import Placement
from portal.templating import create_environment
from portal.worker import deliver_due
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_candidate_journey import press
from tests.conftest import run
from tests.factories import link_from, make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 812}
CONTACT = "meister.schmidt@metallbau-kassel.example"


@pytest.fixture
def people(live_server: str) -> dict[str, Any]:
    """After live_server: building the app binds the tables to this test's database."""
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    erik = make_user(employer, Role.employer_admin, name="Erik Werkstatt", language="de")
    candidate = make_candidate(agency, alice, occupations=("24412",), status=CandidateStatus.active)
    consent(candidate)
    return {"alice": alice, "erik": erik, "employer": employer, "candidate": candidate}


def state(placement_id: Any) -> str:
    row = run(Placement.select(Placement.state).where(Placement.id == placement_id).first())
    return str(row["state"])


def both_widths(page: Page) -> None:
    """axe-core at 1280 px, then at 375 px (nothing wider than the screen), back to 1280."""
    assert_accessible(page)
    page.set_viewport_size(PHONE_375)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, width
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_employer_accepts_from_the_email_without_logging_in(
    page: Page, people: dict[str, Any], settings: Any, mailbox: Any
):
    alice, erik, candidate = people["alice"], people["erik"], people["candidate"]
    code = candidate.code
    slot = make_slot(people["employer"], occupation="24412")
    placement_id = run(
        machine.create(as_user(alice), "nominate", slot_id=slot.id, candidate_id=candidate.id,
                       note="Schweißt sauber (MAG), arbeitet gern im Team.")
    )  # fmt: skip
    run(deliver_due(settings, create_environment()))
    mail = mailbox.last_to(erik.email)
    assert "Ansehen und annehmen / ablehnen" in mail.get_content()
    link = link_from(mail)

    page.goto(link)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Vorschlag: {code}")
    main = page.locator("main")
    expect(main).to_contain_text("arbeitet gern im Team")
    expect(main).not_to_contain_text("Amina")
    expect(main).not_to_contain_text("Haddad")
    both_widths(page)
    assert state(placement_id) == "proposed"  # looking changed nothing

    # A decline without a reason: the form says what is missing, nothing changed.
    press(page, page.get_by_role("button", name=f"{code} ablehnen"))
    expect(page.locator("#error-summary")).to_contain_text("Bitte wählen Sie einen Grund")
    both_widths(page)
    assert state(placement_id) == "proposed"

    press(page, page.get_by_role("button", name=f"{code} annehmen"))
    expect(heading).to_have_text("Vielen Dank")
    expect(main).to_contain_text(f"{code} angenommen")
    both_widths(page)
    assert state(placement_id) == "accepted"

    # The link has been used: it opens nothing any more.
    page.goto(link)
    expect(heading).to_have_text("Link nicht mehr gültig")
    both_widths(page)


def test_the_supervisor_evaluates_by_link(
    page: Page, people: dict[str, Any], settings: Any, mailbox: Any
):
    slot = make_slot(
        people["employer"],
        occupation="24412",
        start_date=today() - dt.timedelta(days=12),
        end_date=today() - dt.timedelta(days=1),
        contact_name="Meister Schmidt",
        contact_email=CONTACT,
    )
    placement_id = make_placement(
        "in_progress",
        slot=slot,
        candidate=people["candidate"],
        case_worker=people["alice"],
        employer_user=people["erik"],
    )
    run(ask_for_evaluations(today=today()))
    run(deliver_due(settings, create_environment()))
    [mail] = [m for m in mailbox.to(CONTACT) if "Bitte bewerten Sie" in m["Subject"]]

    page.goto(link_from(mail))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Praktikum bewerten")
    expect(page.get_by_role("link", name="Zurück zur Vermittlung")).to_have_count(0)
    both_widths(page)

    press(page, page.get_by_role("button", name="Mit Bewertung abschließen"))
    expect(page.locator("#error-summary")).to_be_visible()
    both_widths(page)
    assert state(placement_id) == "in_progress"

    page.get_by_label("An jedem vereinbarten Tag anwesend").check()
    page.get_by_label("Wir würden die Person einstellen").check()
    press(page, page.get_by_role("button", name="Mit Bewertung abschließen"))
    expect(heading).to_have_text("Vielen Dank")
    both_widths(page)
    assert state(placement_id) == "completed"


def test_a_logged_in_employer_follows_the_link_the_usual_way(
    page: Page, people: dict[str, Any], settings: Any, mailbox: Any
):
    candidate, erik = people["candidate"], people["erik"]
    slot = make_slot(people["employer"], occupation="24412")
    placement_id = run(
        machine.create(as_user(people["alice"]), "nominate", slot_id=slot.id,
                       candidate_id=candidate.id, note="Arbeitet gern im Team.")
    )  # fmt: skip
    run(deliver_due(settings, create_environment()))
    link = link_from(mailbox.last_to(erik.email))
    log_in(page, erik.email)
    page.goto(link)
    page.wait_for_url(f"**/nominations/{placement_id}/answer")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vorschlag: {candidate.code}")
    both_widths(page)
    press(page, page.get_by_role("button", name=f"{candidate.code} annehmen"))
    page.wait_for_url("**/nominations")
    expect(page.locator("#messages")).to_contain_text(f"{candidate.code} angenommen")
    assert state(placement_id) == "accepted"
