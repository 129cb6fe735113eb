"""The calendar invitation for the intern's first day (RFC 5545, sent as iTIP, RFC 5546): to the
slot's contact person and the case manager when the dates are fixed, cancelled with the same
UID when the placement is withdrawn before the start; never an identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.notifications.tables import OutboxMessage
from portal.placements import machine
from portal.templating import create_environment
from portal.worker import deliver_all
from tests.conftest import run
from tests.factories import make_slot
from tests.placements.factories import make_placement
from tests.placements.session import as_user

CONTACT = "werkstatt@metallbau.example"


def calendars(settings: Any, mailbox: Any) -> dict[str, tuple[Any, str]]:
    """Deliver the outbox; the invitation mails by recipient: (message, its .ics text)."""
    mailbox.clear()
    run(deliver_all(settings, create_environment()))
    found = {}
    for message in mailbox.messages:
        parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        if parts:
            found[message["To"]] = (message, parts[0].get_content())
    return found


def fields(ics: str) -> dict[str, str]:
    """The content lines of a one-event calendar, unfolded (name with parameters → value)."""
    unfolded = ics.replace("\r\n ", "")
    return dict(line.split(":", 1) for line in unfolded.split("\r\n") if line)


def test_fixing_the_dates_invites_the_contact_person_and_the_case_manager(
    app, settings, mailbox, employer, candidate, alice, erik
):
    slot = make_slot(employer, contact_name="Herr Werkstatt", contact_email=CONTACT)
    placement_id = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    found = calendars(settings, mailbox)
    assert set(found) == {alice.email, CONTACT}
    message, ics = found[CONTACT]
    assert message["Subject"] == (
        f"Erster Praktikumstag: {candidate.code} am {slot.start_date.strftime('%d.%m.%Y')}"
    )
    assert message.get_body(("plain",)).get_content().count(f"/placements/{placement_id}") == 1
    calendar_part = next(message.iter_attachments())
    assert calendar_part.get_param("method") == "REQUEST"
    assert ics.endswith("\r\n") and all(
        len(line.encode()) <= 75 for line in ics.split("\r\n")
    )  # RFC 5545 3.1
    event = fields(ics)
    assert event["METHOD"] == "REQUEST" and event["SEQUENCE"] == "0"
    assert event["UID"] == f"placement-{placement_id}@placement-portal"
    first = slot.start_date
    assert event["DTSTART;VALUE=DATE"] == first.strftime("%Y%m%d")
    assert event["DTEND;VALUE=DATE"] == (first + dt.timedelta(days=1)).strftime("%Y%m%d")
    assert event["ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE"] == f"mailto:{CONTACT}"
    assert event["ORGANIZER"].startswith("mailto:")
    assert candidate.code in event["SUMMARY"]
    for mail, text in found.values():  # never the person's name
        assert "Amina" not in mail.as_string() and "Haddad" not in text


def test_a_withdrawal_before_the_start_cancels_it_with_the_same_uid(
    app, settings, mailbox, slot, candidate, alice, erik
):
    placement_id = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    uid = fields(calendars(settings, mailbox)[alice.email][1])["UID"]
    run(
        machine.apply(
            as_user(alice), placement_id, "withdraw", machine.Input(reason="candidate_declined")
        )
    )
    message, ics = calendars(settings, mailbox)[alice.email]
    event = fields(ics)
    assert (event["METHOD"], event["SEQUENCE"], event["UID"]) == ("CANCEL", "1", uid)
    assert event["STATUS"] == "CANCELLED"
    assert message["Subject"].startswith("Abgesagt: erster Praktikumstag")


def test_no_invitation_before_the_dates_are_fixed_or_after_the_start(
    app, settings, mailbox, slot, candidate, alice, erik
):
    make_placement("in_progress", slot=slot, candidate=candidate, case_worker=alice,
                   employer_user=erik)  # fmt: skip
    templates = [
        row["template"]
        for row in run(OutboxMessage.select(OutboxMessage.template))
        if row["template"] == "placement_first_day"
    ]
    assert len(templates) == 1  # the prepare step's, not the start's or the acceptance's
