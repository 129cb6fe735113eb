"""Placements (Vermittlungen): one candidate for one slot, followed to its outcome.

PRODUCT.md section 4 is the lifecycle; `machine.py` is the one place that moves a placement
from one state to the next. Everything an employer may read of a placement is pseudonymised,
except the identity released to it after acceptance (read through the vault, never copied here).
"""

from __future__ import annotations

import enum

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import Organisation, User
from portal.candidates.tables import Candidate, Document
from portal.employers.tables import Slot


class PlacementState(enum.StrEnum):
    # An employer asked for a candidate from the talent pool; the owning case manager decides.
    requested = "requested"
    proposed = "proposed"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"
    preparing = "preparing"
    in_progress = "in_progress"
    completed = "completed"
    aborted = "aborted"
    # Completed, and what followed is recorded (Placement.outcome).
    outcome = "outcome"


# A candidate has at most one placement in these states per slot (a partial unique index).
OPEN_STATES = frozenset(
    {
        PlacementState.requested,
        PlacementState.proposed,
        PlacementState.accepted,
        PlacementState.preparing,
        PlacementState.in_progress,
    }
)
# The states that hold one of the slot's places for the placement's dates.
HOLDING_STATES = frozenset(
    {PlacementState.accepted, PlacementState.preparing, PlacementState.in_progress}
)
# The states in which an employer may read a released identity.
RELEASE_STATES = frozenset(
    {
        PlacementState.accepted,
        PlacementState.preparing,
        PlacementState.in_progress,
        PlacementState.completed,
        PlacementState.aborted,
        PlacementState.outcome,
    }
)


class Origin(enum.StrEnum):
    nomination = "nomination"  # a case manager proposed the candidate
    request = "request"  # an employer asked for the candidate from the talent pool


class Outcome(enum.StrEnum):
    hired = "hired"  # employment subject to social insurance
    apprenticeship = "apprenticeship"
    entry_qualification = "entry_qualification"  # Einstiegsqualifizierung (EQ), §54a SGB III
    further_internship = "further_internship"
    mini_job = "mini_job"
    coaching = "coaching"  # coaching or a further measure
    no_offer = "no_offer"


class Placement(Table):
    id = UUID(primary_key=True)
    slot = ForeignKey(references=Slot, on_delete=OnDelete.restrict, index=True)
    # The slot's employer and the candidate's organisation, copied so that each side's lists
    # are one indexed equality (they never change for a placement).
    employer = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, index=True)
    candidate = ForeignKey(references=Candidate, on_delete=OnDelete.restrict, index=True)
    agency = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, index=True)
    # The case manager responsible for the placement (the candidate's, when it was created).
    case_manager = ForeignKey(
        references=User, on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    state = Varchar(length=12, choices=PlacementState, index=True)
    origin = Varchar(length=10, choices=Origin, default=Origin.nomination)
    # The nomination's (or the request's) short note, checked by the PII guard.
    note = Text(default="")
    created_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
    # When the state last changed (for "waiting since" and the reminders).
    state_changed_at = Timestamptz(default=TimestamptzNow(), index=True)
    # When the employer answered the nomination (accepted or declined): the response rate.
    answered_at = Timestamptz(null=True, default=None)
    # The last reminder about an unanswered nomination (at most one per period).
    reminded_at = Timestamptz(null=True, default=None)
    # The reason code of a decline, a withdrawal or an abort (the *_REASONS in transitions.py).
    reason = Varchar(length=30, default="")
    # The internship's dates, fixed inside the slot's window when it is prepared.
    start_date = Date(null=True, default=None, index=True)
    end_date = Date(null=True, default=None, index=True)
    hours_per_week = Integer(null=True, default=None)
    # For the internship agreement: who looks after the intern at the employer.
    supervisor = Varchar(length=120, default="")
    started_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
    # Identity release (after acceptance, only with consent.release_identity).
    identity_released_at = Timestamptz(null=True, default=None)
    identity_released_by = ForeignKey(
        references=User, on_delete=OnDelete.set_null, null=True, default=None
    )
    # "Start upcoming" was notified (the worker's reminder before the first day).
    start_notified_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=20, choices=Outcome, null=True, default=None, index=True)
    outcome_on = Date(null=True, default=None)
    outcome_note = Text(default="")
    outcome_recorded_at = Timestamptz(null=True, default=None)
    # The coordination office's flag on the board (operator staff only), and its last reminder
    # to the side that must act (at most one per reminder period).
    flagged_at = Timestamptz(null=True, default=None, index=True)
    operator_reminded_at = Timestamptz(null=True, default=None)


class PlacementEvent(Table):
    """One row per change of a placement: who, when, from, to, note."""

    placement = ForeignKey(references=Placement, on_delete=OnDelete.cascade, index=True)
    action = Varchar(length=30)
    from_state = Varchar(length=12, default="")
    to_state = Varchar(length=12, default="")
    actor = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    actor_organisation = ForeignKey(
        references=Organisation, on_delete=OnDelete.set_null, null=True, default=None
    )
    reason = Varchar(length=30, default="")
    # Free text of the actor (checked by the PII guard where the other side reads it).
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    # An event of the coordination office's own (an internal note, a flag, a reminder): shown
    # to operator staff only, never on the employer's or the case worker's pages.
    internal = Boolean(default=False)


class ChecklistItem(Table):
    """One confirmed item of the start checklist (machine.CHECKLIST); one row per item."""

    placement = ForeignKey(references=Placement, on_delete=OnDelete.cascade, index=True)
    item = Varchar(length=20)
    # The answer: a choice code (work access), a text (insurance carrier, approval reference)
    # or an ISO date (safety briefing).
    value = Varchar(length=200, default="")
    detail = Varchar(length=200, default="")
    document = ForeignKey(references=Document, on_delete=OnDelete.set_null, null=True, default=None)
    confirmed_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    confirmed_at = Timestamptz(default=TimestamptzNow())


class Evaluation(Table):
    """The employer's evaluation at completion; shown in the profile as observed in internship."""

    placement = ForeignKey(
        references=Placement, on_delete=OnDelete.cascade, unique=True, index=True
    )
    candidate = ForeignKey(references=Candidate, on_delete=OnDelete.cascade, index=True)
    # "all", "mostly", "often_absent" (evaluation.ATTENDANCE)
    attendance = Varchar(length=20)
    # Skill codes of competences.SKILLS observed during the internship.
    skills = JSON(default="[]")
    # Work-habit codes of competences.WORK_HABITS observed.
    work_habits = JSON(default="[]")
    german_level = Varchar(length=2, null=True, default=None)
    # "hire", "apprenticeship", "further_internship", "not_yet" (evaluation.RECOMMENDATIONS)
    recommendation = Varchar(length=20)
    comment = Text(default="")
    written_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    written_at = Timestamptz(default=TimestamptzNow())


class FollowUpResult(enum.StrEnum):
    employed = "employed"
    not_employed = "not_employed"
    unknown = "unknown"


class FollowUp(Table):
    """ "Still employed?" three and six months after the outcome (PRODUCT.md section 4)."""

    placement = ForeignKey(references=Placement, on_delete=OnDelete.cascade, index=True)
    months = Integer()
    due_on = Date(index=True)
    result = Varchar(length=15, choices=FollowUpResult, null=True, default=None, index=True)
    # When the case manager was asked (by the worker), so that it is asked once.
    prompted_at = Timestamptz(null=True, default=None)
    recorded_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    recorded_at = Timestamptz(null=True, default=None)


class Message(Table):
    """The conversation on a placement between the employer and the case manager."""

    placement = ForeignKey(references=Placement, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    author_organisation = ForeignKey(
        references=Organisation, on_delete=OnDelete.set_null, null=True, default=None
    )
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    # Erased with the candidate's personal data (the text may name the person after release).
    erased = Boolean(default=False)


class LinkPurpose(enum.StrEnum):
    # Accept or decline one nomination (the placement is proposed).
    answer = "answer"
    # The supervisor's evaluation at the end (the internship is in progress).
    evaluation = "evaluation"
    # The intern confirms the internship agreement (the placement is being prepared).
    agreement = "agreement"


class PlacementLink(Table):
    """A single-use e-mail link bound to one placement and one purpose (placements/links.py).

    Only the SHA-256 of the link's secret is kept; the secret itself exists only in the e-mail.
    A link dies when it is used, when it expires and when the placement changes state."""

    placement = ForeignKey(references=Placement, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=12, choices=LinkPurpose)
    digest = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    # Died unused: the placement moved on (answered otherwise, withdrawn, completed, aborted).
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AgreementParty(enum.StrEnum):
    employer = "employer"  # the employer's signatory, in the portal
    case_worker = "case_worker"  # the case manager, in the portal
    intern = "intern"  # the intern, through a personal single-use link (LinkPurpose.agreement)


class AgreementConfirmation(Table):
    """One party's online confirmation of the internship agreement (placements/agreement.py).

    Bound to the SHA-256 of the exact text confirmed: when the agreement's text changes, the
    confirmations of the old text stay as a record but no longer count."""

    placement = ForeignKey(references=Placement, on_delete=OnDelete.cascade, index=True)
    party = Varchar(length=12, choices=AgreementParty)
    # The user who confirmed (None: the intern, through `link`).
    confirmed_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    link = ForeignKey(
        references=PlacementLink, on_delete=OnDelete.set_null, null=True, default=None
    )
    text_digest = Varchar(length=64)
    address = Varchar(length=64, default="")
    confirmed_at = Timestamptz(default=TimestamptzNow())
