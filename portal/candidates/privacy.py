"""Erasure of a candidate's personal data on request (GDPR Art. 17) and after the retention
period (`portal erase-expired`); the export (Art. 15) is in export.py.

Erasure deletes the identity, the documents and the free text; it keeps the pseudonymised,
statistics-relevant facts (programme, German level, occupations, municipalities, status dates,
consent dates and scopes), which never needed the identity (PRODUCT.md section 7).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import logging
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Or, Where
from piccolo.engine.sqlite import SQLiteEngine

from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import may_erase_candidate
from portal.candidates.documents import candidate_transaction
from portal.candidates.rows import CandidateRow
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateStatus,
    Consent,
    Document,
)
from portal.clock import now
from portal.events import Event, announce
from portal.forms import Errors
from portal.i18n import _
from portal.reference.limits import load_limits
from portal.settings import Settings
from portal.storage import Storage

log = logging.getLogger("portal.privacy")

# A candidate's personal data are being erased (inside erase_candidate's transaction, once):
# the placements withdraw the ones not yet started and blank their free text. Payload:
# candidate_id, address.
CANDIDATE_ERASED = Event("candidate.erased")


# -- who may do what --------------------------------------------------------------------------


def may_erase(user: CurrentUser, row: CandidateRow) -> bool:
    """The team lead or the assigned case manager (a colleague who only sees the case may not)."""
    return may_erase_candidate(user, row)


def check_erasure(row: CandidateRow, data: dict[str, str]) -> Errors:
    """The erasure form: the box ticked and the candidate's code typed (a deliberate act)."""
    errors = Errors(data)
    if data.get("confirm") != "yes":
        errors["confirm"] = _("Please confirm that the personal data are to be erased for good.")
    code = data.get("code", "").strip().upper()
    if not code:
        errors["code"] = _("Please type the candidate's code.")
    elif code != row["code"]:
        errors["code"] = _("This is not the code of this candidate.")
    return errors


# -- retention --------------------------------------------------------------------------------


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` moved by `months` calendar months (the 31st becomes the month's last day)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def erasure_due(row: CandidateRow, months: int) -> dt.datetime | None:
    """When the personal data go automatically; None while the retention period has not begun."""
    if row["retention_from"] is None or row["erased_at"] is not None:
        return None
    return add_months(row["retention_from"], months)


class RetentionReason(enum.StrEnum):
    closed = "closed"
    consent_withdrawn = "consent_withdrawn"


@dataclass
class Due:
    id: UUID
    code: str
    organisation: str
    reason: RetentionReason
    since: dt.datetime


@dataclass
class RetentionRun:
    due: list[Due] = field(default_factory=list)
    erased: int = 0
    failed: list[str] = field(default_factory=list)  # the codes


async def expired_candidates(months: int, moment: dt.datetime | None = None) -> list[Due]:
    """Candidates whose retention period (`months` from retention_from) has ended, unerased."""
    cutoff = add_months(moment or now(), -months)
    rows = (
        await Candidate.select(
            Candidate.id,
            Candidate.code,
            Candidate.status,
            Candidate.retention_from,
            Candidate.organisation.name.as_alias("organisation_name"),
        )
        .where((Candidate.retention_from < cutoff) & Candidate.erased_at.is_null())
        .order_by(Candidate.retention_from)
    )
    return [
        Due(
            id=row["id"],
            code=row["code"],
            organisation=row["organisation_name"],
            # The period begins when the case is closed or consent is withdrawn (which pauses it).
            reason=RetentionReason.closed
            if row["status"] == CandidateStatus.closed
            else RetentionReason.consent_withdrawn,
            since=row["retention_from"],
        )
        for row in rows
    ]


async def erase_expired(settings: Settings, storage: Storage, dry_run: bool) -> RetentionRun:
    """Erase every case whose retention period has ended (`dry_run`: only list them).

    Safe to repeat and to run beside the app: each case is erased on its own, and one that
    fails (e.g. the storage is down) stays due for the next run.
    """
    months = (await load_limits(settings)).retention_months
    result = RetentionRun(due=await expired_candidates(months))
    if dry_run:
        return result
    for due in result.due:
        try:
            await erase_candidate(due.id, storage)
        except Exception:
            log.exception("erasure failed", extra={"candidate": str(due.id)})
            result.failed.append(due.code)
        else:
            result.erased += 1
    log.info("retention run", extra={"erased": result.erased, "failed": len(result.failed)})
    return result


# -- erasure ----------------------------------------------------------------------------------


async def erase_candidate(
    candidate_id: UUID,
    storage: Storage,
    *,
    actor: CurrentUser | None = None,
    address: str = "",
) -> bool:
    """Erase the person's data; False when there was nothing left to erase (idempotent).

    `actor` None is the retention job.
    """
    # The objects first, then the rows in one transaction. Should the storage fail half-way,
    # nothing in the database has changed yet and the case is simply erased again; the other
    # order could commit the erasure and leave an object with personal data that no row points
    # to any more (and so nobody would ever delete it). Deleting a missing object is no error.
    # The bulk is deleted before the transaction, so that the lock below is held only briefly.
    for document in await _documents_of(candidate_id):
        await storage.delete(document["storage_key"])
    moment = now()
    # One writer per candidate (documents.candidate_transaction): an upload waits for this
    # transaction and then finds the case erased, and a document uploaded while the objects
    # above were deleted is found below.
    async with candidate_transaction():
        query = Candidate.select(Candidate.erased_at, Candidate.closed_at).where(
            Candidate.id == candidate_id
        )
        if not isinstance(Candidate._meta.db, SQLiteEngine):
            query = query.lock_rows()
        row = await query.first()
        if row is None:
            return False
        documents = await _documents_of(candidate_id)
        for document in documents:
            # Deleted already above, unless uploaded meanwhile (a second delete is harmless).
            await storage.delete(document["storage_key"])
        document_ids = [document["id"] for document in documents]
        if document_ids:
            await Consent.update({Consent.document: None}).where(
                Consent.document.is_in(document_ids)
            )
            await Document.delete().where(Document.id.is_in(document_ids))
        identities = (
            await CandidateIdentity.delete()
            .where(CandidateIdentity.candidate == candidate_id)
            .returning(CandidateIdentity.id)
        )
        if row["erased_at"] is not None and not document_ids and not identities:
            return False
        if row["erased_at"] is None:
            await announce(CANDIDATE_ERASED, candidate_id=candidate_id, address=address)
        await Candidate.update(
            {
                Candidate.summary: "",
                Candidate.status: CandidateStatus.closed,
                Candidate.closed_at: row["closed_at"] or moment,
                Candidate.erased_at: row["erased_at"] or moment,
                Candidate.updated_at: moment,
            }
        ).where(Candidate.id == candidate_id)
        await record(
            "candidate.erase",
            record_type="candidate",
            record_id=candidate_id,
            actor_id=actor.id if actor else None,
            actor_organisation_id=actor.organisation_id if actor else None,
            address=address,
            by="request" if actor else "retention",
            documents=len(document_ids),
        )
    return True


async def _documents_of(candidate_id: UUID) -> list[dict[str, Any]]:
    """The candidate's documents, and a signed consent form that might hang off a consent only."""
    consent_documents = await (
        Consent.select(Consent.document)
        .where((Consent.candidate == candidate_id) & Consent.document.is_not_null())
        .output(as_list=True)
    )
    belongs: Where | Or = Document.candidate == candidate_id
    if consent_documents:
        belongs |= Document.id.is_in(consent_documents)
    return await Document.select(Document.id, Document.storage_key).where(belongs)
