"""A complete, valid profile form and helpers of the profile tests; tests change one field."""

from __future__ import annotations

import re
from typing import Any

from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate, CandidateMunicipality, CandidateOccupation
from tests.conftest import run
from tests.factories import make_municipality, post_form

SUMMARY = (
    "Hat 3 Jahre als Schweißer gearbeitet (MAG, Baustahl bis 10 mm). "
    "Im Praktikum 2024 pünktlich und sorgfältig; Schicht 06–14 Uhr möglich."
)


def profile_form(**changes: str | None) -> dict[str, str]:
    """A full profile (occupations of the shipped KldB); `name=None` leaves a field out."""
    data = {
        "german_level": "B1",
        "german_evidence": "certificate",
        "german_in_course": "yes",
        "language_1": "ar",
        "language_1_level": "C2",
        "language_1_evidence": "self_assessment",
        "language_2": "en",
        "language_2_level": "A2",
        "language_2_evidence": "estimate",
        "schooling_years": "10",
        "schooling_level": "2",
        "background_1_kind": "experience",
        "background_1": "24422",
        "background_1_query": "24422",
        "background_1_years": "3",
        "background_1_where": "abroad",
        "background_2_kind": "training",
        "background_2_query": "24412",
        "background_2_years": "2",
        "background_2_where": "germany",
        "desired_1": "24422",
        "desired_1_query": "24422",
        "desired_2_query": "51311",
        "skill.metal.mig_mag": "yes",
        "skill.metal.mig_mag.evidence": "observed",
        "skill.metal.drawings": "yes",
        "skill.metal.drawings.evidence": "self_reported",
        "skill.general.pc_basics": "yes",
        "skill.general.pc_basics.evidence": "tested",
        "habit.punctuality": "yes",
        "habit.teamwork": "yes",
        "course.integration_course": "yes",
        "course.integration_course.status": "completed",
        "course.recognition": "yes",
        "course.recognition.status": "partially_granted",
        "summary_text": SUMMARY,
        "earliest_start": "2026-09-01",
        "hours_per_week": "35",
        "shift_work": "yes",
        "licence.B": "yes",
        "licence.C1": "yes",
        "permit_status": "cleared",
        "age_band": "25-34",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def checked(html: str, name: str) -> bool:
    """Whether the checkbox or radio button `name` is checked in `html` (with its value)."""
    tags = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tags, f"no input named {name}"
    return any(re.search(r"\schecked\b", tag) for tag in tags)


def selected(html: str, name: str) -> str | None:
    """The value of the option selected in the select `name`, or None."""
    match = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', html, re.S)
    assert match, f"no select named {name}"
    option = re.search(r'<option value="([^"]*)"\s*selected', match.group(0))
    return option.group(1) if option else None


def municipalities(*names: str) -> list[Any]:
    return [make_municipality(name) for name in names]


def post_profile(client: Any, candidate: Any, data: dict[str, str], **kwargs: Any) -> Any:
    """Send the profile form of `candidate` (a Candidate or an id)."""
    candidate_id = getattr(candidate, "id", candidate)
    return post_form(client, f"/candidates/{candidate_id}/profile", data, **kwargs)


def candidate_row(candidate: Any) -> dict[str, Any]:
    return run(
        Candidate.select().where(Candidate.id == candidate.id).output(load_json=True).first()
    )


def occupation_rows(candidate: Any) -> list[dict[str, Any]]:
    return run(
        CandidateOccupation.select(
            CandidateOccupation.kind,
            CandidateOccupation.occupation,
            CandidateOccupation.occupation_area,
            CandidateOccupation.occupation_main_group,
            CandidateOccupation.occupation_group,
            CandidateOccupation.years,
            CandidateOccupation.abroad,
        )
        .where(CandidateOccupation.candidate == candidate.id)
        .order_by(CandidateOccupation.id)
    )


def municipality_ids(candidate: Any) -> list[int]:
    rows = run(
        CandidateMunicipality.select(CandidateMunicipality.municipality).where(
            CandidateMunicipality.candidate == candidate.id
        )
    )
    return sorted(row["municipality"] for row in rows)


def audit_rows(candidate: Any, action: str = "candidate.profile") -> list[dict[str, Any]]:
    return run(
        AuditEvent.select().where(
            (AuditEvent.record_id == str(candidate.id)) & (AuditEvent.action == action)
        )
    )
