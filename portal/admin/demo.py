"""The console's part of the demo (`portal seed-demo`): the coordination office has flagged
the nomination that has waited longest and noted what it is doing about a preparation, so
that the board shows flagged and aged cards next to the demo placements of every state."""

from __future__ import annotations

from portal.accounts.tables import User
from portal.admin import actions
from portal.auth import load_user
from portal.placements.tables import Placement, PlacementEvent, PlacementState

S = PlacementState
OPERATOR_EMAIL = "admin@demo.portal.test"  # portal/demo.py's operator admin
NOTES = {
    S.proposed: "Betrieb antwortet nicht; Koordinierungsstelle ruft am Montag an.",
    S.preparing: "Unfallversicherung noch offen; Träger ist informiert.",
}


async def seed_console() -> int:
    """Flag and annotate the oldest demo placement of each state in NOTES (once); how many."""
    if await PlacementEvent.exists().where(PlacementEvent.internal.eq(True)):
        return 0
    user_id = await User.select(User.id).where(User.email == OPERATOR_EMAIL).first()
    operator = await load_user(str(user_id["id"]), None) if user_id else None
    if operator is None:
        return 0
    flagged = 0
    for state, note in NOTES.items():
        oldest = (
            await Placement.select(Placement.id)
            .where(Placement.state == state)
            .order_by(Placement.state_changed_at)
            .first()
        )
        if oldest is None:
            continue
        await actions.set_flag(operator, oldest["id"], True, address="")
        await actions.add_note(operator, oldest["id"], note, address="")
        flagged += 1
    return flagged
