"""Personas and tools shared by the console's tests."""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role, User
from tests.factories import make_org, make_user


@pytest.fixture
def operator() -> User:
    return make_user(
        make_org(OrgKind.operator, name="Koordinierungsstelle"),
        Role.operator_admin,
        name="Olga Operator",
    )


@pytest.fixture
def queries(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL statements the app runs, collected from the moment the fixture is used.

    Every Piccolo query (select, count, insert, …), in or outside a transaction and on either
    engine, goes through `Engine.run_querystring`. The engines have __slots__, so the method is
    wrapped on the engine's class (monkeypatch restores it) and counts only calls on the engine
    the app bound its tables to: exactly the statements sent to the database, without touching
    our code or parsing log output. Clear the list right before the request you measure.
    """
    engine = Organisation._meta.db
    engine_class = type(engine)
    original = engine_class.run_querystring
    seen: list[str] = []

    async def counting(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        if self is engine:
            seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    return seen
