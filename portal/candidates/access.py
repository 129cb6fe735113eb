"""Loading a candidate for a user: the row the policy (portal.auth.policy) decides on.

The rules (who sees which case) are `policy.may_see_candidate` and `policy.caseload_where`;
this module selects what they read and binds them to the Candidate table:

- A case manager sees the cases assigned to them, and their colleagues' cases when the
  organisation shares its caseload (Organisation.caseload_shared).
- A team lead sees every case of the organisation.
- An operator admin may open the pseudonymised profile of any candidate, never the identity
  or the documents (`operator=True` on the routes that allow it).
- Everyone else, and every other organisation, gets 404: a guessed id reveals nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, cast
from uuid import UUID

from litestar.exceptions import NotFoundException
from piccolo.columns.combination import And, Or, Where

from portal.audit.services import record
from portal.auth import CurrentUser, parse_id, policy
from portal.candidates.rows import CandidateRow
from portal.candidates.tables import Candidate
from portal.candidates.vault import Vault
from portal.web import AnyRequest


def vault_of(request: AnyRequest) -> Vault:
    return request.app.state["vault"]  # type: ignore[no-any-return]


async def load_candidate(
    user: CurrentUser, candidate_id: str | UUID, *, operator: bool = False
) -> CandidateRow:
    """The candidate's row (with `shared`, the organisation's caseload flag) or 404."""
    uid = candidate_id if isinstance(candidate_id, UUID) else parse_id(candidate_id)
    row = (
        await Candidate.select(
            *Candidate.all_columns(),
            Candidate.organisation.caseload_shared.as_alias("shared"),
        )
        .where(Candidate.id == uid)
        .first()
    )
    if row is None or not policy.may_see_candidate(user, row, operator=operator):
        raise NotFoundException()
    # Piccolo types every row as dict[str, Any]: the columns are the ones selected above.
    return cast(CandidateRow, row)


def caseload_where(user: CurrentUser, *, shared: bool) -> Where | And | Or:
    """The condition for the candidates `user` may list (team leads: all of the organisation)."""
    return policy.caseload_where(
        user,
        organisation=Candidate.organisation,
        case_manager=Candidate.case_manager,
        shared=shared,
    )


def audit(
    user: CurrentUser, action: str, candidate_id: UUID, address: str, **detail: Any
) -> Awaitable[None]:
    """An audit event of the candidate: document and consent events are candidate events too.

    `detail` holds ids and codes only — never a name, a contact or a file name (it may name the
    person)."""
    return record(
        action,
        record_type="candidate",
        record_id=candidate_id,
        actor_id=user.id,
        actor_organisation_id=user.organisation_id,
        address=address,
        **detail,
    )
