"""The JSON shapes of slots and offers, and their translation to and from the slot form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from portal.api.http import etag


@dataclass
class SlotInput:
    """A slot as an employer sends it (create, or replace with PUT). The rules are the form's
    (portal.employers.slot_form): 1 to 28 days, hours, places, a known occupation code and an
    active municipality id; `flexible` with `duration_days` for an availability window."""

    title: str
    kind: str
    occupation: str
    tasks: str
    municipality: int
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int
    places: int = 1
    requirements: str = ""
    min_german: str | None = None
    flexible: bool = False
    duration_days: int | None = None
    safety_equipment: bool = False
    hire_possible: bool = False
    shift_work: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    publish: bool = False

    def form(self) -> dict[str, str]:
        """The same fields as the slot form submits them."""
        yes = {True: "yes", False: ""}
        return {
            "title": self.title,
            "kind": self.kind,
            "occupation": self.occupation,
            "tasks": self.tasks,
            "requirements": self.requirements,
            "min_german": self.min_german or "",
            "municipality": str(self.municipality),
            "schedule": "window" if self.flexible else "fixed",
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "duration_days": "" if self.duration_days is None else str(self.duration_days),
            "hours_per_week": str(self.hours_per_week),
            "places": str(self.places),
            "safety_equipment": yes[self.safety_equipment],
            "hire_possible": yes[self.hire_possible],
            "shift_work": yes[self.shift_work],
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "contact_email": self.contact_email,
        }


# The form's field names where the JSON's differ.
FIELD_NAMES = {"schedule": "flexible", "occupation_query": "occupation"}


def json_errors(errors: Mapping[str, str]) -> dict[str, str]:
    return {FIELD_NAMES.get(name, name): message for name, message in errors.items()}


@dataclass
class SlotOut:
    id: UUID
    status: str
    title: str
    kind: str
    occupation: str
    occupation_name: str
    tasks: str
    requirements: str
    min_german: str | None
    municipality: int
    municipality_name: str
    start_date: dt.date
    end_date: dt.date
    flexible: bool
    duration_days: int
    hours_per_week: int
    places: int
    safety_equipment: bool
    hire_possible: bool
    shift_work: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None


SLOT_FIELDS = tuple(SlotOut.__dataclass_fields__)


def slot_out(row: Mapping[str, Any]) -> SlotOut:
    return SlotOut(**{name: row[name] for name in SLOT_FIELDS})


def slot_etag(row: Mapping[str, Any]) -> str:
    return etag(row["id"], row["updated_at"], row["status"])


@dataclass
class SlotPage:
    data: list[SlotOut]
    next_cursor: str | None


@dataclass
class OfferOut:
    """An open slot as case managers find it (the search page's row, with the employer)."""

    id: UUID
    title: str
    kind: str
    employer_name: str
    occupation: str
    occupation_name: str
    municipality_name: str
    start_date: dt.date
    end_date: dt.date
    flexible: bool
    duration_days: int
    places: int
    min_german: str | None


OFFER_FIELDS = tuple(OfferOut.__dataclass_fields__)


@dataclass
class OfferPage:
    data: list[OfferOut]
    next_cursor: str | None
