"""The words for a candidate's states and kinds, in one place for every page and export."""

from __future__ import annotations

from portal.candidates.tables import (
    CandidateStatus,
    ConsentMethod,
    DocumentKind,
    OccupationKind,
    WorkAccess,
)
from portal.i18n import N_, _

STATUS_LABELS = {
    CandidateStatus.draft: N_("Draft"),
    CandidateStatus.active: N_("Active"),
    CandidateStatus.placed: N_("Placed"),
    CandidateStatus.paused: N_("Paused"),
    # Not "Closed": German needs "abgeschlossen" for a case, "geschlossen" for a slot.
    CandidateStatus.closed: N_("Case closed"),
}
# KERN badge colours.
STATUS_BADGES = {
    CandidateStatus.draft: "info",
    CandidateStatus.active: "success",
    CandidateStatus.placed: "success",
    CandidateStatus.paused: "warning",
    CandidateStatus.closed: "info",
}
CONSENT_METHOD_LABELS = {
    ConsentMethod.signed_form: N_("Signed form"),
    ConsentMethod.oral_interpreter: N_("Orally, with an interpreter"),
    ConsentMethod.oral: N_("Orally"),
    ConsentMethod.electronic: N_("Electronically"),
}
DOCUMENT_KIND_LABELS = {
    DocumentKind.certificate: N_("Certificate"),
    DocumentKind.competence_passport: N_("Competence passport"),
    DocumentKind.consent_form: N_("Consent form"),
    DocumentKind.agreement: N_("Agreement"),
    DocumentKind.evaluation: N_("Evaluation"),
    DocumentKind.other: N_("Other document"),
}
OCCUPATION_KIND_LABELS = {
    OccupationKind.desired: N_("Desired occupation"),
    OccupationKind.training: N_("Vocational training"),
    OccupationKind.experience: N_("Work experience"),
}
WORK_ACCESS_LABELS = {
    WorkAccess.free: N_("free"),
    WorkAccess.permit_per_job: N_("permit needed for each job"),
    WorkAccess.not_allowed: N_("not allowed"),
    WorkAccess.unknown: N_("unknown"),
}


def status_badge(status: str) -> tuple[str, str]:
    """(label in the user's language, KERN badge colour) of a candidate's status, for templates."""
    key = CandidateStatus(status)
    return _(STATUS_LABELS[key]), STATUS_BADGES[key]
