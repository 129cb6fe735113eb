"""Helpers of the consent tests: a valid form, recording over HTTP, consents made directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.candidates.tables import Candidate, Consent, ConsentMethod
from portal.clock import today
from tests.conftest import run
from tests.factories import csrf_token


def consent_form(**overrides: str) -> dict[str, str]:
    return {
        "show_profile": "yes",
        "talent_pool": "yes",
        "release_identity": "",
        "given_on": (today() - dt.timedelta(days=2)).isoformat(),
        "method": "oral_interpreter",
        "text_version": "2026-01",
        "language": "ar",
        **overrides,
    }


def record(
    client: Any,
    candidate: Any,
    files: dict[str, Any] | None = None,
    *,
    follow_redirects: bool = True,
    **overrides: str,
) -> Any:
    """Send the consent form as a browser does (multipart, with an empty file field).

    `candidate` is a Candidate or an id (also a malformed one)."""
    data = {name: value for name, value in consent_form(**overrides).items() if value}
    return client.post(
        f"/candidates/{getattr(candidate, 'id', candidate)}/consent",
        data={**data, "_csrf_token": csrf_token(client)},
        files=files or {"document": ("", b"", "application/octet-stream")},
        follow_redirects=follow_redirects,
    )


def consents_of(candidate: Any) -> list[dict[str, Any]]:
    """The candidate's consents, oldest first."""
    return run(
        Consent.select().where(Consent.candidate == candidate.id).order_by(Consent.recorded_at)
    )


def make_consent(candidate: Any, user: Any, **fields: Any) -> Consent:
    """A consent in force, recorded by `user` (directly in the table)."""
    consent = Consent(
        candidate=candidate.id,
        show_profile=fields.pop("show_profile", True),
        given_on=fields.pop("given_on", dt.date(2026, 1, 15)),
        method=fields.pop("method", ConsentMethod.oral),
        text_version=fields.pop("text_version", "2025-09"),
        language=fields.pop("language", "de"),
        recorded_by=user.id,
        **fields,
    )
    run(consent.save())
    return consent


def candidate_row(candidate: Any) -> dict[str, Any]:
    return run(Candidate.select().where(Candidate.id == candidate.id).first())
