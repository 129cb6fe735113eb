"""The board's CSV export: what the filter shows, as codes, organisations and dates."""

from __future__ import annotations

import csv
import io

from portal.admin.board import (
    EXPORT_LIMIT,
    OPEN_COLUMNS,
    BoardFilter,
    ageing_cutoffs,
    card_columns,
    conditions,
    decorate,
    where_all,
)
from portal.auth import CurrentUser
from portal.clock import now
from portal.files import csv_cell
from portal.placements.tables import Placement
from portal.reference.limits import Limits

EXPORT_HEADER = (
    "placement", "candidate_code", "state", "days_in_state", "aged", "flagged", "slot_title",
    "occupation_code", "employer", "case_management_organisation", "start_date", "end_date",
    "created_on",
)  # fmt: skip


async def export(user: CurrentUser, f: BoardFilter, limits: Limits) -> str:
    """What the filter shows (closed states with the toggle) as CSV: codes, organisations and
    dates — no identity, not even the case worker's name. One query."""
    moment = now()
    found = conditions(user, f, ageing_cutoffs(limits, moment), limits)
    if not f.closed:
        found.append(Placement.state.is_in([s.value for s in OPEN_COLUMNS]))
    rows = await (
        where_all(Placement.select(*card_columns()), found)
        .order_by(Placement.state)
        .order_by(Placement.state_changed_at)
        .order_by(Placement.id)
        .limit(EXPORT_LIMIT)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for row in decorate(rows, limits, moment):
        writer.writerow(
            csv_cell(value)
            for value in (
                row["id"], row["candidate_code"], row["state"], row["days"],
                int(row["aged"]), int(row["flagged_at"] is not None), row["slot_title"],
                row["occupation_code"], row["employer_name"], row["agency_name"],
                row["start_date"] or "", row["end_date"] or "",
                row["created_at"].date().isoformat(),
            )
        )  # fmt: skip
    return out.getvalue()
