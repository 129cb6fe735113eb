"""The tests' clock: the portal's "today" is the day the tests say it is.

By default the tests run on the real day, and every test that depends on the calendar computes
its dates from `portal.clock.today()` or freezes the day it needs (time-machine's
`time_machine` fixture). `TEST_TODAY=2028-02-29` (or `2027-03-28T02:30`, a time in Berlin; set
by `scripts/test.py --today`) moves the whole test process there from its first import on:
the app in its threads, Piccolo's column defaults and the tests' own dates, with the clock
running on from there. `subprocess_env()` hands the same moment to a `portal` command run as a
subprocess. The variable is read here only; the portal itself knows nothing of it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import time_machine

from portal.clock import TIMEZONE

# Holds sitecustomize.py, which moves a Python subprocess to TEST_NOW when it starts.
SITE = Path(__file__).resolve().parent / "clock_site"
DEFAULT_TIME = dt.time(10, 0)


def shifted_moment(value: str) -> dt.datetime:
    """TEST_TODAY's moment: a day (at 10:00) or a day and time, in the portal's time zone."""
    moment = dt.datetime.fromisoformat(value)
    if "T" not in value and " " not in value:
        moment = dt.datetime.combine(moment.date(), DEFAULT_TIME)
    return moment.replace(tzinfo=TIMEZONE)


def start_from_environment() -> dt.datetime | None:
    """Move this process to TEST_TODAY, if it is set; the clock then runs on from there."""
    value = os.environ.get("TEST_TODAY", "").strip()
    if not value:
        return None
    moment = shifted_moment(value)
    time_machine.travel(moment, tick=True).start()
    return moment


def subprocess_env() -> dict[str, str]:
    """Environment for a Python subprocess that must share this process's "now"."""
    return {"PYTHONPATH": str(SITE), "TEST_NOW": repr(time.time())}
