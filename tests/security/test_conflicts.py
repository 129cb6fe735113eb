import sqlite3

import asyncpg
import pytest
from litestar import get
from litestar.testing import TestClient

from portal.auth import PUBLIC


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.IntegrityError("UNIQUE constraint failed: portal_user.email"),
        asyncpg.exceptions.UniqueViolationError("duplicate key value"),
    ],
)
def test_it_answers_a_refused_simultaneous_change_with_409_not_500(own_app, error):
    @get("/test-conflict", name="test_conflict", opt=PUBLIC)
    async def conflict() -> None:
        raise error

    own_app.register(conflict)
    with TestClient(own_app, base_url="http://testserver.local") as client:
        response = client.get("/test-conflict")
    assert response.status_code == 409
    assert "Jemand anderes hat dies gleichzeitig geändert" in response.text
    assert "UNIQUE" not in response.text
