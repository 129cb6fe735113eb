import datetime as dt

import pytest

from portal.accounts.tables import OrgKind, OrgStatus
from portal.employers.tables import SlotKind, SlotStatus
from tests.factories import make_municipality, make_occupation, make_org, make_slot
from tests.search.slots import in_days, many_slots, occupation_name


def _titles(response):
    """The titles of the results, in their order."""
    import re

    return re.findall(r'<h3 class="kern-heading-small"><a [^>]*>([^<]*)</a>', response.text)


def test_it_lists_an_open_slot_with_what_a_case_manager_needs(searching, employer):
    slot = make_slot(
        employer,
        title="Praktikum Schweißen",
        municipality=make_municipality("Wurzen").id,
        start_date=dt.date(2099, 3, 2),
        end_date=dt.date(2099, 3, 13),
        places=2,
        min_german="A2",
    )
    response = searching.get("/search/slots")
    assert response.status_code == 200
    assert _titles(response) == ["Praktikum Schweißen"]
    assert f'href="/offers/{slot.id}"' in response.text
    assert "Metallbau Kruse GmbH" in response.text
    assert f"24412 {occupation_name('24412')}" in response.text
    assert "Wurzen" in response.text
    assert "02.03.2099 – 13.03.2099" in response.text
    assert "Orientierungspraktikum (MiLoG §22)" in response.text
    assert ">2</dd>" in response.text and ">A2</dd>" in response.text
    assert "1 offener Praktikumsplatz gefunden" in response.text
    assert "Statistik der Bundesagentur für Arbeit" in response.text


def test_it_describes_an_availability_window(searching, employer):
    make_slot(
        employer,
        flexible=True,
        duration_days=10,
        start_date=dt.date(2099, 3, 2),
        end_date=dt.date(2099, 3, 31),
    )
    response = searching.get("/search/slots")
    assert "10 Tage zwischen 02.03.2099 und 31.03.2099" in response.text


def test_it_sorts_by_start_date(searching, employer):
    make_slot(employer, title="Später", start_date=in_days(40))
    make_slot(employer, title="Bald", start_date=in_days(5))
    make_slot(employer, title="Mittel", start_date=in_days(20))
    assert _titles(searching.get("/search/slots")) == ["Bald", "Mittel", "Später"]


@pytest.mark.parametrize(
    "status",
    [SlotStatus.draft, SlotStatus.paused, SlotStatus.filled, SlotStatus.closed, SlotStatus.expired],
)
def test_it_shows_only_open_slots(searching, employer, status):
    make_slot(employer, title="Offen")
    make_slot(employer, title="Nicht offen", status=status)
    assert _titles(searching.get("/search/slots")) == ["Offen"]


def test_it_hides_an_open_slot_that_is_over_or_whose_fixed_dates_have_begun(searching, employer):
    # The expiry job has not run yet: the search does not wait for it.
    flexible = {"flexible": True, "duration_days": 1}
    make_slot(employer, title="Vorbei", start_date=in_days(-10), end_date=in_days(-1), **flexible)
    # Issue 15: case managers were offered a slot whose first day had passed.
    make_slot(employer, title="Begonnen", start_date=in_days(-1), end_date=in_days(12))
    make_slot(employer, title="Beginnt heute", start_date=in_days(0), end_date=in_days(13))
    make_slot(
        employer, title="Endet heute", start_date=in_days(-10), end_date=in_days(0), **flexible
    )
    assert sorted(_titles(searching.get("/search/slots"))) == ["Beginnt heute", "Endet heute"]


@pytest.mark.parametrize("status", [OrgStatus.pending, OrgStatus.suspended, OrgStatus.rejected])
def test_it_hides_the_slots_of_an_employer_that_is_not_approved(searching, employer, status):
    make_slot(employer, title="Freigegeben")
    make_slot(make_org(OrgKind.employer, status=status), title="Nicht freigegeben")
    response = searching.get("/search/slots")
    assert _titles(response) == ["Freigegeben"]
    assert "1 offener Praktikumsplatz gefunden" in response.text


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("2", ["Schweißen", "Zerspanen", "Lager"]),  # Berufsbereich
        ("24", ["Schweißen", "Zerspanen"]),  # Berufshauptgruppe
        ("244", ["Schweißen"]),  # Berufsgruppe
        ("2441", ["Schweißen"]),  # Berufsuntergruppe
        ("24412", ["Schweißen"]),  # Berufsgattung
        ("24413", []),
        ("5", []),
    ],
)
def test_it_filters_by_any_level_of_the_occupation(searching, employer, code, found):
    make_slot(employer, title="Schweißen", occupation=make_occupation("24412", "Schweißen"))
    make_slot(employer, title="Zerspanen", occupation=make_occupation("24222", "Zerspanung"))
    make_slot(
        employer,
        title="Lager",
        occupation=make_occupation("25102", "Lager"),
        start_date=in_days(40),
    )
    make_slot(
        employer,
        title="Küche",
        occupation=make_occupation("29302", "Küche"),
        start_date=in_days(50),
    )
    response = searching.get("/search/slots", params={"occupation": code})
    if code == "2":
        found = [*found, "Küche"]
    assert sorted(_titles(response)) == sorted(found)
    assert f'value="{code}"' in response.text


def test_it_filters_by_the_main_group_chosen_from_the_list(searching, employer):
    make_occupation("24", "Metallerzeugung und -bearbeitung, Metallbauberufe")
    make_occupation("29", "Lebensmittelherstellung und -verarbeitung")
    make_slot(employer, title="Schweißen", occupation=make_occupation("24412", "Schweißen"))
    make_slot(employer, title="Küche", occupation=make_occupation("29302", "Küche"))
    response = searching.get("/search/slots", params={"main_group": "29"})
    assert _titles(response) == ["Küche"]
    assert '<option value="24">24 Metallerzeugung und -bearbeitung, Metallbauberufe</option>' in (
        response.text
    )
    assert '<option value="29" selected>' in response.text


def test_it_filters_by_municipality(searching, employer):
    wurzen, grimma = make_municipality("Wurzen"), make_municipality("Grimma")
    make_slot(employer, title="In Wurzen", municipality=wurzen.id)
    make_slot(employer, title="In Grimma", municipality=grimma.id)
    response = searching.get("/search/slots", params={"municipality": str(grimma.id)})
    assert _titles(response) == ["In Grimma"]
    assert f'<option value="{grimma.id}" selected>Grimma</option>' in response.text
    assert f'<option value="{wurzen.id}">Wurzen</option>' in response.text


def test_it_filters_by_kind(searching, employer):
    make_slot(employer, title="Orientierung", kind=SlotKind.orientation_internship)
    make_slot(employer, title="Maßnahme", kind=SlotKind.employer_measure)
    response = searching.get("/search/slots", params={"kind": "employer_measure"})
    assert _titles(response) == ["Maßnahme"]
    assert "Maßnahme bei einem Arbeitgeber (§45 SGB III)" in response.text


@pytest.fixture
def march(employer):
    """Three slots in March 2099: 1–14, 20–31, and 5–10 April."""
    make_slot(
        employer, title="Anfang März", start_date=dt.date(2099, 3, 1), end_date=dt.date(2099, 3, 14)
    )
    make_slot(
        employer, title="Ende März", start_date=dt.date(2099, 3, 20), end_date=dt.date(2099, 3, 31)
    )
    make_slot(
        employer, title="April", start_date=dt.date(2099, 4, 5), end_date=dt.date(2099, 4, 10)
    )


@pytest.mark.parametrize(
    ("window", "found"),
    [
        ({"from": "2099-03-10", "to": "2099-03-22"}, ["Anfang März", "Ende März"]),
        ({"from": "10.03.2099", "to": "22.03.2099"}, ["Anfang März", "Ende März"]),
        ({"from": "15.3.2099", "to": "19.3.2099"}, []),
        ({"from": "14.03.2099", "to": "14.03.2099"}, ["Anfang März"]),
        ({"from": "01.04.2099"}, ["April"]),
        ({"to": "2099-03-19"}, ["Anfang März"]),
        ({"from": "31.03.2099", "to": "05.04.2099"}, ["Ende März", "April"]),
    ],
)
def test_it_finds_slots_whose_period_overlaps_the_window(searching, march, window, found):
    response = searching.get("/search/slots", params=window)
    assert _titles(response) == found
    for value in window.values():
        assert f'value="{value}"' in response.text


@pytest.mark.parametrize(
    ("level", "found"),
    [
        ("A1", ["Ohne"]),
        ("B1", ["Ohne", "A2", "B1"]),
        ("b1", ["Ohne", "A2", "B1"]),
        ("C2", ["Ohne", "A2", "B1", "B2"]),
    ],
)
def test_it_filters_by_the_candidates_german_level(searching, employer, level, found):
    make_slot(employer, title="Ohne", start_date=in_days(10))
    make_slot(employer, title="A2", min_german="A2", start_date=in_days(11))
    make_slot(employer, title="B1", min_german="B1", start_date=in_days(12))
    make_slot(employer, title="B2", min_german="B2", start_date=in_days(13))
    response = searching.get("/search/slots", params={"german": level})
    assert _titles(response) == found


def test_it_combines_the_filters(searching, employer):
    wurzen = make_municipality("Wurzen")
    make_slot(employer, title="Passt", municipality=wurzen.id, min_german="A2")
    make_slot(employer, title="Anderer Ort", min_german="A2")
    make_slot(employer, title="Zu viel Deutsch", municipality=wurzen.id, min_german="C1")
    make_slot(
        employer,
        title="Anderer Beruf",
        municipality=wurzen.id,
        occupation=make_occupation("29302", "Küche"),
    )
    response = searching.get(
        "/search/slots", params={"occupation": "24", "municipality": str(wurzen.id), "german": "B1"}
    )
    assert _titles(response) == ["Passt"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("from", "31.02.2099", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein"),
        ("to", "morgen", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein"),
        ("from", "2099-13-01", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein"),
        ("occupation", "Schweißer", "Bitte geben Sie einen Berufscode mit 1 bis 5 Ziffern ein"),
        ("occupation", "244120", "Bitte geben Sie einen Berufscode mit 1 bis 5 Ziffern ein"),
        ("main_group", "2", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("municipality", "Wurzen", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("municipality", "99999999999999999999", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("kind", "apprenticeship", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("german", "D1", "Bitte wählen Sie eine der Möglichkeiten aus."),
    ],
)
def test_it_explains_a_malformed_filter_next_to_it_and_leaves_it_out(
    searching, employer, field, value, message
):
    make_slot(employer, title="Praktikum Schweißen")
    response = searching.get("/search/slots", params={field: value})
    assert response.status_code == 200
    assert _titles(response) == ["Praktikum Schweißen"]
    problem = response.text.split(f'<div id="problem-{field}">', 1)[1].split("</div>", 1)[0]
    assert message in problem
    assert "wurden nicht angewendet" in response.text


def test_it_refuses_a_window_that_ends_before_it_starts(searching, march):
    response = searching.get("/search/slots", params={"from": "20.03.2099", "to": "10.03.2099"})
    assert response.status_code == 200
    assert "Das Ende des Zeitraums darf nicht vor seinem Beginn liegen." in response.text
    # The start still applies; the end is left out.
    assert _titles(response) == ["Ende März", "April"]


@pytest.mark.parametrize("value", ["\x00", "%", "' or 1=1 --", "x" * 5000, "٢٤"])
def test_it_survives_odd_input_in_every_filter(searching, employer, value):
    make_slot(employer)
    for field in (
        "main_group",
        "occupation",
        "municipality",
        "kind",
        "from",
        "to",
        "german",
        "page",
    ):
        assert searching.get("/search/slots", params={field: value}).status_code == 200


def test_it_pages_through_many_slots_keeping_the_filters(searching, employer):
    many_slots(employer, 30, min_german="A2")
    first = searching.get("/search/slots", params={"german": "B1", "kind": "", "from": "bad"})
    assert len(_titles(first)) == 25 and _titles(first)[0] == "Platz 000"
    assert "30 offene Praktikumsplätze gefunden" in first.text
    # Only the filters that apply go into the link: not the empty nor the malformed ones.
    assert 'href="/search/slots?german=B1&amp;page=2"' in first.text
    second = searching.get("/search/slots?german=B1&page=2")
    assert _titles(second) == [f"Platz {n:03d}" for n in range(25, 30)]
    assert "Seite 2 von 2" in second.text
    assert _titles(searching.get("/search/slots?german=B1&page=9")) == _titles(second)


def test_it_returns_only_the_results_for_htmx(searching, employer):
    make_slot(employer, title="Praktikum Schweißen")
    response = searching.get(
        "/search/slots", params={"occupation": "24", "from": "bald"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="slot-results"')
    assert "<html" not in response.text and "<form" not in response.text
    assert _titles(response) == ["Praktikum Schweißen"]
    # The count goes into the live region that stays in the page, the messages next to fields.
    assert '<p id="slot-count" class="kern-body" hx-swap-oob="innerHTML">' in response.text
    assert "1 offener Praktikumsplatz gefunden" in response.text
    assert '<div id="problem-from" hx-swap-oob="innerHTML">' in response.text
    assert "TT.MM.JJJJ" in response.text.split('id="problem-from"', 1)[1]
    assert '<div id="problem-occupation" hx-swap-oob="innerHTML">' in response.text


def test_it_renders_the_whole_page_when_htmx_restores_the_history(searching, employer):
    response = searching.get(
        "/search/slots",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text and 'role="status"' in response.text


def test_it_works_as_a_plain_form_without_javascript(searching):
    response = searching.get("/search/slots")
    form = response.text.split('<form method="get" action="/search/slots"', 1)[1].split("</form>")[
        0
    ]
    assert 'hx-get="/search/slots"' in form and 'hx-target="#slot-results"' in form
    assert 'hx-push-url="true"' in form
    assert '<button type="submit"' in form
    assert '<p id="slot-count" class="kern-body" role="status" aria-live="polite"' in response.text
    assert "Kein offener Praktikumsplatz passt zu diesen Filtern." in response.text


def test_it_links_the_search_in_the_navigation_for_case_managers(searching):
    response = searching.get("/")
    assert 'href="/search/slots"' in response.text and "Praktikumsplätze suchen" in response.text
