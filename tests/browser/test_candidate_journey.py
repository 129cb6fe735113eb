"""A case manager takes a new person from the first form to the employer view, mostly by
keyboard, in German; a team lead reads the identity with a reason; the operator sees the case in
the console. axe-core on every page, also on each form with its errors and after htmx swaps."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import Candidate, CandidateOccupation, Consent, Document
from portal.clock import today
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_post_slot import tab_to, typed_date
from tests.conftest import run
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser

BIRTHDAY = dt.date(1994, 5, 17)
FILE_NUMBER = "JC-4711-2026"


def small_pdf() -> bytes:
    """A small, valid one-page PDF (with a correct cross-reference table) saying "Zeugnis"."""
    stream = zlib.compress(b"BT /F1 24 Tf 72 720 Td (Zeugnis) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def press(page: Page, target) -> None:
    """Tab to a link or button and press Enter, as a keyboard user does."""
    tab_to(page, target)
    page.keyboard.press("Enter")


def settled(page: Page) -> None:
    """Wait until htmx has swapped and settled (it focuses an [autofocus] element only then)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling,"
        " .htmx-added')"
    )


def tab(page: Page, code: str, name: str):
    """A tab of the candidate's navigation (named after the code)."""
    return page.get_by_role("navigation", name=f"Person {code}").get_by_role(
        "link", name=name, exact=True
    )


@pytest.fixture
def agency(live_server):
    # After live_server: building the app binds the tables to this test's database.
    return make_org(OrgKind.case_management, name="Jobcenter Musterland")


def test_a_new_candidate_from_the_first_form_to_the_employer_view(page, agency):
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    lead = make_user(agency, Role.team_lead, name="Tanja Teamleitung")
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    heading = page.get_by_role("heading", level=1)
    messages = page.locator("#messages")

    # -- the caseload, empty ---------------------------------------------------------------
    log_in(page, alice.email)
    press(
        page,
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
            "link", name="Fallbestand"
        ),
    )
    expect(heading).to_have_text("Fallbestand")
    expect(page.get_by_text("Ihr Fallbestand enthält noch keinen Fall.")).to_be_visible()
    assert_accessible(page)

    # -- a new case: first sent empty, the errors swapped in by htmx ---------------------------
    press(page, page.get_by_role("link", name="Neue Person"))
    expect(heading).to_have_text("Neue Person")
    assert_accessible(page)
    birthday_keys = typed_date(page, BIRTHDAY)
    press(page, page.get_by_role("button", name="Fall anlegen"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    settled(page)
    expect(summary).to_be_focused()
    assert page.evaluate("typeof htmx") == "object"
    assert_accessible(page)

    page.keyboard.press("Tab")  # the summary's first link leads to the first field
    page.keyboard.press("Enter")
    expect(page.get_by_label("Vornamen")).to_be_focused()
    page.keyboard.type("Amina")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Familienname")).to_be_focused()
    page.keyboard.type("Haddad")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Geburtsdatum")).to_be_focused()
    page.keyboard.type(birthday_keys)
    tab_to(page, page.get_by_label("Aktenzeichen"))  # Tab may first step through the date's parts
    page.keyboard.type(FILE_NUMBER)
    page.get_by_label("Zugang zum Arbeitsmarkt").select_option("permit_per_job")
    press(page, page.get_by_role("button", name="Fall anlegen"))

    expect(messages).to_contain_text("Der Fall wurde als Entwurf angelegt.")
    row = run(Candidate.select().where(Candidate.organisation == agency.id).first())
    code = row["code"]
    expect(heading).to_contain_text(code)
    expect(tab(page, code, "Übersicht")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Es liegt keine gültige Einwilligung vor.")).to_be_visible()
    assert_accessible(page)
    # Not a name, not a birthday on the overview: only the code.
    expect(page.locator("main")).not_to_contain_text("Haddad")

    # -- consent: sent empty, then recorded ----------------------------------------------------
    press(page, tab(page, code, "Einwilligung"))
    expect(heading).to_have_text(f"Einwilligung – {code}")
    assert_accessible(page)
    given_keys = typed_date(page, today() - dt.timedelta(days=2))
    press(page, page.get_by_role("button", name="Einwilligung erfassen"))
    expect(summary).to_be_focused()  # a full page (multipart form): focused on load
    assert_accessible(page)

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    show = page.get_by_label("Das pseudonymisierte Profil darf Arbeitgebern im Portal gezeigt")
    expect(show).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the talent pool
    tab_to(page, page.get_by_label("Erteilt am"))
    page.keyboard.type(given_keys)
    page.get_by_label("Form der Einwilligung").select_option("oral_interpreter")
    tab_to(page, page.get_by_label("Version des Einwilligungstextes"))
    page.keyboard.type("2026-01")
    page.get_by_label("Sprache, in der die Einwilligung erklärt").select_option("ar")
    press(page, page.get_by_role("button", name="Einwilligung erfassen"))

    expect(messages).to_contain_text("Die Einwilligung wurde erfasst.")
    expect(page.get_by_text("Mündlich, mit Dolmetschung").first).to_be_visible()
    assert_accessible(page)
    consent = run(Consent.select().where(Consent.candidate == row["id"]).first())
    assert consent["show_profile"] and consent["talent_pool"] and not consent["release_identity"]
    assert consent["language"] == "ar" and consent["text_version"] == "2026-01"

    # -- documents: a PDF uploaded, then marked as a shareable copy (htmx) ---------------------
    press(page, tab(page, code, "Dokumente"))
    expect(heading).to_have_text(f"Dokumente – {code}")
    expect(page.get_by_text("Es wurde noch kein Dokument hochgeladen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Art des Dokuments").select_option("certificate")
    pdf = small_pdf()
    page.get_by_label("Datei").set_input_files(
        {"name": "Zeugnis Schweißkurs.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    press(page, page.get_by_role("button", name="Hochladen"))
    expect(messages).to_contain_text("Das Dokument wurde hochgeladen.")
    documents = page.locator("#document-results")
    expect(documents.get_by_role("row")).to_have_count(2)
    expect(documents).to_contain_text("Zeugnis Schweißkurs.pdf")
    expect(documents).to_contain_text("PDF")
    assert_accessible(page)
    with page.expect_download() as download:
        documents.get_by_role("link", name=re.compile("^Zeugnis Schweißkurs")).click()
    assert download.value.suggested_filename == "Zeugnis Schweißkurs.pdf"
    assert Path(download.value.path()).read_bytes() == pdf

    press(page, documents.get_by_role("button", name="Als Kopie zur Weitergabe markieren"))
    stop = documents.get_by_role("button", name="Nicht mehr weitergeben")
    expect(stop).to_be_visible()
    settled(page)
    expect(stop).to_be_focused()  # the swapped table puts focus back on the same row's button
    expect(documents).to_contain_text("Geschwärzte Kopie zur Weitergabe")
    assert_accessible(page)
    document = run(Document.select().where(Document.candidate == row["id"]).first())
    assert document["content_type"] == "application/pdf" and document["shareable"]

    # -- the competence profile: the PII guard refuses the name, then saved --------------------
    press(page, tab(page, code, "Kompetenzprofil"))
    expect(heading).to_have_text(f"Kompetenzprofil – {code}")
    assert_accessible(page)
    page.get_by_label("Niveau (GER)").first.select_option("B1")
    page.get_by_label("Woher das Niveau bekannt ist").first.select_option("certificate")
    occupation = page.get_by_role("combobox", name="Wunschberuf 1")
    tab_to(page, occupation)
    page.keyboard.type("Schwei")
    listbox = page.get_by_role("listbox", name="Wunschberuf 1")
    expect(listbox).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(occupation).to_have_value(re.compile("Schweiß"))
    expect(occupation).to_be_focused()
    # A long form (every skill, habit and course): the mouse is quicker than Tab here.
    description = page.get_by_label("Kurzbeschreibung")
    description.click()
    page.keyboard.type("Frau Haddad schweißt sauber und arbeitet gern im Team.")
    save = page.get_by_role("button", name="Profil speichern")
    save.click()
    expect(summary).to_be_visible()
    settled(page)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Name")
    assert_accessible(page)

    # The rest of the form kept its values; only the text needs changing.
    expect(occupation).to_have_value(re.compile("Schweiß"))
    description.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Schweißt sauber, arbeitet gern im Team.")
    save.click()
    expect(messages).to_contain_text("Das Kompetenzprofil wurde gespeichert.")
    expect(heading).to_contain_text(code)
    assert_accessible(page)
    desired = run(CandidateOccupation.select().where(CandidateOccupation.candidate == row["id"]))
    assert [entry["occupation"][:3] for entry in desired] == ["244"]

    # -- activated on the overview ------------------------------------------------------------
    press(page, page.get_by_role("button", name="Aktivieren"))
    expect(messages).to_contain_text("Der Fall ist aktiv")
    expect(page.get_by_text("Aktiv", exact=True)).to_be_visible()
    assert_accessible(page)

    # -- the employer view and the printable summary: no identity anywhere --------------------
    press(page, tab(page, code, "Ansicht für Arbeitgeber"))
    expect(heading).to_have_text(f"Ansicht für Arbeitgeber – {code}")
    card = page.locator(".profile-card")
    expect(card).to_contain_text(code)
    expect(card).to_contain_text("B1")
    expect(card).to_contain_text("Schweiß")
    assert_no_identity(page)
    assert_accessible(page)

    press(page, page.get_by_role("link", name="Kompetenzübersicht zum Drucken"))
    expect(heading).to_have_text(f"Kompetenzübersicht – {code}")
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    expect(page.locator(".profile-card")).to_contain_text("B1")
    assert_no_identity(page)
    assert_accessible(page)

    # -- the identity (no reason asked of the assigned case manager) --------------------------
    press(page, tab(page, code, "Identität"))
    expect(page.locator("main")).to_contain_text("Haddad")
    expect(page.locator("main")).to_contain_text(FILE_NUMBER)
    expect(page.locator("main")).to_contain_text("17.05.1994")  # the date typed by keyboard
    assert_accessible(page)

    # -- data protection and the readable export ----------------------------------------------
    press(page, tab(page, code, "Datenschutz"))
    expect(heading).to_have_text(f"Datenschutz – {code}")
    assert_accessible(page)
    press(page, page.get_by_role("link", name="Export anzeigen"))
    main = page.locator("main")
    expect(main).to_contain_text("Haddad")
    expect(main).to_contain_text("Zeugnis Schweißkurs.pdf")
    expect(main).to_contain_text("2026-01")
    assert_accessible(page)

    # -- the team lead gives a reason before reading the identity -----------------------------
    press(page, page.get_by_role("button", name="Abmelden"))
    page.wait_for_url(re.compile(r"/login"))
    log_in(page, lead.email)
    page.goto("/candidates")
    expect(page.locator("#candidate-count")).to_have_text("1 Fall gefunden")
    page.evaluate("document.getElementById('candidate-count').dataset.kept = 'yes'")
    # The arrow keys choose the status; each change swaps the results (htmx), the focus stays.
    status = page.get_by_label("Status")
    tab_to(page, status)
    page.keyboard.press("ArrowDown")
    expect(status).to_have_value("draft")
    expect(page.locator("#candidate-count")).to_have_text("0 Fälle gefunden")
    settled(page)
    expect(status).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(status).to_have_value("active")
    expect(page.locator("#candidate-count")).to_have_text("1 Fall gefunden")
    expect(page.locator("#candidate-count")).to_have_attribute("data-kept", "yes")
    expect(page).to_have_url(re.compile(r"status=active"))
    settled(page)
    expect(status).to_be_focused()
    assert_accessible(page)

    press(page, page.get_by_role("link", name=code))
    press(page, tab(page, code, "Identität"))
    reason = page.get_by_label("Grund")
    expect(reason).to_be_focused()
    expect(page.locator("main")).not_to_contain_text("Haddad")
    assert_accessible(page)
    page.keyboard.type("kurz")
    page.keyboard.press("Enter")  # htmx swaps the form with its error
    expect(summary).to_be_visible()
    settled(page)
    expect(summary).to_be_focused()
    assert_accessible(page)
    reason.fill("")
    tab_to(page, reason)
    page.keyboard.type("Vertretung während des Urlaubs")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Haddad")
    assert_accessible(page)

    # -- the operator: the console's list and the pseudonymised overview ----------------------
    press(page, page.get_by_role("button", name="Abmelden"))
    page.wait_for_url(re.compile(r"/login"))
    log_in(page, operator.email)
    page.goto("/admin/candidates")
    expect(heading).to_have_text("Fälle")
    expect(page.get_by_role("link", name=code)).to_be_visible()
    assert_accessible(page)
    press(page, page.get_by_role("link", name=code))
    expect(page.locator("main")).not_to_contain_text("Haddad")
    assert_accessible(page)


def assert_no_identity(page: Page) -> None:
    """Neither the name, nor the date of birth in any common spelling, nor the file number."""
    text = page.locator("body").inner_text()
    for secret in (
        "Amina",
        "Haddad",
        FILE_NUMBER,
        BIRTHDAY.isoformat(),
        BIRTHDAY.strftime("%d.%m.%Y"),
        "17. Mai 1994",
        "17.05.94",
        "1994",
    ):
        assert secret not in text, f"{secret!r} on {page.url}"
