"""Slot kinds and statuses as people read them (translated where shown)."""

from portal.employers.tables import SlotKind, SlotStatus
from portal.i18n import N_

# Each kind with its legal form: the employer chooses the legal frame, not just a word.
SLOT_KIND_LABELS = {
    SlotKind.orientation_internship: N_("Orientation internship (MiLoG §22)"),
    SlotKind.employer_measure: N_(
        "Measure at an employer (§45 SGB III) – needs the job centre's approval before the start"
    ),
    SlotKind.job_shadowing: N_("Job shadowing (Hospitation)"),
    SlotKind.training_slot: N_("Training slot / trial work"),
}
# What each legal form means for the employer, shown under the choice.
SLOT_KIND_HINTS = {
    SlotKind.orientation_internship: N_(
        "To help a person choose an occupation or a training; no minimum wage is due."
    ),
    SlotKind.employer_measure: N_(
        "Funded by the job centre or the employment agency; it must approve the measure for the "
        "person before the first day."
    ),
    SlotKind.job_shadowing: N_("Watching and trying out the work, without an employment contract."),
    SlotKind.training_slot: N_(
        "A trial of an apprenticeship place or an entry qualification, or trial work before a job."
    ),
}
SLOT_STATUS_LABELS = {
    SlotStatus.draft: N_("Draft"),
    SlotStatus.open: N_("Open"),
    SlotStatus.paused: N_("Paused"),
    SlotStatus.filled: N_("Filled"),
    SlotStatus.closed: N_("Closed"),
    SlotStatus.expired: N_("Expired"),
}
# KERN badge colours of the statuses.
SLOT_STATUS_BADGES = {
    SlotStatus.draft: "info",
    SlotStatus.open: "success",
    SlotStatus.paused: "warning",
    SlotStatus.filled: "success",
    SlotStatus.closed: "danger",
    SlotStatus.expired: "danger",
}
