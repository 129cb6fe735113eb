"""The profile form: what a case manager may enter, checked field by field.

The form sends one field per choice (`skill.metal.mig_mag`, `municipality.7`, …) because
`forms.form_data` keeps one value per name. Rows of repeated parts carry their number
(`language_1` … `language_3`, `background_1` … `background_4`, `desired_1` … `desired_3`);
the occupation pickers among them are checked by `reference.services.resolve_occupation`.
Storing and reading are in profile.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from portal.candidates import competences as c
from portal.candidates.languages import CODES as LANGUAGE_CODES
from portal.candidates.pii import check_free_text
from portal.candidates.profile import json_list, municipalities_of, occupations_of
from portal.candidates.tables import (
    CandidateIdentity,
    Evidence,
    OccupationKind,
    PermitStatus,
    SkillEvidence,
)
from portal.candidates.vault import Vault
from portal.clock import today
from portal.forms import Errors, parse_date
from portal.i18n import _
from portal.reference.services import OccupationChoice, occupation_label, resolve_occupation
from portal.reference.tables import CEFR

LANGUAGE_ROWS = 3
BACKGROUND_ROWS = 4
DESIRED_ROWS = 3
ROWS = {"language": LANGUAGE_ROWS, "background": BACKGROUND_ROWS, "desired": DESIRED_ROWS}
SUMMARY_LIMIT = 1000
SCHOOLING_YEARS = (0, 20)
BACKGROUND_YEARS = (0, 50)
# As for slots (slot_form.MAX_HOURS): 40 hours is a full internship week in these programmes.
HOURS = (1, 40)
# An earliest start further ahead is a typing error, not a plan.
START_HORIZON_DAYS = 3 * 366

CEFR_LEVELS = frozenset(level.value for level in CEFR)
EVIDENCE = frozenset(value.value for value in Evidence)
SKILL_EVIDENCE = frozenset(value.value for value in SkillEvidence)
PERMIT_STATUSES = frozenset(value.value for value in PermitStatus)
WHOLE_NUMBER_RE = re.compile(r"^[+-]?\d{1,9}$")
ROW_RE = re.compile(r"^(language|background|desired)_(\d+)(?:_|$)")
# Choice fields: the prefix of their names → the section whose message says a code is unknown.
CHOICE_SECTIONS = {
    "skill": "skills",
    "habit": "habits",
    "course": "courses",
    "municipality": "municipalities",
    "licence": "driving_licences",
}
SECTION_OF_ROWS = {"language": "languages", "background": "background", "desired": "desired"}


# -- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationEntry:
    kind: OccupationKind
    code: str
    years: int | None = None
    abroad: bool | None = None


@dataclass(frozen=True)
class ProfileFields:
    """A checked profile form, ready to be stored."""

    columns: dict[str, Any]  # Candidate's columns (JSON columns as lists)
    occupations: list[OccupationEntry] = field(default_factory=list)
    municipalities: list[int] = field(default_factory=list)


def _checked(data: Mapping[str, str], name: str) -> bool:
    return data.get(name) == "yes"


def _number(
    errors: Errors, data: Mapping[str, str], name: str, bounds: tuple[int, int], message: str
) -> int | None:
    """An optional whole number within `bounds`."""
    raw = data.get(name, "")
    if not raw:
        return None
    if not WHOLE_NUMBER_RE.match(raw):
        errors.setdefault(name, _("Please enter a whole number without a decimal point, e.g. 2."))
        return None
    number = int(raw)
    if not bounds[0] <= number <= bounds[1]:
        errors.setdefault(name, message)
        return None
    return number


def _unknown_names(errors: Errors, data: Mapping[str, str], municipality_ids: set[str]) -> None:
    """Fields the form never offers: a row too many, or the code of no choice (a tampered form)."""
    known = {
        "skill": set(c.SKILLS),
        "habit": set(c.WORK_HABITS),
        "course": set(c.COURSES),
        "municipality": municipality_ids,
        "licence": set(c.DRIVING_LICENCES),
    }
    for name in data:
        if row := ROW_RE.match(name):
            kind, number = row.group(1), int(row.group(2))
            if not 1 <= number <= ROWS[kind]:
                errors.setdefault(
                    SECTION_OF_ROWS[kind], _("Please give at most %(n)s entries.", n=ROWS[kind])
                )
            continue
        prefix, dot, code = name.partition(".")
        if not dot or prefix not in known:
            continue
        for suffix in (".evidence", ".status"):
            code = code.removesuffix(suffix)
        if code not in known[prefix]:
            errors.setdefault(CHOICE_SECTIONS[prefix], _("Please choose one of the options."))


def _german(errors: Errors, data: Mapping[str, str]) -> dict[str, Any]:
    level, evidence = data.get("german_level", ""), data.get("german_evidence", "")
    errors.choice(data, "german_level", set(CEFR_LEVELS))
    errors.choice(data, "german_evidence", set(EVIDENCE))
    if level and not evidence:
        errors.setdefault("german_evidence", _("Please say how the level is known."))
    if evidence and not level:
        errors.setdefault("german_level", _("Please choose the level, or leave “how known” empty."))
    return {
        "german_level": level or None,
        "german_in_course": _checked(data, "german_in_course"),
        "german_evidence": evidence or None,
    }


def _languages(errors: Errors, data: Mapping[str, str]) -> list[dict[str, str]]:
    languages: list[dict[str, str]] = []
    for number in range(1, LANGUAGE_ROWS + 1):
        name = f"language_{number}"
        code, level, evidence = (data.get(name + s, "") for s in ("", "_level", "_evidence"))
        if not (code or level or evidence):
            continue
        if not code:
            errors.setdefault(name, _("Please choose the language."))
        elif code not in LANGUAGE_CODES:
            errors.setdefault(name, _("Please choose one of the options."))
        elif code == "de":
            errors.setdefault(name, _("German has its own questions above."))
        elif any(entry["language"] == code for entry in languages):
            errors.setdefault(name, _("This language is listed already."))
        if not level:
            errors.setdefault(name + "_level", _("Please choose the level."))
        elif level not in CEFR_LEVELS:
            errors.setdefault(name + "_level", _("Please choose one of the options."))
        if not evidence:
            errors.setdefault(name + "_evidence", _("Please say how the level is known."))
        elif evidence not in EVIDENCE:
            errors.setdefault(name + "_evidence", _("Please choose one of the options."))
        languages.append({"language": code, "level": level, "evidence": evidence})
    return languages


def background_filled(data: Mapping[str, Any], number: int) -> bool:
    name = f"background_{number}"
    suffixes = ("", "_query", "_choice", "_kind", "_years", "_where")
    return any(str(data.get(name + suffix) or "").strip() for suffix in suffixes)


def desired_filled(data: Mapping[str, Any], number: int) -> bool:
    name = f"desired_{number}"
    return any(str(data.get(name + suffix) or "").strip() for suffix in ("", "_query", "_choice"))


def _background(
    errors: Errors, data: Mapping[str, str], choices: Mapping[str, OccupationChoice]
) -> list[OccupationEntry]:
    entries: list[OccupationEntry] = []
    for number in range(1, BACKGROUND_ROWS + 1):
        name = f"background_{number}"
        if name not in choices:
            continue  # an empty row
        kind = data.get(name + "_kind", "")
        if not kind:
            errors.setdefault(name + "_kind", _("Please choose training or work experience."))
        elif kind not in c.OCCUPATION_KINDS_SHOWN:
            errors.setdefault(name + "_kind", _("Please choose one of the options."))
        choice = choices[name]
        if choice.code is None:
            errors.setdefault(name, choice.error or _("Please choose an occupation."))
        years = _number(
            errors,
            data,
            name + "_years",
            BACKGROUND_YEARS,
            _("Please enter from %(low)s to %(high)s years.", low=0, high=BACKGROUND_YEARS[1]),
        )
        where = data.get(name + "_where", "")
        if where and where not in c.WHERE_LABELS:
            errors.setdefault(name + "_where", _("Please choose one of the options."))
        if kind in c.OCCUPATION_KINDS_SHOWN and choice.code:
            entry = OccupationEntry(
                OccupationKind(kind),
                choice.code,
                years,
                {"abroad": True, "germany": False}.get(where),
            )
            if any((e.kind, e.code) == (entry.kind, entry.code) for e in entries):
                errors.setdefault(name, _("This occupation is listed already."))
            entries.append(entry)
    return entries


def _desired(errors: Errors, choices: Mapping[str, OccupationChoice]) -> list[OccupationEntry]:
    entries: list[OccupationEntry] = []
    for number in range(1, DESIRED_ROWS + 1):
        name = f"desired_{number}"
        if name not in choices:
            continue
        choice = choices[name]
        if choice.code is None:
            errors.setdefault(name, choice.error or _("Please choose an occupation."))
        elif any(entry.code == choice.code for entry in entries):
            errors.setdefault(name, _("This occupation is listed already."))
        else:
            entries.append(OccupationEntry(OccupationKind.desired, choice.code))
    return entries


def _skills(errors: Errors, data: Mapping[str, str]) -> list[dict[str, str]]:
    skills = []
    for code in c.SKILLS:
        name = f"skill.{code}"
        evidence = data.get(name + ".evidence", "")
        if evidence and evidence not in SKILL_EVIDENCE:
            errors.setdefault(name + ".evidence", _("Please choose one of the options."))
        elif _checked(data, name) and not evidence:
            errors.setdefault(name + ".evidence", _("Please say how this is known."))
        elif evidence and not _checked(data, name):
            errors.setdefault(name, _("Please tick the skill, or leave “how known” empty."))
        elif evidence:
            skills.append({"skill": code, "evidence": evidence})
    return skills


def _courses(errors: Errors, data: Mapping[str, str]) -> list[dict[str, str]]:
    courses = []
    for code, course in c.COURSES.items():
        name = f"course.{code}"
        status = data.get(name + ".status", "")
        if status and status not in course.statuses:
            errors.setdefault(name + ".status", _("Please choose one of the options."))
        elif _checked(data, name) and not status:
            errors.setdefault(name + ".status", _("Please choose the status."))
        elif status and not _checked(data, name):
            errors.setdefault(name, _("Please tick the course, or leave the status empty."))
        elif status:
            courses.append({"course": code, "status": status})
    return courses


def _earliest_start(errors: Errors, data: Mapping[str, str], on: dt.date) -> dt.date | None:
    raw = data.get("earliest_start", "")
    if not raw:
        return None
    value = parse_date(raw)
    if value is None:
        errors.setdefault("earliest_start", _("Please enter a date in the format DD.MM.YYYY."))
    elif value > on + dt.timedelta(days=START_HORIZON_DAYS) or value.year < 2000:
        errors.setdefault("earliest_start", _("Please enter a date within the next three years."))
        return None
    return value


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
    errors = Errors()
    _unknown_names(errors, data, municipality_ids)
    columns: dict[str, Any] = _german(errors, data)
    columns["languages"] = _languages(errors, data)
    columns["schooling_years"] = _number(
        errors,
        data,
        "schooling_years",
        SCHOOLING_YEARS,
        _("Please enter from %(low)s to %(high)s years.", low=0, high=SCHOOLING_YEARS[1]),
    )
    errors.choice(data, "schooling_level", set(c.ISCED_LEVELS))
    columns["schooling_level"] = data.get("schooling_level") or None
    occupations = _background(errors, data, choices) + _desired(errors, choices)
    columns["skills"] = _skills(errors, data)
    columns["work_habits"] = [code for code in c.WORK_HABITS if _checked(data, f"habit.{code}")]
    columns["courses"] = _courses(errors, data)
    # The field is not called "summary": the error summary's id is "error-summary".
    summary = data.get("summary_text", "").replace("\r\n", "\n")
    if len(summary) > SUMMARY_LIMIT:
        errors.setdefault(
            "summary_text", _("Please use at most %(n)s characters.", n=SUMMARY_LIMIT)
        )
    check_free_text(errors, "summary_text", summary, names=names)
    columns["summary"] = summary
    columns["earliest_start"] = _earliest_start(errors, data, on)
    columns["hours_per_week"] = _number(
        errors,
        data,
        "hours_per_week",
        HOURS,
        _("Please enter from %(low)s to %(high)s hours a week.", low=HOURS[0], high=HOURS[1]),
    )
    columns["shift_work"] = _checked(data, "shift_work")
    municipalities = sorted(
        int(mid) for mid in municipality_ids if _checked(data, f"municipality.{mid}")
    )
    columns["driving_licences"] = [
        code for code in c.DRIVING_LICENCES if _checked(data, f"licence.{code}")
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
    errors, fields = check_profile_form(
        data,
        on=today(),
        choices=choices,
        municipality_ids={str(row["id"]) for row in municipalities},
        names=names,
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
