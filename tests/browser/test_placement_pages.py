"""The placement pages without JavaScript (the inbox's one-click accept, the placement page's
forms) and on a phone (375 px wide, axe-clean on both sides)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.placements import machine
from portal.placements.tables import Placement
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.browser.test_candidate_pages import PHONE, assert_fits
from tests.browser.test_placement_journey import people  # noqa: F401 - the fixture
from tests.conftest import run
from tests.placements.factories import make_placement
from tests.placements.session import as_user

pytestmark = pytest.mark.browser


def nominated(people: dict[str, Any], state: str) -> Any:  # noqa: F811
    return make_placement(
        state,
        slot=people["slot"],
        candidate=people["candidate"],
        case_worker=people["alice"],
        employer_user=people["erik"],
    )


def state_of(placement_id: Any) -> str:
    row = run(Placement.select(Placement.state).where(Placement.id == placement_id).first())
    return str(row["state"])


def test_the_inbox_and_the_placement_page_work_without_javascript(
    browser: Browser,
    live_server: str,
    people: dict[str, Any],  # noqa: F811
) -> None:
    placement_id = nominated(people, "proposed")
    code = people["candidate"].code
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    messages = page.locator("#messages")
    try:
        # The employer accepts: an ordinary form, POST → 303 back to the inbox with a flash.
        log_in(page, people["erik"].email)
        page.goto("/nominations")
        with page.expect_response(re.compile(rf"/nominations/{placement_id}/accept$")) as sent:
            page.get_by_role("button", name=f"{code} annehmen").click()
        assert sent.value.status == 303
        expect(page).to_have_url(re.compile(r"/nominations$"))
        expect(messages).to_contain_text(f"{code} angenommen")
        assert state_of(placement_id) == "accepted"

        # The placement page: a message in the thread, POST → 303 back to the thread.
        page.get_by_role("link", name=code, exact=True).click()
        expect(page.locator("#placement-state")).to_contain_text("Zugesagt")
        page.get_by_label("Ihre Nachricht").fill("Wann kann das Vorstellungsgespräch sein?")
        page.get_by_role("button", name="Senden").click()
        expect(page).to_have_url(re.compile(rf"/placements/{placement_id}#thread$"))
        expect(messages).to_contain_text("Ihre Nachricht wurde gesendet.")
        expect(page.locator("#thread")).to_contain_text("Vorstellungsgespräch")
        page.get_by_role("button", name="Abmelden").click()

        # The case manager fixes the dates (the slot's, filled in) and releases the identity.
        log_in(page, people["alice"].email)
        page.goto(f"/placements/{placement_id}")
        page.locator("#form-prepare").get_by_role("button", name="Termine festlegen").click()
        expect(messages).to_contain_text("Erledigt: Termine festlegen.")
        expect(page.locator("#placement-state")).to_contain_text("In Vorbereitung")
        page.get_by_role("button", name="Name und Kontakt an den Arbeitgeber freigeben").click()
        expect(messages).to_contain_text("Name und Kontakt wurden an den Arbeitgeber freigegeben.")
        assert state_of(placement_id) == "preparing"
    finally:
        context.close()


def test_the_placement_page_holds_on_a_phone(page: Page, people: dict[str, Any]) -> None:  # noqa: F811
    placement_id = nominated(people, "preparing")
    run(machine.release_identity(as_user(people["alice"]), placement_id, address="127.0.0.1"))
    page.set_viewport_size(PHONE)

    # The case manager's side: the date form, the checklist's summary, the thread.
    log_in(page, people["alice"].email)
    page.goto(f"/placements/{placement_id}")
    expect(page.locator("#placement-state")).to_contain_text("In Vorbereitung")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "placement-case-worker-phone")
    page.get_by_role("button", name="Abmelden").click()

    # The employer's side: the released name, the pseudonymised profile, the inbox.
    log_in(page, people["erik"].email)
    page.goto(f"/placements/{placement_id}")
    expect(page.locator("#released-identity")).to_contain_text("Amina Haddad")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "placement-employer-phone")
    page.goto("/nominations")
    expect(page.get_by_role("link", name=people["candidate"].code, exact=True)).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
