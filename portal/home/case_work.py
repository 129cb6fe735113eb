"""The case worker's home: requests and answers from employers, accepted placements to
release and date, checklists before a start, outcomes and follow-ups due, cases that lack
consent or a profile. A team lead sees the same for the whole team, with a count per person.

Only what the case worker's own lists show them: the placements of `lists.case_worker_where`
(`policy.case_worker_placements_where`) and the cases of `candidates.access.caseload_where`.
A constant number of queries: two per section (a count and the first rows), the caseload's
sharing flag, the follow-ups of the rows shown, and for a team lead one grouped count per
section and the team's names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Combinable, WhereRaw
from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString
from piccolo.table import Table

from portal.auth import CurrentUser
from portal.auth.policy import is_team_lead
from portal.candidates.access import caseload_where
from portal.candidates.caseload import case_workers, is_shared, table_name
from portal.candidates.tables import (
    Candidate,
    CandidateOccupation,
    CandidateStatus,
    Consent,
    OccupationKind,
)
from portal.home.sections import Link, Section, count_and_first, days_since, days_until
from portal.placements import lists
from portal.placements.tables import Placement, PlacementState

S = PlacementState


@dataclass(frozen=True)
class Spec:
    """One placement section: its filter (lists.NEEDS), order, where each row leads."""

    key: str
    order_by: tuple[tuple[Any, bool], ...]
    action: str  # the route where the row's work is done

    def where(self, day: dt.date) -> Combinable:
        return lists.NEEDS[self.key](day)

    @property
    def everything(self) -> Link:
        """The case worker's list with just this section's placements."""
        return Link("placements:mine", query={"need": self.key})


SPECS = (
    Spec("requests", ((Placement.state_changed_at, True),), "placements:detail"),
    Spec("answers", ((Placement.answered_at, False),), "placements:detail"),
    Spec("accepted", ((Placement.state_changed_at, True),), "placements:detail"),
    Spec("checklist", ((Placement.start_date, True),), "placements:checklist"),
    Spec("closing", ((Placement.state_changed_at, True),), "placements:outcome"),
)


async def _placements(user: CurrentUser, spec: Spec, day: dt.date) -> Section:
    columns = [
        *lists.row_columns(),
        Placement.answered_at,
        Placement.case_manager.display_name.as_alias("case_manager_name"),
    ]
    conditions = [lists.case_worker_where(user), spec.where(day)]
    count, rows = await count_and_first(Placement, columns, conditions, spec.order_by)
    for row in rows:
        row["link"] = Link(spec.action, {"placement_id": str(row["id"])})
        row["needs_action"] = spec.key != "answers"
        row["since"] = days_since(row["state_changed_at"], day)
        row["answered"] = days_since(row["answered_at"], day)
        row["in_days"] = days_until(row["start_date"], day)
    return Section(spec.key, count, rows, spec.everything)


# -- cases that cannot be proposed yet --------------------------------------------------------


def _case_id() -> str:
    return f'"{table_name(Candidate)}"."id"'


def _consent_sql() -> str:
    """EXISTS a consent in force to show the profile (one parameter: true)."""
    consent = table_name(Consent)
    return (
        f'EXISTS (SELECT 1 FROM "{consent}" WHERE "{consent}"."candidate" = {_case_id()} '  # noqa: S608
        f'AND "{consent}"."ended_at" IS NULL AND "{consent}"."show_profile" = {{}})'
    )


def _occupation_sql() -> str:
    """EXISTS a desired occupation (one parameter: the kind)."""
    occupation = table_name(CandidateOccupation)
    return (
        f'EXISTS (SELECT 1 FROM "{occupation}" WHERE "{occupation}"."candidate" = '  # noqa: S608
        f'{_case_id()} AND "{occupation}"."kind" = {{}})'
    )


def _lacking() -> Combinable:
    """A draft case without a consent to show the profile or without a desired occupation —
    what activating it needs (candidates.status.ACTIVATION_NEEDS)."""
    return WhereRaw(
        f"NOT ({_consent_sql()} AND {_occupation_sql()})",
        True,
        OccupationKind.desired.value,
    )


async def _cases(user: CurrentUser, shared: bool, day: dt.date) -> Section:
    conditions = [
        caseload_where(user, shared=shared),
        Candidate.status == CandidateStatus.draft,
        Candidate.erased_at.is_null(),
        _lacking(),
    ]
    columns = [
        Candidate.id,
        Candidate.code,
        Candidate.created_at,
        Candidate.case_manager.display_name.as_alias("case_manager_name"),
        QueryString(_consent_sql(), True).as_alias("has_consent"),
        QueryString(_occupation_sql(), OccupationKind.desired.value).as_alias("has_occupation"),
    ]
    count, rows = await count_and_first(
        Candidate, columns, conditions, [(Candidate.created_at, True)]
    )
    for row in rows:
        page = "candidates:consent" if not row["has_consent"] else "candidates:profile"
        row["link"] = Link(page, {"candidate_id": str(row["id"])})
        row["since"] = days_since(row["created_at"], day)
    return Section("cases", count, rows, Link("candidates:list", query={"status": "draft"}))


# -- the team lead's count per person ---------------------------------------------------------


async def _per_person(
    table: type[Table], person: Any, conditions: list[Combinable]
) -> dict[str, int]:
    query = table.select(person.as_alias("person"), Count(alias="n")).group_by(person)
    for condition in conditions:
        query = query.where(condition)
    return {str(row["person"]): row["n"] for row in await query}


@dataclass
class Dashboard:
    sections: list[Section]
    # Team leads: the team's case workers (id, display name), for the counts per person.
    team: list[dict[str, Any]]


async def dashboard(user: CurrentUser, day: dt.date) -> Dashboard:
    """The case worker's sections, in the order of the work (a team lead's with counts)."""
    shared = await is_shared(user.organisation_id)
    sections = [await _placements(user, spec, day) for spec in SPECS]
    await lists.add_follow_ups([row for s in sections for row in s.rows], day)
    sections.append(await _cases(user, shared, day))
    for section in sections:
        for row in section.rows:
            if "state" in row:
                row["next"] = lists.next_step(row)
    team: list[dict[str, Any]] = []
    if is_team_lead(user):
        for spec, section in zip(SPECS, sections, strict=False):
            conditions = [lists.case_worker_where(user), spec.where(day)]
            section.per_person = await _per_person(Placement, Placement.case_manager, conditions)
        sections[-1].per_person = await _per_person(
            Candidate,
            Candidate.case_manager,
            [caseload_where(user, shared=shared), Candidate.status == CandidateStatus.draft,
             Candidate.erased_at.is_null(), _lacking()],
        )  # fmt: skip
        team = await case_workers(user.organisation_id, active_only=True)
        members = {str(person["id"]) for person in team}
        for section in sections:
            # Placements of a deactivated colleague or of nobody: counted, in a row of their own.
            section.unassigned = section.count - sum(
                n for person, n in section.per_person.items() if person in members
            )
    return Dashboard(sections, team)
