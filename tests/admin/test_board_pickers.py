"""The board's pickers: employers, organisations and case workers searched as you type, in the
board's scope, chosen by id (the label shown again), or matched by the text typed."""

from __future__ import annotations

import uuid

import pytest

from portal.accounts.tables import OrgKind, Role
from tests.admin.board_data import bulk_placements
from tests.factories import login, make_org, make_user

HTMX = {"HX-Request": "true"}


def _cards(response):
    return response.text.count('<li class="board-card')


def _options(client, url, picker, text):
    response = client.get(url, params={"field": picker, f"{picker}_query": text}, headers=HTMX)
    assert response.status_code == 200
    return response


def test_it_offers_an_operator_every_case_worker_whose_name_matches(client, operator, district):
    login(client, operator.email)
    response = _options(client, "/admin/placements/options", "case_worker", "a")
    assert "<html" not in response.text
    assert response.text.count('role="option"') == 3  # Alice, Tanja, Charlie
    assert f'data-value="{district["charlie"].id}" data-label="Charlie Fremd"' in response.text
    assert 'id="case_worker-status" hx-swap-oob="innerHTML">3 Treffer<' in response.text
    assert "Erik" not in response.text  # an employer's user is no case worker


def test_a_team_lead_is_offered_only_the_own_organisations_case_workers(client, district):
    login(client, district["lead"].email)
    response = _options(client, "/board/placements/options", "case_worker", "a")
    assert response.text.count('role="option"') == 2
    assert "Alice Fallmanagerin" in response.text and "Tanja Teamleitung" in response.text
    assert "Charlie" not in response.text
    agencies = _options(client, "/board/placements/options", "agency", "e")
    assert "Jobcenter Musterland" in agencies.text and "Integrationszentrum" not in agencies.text


@pytest.mark.parametrize("who", ["erik", "alice", "statistician"])
def test_employers_case_managers_and_statistics_viewers_get_no_options(client, district, who):
    if who == "statistician":
        user = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    else:
        user = district[who]
    login(client, user.email)
    for url in ("/admin/placements/options", "/board/placements/options"):
        response = client.get(url, params={"field": "case_worker", "case_worker_query": "a"})
        assert response.status_code == 403, url


def test_it_offers_at_most_20_and_says_so(client, operator):
    for n in range(25):
        make_org(OrgKind.employer, name=f"Betrieb {n:02d}")
    login(client, operator.email)
    response = _options(client, "/admin/placements/options", "employer", "betrieb")
    assert response.text.count('role="option"') == 20
    assert "Betrieb 00" in response.text and "Betrieb 20" not in response.text
    assert "Die ersten 20 Treffer" in response.text
    nothing = _options(client, "/admin/placements/options", "employer", "100% Quatsch_")
    assert 'role="option"' not in nothing.text and "Nichts gefunden." in nothing.text
    other = client.get("/admin/placements/options?field=candidate&candidate_query=K-")
    assert other.status_code == 200 and 'role="option"' not in other.text


def test_it_filters_by_the_chosen_id_and_shows_its_name_again(client, operator, district):
    d = district
    bulk_placements(2, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    bulk_placements(3, slot=d["other_slot"], agency=d["other_agency"], case_worker=d["charlie"])
    login(client, operator.email)
    response = client.get(f"/admin/placements?case_worker={d['charlie'].id}")
    assert _cards(response) == 3
    assert f'name="case_worker" value="{d["charlie"].id}" data-picker-value' in response.text
    assert 'name="case_worker_query" type="text"\n      value="Charlie Fremd"' in response.text
    # The board's own links (live updates, a card's way back) keep the id alone.
    assert f"case_worker={d['charlie'].id}" in response.text.split('id="board"')[1]
    assert "case_worker_query=" not in response.text


def test_an_unknown_or_foreign_id_is_named_as_not_found(client, operator, district):
    d = district
    bulk_placements(2, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    login(client, operator.email)
    response = client.get(f"/admin/placements?employer={uuid.uuid4()}")
    assert response.status_code == 200 and _cards(response) == 0
    assert "Nicht gefunden. Wählen Sie erneut aus der Liste" in response.text
    assert 'aria-invalid="true"' in response.text
    # A team lead's board: another organisation's case worker is not even named.
    login(client, d["lead"].email)
    foreign = client.get(f"/board/placements?case_worker={d['charlie'].id}")
    assert foreign.status_code == 200 and _cards(foreign) == 0
    assert "Charlie" not in foreign.text and "Nicht gefunden." in foreign.text


def test_without_javascript_the_text_typed_is_matched_and_clearing_it_ends_the_filter(
    client, operator, district
):
    d = district
    bulk_placements(2, slot=d["slot"], agency=d["agency"], case_worker=d["alice"])
    bulk_placements(3, slot=d["other_slot"], agency=d["other_agency"], case_worker=d["charlie"])
    login(client, operator.email)
    assert _cards(client.get("/admin/placements?employer=&employer_query=pflege")) == 3
    assert _cards(client.get("/admin/placements?case_worker_query=alice")) == 2
    assert _cards(client.get("/admin/placements/list?agency_query=S%C3%BCd")) == 0  # no card
    listing = client.get("/admin/placements/list?agency_query=Integrations")
    assert listing.text.count('<th scope="row"') == 3
    # The form sends the chosen id with its emptied text field: no filter any more.
    chosen = f"employer={d['other_employer'].id}"
    assert _cards(client.get(f"/admin/placements?{chosen}&employer_query=Pflege+Nord")) == 3
    assert _cards(client.get(f"/admin/placements?{chosen}&employer_query=")) == 5


@pytest.mark.parametrize("picked", [(), ("employer",), ("employer", "agency", "case_worker")])
def test_the_chosen_names_cost_one_query_whatever_the_data(
    client, operator, district, queries, picked
):
    d = district
    ids = {"employer": d["employer"].id, "agency": d["agency"].id, "case_worker": d["alice"].id}
    url = "/admin/placements?" + "&".join(f"{name}={ids[name]}" for name in picked)
    login(client, operator.email)
    counted = []
    for n in (10, 190):
        bulk_placements(n, slot=d["slot"], agency=d["agency"], case_worker=d["alice"],
                        states=("proposed", "accepted", "preparing", "in_progress"))  # fmt: skip
        make_org(OrgKind.employer, name=f"Betrieb {n}")
        queries.clear()
        response = client.get(url)
        assert response.status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
    labels = [q for q in queries if "AS picker" in q]
    assert len(labels) == (1 if picked else 0)
