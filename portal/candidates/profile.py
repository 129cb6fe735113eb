"""The pseudonymised competence profile: storing it, and the employer's view of it.

The form's rules are in profile_form.py; the catalogues of codes and labels in competences.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.candidates import competences as c
from portal.candidates.access import audit
from portal.candidates.languages import CODES as LANGUAGE_CODES
from portal.candidates.languages import language_name
from portal.candidates.tables import (
    Candidate,
    CandidateMunicipality,
    CandidateOccupation,
    Document,
    OccupationKind,
)
from portal.clock import now
from portal.errors import Stale
from portal.events import Event, collect
from portal.i18n import _
from portal.reference.services import occupation_label
from portal.reference.tables import occupation_prefixes

if TYPE_CHECKING:
    from portal.candidates.profile_checks import OccupationEntry
    from portal.candidates.profile_form import ProfileFields


# What the employers observed in the candidate's internships, for the profile (load_profile):
# each subscriber answers a list of {month, occupation, attendance, skills, work_habits,
# german_level, recommendation}, labelled, newest first. Payload: candidate_id.
OBSERVED_IN_INTERNSHIP = Event("candidate.observed_in_internship")


# -- storing ----------------------------------------------------------------------------------


class Refused(Exception):
    """The profile cannot be changed (the candidate's personal data were erased)."""


def json_list(value: Any) -> list[Any]:
    """A JSON column's value as a list (Piccolo returns JSON as text unless told otherwise)."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return value if isinstance(value, list) else []


JSON_COLUMNS = ("languages", "skills", "work_habits", "courses", "driving_licences")


async def save_profile(
    user: CurrentUser,
    row: Mapping[str, Any],
    fields: ProfileFields,
    *,
    address: str,
    unchanged_since: dt.datetime | None = None,
) -> None:
    """Store the profile, its occupations and its municipalities in one transaction; Stale
    when it was changed after `unchanged_since` (its updated_at as the caller read it)."""
    candidate_id = row["id"]
    columns = fields.columns
    changed = sorted(
        name
        for name, value in columns.items()
        if (json_list(row[name]) if name in JSON_COLUMNS else row[name]) != value
    )
    stored, occupations, municipalities = profile_rows(candidate_id, fields)
    async with Candidate._meta.db.transaction():
        # Checked in the UPDATE itself: a profile erased a moment ago stays erased.
        updated = (
            await Candidate.update(
                {
                    **{getattr(Candidate, name): value for name, value in stored.items()},
                    Candidate.updated_at: now(),
                }
            )
            .where(
                (Candidate.id == candidate_id)
                & own(user, Candidate.organisation)
                & Candidate.erased_at.is_null()
                & (
                    Candidate.id.is_not_null()
                    if unchanged_since is None
                    else Candidate.updated_at == unchanged_since
                )
            )
            .returning(Candidate.id)
        )
        if not updated:
            if unchanged_since is not None and not await Candidate.exists().where(
                (Candidate.id == candidate_id) & (Candidate.updated_at == unchanged_since)
            ):
                raise Stale()
            raise Refused()
        before = await CandidateOccupation.select(
            CandidateOccupation.kind,
            CandidateOccupation.occupation,
            CandidateOccupation.years,
            CandidateOccupation.abroad,
        ).where(CandidateOccupation.candidate == candidate_id)
        reachable = await CandidateMunicipality.select(CandidateMunicipality.municipality).where(
            CandidateMunicipality.candidate == candidate_id
        )
        await CandidateOccupation.delete().where(CandidateOccupation.candidate == candidate_id)
        if occupations:
            await CandidateOccupation.insert(*occupations)
        await CandidateMunicipality.delete().where(CandidateMunicipality.candidate == candidate_id)
        if municipalities:
            await CandidateMunicipality.insert(*municipalities)
        old = sorted((r["kind"], r["occupation"], r["years"], r["abroad"]) for r in before)
        new = sorted((e.kind.value, e.code, e.years, e.abroad) for e in fields.occupations)
        if old != new:
            changed.append("occupations")
        if sorted(r["municipality"] for r in reachable) != fields.municipalities:
            changed.append("municipalities")
        # Field names only: the summary is free text.
        await audit(user, "candidate.profile", candidate_id, address, fields=changed)


def profile_rows(
    candidate_id: UUID, fields: ProfileFields
) -> tuple[dict[str, Any], list[CandidateOccupation], list[CandidateMunicipality]]:
    """What a profile stores: Candidate's columns (JSON as text), the occupation rows and the
    reachable municipalities' rows."""
    stored = {
        name: json.dumps(value) if name in JSON_COLUMNS else value
        for name, value in fields.columns.items()
    }
    occupations = [
        CandidateOccupation(**_occupation_row(candidate_id, e)) for e in fields.occupations
    ]
    municipalities = [
        CandidateMunicipality(candidate=candidate_id, municipality=mid)
        for mid in fields.municipalities
    ]
    return stored, occupations, municipalities


def _occupation_row(candidate_id: UUID, entry: OccupationEntry) -> dict[str, Any]:
    """CandidateOccupation's columns, with the code's prefixes as on Slot (matching by level)."""
    return {
        "candidate": candidate_id,
        "kind": entry.kind,
        "occupation": entry.code,
        "years": entry.years,
        "abroad": entry.abroad,
        **occupation_prefixes(entry.code),
    }


# -- reading ----------------------------------------------------------------------------------


async def occupations_of(candidate_id: UUID) -> list[dict[str, Any]]:
    return await (
        CandidateOccupation.select(
            CandidateOccupation.kind,
            CandidateOccupation.occupation,
            CandidateOccupation.occupation.name.as_alias("name"),
            CandidateOccupation.years,
            CandidateOccupation.abroad,
        )
        .where(CandidateOccupation.candidate == candidate_id)
        .order_by(CandidateOccupation._meta.primary_key)
    )


async def municipalities_of(candidate_id: UUID) -> list[dict[str, Any]]:
    return await (
        CandidateMunicipality.select(
            CandidateMunicipality.municipality,
            CandidateMunicipality.municipality.name.as_alias("name"),
        )
        .where(CandidateMunicipality.candidate == candidate_id)
        .order_by(CandidateMunicipality.municipality.name)
    )


async def load_profile(candidate_id: UUID) -> dict[str, Any]:
    """Everything an employer may see of a candidate, labelled in the current language.

    Five queries whatever the profile holds (the candidate with its programme, its occupations,
    its municipalities, whether shareable documents exist, the employers' evaluations). Never
    the identity, the notes or anything else of the owning organisation's. Raises LookupError
    for an unknown id.
    """
    async with Candidate._meta.db.transaction():
        row = await (
            Candidate.select(
                *Candidate.all_columns(),
                Candidate.programme.name.as_alias("programme_name"),
            )
            .where(Candidate.id == candidate_id)
            .first()
        )
        if row is None:
            raise LookupError(candidate_id)
        occupations = await occupations_of(candidate_id)
        municipalities = await municipalities_of(candidate_id)
        documents = await Document.count().where(
            (Document.candidate == candidate_id) & Document.shareable.eq(True)
        )
        # "Observed in internship": the employers' evaluations, which the placements keep.
        observed = [
            entry
            for answer in await collect(OBSERVED_IN_INTERNSHIP, candidate_id=candidate_id)
            for entry in answer
        ]
    return describe(row, occupations, municipalities, documents=documents > 0, observed=observed)


def _label(labels: Mapping[str, str], code: str | None) -> str:
    """The translated label of `code`, or "" for none or a code no longer in the catalogue."""
    return _(labels[code]) if code is not None and code in labels else ""


def describe(
    row: Mapping[str, Any],
    occupations: list[dict[str, Any]],
    municipalities: list[dict[str, Any]],
    *,
    documents: bool,
    observed: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The employer's view of a profile: codes turned into labels, unknown codes left out."""
    evidence = {code: _(label) for code, label in c.EVIDENCE_LABELS.items()}
    skill_evidence = {code: _(label) for code, label in c.SKILL_EVIDENCE_LABELS.items()}
    skills_by_field: dict[str, list[dict[str, str]]] = {}
    for entry in json_list(row["skills"]):
        known = c.SKILLS.get(entry.get("skill", ""))
        if known:
            skills_by_field.setdefault(known[0], []).append(
                {"label": _(known[1]), "evidence": skill_evidence.get(entry.get("evidence"), "")}
            )
    kinds = {code: _(label) for code, label in c.OCCUPATION_KINDS_SHOWN.items()}
    statuses = {code: _(label) for code, label in c.COURSE_STATUSES.items()}
    background = [
        {
            "kind": kinds[occ["kind"]],
            "occupation": occupation_label(occ["occupation"], occ["name"]),
            "years": occ["years"],
            "where": {True: _("abroad"), False: _("in Germany")}.get(occ["abroad"], ""),
        }
        for occ in occupations
        if occ["kind"] in kinds
    ]
    return {
        "id": row["id"],
        "code": row["code"],
        "programme": row["programme_name"],
        "german": {
            "level": row["german_level"],
            "in_course": row["german_in_course"],
            "evidence": evidence.get(row["german_evidence"] or "", ""),
        },
        "languages": [
            {
                "name": language_name(entry.get("language", "")),
                "level": entry.get("level", ""),
                "evidence": evidence.get(entry.get("evidence"), ""),
            }
            for entry in json_list(row["languages"])
            if entry.get("language") in LANGUAGE_CODES
        ],
        "schooling_years": row["schooling_years"],
        "schooling_level": row["schooling_level"] or "",
        "schooling_label": _label(c.ISCED_LEVELS, row["schooling_level"]),
        "background": background,
        "desired": [
            {"code": occ["occupation"], "name": occupation_label(occ["occupation"], occ["name"])}
            for occ in occupations
            if occ["kind"] == OccupationKind.desired
        ],
        "skills": [
            {"field": _(item.label), "skills": skills_by_field[item.code]}
            for item in c.FIELDS
            if item.code in skills_by_field
        ],
        "work_habits": [
            _(c.WORK_HABITS[code])
            for code in json_list(row["work_habits"])
            if code in c.WORK_HABITS
        ],
        "courses": [
            {"label": _(c.COURSES[code].label), "status": statuses[status]}
            for code, status in (
                (entry.get("course"), entry.get("status")) for entry in json_list(row["courses"])
            )
            if code in c.COURSES and status in statuses
        ],
        "summary": row["summary"],
        "earliest_start": row["earliest_start"],
        "hours_per_week": row["hours_per_week"],
        "shift_work": row["shift_work"],
        "municipalities": [reachable["name"] for reachable in municipalities],
        "driving_licences": [
            _(c.DRIVING_LICENCES[code])
            for code in json_list(row["driving_licences"])
            if code in c.DRIVING_LICENCES
        ],
        "permit_status": _label(c.PERMIT_LABELS, row["permit_status"]),
        "age_band": c.AGE_BANDS.get(row["age_band"], ""),
        "documents": documents,
        "observed": observed or [],
        "updated_at": row["updated_at"],
    }
