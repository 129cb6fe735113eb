"""The placements' scheduled jobs, run by the worker (`portal worker`) every round.

Each job is safe to run again and in two workers at once: it marks what it has told with a
conditional UPDATE … RETURNING (only one transaction gets a row back: PostgreSQL re-checks the
condition after the other's commit, SQLite runs the transactions one after the other), or it
writes its e-mail with a dedupe key, in the same transaction as the mark. The e-mails say
codes, titles and dates, never who the candidate is (effects.mail_context).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, cast

from portal.audit import chain as audit_chain
from portal.candidates.privacy import erase_expired
from portal.clock import now
from portal.employers.slots import expire_slots
from portal.employers.tables import Slot
from portal.i18n import DEFAULT_LANGUAGE
from portal.notifications.outbox import Mail, Recipient, enqueue
from portal.notifications.tables import OutboxMessage
from portal.placements import links
from portal.placements.capacity import placement_transaction
from portal.placements.effects import mail_context, recipients
from portal.placements.loading import placement_columns
from portal.placements.machine import Side
from portal.placements.rows import PlacementRow
from portal.placements.tables import FollowUp, Placement, PlacementState
from portal.reference.limits import load_limits
from portal.settings import Settings
from portal.storage import Storage

S = PlacementState
# An evaluation is asked for in the two weeks after the internship's last day (once, by its
# dedupe key); the window keeps the job's look-up small when placements stay open for long.
EVALUATION_WINDOW = dt.timedelta(days=14)


async def _placements(ids: Iterable[Any]) -> list[PlacementRow]:
    ids = list(ids)
    if not ids:
        return []
    rows = await Placement.select(*placement_columns()).where(Placement.id.is_in(ids))
    # Piccolo types every row as dict[str, Any]: the columns are placement_columns'.
    return cast(list[PlacementRow], rows)


async def _tell(template: str, side: Side, row: PlacementRow, key: str, **extra: Any) -> int:
    context = mail_context(row, action=template.removeprefix("placement_"), **extra)
    return await enqueue(Mail(template, context), await recipients(side, row), dedupe_key=key)


async def send_reminders(settings: Settings, *, moment: dt.datetime) -> int:
    """Nominations (to the employer) and requests (to the case manager) left unanswered."""
    limits = await load_limits(settings)
    cutoff = moment - dt.timedelta(days=limits.reminder_days)
    sent = 0
    async with placement_transaction():
        marked = (
            await Placement.update({Placement.reminded_at: moment})
            .where(
                Placement.state.is_in([S.proposed, S.requested])
                & (Placement.state_changed_at <= cutoff)
                & (Placement.reminded_at.is_null() | (Placement.reminded_at <= cutoff))
            )
            .returning(Placement.id)
        )
        for row in await _placements(r["id"] for r in marked):
            side = Side.employer if row["state"] == S.proposed else Side.case_worker
            sent += await _tell(
                "placement_reminder",
                side,
                row,
                f"reminder:{row['id']}:{moment.date().isoformat()}",
                state=row["state"],
                since=row["state_changed_at"].date().isoformat(),
            )
    return sent


async def notify_upcoming_starts(settings: Settings, *, today: dt.date, moment: dt.datetime) -> int:
    """Both sides, `start_notice_days` before a prepared internship's first day (once)."""
    sent = 0
    async with placement_transaction():
        marked = (
            await Placement.update({Placement.start_notified_at: moment})
            .where(
                (Placement.state == S.preparing)
                & Placement.start_notified_at.is_null()
                & (Placement.start_date >= today)
                & (Placement.start_date <= today + dt.timedelta(days=settings.start_notice_days))
            )
            .returning(Placement.id)
        )
        for row in await _placements(r["id"] for r in marked):
            assert row["start_date"] is not None  # noqa: S101 (marked by its start_date)
            for side in (Side.employer, Side.case_worker):
                sent += await _tell(
                    "placement_start_upcoming",
                    side,
                    row,
                    f"start_upcoming:{row['id']}",
                    start_date=row["start_date"].isoformat(),
                )
    return sent


async def ask_for_evaluations(*, today: dt.date) -> int:
    """The employer, once an internship's last day has passed and it is not completed yet."""
    sent = 0
    async with placement_transaction():
        ended = await Placement.select(Placement.id).where(
            (Placement.state == S.in_progress)
            & (Placement.end_date < today)
            & (Placement.end_date >= today - EVALUATION_WINDOW)
        )
        if not ended:
            return 0
        asked = {
            _placement_of(r["context"])
            for r in await OutboxMessage.select(OutboxMessage.context).where(
                (OutboxMessage.template == "placement_evaluation_due")
                & (OutboxMessage.created_at >= now() - EVALUATION_WINDOW - dt.timedelta(days=1))
            )
        }
        rows = await _placements(r["id"] for r in ended if str(r["id"]) not in asked)
        contacts = await _contacts(row["slot"] for row in rows)
        for row in rows:
            assert row["end_date"] is not None  # noqa: S101 (selected by its end_date)
            end_date = row["end_date"].isoformat()
            contact = contacts.get(str(row["slot"]), "")
            # The slot's contact person may have no account: a link to the evaluation instead
            # (placements/links.py), and the employer's users as before (the contact once).
            told = [r for r in await recipients(Side.employer, row) if r.address != contact]
            context = mail_context(row, action="evaluation_due", end_date=end_date)
            key = f"evaluation_due:{row['id']}"
            sent += await enqueue(Mail("placement_evaluation_due", context), told, dedupe_key=key)
            if contact:
                sent += await enqueue(
                    Mail("placement_evaluation_link", {**context, "action": "evaluation_link"}),
                    [Recipient(contact, DEFAULT_LANGUAGE)],
                    dedupe_key=f"evaluation_link:{row['id']}",
                )
    return sent


async def _contacts(slot_ids: Iterable[Any]) -> dict[str, str]:
    """The contact person's e-mail address of each slot (one query; "" where none is given)."""
    ids = list(dict.fromkeys(slot_ids))
    if not ids:
        return {}
    rows = await Slot.select(Slot.id, Slot.contact_email).where(Slot.id.is_in(ids))
    return {str(row["id"]): row["contact_email"].strip().lower() for row in rows}


async def prompt_follow_ups(*, today: dt.date, moment: dt.datetime) -> int:
    """The responsible case manager, when a follow-up at 3 or 6 months is due (once)."""
    sent = 0
    async with placement_transaction():
        marked = (
            await FollowUp.update({FollowUp.prompted_at: moment})
            .where(
                (FollowUp.due_on <= today)
                & FollowUp.result.is_null()
                & FollowUp.prompted_at.is_null()
            )
            .returning(FollowUp._meta.primary_key, FollowUp.placement, FollowUp.months)
        )
        rows = {str(row["id"]): row for row in await _placements(m["placement"] for m in marked)}
        for follow_up in marked:
            row = rows[str(follow_up["placement"])]
            sent += await _tell(
                "placement_follow_up_due",
                Side.case_worker,
                row,
                f"follow_up:{follow_up['id']}",
                months=follow_up["months"],
            )
    return sent


def _placement_of(context: Any) -> str:
    """The placement id in an outbox message's context (a dict, or JSON text on SQLite)."""
    if isinstance(context, str):
        context = json.loads(context or "{}")
    return str(context.get("placement_id", ""))


async def run_jobs(
    settings: Settings,
    storage: Storage,
    *,
    today: dt.date,
    daily: bool = True,
    moment: dt.datetime | None = None,
) -> dict[str, int]:
    """Every scheduled job once; the e-mails written (and, with `daily`, slots and erasures).

    `daily`: also expire past slots, remove the e-mail links past their expiry, erase cases past
    their retention period and remove audit rows past the audit log's own. Both are
    idempotent; the worker runs them at its start and then once a day.
    """
    moment = moment or now()
    counts = {
        "reminders": await send_reminders(settings, moment=moment),
        "start_notices": await notify_upcoming_starts(settings, today=today, moment=moment),
        "evaluations_due": await ask_for_evaluations(today=today),
        "follow_ups_due": await prompt_follow_ups(today=today, moment=moment),
    }
    if daily:
        counts["slots_expired"] = await expire_slots(today)
        counts["links_purged"] = await links.purge(moment)
        counts["erased"] = (await erase_expired(settings, storage, dry_run=False)).erased
        months = (await load_limits(settings)).audit_retention_months
        counts["audit_removed"] = await audit_chain.remove_expired(
            audit_chain.retention_cutoff(months, moment)
        )
    return counts
