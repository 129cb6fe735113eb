"""The iCalendar file of an employer's upcoming slots, and the small writer behind it."""

import datetime as dt

from portal.employers import ics
from portal.employers.tables import SlotStatus
from tests.employers.slots import day
from tests.factories import login, make_org, make_slot

STAMP = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)


def lines(text):
    """The content lines, unfolded (RFC 5545 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")


def test_it_writes_whole_days_with_an_exclusive_end():
    event = ics.Event(
        uid="abc@portal.example.org",
        first_day=dt.date(2026, 3, 2),
        last_day=dt.date(2026, 3, 13),
        summary="Praktikum",
    )
    text = ics.calendar([event], name="Plätze", stamp=STAMP)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    content = lines(text)
    assert "DTSTART;VALUE=DATE:20260302" in content
    assert "DTEND;VALUE=DATE:20260314" in content
    assert "DTSTAMP:20260301T123000Z" in content
    assert "UID:abc@portal.example.org" in content


def test_it_escapes_text():
    assert ics.escape_text("Schweißen, Schleifen; Bohren\\Fräsen\nneu") == (
        "Schweißen\\, Schleifen\\; Bohren\\\\Fräsen\\nneu"
    )


def test_it_folds_long_lines_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "Schweißerei-Ü" * 20
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_it_leaves_a_short_line_alone():
    assert ics.fold("SUMMARY:kurz") == "SUMMARY:kurz"


def test_it_exports_the_upcoming_open_and_paused_slots(client, employer, member):
    long_title = "Praktikum Schweißen, Schleifen und Entgraten im Stahl- und Metallbau " * 2
    comma = make_slot(employer, title="Lager, Versand", start_date=day(5), end_date=day(9))
    long = make_slot(
        employer,
        title=long_title.strip(),
        status=SlotStatus.paused,
        start_date=day(10),
        end_date=day(23),
    )
    make_slot(employer, title="Entwurf", status=SlotStatus.draft)
    make_slot(employer, title="Geschlossen", status=SlotStatus.closed)
    make_slot(employer, title="Vorbei", start_date=day(-10), end_date=day(-1))
    make_slot(make_org(), title="Fremd")
    login(client, member.email)
    response = client.get("/slots/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    text = response.text
    assert all(len(piece.encode()) <= 75 for piece in text.split("\r\n"))
    content = lines(text)
    assert "SUMMARY:Lager\\, Versand" in content
    assert f"SUMMARY:{ics.escape_text(long_title.strip())}" in content
    assert text.count("BEGIN:VEVENT") == 2
    assert f"UID:{comma.id}@127.0.0.1" in content
    assert f"UID:{long.id}@127.0.0.1" in content
    assert f"DTSTART;VALUE=DATE:{day(5):%Y%m%d}" in content
    assert f"DTEND;VALUE=DATE:{day(10):%Y%m%d}" in content
    for hidden in ("Entwurf", "Geschlossen", "Vorbei", "Fremd"):
        assert hidden not in text


def test_it_keeps_the_uid_of_a_slot_across_downloads(client, employer, member):
    make_slot(employer)
    login(client, member.email)
    first = [
        line for line in lines(client.get("/slots/calendar.ics").text) if line.startswith("UID")
    ]
    second = [
        line for line in lines(client.get("/slots/calendar.ics").text) if line.startswith("UID")
    ]
    assert first == second and len(first) == 1


def test_it_includes_a_slot_ending_today(client, employer, member):
    make_slot(employer, title="Letzter Tag", start_date=day(-3), end_date=day(0))
    login(client, member.email)
    assert "SUMMARY:Letzter Tag" in lines(client.get("/slots/calendar.ics").text)
