"""The demo's webhook: the metal workshop's HR system hears its nominations and placements.

Registered before the placements' demo runs, so that their events write real deliveries; then
marked as delivered and the endpoint paused — its address is fictional (.example never
resolves), and a running demo worker would otherwise fail at it for three days."""

from __future__ import annotations

from portal.accounts.tables import User
from portal.clock import now
from portal.webhooks.endpoints import new_secret
from portal.webhooks.tables import HookEvent, WebhookDelivery, WebhookEndpoint

ADMIN = "chef@metallbau.demo.portal.test"
URL = "https://personal.metallbau-schmidt.example/praktikumsportal/webhook"


async def register_demo_webhook() -> None:
    """The endpoint (once; a second seed finds it)."""
    admin = await User.select(User.id, User.organisation).where(User.email == ADMIN).first()
    if admin is None or await WebhookEndpoint.exists().where(WebhookEndpoint.url == URL):
        return
    secret = new_secret()
    await WebhookEndpoint.insert(
        WebhookEndpoint(
            organisation=admin["organisation"],
            created_by=admin["id"],
            url=URL,
            events=[event.value for event in HookEvent],
            secret=secret,
            hint=secret[:10],
            created_at=now(),
        )
    )


async def settle_demo_webhook() -> int:
    """The demo's deliveries as delivered, the endpoint paused; how many deliveries it has."""
    endpoint = (
        await WebhookEndpoint.select(WebhookEndpoint.id).where(WebhookEndpoint.url == URL).first()
    )
    if endpoint is None:
        return 0
    mine = WebhookDelivery.endpoint == endpoint["id"]
    await WebhookDelivery.update(
        {
            WebhookDelivery.delivered_at: WebhookDelivery.available_at,
            WebhookDelivery.attempts: 1,
            WebhookDelivery.last_status: 204,
        }
    ).where(mine & WebhookDelivery.delivered_at.is_null())
    await WebhookEndpoint.update({WebhookEndpoint.paused_at: now()}).where(
        (WebhookEndpoint.id == endpoint["id"]) & WebhookEndpoint.paused_at.is_null()
    )
    return await WebhookDelivery.count().where(mine)  # type: ignore[no-any-return]
