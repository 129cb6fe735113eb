"""The export of everything kept on a candidate (GDPR Art. 15), and the reason asked for it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any
from uuid import UUID

from portal.audit.tables import AuditEvent
from portal.auth import CurrentUser
from portal.auth.policy import is_assigned
from portal.candidates import identity
from portal.candidates.access import audit
from portal.candidates.rows import CandidateRow
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    Consent,
    Document,
)
from portal.candidates.vault import Vault
from portal.clock import now

EXPORT_FORMAT = "placement-portal/candidate-export/1"
# The reads of the identity that the export lists (the audit actions of issue 4).
READ_ACTIONS = ("identity.read", "candidate.export")


def needs_reason(user: CurrentUser, row: CandidateRow) -> bool:
    """Everyone but the assigned case manager says why they open the person's data."""
    return not is_assigned(user, row)


async def reason_problem(reason: str, candidate_id: UUID, vault: Vault) -> str | None:
    """What is wrong with the reason for an export, or None (the rules of an identity read:
    5 to 200 characters, without the person's name or contact, as it goes to the audit log)."""
    person = await identity.peek(vault, candidate_id)
    names = [person.given_names, person.family_name] if person else []
    return identity.check_reason(reason.strip(), names=names)


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
