"""Importing a case-management organisation's cases from a spreadsheet: one row per person,
the identity checked by the new-case form's check (candidates.identity.check_identity), the
profile by the profile form's (candidates.profile_form.check_profile_form, the PII guard over
the summary with the row's own names included); then every case created and its profile saved
in one transaction by the same functions as the pages (caseload.create_candidate,
profile.save_profile)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from portal.accounts.tables import User
from portal.auth import CurrentUser, policy
from portal.auth.policy import CASE_WORKER_ROLES
from portal.candidates.bulk import NewCase, create_cases
from portal.candidates.identity import check_identity
from portal.candidates.profile_form import ProfileFields, check_profile_form
from portal.candidates.tables import Candidate
from portal.candidates.vault import IdentityData, Vault
from portal.clock import today
from portal.cpu import run_cpu_bound
from portal.i18n import _
from portal.imports.common import (
    Problem,
    column_problems,
    field_problems,
    import_transaction,
    yes_no,
)
from portal.imports.reading import Sheet
from portal.reference.services import (
    OccupationChoice,
    municipalities,
    programmes,
    resolve_occupation,
)

KIND = "candidates"
IDENTITY = [
    "given_names",
    "family_name",
    "date_of_birth",
    "phone",
    "email",
    "street",
    "postcode",
    "city",
    "file_number",
    "residence_status",
    "work_access",
    "residence_document_expires",
    "work_permit_expires",
    "notes",
]
# The file's profile columns → the profile form's fields.
PROFILE = {
    "german_level": "german_level",
    "german_evidence": "german_evidence",
    "german_in_course": "german_in_course",
    "schooling_years": "schooling_years",
    "schooling_level": "schooling_level",
    "summary": "summary_text",
    "earliest_start": "earliest_start",
    "hours_per_week": "hours_per_week",
    "shift_work": "shift_work",
    "permit_status": "permit_status",
    "desired_occupation_1": "desired_1_query",
    "desired_occupation_2": "desired_2_query",
    "desired_occupation_3": "desired_3_query",
}
COLUMNS = [*IDENTITY, "programme", "case_manager_email", *PROFILE]
REQUIRED = ["given_names", "family_name", "date_of_birth", "permit_status"]
COLUMN_OF = {field: column for column, field in PROFILE.items()} | {
    f"desired_{n}": f"desired_occupation_{n}" for n in (1, 2, 3)
}


@dataclass(frozen=True)
class CheckedCase:
    identity: IdentityData
    programme: int | None
    case_manager: UUID | None  # None: the importing user
    profile: ProfileFields


@dataclass(frozen=True)
class Lookups:
    """The reference data a row is checked against, read once for the whole file."""

    programmes: dict[str, int]
    case_workers: dict[str, UUID]
    occupations: dict[str, OccupationChoice]
    municipality_ids: set[str]


async def lookups(user: CurrentUser, rows: list[tuple[int, dict[str, str]]]) -> Lookups:
    active = {str(row["name"]).casefold(): row["id"] for row in await programmes()}
    workers = await User.select(User.id, User.email).where(
        (User.organisation == user.organisation_id)
        & (User.is_active == True)  # noqa: E712
        & User.role.is_in([role.value for role in CASE_WORKER_ROLES])
    )
    occupations: dict[str, OccupationChoice] = {}
    for _number, cells in rows:
        for n in (1, 2, 3):
            text = cells.get(f"desired_occupation_{n}", "")
            if text and text not in occupations:
                occupations[text] = await resolve_occupation({"d_query": text}, "d")
    return Lookups(
        programmes=active,
        case_workers={str(row["email"]).casefold(): row["id"] for row in workers},
        occupations=occupations,
        municipality_ids={str(row["id"]) for row in await municipalities()},
    )


def _assignment(
    user: CurrentUser, number: int, cells: Mapping[str, str], found: Lookups
) -> tuple[list[Problem], int | None, UUID | None]:
    problems: list[Problem] = []
    programme = None
    if name := cells.get("programme", ""):
        programme = found.programmes.get(name.casefold())
        if programme is None:
            problems.append(Problem(number, "programme", _("Please choose one of the options.")))
    manager = None
    if email := cells.get("case_manager_email", "").casefold():
        manager = found.case_workers.get(email)
        if manager != user.id and not policy.may_assign_cases(user):
            problems.append(
                Problem(number, "case_manager_email", _("Only a team lead assigns cases."))
            )
        elif manager is None:
            problems.append(
                Problem(number, "case_manager_email", _("No case manager of your organisation."))
            )
    return problems, programme, manager


def check_rows(
    user: CurrentUser, rows: list[tuple[int, dict[str, str]]], found: Lookups
) -> tuple[list[Problem], list[CheckedCase]]:
    """Every row through the forms' checks; every problem by row and column (blocking: the PII
    guard runs here, in a worker thread)."""
    on = today()
    problems: list[Problem] = []
    checked: list[CheckedCase] = []
    for number, cells in rows:
        before = len(problems)
        errors, person = check_identity({name: cells.get(name, "") for name in IDENTITY})
        problems += field_problems(number, errors)
        more, programme, manager = _assignment(user, number, cells, found)
        problems += more
        values = {field: cells.get(column, "") for column, field in PROFILE.items()}
        yes_no(problems, number, values, "german_in_course", "shift_work")
        choices = {
            f"desired_{n}": found.occupations[values[f"desired_{n}_query"]]
            for n in (1, 2, 3)
            if values[f"desired_{n}_query"]
        }
        names = [person.given_names, person.family_name] if person else []
        errors, fields = check_profile_form(
            values, on=on, choices=choices, municipality_ids=found.municipality_ids, names=names
        )
        problems += field_problems(number, errors, COLUMN_OF)
        if person and fields and len(problems) == before:
            checked.append(CheckedCase(person, programme, manager, fields))
    return problems, checked


async def check_sheet(user: CurrentUser, sheet: Sheet) -> tuple[list[Problem], list[CheckedCase]]:
    """The dry run: the header's and every row's problems, and the checked cases."""
    problems = column_problems(sheet, COLUMNS, REQUIRED)
    if problems:
        return problems, []
    if not sheet.rows:
        return [Problem(2, "given_names", _("The file has no rows below the header."))], []
    found = await lookups(user, sheet.rows)
    result: tuple[list[Problem], list[CheckedCase]] = await run_cpu_bound(
        functools.partial(check_rows, user, sheet.rows, found)
    )
    return result


async def import_cases(
    user: CurrentUser, cases: list[CheckedCase], *, vault: Vault, hash_key: str, address: str
) -> int:
    """Create every case with its identity and profile, all or none (one transaction)."""
    new = [
        NewCase(case.identity, case.programme, case.case_manager or user.id, case.profile)
        for case in cases
    ]
    async with import_transaction(Candidate):
        created = await create_cases(user, new, vault=vault, hash_key=hash_key, address=address)
    return len(created)


EXAMPLE = {
    "given_names": "Amina",
    "family_name": "Haddad",
    "date_of_birth": "1994-05-17",
    "phone": "0341 1234567",
    "email": "amina.haddad@example.org",
    "postcode": "04109",
    "city": "Leipzig",
    "file_number": "JC-2026-0042",
    "work_access": "free",
    "german_level": "B1",
    "german_evidence": "certificate",
    "schooling_years": "12",
    "summary": "Erfahrung in der Metallbearbeitung, sorgfältig und pünktlich.",
    "hours_per_week": "30",
    "shift_work": "no",
    "permit_status": "cleared",
    "desired_occupation_1": "24412",
}
