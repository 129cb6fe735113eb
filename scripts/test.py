#!/usr/bin/env python3
"""The whole test suite: ruff and mypy, then pytest on SQLite, then on PostgreSQL.

PostgreSQL runs when it is reachable (TEST_POSTGRES_URL, default the local server); in CI
(CI=true) an unreachable PostgreSQL fails the run instead of skipping it. Browser tests need
Debian's chromium; it is installed here when missing and we may (root), as in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def say(message: str) -> None:
    print(f"\n== {message}", flush=True)


def ensure_chromium() -> None:
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0:
        sys.exit(
            "chromium is missing: install Debian's package 'chromium' (apt-get install chromium)"
        )
    say("installing chromium (Debian package) for the browser tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)


def postgres_reachable() -> bool:
    probe = (
        "import asyncio, asyncpg, sys\n"
        "async def main():\n"
        "    c = await asyncio.wait_for(asyncpg.connect(sys.argv[1]), 5)\n"
        "    await c.close()\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run([BIN / "python", "-c", probe, PG_URL], capture_output=True)
    return result.returncode == 0


def workers() -> list[str]:
    """pytest-xdist options: one worker per core (at most 4); a file's tests stay together.

    Every test has a database of its own (tests/README.md), so the workers share nothing but
    the servers (PostgreSQL, Redis), where every test uses names of its own.
    """
    count = min(4, os.cpu_count() or 1)
    return ["-n", str(count), "--dist", "loadfile"] if count > 1 else []


def pytest(engine: str, extra: list[str]) -> tuple[int, int, int, int]:
    report = ROOT / "var" / f"pytest-{engine}.xml"
    report.parent.mkdir(exist_ok=True)
    env = {**os.environ, "TEST_DATABASE": engine, "PYTHONDONTWRITEBYTECODE": "1"}
    code = subprocess.run(
        [
            BIN / "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *workers(),
            *extra,
        ],
        cwd=ROOT,
        env=env,
    ).returncode
    if not report.exists():
        return code or 1, 0, 1, 0
    suite = ET.parse(report).getroot()  # noqa: S314 - our own pytest report
    suite = suite if suite.tag == "testsuite" else suite[0]
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return code, total - failed - skipped, failed, skipped


def main() -> int:
    extra = sys.argv[1:]
    say("ruff and mypy")
    lint = 0
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        lint |= subprocess.run([BIN / command[0], *command[1:]], cwd=ROOT).returncode
    ensure_chromium()
    say("pytest on SQLite")
    results = [pytest("sqlite", extra)]
    if postgres_reachable():
        say("pytest on PostgreSQL")
        results.append(pytest("postgres", extra))
    elif IN_CI:
        say(f"PostgreSQL is not reachable at {PG_URL}: in CI this run is mandatory")
        return 1
    else:
        say(f"PostgreSQL is not reachable at {PG_URL}: its run is SKIPPED (mandatory in CI)")
    passed = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    skipped = sum(r[3] for r in results)
    worst = max(r[0] for r in results)
    if lint:
        say("ruff or mypy found problems (see above)")
    print(f"\ntests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if (worst or failed or lint) else 0


if __name__ == "__main__":
    sys.exit(main())
