"""The operating limits an operator admin sets in the console: reminder and ageing limits, the
statistics threshold, the retention periods.

Each limit has a default from the settings (environment) and bounds; a value saved in the
console (table `OperatingLimit`, one row per key) takes precedence. `load_limits()` reads them
all in one query; every feature that needs one asks it (the worker's reminders, the board's
ageing marks, the statistics' disclosure rules, the retention jobs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from portal.audit import services as audit
from portal.clock import now
from portal.i18n import N_
from portal.reference.tables import OperatingLimit
from portal.settings import Settings


class InvalidLimit(ValueError):
    """A value outside the limit's bounds; the message is for the operator."""


@dataclass(frozen=True)
class LimitSpec:
    key: str
    label: str  # N_() message: translated where it is shown
    help: str
    minimum: int
    maximum: int
    unit: str  # N_("days"), N_("months"), N_("people")

    def default(self, settings: Settings) -> int:
        name = _SETTING_NAMES.get(self.key, self.key)
        return int(getattr(settings, name, None) or _DEFAULTS[self.key])


# Limits whose default is a setting of another name.
_SETTING_NAMES = {"statistics_threshold": "stats_threshold"}


# Ageing limits: after this many days in a state a placement is marked on the board.
AGEING_STATES = ("requested", "proposed", "accepted", "preparing", "in_progress", "completed")

_DEFAULTS = {
    "reminder_days": 5,
    "ageing_days_requested": 5,
    "ageing_days_proposed": 5,
    "ageing_days_accepted": 7,
    "ageing_days_preparing": 21,
    # An internship lasts at most four weeks; one still "in progress" after five is stuck.
    "ageing_days_in_progress": 35,
    # Completed without a recorded outcome.
    "ageing_days_completed": 14,
    # A released name and contact stay visible to the employer this long after the internship
    # ended (for the hiring conversation), then only the code.
    "identity_days_after_end": 30,
    "statistics_threshold": 3,
    "retention_months": 6,
    "audit_retention_months": 24,
}

DAYS, MONTHS, PEOPLE = N_("days"), N_("months"), N_("people")

SPECS: tuple[LimitSpec, ...] = (
    LimitSpec(
        "reminder_days",
        N_("Reminder after"),
        N_("An employer is reminded of a nomination it has not answered after this many days."),
        1,
        60,
        DAYS,
    ),
    *(
        LimitSpec(
            f"ageing_days_{state}",
            label,
            N_("The board marks a placement that has been in this state longer than this."),
            1,
            365,
            DAYS,
        )
        for state, label in (
            ("requested", N_("Ageing mark: requested")),
            ("proposed", N_("Ageing mark: proposed")),
            ("accepted", N_("Ageing mark: accepted")),
            ("preparing", N_("Ageing mark: preparing")),
            ("in_progress", N_("Ageing mark: in progress")),
            ("completed", N_("Ageing mark: completed without outcome")),
        )
    ),
    LimitSpec(
        "identity_days_after_end",
        N_("Name and contact after the end"),
        N_(
            "A released name and contact stay visible to the employer this many days after the "
            "internship ended, then only the code."
        ),
        0,
        365,
        DAYS,
    ),
    LimitSpec(
        "statistics_threshold",
        N_("Statistics threshold"),
        N_("Counts below this number of people are shown as *. It can only be raised above 3."),
        3,
        100,
        PEOPLE,
    ),
    LimitSpec(
        "retention_months",
        N_("Retention period"),
        N_("Identities, documents and free text are erased this long after a case is closed."),
        1,
        120,
        MONTHS,
    ),
    LimitSpec(
        "audit_retention_months",
        N_("Audit log retention"),
        N_("Audit entries older than this are removed by the retention job."),
        6,
        240,
        MONTHS,
    ),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}


@dataclass(frozen=True)
class Limits:
    values: Mapping[str, int]

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    @property
    def reminder_days(self) -> int:
        return self.values["reminder_days"]

    @property
    def statistics_threshold(self) -> int:
        return self.values["statistics_threshold"]

    @property
    def retention_months(self) -> int:
        return self.values["retention_months"]

    @property
    def audit_retention_months(self) -> int:
        return self.values["audit_retention_months"]

    def ageing_days(self, state: str) -> int | None:
        """The ageing limit of a state, None for states that do not age (closed ones)."""
        return self.values.get(f"ageing_days_{state}")


async def load_limit(key: str) -> int:
    """One limit that has no default in the settings (one query)."""
    spec = SPEC_BY_KEY[key]
    assert key not in Settings.__dataclass_fields__  # noqa: S101 - load_limits() reads those
    row = await OperatingLimit.select(OperatingLimit.value).where(OperatingLimit.key == key).first()
    return int(row["value"]) if row else _DEFAULTS[spec.key]


async def load_limits(settings: Settings) -> Limits:
    """Every limit: the console's value where one was saved, else the settings' default."""
    saved = {
        row["key"]: row["value"]
        for row in await OperatingLimit.select(OperatingLimit.key, OperatingLimit.value)
    }
    return Limits({spec.key: saved.get(spec.key, spec.default(settings)) for spec in SPECS})


def check_limit(key: str, raw: str) -> int:
    """The value of a limit typed in the console, or InvalidLimit with a message."""
    spec = SPEC_BY_KEY.get(key)
    if spec is None:
        raise InvalidLimit(N_("Unknown limit."))
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise InvalidLimit(N_("Enter a whole number."))
    value = int(text)
    if not spec.minimum <= value <= spec.maximum:
        raise InvalidLimit(N_("Enter a number from %(min)d to %(max)d."))
    return value


async def save_limit(
    key: str, value: int, *, actor_id: UUID | None, actor_organisation_id: UUID | None
) -> None:
    """Store a checked value (check_limit) and audit the change with old and new value."""
    spec = SPEC_BY_KEY[key]
    if not spec.minimum <= value <= spec.maximum:
        raise InvalidLimit(N_("Enter a number from %(min)d to %(max)d."))
    old = await OperatingLimit.select(OperatingLimit.value).where(OperatingLimit.key == key).first()
    if old is None:
        await OperatingLimit.insert(OperatingLimit(key=key, value=value, updated_at=now()))
    else:
        await OperatingLimit.update(
            {OperatingLimit.value: value, OperatingLimit.updated_at: now()}
        ).where(OperatingLimit.key == key)
    await audit.record(
        "limit.changed",
        record_type="limit",
        record_id=key,
        actor_id=actor_id,
        actor_organisation_id=actor_organisation_id,
        old=None if old is None else old["value"],
        new=value,
    )
