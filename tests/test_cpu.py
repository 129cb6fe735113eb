"""CPU-heavy work runs in worker threads, at most CPU_THREADS at a time (portal.cpu)."""

import threading
import time
from typing import Any

import anyio

from portal.cpu import CPU_THREADS, run_cpu_bound


def run_fresh(main: Any, *args: Any) -> Any:
    """anyio.run in a thread of its own: an earlier test of this worker (the browser tests'
    sync API) may leave an event loop running in the main thread."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = anyio.run(main, *args)
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_it_runs_at_most_cpu_threads_at_a_time() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    async def main() -> None:
        async with anyio.create_task_group() as tasks:
            for _ in range(CPU_THREADS * 3):
                tasks.start_soon(run_cpu_bound, work)

    run_fresh(main)
    assert most == CPU_THREADS


def test_it_leaves_the_event_loop_free_meanwhile() -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await anyio.sleep(0.01)

    async def main() -> None:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(tick)
            await run_cpu_bound(time.sleep, 0.3)
            tasks.cancel_scope.cancel()

    run_fresh(main)
    assert ticks >= 10


def test_it_works_on_one_event_loop_after_another() -> None:
    for _ in range(2):
        assert run_fresh(run_cpu_bound, sum, [1, 2]) == 3
