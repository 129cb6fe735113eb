"""The operating limits: the settings' defaults until the console saves a value, bounds kept."""

from __future__ import annotations

import pytest

from portal.audit.tables import AuditEvent
from portal.reference.limits import SPECS, InvalidLimit, check_limit, load_limits, save_limit
from tests.conftest import run


def test_it_takes_the_settings_defaults_until_a_value_is_saved(app, settings):
    limits = run(load_limits(settings.replace(reminder_days=9)))
    assert limits.reminder_days == 9
    assert limits.statistics_threshold == 3
    assert limits.audit_retention_months == 24
    assert limits.ageing_days("proposed") == 5
    assert limits.ageing_days("declined") is None
    assert set(limits.values) == {spec.key for spec in SPECS}


def test_a_saved_value_wins_and_is_audited_with_old_and_new(app, settings):
    run(save_limit("reminder_days", 7, actor_id=None, actor_organisation_id=None))
    run(save_limit("reminder_days", 8, actor_id=None, actor_organisation_id=None))
    assert run(load_limits(settings.replace(reminder_days=9))).reminder_days == 8
    rows = run(
        AuditEvent.select(AuditEvent.detail)
        .where(AuditEvent.action == "limit.changed")
        .order_by(AuditEvent.id)
        .output(load_json=True)
    )
    details = [row["detail"] for row in rows]
    assert details == [{"old": None, "new": 7}, {"old": 7, "new": 8}]


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("statistics_threshold", "2", "Enter a number from %(min)d to %(max)d."),
        ("statistics_threshold", "-3", "Enter a whole number."),
        ("reminder_days", "٣", "Enter a whole number."),
        ("reminder_days", "", "Enter a whole number."),
        ("reminder_days", "1" * 50, "Enter a whole number."),
        ("nonsense", "3", "Unknown limit."),
    ],
)
def test_it_refuses_values_outside_the_bounds(key, raw, message):
    with pytest.raises(InvalidLimit) as refused:
        check_limit(key, raw)
    assert str(refused.value) == message


def test_the_statistics_threshold_can_only_be_raised():
    assert check_limit("statistics_threshold", " 5 ") == 5
    with pytest.raises(InvalidLimit):
        run(save_limit("statistics_threshold", 2, actor_id=None, actor_organisation_id=None))
