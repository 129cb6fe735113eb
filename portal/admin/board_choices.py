"""The options of the board's filter: programmes, municipalities, fields, organisations, staff."""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.tables import Organisation, OrgKind, Role, User
from portal.auth import CurrentUser
from portal.reference.tables import Municipality, Occupation, Programme


@dataclass(frozen=True)
class Choices:
    programmes: dict[str, str]
    municipalities: dict[str, str]
    fields: dict[str, str]
    employers: dict[str, str]
    agencies: dict[str, str]
    case_workers: dict[str, str]


async def choices(user: CurrentUser) -> Choices:
    """The options of the filter's selects (one query each); a team lead's only its own."""
    scoped = user.role != Role.operator_admin
    agencies_q = Organisation.select(Organisation.id, Organisation.name).where(
        Organisation.kind == OrgKind.case_management
    )
    workers_q = User.select(User.id, User.display_name).where(
        User.role.is_in([Role.case_manager, Role.team_lead])
    )
    if scoped:
        agencies_q = agencies_q.where(Organisation.id == user.organisation_id)
        workers_q = workers_q.where(User.organisation == user.organisation_id)
    employers_q = Organisation.select(Organisation.id, Organisation.name).where(
        Organisation.kind == OrgKind.employer
    )
    return Choices(
        programmes={
            str(r["id"]): r["name"]
            for r in await Programme.select(Programme._meta.primary_key, Programme.name).order_by(
                Programme.name
            )
        },
        municipalities={
            str(r["id"]): r["name"]
            for r in await Municipality.select(
                Municipality._meta.primary_key, Municipality.name
            ).order_by(Municipality.name)
        },
        fields={
            r["code"]: f"{r['code']} {r['name']}"
            for r in await Occupation.select(Occupation.code, Occupation.name)
            .where(Occupation.level == 1)
            .order_by(Occupation.code)
        },
        employers={str(r["id"]): r["name"] for r in await employers_q.order_by(Organisation.name)},
        agencies={str(r["id"]): r["name"] for r in await agencies_q.order_by(Organisation.name)},
        case_workers={
            str(r["id"]): r["display_name"] for r in await workers_q.order_by(User.display_name)
        },
    )
