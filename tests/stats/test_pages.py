"""The programme report, the methods page and the optional public page."""

from __future__ import annotations

import pytest

from portal.accounts.tables import OrgKind, OrgStatus, Role
from tests.factories import login, make_org, make_user, post_form
from tests.stats.history import make_history

pytestmark = pytest.mark.slow


def authority_viewer():
    return make_user(make_org(OrgKind.authority, status=OrgStatus.active), Role.statistics_viewer)


def test_the_programme_report_shows_the_funders_figures(client):
    history = make_history(per_employer=3, employers=4)
    login(client, authority_viewer().email)
    page = client.get("/statistics/report").text
    assert "Programmbericht" in page
    assert "Praktika begonnen" in page and 'data-sign="12"' in page
    assert "Nach 6 Monaten weiterhin beschäftigt" in page
    assert "Bundesagentur" in page  # the methods in a footnote
    assert history.candidates[0].code not in page


def test_the_report_of_an_unknown_programme_is_the_report_of_all(client):
    make_history(per_employer=3, employers=4)
    login(client, authority_viewer().email)
    response = client.get("/statistics/report?programme=999999")
    assert response.status_code == 200 and "Alle Programme" in response.text


def test_the_methods_page_names_the_rules(client, settings):
    login(client, authority_viewer().email)
    page = client.get("/statistics/methods").text
    assert "Geheimhaltung" in page and "unter 3 Personen" in page


def test_the_public_page_is_off_until_an_operator_switches_it_on(client, operator):
    make_history(per_employer=3, employers=4)
    assert client.get("/statistics/public").status_code == 404
    login(client, operator.email)
    response = post_form(client, "/statistics/public", {"enabled": "on"})
    assert "Die öffentliche Statistikseite ist eingeschaltet." in response.text
    client.cookies.clear()
    public = client.get("/statistics/public")
    assert public.status_code == 200
    assert public.headers["cache-control"] == "public, max-age=3600"
    assert "portal_session" not in public.headers.get("set-cookie", "")
    assert 'data-sign="12"' in public.text


def test_a_statistics_viewer_cannot_switch_the_public_page(client):
    login(client, authority_viewer().email)
    assert post_form(client, "/statistics/public", {"enabled": "on"}).status_code == 403
    client.cookies.clear()
    assert client.get("/statistics/public").status_code == 404
