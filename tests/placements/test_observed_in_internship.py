"""The employer's evaluation flows back into the candidate's profile as "observed in internship":
month, occupation and what was observed — not the comment, not the employer."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from portal.candidates.profile import load_profile
from portal.clock import today
from portal.placements import machine
from portal.placements.tables import Evaluation
from portal.placements.transitions import EvaluationFields
from tests.conftest import run
from tests.factories import login, make_occupation, make_slot
from tests.placements.factories import make_placement
from tests.placements.session import as_user

EVALUATION = EvaluationFields(
    attendance="mostly",
    skills=["metal.mig_mag", "metal.grinding"],
    work_habits=["punctuality", "teamwork"],
    german_level="A2",
    recommendation="apprenticeship",
    comment="Sehr sauber geschweißt, Werkstatt gern wieder.",
)


def completed(slot, candidate, alice, erik, evaluation=EVALUATION):
    placement = make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    run(machine.apply(as_user(erik), placement, "complete", machine.Input(evaluation=evaluation)))
    return placement


def test_it_shows_what_was_observed_in_the_profile(client, alice, erik, slot, candidate):
    completed(slot, candidate, alice, erik)
    login(client, alice.email)
    text = client.get(f"/candidates/{candidate.id}/preview").text
    assert "Im Praktikum beobachtet" in text
    assert format_date(today(), "MMMM yyyy", locale="de") + ": 24412" in text
    for label in ("MIG/MAG", "Schleifen", "Pünktlichkeit", "Meist anwesend", "A2"):
        assert label in text, label
    assert "Wir würden eine Ausbildung anbieten" in text
    assert "Sehr sauber geschweißt" not in text
    assert "Metallbau Kassel" not in text


def test_it_lists_the_newest_first_in_five_queries(app, queries, alice, erik, employer, candidate):
    queries.clear()
    assert run(load_profile(candidate.id))["observed"] == []
    empty = len(queries)
    older = completed(make_slot(employer, title="Schweißen"), candidate, alice, erik)
    run(
        Evaluation.update({Evaluation.written_at: dt.datetime(2026, 3, 5, tzinfo=dt.UTC)}).where(
            Evaluation.placement == older
        )
    )
    completed(
        make_slot(employer, occupation=make_occupation("25212", "Maschinenbau"), title="Montage"),
        candidate,
        alice,
        erik,
        EvaluationFields("all", [], ["reliability"], None, "hire"),
    )
    queries.clear()
    observed = run(load_profile(candidate.id))["observed"]
    assert len(queries) == empty == 5
    assert [entry["occupation"][:5] for entry in observed] == ["25212", "24412"]
    assert observed[0]["german_level"] == "" and observed[0]["work_habits"]
    assert "comment" not in observed[0]
