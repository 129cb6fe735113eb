"""Case managers' search over the open slots of approved employers, and one offer's details."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from piccolo.columns.combination import Combinable

from portal.accounts.tables import OrgStatus
from portal.employers.tables import Slot, SlotKind, SlotStatus
from portal.forms import Errors
from portal.i18n import _
from portal.pagination import Page, paginate
from portal.reference.tables import CEFR, Municipality, Occupation

# The filters of the search form, as they appear in the URL.
FILTER_NAMES = ("main_group", "occupation", "municipality", "kind", "from", "to", "german")
CODE_RE = re.compile(r"[0-9]{1,5}")
MAIN_GROUP_RE = re.compile(r"[0-9]{2}")
ID_RE = re.compile(r"[0-9]{1,9}")
KIND_VALUES = frozenset(kind.value for kind in SlotKind)
CEFR_ORDER = [level.value for level in CEFR]
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


@dataclass(frozen=True)
class SlotFilters:
    """The valid filters of one search."""

    main_group: str = ""
    occupation: str = ""
    municipality: int | None = None
    kind: str = ""
    window_from: dt.date | None = None
    window_to: dt.date | None = None
    german: str = ""
    # As typed, for the form; only the applied ones go into links (pagination).
    values: Mapping[str, str] = field(default_factory=dict)
    applied: Mapping[str, str] = field(default_factory=dict)


def parse_date(value: str) -> dt.date | None:
    """A date typed as 2026-03-02 or 02.03.2026 (also 2.3.2026); None if it is none."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_filters(params: Mapping[str, str]) -> tuple[SlotFilters, Errors]:
    """The filters from the URL; each malformed one gets a message and is left out."""
    raw = {name: (params.get(name) or "").strip()[:100] for name in FILTER_NAMES}
    errors = Errors(raw)
    main_group = raw["main_group"]
    if main_group and not MAIN_GROUP_RE.fullmatch(main_group):
        errors["main_group"] = _("Please choose one of the options.")
        main_group = ""
    occupation = raw["occupation"]
    if occupation and not CODE_RE.fullmatch(occupation):
        errors["occupation"] = _(
            "Please enter an occupation code of 1 to 5 digits (KldB 2010), e.g. 24 or 24412."
        )
        occupation = ""
    municipality = None
    if raw["municipality"]:
        if ID_RE.fullmatch(raw["municipality"]):
            municipality = int(raw["municipality"])
        else:
            errors["municipality"] = _("Please choose one of the options.")
    kind = raw["kind"]
    if kind and kind not in KIND_VALUES:
        errors["kind"] = _("Please choose one of the options.")
        kind = ""
    german = raw["german"].upper()
    if german and german not in CEFR_ORDER:
        errors["german"] = _("Please choose one of the options.")
        german = ""
    dates: dict[str, dt.date | None] = {}
    for name in ("from", "to"):
        dates[name] = parse_date(raw[name]) if raw[name] else None
        if raw[name] and dates[name] is None:
            errors[name] = _("Please enter a date as DD.MM.YYYY, e.g. 02.03.2026.")
    if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
        errors["to"] = _("The end of the period cannot be before its start.")
        dates["to"] = None
    filters = SlotFilters(
        main_group=main_group,
        occupation=occupation,
        municipality=municipality,
        kind=kind,
        window_from=dates["from"],
        window_to=dates["to"],
        german=german,
        values=raw,
        applied={
            name: (german if name == "german" else value)
            for name, value in raw.items()
            if value and name not in errors
        },
    )
    return filters, errors


def visible(today: dt.date) -> list[Combinable]:
    """What anybody but the employer may see: open, not yet begun (fixed dates) or over
    (flexible), of an approved employer.

    A pending or suspended employer's slots stay invisible (PRODUCT.md section 3), also when
    they are open: the employer's status is checked on every read, not copied to the slot.
    """
    return [
        Slot.status == SlotStatus.open,
        Slot.end_date >= today,
        # Fixed dates: not once the first day has passed (nobody can join an internship that
        # has begun); flexible ones as long as their window lasts.
        Slot.flexible.eq(True) | (Slot.start_date >= today),
        Slot.employer.status == OrgStatus.active,
    ]


def _occupation_condition(code: str) -> Combinable:
    """Any level of the KldB hierarchy, through the slot's indexed prefix columns."""
    if len(code) == 1:
        return Slot.occupation_area == code
    if len(code) == 2:
        return Slot.occupation_main_group == code
    if len(code) == 3:
        return Slot.occupation_group == code
    if len(code) == 4:
        # No column of its own: the indexed group narrows, the prefix picks the sub-group.
        return (Slot.occupation_group == code[:3]) & Slot.occupation.like(f"{code}%")
    return Slot.occupation == code


def conditions(filters: SlotFilters, today: dt.date) -> list[Combinable]:
    found = visible(today)
    if filters.main_group:
        found.append(Slot.occupation_main_group == filters.main_group)
    if filters.occupation:
        found.append(_occupation_condition(filters.occupation))
    if filters.municipality:
        found.append(Slot.municipality == filters.municipality)
    if filters.kind:
        found.append(Slot.kind == filters.kind)
    # The slot's period overlaps the window: it ends on or after its start, starts by its end.
    if filters.window_from:
        found.append(Slot.end_date >= filters.window_from)
    if filters.window_to:
        found.append(Slot.start_date <= filters.window_to)
    if filters.german:
        # The candidate's level: slots asking for no German, or for that level or below.
        levels = CEFR_ORDER[: CEFR_ORDER.index(filters.german) + 1]
        found.append(Slot.min_german.is_null() | Slot.min_german.is_in(levels))
    return found


async def search_slots(filters: SlotFilters, *, number: int, today: dt.date) -> Page:
    """A page of matching slots by start date: one count and one page query, whatever the size."""
    query = Slot.select(
        Slot.id,
        Slot.title,
        Slot.kind,
        Slot.start_date,
        Slot.end_date,
        Slot.flexible,
        Slot.duration_days,
        Slot.places,
        Slot.min_german,
        Slot.employer.name.as_alias("employer_name"),
        Slot.occupation.code.as_alias("occupation_code"),
        Slot.occupation.name.as_alias("occupation_name"),
        Slot.municipality.name.as_alias("municipality_name"),
    )
    return await paginate(
        Slot,
        query,
        conditions(filters, today),
        number=number,
        order_by=[(Slot.start_date, True)],
        filters=filters.applied,
    )


async def filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices of the search form: the KldB main groups and the active municipalities."""
    groups = (
        await Occupation.select(Occupation.code, Occupation.name)
        .where(Occupation.level == 2)
        .order_by(Occupation.code)
    )
    places = (
        await Municipality.select(Municipality._meta.primary_key, Municipality.name)
        .where(Municipality.active.eq(True))
        .order_by(Municipality.name)
    )
    return {
        "main_groups": [(row["code"], f"{row['code']} {row['name']}") for row in groups],
        "municipalities": [(str(row["id"]), row["name"]) for row in places],
    }


async def offer(slot_id: UUID, *, today: dt.date) -> dict[str, Any] | None:
    """One visible slot with what a case manager needs to propose someone; None if hidden."""
    return await _slot_with_employer(slot_id, visible(today))


async def slot_details(slot_id: UUID) -> dict[str, Any] | None:
    """The same for a slot whatever its status — for those who already have a placement on it
    (the caller has asked the policy; a filled or past slot is no longer an offer)."""
    return await _slot_with_employer(slot_id, [])


async def _slot_with_employer(slot_id: UUID, conditions: list[Any]) -> dict[str, Any] | None:
    query = Slot.select(
        *Slot.all_columns(),
        Slot.employer.name.as_alias("employer_name"),
        Slot.employer.street.as_alias("employer_street"),
        Slot.employer.postcode.as_alias("employer_postcode"),
        Slot.employer.city.as_alias("employer_city"),
        Slot.employer.description.as_alias("employer_description"),
        Slot.employer.contact_name.as_alias("employer_contact_name"),
        Slot.employer.contact_phone.as_alias("employer_contact_phone"),
        Slot.employer.contact_email.as_alias("employer_contact_email"),
        Slot.occupation.name.as_alias("occupation_name"),
        Slot.municipality.name.as_alias("municipality_name"),
    ).where(Slot.id == slot_id)
    for condition in conditions:
        query = query.where(condition)
    return await query.first()


def contact(row: Mapping[str, Any]) -> dict[str, str]:
    """The slot's own contact person, or else the company's."""
    if row["contact_name"] or row["contact_phone"] or row["contact_email"]:
        prefix = ""
    else:
        prefix = "employer_"
    return {
        "name": row[f"{prefix}contact_name"],
        "phone": row[f"{prefix}contact_phone"],
        "email": row[f"{prefix}contact_email"],
    }
