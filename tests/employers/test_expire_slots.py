"""`portal expire-slots`: open and paused slots whose last day has passed become expired."""

import os
import subprocess

import pytest

from portal.employers.slots import expire_slots
from portal.employers.tables import SlotStatus
from portal.settings import ROOT
from tests import clock
from tests.conftest import run
from tests.employers.slots import day, slot_row
from tests.factories import make_org, make_slot

pytestmark = pytest.mark.slow

PORTAL = ROOT / ".venv" / "bin" / "portal"


@pytest.fixture
def slots(app):
    """One slot of every kind of case, all of one employer."""
    employer = make_org()
    past = {"start_date": day(-10), "end_date": day(-1)}
    return {
        "open, ended yesterday": make_slot(employer, status=SlotStatus.open, **past),
        "paused, ended yesterday": make_slot(employer, status=SlotStatus.paused, **past),
        "draft, ended yesterday": make_slot(employer, status=SlotStatus.draft, **past),
        "closed, ended yesterday": make_slot(employer, status=SlotStatus.closed, **past),
        "open, ends today": make_slot(employer, start_date=day(-5), end_date=day(0)),
        "open, ends next month": make_slot(employer),
    }


def statuses(slots):
    return {name: slot_row(slot.id)["status"] for name, slot in slots.items()}


EXPECTED = {
    "open, ended yesterday": "expired",
    "paused, ended yesterday": "expired",
    "draft, ended yesterday": "draft",
    "closed, ended yesterday": "closed",
    "open, ends today": "open",
    "open, ends next month": "open",
}


def portal(settings, tmp_path, *args):
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PORTAL_ENVIRONMENT": "development",
        "DATABASE_URL": settings.database_url,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        **clock.subprocess_env(),
    }
    return subprocess.run(
        [str(PORTAL), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_it_expires_what_has_ended_and_nothing_else(slots):
    assert run(expire_slots(day(0))) == 2
    assert statuses(slots) == EXPECTED


def test_it_is_safe_to_run_twice(slots):
    run(expire_slots(day(0)))
    assert run(expire_slots(day(0))) == 0
    assert statuses(slots) == EXPECTED


def test_the_command_expires_slots_and_prints_the_count(slots, settings, tmp_path):
    first = portal(settings, tmp_path, "expire-slots")
    assert first.returncode == 0, first.stderr
    assert "2 slot(s) expired." in first.stdout
    assert "slots expired" in first.stderr and "count=2" in first.stderr
    second = portal(settings, tmp_path, "expire-slots")
    assert second.returncode == 0, second.stderr
    assert "0 slot(s) expired." in second.stdout
    assert statuses(slots) == EXPECTED
