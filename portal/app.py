"""create_app(settings): the one place where routers, plugins and middleware meet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from litestar import Litestar, Response
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException, InternalServerException
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp, Receive, Scope, Send
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from portal import events, i18n, live
from portal.accounts import passwords
from portal.accounts.routes import router as accounts_router
from portal.accounts.team_routes import router as team_router
from portal.admin.audit_routes import router as admin_audit_router
from portal.admin.board_routes import team_router as team_board_router
from portal.admin.reference_routes import router as admin_reference_router
from portal.admin.routes import router as admin_router
from portal.api.problems import problem_response
from portal.api.router import api_router
from portal.api.schema import openapi_config
from portal.api.token_routes import router as api_token_router
from portal.auth import PUBLIC, default_deny, undeclared_routes
from portal.candidates import labels as candidate_labels
from portal.candidates.consent_routes import router as consent_router
from portal.candidates.document_routes import router as document_router
from portal.candidates.identity_routes import router as identity_router
from portal.candidates.privacy_routes import router as privacy_router
from portal.candidates.profile_routes import router as profile_router
from portal.candidates.routes import router as candidates_router
from portal.candidates.vault import Vault
from portal.db import bind_tables, engine_from_url
from portal.edge import PortalRequest, head_as_get
from portal.employers.company_routes import router as company_router
from portal.employers.routes import router as employers_router
from portal.employers.slot_routes import router as slot_router
from portal.errors import handle_exception, static_file_error
from portal.files import FORM_MAX_BYTES
from portal.home.routes import router as home_router
from portal.imports.routes import router as imports_router
from portal.logs import configure_logging
from portal.mail import Mailer
from portal.middleware import (
    API_PREFIX,
    CSRF_COOKIE,
    ReadsOnOneConnection,
    RequestContextMiddleware,
    RequestTimeout,
)
from portal.pages.routes import router as pages_router
from portal.placements.effects import live_topics
from portal.placements.link_routes import router as links_router
from portal.placements.matching_routes import router as matching_router
from portal.placements.nomination_routes import router as nomination_router
from portal.placements.preparation_routes import router as preparation_router
from portal.placements.routes import router as placements_router
from portal.placements.search_routes import router as search_router
from portal.placements.subscriptions import subscribe as subscribe_placements
from portal.reference.routes import router as reference_router
from portal.security import security_headers
from portal.sessions import SessionManager
from portal.settings import ROOT, Settings
from portal.stats import cache as stats_cache
from portal.stats import counting as stats_counting
from portal.stats.routes import router as stats_router
from portal.stats.summary import subscribe as subscribe_stats
from portal.storage import storage_from_settings
from portal.templating import create_environment
from portal.throttle import LoginThrottle
from portal.web import AnyRequest
from portal.webhooks.routes import router as webhooks_router
from portal.webhooks.subscriptions import subscribe as subscribe_webhooks

log = logging.getLogger("portal")


def publish_changes(hub: live.Hub) -> Callable[[ASGIApp], ASGIApp]:
    """Middleware: collect the placements a request changed (PLACEMENT_CHANGED) and, once it
    is done and its transaction committed, tell their live topics (portal.live)."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
                await app(scope, receive, send)
                return
            token = live.start_collecting()
            try:
                await app(scope, receive, send)
            finally:
                changed = live.collected(token)
            if changed:
                try:
                    await hub.publish(await live_topics(changed))
                except Exception:  # a live update is a convenience: never fail the request
                    log.warning("live update not published", exc_info=True)

        return handle

    return middleware


def handle_error(request: AnyRequest, exc: Exception) -> Response[Any]:
    """Problem details under /api/ (also for its unknown paths), the error pages elsewhere."""
    if request.url.path.startswith(API_PREFIX):
        return problem_response(request, exc)
    return handle_exception(request, exc)


def _stores(settings: Settings) -> dict[str, Store]:
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        root = RedisStore.with_client(url=settings.redis_url, namespace="portal")
        return {
            "sessions": root.with_namespace("sessions"),
            "throttle": root.with_namespace("throttle"),
        }
    return {
        "sessions": FileStore(settings.var_dir / "sessions", create_directories=True),
        "throttle": FileStore(settings.var_dir / "throttle", create_directories=True),
    }


def configure_process(settings: Settings, engine: Engine) -> None:
    """The process-wide parts of an app: logging, password hashing, the tables' engine, the
    catalogues. create_app sets them; a process that serves several apps in turn (the tests)
    sets them again for the app it serves next."""
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    passwords.configure(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    bind_tables(engine)
    i18n.load_catalogues()
    # The request's changed placements, for the live updates (publish_changes).
    events.subscribe(live.PLACEMENT_CHANGED, live.note_change)
    # What the placements do when the candidates announce a withdrawal or an erasure.
    subscribe_placements()
    # The statistics count every event of a placement, in its transaction.
    subscribe_stats()
    stats_cache.configure(seconds=settings.stats_cache_seconds)
    # The organisations' webhooks hear the placements' events, in their transaction.
    subscribe_webhooks()


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> Litestar:
    """The app for `settings`, on `engine` if given (the tests' engine of their worker's
    database), else on an engine built from the settings' DATABASE_URL."""
    settings = settings or Settings.from_env()
    engine = engine or engine_from_url(settings.database_url)
    configure_process(settings, engine)
    stores = _stores(settings)
    sessions = SessionManager(
        stores["sessions"],
        idle_seconds=settings.session_idle_minutes * 60,
        absolute_seconds=settings.session_absolute_hours * 3600,
    )
    throttle = LoginThrottle(
        stores["throttle"],
        per_account=settings.login_throttle_account,
        per_address=settings.login_throttle_address,
        window_seconds=settings.login_throttle_minutes * 60,
    )
    environment = create_environment()
    environment.globals["candidate_status"] = candidate_labels.status_badge

    async def open_pool() -> None:
        if isinstance(engine, PostgresEngine) and settings.database_pool_size:
            await engine.start_connection_pool(max_size=settings.database_pool_size)

    async def close_pool() -> None:
        # The statistics' counts in the background first: they hold connections of the pool.
        await stats_counting.counting().settle()
        if isinstance(engine, PostgresEngine) and engine.pool is not None:
            await engine.close_connection_pool()
        await hub.close()

    hub = live.create_hub(settings.redis_url)

    static = create_static_files_router(
        path="/static",
        directories=[ROOT / "static"],
        name="static",
        opt=PUBLIC,
        include_in_schema=False,
        exception_handlers={
            ValueError: static_file_error,
            InternalServerException: static_file_error,
        },
    )
    app = Litestar(
        route_handlers=[
            home_router,
            pages_router,
            accounts_router,
            team_router,
            api_token_router,
            webhooks_router,
            imports_router,
            employers_router,
            company_router,
            slot_router,
            admin_router,
            admin_audit_router,
            admin_reference_router,
            team_board_router,
            reference_router,
            search_router,
            candidates_router,
            identity_router,
            profile_router,
            consent_router,
            document_router,
            privacy_router,
            matching_router,
            nomination_router,
            placements_router,
            links_router,
            preparation_router,
            stats_router,
            api_router(),
            static,
        ],
        # Default deny: a route that declares no audience (portal.auth.guards) is refused.
        guards=[default_deny],
        middleware=[
            # Outermost: the time a request may take includes reading its form (CSRF).
            RequestTimeout(settings.request_timeout_seconds),
            publish_changes(hub),
            RequestContextMiddleware(
                sessions, secure_cookies=settings.cookie_secure, csrf_secret=settings.secret_key
            ),
            # Innermost: the pages that only read share one SQLite connection.
            ReadsOnOneConnection(engine),
        ],
        # Forms only; the upload routes set None and apply UploadLimit (portal.files).
        request_max_body_size=FORM_MAX_BYTES,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=CSRF_COOKIE,
            cookie_secure=settings.cookie_secure,
            cookie_httponly=True,
            cookie_samesite="lax",
            header_name="x-csrftoken",
            # The API authenticates by token, never by cookie (portal.api.auth).
            exclude=["/healthz", "/readyz", "/static/", "/favicon.ico", API_PREFIX],
        ),
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment)),
        plugins=[HTMXPlugin()],
        request_class=PortalRequest,
        before_send=[security_headers(https=settings.https)],
        exception_handlers={HTTPException: handle_error, Exception: handle_error},
        on_startup=[open_pool],
        on_shutdown=[close_pool],
        stores=stores,
        state=State(
            {
                "settings": settings,
                "engine": engine,
                "sessions": sessions,
                "throttle": throttle,
                "mailer": Mailer(settings, environment),
                "storage": storage_from_settings(settings),
                "vault": Vault(settings.identity_keys),
                "live": hub,
            }
        ),
        # The OpenAPI document describes the API only (its router includes itself).
        openapi_config=openapi_config(),
        include_in_schema=False,
        logging_config=None,
        debug=False,
    )
    refuse_undeclared_routes(app)
    # Before the routing, which answers HEAD with 405 where a route declares only GET.
    app.asgi_handler = head_as_get(app.asgi_handler)
    return app


def refuse_undeclared_routes(app: Litestar) -> None:
    """The app does not start with a route that declares neither an audience nor PUBLIC."""
    undeclared = undeclared_routes(app)
    if undeclared:
        raise RuntimeError(
            "Routes without a declared audience (add a guard from portal.auth or opt=PUBLIC): "
            + "; ".join(undeclared)
        )
