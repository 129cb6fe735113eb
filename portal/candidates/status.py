"""The statuses of a case: one rules table, and conditional UPDATEs so that two clicks at the
same moment cannot both win."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Combinable, WhereRaw

from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.candidates.access import audit
from portal.candidates.caseload import Refused, table_name
from portal.candidates.consent import active_consent
from portal.candidates.tables import (
    Candidate,
    CandidateOccupation,
    CandidateStatus,
    Consent,
    OccupationKind,
)
from portal.clock import now
from portal.i18n import N_, _

# -- the rules --------------------------------------------------------------------------------


class CandidateAction(enum.StrEnum):
    activate = "activate"
    pause = "pause"
    close = "close"
    reopen = "reopen"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[CandidateStatus]  # the statuses the action may start from
    target: CandidateStatus
    refusal: str  # why it is refused from any other status (translated where shown)
    # Refused once the identity and the free text are erased (nothing left to work with).
    needs_data: bool = False


# The one table of what may happen to a case in which status. "placed" is set by the
# placements (issue "Placements"), not by a button here.
RULES: dict[CandidateAction, Rule] = {
    CandidateAction.activate: Rule(
        frozenset({CandidateStatus.draft, CandidateStatus.paused}),
        CandidateStatus.active,
        N_("Only a draft or a paused case can be activated."),
        needs_data=True,
    ),
    CandidateAction.pause: Rule(
        frozenset({CandidateStatus.active}),
        CandidateStatus.paused,
        N_("Only an active case can be paused."),
    ),
    CandidateAction.close: Rule(
        frozenset({CandidateStatus.draft, CandidateStatus.active, CandidateStatus.paused}),
        CandidateStatus.closed,
        N_("Only a draft, an active or a paused case can be closed."),
    ),
    CandidateAction.reopen: Rule(
        frozenset({CandidateStatus.closed}),
        CandidateStatus.draft,
        N_("Only a closed case can be reopened."),
        needs_data=True,
    ),
}
DONE = {
    CandidateAction.activate: N_("The case is active: its profile can be proposed to employers."),
    CandidateAction.pause: N_("The case has been paused."),
    CandidateAction.close: N_("The case has been closed."),
    CandidateAction.reopen: N_("The case has been reopened as a draft."),
}
ERASED = N_("The personal data of this case have been erased; it cannot be taken up again.")


def may(action: CandidateAction, row: Mapping[str, Any]) -> bool:
    rule = RULES[action]
    if rule.needs_data and row["erased_at"] is not None:
        return False
    return CandidateStatus(row["status"]) in rule.sources


def allowed_actions(row: Mapping[str, Any]) -> list[CandidateAction]:
    return [action for action in CandidateAction if may(action, row)]


def _consent_shows_profile() -> WhereRaw:
    consent, candidate = table_name(Consent), table_name(Candidate)
    return WhereRaw(
        f'EXISTS (SELECT 1 FROM "{consent}" WHERE "{consent}"."candidate" = '  # noqa: S608
        f'"{candidate}"."id" AND "{consent}"."ended_at" IS NULL '
        f'AND "{consent}"."show_profile" = {{}})',
        True,
    )


def _has_desired_occupation() -> WhereRaw:
    occupation, candidate = table_name(CandidateOccupation), table_name(Candidate)
    return WhereRaw(
        f'EXISTS (SELECT 1 FROM "{occupation}" WHERE "{occupation}"."candidate" = '  # noqa: S608
        f'"{candidate}"."id" AND "{occupation}"."kind" = {{}})',
        OccupationKind.desired.value,
    )


# What activating a case needs besides its status, and the refusal when it is missing.
ACTIVATION_NEEDS = {
    "consent": N_(
        "The case cannot be activated without the person's consent to show the "
        "profile to employers. Please record the consent first."
    ),
    "occupation": N_(
        "The case cannot be activated without a desired occupation. "
        "Please add one to the competence profile first."
    ),
}


def activation_missing(consent: Mapping[str, Any] | None, *, desired: bool) -> list[str]:
    """What the case still needs before it can be activated ("consent", "occupation")."""
    missing = []
    if consent is None or not consent["show_profile"]:
        missing.append("consent")
    if not desired:
        missing.append("occupation")
    return missing


async def status_problem(row: Mapping[str, Any], action: CandidateAction) -> str | None:
    """Why `action` is refused for this case, or None."""
    rule = RULES[action]
    if rule.needs_data and row["erased_at"] is not None:
        return _(ERASED)
    if CandidateStatus(row["status"]) not in rule.sources:
        return _(rule.refusal)
    if action is CandidateAction.activate:
        desired = await CandidateOccupation.exists().where(
            (CandidateOccupation.candidate == row["id"])
            & (CandidateOccupation.kind == OccupationKind.desired)
        )
        missing = activation_missing(await active_consent(row["id"]), desired=desired)
        if missing:
            return _(ACTIVATION_NEEDS[missing[0]])
    return None


async def change_status(
    user: CurrentUser, row: Mapping[str, Any], action: CandidateAction, *, address: str
) -> CandidateStatus:
    """Move a case on by `action`; Refused changes nothing."""
    problem = await status_problem(row, action)
    if problem:
        raise Refused(problem)
    rule = RULES[action]
    moment = now()
    values: dict[Any, Any] = {Candidate.status: rule.target, Candidate.updated_at: moment}
    condition: Combinable = (
        (Candidate.id == row["id"])
        & own(user, Candidate.organisation)
        & Candidate.status.is_in(list(rule.sources))
    )
    if rule.needs_data:
        condition &= Candidate.erased_at.is_null()
    if action is CandidateAction.activate:
        # Checked again inside the UPDATE: a consent withdrawn a moment ago stops it.
        condition &= _consent_shows_profile() & _has_desired_occupation()
        if row["activated_at"] is None:
            values[Candidate.activated_at] = moment
    elif action is CandidateAction.close:
        values[Candidate.closed_at] = moment
        values[Candidate.retention_from] = moment
    elif action is CandidateAction.reopen:
        values[Candidate.closed_at] = None
        # Without a consent in force the retention period keeps running.
        if await active_consent(row["id"]) is not None:
            values[Candidate.retention_from] = None
    async with Candidate._meta.db.transaction():
        # The status is part of the UPDATE: of two clicks at the same moment only one wins.
        if not await Candidate.update(values).where(condition).returning(Candidate.id):
            raise Refused(_("The case was changed in the meantime. Please look at it again."))
        await audit(
            user, "candidate.status", row["id"], address, **{"from": row["status"]}, to=rule.target
        )
    return rule.target
