"""Slots (Praktikumsplätze): what an employer offers, for up to four weeks."""

from __future__ import annotations

import enum

from piccolo.columns import (
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import Organisation
from portal.reference.tables import CEFR, Municipality, Occupation

# PRODUCT.md section 3: from one day up to four weeks, whatever the kind.
MAX_DURATION_DAYS = 28


class SlotKind(enum.StrEnum):
    # Orientierungspraktikum, minimum-wage exempt for up to three months (MiLoG §22 Abs. 1 Nr. 2).
    orientation_internship = "orientation_internship"
    # Maßnahme bei einem Arbeitgeber (§45 Abs. 1 Satz 1 Nr. 1 SGB III): the job centre approves
    # it for the person before the start; the approval reference is kept on the placement.
    employer_measure = "employer_measure"
    # Hospitation: watching and trying, no employment relationship.
    job_shadowing = "job_shadowing"
    # A training slot (e.g. a trial of an apprenticeship place or an entry qualification).
    training_slot = "training_slot"


class SlotStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    paused = "paused"
    filled = "filled"
    closed = "closed"
    expired = "expired"


class Slot(Table):
    id = UUID(primary_key=True)
    employer = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    kind = Varchar(length=30, choices=SlotKind, index=True)
    occupation = ForeignKey(references=Occupation, on_delete=OnDelete.restrict, index=True)
    # The occupation's code prefixes, so that a search by any level of the classification is an
    # indexed equality (derived from `occupation` when the slot is saved).
    occupation_area = Varchar(length=1, index=True)
    occupation_main_group = Varchar(length=2, index=True)
    occupation_group = Varchar(length=3, default="", index=True)
    tasks = Text(default="")
    requirements = Text(default="")
    min_german = Varchar(length=2, choices=CEFR, null=True, default=None, index=True)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.restrict, index=True)
    # Fixed dates (flexible=False): the internship runs from start to end. Availability window
    # (flexible=True): it runs `duration_days` somewhere between start and end.
    start_date = Date(index=True)
    end_date = Date(index=True)
    flexible = Boolean(default=False)
    duration_days = Integer()
    hours_per_week = Integer()
    places = Integer(default=1)
    safety_equipment = Boolean(default=False)
    hire_possible = Boolean(default=False)
    # Work in shifts (early/late/night) is part of the internship: matched with the candidate's.
    shift_work = Boolean(default=False)
    contact_name = Varchar(length=120, default="")
    contact_phone = Varchar(length=40, default="")
    contact_email = Varchar(length=254, default="")
    status = Varchar(length=10, choices=SlotStatus, default=SlotStatus.draft, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
