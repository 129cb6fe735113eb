"""The tests' clock (tests/clock.py): TEST_TODAY moves the portal's "today", in this process and
in a `portal` command run as a subprocess, so that a run on another day is one really."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from portal.clock import TIMEZONE, today
from tests import clock
from tests.conftest import SHIFTED_TO


def test_it_reads_a_day_or_a_day_and_a_time_in_berlin() -> None:
    assert clock.shifted_moment("2028-02-29") == dt.datetime(2028, 2, 29, 10, tzinfo=TIMEZONE)
    assert clock.shifted_moment("2027-03-28T02:30") == dt.datetime(
        2027, 3, 28, 2, 30, tzinfo=TIMEZONE
    )


def test_the_run_is_on_the_day_test_today_names() -> None:
    if SHIFTED_TO is None:
        assert not os.environ.get("TEST_TODAY", "").strip()
    else:
        assert today() == SHIFTED_TO.date()


def test_a_subprocess_shares_the_moment_of_the_test(time_machine) -> None:
    time_machine.move_to(dt.datetime(2031, 7, 14, 12, tzinfo=TIMEZONE), tick=False)
    seen = subprocess.run(
        [sys.executable, "-c", "from portal.clock import today; print(today())"],
        env={**os.environ, **clock.subprocess_env()},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert seen == "2031-07-14"
