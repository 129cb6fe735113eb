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
    # One per confirmed item of the start checklist (checklist.ITEMS).
    "checklist.work_access": N_("Checklist: access to work clarified"),
    "checklist.approval": N_("Checklist: job centre's approval reference noted"),
    "checklist.insurance": N_("Checklist: accident insurance carrier noted"),
    "checklist.agreement": N_("Checklist: internship agreement confirmed"),
    "checklist.safety_briefing": N_("Checklist: safety briefing planned"),
    # The internship agreement confirmed online by each party (placements/agreement.py), and
    # the intern's link sent by e-mail or shown as a QR code.
    "agreement.employer": N_("Internship agreement confirmed online by the employer"),
    "agreement.case_worker": N_("Internship agreement confirmed online by the case management"),
    "agreement.intern": N_("Internship agreement confirmed online by the intern (personal link)"),
    "agreement.link_sent": N_("Intern's link to the agreement sent by e-mail"),
    "agreement.link_shown": N_("Intern's link to the agreement shown as a QR code"),
    # The case manager's follow-ups after the outcome (machine.FOLLOW_UP_MONTHS).
    "follow_up.3": N_("Follow-up after 3 months recorded"),
    "follow_up.6": N_("Follow-up after 6 months recorded"),
}
