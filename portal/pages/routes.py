"""The legal pages, the favicon and the health endpoints (the home page: portal/home)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from litestar import Router, get
from litestar.response import File, Response, Template

from portal.accounts.tables import Organisation
from portal.auth import PUBLIC
from portal.i18n import current_language
from portal.pages.services import site_text
from portal.settings import ROOT
from portal.storage import ScannedStorage
from portal.templating import page
from portal.web import AnyRequest

log = logging.getLogger("portal.ready")


def _legal_page(slug: str, template: str):  # type: ignore[no-untyped-def]
    @get(f"/{slug}", name=f"pages:{slug}", opt=PUBLIC)
    async def handler(request: AnyRequest) -> Template:
        return page(template, text=await site_text(slug, current_language()))

    return handler


accessibility = _legal_page("accessibility", "pages/accessibility.html")
imprint = _legal_page("imprint", "pages/imprint.html")
privacy = _legal_page("privacy", "pages/privacy.html")


FAVICON = ROOT / "static" / "img" / "favicon.ico"


@get("/favicon.ico", name="favicon", opt=PUBLIC, include_in_schema=False)
async def favicon() -> File:
    """Browsers ask for /favicon.ico whatever the page links; the same icon as the SVG one."""
    return File(
        FAVICON,
        media_type="image/x-icon",
        content_disposition_type="inline",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@get("/healthz", name="healthz", opt=PUBLIC)
async def healthz() -> dict[str, str]:
    """The process is up (no dependency is asked)."""
    return {"status": "ok"}


# A probe that waits longer than this is as good as a failure: load balancers give up sooner.
READY_TIMEOUT_SECONDS = 3


@get("/readyz", name="readyz", opt=PUBLIC)
async def readyz(request: AnyRequest) -> Response[dict[str, Any]]:
    """Ready to serve: the database, the document storage and (when configured) the virus
    scanner answer within seconds."""
    storage = request.app.state.storage
    checks: dict[str, Callable[[], Awaitable[object]]] = {
        "database": Organisation.count,
        "storage": storage.check,
    }
    if isinstance(storage, ScannedStorage):
        checks["scanner"] = storage.scanner.ping
    failing: list[str] = []
    for name, check in checks.items():
        try:
            with anyio.fail_after(READY_TIMEOUT_SECONDS):
                await check()
        except Exception as exc:
            log.warning("not ready", extra={"failing": name, "error": type(exc).__name__})
            failing.append(name)
    if failing:
        return Response({"status": "unavailable", "failing": failing}, status_code=503)
    return Response({"status": "ok"}, status_code=200)


router = Router(
    path="/", route_handlers=[accessibility, imprint, privacy, favicon, healthz, readyz]
)
