"""Counting off the request: a view whose counts are not kept is counted in the background.

A view nobody counted ahead (a custom range of up to three years, and the period before it
for the comparison) takes up to a minute to count at federal-state scale — longer than a
request may run (REQUEST_TIMEOUT_SECONDS), all the while holding a database connection. So
the request starts the count as a task of the app process and waits only `WAIT_SECONDS` for
it; a count still running then is the page's "being counted" state, which asks again until
the task has kept the counts (cache.keep) and the next request finds them.

- One count per key at a time in a process: a second viewer asking for the same view joins
  the running task instead of starting another.
- At most `AT_ONCE` counts run at once per process (each holds a database connection and
  keeps the database busy); at most `QUEUED` more wait their turn, and a view beyond them is
  not started (its page says "could not be counted, try again in a moment"), so that a run of
  custom ranges cannot pile up hours of counting. A count is stopped after `COUNT_SECONDS`.
- A failed count is logged and kept as failed until a request for its key sees it (that
  page says so and offers to try again); the next request counts again.
- With STATS_CACHE_SECONDS=0 nothing is kept, so nothing could be served later: the counts
  are made in the request, as before (the tests' default).

Several app processes do not know each other's tasks: a view asked in two of them at once is
counted in both (the later count's rows stay), which the bound per process keeps affordable.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from portal.logs import request_id_var
from portal.stats import cache

log = logging.getLogger("portal.stats")

# How long a request waits for a count before it answers "being counted" (a month at
# federal-state scale takes ~1.4 s on PostgreSQL: mostly served at once, counted ahead anyway).
WAIT_SECONDS = 1.5
AT_ONCE = 2
QUEUED = 8
COUNT_SECONDS = 300
# How soon the waiting page asks again (htmx polling, Retry-After).
ASK_AGAIN_SECONDS = 2

_wait = WAIT_SECONDS


def configure(*, wait_seconds: float = WAIT_SECONDS) -> None:
    """How long a request waits for a count (the tests choose 0: never)."""
    global _wait
    _wait = wait_seconds


@dataclass(frozen=True)
class NotReady:
    """The counts are still being counted, or (`failed`) their count failed."""

    failed: bool = False


class Counting:
    """The counts running in the background on one event loop, by key."""

    def __init__(self) -> None:
        self.tasks: dict[str, asyncio.Task[cache.Counts | None]] = {}
        self.slots = asyncio.Semaphore(AT_ONCE)
        self.started = 0  # counts started since the loop began (the tests read it)

    def start(self, job: cache.Job) -> asyncio.Task[cache.Counts | None] | None:
        """The task counting `job`: the running (or failed) one of its key, else a new one —
        none when `AT_ONCE` + `QUEUED` counts are running or waiting already."""
        task = self.tasks.get(job.key)
        if task is not None:
            return task
        if len(self.tasks) >= AT_ONCE + QUEUED:
            log.warning("statistics counting busy", extra={"key": job.key})
            return None
        # A context of its own: never the request's (its transaction, its connection on
        # SQLite, which end with the request); the request id goes along for the logs.
        context = contextvars.Context()
        context.run(request_id_var.set, request_id_var.get())
        task = asyncio.create_task(self._count(job), name=f"stats {job.key}", context=context)
        self.tasks[job.key] = task
        self.started += 1
        return task

    async def _count(self, job: cache.Job) -> cache.Counts | None:
        async with self.slots:
            started = time.perf_counter()
            try:
                # Counted and kept meanwhile by another process, or by the worker?
                found = await cache.fresh(job.key)
                if found is None:
                    async with asyncio.timeout(COUNT_SECONDS):
                        found = await job.count()
                    await cache.keep(job, found)
            except Exception as error:
                # The key names a scope, a chamber and dates: never a person.
                log.exception(
                    "statistics count failed",
                    extra={"key": job.key, "error": type(error).__name__},
                )
                return None  # kept as failed until a request for the key sees it
            seconds = round(time.perf_counter() - started, 2)
            log.info("statistics counted", extra={"key": job.key, "seconds": seconds})
        del self.tasks[job.key]
        return found

    def forget(self, key: str) -> None:
        """A failed count, seen: the next request for its key counts again."""
        task = self.tasks.get(key)
        if task is not None and task.done():
            del self.tasks[key]

    async def settle(self) -> None:
        """Stop every count (the app shuts down)."""
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        self.tasks.clear()


_countings: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Counting] = (
    weakref.WeakKeyDictionary()
)


def counting() -> Counting:
    """The counts of the running event loop (the app's; a test client runs one of its own)."""
    loop = asyncio.get_running_loop()
    found = _countings.get(loop)
    if found is None:
        found = _countings[loop] = Counting()
    return found


def running() -> int:
    """Counts still running in this process, on any loop (a test waits for none to be left)."""
    tasks = [task for each in list(_countings.values()) for task in list(each.tasks.values())]
    return sum(1 for task in tasks if not task.done())


async def counts(jobs: Sequence[cache.Job]) -> list[cache.Counts] | NotReady:
    """The counts of `jobs`: kept ones, or counted in the background and waited for briefly;
    NotReady while a count still runs or when one failed."""
    if not cache.keeping():
        return [await job.count() for job in jobs]
    found = [await cache.fresh(job.key) for job in jobs]
    if all(counts is not None for counts in found):
        return [counts for counts in found if counts is not None]
    mine = counting()
    started = {
        job.key: mine.start(job) for job, kept in zip(jobs, found, strict=True) if kept is None
    }
    tasks = {key: task for key, task in started.items() if task is not None}
    if len(tasks) < len(started):
        return NotReady(failed=True)  # too many counts waiting: "try again in a moment"
    if _wait > 0:
        # Never cancels the tasks: a request stopped meanwhile leaves its count running.
        await asyncio.wait(tasks.values(), timeout=_wait)
    if not all(task.done() for task in tasks.values()):
        return NotReady()
    counted = {key: None if task.cancelled() else task.result() for key, task in tasks.items()}
    done: list[cache.Counts] = []
    for job, counts in zip(jobs, found, strict=True):
        if counts is None:
            counts = counted[job.key]
        if counts is None:
            for key in tasks:
                mine.forget(key)
            return NotReady(failed=True)
        done.append(counts)
    return done
