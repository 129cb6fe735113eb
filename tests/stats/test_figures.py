"""The figures of a view: the funnel, the breakdowns, the scope, all protected together."""

from __future__ import annotations

import pytest

from portal.accounts.tables import Chamber
from portal.auth.policy import StatsScope
from portal.clock import today
from portal.stats import disclosure as d
from portal.stats.figures import view
from portal.stats.periods import period_of
from tests.conftest import run
from tests.stats.history import make_history

pytestmark = pytest.mark.slow


def this_month():
    return period_of("month", today())


def test_the_funnel_counts_the_events_of_the_period(app):
    make_history(per_employer=3, employers=4)  # 12 placements with a hire each
    v = run(view(this_month(), StatsScope.district, None, d.Rules()))
    for stage in ("nominated", "accepted", "started", "completed", "outcome", "outcome.hired"):
        assert v.get(stage).value == 12, stage
    assert v.get("registered").value == 12
    assert v.get("aborted").sign == d.ZERO
    assert v.rate("outcome.hired", "completed") == 100.0
    assert v.median("days_hire") == 0


def test_a_chamber_sees_its_member_employers_by_default(app):
    make_history(per_employer=3, employers=4)  # three IHK members, one HWK member
    ihk = run(view(this_month(), StatsScope.members, Chamber.ihk, d.Rules()))
    assert ihk.get("nominated").value == 9
    # The HWK's one member is a single employer: dominance suppresses it.
    hwk = run(view(this_month(), StatsScope.members, Chamber.hwk, d.Rules()))
    assert hwk.get("nominated").suppressed
    nobody = run(view(this_month(), StatsScope.members, None, d.Rules()))
    assert nobody.get("nominated").sign == d.ZERO


def test_the_previous_period_is_empty_and_shown_as_zero(app):
    make_history(per_employer=3, employers=4)
    v = run(view(this_month().previous(), StatsScope.district, None, d.Rules()))
    assert v.get("nominated").sign == d.ZERO


def test_a_small_breakdown_cell_is_suppressed_and_its_neighbour_too(app):
    make_history(per_employer=3, employers=4)
    v = run(view(this_month(), StatsScope.district, None, d.Rules()))
    chamber = {value: v.get("nominated", "chamber", value) for value, _label in v.values["chamber"]}
    # HWK: one employer (dominance) → suppressed, and IHK with it, or the total would tell.
    assert chamber["hwk"].suppressed and chamber["ihk"].suppressed
    assert v.get("nominated").value == 12
