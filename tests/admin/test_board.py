"""The pipeline board: columns, cards, ageing marks, filters, list, export, scope, queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from portal.clock import now
from portal.placements.tables import Placement
from tests.admin.board_data import bulk_placements
from tests.conftest import run
from tests.factories import login, make_candidate
from tests.placements.conftest import consent
from tests.placements.factories import make_placement


def _cards(response):
    return response.text.count('<li class="board-card')


def test_it_shows_a_card_per_placement_in_its_states_column(client, operator, district):
    d = district
    candidate = make_candidate(d["agency"], d["alice"], status="active")
    consent(candidate)
    make_placement(
        "accepted", slot=d["slot"], candidate=candidate, case_worker=d["alice"],
        employer_user=d["erik"],
    )  # fmt: skip
    login(client, operator.email)
    response = client.get("/admin/placements")
    assert response.status_code == 200
    accepted = response.text.split('id="column-accepted"')[1].split("</section>")[0]
    assert candidate.code in accepted
    assert "Praktikum Schweißen" in accepted and "Metallbau Kassel GmbH" in accepted
    assert "Jobcenter Musterland" in accepted and "Alice Fallmanagerin" in accepted
    assert "Amina" not in response.text and "Haddad" not in response.text
    assert 'id="column-withdrawn"' not in response.text  # closed states behind the toggle
    assert 'id="column-withdrawn"' in client.get("/admin/placements?closed=1").text


def test_it_marks_a_placement_waiting_longer_than_its_states_limit(client, operator, district):
    d = district
    bulk_placements(1, slot=d["slot"], agency=d["agency"], case_worker=d["alice"], days_ago=2)
    old = bulk_placements(
        1, slot=d["slot"], agency=d["agency"], case_worker=d["alice"], days_ago=9
    )[0]
    login(client, operator.email)
    response = client.get("/admin/placements")
    assert response.text.count("board-card--aged") == 1
    assert f'id="card-{old}"' in response.text.split("board-card--aged")[1][:80]
    assert "9 Tage" in response.text and "2 Tage" in response.text
    attention = client.get("/admin/placements?attention=1")
    assert _cards(attention) == 1


def test_it_filters_by_employer_and_searches_as_you_type(client, operator, district):
    d = district
    bulk_placements(2, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    bulk_placements(3, slot=d["other_slot"], agency=d["other_agency"], case_worker=d["charlie"])
    login(client, operator.email)
    assert _cards(client.get("/admin/placements")) == 5
    response = client.get(f"/admin/placements?employer={d['other_employer'].id}")
    assert _cards(response) == 3
    assert 'value="Pflege Nord gGmbH"' in response.text  # the chosen employer's name
    search = client.get("/admin/placements?q=pflegehilfe", headers={"HX-Request": "true"})
    assert _cards(search) == 3
    assert "<html" not in search.text and 'hx-swap-oob="innerHTML"' in search.text
    assert "3 Vermittlungen angezeigt" in search.text


def test_it_ignores_malformed_filters(client, operator, district):
    bulk_placements(2, slot=district["slot"], agency=district["agency"],
                    case_worker=district["alice"])  # fmt: skip
    login(client, operator.email)
    for query in ("employer=nope", "programme=1;drop", "period=7", "field=xx", "q=" + "%" * 500):
        response = client.get(f"/admin/placements?{query}")
        assert response.status_code == 200, query
    assert _cards(client.get("/admin/placements?employer=nope")) == 2


def test_it_pages_each_column_on_its_own(client, operator, district):
    d = district
    bulk_placements(25, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    login(client, operator.email)
    response = client.get("/admin/placements")
    assert _cards(response) == 10
    assert "25 Vermittlungen" in response.text
    more = client.get("/admin/placements/column/proposed?page=3", headers={"HX-Request": "true"})
    assert _cards(more) == 5 and "<html" not in more.text
    page = client.get("/admin/placements/column/proposed?page=3")
    assert _cards(page) == 5 and "<html" in page.text
    assert client.get("/admin/placements/column/nonsense").status_code == 404


def test_the_list_sorts_and_the_export_holds_codes_not_identities(client, operator, district):
    d = district
    candidate = make_candidate(d["agency"], d["alice"], status="active")
    consent(candidate)
    make_placement(
        "proposed", slot=d["slot"], candidate=candidate, case_worker=d["alice"],
        employer_user=d["erik"],
    )  # fmt: skip
    bulk_placements(3, slot=d["other_slot"], agency=d["other_agency"], case_worker=d["charlie"])
    login(client, operator.email)
    listing = client.get("/admin/placements/list?sort=employer&desc=1")
    assert listing.status_code == 200
    assert listing.text.count('<th scope="row"') == 4
    table = listing.text.split("<tbody")[1]
    assert table.index("Pflege Nord") < table.index("Metallbau Kassel")
    export = client.get(f"/admin/placements.csv?employer={d['employer'].id}")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0][1] == "candidate_code" and len(rows) == 2
    assert rows[1][1] == candidate.code
    assert "Amina" not in export.text and "Haddad" not in export.text
    assert "Alice" not in export.text


def test_a_team_lead_sees_only_the_own_organisations_placements(client, district):
    d = district
    bulk_placements(2, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    bulk_placements(3, slot=d["other_slot"], agency=d["other_agency"], case_worker=d["charlie"])
    login(client, d["lead"].email)
    response = client.get("/board/placements")
    assert response.status_code == 200
    assert _cards(response) == 2 and "Integrationszentrum Süd" not in response.text
    assert _cards(client.get(f"/board/placements?agency={d['other_agency'].id}")) == 0
    export = client.get("/board/placements.csv")
    assert len(list(csv.reader(io.StringIO(export.text)))) == 3
    assert client.get("/admin/placements").status_code == 403


@pytest.mark.parametrize("who", ["erik", "alice"])
def test_employers_and_case_managers_reach_no_board(client, district, who):
    login(client, district[who].email)
    assert client.get("/admin/placements").status_code == 403
    assert client.get("/board/placements").status_code == 403


@pytest.mark.parametrize(
    "url", ["/admin/placements", "/admin/placements/column/proposed?page=1",
            "/admin/placements/list", "/admin/placements.csv"],
)  # fmt: skip
def test_it_runs_the_same_number_of_queries_for_10_and_200_placements(
    client, operator, district, queries, url
):
    d = district
    login(client, operator.email)
    counted = []
    for n in (10, 190):
        bulk_placements(n, slot=d["slot"], agency=d["agency"], case_worker=d["alice"],
                        states=("proposed", "accepted", "preparing", "in_progress"))  # fmt: skip
        queries.clear()
        assert client.get(url).status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
    assert run(Placement.count()) == 200


def test_a_flagged_placement_needs_attention(client, operator, district):
    d = district
    ids = bulk_placements(3, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    run(Placement.update({Placement.flagged_at: now() - dt.timedelta(hours=1)}).where(
        Placement.id == ids[0]))  # fmt: skip
    login(client, operator.email)
    response = client.get("/admin/placements?attention=1")
    assert _cards(response) == 1 and f'id="card-{ids[0]}"' in response.text


def test_each_columns_first_page_on_the_board_is_its_longest_waiting(client, operator, district):
    d = district
    for days in (1, 5, 3, 9, 2):
        bulk_placements(4, slot=d["slot"], agency=d["agency"], case_worker=d["alice"],
                        states=("proposed", "accepted"), days_ago=days)  # fmt: skip
    login(client, operator.email)
    board = client.get("/admin/placements").text
    for state in ("proposed", "accepted"):
        on_board = re.findall(
            r'id="card-([0-9a-f-]{36})"',
            board.split(f'id="column-{state}"')[1].split("</section>")[0],
        )
        page = client.get(
            f"/admin/placements/column/{state}?page=1", headers={"HX-Request": "true"}
        )
        assert len(on_board) == 10
        assert on_board == re.findall(r'id="card-([0-9a-f-]{36})"', page.text)
    ids = run(Placement.select(Placement.id).where(Placement.state == "accepted")
              .order_by(Placement.state_changed_at).order_by(Placement.id).limit(10))  # fmt: skip
    accepted = board.split('id="column-accepted"')[1].split("</section>")[0]
    assert re.findall(r'id="card-([0-9a-f-]{36})"', accepted) == [str(r["id"]) for r in ids]
