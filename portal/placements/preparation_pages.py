"""What the preparation and closing routes share: the placement with the user's side, refusals."""

from __future__ import annotations

from typing import Any

from litestar.response import Template

from portal.auth import parse_id
from portal.i18n import N_, _
from portal.placements import machine
from portal.placements.machine import Side
from portal.placements.rows import PlacementRow
from portal.templating import page
from portal.web import AnyRequest, user_of

ONLY_CASE_WORKER: dict[str, str] = {
    "checklist": N_("Only the candidate's case manager fills in the start checklist."),
    "agreement": N_("Only the candidate's case manager uploads the signed agreement."),
    "agreement_link": N_("Only the candidate's case manager gives the intern the link."),
    "outcome": N_("Only the candidate's case manager records the outcome and the follow-ups."),
}


async def load_with_side(request: AnyRequest, placement_id: str) -> tuple[PlacementRow, Side]:
    user = user_of(request)
    row = await machine.load_placement(user, parse_id(placement_id))
    side = machine.side_of(user, row)
    assert side is not None  # noqa: S101 (load_placement answered 404 otherwise)
    return row, side


def refusal_page(template: str, row: PlacementRow, message: str, status: int) -> Template:
    """The page with only the message why it cannot be used (nothing was changed)."""
    return page(template, status_code=status, placement=row, refused=message)


def case_worker_only(row: PlacementRow, side: Side, template: str, what: str) -> Any:
    if side != Side.case_worker:
        return refusal_page(template, row, _(ONLY_CASE_WORKER[what]), 403)
    return None
