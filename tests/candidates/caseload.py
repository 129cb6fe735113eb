"""Helpers of the caseload and identity tests (the personas are in conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.accounts.tables import Organisation
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate, CandidateIdentity, Consent
from portal.clock import now
from portal.clock import today as portal_today
from portal.reference.tables import Programme
from tests.conftest import run
from tests.factories import login, vault


def switch_to(client: Any, user: Any) -> None:
    """Log out whoever is logged in, and log `user` in."""
    client.cookies.clear()
    login(client, user.email)


def candidate_row(candidate_id: Any) -> dict[str, Any]:
    return run(Candidate.select().where(Candidate.id == candidate_id).first())


def identity_of(candidate_id: Any) -> Any:
    """The stored identity, opened with the test vault."""
    row = run(CandidateIdentity.select().where(CandidateIdentity.candidate == candidate_id).first())
    return vault().open_identity(row, record_id=row["id"])


def events(candidate_id: Any, action: str | None = None) -> list[dict[str, Any]]:
    """The audit rows of a candidate (of one action), oldest first."""
    query = AuditEvent.select().where(AuditEvent.record_id == str(candidate_id))
    if action:
        query = query.where(AuditEvent.action == action)
    return run(query.order_by(AuditEvent.id).output(load_json=True))


def give_consent(candidate: Any, *, show_profile: bool = True, ended: bool = False) -> Any:
    consent = Consent(
        candidate=candidate.id,
        show_profile=show_profile,
        talent_pool=False,
        release_identity=True,
        given_on=portal_today() - dt.timedelta(days=3),
        method="oral_interpreter",
        text_version="2026-01",
        language="ar",
        ended_at=now() if ended else None,
    )
    run(consent.save())
    return consent


def share_caseload(organisation: Organisation, shared: bool = True) -> None:
    run(
        Organisation.update({Organisation.caseload_shared: shared}).where(
            Organisation.id == organisation.id
        )
    )


def make_programme(name: str = "WIR-Fallmanagement", *, active: bool = True) -> Programme:
    programme = Programme(name=name, active=active)
    run(programme.save())
    return programme


def years_ago(years: int, days: int = 0) -> dt.date:
    today = portal_today()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - dt.timedelta(days=days)


def identity_form(**fields: str) -> dict[str, str]:
    """A complete, valid identity form (Amina Haddad, born 17.05.1994)."""
    return {
        "given_names": "Amina",
        "family_name": "Haddad",
        "date_of_birth": "17.05.1994",
        "phone": "0341 123456",
        "email": "amina.haddad@example.org",
        "street": "Lindenstraße 4",
        "postcode": "04109",
        "city": "Leipzig",
        "file_number": "JC-2026-0815",
        "residence_status": "Aufenthaltserlaubnis § 25 Abs. 2 AufenthG",
        "work_access": "free",
        "residence_document_expires": (portal_today() + dt.timedelta(days=400)).isoformat(),
        "work_permit_expires": "",
        "notes": "Termine nur vormittags.",
        **fields,
    }


HTMX = {"HX-Request": "true"}
