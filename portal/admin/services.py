"""The console's lists across tenants (users, cases) and the site texts of the legal pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from uuid import UUID

from piccolo.columns.combination import Combinable

from portal.accounts.tables import Organisation, OrgKind, User
from portal.admin.organisations import KIND_VALUES
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.candidates.tables import Candidate, CandidateStatus
from portal.forms import Errors
from portal.i18n import LANGUAGES, _, format_number
from portal.pages.services import save_site_text
from portal.pages.tables import PageSlug, SiteText
from portal.pagination import Page, paginate

CANDIDATE_STATUS_VALUES = frozenset(status.value for status in CandidateStatus)
SEARCH_MAX_LENGTH = 100
SITE_TEXT_MAX_LENGTH = 20_000


# -- users ------------------------------------------------------------------------------------

_LIKE_SPECIAL = re.compile(r"([\\%_])")


def _contains(term: str) -> str:
    r"""A LIKE pattern matching `term` anywhere.

    PostgreSQL treats \ as LIKE's escape character (a trailing one is an error), so % _ \ are
    escaped to match literally there. SQLite has no escape character without an ESCAPE clause,
    which Piccolo cannot add: there % and _ in a search stay wildcards (a wider match, no error).
    """
    if User._meta.db.engine_type == "postgres":
        term = _LIKE_SPECIAL.sub(r"\\\1", term)
    return f"%{term}%"


async def users(*, kind: str, search: str, number: int) -> Page:
    """A page of users of every organisation, by name: one count and one page query."""
    search = search.strip()[:SEARCH_MAX_LENGTH]
    conditions: list[Combinable] = []
    if kind in KIND_VALUES:
        conditions.append(User.organisation.kind == kind)
    if "\x00" in search:
        # No name or address holds a NUL, and PostgreSQL refuses one in a query: nobody matches.
        conditions.append(User.id.is_null())
    elif search:
        pattern = _contains(search)
        # ILIKE on PostgreSQL; SQLite's LIKE is case-insensitive already (for ASCII letters).
        if User._meta.db.engine_type == "postgres":
            conditions.append(User.display_name.ilike(pattern) | User.email.ilike(pattern))
        else:
            conditions.append(User.display_name.like(pattern) | User.email.like(pattern))
    query = User.select(
        User.id,
        User.display_name,
        User.email,
        User.role,
        User.is_active,
        User.last_login,
        User.organisation.id,
        User.organisation.name,
        User.organisation.kind,
    )
    return await paginate(
        User,
        query,
        conditions,
        number=number,
        order_by=[(User.display_name, True)],
        filters={"kind": kind if kind in KIND_VALUES else "", "q": search},
    )


# -- candidates -------------------------------------------------------------------------------


async def case_organisations() -> dict[str, str]:
    """id → name of the case-management organisations, for the console's filter."""
    rows = (
        await Organisation.select(Organisation.id, Organisation.name)
        .where(Organisation.kind == OrgKind.case_management)
        .order_by(Organisation.name)
    )
    return {str(row["id"]): row["name"] for row in rows}


async def candidates(*, organisation: str, status: str, number: int) -> Page:
    """A page of every organisation's cases, newest first, pseudonymised: no identity is read.

    One count and one page query.
    """
    try:
        organisation_id = UUID(organisation) if organisation else None
    except ValueError:
        organisation_id = None
    status = status if status in CANDIDATE_STATUS_VALUES else ""
    conditions: list[Combinable] = []
    if organisation_id:
        conditions.append(Candidate.organisation == organisation_id)
    if status:
        conditions.append(Candidate.status == status)
    query = Candidate.select(
        Candidate.id,
        Candidate.code,
        Candidate.status,
        Candidate.created_at,
        Candidate.erased_at,
        Candidate.organisation.name.as_alias("organisation_name"),
        Candidate.programme.name.as_alias("programme_name"),
    )
    return await paginate(
        Candidate,
        query,
        conditions,
        number=number,
        order_by=[(Candidate.created_at, False)],
        filters={"organisation": str(organisation_id or ""), "status": status},
    )


# -- site texts -------------------------------------------------------------------------------

SITE_TEXT_FIELDS = [(slug, language) for slug in PageSlug for language in LANGUAGES]


def site_text_field(slug: PageSlug, language: str) -> str:
    return f"{slug.value}_{language}"


async def site_texts() -> dict[str, str]:
    """Every legal page's text per language, by form field name (one query)."""
    rows = await SiteText.select(SiteText.slug, SiteText.language, SiteText.body)
    texts = {site_text_field(slug, language): "" for slug, language in SITE_TEXT_FIELDS}
    for row in rows:
        name = f"{row['slug']}_{row['language']}"
        if name in texts:
            texts[name] = row["body"]
    return texts


def normalise_text(value: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the pages split paragraphs on "\n\n".
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def site_text_errors(data: Mapping[str, str]) -> Errors:
    errors = Errors(data)
    for slug, language in SITE_TEXT_FIELDS:
        name = site_text_field(slug, language)
        if len(normalise_text(data.get(name, ""))) > SITE_TEXT_MAX_LENGTH:
            errors[name] = _(
                "The text is %(length)s characters long; please use at most %(n)s.",
                length=format_number(len(normalise_text(data[name]))),
                n=format_number(SITE_TEXT_MAX_LENGTH),
            )
    return errors


async def save_site_texts(actor: CurrentUser, data: Mapping[str, str], *, address: str) -> int:
    """Store the texts that changed; returns how many did."""
    current = await site_texts()
    changed = 0
    for slug, language in SITE_TEXT_FIELDS:
        name = site_text_field(slug, language)
        if name not in data:
            continue
        body = normalise_text(data[name])
        if body == current[name]:
            continue
        await save_site_text(slug, language, body)
        await record(
            "site_text.updated",
            record_type="site_text",
            record_id=name,
            actor_id=actor.id,
            actor_organisation_id=actor.organisation_id,
            address=address,
        )
        changed += 1
    return changed
