"""The portal's one clock: every "now" and "today" in portal/ is read here.

Nothing else in portal/ asks the system for the time, so that the calendar the portal acts on is
one thing a test can set. The tests move it with time-machine (tests/clock.py), which also moves
what the libraries read (Piccolo's column defaults), in every thread of the process.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

# Where the portal's users live: a slot's dates, deadlines and "today" are local dates there.
TIMEZONE = ZoneInfo("Europe/Berlin")


def now() -> dt.datetime:
    """This moment, aware, in UTC (as the database keeps it)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today in the portal's time zone (after 22:00 UTC in summer it is tomorrow in Berlin)."""
    return dt.datetime.now(TIMEZONE).date()


def timestamp() -> float:
    """Seconds since the epoch, for lifetimes kept as numbers (sessions, throttling, grants)."""
    return time.time()
