from portal.audit.tables import AuditEvent
from portal.pages.tables import SiteText
from tests.conftest import run
from tests.factories import login, post_form


def _texts():
    rows = run(SiteText.select(SiteText.slug, SiteText.language, SiteText.body))
    return {(row["slug"], row["language"]): row["body"] for row in rows}


def test_it_shows_a_field_per_page_and_language(client, operator):
    login(client, operator.email)
    response = client.get("/admin/texts")
    assert response.status_code == 200
    for name in ("imprint_de", "imprint_en", "privacy_de", "privacy_en", "accessibility_de"):
        assert f'<label class="kern-label" for="field-{name}">' in response.text


def test_it_saves_the_texts_and_the_pages_show_them_as_paragraphs(client, operator):
    login(client, operator.email)
    response = post_form(
        client,
        "/admin/texts",
        {"imprint_de": "Landkreis Musterland\r\n\r\nAmtsweg 1", "imprint_en": "District"},
    )
    assert "Die Texte wurden gespeichert." in response.text
    assert _texts()[("imprint", "de")] == "Landkreis Musterland\n\nAmtsweg 1"
    imprint = client.get("/imprint").text
    assert '<p class="kern-body">Landkreis Musterland</p>' in imprint
    assert '<p class="kern-body">Amtsweg 1</p>' in imprint
    client.cookies.clear()
    english = client.get("/imprint", headers={"Accept-Language": "en"})
    assert '<p class="kern-body">District</p>' in english.text
    event = run(AuditEvent.select().where(AuditEvent.action == "site_text.updated").first())
    assert event["record_id"] in ("imprint_de", "imprint_en")


def test_it_shows_the_saved_text_in_the_form(client, operator):
    login(client, operator.email)
    post_form(client, "/admin/texts", {"privacy_de": "Wir speichern wenig."})
    assert "Wir speichern wenig.</textarea>" in client.get("/admin/texts").text


def test_it_refuses_a_text_over_20000_characters_and_saves_nothing(client, operator):
    login(client, operator.email)
    response = post_form(client, "/admin/texts", {"imprint_de": "Kurz", "privacy_de": "x" * 20_001})
    assert response.status_code == 400
    assert 'id="error-privacy_de"' in response.text
    message = "Der Text ist 20.001 Zeichen lang; bitte verwenden Sie höchstens 20.000."
    assert message in response.text
    assert _texts() == {}
