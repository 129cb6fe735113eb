"""CPU-heavy work off the event loop, a bounded number at a time (issue 14).

argon2 (~100 ms a hash or verification) and the PII guard over free text run in worker threads,
so that the event loop keeps answering everyone else (`/healthz` within 100 ms) meanwhile. The
limiter bounds how many run at once: a burst of logins queues here instead of taking all of
anyio's default threads (40, shared with the file and database work) and argon2's memory
(64 MiB a hash with the default parameters). Contextvars (the request's language) go along.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, TypeVarTuple

import anyio
from anyio.lowlevel import RunVar

# Two cores on the machines we run on: more threads than that only queue inside the GIL or
# argon2; a few extra let a short PII check through while two hashes run.
CPU_THREADS = 4

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

# One limiter per event loop: a limiter is bound to the loop it first waits on, and the tests
# run apps on several loops one after the other.
_limiter: RunVar[anyio.CapacityLimiter] = RunVar("cpu_limiter")


def limiter() -> anyio.CapacityLimiter:
    try:
        return _limiter.get()
    except LookupError:
        created = anyio.CapacityLimiter(CPU_THREADS)
        _limiter.set(created)
        return created


async def run_cpu_bound(func: Callable[[*Ts], T], *args: *Ts) -> T:
    """`func(*args)` in a worker thread, at most CPU_THREADS at a time."""
    return await anyio.to_thread.run_sync(func, *args, limiter=limiter())


async def run_cpu_bound_within(seconds: float, func: Callable[[*Ts], T], *args: *Ts) -> T:
    """`func(*args)` as run_cpu_bound, but the caller waits at most `seconds` (TimeoutError).

    A thread cannot be stopped: on the time-out it is left to finish on its own and the request
    goes on. What runs here must be bounded by its input too (uploads: the size limit, the pixel
    cap), so that an abandoned thread ends soon after.
    """
    with anyio.fail_after(seconds):
        return await anyio.to_thread.run_sync(
            func, *args, limiter=limiter(), abandon_on_cancel=True
        )
