"""schemathesis against the OpenAPI document, on a live server with a seeded database: every
operation with a bounded number of generated requests (API_EXAMPLES, default 5), as an
employer's, a case-management organisation's and a chamber's token — no 500, and every answer has a
documented status, content type and shape."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts.tables import OrgKind, Role
from portal.api.tables import ApiToken, TokenScope
from portal.audit.tables import AuditEvent
from portal.candidates.tables import CandidateStatus
from tests.api.factories import make_token
from tests.conftest import run
from tests.factories import make_candidate, make_municipality, make_org, make_slot, make_user
from tests.live import serve
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("API_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_url(settings: Any, worker_database: Any) -> Any:
    # Unlimited for this run: every generated request is to reach its operation.
    with serve(settings.replace(api_rate_per_minute=1_000_000), worker_database) as url:
        yield url


@pytest.fixture
def api_schema(api_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{api_url}/schema/openapi.json")


@pytest.fixture
def seeded(api_url: str) -> dict[str, dict[str, str]]:
    """An employer with slots, an agency with cases, placements between them, a chamber:
    tokens of each (the app first)."""
    employer = make_org(OrgKind.employer)
    erik = make_user(employer, Role.employer_admin)
    place = make_municipality()
    slots = [make_slot(employer, municipality=place.id) for _ in range(3)]
    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    for number in range(3):
        candidate = make_candidate(agency, lead, status=CandidateStatus.active)
        consent(candidate)
        state = ("proposed", "accepted", "preparing")[number]
        make_placement(
            state, slot=slots[number], candidate=candidate, case_worker=lead, employer_user=erik
        )
    chamber = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    return {
        "employer": make_token(erik)["headers"],
        "agency": make_token(lead)["headers"],
        "chamber": make_token(chamber, scope=TokenScope.read)["headers"],
    }


def test_every_operation_answers_as_documented(api_schema: Any, api_url: str, seeded: Any) -> None:
    # Each operation's own hypothesis run (schemathesis' pytest plugin does not run on this
    # pytest), the examples bounded and reproducible.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: Any) -> None:
            for headers in seeded.values():
                case.call_and_validate(base_url=api_url, headers=headers, checks=CHECKS)

        answers_as_documented()
    # Not vacuous: every token was used, and every write operation called with each (a write
    # is audited every time; reads once a minute per token).
    writes = [op for op in operations if op.method.upper() in ("POST", "PUT", "PATCH")]
    uses = run(AuditEvent.count().where(AuditEvent.action == "api_token.used"))
    assert uses >= len(seeded) * len(writes)
    assert run(ApiToken.count().where(ApiToken.last_used_at.is_null())) == 0
