"""The app served by uvicorn on a free port of 127.0.0.1, for tests that need real HTTP
(the browser tests, /healthz under load)."""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import uvicorn
from litestar.stores.file import FileStore

from portal.app import configure_process, create_app
from portal.stats import counting
from tests.conftest import POOL, free_port

T = TypeVar("T")


class LiveServer:
    """The app for `settings` on a free port, in a thread, with the worker's database engine."""

    def __init__(self, settings: Any, worker_database: Any) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        engine = worker_database.engine
        self.app = create_app(settings.replace(base_url=self.url), engine=engine)
        if worker_database.pooled:
            # PostgreSQL: a pool of the worker's engine on the server's loop (tests/conftest.py);
            # the app's own shutdown closes the pool of its loop.
            async def open_pool() -> None:
                await engine.start_connection_pool(**POOL)

            self.app.on_startup.append(open_pool)
        self.loop: asyncio.AbstractEventLoop | None = None

        async def note_loop() -> None:
            self.loop = asyncio.get_running_loop()

        self.app.on_startup.append(note_loop)
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=port, log_config=None, access_log=False)
        )
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        _wait_until_up(f"{self.url}/healthz", self.thread)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def begin_test(self, engine: Any) -> None:
        """Ready for the next test: the process-wide parts as this app needs them (a test in
        between may have set them for an app of its own), and the stores' folders in the var
        folder the `settings` fixture emptied, as the app's start-up makes them."""
        configure_process(self.app.state["settings"], engine)
        for name in ("sessions", "throttle"):
            store = self.app.stores.get(name)
            if isinstance(store, FileStore):
                Path(store.path).mkdir(parents=True, exist_ok=True)

    def call(self, function: Callable[[], Awaitable[T]]) -> T:
        """Run `function` on the server's event loop (what lives there: the statistics' counts
        in the background) and return its result."""
        assert self.loop is not None, "the live server has not started"
        return asyncio.run_coroutine_threadsafe(function(), self.loop).result(timeout=30)

    def wait_until_idle(self, seconds: float = 10) -> None:
        """Until no request is running any more (a browser that went away leaves its last
        requests to finish on the server), nor a count of the statistics in the background, so
        that none writes into the next test's database."""
        deadline = time.monotonic() + seconds
        while self.server.server_state.tasks or counting.running():
            assert time.monotonic() < deadline, "the live server is still busy with a request"
            time.sleep(0.01)


@contextmanager
def serve(settings: Any, worker_database: Any) -> Iterator[str]:
    """The app with the test's database, running until the block ends; yields its URL."""
    server = LiveServer(settings, worker_database)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def _wait_until_up(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert thread.is_alive(), "the live server stopped while starting"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.02)
    raise AssertionError(f"the live server did not answer at {url}")
