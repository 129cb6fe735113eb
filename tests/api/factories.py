"""API tokens for the tests: made directly in the table, the secret returned with the row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.api.tables import ApiToken, TokenScope
from portal.api.tokens import digest, new_secret
from tests.conftest import run


def make_token(
    user: Any,
    *,
    scope: TokenScope = TokenScope.read_write,
    expires_at: dt.datetime | None = None,
    revoked_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """A token of the user's organisation, created by the user; `secret` is the Bearer value."""
    secret = new_secret()
    token = ApiToken(
        organisation=user.organisation,
        created_by=user.id,
        name="Testsystem",
        scope=scope,
        digest=digest(secret),
        hint=secret[:10],
        expires_at=expires_at,
        revoked_at=revoked_at,
    )
    run(token.save())
    return {"id": token.id, "secret": secret, "headers": {"Authorization": f"Bearer {secret}"}}
