"""Statistics through the API: a chamber's or an authority's read-only token gets the figures
of the statistics page, suppressed the same way (the dashboard's own functions)."""

import asyncio

from portal.accounts.tables import OrgKind, OrgStatus, Role
from portal.api.tables import TokenScope
from portal.stats import cache, counting
from tests.api.factories import make_token
from tests.factories import login, make_org, make_user, post_form
from tests.stats.history import make_history

QUERY = {"by": "chamber"}


def _viewer(kind=OrgKind.authority):
    return make_user(make_org(kind, status=OrgStatus.active), Role.statistics_viewer)


def test_a_token_gets_the_dashboards_figures_with_the_same_cells_suppressed(client):
    make_history(per_employer=3, employers=4)
    viewer = _viewer()
    token = make_token(viewer, scope=TokenScope.read)
    response = client.get("/api/v1/statistics", params=QUERY, headers=token["headers"])
    assert response.status_code == 200, response.text
    login(client, viewer.email)
    page = client.get("/statistics/figures.json", params=QUERY).json()
    assert response.json() == page
    cells = [c for t in page["tables"] for r in t["rows"] for c in r["cells"]]
    # Not vacuous: suppressed cells, true zeros and numbers.
    assert {"sign": "*", "value": None} in cells and {"sign": "–", "value": 0} in cells


def test_a_chamber_sees_its_members_by_default_and_may_not_ask_for_nonsense(client):
    token = make_token(_viewer(OrgKind.chamber), scope=TokenScope.read)
    figures = client.get("/api/v1/statistics", headers=token["headers"]).json()
    assert figures["scope"] == "members"
    methods = client.get("/api/v1/statistics/methods", headers=token["headers"]).json()
    assert methods["scopes"] == ["members", "district"] and methods["rules"]["threshold"] >= 3
    bad = client.get(
        "/api/v1/statistics", params={"by": "religion", "on": "gestern"}, headers=token["headers"]
    )
    assert bad.status_code == 400
    assert {error["field"] for error in bad.json()["errors"]} == {"by", "on"}


def test_statistics_are_not_for_the_parties_tokens(client):
    employer = make_token(make_user(make_org(OrgKind.employer), Role.employer_admin))
    assert client.get("/api/v1/statistics", headers=employer["headers"]).status_code == 403


def test_a_statistics_viewer_makes_only_read_only_tokens(client):

    login(client, _viewer(OrgKind.chamber).email)
    page = client.get("/settings/api-tokens")
    assert page.status_code == 200 and 'value="read_write"' not in page.text
    refused = post_form(client, "/settings/api-tokens", {"name": "Bericht", "scope": "read_write"})
    assert refused.status_code == 400
    made = post_form(client, "/settings/api-tokens", {"name": "Bericht", "scope": "read"})
    assert made.status_code == 200 and "ppt_" in made.text


def test_a_period_being_counted_answers_202_with_retry_after(client):
    make_history(per_employer=3, employers=4)
    token = make_token(_viewer(), scope=TokenScope.read)
    cache.configure(seconds=600)  # kept, as in production
    counting.configure(wait_seconds=0)  # and never waited for
    try:
        waiting = client.get("/api/v1/statistics", params=QUERY, headers=token["headers"])
        client.blocking_portal.call(settled)
        figures = client.get("/api/v1/statistics", params=QUERY, headers=token["headers"])
    finally:
        cache.configure(seconds=0)
        counting.configure()
    assert waiting.status_code == 202 and waiting.headers["retry-after"] == "2"
    assert waiting.json()["title"] == "Die Zahlen für diesen Zeitraum werden gerade gezählt."
    assert figures.status_code == 200 and figures.json()["tables"]


async def settled() -> None:
    await asyncio.gather(*counting.counting().tasks.values(), return_exceptions=True)
