"""A change of a candidate's competence profile through the API, as the profile form's fields.

The stored profile is turned into the form's values (profile_form.form_values), the fields the
client sent replace theirs, and the whole goes through the form's own checks (the PII guard
included) and profile.save_profile: a field the client leaves out keeps its value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

_YES = {True: "yes", False: ""}


@dataclass
class ProfilePatch:
    """The profile fields to change; a field left out (null) keeps its value."""

    german_level: str | None = None
    german_evidence: str | None = None
    german_in_course: bool | None = None
    schooling_years: int | None = None
    schooling_level: str | None = None
    summary: str | None = None
    earliest_start: dt.date | None = None
    hours_per_week: int | None = None
    shift_work: bool | None = None
    permit_status: str | None = None
    age_band: str | None = None
    # KldB codes of the desired occupations (replace the list), at most three.
    desired_occupations: list[str] | None = None
    # Ids of the municipalities the person can reach (replace the list).
    municipalities: list[int] | None = None


PLAIN = (
    "german_level",
    "german_evidence",
    "schooling_level",
    "permit_status",
    "age_band",
)
NUMBERS = ("schooling_years", "hours_per_week")
FLAGS = ("german_in_course", "shift_work")


def overlay(values: dict[str, str], patch: ProfilePatch) -> dict[str, str]:
    """The form's values with the patch's fields in place."""
    result = dict(values)
    for name in PLAIN:
        if getattr(patch, name) is not None:
            result[name] = getattr(patch, name)
    for name in NUMBERS:
        if getattr(patch, name) is not None:
            result[name] = str(getattr(patch, name))
    for name in FLAGS:
        if getattr(patch, name) is not None:
            result[name] = _YES[getattr(patch, name)]
    if patch.summary is not None:
        result["summary_text"] = patch.summary
    if patch.earliest_start is not None:
        result["earliest_start"] = patch.earliest_start.isoformat()
    if patch.desired_occupations is not None:
        result = {k: v for k, v in result.items() if not k.startswith("desired_")}
        for number, code in enumerate(patch.desired_occupations, start=1):
            result[f"desired_{number}"] = code
    if patch.municipalities is not None:
        result = {k: v for k, v in result.items() if not k.startswith("municipality.")}
        for municipality in patch.municipalities:
            result[f"municipality.{municipality}"] = "yes"
    return result


def json_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """The form's field names as the JSON's."""
    found: dict[str, str] = {}
    for name, message in errors.items():
        if name == "summary_text":
            name = "summary"
        elif name.startswith("desired_"):
            name = "desired_occupations"
        elif name.startswith("municipality"):
            name = "municipalities"
        found.setdefault(name, message)
    return found
