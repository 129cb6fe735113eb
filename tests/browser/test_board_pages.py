"""The console's board in a real browser: accessible (also at 375 px), a card moved through a
transition by keyboard alone, filters that survive a reload, and a live update arriving in a
second browser session while the first keeps its focus."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import (
    DESKTOP,
    REPORT_CSP,
    _asset,
    _console,
    assert_accessible,
    log_in,
)
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.live import serve
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 812}


def _district() -> dict[str, Any]:
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    care = make_org(OrgKind.employer, name="Pflege Nord gGmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    erik = make_user(employer, Role.employer_admin)
    ute = make_user(care, Role.employer_admin)
    placements = {}
    for name, org, user, title in (
        ("metal", employer, erik, "Praktikum Schweißen"),
        ("care", care, ute, "Praktikum Pflegehilfe"),
    ):
        candidate = make_candidate(agency, alice, status="active")
        consent(candidate)
        placements[name] = make_placement(
            "proposed", slot=make_slot(org, title=title), candidate=candidate,
            case_worker=alice, employer_user=user,
        )  # fmt: skip
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    return {"operator": operator, **placements}


def test_a_card_moves_through_a_transition_by_keyboard_alone(page: Page, live_server):
    d = _district()
    log_in(page, d["operator"].email)
    page.goto("/admin/placements?closed=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vermittlungstafel")
    assert_accessible(page)
    card = f"#card-{d['metal']}"
    expect(page.locator(f"#column-proposed {card}")).to_be_visible()

    page.locator(f"#menu-toggle-{d['metal']}").focus()
    page.keyboard.press("Enter")  # opens the menu (details/summary)
    reason = page.locator(f"#reason-withdraw-{d['metal']}")
    reason.focus()
    page.keyboard.press("ArrowDown")  # the first reason
    expect(reason).not_to_have_value("")
    page.keyboard.press("Tab")  # the note
    page.keyboard.press("Tab")  # the button
    expect(page.locator(f"{card} button", has_text="Zurückziehen")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(f"#column-withdrawn {card}")).to_be_visible()
    expect(page.locator(f"#column-proposed {card}")).to_have_count(0)
    expect(page.locator(f"#code-{d['metal']}")).to_be_focused()
    expect(page.locator("#messages")).to_contain_text("Erledigt: Vorschlag zurückziehen")
    assert_accessible(page)


def test_the_board_is_accessible_at_375_px(page: Page, live_server):
    d = _district()
    log_in(page, d["operator"].email)
    page.set_viewport_size(PHONE_375)
    page.goto("/admin/placements")
    expect(page.locator(f"#card-{d['care']}")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, width
    assert_accessible(page)
    page.goto("/admin")
    assert_accessible(page)
    page.goto("/admin/placements/list")
    assert_accessible(page)


def test_filters_live_in_the_url_and_survive_a_reload(page: Page, live_server):
    d = _district()
    log_in(page, d["operator"].email)
    page.goto("/admin/placements")
    page.get_by_label("Suche").press_sequentially("Pflegehilfe")
    expect(page).to_have_url(
        "/admin/placements?q=Pflegehilfe&programme=&municipality=&field=&employer="
        "&employer_query=&agency=&agency_query=&case_worker=&case_worker_query=&period=",
        ignore_case=False,
    )
    expect(page.locator("li.board-card")).to_have_count(1)
    expect(page.locator("#board-status")).to_have_text("1 Vermittlung angezeigt")
    page.reload()
    expect(page.get_by_label("Suche")).to_have_value("Pflegehilfe")
    expect(page.locator("li.board-card")).to_have_count(1)
    expect(page.locator(f"#card-{d['care']}")).to_be_visible()
    assert_accessible(page)


def test_the_employer_filter_is_typed_and_picked_by_keyboard(page: Page, live_server):
    d = _district()
    log_in(page, d["operator"].email)
    page.set_viewport_size(PHONE_375)
    page.goto("/admin/placements")
    expect(page.locator("li.board-card")).to_have_count(2)
    field = page.get_by_role("combobox", name="Betrieb")
    listbox = page.get_by_role("listbox", name="Betrieb")
    field.focus()
    page.keyboard.type("nord")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#employer-status")).to_have_text("1 Treffer")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")

    expect(field).to_have_value("Pflege Nord gGmbH")
    expect(listbox).to_be_hidden()
    expect(page.locator("li.board-card")).to_have_count(1)
    expect(page.locator(f"#card-{d['care']}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]employer=[0-9a-f-]{36}(&|$)"))
    expect(field).to_be_focused()
    page.reload()
    expect(page.get_by_role("combobox", name="Betrieb")).to_have_value("Pflege Nord gGmbH")
    expect(page.locator("li.board-card")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, width
    assert_accessible(page)

    # Cleared, the filter is gone.
    page.get_by_role("combobox", name="Betrieb").fill("")
    page.keyboard.press("Enter")
    expect(page.locator("li.board-card")).to_have_count(2)


@pytest.fixture
def streaming_server(settings: Any, mailbox: Any, worker_database: Any) -> Iterator[str]:
    """The app with live streams that stay open (the tests' settings end them at once)."""
    with serve(settings.replace(live_stream_seconds=30), worker_database) as url:
        yield url


def _session(browser: Browser, url: str, problems: list[str]) -> Page:
    context = browser.new_context(base_url=url, locale="de-DE", viewport=DESKTOP)
    context.expose_function("reportCspViolation", lambda text: problems.append(f"CSP: {text}"))
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    page.set_default_timeout(5000)
    page.on("console", lambda message: _console(message, problems))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda response: _asset(response, problems))
    return page


def test_a_change_arrives_in_a_second_session_within_2_s_while_it_keeps_its_focus(
    browser: Browser, streaming_server: str
):
    d = _district()
    problems: list[str] = []
    first, second = (_session(browser, streaming_server, problems) for _ in range(2))
    try:
        for page in (first, second):
            log_in(page, d["operator"].email)
            page.goto("/admin/placements")
        watched = second.get_by_label("Suche")
        watched.focus()
        # The stream is open before the change (its first message is a comment).
        expect(second.locator("body")).to_have_attribute("data-live", "open")

        first.locator(f"#menu-toggle-{d['care']}").click()
        first.locator(f"#card-{d['care']}").get_by_role("button", name="Markieren").click()
        expect(first.locator(f"#card-{d['care']}.board-card--flagged")).to_be_visible()

        expect(second.locator(f"#card-{d['care']}.board-card--flagged")).to_be_visible(timeout=2000)
        expect(watched).to_be_focused()
        assert_accessible(second)
    finally:
        for page in (first, second):
            page.context.close()
    assert not problems, "\n".join(problems)


def test_an_employers_inbox_updates_itself_when_the_office_withdraws_a_nomination(
    browser: Browser, streaming_server: str
):
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager)
    erik = make_user(employer, Role.employer_admin)
    candidate = make_candidate(agency, alice, status="active")
    consent(candidate)
    placement = make_placement("proposed", slot=make_slot(employer), candidate=candidate,
                               case_worker=alice, employer_user=erik)  # fmt: skip
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    problems: list[str] = []
    office, inbox = (_session(browser, streaming_server, problems) for _ in range(2))
    try:
        log_in(office, operator.email)
        office.goto("/admin/placements")
        log_in(inbox, erik.email)
        inbox.goto("/nominations")
        expect(inbox.locator(f"#placement-{placement}")).to_be_visible()
        expect(inbox.locator("body")).to_have_attribute("data-live", "open")

        office.locator(f"#menu-toggle-{placement}").click()
        office.locator(f"#reason-withdraw-{placement}").select_option("not_available")
        office.locator(f"#card-{placement}").get_by_role("button", name="zurückziehen").click()
        expect(office.locator("#messages")).to_contain_text("Erledigt")

        # It leaves the new nominations for the earlier placements, without a reload.
        new = inbox.locator('section[aria-labelledby="section-new"]')
        earlier = inbox.locator('section[aria-labelledby="section-closed"]')
        expect(new.locator(f"#placement-{placement}")).to_have_count(0, timeout=2000)
        expect(earlier.locator(f"#placement-{placement}")).to_have_count(1)
        assert_accessible(inbox)
    finally:
        for page in (office, inbox):
            page.context.close()
    assert not problems, "\n".join(problems)
