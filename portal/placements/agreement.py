"""The internship agreement, confirmed online by every party (the signed upload stays a fallback).

Once the placement is being prepared (its dates fixed) and the checklist holds what the text
draws on (the accident insurance, for a §45 measure the approval), the employer's signatory and
the case manager confirm the agreement in the portal, and the intern through a personal
single-use link (LinkPurpose.agreement) that the case manager sends or shows as a QR code.

Each confirmation keeps who, when, from which address and the SHA-256 of the exact text
confirmed: the agreement as `templates/placements/_agreement_text.html` renders it without the
intern's name (the intern is named by the portal's code; the name is filled in only where the
reader may see it, so every party confirms the same text). A change of anything the text shows
(dates, insurance, the slot's tasks, an address) changes the digest: the earlier confirmations
are then outdated and count no more. When all three parties have confirmed the current text,
the checklist's item "agreement" is confirmed with the digest (value ONLINE); `fresh` drops that
item again once the text has changed.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from jinja2 import Environment
from piccolo.engine.sqlite import SQLiteEngine

from portal.accounts.tables import Organisation
from portal.auth import CurrentUser
from portal.clock import now
from portal.employers.tables import Slot, SlotKind
from portal.i18n import N_, _
from portal.placements import capacity, checklist, links
from portal.placements.effects import log_event
from portal.placements.links import Grant
from portal.placements.loading import select_placement
from portal.placements.rows import PlacementRow
from portal.placements.tables import (
    AgreementConfirmation,
    AgreementParty,
    ChecklistItem,
    Placement,
    PlacementState,
)
from portal.placements.transitions import Refused
from portal.templating import create_environment

P = AgreementParty
PARTIES = (P.employer, P.case_worker, P.intern)
PARTY_LABELS: dict[str, str] = {
    P.employer: N_("Employer"),
    P.case_worker: N_("Case management"),
    P.intern: N_("Intern (by personal link)"),
}
# The checklist item's value when every party confirmed the text online (detail: its digest).
ONLINE = "online"
TEXT_TEMPLATE = "placements/_agreement_text.html"


@functools.cache
def _environment() -> Environment:
    return create_environment()


# -- the text ---------------------------------------------------------------------------------


async def terms(row: PlacementRow, done: Mapping[str, Mapping[str, Any]] | None = None) -> dict:
    """What the agreement's text shows, but the intern's name (two queries, three without
    `done`, the placement's checklist items)."""
    slot = await (
        Slot.select(
            *Slot.all_columns(),
            Slot.occupation.name.as_alias("occupation_name"),
            Slot.municipality.name.as_alias("municipality_name"),
        )
        .where(Slot.id == row["slot"])
        .first()
    )
    organisations = {
        str(org["id"]): org
        for org in await Organisation.select(
            Organisation.id,
            Organisation.name,
            Organisation.street,
            Organisation.postcode,
            Organisation.city,
        ).where(Organisation.id.is_in([row["employer"], row["agency"]]))
    }
    if done is None:
        done = await checklist.items_of(row["id"])
    insurance, approval = done.get("insurance"), done.get("approval")
    return {
        "placement": row,
        "slot": slot,
        "employer": organisations[str(row["employer"])],
        "agency": organisations[str(row["agency"])],
        "start": row["start_date"] or row["slot_start"],
        "end": row["end_date"] or row["slot_end"],
        "hours": row["hours_per_week"] or row["slot_hours"],
        "insurance": insurance["value"] if insurance else "",
        "approval": approval["value"] if approval else "",
    }


def render(text_terms: Mapping[str, Any], intern_name: str = "") -> str:
    """The agreement's HTML (the article), with the intern's name or a blank line."""
    module = _environment().get_template(TEXT_TEMPLATE).module
    return str(module.agreement_text(intern_name=intern_name, **text_terms))  # type: ignore[attr-defined]


_TAG = re.compile(r"<[^>]*>")


def plain(markup: str) -> str:
    """The text of the HTML: tags dropped, entities resolved, white space collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def text_digest(text_terms: Mapping[str, Any]) -> str:
    """SHA-256 of the exact text confirmed online (without the intern's name)."""
    return hashlib.sha256(plain(render(text_terms)).encode()).hexdigest()


# -- who has confirmed ------------------------------------------------------------------------


def not_ready(row: PlacementRow, done: Mapping[str, Any]) -> str:
    """Why the agreement cannot be confirmed online yet, or ""."""
    if row["state"] != PlacementState.preparing:
        return _("The agreement is confirmed online once the dates are fixed and until the start.")
    missing = ["insurance"]
    if row["slot_kind"] == SlotKind.employer_measure:
        missing.append("approval")
    if any(item not in done for item in missing):
        return _(
            "The agreement can be confirmed once the checklist names the accident insurance"
            " (and, for a measure, the job centre's approval)."
        )
    return ""


@dataclass
class Status:
    digest: str
    problem: str  # why it cannot be confirmed (yet); "" when it can
    current: dict[str, dict[str, Any]] = field(default_factory=dict)
    outdated: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(party in self.current for party in PARTIES)

    def parties(self) -> list[tuple[str, str, dict[str, Any] | None]]:
        """(code, label, its confirmation of the current text or None) of every party."""
        return [(p.value, _(PARTY_LABELS[p]), self.current.get(p)) for p in PARTIES]


async def status(row: PlacementRow, text_terms: Mapping[str, Any], done: Mapping) -> Status:
    """The confirmations of the placement's agreement: of its current text and outdated."""
    digest = text_digest(text_terms)
    rows = await (
        AgreementConfirmation.select(
            *AgreementConfirmation.all_columns(),
            AgreementConfirmation.confirmed_by.display_name.as_alias("confirmed_by_name"),
        )
        .where(AgreementConfirmation.placement == row["id"])
        .order_by(AgreementConfirmation.confirmed_at)
    )
    result = Status(digest=digest, problem=not_ready(row, done))
    for found in rows:
        label = PARTY_LABELS[found["party"]]
        found["party_label"] = _(label)
        if found["text_digest"] == digest:
            result.current[found["party"]] = found
        else:
            result.outdated.append(found)
    return result


async def fresh(row: PlacementRow, done: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The checklist's items without an online agreement whose text has changed since."""
    found = done.get("agreement")
    if found is None or found["value"] != ONLINE:
        return done
    if found["detail"] == text_digest(await terms(row, done)):
        return done
    return {code: item for code, item in done.items() if code != "agreement"}


async def checklist_complete(row: PlacementRow) -> bool:
    """Every required item confirmed (the online agreement only for its current text)."""
    done = await fresh(row, await checklist.items_of(row["id"]))
    return all(item in done for item in checklist.required_items(row["slot_kind"]))


# -- confirming -------------------------------------------------------------------------------


async def confirm(
    row: PlacementRow,
    party: AgreementParty,
    seen: str,
    *,
    user: CurrentUser | None = None,
    link: Grant | None = None,
    address: str = "",
) -> Status:
    """Record `party`'s confirmation of the text whose digest is `seen` (what the page showed).

    One transaction: the intern's link is used up in it. Refused when the agreement is not
    ready, its text has changed since it was shown, or the party has confirmed it already."""
    if link is not None and not link.allows(row["id"], "confirm_agreement"):
        raise Refused(_("This link is no longer valid."), status=404)
    async with capacity.placement_transaction():
        query = Placement.select(Placement.state).where(Placement.id == row["id"])
        if not isinstance(Placement._meta.db, SQLiteEngine):
            query = query.lock_rows()
        # Locked, then read again: the text is the one of this moment, not of the page's.
        current = await select_placement(row["id"]) if await query.first() else None
        if current is None:
            raise Refused(_("This placement no longer exists."), status=404)
        row = current
        done = await checklist.items_of(row["id"])
        text_terms = await terms(row, done)
        now_status = await status(row, text_terms, done)
        if now_status.problem:
            raise Refused(now_status.problem)
        if seen != now_status.digest:
            raise Refused(_("The agreement has changed since it was shown: please read it again."))
        if party in now_status.current:
            raise Refused(_("This party has already confirmed the agreement."))
        if link is not None and not await links.consume(link, address=address):
            raise Refused(_("This link is no longer valid."), status=404)
        moment = now()
        inserted = await AgreementConfirmation.insert(
            AgreementConfirmation(
                placement=row["id"],
                party=party,
                confirmed_by=user.id if user else None,
                link=link.link_id if link else None,
                text_digest=now_status.digest,
                address=address[:64],
                confirmed_at=moment,
            )
        )
        # One action per party, so that the timeline says who (placements/labels.py).
        await log_event(row["id"], f"agreement.{party}", user, address=address, moment=moment)
        now_status.current[party] = {"id": inserted[0]["id"], "party": party}
        if now_status.complete:
            await _check_item(row["id"], now_status.digest, user, address=address)
    return now_status


async def _check_item(
    placement_id: UUID, digest: str, user: CurrentUser | None, *, address: str
) -> None:
    """The checklist's item "agreement": confirmed online, for the text of `digest`."""
    values: dict[Any, Any] = {
        ChecklistItem.value: ONLINE,
        ChecklistItem.detail: digest,
        ChecklistItem.confirmed_by: user.id if user else None,
        ChecklistItem.confirmed_at: now(),
    }
    where = (ChecklistItem.placement == placement_id) & (ChecklistItem.item == "agreement")
    found = await ChecklistItem.select(ChecklistItem.document).where(where).first()
    if found is not None and found["document"] is not None:
        return  # the signed copy was uploaded: it stays what confirms the item
    if found is not None:
        await ChecklistItem.update(values).where(where)
    else:
        await ChecklistItem.insert(
            ChecklistItem(
                placement=placement_id,
                item="agreement",
                **{column._meta.name: value for column, value in values.items()},
            )
        )
    await log_event(placement_id, "checklist.agreement", user, address=address)


async def sync_item(placement_id: UUID, user: CurrentUser | None, *, address: str = "") -> None:
    """After a checklist answer the text shows has changed (in the caller's transaction): the
    item "agreement" confirmed online is reopened when its text is outdated, and confirmed again
    when the current text has every party's confirmation (a change taken back). An upload or
    the paper tick is left alone. Keeps the lists' SQL view of the checklist (lists.py) true."""
    row = await select_placement(placement_id)
    done = await checklist.items_of(placement_id)
    found = done.get("agreement")
    if row is None or (found is not None and found["value"] != ONLINE):
        return
    now_status = await status(row, await terms(row, done), done)
    if now_status.complete:
        if found is None or found["detail"] != now_status.digest:
            await _check_item(placement_id, now_status.digest, user, address=address)
    elif found is not None:
        await ChecklistItem.delete().where(
            (ChecklistItem.placement == placement_id) & (ChecklistItem.item == "agreement")
        )
