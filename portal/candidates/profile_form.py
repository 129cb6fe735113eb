"""The profile form: what a case manager may enter, checked field by field.

The form sends one field per choice (`skill.metal.mig_mag`, `municipality.7`, …) because
`forms.form_data` keeps one value per name. Rows of repeated parts carry their number
(`language_1` … `language_3`, `background_1` … `background_4`, `desired_1` … `desired_3`);
the occupation pickers among them are checked by `reference.services.resolve_occupation`.
Each part is checked in profile_checks.py; storing and reading are in profile.py.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from portal.candidates import competences as c
from portal.candidates import profile_checks as checks
from portal.candidates.pii import check_free_text
from portal.candidates.profile import json_list, municipalities_of, occupations_of
from portal.candidates.profile_checks import (
    BACKGROUND_ROWS,
    DESIRED_ROWS,
    LANGUAGE_ROWS,
    OccupationEntry,
    background_filled,
    desired_filled,
)
from portal.candidates.tables import CandidateIdentity, OccupationKind, PermitStatus
from portal.candidates.vault import Vault
from portal.clock import today
from portal.cpu import run_cpu_bound
from portal.forms import Errors, parse_date
from portal.i18n import _
from portal.reference.services import OccupationChoice, occupation_label, resolve_occupation

SUMMARY_LIMIT = 1000
SCHOOLING_YEARS = (0, 20)
# As for slots (slot_form.MAX_HOURS): 40 hours is a full internship week in these programmes.
HOURS = (1, 40)

PERMIT_STATUSES = frozenset(value.value for value in PermitStatus)


# -- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileFields:
    """A checked profile form, ready to be stored."""

    columns: dict[str, Any]  # Candidate's columns (JSON columns as lists)
    occupations: list[OccupationEntry] = field(default_factory=list)
    municipalities: list[int] = field(default_factory=list)


def check_profile_form(
    data: Mapping[str, str],
    *,
    on: dt.date,
    choices: Mapping[str, OccupationChoice],
    municipality_ids: set[str],
    names: list[str],
) -> tuple[Errors, ProfileFields | None]:
    """Every problem of a submitted profile form, field by field; the fields if there is none.

    `choices` are the occupation pickers resolved (only those of rows that were filled in),
    `names` the candidate's names for the PII guard, `on` today.
    """
    errors = Errors(data)
    checks.unknown_names(errors, data, municipality_ids)
    columns: dict[str, Any] = checks.german(errors, data)
    columns["languages"] = checks.languages(errors, data)
    columns["schooling_years"] = checks.whole_number(
        errors,
        data,
        "schooling_years",
        SCHOOLING_YEARS,
        _("Please enter from %(low)s to %(high)s years.", low=0, high=SCHOOLING_YEARS[1]),
    )
    errors.choice(data, "schooling_level", set(c.ISCED_LEVELS))
    columns["schooling_level"] = data.get("schooling_level") or None
    occupations = checks.background(errors, data, choices) + checks.desired(errors, choices)
    columns["skills"] = checks.skills(errors, data)
    columns["work_habits"] = [
        code for code in c.WORK_HABITS if checks.checked(data, f"habit.{code}")
    ]
    columns["courses"] = checks.courses(errors, data)
    # The field is not called "summary": the error summary's id is "error-summary".
    summary = data.get("summary_text", "").replace("\r\n", "\n")
    check_free_text(errors, "summary_text", summary, limit=SUMMARY_LIMIT, names=names)
    columns["summary"] = summary
    columns["earliest_start"] = checks.earliest_start(errors, data, on)
    columns["hours_per_week"] = checks.whole_number(
        errors,
        data,
        "hours_per_week",
        HOURS,
        _("Please enter from %(low)s to %(high)s hours a week.", low=HOURS[0], high=HOURS[1]),
    )
    columns["shift_work"] = checks.checked(data, "shift_work")
    municipalities = sorted(
        int(mid) for mid in municipality_ids if checks.checked(data, f"municipality.{mid}")
    )
    columns["driving_licences"] = [
        code for code in c.DRIVING_LICENCES if checks.checked(data, f"licence.{code}")
    ]
    errors.require(data, "permit_status")
    errors.choice(data, "permit_status", set(PERMIT_STATUSES))
    columns["permit_status"] = data.get("permit_status", "")
    errors.choice(data, "age_band", set(c.AGE_BANDS))
    columns["age_band"] = data.get("age_band", "")
    if errors:
        return errors, None
    return errors, ProfileFields(columns, occupations, municipalities)


async def check_profile(
    data: Mapping[str, str], *, names: list[str], municipalities: list[dict[str, Any]]
) -> tuple[Errors, ProfileFields | None, dict[str, Any]]:
    """check_profile_form with the occupation pickers resolved; also the values to show again."""
    values: dict[str, Any] = dict(data)
    choices: dict[str, OccupationChoice] = {}
    for number in range(1, BACKGROUND_ROWS + 1):
        if background_filled(data, number):
            choices[f"background_{number}"] = await resolve_occupation(
                values, f"background_{number}"
            )
    for number in range(1, DESIRED_ROWS + 1):
        if desired_filled(data, number):
            choices[f"desired_{number}"] = await resolve_occupation(values, f"desired_{number}")
    # In a worker thread: the PII guard reads the summary (portal.cpu).
    errors, fields = await run_cpu_bound(
        functools.partial(
            check_profile_form,
            data,
            on=today(),
            choices=choices,
            municipality_ids={str(row["id"]) for row in municipalities},
            names=names,
        )
    )
    start = parse_date(values.get("earliest_start", ""))
    if start is not None:
        values["earliest_start"] = start.isoformat()
    return errors, fields, values


async def identity_names(vault: Vault, candidate_id: UUID) -> list[str]:
    """The candidate's given and family names, for the PII guard only.

    A machine check: the names are compared with the summary and never shown to anyone, so this
    is not an identity read for the audit log (those are the reads a person sees).
    """
    row = await (
        CandidateIdentity.select(
            CandidateIdentity.id, CandidateIdentity.given_names, CandidateIdentity.family_name
        )
        .where(CandidateIdentity.candidate == candidate_id)
        .first()
    )
    if row is None:
        return []
    return [
        vault.open(row[name], record_id=row["id"], field=name)
        for name in ("given_names", "family_name")
        if row[name]
    ]


async def form_values(row: Mapping[str, Any]) -> dict[str, str]:
    """A stored profile as the form shows it."""
    values: dict[str, str] = {
        "german_level": row["german_level"] or "",
        "german_in_course": "yes" if row["german_in_course"] else "",
        "german_evidence": row["german_evidence"] or "",
        "schooling_years": "" if row["schooling_years"] is None else str(row["schooling_years"]),
        "schooling_level": row["schooling_level"] or "",
        "summary_text": row["summary"],
        "earliest_start": row["earliest_start"].isoformat() if row["earliest_start"] else "",
        "hours_per_week": "" if row["hours_per_week"] is None else str(row["hours_per_week"]),
        "shift_work": "yes" if row["shift_work"] else "",
        "permit_status": row["permit_status"],
        "age_band": row["age_band"],
    }
    for number, entry in enumerate(json_list(row["languages"])[:LANGUAGE_ROWS], start=1):
        values[f"language_{number}"] = entry.get("language", "")
        values[f"language_{number}_level"] = entry.get("level", "")
        values[f"language_{number}_evidence"] = entry.get("evidence", "")
    for entry in json_list(row["skills"]):
        values[f"skill.{entry.get('skill')}"] = "yes"
        values[f"skill.{entry.get('skill')}.evidence"] = entry.get("evidence", "")
    for code in json_list(row["work_habits"]):
        values[f"habit.{code}"] = "yes"
    for entry in json_list(row["courses"]):
        values[f"course.{entry.get('course')}"] = "yes"
        values[f"course.{entry.get('course')}.status"] = entry.get("status", "")
    for code in json_list(row["driving_licences"]):
        values[f"licence.{code}"] = "yes"
    occupations = await occupations_of(row["id"])
    background = [o for o in occupations if o["kind"] != OccupationKind.desired]
    desired = [o for o in occupations if o["kind"] == OccupationKind.desired]
    for number, occ in enumerate(background[:BACKGROUND_ROWS], start=1):
        name = f"background_{number}"
        values[name] = occ["occupation"]
        values[name + "_query"] = occupation_label(occ["occupation"], occ["name"])
        values[name + "_kind"] = occ["kind"]
        values[name + "_years"] = "" if occ["years"] is None else str(occ["years"])
        values[name + "_where"] = {True: "abroad", False: "germany"}.get(occ["abroad"], "")
    for number, occ in enumerate(desired[:DESIRED_ROWS], start=1):
        values[f"desired_{number}"] = occ["occupation"]
        values[f"desired_{number}_query"] = occupation_label(occ["occupation"], occ["name"])
    for reachable in await municipalities_of(row["id"]):
        values[f"municipality.{reachable['municipality']}"] = "yes"
    return values
