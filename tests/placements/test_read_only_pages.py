"""Pages that only read (opt READS_ONLY) ask SQLite over one connection, and never write."""

from __future__ import annotations

from typing import Any

import pytest
from piccolo.engine.sqlite import SQLiteEngine

from portal.accounts.tables import Organisation
from tests.factories import login, make_candidate
from tests.placements.factories import make_placement

# Who requests each marked page: a new READS_ONLY route fails here until it has an entry.
PAGES = {
    # The home page reads the most as a team lead (the counts per person too).
    "home": ("team_lead", "/"),
    "candidates:list": ("alice", "/candidates"),
    "placements:mine": ("alice", "/placements"),
    "search:slots": ("alice", "/search/slots"),
    "placements:inbox": ("erik", "/nominations"),
    "admin:board": ("operator", "/admin/placements"),
    "admin:board_column": ("operator", "/admin/placements/column/proposed"),
    "admin:board_list": ("operator", "/admin/placements/list"),
    "admin:board_options": (
        "operator",
        "/admin/placements/options?field=employer&employer_query=a",
    ),
    "admin:audit": ("operator", "/admin/audit"),
    "stats:dashboard": ("statistician", "/statistics/"),
}
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def marked(app: Any) -> dict[str, Any]:
    return {
        handler.name: handler
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get("reads_only")
    }


def test_every_page_marked_reads_only_is_a_get_and_listed_here(app):
    found = marked(app)
    assert set(found) == set(PAGES)
    assert all(handler.http_methods <= {"GET", "HEAD"} for handler in found.values())


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_marked_reads_only_writes_nothing(request, client, queries, name, alice, slot):
    persona, url = PAGES[name]
    make_placement("proposed", slot=slot, candidate=request.getfixturevalue("candidate"),
                   case_worker=alice, employer_user=request.getfixturevalue("erik"))  # fmt: skip
    login(client, request.getfixturevalue(persona).email)
    queries.clear()
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    writes = [q for q in queries if q.lstrip().upper().startswith(WRITES)]
    assert writes == [], writes


def test_on_sqlite_a_marked_page_asks_over_one_connection(
    client, queries, monkeypatch, agency, alice
):
    engine = Organisation._meta.db
    if not isinstance(engine, SQLiteEngine):
        pytest.skip("PostgreSQL has its pool")
    for _ in range(3):
        make_candidate(agency, alice, status="active")
    opened: list[int] = []
    original = SQLiteEngine.get_connection

    async def counting(self: Any) -> Any:
        opened.append(1)
        return await original(self)

    login(client, alice.email)
    monkeypatch.setattr(SQLiteEngine, "get_connection", counting)
    queries.clear()
    assert client.get("/candidates").status_code == 200
    # Outside a transaction Piccolo opens a connection per query; here the page's queries
    # share one (and the user behind the session at most one more).
    assert len(queries) > 3
    assert len(opened) <= 2
