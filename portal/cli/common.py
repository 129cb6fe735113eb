"""What every `portal` command shares: the settings and the database binding."""

from __future__ import annotations

import os
from pathlib import Path

import click

from portal.db import bind_tables, engine_from_url
from portal.placements.subscriptions import subscribe
from portal.settings import Settings, SettingsError
from portal.stats import summary as stats_summary
from portal.webhooks import subscriptions as webhook_subscriptions

# `main` moves into the project folder; file arguments are relative to where the command ran.
STARTED_IN = Path.cwd()


def settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(f"configuration: {exc}") from None


def bind(settings: Settings) -> None:
    # piccolo_conf reads DATABASE_URL too; keep both on the same database.
    os.environ["DATABASE_URL"] = settings.database_url
    bind_tables(engine_from_url(settings.database_url))
    # Erasure (erase-expired, the worker) must reach the placements too.
    subscribe()
    # Every placement event (the demo's, the jobs') is counted by the statistics.
    stats_summary.subscribe()
    # ... and reaches the organisations' webhooks.
    webhook_subscriptions.subscribe()
