"""The `portal` command run in this process, against the test's own database."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest


@pytest.fixture
def cli(app: Any, settings: Any) -> Callable[..., Any]:
    """Invoke `portal ARGS…` (click's runner); the app fixture has bound the test's database.

    `main` switches to English and into the project folder; both are put back afterwards, so
    that the following tests see German and their own working directory.
    """
    from click.testing import CliRunner

    from portal import i18n
    from portal.cli import main

    env = {
        "PORTAL_ENVIRONMENT": "development",
        "DATABASE_URL": settings.database_url,
        "PORTAL_VAR_DIR": str(settings.var_dir),
    }

    def invoke(*args: str) -> Any:
        cwd = os.getcwd()
        try:
            # The commands call asyncio.run(), which refuses to start in a thread whose loop
            # is marked as running (Playwright's, once a browser test has run): a thread of
            # their own, as tests.conftest.run does.
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(CliRunner().invoke, main, list(args), env=env).result()
        finally:
            os.chdir(cwd)
            i18n.set_language(i18n.DEFAULT_LANGUAGE)

    return invoke
