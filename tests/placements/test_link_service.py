"""The e-mail links' service: one use only, and no link for a placement that moved on."""

from __future__ import annotations

from portal.placements import links
from portal.placements.tables import LinkPurpose
from tests.conftest import run
from tests.placements.factories import make_placement


def test_of_two_uses_at_once_only_one_succeeds(app, slot, candidate, alice, erik):
    placement = make_placement("proposed", slot=slot, candidate=candidate, case_worker=alice,
                               employer_user=erik)  # fmt: skip
    token = run(links.issue(placement, LinkPurpose.answer))
    grant = run(links.find(token or "", LinkPurpose.answer))
    assert grant is not None
    assert run(links.consume(grant, address="127.0.0.1")) is True
    assert run(links.consume(grant, address="127.0.0.1")) is False
    assert run(links.find(token or "", LinkPurpose.answer)) is None


def test_no_link_is_made_for_a_placement_that_moved_on(app, slot, candidate, alice, erik):
    accepted = make_placement("accepted", slot=slot, candidate=candidate, case_worker=alice,
                              employer_user=erik)  # fmt: skip
    assert run(links.issue(accepted, LinkPurpose.answer)) is None
    assert run(links.issue(accepted, LinkPurpose.evaluation)) is None
