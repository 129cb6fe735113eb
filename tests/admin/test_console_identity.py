"""No identity anywhere in the console's board: every page, fragment, export and stream is
rendered over candidates with distinctive names and contacts, including placements whose
identity was released and whose sides then wrote the name to each other."""

from __future__ import annotations

import datetime as dt

from portal.accounts.tables import OrgKind, Role
from portal.clock import now
from portal.placements import machine
from portal.placements.tables import Evaluation, Message, Placement, PlacementEvent
from tests.conftest import run
from tests.factories import csrf_token, login, make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user

IDENTITY = {
    "given_names": "Zyxwulfrieda",
    "family_name": "Quorbiakowa",
    "date_of_birth": "1987-11-29",
    "phone": "+49 151 99887766",
    "email": "zyx.quorbiak@example.org",
    "street": "Wuppelgasse 17",
    "postcode": "34117",
    "city": "Kassel-Nordholz",
    "file_number": "AZ-55-QX-9012",
}
SECRETS = [
    "Zyxwulfrieda", "Quorbiakowa", "1987-11-29", "29.11.1987", "99887766",
    "zyx.quorbiak", "Wuppelgasse", "Nordholz", "AZ-55-QX-9012",
]  # fmt: skip


def test_no_console_view_shows_an_identity(client, operator):
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    erik = make_user(employer, Role.employer_admin, name="Erik Werkstatt")
    lead = make_user(agency, Role.team_lead, name="Tanja Teamleitung")
    placements = {}
    for state in ("proposed", "accepted", "preparing", "in_progress", "outcome", "withdrawn"):
        candidate = make_candidate(agency, alice, identity=IDENTITY, status="active")
        consent(candidate)
        slot = make_slot(employer, places=3)
        placements[state] = make_placement(
            state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
        )
    released = placements["in_progress"]
    run(Placement.update({Placement.identity_released_at: now() - dt.timedelta(days=3)}).where(
        Placement.id.is_in([released, placements["outcome"]])))  # fmt: skip
    run(machine.release_identity(as_user(alice), placements["accepted"], address=""))
    # After the release the sides may write the name (the PII guard allows it then).
    for pid in (released, placements["outcome"], placements["accepted"]):
        run(Message.insert(Message(placement=pid, author=erik.id, author_organisation=employer.id,
                                   body="Zyxwulfrieda Quorbiakowa kommt um 7 Uhr.",
                                   created_at=now())))  # fmt: skip
        run(PlacementEvent.insert(PlacementEvent(placement=pid, action="start",
                                                 note="Frau Quorbiakowa ist da.",
                                                 created_at=now())))  # fmt: skip
    run(Evaluation.update({Evaluation.comment: "Zyxwulfrieda war pünktlich."}, force=True))
    run(Placement.update({Placement.outcome_note: "Quorbiakowa eingestellt"}, force=True))

    login(client, operator.email)
    token = csrf_token(client)
    client.post(f"/admin/placements/{placements['proposed']}/note",
                data={"_csrf_token": token, "note": "Telefonat mit dem Betrieb"})  # fmt: skip
    urls = [
        "/admin",
        "/admin/placements",
        "/admin/placements?closed=1",
        "/admin/placements?q=Metallbau",
        "/admin/placements?attention=1&closed=1",
        "/admin/placements/list?closed=1",
        "/admin/placements.csv?closed=1",
        "/admin/live",
        *(f"/admin/placements/column/{state}" for state in placements),
        *(f"/admin/placements/{pid}" for pid in placements.values()),
    ]
    seen = 0
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            found = [secret for secret in SECRETS if secret.lower() in response.text.lower()]
            assert found == [], f"{url}: {found}"
            seen += 1
    detail = client.get(f"/admin/placements/{released}").text
    assert "nicht angezeigt" in detail  # the message and note after the release are withheld
    assert "Telefonat mit dem Betrieb" in client.get(
        f"/admin/placements/{placements['proposed']}").text  # fmt: skip
    # The team lead's board, export and stream.
    login(client, lead.email)
    for url in ("/board/placements?closed=1", "/board/placements/list?closed=1",
                "/board/placements.csv?closed=1", "/board/live"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert [s for s in SECRETS if s.lower() in response.text.lower()] == [], url
    assert seen == 2 * len(urls)
