"""The example client in docs/ (standard library only) against a live server: it creates a
slot and reads the nominations waiting for the employer, with a token."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateStatus
from portal.employers.tables import Slot
from tests import clock
from tests.api.factories import make_token
from tests.conftest import run
from tests.factories import make_candidate, make_municipality, make_org, make_slot, make_user
from tests.live import serve
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

SCRIPT = Path(__file__).parents[2] / "docs" / "api_client_example.py"


@pytest.fixture
def api_url(settings: Any, worker_database: Any) -> Any:
    with serve(settings, worker_database) as url:
        yield url


def _client(url, token):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PORTAL_URL": url,
        "PORTAL_TOKEN": token,
        **clock.subprocess_env(),
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_example_client_creates_a_slot_and_reads_the_nominations(api_url):
    employer = make_org(OrgKind.employer)
    erik = make_user(employer, Role.employer_admin)
    make_municipality("Wurzen")
    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    candidate = make_candidate(agency, lead, status=CandidateStatus.active)
    consent(candidate)
    make_placement(
        "proposed",
        slot=make_slot(employer),
        candidate=candidate,
        case_worker=lead,
        employer_user=erik,
    )
    done = _client(api_url, make_token(erik)["secret"])
    assert done.returncode == 0, done.stderr
    [slot] = run(Slot.select().where(Slot.title == "Orientierungspraktikum Metallbau"))
    assert slot["status"] == "open" and slot["employer"] == employer.id
    assert f"Slot created: {slot['id']}" in done.stdout
    assert "1 nomination(s) waiting" in done.stdout and candidate.code in done.stdout


def test_it_reports_a_refusal_with_its_problem_details(api_url):
    agency_token = make_token(make_user(make_org(OrgKind.case_management), Role.team_lead))
    make_municipality("Wurzen")
    refused = _client(api_url, agency_token["secret"])
    assert refused.returncode == 1
    assert "Refused: 403" in refused.stderr
