"""The consent and documents tabs in Chromium: accessible, the upload limit before sending,
sharing by htmx with the focus kept, deleting after a confirmation."""

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.candidates.documents import PDF, document_rows
from tests.factories import make_candidate, make_org, make_user

pytestmark = pytest.mark.browser
MB = 1024 * 1024


@pytest.fixture
def settings(settings):
    return settings.replace(upload_max_mb=1)


@pytest.fixture
def alice(live_server):
    # After live_server: building the app binds the tables to this test's database.
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    return make_user(agency, Role.case_manager, name="Alice Fallmanagerin")


@pytest.fixture
def case(alice):
    from portal.accounts.tables import Organisation
    from tests.conftest import run

    agency = run(Organisation.objects().where(Organisation.id == alice.organisation).first())
    return make_candidate(agency, alice, code="K-7QX4-2M")


def file(name, content):
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def test_consent_is_recorded_and_withdrawn(page, alice, case):
    log_in(page, alice.email)
    page.goto(f"/candidates/{case.id}/consent")
    assert_accessible(page)
    page.get_by_role("button", name="Einwilligung erfassen").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Das pseudonymisierte Profil darf Arbeitgebern").check()
    page.get_by_label("Erteilt am").fill("2026-03-17")
    page.get_by_label("Form der Einwilligung").select_option("signed_form")
    page.get_by_label("Version des Einwilligungstextes").fill("2026-01")
    page.get_by_label("Sprache, in der die Einwilligung").select_option("ar")
    page.get_by_label("Unterschriebenes Formular").set_input_files(file("Einwilligung.pdf", PDF))
    page.get_by_role("button", name="Einwilligung erfassen").click()
    expect(page.get_by_text("Die Einwilligung wurde erfasst.")).to_be_visible()
    expect(page.get_by_role("link", name="Einwilligung.pdf")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "consent")

    page.get_by_role("button", name="Widerruf erfassen").click()
    expect(page.get_by_text("Der Widerruf wurde erfasst.")).to_be_visible()
    assert_accessible(page)


def test_a_file_above_the_limit_is_refused_before_it_is_sent(page, alice, case):
    log_in(page, alice.email)
    page.goto(f"/candidates/{case.id}/documents")
    assert_accessible(page)
    page.get_by_label("Art des Dokuments").select_option("certificate")
    field = page.get_by_label("Datei", exact=True)
    field.set_input_files(file("Gross.pdf", PDF + b"0" * (2 * MB)))
    requests = []
    page.on("request", lambda request: requests.append(request.method))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator("#error-file")).to_have_text("Die Datei ist größer als 1 MB.")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "POST" not in requests
    assert document_rows() == []
    assert_accessible(page)


def test_a_document_is_uploaded_shared_and_deleted(page, alice, case):
    log_in(page, alice.email)
    page.goto(f"/candidates/{case.id}/documents")
    page.get_by_label("Art des Dokuments").select_option("certificate")
    page.get_by_label("Datei", exact=True).set_input_files(file("Zeugnis.pdf", PDF))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Das Dokument wurde hochgeladen.")).to_be_visible()
    results = page.locator("#document-results")
    expect(results).to_contain_text("Zeugnis.pdf")
    assert_accessible(page)

    results.get_by_role("button", name="Als Kopie zur Weitergabe markieren").click()  # htmx
    stop = results.get_by_role("button", name="Nicht mehr weitergeben")
    expect(stop).to_be_focused()
    expect(page.locator("#messages")).to_contain_text("als geschwärzte Kopie markiert")
    expect(results).to_contain_text("Geschwärzte Kopie zur Weitergabe")
    assert_accessible(page)
    screenshot(page, "documents")

    results.get_by_role("link", name="Löschen").click()
    expect(page.get_by_role("heading", name="„Zeugnis.pdf“ löschen?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Dokument löschen").click()
    expect(page.get_by_text("Das Dokument wurde gelöscht.")).to_be_visible()
    assert document_rows() == []


def test_without_javascript_the_server_names_the_limit(browser, live_server, alice, case):
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    log_in(page, alice.email)
    page.goto(f"/candidates/{case.id}/documents")
    page.get_by_label("Art des Dokuments").select_option("certificate")
    page.get_by_label("Datei", exact=True).set_input_files(file("Gross.pdf", PDF + b"0" * (2 * MB)))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Die Datei ist größer als 1 MB.")).to_be_visible()
    assert document_rows() == []
    context.close()
