"""CPU-heavy work runs in worker threads, at most CPU_THREADS at a time (portal.cpu)."""

import threading
import time

import anyio

from portal.cpu import CPU_THREADS, run_cpu_bound


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

    anyio.run(main)
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

    anyio.run(main)
    assert ticks >= 10


def test_it_works_on_one_event_loop_after_another() -> None:
    for _ in range(2):
        assert anyio.run(run_cpu_bound, sum, [1, 2]) == 3
