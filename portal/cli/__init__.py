"""The `portal` command: serve, migrate, create an operator admin, seed demo data, jobs."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys

import click

from portal import i18n
from portal.accounts.passwords import password_problems
from portal.admin.demo import seed_console
from portal.api.demo import seed_tokens as seed_api_tokens
from portal.audit import chain
from portal.candidates import privacy
from portal.candidates.demo import seed_candidates
from portal.candidates.key_rotation import RotationError, rotate_identities
from portal.candidates.vault import Vault
from portal.cli import reference_commands
from portal.cli.common import bind as _bind
from portal.cli.common import settings as _settings
from portal.clock import today
from portal.demo import DEMO_PASSWORD, create_operator_admin, seed
from portal.employers.slots import expire_slots as expire
from portal.logs import configure_logging
from portal.placements.demo import seed_placements, summary
from portal.reference.limits import load_limits
from portal.settings import ROOT, new_identity_key
from portal.stats import summary as stats_summary
from portal.stats.demo import seed_history
from portal.storage import storage_from_settings
from portal.webhooks.demo import register_demo_webhook, settle_demo_webhook
from portal.worker import run_worker


@click.group()
def main() -> None:
    """Placement portal."""
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

    async def load() -> tuple[list[tuple[str, str, str]], int, dict[str, int], int]:
        accounts = await seed()
        tokens.extend(await seed_api_tokens())
        candidates = await seed_candidates(settings)
        # The workshop's webhook hears the demo's placements, then waits paused.
        await register_demo_webhook()
        placements = await seed_placements()
        await settle_demo_webhook()
        flagged = await seed_console()
        # The past year of the district, so that the statistics show figures.
        await seed_history()
        # The demo dates its history into the past after the events were counted today.
        await stats_summary.rebuild()
        return accounts, candidates, placements, flagged

    tokens: list[tuple[str, str]] = []
    accounts, candidates, placements, flagged = asyncio.run(load())
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    for email, role, organisation in accounts:
        click.echo(f"  {email:<38} {role:<18} {organisation}")
    click.echo(f"\nDemo candidates: {candidates} (fictional people, identities encrypted)")
    click.echo(f"Placements: {summary(placements)}")
    click.echo(f"Console: {flagged} placements flagged for the coordination office")
    click.echo("\nDemo API tokens (Authorization: Bearer …; try docs/api_client_example.py)")
    for email, secret in tokens:
        click.echo(f"  {email:<38} {secret}")
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


@main.command("expire-slots")
def expire_slots() -> None:
    """Mark open and paused slots whose last day has passed as expired (safe to run any time)."""
    settings = _settings()
    _bind(settings)

    # The one log line with the count, for the scheduler's log (no audit event per slot).
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    count = asyncio.run(expire(today()))
    click.echo(f"{count} slot(s) expired.")


@main.command("erase-expired")
@click.option("--dry-run", is_flag=True, help="list what would be erased, change nothing")
def erase_expired(dry_run: bool) -> None:
    """Erase the personal data of cases whose retention period has ended (safe to repeat).

    A case is due RETENTION_MONTHS months after it was closed or consent was withdrawn.
    """
    settings = _settings()
    _bind(settings)

    configure_logging(fmt=settings.log_format, level=settings.log_level)
    result = asyncio.run(
        privacy.erase_expired(settings, storage_from_settings(settings), dry_run=dry_run)
    )
    for due in result.due:
        why = "case closed" if due.reason == privacy.RetentionReason.closed else "consent withdrawn"
        click.echo(f"{due.code}  {due.organisation}  {why} since {due.since.date().isoformat()}")
    if dry_run:
        click.echo(f"{len(result.due)} candidate(s) would be erased (dry run: nothing changed).")
        return
    click.echo(f"{result.erased} candidate(s) erased.")
    if result.failed:
        raise click.ClickException(
            f"{len(result.failed)} candidate(s) could not be erased and stay due: "
            + ", ".join(result.failed)
        )


@main.group()
def audit() -> None:
    """The audit log: append-only, each row chained to the one before it."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; name the first row that breaks it (exit code 1)."""
    _bind(_settings())

    result = asyncio.run(chain.verify())
    if result.broken is not None:
        where = f"row {result.broken.row_id}" if result.broken.row_id else "the chain"
        click.echo(f"audit log broken: {where} {result.broken.problem}", err=True)
        sys.exit(1)
    click.echo(f"audit log intact: {result.rows} row(s) verified.")


@audit.command("remove-expired")
def audit_remove_expired() -> None:
    """Delete audit rows older than the audit retention period (the worker runs it daily)."""
    settings = _settings()
    _bind(settings)

    async def remove() -> int:
        limits = await load_limits(settings)
        return await chain.remove_expired(chain.retention_cutoff(limits.audit_retention_months))

    click.echo(f"{asyncio.run(remove())} audit row(s) older than the retention period removed.")


@main.group("stats")
def stats() -> None:
    """The statistics' summary of the placement events."""


@stats.command("rebuild")
@click.option("--check", is_flag=True, help="only compare with the maintained summary")
def stats_rebuild(check: bool) -> None:
    """Recompute the summary from the placement events; say whether it equalled the kept one."""
    settings = _settings()
    _bind(settings)
    result = asyncio.run(stats_summary.rebuild(write=not check))
    click.echo(f"{result.events} event(s) read, {result.rows} summary row(s).")
    if result.equal:
        click.echo("The maintained summary equals the one recomputed from the events.")
        return
    if check:
        raise click.ClickException(
            f"{result.differences} summary row(s) differ from the events (nothing changed; "
            "run without --check to replace them)"
        )
    click.echo(f"{result.differences} summary row(s) differed and were replaced.")


@main.group("identity-key")
def identity_key() -> None:
    """The key that encrypts candidate identities."""


@identity_key.command("new")
def identity_key_new() -> None:
    """Print a fresh key for IDENTITY_KEY."""
    click.echo(new_identity_key())


@identity_key.command("rotate")
def identity_key_rotate() -> None:
    """Re-encrypt every identity under IDENTITY_KEY (older keys in IDENTITY_OLD_KEYS)."""
    settings = _settings()
    _bind(settings)

    try:
        result = asyncio.run(rotate_identities(Vault(settings.identity_keys)))
    except RotationError as exc:
        done = exc.rotation
        click.echo(f"re-sealed {done.resealed} identities, {done.current} already current")
        raise click.ClickException(f"stopped: {exc}") from None
    click.echo(f"re-sealed {result.resealed} identities, {result.current} already current")


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


@main.command()
@click.option(
    "--once", is_flag=True, help="one round (send the due e-mails, run the jobs), then exit"
)
def worker(once: bool) -> None:
    """Send the outbox's e-mails and run the scheduled jobs, every WORKER_INTERVAL_SECONDS.

    Reminders, upcoming starts, evaluations and follow-ups due; once a day also expired slots
    and erasures past the retention period. Several workers may run at once. SIGTERM or Ctrl+C
    stops it after the current round.
    """
    settings = _settings()
    _bind(settings)

    configure_logging(fmt=settings.log_format, level=settings.log_level)
    asyncio.run(run_worker(settings, once=once))


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_context
def run_all(ctx: click.Context, host: str, port: int) -> None:
    """Serve the portal and run the worker beside it (development: `make run`)."""
    import signal
    import subprocess

    _settings()
    # The worker is a process of its own, as in production; Ctrl+C reaches both (one process
    # group), and when the server stops for any other reason the worker is stopped with it.
    worker_process = subprocess.Popen([sys.executable, "-m", "portal.cli", "worker"])
    try:
        ctx.invoke(serve, host=host, port=port, workers=1, reload=False)
    finally:
        if worker_process.poll() is None:
            worker_process.send_signal(signal.SIGTERM)
        try:
            worker_process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker_process.kill()


main.add_command(reference_commands.load_reference)
main.add_command(reference_commands.import_kldb)
main.add_command(reference_commands.municipality)
main.add_command(reference_commands.programme)


if __name__ == "__main__":
    main()
