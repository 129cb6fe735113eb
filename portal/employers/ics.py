"""iCalendar (RFC 5545) files, written with the standard library: a few VEVENTs of whole days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from portal.forms import EARLIEST_YEAR, LATEST_YEAR

CRLF = "\r\n"
LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than 75 octets are folded


@dataclass(frozen=True)
class Event:
    uid: str
    first_day: dt.date
    last_day: dt.date  # inclusive; DTEND is the day after (RFC 5545 3.6.1)
    summary: str
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > LINE_OCTETS:
            pieces.append(current)
            # A continuation line starts with a space, which counts towards its 75 octets.
            current, size = " ", 1
        current += char
        size += octets
    pieces.append(current)
    return CRLF.join(pieces)


def _date(value: dt.date) -> str:
    # Four-digit years whatever the platform's strftime does with year 1.
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _writable(event: Event) -> bool:
    """Dates the forms accept; a row stored before they were bounded (a slot ending on
    31.12.9999 has no DTEND) is left out rather than failing the whole file."""
    return event.first_day.year >= EARLIEST_YEAR and event.last_day.year <= LATEST_YEAR


def calendar(
    events: Iterable[Event], *, name: str, stamp: dt.datetime, product: str = "Placement portal"
) -> str:
    """A complete VCALENDAR: CRLF line ends, folded lines, escaped text."""
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(product)}//Slots//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in filter(_writable, events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{_date(event.first_day)}",
            f"DTEND;VALUE=DATE:{_date(event.last_day + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
            "TRANSP:TRANSPARENT",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def invitation(
    event: Event,
    *,
    method: str,
    sequence: int,
    organizer: str,
    attendee: str,
    stamp: dt.datetime,
    location: str = "",
    product: str = "Placement portal",
) -> str:
    """One event sent by e-mail (iTIP, RFC 5546): METHOD:REQUEST invites or updates it (a higher
    SEQUENCE replaces the one before, same UID), METHOD:CANCEL takes it back."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(product)}//Placements//DE",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{stamp_text}",
        f"DTSTART;VALUE=DATE:{_date(event.first_day)}",
        f"DTEND;VALUE=DATE:{_date(event.last_day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"ORGANIZER:mailto:{organizer}",
        f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}",
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}",
        "TRANSP:TRANSPARENT",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
