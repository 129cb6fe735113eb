"""The counts of a statistics view, kept: read once, served many times.

A view's counts come from one pass over the summary's rows of its period (figures._counts and
its siblings): at federal-state scale (3 million events) about 1.5 s for a quarter on
PostgreSQL, the same work for every viewer and every request. Here they are kept as JSON per
(period, scope, chamber) in `StatsCounts`:

- a period that has ended is counted once and kept: nothing counts into a past day (an event
  is counted on the day it happens), so only `portal stats rebuild` changes it, and a rebuild
  forgets every kept count (`forget`);
- a period still running is counted again when its counts are older than
  `STATS_CACHE_SECONDS` (default 10 minutes; the page says when they were counted);
- the worker counts the usual views ahead (stats/ahead.py), so that a viewer rarely waits;
- a view nobody counted ahead (a custom range) is counted off the request (stats/counting.py):
  the page waits briefly, then says the figures are being counted and asks again.

The disclosure control is not kept: it runs on every request over the counts (a few ms), so
a change of its rules applies at once. With `STATS_CACHE_SECONDS=0` nothing is kept (tests)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from portal.clock import now
from portal.stats.tables import StatsCounts

Counts = dict[str, Any]
_seconds = 600


def configure(*, seconds: int) -> None:
    """How long the counts of a running period are kept (the settings' STATS_CACHE_SECONDS)."""
    global _seconds
    _seconds = seconds


def keeping() -> bool:
    return _seconds > 0


@dataclass(frozen=True)
class Job:
    """The counts of one view: kept under `key`; `closed` when its period has ended."""

    key: str
    closed: bool
    count: Callable[[], Awaitable[Counts]]


async def fresh(key: str, *, within: float = 1.0) -> Counts | None:
    """The counts kept under `key` while they are fresh enough (younger than `within` of
    STATS_CACHE_SECONDS, or of a period that had ended); None when there are none such."""
    row = await (
        StatsCounts.select(StatsCounts.counts, StatsCounts.closed, StatsCounts.counted_at)
        .where(StatsCounts.key == key)
        .first()
    )
    if row is not None and (row["closed"] or _age(row["counted_at"]) < _seconds * within):
        counts: Counts = json.loads(row["counts"])
        return counts
    return None


async def kept(job: Job, *, within: float = 1.0, counted: list[str] | None = None) -> Counts:
    """The job's kept counts while they are fresh enough, else counted now and kept. A key
    counted anew is added to `counted`."""
    if _seconds <= 0:
        return await job.count()
    found = await fresh(job.key, within=within)
    if found is not None:
        return found
    found = await job.count()
    await keep(job, found)
    if counted is not None:
        counted.append(job.key)
    return found


def _age(counted_at: dt.datetime | str) -> float:
    if isinstance(counted_at, str):  # SQLite
        counted_at = dt.datetime.fromisoformat(counted_at)
    if counted_at.tzinfo is None:
        counted_at = counted_at.replace(tzinfo=dt.UTC)
    return (now() - counted_at).total_seconds()


async def keep(job: Job, counts: Counts) -> None:
    """Insert or replace (two processes counting at once: the later one's stay)."""
    row = StatsCounts(
        key=job.key,
        counts=json.dumps(counts, separators=(",", ":")),
        closed=job.closed,
        counted_at=now(),
    )
    await StatsCounts.insert(row).on_conflict(
        target=StatsCounts.key,
        action="DO UPDATE",
        values=[StatsCounts.counts, StatsCounts.closed, StatsCounts.counted_at],
    )


async def forget() -> None:
    """Every kept count (the summary was rebuilt)."""
    await StatsCounts.delete(force=True)
