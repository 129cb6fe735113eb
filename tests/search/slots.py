"""Slots in bulk and dates relative to today, for the search tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.accounts.tables import Organisation
from portal.clock import today
from portal.employers.tables import Slot, SlotKind, SlotStatus
from tests.conftest import run
from tests.factories import make_municipality, make_occupation


def in_days(days: int) -> dt.date:
    return today() + dt.timedelta(days=days)


def many_slots(employer: Organisation, count: int, **fields: Any) -> None:
    """`count` open slots in one insert (titles "Platz 000", … in start-date order)."""
    code = fields.pop("occupation", None) or make_occupation()
    municipality = fields.pop("municipality", None) or make_municipality().id
    start = in_days(30)
    run(
        Slot.insert(
            *[
                Slot(
                    employer=employer.id,
                    title=f"Platz {n:03d}",
                    kind=SlotKind.orientation_internship,
                    occupation=code,
                    occupation_area=code[:1],
                    occupation_main_group=code[:2],
                    occupation_group=code[:3],
                    municipality=municipality,
                    start_date=start + dt.timedelta(days=n),
                    end_date=start + dt.timedelta(days=n + 13),
                    duration_days=14,
                    hours_per_week=35,
                    places=1,
                    status=SlotStatus.open,
                    **fields,
                )
                for n in range(count)
            ]
        )
    )


def occupation_name(code: str) -> str:
    """The occupation's name as stored (the shipped KldB data, or the factory's)."""
    from portal.reference.tables import Occupation

    row = run(Occupation.select(Occupation.name).where(Occupation.code == code).first())
    assert row is not None, code
    return str(row["name"])
