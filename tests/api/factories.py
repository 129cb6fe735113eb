"""API tokens for the tests: made directly in the table, the secret returned with the row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.api.tables import ApiToken, TokenScope
from portal.api.tokens import digest, new_secret
from tests.conftest import run


def make_token(
    user: Any,
    *,
    scope: TokenScope = TokenScope.read_write,
    expires_at: dt.datetime | None = None,
    revoked_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """A token of the user's organisation, created by the user; `secret` is the Bearer value."""
    secret = new_secret()
    token = ApiToken(
        organisation=user.organisation,
        created_by=user.id,
        name="Testsystem",
        scope=scope,
        digest=digest(secret),
        hint=secret[:10],
        expires_at=expires_at,
        revoked_at=revoked_at,
    )
    run(token.save())
    return {"id": token.id, "secret": secret, "headers": {"Authorization": f"Bearer {secret}"}}


def slot_body(municipality_id: int, **changes: Any) -> dict[str, Any]:
    """A valid slot as an API client sends it: two weeks from next month."""
    from portal.clock import today
    from tests.factories import make_occupation

    start = today() + dt.timedelta(days=30)
    body = {
        "title": "Praktikum Metallbau",
        "kind": "orientation_internship",
        "occupation": make_occupation(),
        "tasks": "Bohren, Feilen, Messen",
        "municipality": municipality_id,
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=13)).isoformat(),
        "hours_per_week": 35,
        "places": 2,
    }
    return {**body, **changes}


def placement_world() -> dict[str, Any]:
    """An employer with an open one-place slot and an agency with an active, consenting case;
    the organisations' admins (the tokens' creators) and a token of each."""
    from portal.accounts.tables import OrgKind, Role
    from portal.candidates.tables import CandidateStatus
    from tests.factories import make_candidate, make_org, make_slot, make_user
    from tests.placements.conftest import consent

    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    erik = make_user(employer, Role.employer_admin)
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    lead = make_user(agency, Role.team_lead)
    candidate = make_candidate(agency, lead, occupations=("24412",), status=CandidateStatus.active)
    consent(candidate)
    return {
        "employer": employer,
        "erik": erik,
        "agency": agency,
        "lead": lead,
        "slot": make_slot(employer, places=1),
        "candidate": candidate,
        "employer_token": make_token(erik),
        "agency_token": make_token(lead),
    }
