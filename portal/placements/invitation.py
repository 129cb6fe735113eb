"""The calendar invitation for an intern's first day (iCalendar, RFC 5545; sent as iTIP, RFC 5546).

When the dates are fixed (accepted → preparing), the slot's contact person at the employer and
the responsible case manager get an e-mail with an invitation to the first day (METHOD:REQUEST);
when the placement is withdrawn before the start, a cancellation with the same UID and a higher
SEQUENCE takes it out of their calendars (METHOD:CANCEL). The outbox keeps only codes, titles and
dates; the calendar file is written when the mail is delivered, for its recipient.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from portal.auth.policy import Side
from portal.employers.ics import Event, invitation
from portal.notifications.outbox import Mail, Recipient, enqueue
from portal.placements.effects import mail_context, recipients
from portal.placements.tables import PlacementState as S
from portal.search.services import contact, slot_details

TEMPLATE = "placement_first_day"
# The language of a contact person who is not a user of the portal (no language of their own).
CONTACT_LANGUAGE = "de"


def _step(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, int] | None:
    """(method, sequence) for this change of state, or None when the calendar is not concerned."""
    if before["state"] == S.accepted and after["state"] == S.preparing:
        return "REQUEST", 0
    if before["state"] == S.preparing and after["state"] == S.withdrawn:
        return "CANCEL", 1
    return None


async def send_invitation(before: Mapping[str, Any], after: Mapping[str, Any]) -> int:
    """Write the invitation (or its cancellation) for the placement's first day to the outbox.

    Called by the machine inside the transition's transaction; returns the messages written.
    """
    step = _step(before, after)
    if step is None or after["start_date"] is None:
        return 0
    method, sequence = step
    slot = await slot_details(after["slot"])
    people = list(await recipients(Side.case_worker, after))
    person = contact(slot) if slot else {}
    if person.get("email") and all(r.address != person["email"] for r in people):
        people.append(Recipient(person["email"], CONTACT_LANGUAGE))
    location = ""
    if slot and (slot["employer_street"] or slot["employer_city"]):
        location = f"{slot['employer_street']}, {slot['employer_postcode']} {slot['employer_city']}"
    context = mail_context(
        after,
        invitation={
            "method": method,
            "sequence": sequence,
            "uid": f"placement-{after['id']}@placement-portal",
            "first_day": after["start_date"].isoformat(),
            "location": location.strip(", "),
        },
        start_date=after["start_date"].isoformat(),
        cancelled=method == "CANCEL",
    )
    return await enqueue(
        Mail(TEMPLATE, context), people, dedupe_key=f"invitation:{after['id']}:{sequence}"
    )


def invitation_file(
    data: Mapping[str, Any], *, summary: str, url: str, to: str, organizer: str, stamp: dt.datetime
) -> tuple[str, str]:
    """(the .ics text, its method) for one recipient of an invitation written by send_invitation."""
    first_day = dt.date.fromisoformat(data["first_day"])
    event = Event(
        uid=data["uid"], first_day=first_day, last_day=first_day, summary=summary, url=url
    )
    text = invitation(
        event,
        method=data["method"],
        sequence=int(data["sequence"]),
        organizer=organizer,
        attendee=to,
        stamp=stamp,
        location=data.get("location", ""),
    )
    return text, data["method"]
