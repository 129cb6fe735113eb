"""Data-subject rights and retention: the export of everything kept on a candidate (GDPR
Art. 15), erasure on request (Art. 17) and after the retention period (`portal erase-expired`).

Erasure deletes the identity, the documents and the free text; it keeps the pseudonymised,
statistics-relevant facts (programme, German level, occupations, municipalities, status dates,
consent dates and scopes), which never needed the identity (PRODUCT.md section 7).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Or, Where
from piccolo.engine.sqlite import SQLiteEngine

from portal.audit.services import record
from portal.audit.tables import AuditEvent
from portal.auth import CurrentUser
from portal.auth.policy import is_assigned, may_erase_candidate
from portal.candidates import identity
from portal.candidates.access import audit
from portal.candidates.documents import candidate_transaction
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    CandidateStatus,
    Consent,
    Document,
)
from portal.candidates.vault import Vault
from portal.clock import now
from portal.events import Event, announce
from portal.forms import Errors
from portal.i18n import _
from portal.settings import Settings
from portal.storage import Storage

log = logging.getLogger("portal.privacy")

EXPORT_FORMAT = "placement-portal/candidate-export/1"
# A candidate's personal data are being erased (inside erase_candidate's transaction, once):
# the placements withdraw the ones not yet started and blank their free text. Payload:
# candidate_id, address.
CANDIDATE_ERASED = Event("candidate.erased")
# The reads of the identity that the export lists (the audit actions of issue 4).
READ_ACTIONS = ("identity.read", "candidate.export")


# -- who may do what --------------------------------------------------------------------------


def needs_reason(user: CurrentUser, row: dict[str, Any]) -> bool:
    """Everyone but the assigned case manager says why they open the person's data."""
    return not is_assigned(user, row)


async def reason_problem(reason: str, candidate_id: UUID, vault: Vault) -> str | None:
    """What is wrong with the reason for an export, or None (the rules of an identity read:
    5 to 200 characters, without the person's name or contact, as it goes to the audit log)."""
    person = await identity.peek(vault, candidate_id)
    names = [person.given_names, person.family_name] if person else []
    return identity.check_reason(reason.strip(), names=names)


def may_erase(user: CurrentUser, row: dict[str, Any]) -> bool:
    """The team lead or the assigned case manager (a colleague who only sees the case may not)."""
    return may_erase_candidate(user, row)


def check_erasure(row: dict[str, Any], data: dict[str, str]) -> Errors:
    """The erasure form: the box ticked and the candidate's code typed (a deliberate act)."""
    errors = Errors()
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


def erasure_due(row: dict[str, Any], months: int) -> dt.datetime | None:
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
    result = RetentionRun(due=await expired_candidates(settings.retention_months))
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


# -- export -----------------------------------------------------------------------------------


async def audited_export(
    user: CurrentUser,
    candidate_id: UUID,
    vault: Vault,
    *,
    reason: str,
    fmt: str,
    address: str,
) -> dict[str, Any]:
    """The export, written to the audit log first: it is itself a read of the identity."""
    detail: dict[str, Any] = {"format": fmt}
    if reason:
        detail["reason"] = reason.strip()
    await audit(user, "candidate.export", candidate_id, address, **detail)
    return await export_candidate(candidate_id, vault)


async def export_candidate(candidate_id: UUID, vault: Vault) -> dict[str, Any]:
    """Everything kept on one candidate, in seven queries whatever its size.

    Dates stay date/datetime objects (the page formats them; `to_json` writes ISO 8601).
    """
    # One transaction: one connection for the seven reads (STACK-NOTES trap 7) and one
    # consistent picture of the case.
    async with Candidate._meta.db.transaction():
        profile = (
            await Candidate.select(
                *Candidate.all_columns(),
                Candidate.organisation.name.as_alias("organisation_name"),
                Candidate.case_manager.display_name.as_alias("case_manager_name"),
                Candidate.programme.name.as_alias("programme_name"),
            )
            .where(Candidate.id == candidate_id)
            .first()
        )
        if profile is None:
            raise LookupError(candidate_id)
        identity_row = (
            await CandidateIdentity.select()
            .where(CandidateIdentity.candidate == candidate_id)
            .first()
        )
        occupations = (
            await CandidateOccupation.select(
                CandidateOccupation.kind,
                CandidateOccupation.occupation.as_alias("code"),
                CandidateOccupation.occupation.name.as_alias("name"),
                CandidateOccupation.years,
                CandidateOccupation.abroad,
            )
            .where(CandidateOccupation.candidate == candidate_id)
            .order_by(CandidateOccupation.kind)
            .order_by(CandidateOccupation.occupation)
        )
        municipalities = (
            await CandidateMunicipality.select(
                CandidateMunicipality.municipality.name.as_alias("name"),
                CandidateMunicipality.municipality.ags.as_alias("ags"),
            )
            .where(CandidateMunicipality.candidate == candidate_id)
            .order_by(CandidateMunicipality.municipality.name)
        )
        consents = (
            await Consent.select(
                Consent.show_profile,
                Consent.talent_pool,
                Consent.release_identity,
                Consent.given_on,
                Consent.method,
                Consent.text_version,
                Consent.language,
                Consent.document,
                Consent.recorded_by.display_name.as_alias("recorded_by"),
                Consent.recorded_at,
                Consent.ended_at,
                Consent.ended_reason,
                Consent.ended_by.display_name.as_alias("ended_by"),
            )
            .where(Consent.candidate == candidate_id)
            .order_by(Consent.recorded_at)
        )
        documents = (
            await Document.select(
                Document.id,
                Document.kind,
                Document.filename,
                Document.content_type,
                Document.size,
                Document.checksum,
                Document.shareable,
                Document.uploaded_by.display_name.as_alias("uploaded_by"),
                Document.uploaded_at,
            )
            .where(Document.candidate == candidate_id)
            .order_by(Document.uploaded_at)
        )
        reads = await _identity_reads(candidate_id)
    person = None
    if identity_row is not None:
        person = asdict(vault.open_identity(identity_row, record_id=identity_row["id"]))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now(),
        "erased_at": profile["erased_at"],
        "profile": _profile(profile),
        "occupations": occupations,
        "municipalities": municipalities,
        "identity": person,
        "consents": consents,
        "documents": documents,
        "identity_reads": reads,
    }


def _profile(row: dict[str, Any]) -> dict[str, Any]:
    """Every column of the candidate, the JSON lists decoded, the names beside the ids."""
    profile = dict(row)
    for name in ("languages", "skills", "work_habits", "courses", "driving_licences"):
        if isinstance(profile[name], str):
            profile[name] = json.loads(profile[name] or "[]")
    return profile


async def _identity_reads(candidate_id: UUID) -> list[dict[str, Any]]:
    """The reads of the identity with who read it, their organisation and why.

    The audit log keeps plain ids (it outlives users), so Piccolo has no foreign key to follow:
    the names are joined in plain SQL, in the same query.
    """
    rows = await AuditEvent.raw(
        "SELECT audit_event.at AS at, audit_event.action AS action, "
        "audit_event.detail AS detail, portal_user.display_name AS actor, "
        "organisation.name AS organisation "
        "FROM audit_event "
        "LEFT JOIN portal_user ON portal_user.id = audit_event.actor_id "
        "LEFT JOIN organisation ON organisation.id = audit_event.actor_organisation_id "
        "WHERE audit_event.record_type = 'candidate' AND audit_event.record_id = {} "
        "AND audit_event.action IN ({}, {}) "
        "ORDER BY audit_event.at, audit_event.id",
        str(candidate_id),
        *READ_ACTIONS,
    )
    reads = []
    for row in rows:
        detail = row["detail"]
        if isinstance(detail, str):
            detail = json.loads(detail or "{}")
        reads.append(
            {
                "at": _timestamp(row["at"]),
                "action": row["action"],
                "actor": row["actor"] or "",
                "organisation": row["organisation"] or "",
                "reason": (detail or {}).get("reason", ""),
            }
        )
    return reads


def _timestamp(value: Any) -> dt.datetime:
    """A timestamp of a raw query (SQLite may hand back the stored text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value  # type: ignore[no-any-return]


def to_json(export: dict[str, Any]) -> str:
    def default(value: Any) -> str:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, UUID):
            return str(value)
        raise TypeError(type(value).__name__)

    return json.dumps(export, default=default, ensure_ascii=False, indent=2)
