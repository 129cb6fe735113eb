"""schemathesis against the OpenAPI document, on a live server with a seeded database: every
operation with a bounded number of generated requests (API_EXAMPLES, default 5), as an
employer's and as a case-management organisation's token — no 500, and every answer has a
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
from portal.audit.tables import AuditEvent
from tests.api.factories import make_token
from tests.conftest import run
from tests.factories import make_candidate, make_municipality, make_org, make_slot, make_user
from tests.live import serve

EXAMPLES = int(os.environ.get("API_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_url(settings: Any, worker_database: Any) -> Any:
    with serve(settings, worker_database) as url:
        yield url


@pytest.fixture
def api_schema(api_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{api_url}/schema/openapi.json")


@pytest.fixture
def seeded(api_url: str) -> dict[str, dict[str, str]]:
    """An employer with slots, an agency with cases: tokens of each (the app first)."""
    employer = make_org(OrgKind.employer)
    place = make_municipality()
    for _ in range(3):
        make_slot(employer, municipality=place.id)
    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    for _ in range(3):
        make_candidate(agency, lead)
    return {
        "employer": make_token(make_user(employer, Role.employer_admin))["headers"],
        "agency": make_token(lead)["headers"],
    }


def test_every_operation_answers_as_documented(api_schema: Any, api_url: str, seeded: Any) -> None:
    # Each operation's own hypothesis run (schemathesis' pytest plugin does not run on this
    # pytest), the examples bounded and reproducible.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
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
    # Not vacuous: every operation was called, with both tokens.
    uses = run(AuditEvent.count().where(AuditEvent.action == "api_token.used"))
    assert uses >= 2 * len(operations)
