"""Labels of the placements' codes, in one place for every page and list."""

from __future__ import annotations

from portal.i18n import N_
from portal.placements.tables import PlacementState

S = PlacementState

STATE_LABELS: dict[str, str] = {
    S.requested: N_("Requested by the employer"),
    S.proposed: N_("Proposed"),
    S.accepted: N_("Accepted"),
    S.declined: N_("Declined"),
    S.withdrawn: N_("Nomination withdrawn"),
    S.preparing: N_("In preparation"),
    S.in_progress: N_("Internship running"),
    S.completed: N_("Completed"),
    S.aborted: N_("Ended early"),
    S.outcome: N_("Outcome recorded"),
}

# The badge colour (KERN) of each state.
STATE_BADGES: dict[str, str] = {
    S.requested: "info",
    S.proposed: "info",
    S.accepted: "success",
    S.declined: "danger",
    S.withdrawn: "warning",
    S.preparing: "info",
    S.in_progress: "success",
    S.completed: "success",
    S.aborted: "warning",
    S.outcome: "success",
}

# What an event's action was, for the history (transitions use their own label).
EVENT_LABELS: dict[str, str] = {
    "nominate": N_("Nominated"),
    "request": N_("Requested"),
    "release_identity": N_("Name and contact released to the employer"),
}
