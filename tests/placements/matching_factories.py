"""Candidates and slots for the matching tests: each with just the facts a test varies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.clock import today
from tests.conftest import run
from tests.factories import make_candidate, make_occupation, make_slot
from tests.placements.conftest import consent


def person(
    agency: Any,
    worker: Any,
    *,
    desired: tuple[str, ...] = ("24412",),
    experience: tuple[str, ...] = (),
    places: tuple[Any, ...] = (),
    scopes: dict[str, bool] | None = None,
    **fields: Any,
) -> Any:
    """An active case of `worker` with a consent in force (`scopes` None: every scope)."""
    from portal.candidates.tables import (
        CandidateMunicipality,
        CandidateOccupation,
        CandidateStatus,
        OccupationKind,
    )

    fields.setdefault("status", CandidateStatus.active)
    found = make_candidate(agency, worker, occupations=desired, **fields)
    for code in experience:
        make_occupation(code)
        run(
            CandidateOccupation.insert(
                CandidateOccupation(
                    candidate=found.id,
                    kind=OccupationKind.experience,
                    occupation=code,
                    occupation_area=code[:1],
                    occupation_main_group=code[:2],
                    occupation_group=code[:3],
                )
            )
        )
    for place in places:
        run(
            CandidateMunicipality.insert(
                CandidateMunicipality(candidate=found.id, municipality=place.id)
            )
        )
    consent(found, **(scopes or {}))
    return found


def offer(employer: Any, title: str, *, occupation: str = "24412", **fields: Any) -> Any:
    """An open slot of `employer` (make_slot's defaults: fixed dates in a month, 35 hours)."""
    make_occupation(occupation)
    return make_slot(employer, title=title, occupation=occupation, **fields)


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)
