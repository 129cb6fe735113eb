"""Small, explicit factories and the steps most tests share (log in, send a form)."""

from __future__ import annotations

import functools
import re
import uuid
from typing import Any

from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role, User
from portal.clock import now, today
from tests.conftest import run

PASSWORD = "Werkbank-Feile-2026"


@functools.cache
def _password_hash() -> str:
    """The shared test password, hashed once per run with the test settings' cheap argon2id
    parameters (tests.conftest `settings`), so that a login does not renew it."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def make_org(
    kind: OrgKind = OrgKind.employer,
    *,
    name: str | None = None,
    status: OrgStatus = OrgStatus.active,
    **fields: Any,
) -> Organisation:
    organisation = Organisation(
        kind=kind, name=name or f"Org {uuid.uuid4().hex[:6]}", status=status, **fields
    )
    run(organisation.save())
    return organisation


def make_user(
    organisation: Organisation,
    role: Role,
    *,
    email: str | None = None,
    name: str = "Test User",
    active: bool = True,
    confirmed: bool = True,
    language: str = "de",
) -> User:
    user = User(
        email=email or f"user-{uuid.uuid4().hex[:8]}@example.org",
        display_name=name,
        organisation=organisation.id,
        role=role,
        password_hash=_password_hash(),
        is_active=active,
        email_confirmed_at=now() if confirmed else None,
        language=language,
    )
    run(user.save())
    return user


def csrf_token(client: Any) -> str:
    """The CSRF token, as a page would render it (the cookie is set by any GET)."""
    if "portal_csrf" not in client.cookies:
        client.get("/healthz")
        client.get("/login")
    return str(client.cookies["portal_csrf"])


def without_csrf_token(client: Any, html: str) -> str:
    """The page without its CSRF token: a random hex string may hold any run of digits ("1994")."""
    return html.replace(csrf_token(client), "")


def post_form(client: Any, url: str, data: dict[str, str], **kwargs: Any) -> Any:
    return client.post(url, data={**data, "_csrf_token": csrf_token(client)}, **kwargs)


def login(client: Any, email: str, password: str = PASSWORD, *, landing: bool = False) -> Any:
    """Log in; the page the login leads to (the home page's dashboard, a dozen queries) is only
    fetched when the test asks for it (`landing`)."""
    response = post_form(
        client, "/login", {"email": email, "password": password}, follow_redirects=landing
    )
    assert response.status_code == (200 if landing else 303), response.text[:500]
    assert "portal_session" in client.cookies
    return response


def link_from(message: Any) -> str:
    """The first link to the portal in an e-mail, as a path."""
    body = message.get_content()
    match = re.search(r"https?://[^\s/]+(/\S+)", body)
    assert match, body
    return match.group(1)


def use_session_cookie(client: Any, value: str) -> None:
    """Replace the client's session cookie (e.g. to replay an old one)."""
    client.cookies.delete("portal_session")
    client.cookies.set("portal_session", value, domain="testserver.local")


def make_occupation(
    code: str = "24412", name: str = "Berufe im Metallbau – fachlich ausgerichtete Tätigkeiten"
):
    """The occupation with `code`, created if the reference data has not loaded it."""
    from portal.reference.tables import Occupation

    if not run(Occupation.exists().where(Occupation.code == code)):
        parent = code[:-1] if len(code) > 1 else None
        run(Occupation.insert(Occupation(code=code, level=len(code), name=name, parent=parent)))
    return code


def make_municipality(name: str = "Musterstadt", **fields: Any) -> Any:
    from portal.reference.tables import Municipality

    municipality = Municipality(name=name, **fields)
    run(municipality.save())
    return municipality


def make_slot(employer: Organisation, **fields: Any) -> Any:
    """An open slot of `employer` (fixed dates, two weeks from next month) unless told otherwise."""
    import datetime as dt

    from portal.employers.tables import Slot, SlotKind, SlotStatus

    code = fields.pop("occupation", None) or make_occupation()
    start = fields.pop("start_date", today() + dt.timedelta(days=30))
    end = fields.pop("end_date", start + dt.timedelta(days=13))
    values: dict[str, Any] = {
        "employer": employer.id,
        "title": "Praktikum Schweißen",
        "kind": SlotKind.orientation_internship,
        "occupation": code,
        "occupation_area": code[:1],
        "occupation_main_group": code[:2],
        "occupation_group": code[:3] if len(code) >= 3 else "",
        "municipality": fields.pop("municipality", None) or make_municipality().id,
        "start_date": start,
        "end_date": end,
        "duration_days": (end - start).days + 1,
        "hours_per_week": 35,
        "places": 1,
        "status": SlotStatus.open,
        **fields,
    }
    slot = Slot(**values)
    run(slot.save())
    return slot


def vault() -> Any:
    """The vault of every test app (the keys of the `settings` fixture)."""
    from portal.candidates.vault import Vault
    from tests.conftest import TEST_IDENTITY_KEY

    return Vault([TEST_IDENTITY_KEY])


def make_candidate(
    organisation: Organisation,
    case_manager: User | None = None,
    *,
    identity: dict[str, str] | None = None,
    occupations: tuple[str, ...] = (),
    **fields: Any,
) -> Any:
    """A candidate of `organisation` with a sealed identity (Amina Haddad unless told otherwise).

    `occupations` are desired occupation codes; `fields` are Candidate columns.
    """
    from portal.candidates.codes import new_code
    from portal.candidates.tables import (
        Candidate,
        CandidateIdentity,
        CandidateOccupation,
        OccupationKind,
    )
    from portal.candidates.vault import IdentityData, duplicate_hash
    from tests.conftest import TEST_DUPLICATE_HASH_KEY

    candidate = Candidate(
        code=fields.pop("code", None) or new_code(),
        organisation=organisation.id,
        case_manager=case_manager.id if case_manager else None,
        **fields,
    )
    run(candidate.save())
    data = IdentityData(
        **{
            "given_names": "Amina",
            "family_name": "Haddad",
            "date_of_birth": "1994-05-17",
            "work_access": "permit_per_job",
            **(identity or {}),
        }
    )
    record = CandidateIdentity(candidate=candidate.id)
    for name, value in vault().seal_identity(data, record_id=record.id).items():
        setattr(record, name, value)
    record.dup_hash = duplicate_hash(TEST_DUPLICATE_HASH_KEY, data.full_name, data.date_of_birth)
    run(record.save())
    for code in occupations:
        make_occupation(code)
        run(
            CandidateOccupation.insert(
                CandidateOccupation(
                    candidate=candidate.id,
                    kind=OccupationKind.desired,
                    occupation=code,
                    occupation_area=code[:1],
                    occupation_main_group=code[:2],
                    occupation_group=code[:3] if len(code) >= 3 else "",
                )
            )
        )
    return candidate
