"""The agreement confirmed online by every party, in a real browser, in German: the case manager
nominates, the employer accepts, the name is released, the dates and the checklist's data are
in; then the employer's signatory and the case manager confirm the agreement in the portal, the
intern by the personal link of the QR code (no account, no session), and the internship starts.
axe-core on every new page, at 1280 and 375 px."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateStatus
from portal.clock import today
from portal.placements.tables import AgreementConfirmation, Placement
from tests.browser.conftest import log_in
from tests.browser.test_candidate_journey import press, tab
from tests.browser.test_email_links import both_widths
from tests.browser.test_placement_journey import item, log_out, menu, open_placement
from tests.browser.test_post_slot import tab_to, typed_date
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent

pytestmark = pytest.mark.browser

TODAY = today()


@pytest.fixture
def people(live_server: str) -> dict[str, Any]:
    """After live_server: building the app binds the tables to this test's database."""
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    erik = make_user(employer, Role.employer_admin, name="Erik Werkstatt", language="de")
    candidate = make_candidate(agency, alice, occupations=("24412",), status=CandidateStatus.active)
    consent(candidate)
    make_slot(
        employer, occupation="24412", start_date=TODAY, end_date=TODAY + dt.timedelta(days=13)
    )
    return {"alice": alice, "erik": erik, "candidate": candidate}


def test_every_party_confirms_the_agreement_online(page: Page, people: dict[str, Any]):
    alice, erik, candidate = people["alice"], people["erik"], people["candidate"]
    code = candidate.code
    messages = page.locator("#messages")
    online = page.locator("#online")

    # -- nominated, accepted, released -----------------------------------------------------------
    log_in(page, alice.email)
    menu(page, "Fallbestand")
    press(page, page.get_by_role("link", name=code, exact=True))
    press(page, tab(page, code, "Passende Plätze"))
    press(page, page.get_by_role("link", name="Vorschlagen – Praktikum Schweißen"))
    tab_to(page, page.get_by_label("Notiz für den Arbeitgeber"))
    page.keyboard.type("Schweißt sauber (MAG), arbeitet gern im Team, B1.")
    press(page, page.get_by_role("button", name="Für diesen Platz vorschlagen"))
    expect(page.locator("#placement-state")).to_contain_text("Vorgeschlagen")
    placement = run(Placement.select().where(Placement.candidate == candidate.id).first())
    agreement_url = f"/placements/{placement['id']}/agreement"
    log_out(page)

    log_in(page, erik.email)
    menu(page, "Vorschläge")
    row = page.locator(f"#placement-{placement['id']}")
    press(page, row.get_by_role("button", name=f"{code} annehmen"))
    expect(row).to_contain_text("Zugesagt")
    log_out(page)

    # -- the dates and the checklist's data ------------------------------------------------------
    log_in(page, alice.email)
    open_placement(page, code, employer=False)
    press(page, page.get_by_role("button", name="Name und Kontakt an den Arbeitgeber freigeben"))
    expect(messages).to_contain_text("freigegeben")
    form = page.locator("#form-prepare")
    tab_to(page, form.get_by_label("Betreuung beim Arbeitgeber"))
    page.keyboard.type("Herr Werkstatt")
    press(page, form.get_by_role("button", name="Termine festlegen"))
    expect(page.locator("#placement-state")).to_contain_text("In Vorbereitung")
    press(page, page.get_by_role("link", name="Start-Checkliste ausfüllen"))
    tab_to(page, item(page, "work_access").get_by_role("radio").first)
    page.keyboard.press("Space")
    tab_to(page, item(page, "insurance").get_by_role("textbox"))
    page.keyboard.type("BG Holz und Metall")
    keys = typed_date(page, TODAY)
    tab_to(page, item(page, "safety_briefing").get_by_label("Datum der Sicherheitsunterweisung"))
    page.keyboard.type(keys)
    press(page, page.get_by_role("button", name="Ausgefüllte Punkte bestätigen"))
    expect(messages).to_contain_text("Unfallversicherungsträger")
    expect(page.locator("#main")).to_contain_text("Vollständig: noch nicht")  # the agreement
    log_out(page)

    # -- the employer's signatory confirms -------------------------------------------------------
    log_in(page, erik.email)
    page.goto(agreement_url)
    expect(page.locator("article.agreement")).to_contain_text("BG Holz und Metall")
    expect(online).to_contain_text("Fingerabdruck des Texts")
    both_widths(page)
    press(
        page, page.get_by_role("button", name="Vereinbarung für Metallbau Kassel GmbH bestätigen")
    )
    expect(messages).to_contain_text("Sie haben die Praktikumsvereinbarung bestätigt.")
    expect(online.get_by_role("row", name=re.compile("^Betrieb"))).to_contain_text("Erik Werkstatt")
    expect(online.get_by_role("button", name=re.compile("bestätigen$"))).to_have_count(0)
    both_widths(page)
    log_out(page)

    # -- the case manager confirms and shows the intern the QR code -----------------------------
    log_in(page, alice.email)
    page.goto(agreement_url)
    press(page, page.get_by_role("button", name="Vereinbarung für Jobcenter Musterland bestätigen"))
    expect(messages).to_contain_text("Sie haben die Praktikumsvereinbarung bestätigt.")
    both_widths(page)
    press(page, page.get_by_role("button", name="Link als QR-Code zeigen"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("persönliche Link")
    expect(page.get_by_role("img", name="QR-Code des persönlichen Links")).to_be_visible()
    both_widths(page)
    link = page.locator(".agreement-qr__url").inner_text()
    assert re.search(r"/agreement/[A-Za-z0-9_-]{43}$", link), link
    log_out(page)

    # -- the intern confirms by the link, without an account --------------------------------------
    page.goto(link[link.index("/agreement/") :])
    expect(page.locator("article.agreement")).to_contain_text(code)
    expect(page.locator("main")).not_to_contain_text("Haddad")
    both_widths(page)
    press(
        page, page.get_by_role("button", name="Ich habe die Vereinbarung gelesen und bestätige sie")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank")
    both_widths(page)
    page.goto(link[link.index("/agreement/") :])
    expect(page.get_by_role("heading", level=1)).to_have_text("Link nicht mehr gültig")
    parties = run(AgreementConfirmation.select(AgreementConfirmation.party))
    assert sorted(p["party"] for p in parties) == ["case_worker", "employer", "intern"]

    # -- every party has confirmed: the checklist is complete, the internship starts ------------
    log_in(page, alice.email)
    page.goto(agreement_url)
    expect(online).to_contain_text("Alle Beteiligten haben diesen Text der Vereinbarung online")
    both_widths(page)
    page.goto(f"/placements/{placement['id']}/checklist")
    expect(item(page, "agreement")).to_contain_text("Von allen Beteiligten online bestätigt")
    expect(page.locator("#main")).to_contain_text("Vollständig: ja")
    press(page, page.get_by_role("link", name="Zurück zur Vermittlung"))
    press(page, page.get_by_role("button", name="Praktikum hat begonnen"))
    expect(page.locator("#placement-state")).to_contain_text("Praktikum läuft")
