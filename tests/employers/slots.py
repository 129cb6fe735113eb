"""A complete, valid slot form and the personas of the slot tests; tests change one field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.employers.tables import Slot
from tests.conftest import run
from tests.factories import make_municipality, make_occupation, post_form


def day(offset: int) -> dt.date:
    """A date `offset` days from today (the portal's today: Europe/Berlin)."""
    from portal.clock import today

    return today() + dt.timedelta(days=offset)


def slot_form(**changes: str | None) -> dict[str, str]:
    """Fixed dates, two weeks from a month ahead; `name=None` leaves a field out."""
    make_occupation("24412")
    municipality = make_municipality("Leipzig")
    data = {
        "title": "Praktikum Schweißen (MAG)",
        "kind": "orientation_internship",
        "occupation": "24412",
        "tasks": "Vorbereiten von Werkstücken, Heften, einfache MAG-Nähte.",
        "requirements": "Sicherheitsschuhe",
        "min_german": "A2",
        "municipality": str(municipality.id),
        "schedule": "fixed",
        "start_date": day(30).isoformat(),
        "end_date": day(43).isoformat(),
        "duration_days": "",
        "hours_per_week": "35",
        "places": "2",
        "safety_equipment": "yes",
        "hire_possible": "yes",
        "contact_name": "Stefan Schmidt",
        "contact_phone": "0341 123456-0",
        "contact_email": "chef@metallbau.example.org",
        "intent": "draft",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def post_slot(client: Any, **changes: str | None) -> Any:
    return post_form(client, "/slots", slot_form(**changes))


def slots_of(organisation: Any) -> list[dict[str, Any]]:
    return run(Slot.select().where(Slot.employer == organisation.id).order_by(Slot.created_at))


def slot_row(slot_id: Any) -> dict[str, Any]:
    return run(Slot.select().where(Slot.id == slot_id).first())
