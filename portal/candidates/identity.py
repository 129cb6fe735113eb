"""The identity: its form, who may read it and why, reading (audited) and changing it.

PRODUCT.md sections 2 and 7: only the owning organisation reads an identity, and every display
is written to the audit log with who, when and why. The assigned case manager reads it without
giving a reason; anyone else who may see the case (the team lead, a colleague when the caseload
is shared) first states a short reason, kept for a quarter of an hour in their server-side
session, so that a few pages in a row do not ask again — every page still writes its own row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any
from uuid import UUID

from portal.auth import CurrentUser
from portal.auth.policy import is_assigned
from portal.candidates.access import audit
from portal.candidates.pii import find_personal_data
from portal.candidates.tables import Candidate, CandidateIdentity, WorkAccess
from portal.candidates.vault import IdentityData, Vault, duplicate_hash
from portal.clock import now, timestamp, today
from portal.forms import (
    EMAIL_RE,
    POSTCODE_RE,
    Errors,
    check_phone,
    date_within,
    not_allowed,
    not_allowed_message,
    parse_date,
    years_from,
)
from portal.i18n import _
from portal.sessions import Session

LIMITS = {
    "given_names": 100,
    "family_name": 100,
    "phone": 40,
    "email": 254,
    "street": 200,
    "city": 100,
    "file_number": 50,
    "residence_status": 200,
    "notes": 2000,
}
EXPIRY_FIELDS = ("residence_document_expires", "work_permit_expires")
DATE_FIELDS = ("date_of_birth", *EXPIRY_FIELDS)
MIN_AGE, MAX_AGE = 15, 80
# Expiry dates this close (or past) are highlighted: time to renew the document.
EXPIRY_WARNING_DAYS = 60

# The reason written to the audit log when the assigned case manager reads the identity.
ASSIGNED_REASON = "assigned case manager"
REASON_MIN, REASON_MAX = 5, 200
GRANT_SECONDS = 15 * 60
GRANTS_KEY = "identity_grants"


# -- the form ---------------------------------------------------------------------------------


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _date(errors: Errors, data: Mapping[str, str], name: str) -> str:
    """The date of field `name` as ISO text ("" when empty or wrong; wrong gets a message)."""
    raw = data.get(name, "")
    if not raw:
        return ""
    value = parse_date(raw)
    if value is None:
        errors.setdefault(name, _("Please enter a date in the format DD.MM.YYYY."))
        return ""
    return value.isoformat()


def check_identity(data: Mapping[str, str]) -> tuple[Errors, IdentityData | None]:
    """The identity of a submitted form, or the messages of everything wrong with it."""
    errors = Errors(data)
    errors.require(data, "given_names", "family_name", "date_of_birth")
    for name, limit in LIMITS.items():
        errors.max_length(data, name, limit)
    born = _date(errors, data, "date_of_birth")
    if born:
        on = today()
        birthday = dt.date.fromisoformat(born)
        if birthday > on:
            errors.setdefault("date_of_birth", _("The date of birth cannot be in the future."))
        elif not MIN_AGE <= age_on(birthday, on) <= MAX_AGE:
            errors.setdefault(
                "date_of_birth",
                _(
                    "Please check the date of birth: the person would be %(age)s years old "
                    "(between %(low)s and %(high)s is expected).",
                    age=age_on(birthday, on),
                    low=MIN_AGE,
                    high=MAX_AGE,
                ),
            )
    check_phone(errors, data, "phone")
    email = data.get("email", "")
    if email and not EMAIL_RE.match(email):
        errors.setdefault("email", _("Please enter a valid e-mail address, e.g. name@example.org."))
    if data.get("postcode") and not POSTCODE_RE.match(data["postcode"]):
        errors.setdefault("postcode", _("Please enter a postcode of five digits, e.g. 04109."))
    errors.choice(data, "work_access", {access.value for access in WorkAccess})
    expiry_dates = {name: _date(errors, data, name) for name in EXPIRY_FIELDS}
    for name, value in expiry_dates.items():
        # A document valid for decades, or expired for decades, is a typing error.
        window = years_from(today(), -30), years_from(today(), 30)
        if value and date_within(errors, name, dt.date.fromisoformat(value), *window) is None:
            expiry_dates[name] = ""
    if errors:
        return errors, None
    identity = IdentityData(
        given_names=" ".join(data["given_names"].split()),
        family_name=" ".join(data["family_name"].split()),
        date_of_birth=born,
        phone=data.get("phone", ""),
        email=email.lower(),
        street=data.get("street", ""),
        postcode=data.get("postcode", ""),
        city=data.get("city", ""),
        file_number=data.get("file_number", ""),
        residence_status=data.get("residence_status", ""),
        work_access=data.get("work_access") or WorkAccess.unknown.value,
        notes=data.get("notes", "").replace("\r\n", "\n"),
        **expiry_dates,
    )
    return errors, identity


def form_values(identity: IdentityData) -> dict[str, str]:
    """A stored identity as the form shows it (ISO dates, as the browser's date field wants)."""
    values = asdict(identity)
    values["work_access"] = values["work_access"] or WorkAccess.unknown.value
    return values


def seal(vault: Vault, identity: IdentityData, *, record_id: UUID, hash_key: str) -> dict[str, str]:
    """The columns of CandidateIdentity for `identity`: every field sealed, and the dup hash."""
    return {
        **vault.seal_identity(identity, record_id=record_id),
        "dup_hash": duplicate_hash(hash_key, identity.full_name, identity.date_of_birth),
    }


# -- why the user reads it --------------------------------------------------------------------


def check_reason(reason: str, *, names: list[str]) -> str | None:
    """What is wrong with a reason for reading an identity, or None.

    The reason goes into the audit log, which must not hold personal data of the candidate.
    """
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        return _(
            "Please give a reason of %(low)s to %(high)s characters.",
            low=REASON_MIN,
            high=REASON_MAX,
        )
    if not_allowed(reason):
        return not_allowed_message()
    if {"name", "email", "phone"} & set(find_personal_data(reason, names=names)):
        return _(
            "Please give the reason without the person's name or contact details: "
            "it is kept in the audit log."
        )
    return None


def granted_reason(session: Session, candidate_id: UUID) -> str | None:
    """The reason the user gave for this candidate's identity, while it is valid."""
    grant = session.data.get(GRANTS_KEY, {}).get(str(candidate_id))
    if not grant or grant[1] < timestamp():
        return None
    return str(grant[0])


def grant(session: Session, candidate_id: UUID, reason: str) -> None:
    """Keep the reason for GRANT_SECONDS (and drop the grants that have run out)."""
    moment = timestamp()
    grants = {
        key: value for key, value in session.data.get(GRANTS_KEY, {}).items() if value[1] >= moment
    }
    grants[str(candidate_id)] = [reason, moment + GRANT_SECONDS]
    session.data[GRANTS_KEY] = grants
    session.dirty = True


def reason_to_read(user: CurrentUser, row: Mapping[str, Any], session: Session) -> str | None:
    """Why this user may read the identity now, or None when they must give a reason first.

    `row` is a candidate's, or any row with its `id` and `case_manager` (policy.is_assigned)."""
    if is_assigned(user, row):
        return ASSIGNED_REASON
    return granted_reason(session, row["id"])


# -- reading and changing ---------------------------------------------------------------------


async def sealed_row(candidate_id: UUID) -> dict[str, Any] | None:
    return (
        await CandidateIdentity.select().where(CandidateIdentity.candidate == candidate_id).first()
    )


async def peek(vault: Vault, candidate_id: UUID) -> IdentityData | None:
    """The identity for a check on the server (never shown): not audited."""
    row = await sealed_row(candidate_id)
    return vault.open_identity(row, record_id=row["id"]) if row else None


async def read_identity(
    user: CurrentUser, candidate_id: UUID, vault: Vault, *, reason: str, address: str
) -> IdentityData | None:
    """The identity to show; writes the `identity.read` row first (no row, no display)."""
    row = await sealed_row(candidate_id)
    if row is None:
        return None
    identity = vault.open_identity(row, record_id=row["id"])
    await audit(user, "identity.read", candidate_id, address, reason=reason)
    return identity


async def update_identity(
    user: CurrentUser,
    candidate_id: UUID,
    identity: IdentityData,
    vault: Vault,
    *,
    hash_key: str,
    address: str,
) -> str | None:
    """Re-seal every field and the duplicate hash; returns the new hash (None: no identity)."""
    row = await sealed_row(candidate_id)
    if row is None:
        return None
    before = asdict(vault.open_identity(row, record_id=row["id"]))
    changed = sorted(name for name, value in asdict(identity).items() if before[name] != value)
    columns = seal(vault, identity, record_id=row["id"], hash_key=hash_key)
    moment = now()
    async with CandidateIdentity._meta.db.transaction():
        await CandidateIdentity.update(
            {
                **{getattr(CandidateIdentity, name): value for name, value in columns.items()},
                CandidateIdentity.updated_at: moment,
            }
        ).where(CandidateIdentity.id == row["id"])
        await Candidate.update({Candidate.updated_at: moment}).where(Candidate.id == candidate_id)
        # Which fields changed, never their values.
        await audit(user, "identity.update", candidate_id, address, fields=changed)
    return columns["dup_hash"]


def dates_of(identity: IdentityData) -> dict[str, dt.date | None]:
    """The identity's dates (stored as ISO text) as dates, for showing them."""
    return {
        name: dt.date.fromisoformat(value) if (value := getattr(identity, name)) else None
        for name in DATE_FIELDS
    }


def expiries(identity: IdentityData, on: dt.date) -> dict[str, str]:
    """Per expiry date: "expired", "soon" (within EXPIRY_WARNING_DAYS) or ""."""
    found = {}
    for name in EXPIRY_FIELDS:
        value = getattr(identity, name)
        date = dt.date.fromisoformat(value) if value else None
        if date is None:
            found[name] = ""
        elif date < on:
            found[name] = "expired"
        elif (date - on).days <= EXPIRY_WARNING_DAYS:
            found[name] = "soon"
        else:
            found[name] = ""
    return found
