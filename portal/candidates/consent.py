"""Consent: what the person agreed to (PRODUCT.md section 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from portal.auth import CurrentUser
from portal.candidates.access import audit
from portal.candidates.documents import (
    Refused,
    candidate_transaction,
    erased_message,
    lock_candidate,
)
from portal.candidates.languages import CODES
from portal.candidates.tables import (
    Candidate,
    CandidateStatus,
    Consent,
    ConsentMethod,
    DocumentKind,
)
from portal.candidates.uploads import Upload, insert_document, stored
from portal.clock import now, today
from portal.events import Event, announce
from portal.forms import Errors, date_within, parse_date
from portal.i18n import N_, _
from portal.storage import Storage

# Consent was withdrawn (inside withdraw_consent's transaction): the placements withdraw the
# candidate's open nominations. Payload: user, candidate_id, address.
CONSENT_WITHDRAWN = Event("candidate.consent_withdrawn")

# No consent recorded in the portal predates its programmes (nor the GDPR's forerunners).
CONSENT_EARLIEST = dt.date(2000, 1, 1)


async def active_consent(candidate_id: UUID) -> dict[str, Any] | None:
    """The consent in force (not withdrawn, not superseded), or None."""
    return await (
        Consent.select()
        .where((Consent.candidate == candidate_id) & Consent.ended_at.is_null())
        .order_by(Consent.recorded_at, ascending=False)
        .first()
    )


# -- what the form offers ---------------------------------------------------------------------

# What a person may agree to, one checkbox (and one column) each.
SCOPES = {
    "show_profile": N_("The pseudonymised profile may be shown to employers on the portal."),
    "talent_pool": N_("The profile may be in the employers' talent pool."),
    "release_identity": N_(
        "Name and contact may be released to an employer who accepts the person."
    ),
}
END_LABELS = {"withdrawn": N_("Withdrawn"), "superseded": N_("Replaced by a newer consent")}
TEXT_VERSION_MAX = 40


@dataclass(frozen=True)
class ConsentFields:
    show_profile: bool
    talent_pool: bool
    release_identity: bool
    given_on: dt.date
    method: ConsentMethod
    text_version: str
    language: str

    @property
    def scopes(self) -> list[str]:
        return [name for name in SCOPES if getattr(self, name)]


def check_consent(errors: Errors, data: Mapping[str, str]) -> ConsentFields | None:
    """The consent form's fields, checked; None when `errors` got a message."""
    if not any(data.get(name) == "yes" for name in SCOPES):
        errors["scopes"] = _("Please tick at least one thing the person agreed to.")
    given_on = None
    raw = data.get("given_on", "")
    if not raw:
        errors["given_on"] = _("Please fill in this field.")
    elif (given_on := parse_date(raw)) is None:
        errors["given_on"] = _("Please enter a date in the format DD.MM.YYYY.")
    elif given_on > today():
        errors["given_on"] = _("The consent cannot have been given in the future.")
    else:
        given_on = date_within(errors, "given_on", given_on, CONSENT_EARLIEST, today())
    errors.require(data, "method", "text_version", "language")
    errors.choice(data, "method", {method.value for method in ConsentMethod})
    errors.max_length(data, "text_version", TEXT_VERSION_MAX)
    errors.choice(data, "language", set(CODES))
    if errors or given_on is None:
        return None
    return ConsentFields(
        show_profile=data.get("show_profile") == "yes",
        talent_pool=data.get("talent_pool") == "yes",
        release_identity=data.get("release_identity") == "yes",
        given_on=given_on,
        method=ConsentMethod(data["method"]),
        text_version=data["text_version"],
        language=data["language"],
    )


# -- reading ----------------------------------------------------------------------------------


async def consent_history(candidate_id: UUID) -> list[dict[str, Any]]:
    """Every consent of the candidate, newest first, with the names the page shows (one query)."""
    return await (  # type: ignore[no-any-return]
        Consent.select(
            *Consent.all_columns(),
            Consent.recorded_by.display_name.as_alias("recorded_by_name"),
            Consent.ended_by.display_name.as_alias("ended_by_name"),
            Consent.document.filename.as_alias("document_filename"),
        )
        .where(Consent.candidate == candidate_id)
        .order_by(Consent.recorded_at, ascending=False)
    )


# -- recording and withdrawing ----------------------------------------------------------------


async def record_consent(
    storage: Storage,
    user: CurrentUser,
    candidate: Mapping[str, Any],
    fields: ConsentFields,
    *,
    signed_form: Upload | None,
    address: str,
) -> UUID:
    """Record a consent; the one in force until now ends as superseded, in one transaction.

    With a signed form, the file is stored first and removed again if anything fails.
    Refused (erased candidate) and StorageFailed change nothing.
    """
    if candidate["erased_at"] is not None:
        raise Refused(erased_message())
    async with AsyncExitStack() as stack:
        key = ""
        if signed_form is not None:
            key = await stack.enter_async_context(
                stored(storage, signed_form, user=user, candidate=candidate, address=address)
            )
        await stack.enter_async_context(candidate_transaction())
        # Under the lock, so that two people recording at once leave one consent in force.
        current = await lock_candidate(candidate["id"])
        moment = now()
        document_id = None
        if signed_form is not None:
            document_id = await insert_document(
                user, candidate, signed_form, key, kind=DocumentKind.consent_form, address=address
            )
        superseded = await _end_active(candidate["id"], user, moment, reason="superseded")
        consent = Consent(
            candidate=candidate["id"],
            show_profile=fields.show_profile,
            talent_pool=fields.talent_pool,
            release_identity=fields.release_identity,
            given_on=fields.given_on,
            method=fields.method,
            text_version=fields.text_version,
            language=fields.language,
            document=document_id,
            recorded_by=user.id,
            recorded_at=moment,
        )
        await Consent.insert(consent)
        if current["status"] != CandidateStatus.closed and current["retention_from"] is not None:
            # A new consent after a withdrawal: the data are needed again, retention stops.
            await Candidate.update({Candidate.retention_from: None}).where(
                Candidate.id == candidate["id"]
            )
        detail: dict[str, Any] = {
            "consent": str(consent.id),
            "scopes": fields.scopes,
            "method": fields.method.value,
        }
        if superseded:
            detail["superseded"] = [str(consent_id) for consent_id in superseded]
        if document_id is not None:
            detail["document"] = str(document_id)
        await audit(user, "consent.record", candidate["id"], address, **detail)
    return consent.id  # type: ignore[no-any-return]


async def _end_active(
    candidate_id: UUID, user: CurrentUser, moment: dt.datetime, *, reason: str
) -> list[UUID]:
    """End the consent in force (there is at most one); its id, or nothing."""
    rows = (
        await Consent.update(
            {Consent.ended_at: moment, Consent.ended_reason: reason, Consent.ended_by: user.id}
        )
        .where((Consent.candidate == candidate_id) & Consent.ended_at.is_null())
        .returning(Consent.id)
    )
    return [row["id"] for row in rows]


async def withdraw_consent(
    user: CurrentUser, candidate: Mapping[str, Any], *, address: str
) -> bool:
    """The person withdrew consent: end it and pause the profile at once, in one step.

    True if the profile was paused (it was active or placed). Refused when nothing is in force
    or the candidate's data were erased; nothing changes then.
    """
    if candidate["erased_at"] is not None:
        raise Refused(erased_message())
    async with candidate_transaction():
        current = await lock_candidate(candidate["id"])
        moment = now()
        ended = await _end_active(candidate["id"], user, moment, reason="withdrawn")
        if not ended:
            raise Refused(_("No consent is in force, so there is nothing to withdraw."))
        # Conditional: only a profile that employers may see is paused (a draft stays a draft,
        # a closed case stays closed).
        paused = (
            await Candidate.update(
                {Candidate.status: CandidateStatus.paused, Candidate.updated_at: moment}
            )
            .where(
                (Candidate.id == candidate["id"])
                & Candidate.status.is_in([CandidateStatus.active, CandidateStatus.placed])
            )
            .returning(Candidate.status)
        )
        if current["retention_from"] is None:
            # The retention period runs from the withdrawal (PRODUCT.md section 7).
            await Candidate.update({Candidate.retention_from: moment}).where(
                Candidate.id == candidate["id"]
            )
        # The open nominations are withdrawn in this same transaction (PRODUCT.md section 3).
        await announce(CONSENT_WITHDRAWN, user=user, candidate_id=candidate["id"], address=address)
        detail: dict[str, Any] = {"consent": str(ended[0])}
        if paused:
            detail["status"] = {"from": current["status"], "to": CandidateStatus.paused.value}
        await audit(user, "consent.withdraw", candidate["id"], address, **detail)
    return bool(paused)
