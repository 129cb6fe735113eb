"""The demo's board: placements in every column, some waiting too long, some flagged."""

from __future__ import annotations

from portal.admin.demo import seed_console
from portal.candidates.demo import seed_candidates
from portal.candidates.tables import Candidate
from portal.demo import DEMO_PASSWORD, seed
from portal.placements.demo import seed_placements
from tests.conftest import run
from tests.factories import login


def test_the_demo_board_shows_every_column_with_aged_and_flagged_cards(client, settings):
    async def demo() -> int:
        async with Candidate._meta.db.transaction():
            await seed()
            await seed_candidates(settings)
        await seed_placements()
        return await seed_console()

    assert run(demo()) == 2
    assert run(seed_console()) == 0  # once
    login(client, "admin@demo.portal.test", DEMO_PASSWORD)
    response = client.get("/admin/placements?closed=1")
    assert response.status_code == 200
    html = response.text
    for state in ("requested", "proposed", "accepted", "preparing", "in_progress", "completed",
                  "outcome", "declined", "withdrawn", "aborted"):  # fmt: skip
        column = html.split(f'id="column-{state}"')[1].split("</section>")[0]
        assert '<li class="board-card' in column, state
    assert html.count("board-card--flagged") == 2
    assert "board-card--aged" in html
    home = client.get("/admin")
    assert home.status_code == 200
