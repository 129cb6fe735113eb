"""The `portal` command: serve, migrate, create an operator admin, seed demo data."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys

import click

from portal.settings import ROOT, Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(f"configuration: {exc}") from None


def _bind(settings: Settings) -> None:
    from portal.db import bind_tables, engine_from_url

    # piccolo_conf reads DATABASE_URL too; keep both on the same database.
    os.environ["DATABASE_URL"] = settings.database_url
    bind_tables(engine_from_url(settings.database_url))


@click.group()
def main() -> None:
    """Placement portal."""
    from portal import i18n

    # Operators' tool: messages in English, like click's own.
    i18n.set_language("en")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))


@main.command()
def migrate() -> None:
    """Run every pending database migration (safe to run repeatedly)."""
    settings = _settings()
    _bind(settings)
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = asyncio.run(run_forwards(app_name="all"))
    if not result.success:
        raise click.ClickException(f"migrations failed: {result.message}")
    click.echo("Database is up to date.")


@main.command("create-operator")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--organisation", default="Koordinierungsstelle", show_default=True)
def create_operator(email: str, display_name: str, organisation: str) -> None:
    """Create an operator admin (the password is asked for, or read from PORTAL_PASSWORD)."""
    settings = _settings()
    _bind(settings)
    from portal.accounts.passwords import password_problems
    from portal.demo import create_operator_admin

    password = os.environ.get("PORTAL_PASSWORD") or getpass.getpass("Password: ")
    problems = password_problems(password, email)
    if problems:
        raise click.ClickException(" ".join(problems))
    try:
        asyncio.run(create_operator_admin(email, display_name, organisation, password))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("Operator admin created.")


@main.command("seed-demo")
def seed_demo() -> None:
    """Load the demo district (idempotent) and print the demo accounts."""
    settings = _settings()
    if settings.is_production:
        raise click.ClickException("demo data is refused in production")
    _bind(settings)
    from portal.demo import DEMO_PASSWORD, seed

    accounts = asyncio.run(seed())
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    for email, role, organisation in accounts:
        click.echo(f"  {email:<38} {role:<18} {organisation}")
    click.echo("")


@main.command("purge-sessions")
def purge_sessions() -> None:
    """Delete expired sessions and throttle entries from the file store (Redis expires its own)."""
    settings = _settings()
    if settings.redis_url:
        click.echo("Redis expires sessions by itself; nothing to do.")
        return
    from litestar.stores.file import FileStore

    async def purge() -> None:
        for name in ("sessions", "throttle"):
            await FileStore(settings.var_dir / name, create_directories=True).delete_expired()

    asyncio.run(purge())
    click.echo("Expired sessions deleted.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="restart on code changes (development)")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the portal."""
    import uvicorn

    settings = _settings()
    click.echo(f"Serving the portal on {settings.base_url} (Ctrl+C to stop)")
    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=None,
        access_log=False,
    )
