"""The home page of the roles without a to-do dashboard stays as it was."""

from __future__ import annotations

from typing import Any

from portal.accounts.tables import OrgKind, OrgStatus, Role
from tests.factories import login, make_org, make_user


def test_the_operator_sees_the_registrations_awaiting_approval(client: Any) -> None:
    make_org(OrgKind.employer, name="Neu GmbH", status=OrgStatus.pending)
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    login(client, operator.email)
    text = client.get("/").text
    assert "1 Registrierung eines Arbeitgebers wartet auf Freigabe" in text
    assert "todo__section" not in text


def test_a_statistics_viewer_and_a_pending_employer_see_no_dashboard(client: Any) -> None:
    viewer = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    pending = make_user(make_org(OrgKind.employer, status=OrgStatus.pending), Role.employer_admin)
    for user in (viewer, pending):
        login(client, user.email)
        response = client.get("/")
        assert response.status_code == 200
        assert "todo__section" not in response.text
        assert "Was als Nächstes zu tun ist" not in response.text
        client.cookies.clear()


def test_a_visitor_sees_the_welcome(client: Any) -> None:
    text = client.get("/").text
    assert "Praktika, die in Arbeit führen" in text
    assert "todo__section" not in text
