"""The demo district's API tokens: one for the metal workshop's admin, the job centre's team
lead and the chamber's statistics viewer, with known secrets (seed-demo refuses production,
like the demo passwords), so that the API and docs/api_client_example.py can be tried at once.
"""

from __future__ import annotations

from portal.accounts.tables import User
from portal.api.tables import ApiToken, TokenScope
from portal.api.tokens import digest

# e-mail of the demo user → (the token's name, scope, secret).
DEMO_TOKENS = {
    "chef@metallbau.demo.portal.test": (
        "Personalsoftware (Demo)",
        TokenScope.read_write,
        "ppt_demo-metallbau-0000000000000000000000000000",
    ),
    "teamleitung@demo.portal.test": (
        "Fallmanagement-Software (Demo)",
        TokenScope.read_write,
        "ppt_demo-jobcenter-0000000000000000000000000000",
    ),
    "statistik@ihk.demo.portal.test": (
        "Berichtswesen (Demo)",
        TokenScope.read,
        "ppt_demo-ihk-statistik-000000000000000000000000",
    ),
}


async def seed_tokens() -> list[tuple[str, str]]:
    """The demo tokens (idempotent); (e-mail, secret) of each."""
    made = []
    for email, (name, scope, secret) in DEMO_TOKENS.items():
        user = await User.select(User.id, User.organisation).where(User.email == email).first()
        if user is None:
            continue
        if not await ApiToken.exists().where(ApiToken.digest == digest(secret)):
            await ApiToken.insert(
                ApiToken(
                    organisation=user["organisation"],
                    created_by=user["id"],
                    name=name,
                    scope=scope,
                    digest=digest(secret),
                    hint=secret[:10],
                )
            )
        made.append((email, secret))
    return made
