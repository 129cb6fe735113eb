"""A placement from the nomination to the outcome, in a real browser, in German: the case
manager nominates from the matching slots (the PII guard on the note), the employer accepts in
its inbox with one click (htmx), the identity is released, the dates, the start checklist and the
agreement, the start, the employer's evaluation, the outcome. axe-core on every page, also with
errors and after htmx swaps; the inbox and the placement page without JavaScript and at 375 px."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateStatus
from portal.clock import today
from portal.placements.machine import add_months
from portal.placements.tables import Placement
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_candidate_journey import press, settled, tab
from tests.browser.test_post_slot import tab_to, typed_date
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent

pytestmark = pytest.mark.browser

TODAY = today()


@pytest.fixture
def people(live_server: str) -> dict[str, Any]:
    """Alice (case manager) with her active, fully consenting case Amina Haddad; Erik (employer
    admin) with an open one-place slot whose window starts today. After live_server: building
    the app binds the tables to this test's database."""
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    erik = make_user(employer, Role.employer_admin, name="Erik Werkstatt", language="de")
    candidate = make_candidate(agency, alice, occupations=("24412",), status=CandidateStatus.active)
    consent(candidate)
    slot = make_slot(
        employer, occupation="24412", start_date=TODAY, end_date=TODAY + dt.timedelta(days=13)
    )
    return {"alice": alice, "erik": erik, "candidate": candidate, "slot": slot}


def menu(page: Page, name: str) -> None:
    """Follow a link of the main navigation by keyboard."""
    press(
        page, page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name)
    )


def open_placement(page: Page, code: str, *, employer: bool) -> None:
    """The placement's page, from the employer's inbox or the case worker's placements."""
    menu(page, "Vorschläge" if employer else "Vermittlungen")
    press(page, page.get_by_role("link", name=code, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def log_out(page: Page) -> None:
    press(page, page.get_by_role("button", name="Abmelden"))
    page.wait_for_url(re.compile(r"/login"))


def item(page: Page, code: str) -> Any:
    """One item of the start checklist (its section)."""
    return page.locator("section.checklist-item", has=page.locator(f"#item-{code}"))


def placement_of(candidate: Any) -> dict[str, Any]:
    return run(Placement.select().where(Placement.candidate == candidate.id).first())


def test_a_placement_from_the_nomination_to_the_outcome(page: Page, people: dict[str, Any]):
    alice, erik, candidate = people["alice"], people["erik"], people["candidate"]
    code = candidate.code
    heading = page.get_by_role("heading", level=1)
    messages = page.locator("#messages")
    summary = page.locator("#error-summary")

    # -- 1. the case manager nominates from the matching slots ------------------------------
    log_in(page, alice.email)
    menu(page, "Fallbestand")
    press(page, page.get_by_role("link", name=code, exact=True))
    press(page, tab(page, code, "Passende Plätze"))
    expect(heading).to_contain_text(code)
    expect(page.locator("main")).to_contain_text("Praktikum Schweißen")
    assert_accessible(page)
    press(page, page.get_by_role("link", name="Vorschlagen – Praktikum Schweißen"))
    expect(heading).to_have_text(f"{code} vorschlagen")
    assert_accessible(page)

    note = page.get_by_label("Notiz für den Arbeitgeber")
    tab_to(page, note)
    page.keyboard.type("Schweißt sauber. Rückfragen gern an kontakt@example.org")
    press(page, page.get_by_role("button", name="Für diesen Platz vorschlagen"))
    expect(summary).to_be_visible()
    settled(page)
    expect(summary).to_be_focused()  # role=alert, focused: read out first
    expect(summary).to_contain_text("Bitte entfernen Sie die E-Mail-Adresse")
    expect(page.locator("#error-note")).to_contain_text("E-Mail-Adresse")
    expect(note).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    note.fill("")
    tab_to(page, note)
    page.keyboard.type("Schweißt sauber (MAG), arbeitet gern im Team, B1.")
    press(page, page.get_by_role("button", name="Für diesen Platz vorschlagen"))
    expect(messages).to_contain_text(f"{code} wurde für „Praktikum Schweißen“ vorgeschlagen.")
    expect(page.locator("#placement-state")).to_contain_text("Vorgeschlagen")
    assert_accessible(page)
    placement = placement_of(candidate)
    assert placement["state"] == "proposed"
    detail_url = f"/placements/{placement['id']}"
    expect(page).to_have_url(re.compile(re.escape(detail_url) + "$"))
    log_out(page)

    # -- 2. the employer accepts in the inbox with one click (htmx) -----------------------------
    log_in(page, erik.email)
    menu(page, "Vorschläge")
    expect(heading).to_have_text("Vorschläge")
    row = page.locator(f"#placement-{placement['id']}")
    expect(row).to_contain_text(code)
    expect(row).to_contain_text("arbeitet gern im Team")
    expect(page.locator("main")).not_to_contain_text("Haddad")
    expect(page.locator("main")).not_to_contain_text("Amina")
    assert_accessible(page)
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")  # no page load
    press(page, row.get_by_role("button", name=f"{code} annehmen"))
    status = row.get_by_role("status")
    done = f"{code} angenommen – das Fallmanagement wurde benachrichtigt."
    expect(status).to_have_text(done)
    expect(messages).to_have_text(done)  # the page's live region, there before the swap
    expect(page.locator("[id=messages]")).to_have_count(1)
    settled(page)
    expect(heading).to_have_attribute("data-kept", "yes")
    expect(page.locator("#section-new")).to_have_text("Neue Vorschläge (0)")  # counts follow
    expect(page.locator("[id=count-new]")).to_have_count(1)
    expect(row.get_by_role("button", name=f"{code} annehmen")).to_have_count(0)
    expect(row).to_contain_text("Zugesagt")
    # The button that had the focus is gone: the focus is on the row's heading, not the body.
    expect(row.get_by_role("heading", level=3)).to_be_focused()
    assert_accessible(page)
    assert placement_of(candidate)["state"] == "accepted"
    log_out(page)

    # -- 3. the case manager releases the identity; the employer sees the name -----------------
    log_in(page, alice.email)
    open_placement(page, code, employer=False)
    expect(page.locator("#placement-state")).to_contain_text("Zugesagt")
    assert_accessible(page)
    press(page, page.get_by_role("button", name="Name und Kontakt an den Arbeitgeber freigeben"))
    expect(messages).to_contain_text("Name und Kontakt wurden an den Arbeitgeber freigegeben.")
    assert_accessible(page)
    log_out(page)

    log_in(page, erik.email)
    open_placement(page, code, employer=True)
    expect(page.locator("#released-identity")).to_contain_text("Amina Haddad")
    assert_accessible(page)
    log_out(page)

    # -- 4. dates, checklist, agreement, start -------------------------------------------------
    log_in(page, alice.email)
    open_placement(page, code, employer=False)
    form = page.locator("#form-prepare")
    expect(form.get_by_label("Erster Tag")).to_have_value(TODAY.isoformat())
    tab_to(page, form.get_by_label("Betreuung beim Arbeitgeber"))
    page.keyboard.type("Herr Werkstatt")
    press(page, form.get_by_role("button", name="Termine festlegen"))
    expect(messages).to_contain_text("Erledigt: Termine festlegen.")
    expect(page.locator("#placement-state")).to_contain_text("In Vorbereitung")
    start = page.get_by_role("button", name="Praktikum hat begonnen")
    expect(start).to_be_disabled()  # the checklist is not complete yet
    assert_accessible(page)

    press(page, page.get_by_role("link", name="Start-Checkliste ausfüllen"))
    expect(heading).to_have_text("Start-Checkliste")
    assert_accessible(page)
    # One form: all four items filled in, one press confirms every one of them (nothing typed
    # is lost, as it was when each item had a form of its own).
    access = item(page, "work_access")
    tab_to(page, access.get_by_role("radio").first)  # the permit for this employer
    page.keyboard.press("Space")
    insurance = item(page, "insurance")
    tab_to(page, insurance.get_by_role("textbox"))
    page.keyboard.type("BG Holz und Metall")
    agreement = item(page, "agreement")
    tab_to(page, agreement.get_by_role("checkbox"))
    page.keyboard.press("Space")
    briefing = item(page, "safety_briefing")
    keys = typed_date(page, TODAY)
    tab_to(page, briefing.get_by_label("Datum der Sicherheitsunterweisung"))
    page.keyboard.type(keys)
    press(page, page.get_by_role("button", name="Ausgefüllte Punkte bestätigen"))
    expect(messages).to_contain_text("Bestätigt: Zugang zum Arbeitsmarkt")
    expect(messages).to_contain_text("Unfallversicherungsträger")
    expect(messages).to_contain_text("Praktikumsvereinbarung")
    expect(messages).to_contain_text("Sicherheitsunterweisung")
    for each in ("work_access", "insurance", "agreement", "safety_briefing"):
        expect(item(page, each)).to_contain_text("bestätigt von")
    expect(briefing).to_contain_text(TODAY.strftime("%d.%m.%Y"))
    expect(page.locator("#main")).to_contain_text("Vollständig: ja")
    assert_accessible(page)

    press(page, page.get_by_role("link", name="Zurück zur Vermittlung"))
    press(page, page.get_by_role("link", name="Praktikumsvereinbarung (zum Drucken, auf Deutsch)"))
    article = page.locator("article.agreement")
    expect(article).to_have_attribute("lang", "de")
    expect(article).to_contain_text("Praktikumsvereinbarung")
    expect(article).to_contain_text("Amina Haddad")
    expect(article).to_contain_text("BG Holz und Metall")
    assert_accessible(page)
    press(page, page.get_by_role("link", name="Zurück zur Vermittlung"))
    press(page, page.get_by_role("button", name="Praktikum hat begonnen"))
    expect(page.locator("#placement-state")).to_contain_text("Praktikum läuft")
    assert_accessible(page)
    log_out(page)

    # -- 5. the employer completes it with the evaluation --------------------------------------
    log_in(page, erik.email)
    open_placement(page, code, employer=True)
    press(page, page.get_by_role("link", name="Praktikum bewerten und abschließen"))
    expect(heading).to_have_text("Praktikum bewerten")
    assert_accessible(page)
    page.get_by_role("button", name="Mit Bewertung abschließen").click()  # empty: errors
    expect(summary).to_be_focused()
    assert_accessible(page)
    # The internship runs on past today: ending it now is said and must be confirmed.
    expect(page.locator("main")).to_contain_text("Vor dem letzten Tag")
    for label in (
        "An jedem vereinbarten Tag anwesend",
        "MIG/MAG-Schweißen",
        "Pünktlichkeit",
        "Wir würden die Person einstellen",
        re.compile(r"^Ja, das Praktikum endet jetzt"),
    ):
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.press("Space")
        expect(page.get_by_label(label, exact=True)).to_be_checked()
    press(page, page.get_by_role("button", name="Mit Bewertung abschließen"))
    expect(messages).to_contain_text("Bewertung")
    expect(page.locator("#placement-state")).to_contain_text("Abgeschlossen")
    assert_accessible(page)
    log_out(page)

    # -- 6. the case manager records the outcome -----------------------------------------------
    log_in(page, alice.email)
    open_placement(page, code, employer=False)
    press(page, page.locator("#placement-actions").get_by_role("link", name="Ergebnis erfassen"))
    expect(heading).to_have_text("Ergebnis und Nachfragen")
    assert_accessible(page)
    page.get_by_label("Was folgte auf das Praktikum?").select_option("hired")
    keys = typed_date(page, TODAY)
    tab_to(page, page.get_by_label("Seit (Datum)"))
    page.keyboard.type(keys)
    press(page, page.get_by_role("button", name="Ergebnis erfassen"))
    expect(messages).to_contain_text("Das Ergebnis ist erfasst.")
    main = page.locator("main")
    expect(main).to_contain_text("Eingestellt")
    for months in (3, 6):
        due = add_months(TODAY, months).strftime("%d.%m.%Y")
        expect(main).to_contain_text(f"Nach {months} Monaten (fällig am {due})")
    assert_accessible(page)

    press(page, page.get_by_role("link", name="Zurück zur Vermittlung"))
    expect(page.locator("#placement-state")).to_contain_text("Ergebnis erfasst")
    outcome = page.locator("section", has=page.locator("#prep-outcome"))
    expect(outcome).to_contain_text("Eingestellt (sozialversicherungspflichtige Beschäftigung)")
    for months in (3, 6):
        due = add_months(TODAY, months).strftime("%d.%m.%Y")
        expect(outcome).to_contain_text(f"Nachfrage nach {months} Monaten")
        expect(outcome).to_contain_text(f"fällig am {due}")
    assert_accessible(page)
    assert placement_of(candidate)["outcome"] == "hired"

    # The evaluation flows back into the profile: the employer view shows what was observed.
    press(page, page.get_by_role("link", name="Fall öffnen"))
    press(page, tab(page, code, "Ansicht für Arbeitgeber"))
    observed = page.locator(".profile-card")
    expect(observed).to_contain_text("Im Praktikum beobachtet")
    expect(observed).to_contain_text("Pünktlichkeit")
    assert_accessible(page)
