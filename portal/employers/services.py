"""Employer self-registration (the form and the confirmation link) and the company profile."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from portal.accounts.passwords import hash_password, password_problems
from portal.accounts.services import consume_token, issue_token
from portal.accounts.tables import (
    Chamber,
    Organisation,
    OrgKind,
    OrgStatus,
    Role,
    SizeClass,
    TokenKind,
    User,
)
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.clock import now
from portal.forms import POSTCODE_RE, Errors, check_email, check_phone, normalise_email
from portal.i18n import _
from portal.reference.tables import Municipality

# Field → longest value the table column holds.
LIMITS = {
    "company_name": 200,
    "street": 200,
    "city": 100,
    "sector": 100,
    "display_name": 120,
}


def registration_errors(data: Mapping[str, str]) -> Errors:
    """Everything wrong with a submitted registration form, field by field."""
    errors = Errors(data)
    errors.require(
        data, "company_name", "street", "postcode", "city", "sector", "size_class", "chamber"
    )
    errors.require(data, "display_name")
    for name, limit in LIMITS.items():
        errors.max_length(data, name, limit)
    if data.get("postcode") and not POSTCODE_RE.match(data["postcode"]):
        errors.setdefault("postcode", _("Please enter a postcode of five digits, e.g. 04109."))
    errors.choice(data, "size_class", {size.value for size in SizeClass})
    errors.choice(data, "chamber", {chamber.value for chamber in Chamber})
    check_email(errors, data)
    password = data.get("password", "")
    if not password:
        errors.setdefault("password", _("Please fill in this field."))
    else:
        problems = password_problems(password, normalise_email(data.get("email", "")))
        if problems:
            errors["password"] = " ".join(problems)
        elif password != data.get("password_again"):
            errors["password_again"] = _("The two passwords do not match.")
    if data.get("privacy") != "yes":
        errors["privacy"] = _("Please confirm that you have read the privacy notice.")
    return errors


@dataclass(frozen=True)
class Registration:
    """What a registration led to, and whom to write to in which language."""

    created: bool
    language: str
    # A fresh confirmation link: for the new account, or for an existing self-registered one
    # whose address was never confirmed (its first link may have expired).
    confirm_token: str = ""


async def register_employer(
    data: Mapping[str, str], *, language: str, address: str
) -> Registration:
    """Create the pending employer, its first user and a confirmation link.

    An address that already has an account creates nothing; the caller answers exactly as for
    a new one (no user enumeration) and writes only to the address itself. The password is
    hashed in either case so that both answers take equally long.
    """
    email = normalise_email(data["email"])
    password_hash = await hash_password(data["password"])
    existing = await _existing_account(email)
    if existing is not None:
        return existing
    organisation = Organisation(
        kind=OrgKind.employer,
        name=data["company_name"],
        street=data["street"],
        postcode=data["postcode"],
        city=data["city"],
        sector=data["sector"],
        size_class=SizeClass(data["size_class"]),
        chamber=Chamber(data["chamber"]),
        status=OrgStatus.pending,
    )
    user = User(
        email=email,
        display_name=data["display_name"],
        role=Role.employer_admin,
        language=language,
        password_hash=password_hash,
        email_confirmed_at=None,
    )
    try:
        async with Organisation._meta.db.transaction():
            await organisation.save()
            user.organisation = organisation.id
            await user.save()
            token = await issue_token(user.id, TokenKind.confirm_email)
            await record(
                "organisation.registered",
                record_type="organisation",
                record_id=organisation.id,
                actor_id=user.id,
                actor_organisation_id=organisation.id,
                address=address,
            )
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        # The same address registered twice at the same moment: the other request won.
        return await _existing_account(email) or Registration(created=False, language=language)
    return Registration(created=True, language=language, confirm_token=token)


async def _existing_account(email: str) -> Registration | None:
    row = (
        await User.select(User.id, User.language, User.password_hash, User.email_confirmed_at)
        .where(User.email == email)
        .first()
    )
    if row is None:
        return None
    token = ""
    # Only a self-registered account (it has a password); an invited one confirms by accepting.
    if row["email_confirmed_at"] is None and row["password_hash"]:
        token = await issue_token(row["id"], TokenKind.confirm_email)
    return Registration(created=False, language=row["language"], confirm_token=token)


async def confirm_email(raw_token: str, *, address: str) -> bool:
    """Use up a confirmation link and mark the address as confirmed; False if the link is bad."""
    user_id = await consume_token(raw_token, TokenKind.confirm_email)
    if user_id is None:
        return False
    await User.update({User.email_confirmed_at: now()}).where(User.id == user_id)
    await record(
        "user.email_confirmed",
        record_type="user",
        record_id=user_id,
        actor_id=user_id,
        address=address,
    )
    return True


# -- the company profile ----------------------------------------------------------------------

DESCRIPTION_MAX_LENGTH = 2000
PROFILE_LIMITS = {
    "name": 200,
    "street": 200,
    "city": 100,
    "sector": 100,
    "contact_name": 120,
    "contact_phone": 40,
    "description": DESCRIPTION_MAX_LENGTH,
}
# Form field → Organisation column, for the fields the profile form edits as text.
PROFILE_TEXT_FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "sector",
    "contact_name",
    "contact_phone",
    "contact_email",
    "description",
)


async def active_municipalities() -> list[tuple[str, str]]:
    """(id, name) of the municipalities one may choose, for a select."""
    rows = (
        await Municipality.select(Municipality._meta.primary_key, Municipality.name)
        .where(Municipality.active.eq(True))
        .order_by(Municipality.name)
    )
    return [(str(row["id"]), row["name"]) for row in rows]


def profile_errors(data: Mapping[str, str], municipality_ids: set[str]) -> Errors:
    """Everything wrong with a submitted company profile, field by field."""
    errors = Errors(data)
    errors.require(
        data, "name", "street", "postcode", "city", "municipality", "sector", "size_class"
    )
    errors.require(data, "chamber", "contact_name")
    for name, limit in PROFILE_LIMITS.items():
        errors.max_length(data, name, limit)
    if data.get("postcode") and not POSTCODE_RE.match(data["postcode"]):
        errors.setdefault("postcode", _("Please enter a postcode of five digits, e.g. 04109."))
    errors.choice(data, "municipality", municipality_ids)
    errors.choice(data, "size_class", {size.value for size in SizeClass})
    errors.choice(data, "chamber", {chamber.value for chamber in Chamber})
    check_phone(errors, data, "contact_phone")
    check_email(errors, data, "contact_email")
    return errors


async def company_profile(organisation_id: UUID) -> dict[str, Any]:
    row = await (
        Organisation.select(
            *(getattr(Organisation, name) for name in PROFILE_TEXT_FIELDS),
            Organisation.size_class,
            Organisation.chamber,
            Organisation.municipality,
            Organisation.municipality.name.as_alias("municipality_name"),
        )
        .where(Organisation.id == organisation_id)
        .first()
    )
    assert row is not None, "the user's own organisation"  # noqa: S101
    return row


def profile_values(row: Mapping[str, Any]) -> dict[str, str]:
    """A stored profile as the form shows it."""
    values = {name: row[name] or "" for name in PROFILE_TEXT_FIELDS}
    values["size_class"] = row["size_class"] or ""
    values["chamber"] = row["chamber"] or ""
    values["municipality"] = str(row["municipality"]) if row["municipality"] else ""
    return values


async def save_profile(user: CurrentUser, data: Mapping[str, str], *, address: str) -> list[str]:
    """Store a checked profile; returns the names of the fields that changed (for the audit)."""
    before = profile_values(await company_profile(user.organisation_id))
    after = {name: data.get(name, "") for name in before}
    after["contact_email"] = normalise_email(after["contact_email"])
    changed = [name for name in before if before[name] != after[name]]
    if not changed:
        return []
    update: dict[Any, Any] = {getattr(Organisation, name): after[name] for name in changed}
    if "municipality" in changed:
        update[Organisation.municipality] = int(after["municipality"])
    async with Organisation._meta.db.transaction():
        await Organisation.update(update).where(own(user, Organisation.id))
        # Field names only: the values may be personal data (the contact person).
        await record(
            "organisation.profile_changed",
            record_type="organisation",
            record_id=user.organisation_id,
            actor_id=user.id,
            actor_organisation_id=user.organisation_id,
            address=address,
            fields=changed,
        )
    return changed
