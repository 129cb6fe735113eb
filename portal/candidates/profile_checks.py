"""The profile form's parts checked one by one: numbers, languages, occupations, skills, courses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.candidates import competences as c
from portal.candidates.languages import CODES as LANGUAGE_CODES
from portal.candidates.tables import Evidence, OccupationKind, SkillEvidence
from portal.forms import Errors, parse_date
from portal.i18n import _
from portal.reference.services import OccupationChoice
from portal.reference.tables import CEFR

LANGUAGE_ROWS = 3
BACKGROUND_ROWS = 4
DESIRED_ROWS = 3
ROWS = {"language": LANGUAGE_ROWS, "background": BACKGROUND_ROWS, "desired": DESIRED_ROWS}
BACKGROUND_YEARS = (0, 50)
# An earliest start further ahead is a typing error, not a plan.
START_HORIZON_DAYS = 3 * 366

CEFR_LEVELS = frozenset(level.value for level in CEFR)
EVIDENCE = frozenset(value.value for value in Evidence)
SKILL_EVIDENCE = frozenset(value.value for value in SkillEvidence)
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


@dataclass(frozen=True)
class OccupationEntry:
    kind: OccupationKind
    code: str
    years: int | None = None
    abroad: bool | None = None


def checked(data: Mapping[str, str], name: str) -> bool:
    return data.get(name) == "yes"


def whole_number(
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


def unknown_names(errors: Errors, data: Mapping[str, str], municipality_ids: set[str]) -> None:
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


def german(errors: Errors, data: Mapping[str, str]) -> dict[str, Any]:
    level, evidence = data.get("german_level", ""), data.get("german_evidence", "")
    errors.choice(data, "german_level", set(CEFR_LEVELS))
    errors.choice(data, "german_evidence", set(EVIDENCE))
    if level and not evidence:
        errors.setdefault("german_evidence", _("Please say how the level is known."))
    if evidence and not level:
        errors.setdefault("german_level", _("Please choose the level, or leave “how known” empty."))
    return {
        "german_level": level or None,
        "german_in_course": checked(data, "german_in_course"),
        "german_evidence": evidence or None,
    }


def languages(errors: Errors, data: Mapping[str, str]) -> list[dict[str, str]]:
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


def background(
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
        years = whole_number(
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


def desired(errors: Errors, choices: Mapping[str, OccupationChoice]) -> list[OccupationEntry]:
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


def skills(errors: Errors, data: Mapping[str, str]) -> list[dict[str, str]]:
    skills = []
    for code in c.SKILLS:
        name = f"skill.{code}"
        evidence = data.get(name + ".evidence", "")
        if evidence and evidence not in SKILL_EVIDENCE:
            errors.setdefault(name + ".evidence", _("Please choose one of the options."))
        elif checked(data, name) and not evidence:
            errors.setdefault(name + ".evidence", _("Please say how this is known."))
        elif evidence and not checked(data, name):
            errors.setdefault(name, _("Please tick the skill, or leave “how known” empty."))
        elif evidence:
            skills.append({"skill": code, "evidence": evidence})
    return skills


def courses(errors: Errors, data: Mapping[str, str]) -> list[dict[str, str]]:
    courses = []
    for code, course in c.COURSES.items():
        name = f"course.{code}"
        status = data.get(name + ".status", "")
        if status and status not in course.statuses:
            errors.setdefault(name + ".status", _("Please choose one of the options."))
        elif checked(data, name) and not status:
            errors.setdefault(name + ".status", _("Please choose the status."))
        elif status and not checked(data, name):
            errors.setdefault(name, _("Please tick the course, or leave the status empty."))
        elif status:
            courses.append({"course": code, "status": status})
    return courses


def earliest_start(errors: Errors, data: Mapping[str, str], on: dt.date) -> dt.date | None:
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
