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
- the worker counts the usual views ahead (stats/ahead.py), so that a viewer rarely waits.

The disclosure control is not kept: it runs on every request over the counts (a few ms), so
a change of its rules applies at once. With `STATS_CACHE_SECONDS=0` nothing is kept (tests)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
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


async def kept(
    key: str,
    *,
    closed: bool,
    count: Callable[[], Awaitable[Counts]],
    within: float = 1.0,
    counted: list[str] | None = None,
) -> Counts:
    """The counts under `key`: kept ones while they are fresh enough (younger than `within`
    of STATS_CACHE_SECONDS, or of a period that had ended), else `count()`'s, kept. A key
    counted anew is added to `counted`."""
    if _seconds <= 0:
        return await count()
    row = await (
        StatsCounts.select(StatsCounts.counts, StatsCounts.closed, StatsCounts.counted_at)
        .where(StatsCounts.key == key)
        .first()
    )
    if row is not None and (row["closed"] or _age(row["counted_at"]) < _seconds * within):
        counts: Counts = json.loads(row["counts"])
        return counts
    fresh = await count()
    await _keep(key, fresh, closed=closed)
    if counted is not None:
        counted.append(key)
    return fresh


def _age(counted_at: dt.datetime | str) -> float:
    if isinstance(counted_at, str):  # SQLite
        counted_at = dt.datetime.fromisoformat(counted_at)
    if counted_at.tzinfo is None:
        counted_at = counted_at.replace(tzinfo=dt.UTC)
    return (now() - counted_at).total_seconds()


async def _keep(key: str, counts: Counts, *, closed: bool) -> None:
    """Insert or replace (two viewers counting at once: the later one's stay)."""
    row = StatsCounts(
        key=key,
        counts=json.dumps(counts, separators=(",", ":")),
        closed=closed,
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
