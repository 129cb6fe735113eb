"""Many new cases at once (a spreadsheet import): each as the new-case page creates it
(caseload.new_case: a draft with its sealed identity) with its profile as the profile page
stores it (profile.profile_rows), written with a few multi-row INSERTs in the caller's
transaction, and audited as those pages audit them.

A random code already taken (a one-in-a-billion chance a row) makes the unique index refuse
the INSERT and with it the whole import, which can simply be run again; the page retries the
single case instead (caseload.create_candidate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.table import Table

from portal.audit.services import record_many
from portal.auth import CurrentUser
from portal.candidates import codes
from portal.candidates.caseload import new_case
from portal.candidates.profile import profile_rows
from portal.candidates.profile_form import ProfileFields
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
)
from portal.candidates.vault import IdentityData, Vault
from portal.clock import now

CHUNK = 500


@dataclass(frozen=True)
class NewCase:
    identity: IdentityData
    programme: int | None
    case_manager: UUID
    profile: ProfileFields


async def _insert(table: type[Table], rows: list[Any]) -> None:
    for start in range(0, len(rows), CHUNK):
        await table.insert(*rows[start : start + CHUNK])


async def create_cases(
    user: CurrentUser, cases: list[NewCase], *, vault: Vault, hash_key: str, address: str
) -> list[UUID]:
    """Store every case with its identity and profile (inside the caller's transaction)."""
    moment = now()
    candidates, people, occupations, municipalities = [], [], [], []
    profiled: dict[str, list[UUID]] = {}
    for case in cases:
        candidate, person, _dup = new_case(
            user,
            case.identity,
            programme=case.programme,
            case_manager=case.case_manager,
            vault=vault,
            hash_key=hash_key,
            code=codes.new_code(),
            moment=moment,
        )
        stored, occupied, reachable = profile_rows(candidate.id, case.profile)
        for name, value in stored.items():
            setattr(candidate, name, value)
        candidates.append(candidate)
        people.append(person)
        occupations += occupied
        municipalities += reachable
        # The profile's audit names the fields given (as save_profile names the changed ones).
        given = sorted(
            [name for name, value in case.profile.columns.items() if value not in (None, "", [])]
            + (["occupations"] if occupied else [])
            + (["municipalities"] if reachable else [])
        )
        profiled.setdefault(",".join(given), []).append(candidate.id)
    await _insert(Candidate, candidates)
    await _insert(CandidateIdentity, people)
    await _insert(CandidateOccupation, occupations)
    await _insert(CandidateMunicipality, municipalities)
    ids = [candidate.id for candidate in candidates]
    who: dict[str, Any] = {
        "actor_id": user.id,
        "actor_organisation_id": user.organisation_id,
        "address": address,
    }
    await record_many("candidate.create", record_type="candidate", record_ids=ids, **who)
    for fields, record_ids in profiled.items():
        await record_many(
            "candidate.profile",
            record_type="candidate",
            record_ids=record_ids,
            fields=fields.split(",") if fields else [],
            **who,
        )
    return ids
