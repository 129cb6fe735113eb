"""The slot form: what an employer may enter, checked field by field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.clock import today
from portal.employers.tables import MAX_DURATION_DAYS, SlotKind
from portal.forms import (
    Errors,
    check_email,
    check_phone,
    date_within,
    normalise_email,
    parse_date,
    years_from,
)
from portal.i18n import _, format_date
from portal.reference.services import occupation_label, resolve_occupation
from portal.reference.tables import CEFR, Municipality, occupation_prefixes

# ArbZG §3 allows up to 48 hours a week (8 hours on six working days), but in this programme a
# full-time internship week is 40 hours at most; 40 is also the limit for young people under 18
# (JArbSchG §8: 8 hours a day, 40 a week), so one bound serves every participant.
MIN_HOURS, MAX_HOURS = 1, 40
# More places than this is a typing error, not a small or mid-sized firm's internship.
MAX_PLACES = 50
TEXT_LIMITS = {
    "title": 200,
    "tasks": 4000,
    "requirements": 4000,
    "contact_name": 120,
    "contact_phone": 40,
}
WHOLE_NUMBER_RE = re.compile(r"^[+-]?\d{1,9}$")
# The columns a duplicate takes over unchanged (and the form shows as they are).
COPIED_FIELDS = (
    "kind",
    "occupation",
    "occupation_area",
    "occupation_main_group",
    "occupation_group",
    "tasks",
    "requirements",
    "min_german",
    "municipality",
    "start_date",
    "end_date",
    "flexible",
    "duration_days",
    "hours_per_week",
    "places",
    "safety_equipment",
    "hire_possible",
    "shift_work",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def _whole_number(
    errors: Errors, data: Mapping[str, str], name: str, low: int, high: int, out_of_range: str
) -> int | None:
    raw = data.get(name, "")
    if not raw:
        errors.setdefault(name, _("Please fill in this field."))
        return None
    if not WHOLE_NUMBER_RE.match(raw):
        errors.setdefault(name, _("Please enter a whole number without a decimal point, e.g. 2."))
        return None
    number = int(raw)
    if not low <= number <= high:
        errors.setdefault(name, out_of_range)
        return None
    return number


def _date(errors: Errors, data: Mapping[str, str], name: str) -> dt.date | None:
    raw = data.get(name, "")
    if not raw:
        errors.setdefault(name, _("Please fill in this field."))
        return None
    value = parse_date(raw)
    if value is None:
        errors.setdefault(name, _("Please enter a date in the format DD.MM.YYYY."))
    return value


@dataclass(frozen=True)
class SlotFields:
    """A checked slot form, ready to be stored."""

    title: str
    kind: SlotKind
    occupation: str
    tasks: str
    requirements: str
    min_german: str | None
    municipality: int
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

    def columns(self) -> dict[str, Any]:
        """The slot's columns, with the occupation's code prefixes derived from the code."""
        return {**self.__dict__, "kind": self.kind.value, **occupation_prefixes(self.occupation)}


def check_slot_form(
    data: Mapping[str, str],
    *,
    publishing: bool,
    on: dt.date,
    occupation: str | None,
    occupation_error: str | None = None,
    municipality_ids: set[str],
) -> tuple[Errors, SlotFields | None]:
    """Every problem of a submitted slot form, field by field; the fields if there is none.

    `occupation` is the code the occupation picker resolved (None: none, and `occupation_error`
    says why); `publishing` is true
    when the slot is (or is about to be) open, which must not start before `on` (today).
    """
    errors = Errors(data)
    errors.require(data, "title", "kind")
    if occupation is None:
        errors["occupation"] = occupation_error or _("Please choose an occupation.")
    errors.require(data, "tasks", "municipality")
    for name, limit in TEXT_LIMITS.items():
        errors.max_length(data, name, limit)
    errors.choice(data, "kind", {kind.value for kind in SlotKind})
    errors.choice(data, "min_german", {level.value for level in CEFR})
    errors.choice(data, "municipality", municipality_ids)
    errors.choice(data, "schedule", {"fixed", "window"})
    check_phone(errors, data, "contact_phone")
    if data.get("contact_email"):
        check_email(errors, data, "contact_email")

    hours = _whole_number(
        errors,
        data,
        "hours_per_week",
        MIN_HOURS,
        MAX_HOURS,
        _("Please enter from %(low)s to %(high)s hours a week.", low=MIN_HOURS, high=MAX_HOURS),
    )
    places = _whole_number(
        errors,
        data,
        "places",
        1,
        MAX_PLACES,
        _("Please enter from %(low)s to %(high)s places.", low=1, high=MAX_PLACES),
    )
    flexible = data.get("schedule") == "window"
    start, end = _date(errors, data, "start_date"), _date(errors, data, "end_date")
    # Within the next two years; a draft or an edited running slot may have begun up to a
    # year ago.
    low, high = years_from(on, -1), years_from(on, 2)
    start = date_within(errors, "start_date", start, low, high)
    end = date_within(errors, "end_date", end, low, high)
    duration = _duration(errors, data, start, end, flexible)
    if publishing and start is not None and start < on:
        errors.setdefault(
            "start_date",
            _("A published slot cannot start in the past. Please choose today or a later day."),
        )
    if errors:
        return errors, None
    assert start and end and duration and hours and places and occupation  # noqa: S101
    return errors, SlotFields(
        title=data["title"],
        kind=SlotKind(data["kind"]),
        occupation=occupation,
        tasks=data["tasks"],
        requirements=data.get("requirements", ""),
        min_german=data.get("min_german") or None,
        municipality=int(data["municipality"]),
        start_date=start,
        end_date=end,
        flexible=flexible,
        duration_days=duration,
        hours_per_week=hours,
        places=places,
        safety_equipment=data.get("safety_equipment") == "yes",
        hire_possible=data.get("hire_possible") == "yes",
        shift_work=data.get("shift_work") == "yes",
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        contact_email=normalise_email(data.get("contact_email", "")),
    )


def _duration(
    errors: Errors,
    data: Mapping[str, str],
    start: dt.date | None,
    end: dt.date | None,
    flexible: bool,
) -> int | None:
    """The internship's length in calendar days, counting the first and the last day."""
    if flexible:
        duration = _whole_number(
            errors,
            data,
            "duration_days",
            1,
            MAX_DURATION_DAYS,
            _("An internship lasts from 1 to %(max)s calendar days.", max=MAX_DURATION_DAYS),
        )
    else:
        duration = None
    if start is None or end is None:
        return duration
    if end < start:
        errors.setdefault("end_date", _("The last day cannot be before the first day."))
        return None
    days = (end - start).days + 1
    if not flexible:
        if days > MAX_DURATION_DAYS:
            errors.setdefault(
                "end_date",
                _(
                    "An internship lasts at most %(max)s calendar days (four weeks); "
                    "from %(start)s to %(end)s are %(days)s days.",
                    max=MAX_DURATION_DAYS,
                    start=format_date(start),
                    end=format_date(end),
                    days=days,
                ),
            )
            return None
        return days
    if duration is not None and days < duration:
        errors.setdefault(
            "end_date",
            _(
                "The period must be at least as long as the internship (%(days)s days).",
                days=duration,
            ),
        )
        return None
    return duration


async def active_municipality_ids() -> set[str]:
    rows = await Municipality.select(Municipality._meta.primary_key).where(
        Municipality.active.eq(True)
    )
    return {str(row["id"]) for row in rows}


async def check_slot(
    data: Mapping[str, str], *, publishing: bool
) -> tuple[Errors, SlotFields | None, dict[str, Any]]:
    """check_slot_form with the reference data looked up; also the values to show again."""
    values: dict[str, Any] = dict(data)
    # The picker's fields (code, typed text, a choice made without JavaScript): the code, or
    # why there is none; `values` gets the occupation's label and any matches to choose from.
    choice = await resolve_occupation(values, "occupation")
    errors, fields = check_slot_form(
        data,
        publishing=publishing,
        on=today(),
        occupation=choice.code,
        occupation_error=choice.error,
        municipality_ids=await active_municipality_ids(),
    )
    return errors, fields, shown_values(values)


def form_values(row: Mapping[str, Any]) -> dict[str, str]:
    """A stored slot as the form shows it (dates as the browser's date field wants them)."""
    values = {"title": row["title"]}
    for name in COPIED_FIELDS:
        value = row[name]
        values[name] = "" if value is None else str(value)
    values["occupation_query"] = occupation_label(row["occupation"], row["occupation_name"])
    values["start_date"] = row["start_date"].isoformat()
    values["end_date"] = row["end_date"].isoformat()
    values["schedule"] = "window" if row["flexible"] else "fixed"
    if not row["flexible"]:
        values["duration_days"] = ""  # follows from the dates
    values["safety_equipment"] = "yes" if row["safety_equipment"] else ""
    values["hire_possible"] = "yes" if row["hire_possible"] else ""
    values["shift_work"] = "yes" if row["shift_work"] else ""
    return values


def shown_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Submitted values to show again: dates the browser's date field can display."""
    values = dict(data)
    for name in ("start_date", "end_date"):
        parsed = parse_date(values.get(name, ""))
        if parsed is not None:
            values[name] = parsed.isoformat()
    return values
