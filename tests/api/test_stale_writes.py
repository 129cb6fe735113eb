"""If-Match inside the services' UPDATE: a write that lands between the API's read and its
UPDATE makes the UPDATE find nothing (Stale → 412), instead of being overwritten; the same
version still writes (the timestamps compare equal on both engines)."""

import dataclasses

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates import profile
from portal.employers import slots
from portal.employers.slots import SlotAction
from portal.employers.tables import Slot, SlotStatus
from portal.errors import Stale
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.session import as_user


def _slot_row(slot_id):
    return run(Slot.select().where(Slot.id == slot_id).first())


def test_a_slot_transition_with_the_version_read_writes_and_a_stale_one_does_not(client):
    org = make_org(OrgKind.employer)
    user = as_user(make_user(org, Role.employer_admin))
    read = _slot_row(make_slot(org, status=SlotStatus.open).id)
    run(
        slots.transition(
            user, read, SlotAction.pause, address="", unchanged_since=read["updated_at"]
        )
    )
    paused = _slot_row(read["id"])
    assert paused["status"] == "paused"
    # Someone else's write came first: the old version no longer matches.
    with pytest.raises(Stale):
        run(
            slots.transition(
                user, paused, SlotAction.close, address="", unchanged_since=read["updated_at"]
            )
        )
    assert _slot_row(read["id"])["status"] == "paused"


def test_a_profile_saved_over_a_newer_version_is_stale(client):
    from portal.candidates.tables import Candidate

    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    candidate = make_candidate(agency, lead)
    row = run(Candidate.select().where(Candidate.id == candidate.id).first())
    fields = run(profile_fields(row))
    run(
        profile.save_profile(
            as_user(lead), row, fields, address="", unchanged_since=row["updated_at"]
        )
    )
    with pytest.raises(Stale):
        changed = dataclasses.replace(fields)
        run(
            profile.save_profile(
                as_user(lead), row, changed, address="", unchanged_since=row["updated_at"]
            )
        )


async def profile_fields(row):
    from portal.candidates import profile_form
    from portal.reference import services as reference

    values = await profile_form.form_values(row)
    _errors, fields, _values = await profile_form.check_profile(
        values, names=[], municipalities=await reference.municipalities()
    )
    assert fields is not None, _errors
    return fields
