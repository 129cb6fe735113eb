"""The e-mail links' upkeep: a mail that could not be sent leaves no link behind, expired links
are removed by the daily jobs, and a wrong or dead link tried is audited without what was typed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from portal.audit.tables import AuditEvent
from portal.clock import now
from portal.placements import links
from portal.placements.tables import LinkPurpose, PlacementLink
from portal.templating import create_environment
from portal.worker import Delivered, deliver_due
from tests.conftest import free_port, run
from tests.placements.factories import make_placement


def json_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_a_failed_send_leaves_no_link(app, settings, mailbox, slot, candidate, alice, erik):
    make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    env = create_environment()
    down = settings.replace(smtp_port=free_port())
    assert run(deliver_due(down, env)).retried >= 1
    assert run(PlacementLink.count()) == 0
    later = now() + dt.timedelta(minutes=2)
    sent = run(deliver_due(settings, env, moment=later))
    assert sent == Delivered(sent=sent.sent) and sent.sent >= 1
    assert run(PlacementLink.count()) == sent.sent  # one link per message that went out


def test_expired_links_are_purged(app, slot, candidate, alice, erik):
    placement_id = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    old = run(links.issue(placement_id, LinkPurpose.answer))
    run(PlacementLink.update({PlacementLink.expires_at: now() - dt.timedelta(minutes=1)}).where(
        PlacementLink.digest == links.digest(old)
    ))  # fmt: skip
    fresh = run(links.issue(placement_id, LinkPurpose.answer))
    assert run(links.purge(now())) == 1
    [kept] = run(PlacementLink.select(PlacementLink.digest))
    assert kept["digest"] == links.digest(fresh)


def test_a_wrong_link_is_audited_without_what_was_typed(client):
    typed = "Zm9vYmFyLW5vdC1hLXJlYWwtbGluay1idXQtY2xvc2U"
    assert client.get(f"/answer/{typed}").status_code == 404
    assert client.get(f"/agreement/{typed}").status_code == 404
    rows = run(AuditEvent.select().where(AuditEvent.action == "placement_link.refused"))
    details = [json_value(row["detail"]) for row in rows]
    assert sorted(d["purpose"] for d in details) == ["agreement", "answer"]
    assert all(row["address"] == "testclient" for row in rows)
    assert typed not in str(rows)
    assert links.digest(typed) not in str(rows)
