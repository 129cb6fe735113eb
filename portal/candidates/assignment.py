"""Who holds a case: finding a case worker, assigning one case, moving a caseload, sharing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable

from portal.accounts.tables import Organisation, User
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import CASE_WORKER_ROLES, own
from portal.candidates.access import audit
from portal.candidates.caseload import Refused
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import now
from portal.i18n import _


async def find_case_worker(
    organisation_id: UUID, user_id: str, *, active: bool = True
) -> dict[str, Any] | None:
    """A case manager or team lead of the organisation (active, unless told), or None."""
    try:
        uid = UUID(user_id)
    except ValueError:
        return None
    condition: Combinable = (
        (User.id == uid)
        & (User.organisation == organisation_id)
        & User.role.is_in(list(CASE_WORKER_ROLES))
    )
    if active:
        condition &= User.is_active.eq(True)
    return await User.select(User.id, User.display_name).where(condition).first()


async def assign(
    user: CurrentUser, row: Mapping[str, Any], to: str, *, address: str
) -> dict[str, Any]:
    """Give one case to another case manager of the organisation (team leads only)."""
    target = await find_case_worker(user.organisation_id, to)
    if target is None:
        raise Refused(_("Please choose an active case manager of your organisation."))
    if row["case_manager"] == target["id"]:
        return target
    async with Candidate._meta.db.transaction():
        await Candidate.update(
            {Candidate.case_manager: target["id"], Candidate.updated_at: now()}
        ).where((Candidate.id == row["id"]) & own(user, Candidate.organisation))
        await audit(
            user,
            "candidate.assign",
            row["id"],
            address,
            **{"from": str(row["case_manager"]) if row["case_manager"] else None},
            to=str(target["id"]),
        )
    return target


async def reassign_all(user: CurrentUser, source: str, to: str, *, address: str) -> int:
    """Move every open case (not closed) of one case manager to another; returns how many.

    Both must be case managers or team leads of the user's organisation; the one who takes the
    cases must be active, the one who gives them may have left (deactivated: the usual reason
    to move a whole caseload).
    """
    giver = await find_case_worker(user.organisation_id, source, active=False)
    taker = await find_case_worker(user.organisation_id, to)
    if giver is None or taker is None:
        raise Refused(
            _("Please choose two case managers of your organisation; the second must be active.")
        )
    if giver["id"] == taker["id"]:
        raise Refused(_("Please choose two different case managers."))
    async with Candidate._meta.db.transaction():
        # One UPDATE: the cases moved are exactly the ones audited.
        moved = (
            await Candidate.update(
                {Candidate.case_manager: taker["id"], Candidate.updated_at: now()}
            )
            .where(
                own(user, Candidate.organisation)
                & (Candidate.case_manager == giver["id"])
                & (Candidate.status != CandidateStatus.closed)
            )
            .returning(Candidate.id)
        )
        for case in moved:
            await audit(
                user,
                "candidate.assign",
                case["id"],
                address,
                **{"from": str(giver["id"])},
                to=str(taker["id"]),
            )
    return len(moved)


async def set_sharing(user: CurrentUser, shared: bool, *, address: str) -> None:
    """Whether the organisation's case managers see their colleagues' cases (team leads)."""
    async with Organisation._meta.db.transaction():
        await Organisation.update({Organisation.caseload_shared: shared}).where(
            own(user, Organisation.id)
        )
        await record(
            "organisation.caseload_sharing",
            record_type="organisation",
            record_id=user.organisation_id,
            actor_id=user.id,
            actor_organisation_id=user.organisation_id,
            address=address,
            shared=shared,
        )
