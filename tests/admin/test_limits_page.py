"""The operating limits in the console: every limit of SPECS, bounds kept, each change audited."""

from __future__ import annotations

from portal.audit.tables import AuditEvent
from portal.reference.limits import SPECS, load_limits
from tests.conftest import run
from tests.factories import login, post_form


def test_it_shows_every_limit_with_its_current_value(client, operator, settings):
    login(client, operator.email)
    response = client.get("/admin/limits")
    assert response.status_code == 200
    for spec in SPECS:
        assert f'name="{spec.key}"' in response.text
    assert 'value="24"' in response.text  # the audit log's retention, the default
    assert "Aufbewahrung des Protokolls (Monate)" in response.text


def test_it_saves_the_changed_limits_and_audits_each(client, operator, settings):
    login(client, operator.email)
    current = run(load_limits(settings)).values
    data = {key: str(value) for key, value in current.items()}
    data.update(reminder_days="7", audit_retention_months="36")
    response = post_form(client, "/admin/limits", data)
    assert "Die Grenzwerte wurden gespeichert." in response.text
    limits = run(load_limits(settings))
    assert (limits.reminder_days, limits.audit_retention_months) == (7, 36)
    events = run(
        AuditEvent.select(AuditEvent.record_id, AuditEvent.actor_id)
        .where(AuditEvent.action == "limit.changed")
        .order_by(AuditEvent.record_id)
    )
    assert [e["record_id"] for e in events] == ["audit_retention_months", "reminder_days"]
    assert {e["actor_id"] for e in events} == {operator.id}
    response = post_form(client, "/admin/limits", data, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="limits-form"')
    assert "Nichts geändert" in response.text


def test_it_refuses_a_value_out_of_bounds_and_saves_nothing(client, operator, settings):
    login(client, operator.email)
    data = {k: str(v) for k, v in run(load_limits(settings)).values.items()}
    data.update(reminder_days="7", statistics_threshold="2", retention_months="zwölf")
    response = post_form(client, "/admin/limits", data)
    assert response.status_code == 400
    assert "Bitte eine Zahl von 3 bis 100 eingeben." in response.text
    assert "Bitte eine ganze Zahl eingeben." in response.text
    assert run(load_limits(settings)).reminder_days != 7
    assert not run(AuditEvent.exists().where(AuditEvent.action == "limit.changed"))
    response = post_form(client, "/admin/limits", data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Bitte eine ganze Zahl eingeben." in response.text
