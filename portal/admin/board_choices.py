"""The options of the board's filter: the short lists as selects (programmes, municipalities,
occupational areas); the long ones (employers, case-management organisations, case workers)
searched as you type (macros/combobox.html), at most OPTION_LIMIT at a time, and the labels of
the ones chosen. What a picker offers follows the board's scope: a team lead's only its own
organisation and its staff — organisations and staff, never a candidate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from piccolo.querystring import QueryString

from portal.accounts.tables import Organisation, OrgKind, User
from portal.admin.board_filter import PICKERS, BoardFilter, text_match
from portal.auth import CurrentUser
from portal.auth.policy import CASE_WORKER_ROLES, console_placements_where
from portal.reference.tables import Municipality, Occupation, Programme

OPTION_LIMIT = 20


@dataclass(frozen=True)
class Choices:
    programmes: dict[str, str]
    municipalities: dict[str, str]
    fields: dict[str, str]
    # Picker → the label of the item chosen in it; a chosen id that is unknown (or outside the
    # user's scope) has none.
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    value: str
    label: str


async def choices(user: CurrentUser, f: BoardFilter) -> Choices:
    """The options of the filter's selects (one query each) and the chosen pickers' labels (one
    query, none when nothing is chosen)."""
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
        labels=await labels(user, f.chosen),
    )


def _picker_query(user: CurrentUser, picker: str) -> tuple[Any, Any, Any]:
    """What `picker` offers `user` — a select of id and label inside the board's scope (the
    policy's: a team lead's own organisation) — with its id and label columns."""
    if picker == "case_worker":
        query = User.select(User.id, User.display_name.as_alias("label")).where(
            User.role.is_in(sorted(CASE_WORKER_ROLES))
        )
        scope = console_placements_where(user, agency=User.organisation)
        id_column, label = User.id, User.display_name
    else:
        kind = OrgKind.employer if picker == "employer" else OrgKind.case_management
        query = Organisation.select(Organisation.id, Organisation.name.as_alias("label")).where(
            Organisation.kind == kind
        )
        # Every employer: a team lead's placements are at any employer's slots.
        scope = (
            None if picker == "employer" else console_placements_where(user, agency=Organisation.id)
        )
        id_column, label = Organisation.id, Organisation.name
    if scope is not None:
        query = query.where(scope)
    return query, id_column, label


async def search(user: CurrentUser, picker: str, text: str) -> list[Option]:
    """The first OPTION_LIMIT of what `picker` offers whose name holds `text` (one query)."""
    assert picker in PICKERS  # noqa: S101
    if not text:
        return []
    query, _id, label = _picker_query(user, picker)
    rows = await query.where(text_match((label,), text)).order_by(label).limit(OPTION_LIMIT)
    return [Option(str(row["id"]), row["label"]) for row in rows]


async def labels(user: CurrentUser, chosen: dict[str, str]) -> dict[str, str]:
    """Picker → the label of the id chosen in it, if `user` could have picked it: one query,
    the pickers' selects as one UNION."""
    parts = []
    for picker, value in chosen.items():
        query, id_column, _label = _picker_query(user, picker)
        one = query.where(id_column == UUID(value)).querystrings[0]
        # `picker` is one of PICKERS (BoardFilter.chosen), a word of ours: safe in the statement.
        sql = f"SELECT '{picker}' AS picker, p.label FROM ({{}}) AS p"  # noqa: S608
        parts.append(QueryString(sql, one))
    if not parts:
        return {}
    rows = await Organisation.raw(" UNION ALL ".join("{}" for _ in parts), *parts)
    return {row["picker"]: row["label"] for row in rows}
