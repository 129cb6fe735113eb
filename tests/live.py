"""The app served by uvicorn on a free port of 127.0.0.1, for tests that need real HTTP
(the browser tests, /healthz under load)."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from portal.app import configure_process, create_app
from tests.conftest import POOL, free_port


@contextmanager
def serve(settings: Any, worker_database: Any) -> Iterator[str]:
    """The app with the test's database, running until the block ends; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(settings.replace(base_url=url))
    engine = worker_database.engine
    if engine is not None:
        # PostgreSQL: the worker's engine, with a pool on the server's loop (tests/conftest.py).
        async def open_pool() -> None:
            await engine.start_connection_pool(**POOL)

        app.on_startup.append(open_pool)
        app.on_shutdown.append(engine.close_connection_pool)
        configure_process(app.state["settings"], engine)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    try:
        _wait_until_up(f"{url}/healthz", thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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
