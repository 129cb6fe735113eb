"""Preparing and closing a placement: the checklist, the agreement, the evaluation, the outcome.

`detail_context` gives the placement page what it shows of these; the page renders it with the
macro `sections` of templates/placements/_preparation.html. The checklist's rules are in
checklist.py; every change of state goes through machine.apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from piccolo.engine.sqlite import SQLiteEngine

from portal.auth import CurrentUser
from portal.candidates import competences as c
from portal.candidates.identity import read_identity, reason_to_read
from portal.candidates.profile import json_list
from portal.candidates.vault import Vault
from portal.clock import now, today
from portal.i18n import N_, _
from portal.placements import agreement, capacity, checklist, forms, machine
from portal.placements.checklist import Answer
from portal.placements.effects import log_event
from portal.placements.machine import Refused, Side
from portal.placements.rows import PlacementRow
from portal.placements.tables import (
    ChecklistItem,
    Evaluation,
    FollowUp,
    FollowUpResult,
    Placement,
    PlacementState,
)
from portal.placements.transitions import OUTCOME_LABELS
from portal.reference.limits import load_limit
from portal.sessions import Session

S = PlacementState
# The agreement is printed once the employer has accepted, and kept until the internship ends.
AGREEMENT_STATES = frozenset({S.accepted, S.preparing, S.in_progress, S.completed})

FOLLOW_UP_RESULTS: dict[str, str] = {
    FollowUpResult.employed: N_("Still employed"),
    FollowUpResult.not_employed: N_("No longer employed"),
    FollowUpResult.unknown: N_("Unknown"),
}

# The competence field of a slot's occupation (KldB 2010 prefixes), shown first in the
# evaluation form; any other occupation shows the general skills first.
FIELD_OF_OCCUPATION: tuple[tuple[str, str], ...] = (
    ("293", "gastronomy"),  # Speisenzubereitung
    ("24", "metal"),
    ("25", "metal"),
    ("51", "logistics"),
    ("52", "logistics"),
    ("63", "gastronomy"),
    ("81", "care"),
    ("82", "care"),
    ("32", "construction"),
    ("33", "construction"),
    ("34", "construction"),
    ("54", "cleaning"),
    ("62", "retail"),
    ("12", "gardening"),
)


def field_of(occupation: str) -> str:
    for prefix, code in FIELD_OF_OCCUPATION:
        if occupation.startswith(prefix):
            return code
    return "general"


def _label(labels: Mapping[str, str], code: str | None) -> str:
    return _(labels[code]) if code and code in labels else ""


# -- what the placement page shows ------------------------------------------------------------


def checklist_view(row: PlacementRow, done: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    """The required items of the placement, each with its answer and who confirmed it when."""
    items = []
    for code in checklist.required_items(row["slot_kind"]):
        found = done.get(code)
        items.append(
            {
                "code": code,
                "label": _(checklist.ITEMS[code]),
                "done": found is not None,
                "answer": answer_label(code, found) if found else "",
                "confirmed_by": found["confirmed_by_name"] if found else "",
                "confirmed_at": found["confirmed_at"] if found else None,
                "document": found["document"] if found else None,
            }
        )
    return items


def answer_label(code: str, found: Mapping[str, Any]) -> str:
    """An item's answer as the case worker reads it."""
    value, detail = found["value"], found["detail"]
    if code == "work_access":
        text = _label(checklist.WORK_ACCESS, value)
        return f"{text} ({detail})" if detail else text
    if code == "safety_briefing":
        try:
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    if code == "agreement":
        if found["document"]:
            return _("Signed copy uploaded")
        return _("Confirmed online by every party") if value == agreement.ONLINE else _("Confirmed")
    return str(value)


def evaluation_view(e: Mapping[str, Any]) -> dict[str, Any]:
    """The employer's evaluation, codes turned into labels (unknown codes left out)."""
    return {
        "attendance": _label(forms.ATTENDANCE, e["attendance"]),
        "skills": [_(c.SKILLS[code][1]) for code in json_list(e["skills"]) if code in c.SKILLS],
        "work_habits": [
            _(c.WORK_HABITS[code]) for code in json_list(e["work_habits"]) if code in c.WORK_HABITS
        ],
        "german_level": e["german_level"] or "",
        "recommendation": _label(forms.RECOMMENDATIONS, e["recommendation"]),
        "comment": e.get("comment", ""),
        "written_by": e.get("written_by_name") or "",
        "written_at": e["written_at"],
    }


async def evaluation_of(placement_id: UUID) -> dict[str, Any] | None:
    row = await (
        Evaluation.select(
            *Evaluation.all_columns(),
            Evaluation.written_by.display_name.as_alias("written_by_name"),
        )
        .where(Evaluation.placement == placement_id)
        .first()
    )
    return evaluation_view(row) if row else None


async def follow_ups_of(placement_id: UUID) -> list[dict[str, Any]]:
    rows = await (
        FollowUp.select(
            *FollowUp.all_columns(),
            FollowUp.recorded_by.display_name.as_alias("recorded_by_name"),
        )
        .where(FollowUp.placement == placement_id)
        .order_by(FollowUp.months)
    )
    on = today()
    return [
        {
            "months": row["months"],
            "due_on": row["due_on"],
            "due": row["due_on"] <= on,
            "result": row["result"] or "",
            "result_label": _label(FOLLOW_UP_RESULTS, row["result"]),
            "recorded_by": row["recorded_by_name"] or "",
            "recorded_at": row["recorded_at"],
        }
        for row in rows
    ]


def outcome_view(row: PlacementRow) -> dict[str, Any] | None:
    if not row["outcome"]:
        return None
    return {
        "label": _label(OUTCOME_LABELS, row["outcome"]),
        "on": row["outcome_on"],
        "note": row["outcome_note"],
    }


async def detail_context(row: PlacementRow, side: str) -> dict[str, Any]:
    """What the placement page shows of the preparation for `side` (at most three queries)."""
    state = S(row["state"])
    before_start = state in checklist.EDITABLE_STATES
    done = await checklist.items_of(row["id"]) if before_start or side == Side.case_worker else {}
    done = await agreement.fresh(row, done)
    items = checklist_view(row, done)
    evaluation = await evaluation_of(row["id"]) if state in (S.completed, S.outcome) else None
    context: dict[str, Any] = {
        "state": state.value,
        "before_start": before_start,
        "complete": all(item["done"] for item in items),
        "agreement": state in AGREEMENT_STATES,
        "evaluation": evaluation,
    }
    if side == Side.employer:
        return {**context, "evaluation_due": state == S.in_progress}
    return {
        **context,
        "checklist": items,
        "show_checklist": bool(done) or before_start,
        "outcome_due": state == S.completed,
        "outcome": outcome_view(row),
        "follow_ups": await follow_ups_of(row["id"]) if state == S.outcome else [],
    }


# -- the agreement ----------------------------------------------------------------------------


async def agreement_context(
    user: CurrentUser,
    row: PlacementRow,
    side: Side,
    *,
    vault: Vault,
    session: Session,
    address: str,
) -> dict[str, Any]:
    """The data of the internship agreement (four queries, and the identity read if shown).

    The intern's name is shown to the case worker who may read the identity now (the assigned
    case manager, or one who gave a reason: identity.reason_to_read) and to the employer after
    the release (machine.identity_visible); every display is an `identity.read` audit event.
    Otherwise the agreement has a blank line for the name, filled in by hand.
    """
    done = await checklist.items_of(row["id"])
    text_terms = await agreement.terms(row, done)
    name = await intern_name(user, row, side, vault=vault, session=session, address=address)
    return {
        **text_terms,
        "intern_name": name,
        "signed": bool(done.get("agreement") and done["agreement"]["document"]),
        "online": await agreement.status(row, text_terms, done),
    }


async def intern_name(
    user: CurrentUser,
    row: PlacementRow,
    side: Side,
    *,
    vault: Vault,
    session: Session,
    address: str,
) -> str:
    """The intern's full name for the agreement, or "" (a blank line); audited when read."""
    if row["candidate_erased_at"] is not None:
        return ""
    if side == Side.case_worker:
        case = {"id": row["candidate"], "case_manager": row["candidate_case_manager"]}
        reason = reason_to_read(user, case, session)
    elif machine.identity_visible(row, await load_limit("identity_days_after_end")):
        reason = "identity released to the employer"
    else:
        reason = None
    if reason is None:
        return ""
    identity = await read_identity(
        user, row["candidate"], vault, reason=f"{reason}: internship agreement", address=address
    )
    return identity.full_name if identity else ""


# -- the follow-ups ---------------------------------------------------------------------------


async def record_follow_up(
    user: CurrentUser, row: PlacementRow, months: int, result: str, *, address: str
) -> None:
    """The follow-up's result ("still employed?"), once it is due; Refused otherwise."""
    if result not in FOLLOW_UP_RESULTS:
        raise Refused(_("Please check the marked fields."), status=422, errors={
            "result": _("Please choose one of the options."),
        })  # fmt: skip
    async with capacity.placement_transaction():
        found = await FollowUp.select(
            FollowUp._meta.primary_key.as_alias("id"), FollowUp.due_on, FollowUp.result
        ).where((FollowUp.placement == row["id"]) & (FollowUp.months == months))
        if not found:
            raise Refused(_("There is no follow-up after %(n)s months.", n=months), status=404)
        due_on = found[0]["due_on"]
        if due_on > today():
            raise Refused(
                _(
                    "The follow-up after %(n)s months is due on %(date)s.",
                    n=months,
                    date=due_on.strftime("%d.%m.%Y"),
                )
            )
        moment = now()
        await FollowUp.update(
            {
                FollowUp.result: result,
                FollowUp.recorded_by: user.id,
                FollowUp.recorded_at: moment,
            }
        ).where(FollowUp._meta.primary_key == found[0]["id"])
        await Placement.update({Placement.updated_at: moment}).where(Placement.id == row["id"])
        await log_event(
            row["id"], f"follow_up.{months}", user, reason=result, address=address, moment=moment
        )


async def confirm(
    user: CurrentUser,
    placement_id: Any,
    answer: Answer,
    *,
    document: Any = None,
    address: str = "",
) -> None:
    """Record the answer as confirmed by `user` now (update or insert), with its event row."""
    await confirm_all(user, placement_id, [answer], document=document, address=address)


async def confirm_all(
    user: CurrentUser,
    placement_id: Any,
    answers: list[Answer],
    *,
    document: Any = None,
    address: str = "",
) -> None:
    """Record every answer as confirmed by `user` now, in one transaction, each with its event.

    Refused (machine) when the placement has left the states in which the checklist is kept.
    """
    async with capacity.placement_transaction():
        query = Placement.select(Placement.state).where(Placement.id == placement_id)
        if not isinstance(Placement._meta.db, SQLiteEngine):
            query = query.lock_rows()
        row = await query.first()
        if row is None:
            raise machine.Refused(_("This placement no longer exists."), status=404)
        if row["state"] not in checklist.EDITABLE_STATES:
            raise machine.Refused(
                _("The checklist can be changed only before the internship starts.")
            )
        for answer in answers:
            values: dict[Any, Any] = {
                ChecklistItem.value: answer.value,
                ChecklistItem.detail: answer.detail,
                ChecklistItem.confirmed_by: user.id,
                ChecklistItem.confirmed_at: now(),
            }
            if document is not None:
                values[ChecklistItem.document] = document
            changed = (
                await ChecklistItem.update(values)
                .where(
                    (ChecklistItem.placement == placement_id) & (ChecklistItem.item == answer.item)
                )
                .returning(ChecklistItem._meta.primary_key)
            )
            if not changed:
                await ChecklistItem.insert(
                    ChecklistItem(
                        placement=placement_id,
                        item=answer.item,
                        **{column._meta.name: value for column, value in values.items()},
                    )
                )
            await log_event(placement_id, f"checklist.{answer.item}", user, address=address)
        if any(answer.item in ("insurance", "approval") for answer in answers):
            # The agreement's text names these: its online confirmation may be outdated now.
            await agreement.sync_item(placement_id, user, address=address)
