#!/usr/bin/env python3
"""The whole test suite: set-up, ruff, mypy and lint-imports, pytest on SQLite today and on
PostgreSQL on another day.

PostgreSQL runs when it is reachable (TEST_POSTGRES_URL, default the local server); in CI
(CI=true) an unreachable PostgreSQL fails the run instead of skipping it. Browser tests need
Debian's chromium; it is installed here when missing and we may (root), as in CI.

The PostgreSQL phase runs with the clock moved to a leap day (`TEST_TODAY`, tests/clock.py),
so that a test bound to the calendar fails today, not months from now: every test runs on two
days, today on SQLite and 2028-02-29 on PostgreSQL (without PostgreSQL, the placements and
candidates tests run once more on SQLite on that day). `--today DAY` runs every phase on that
day instead (e.g. `--today 2027-03-28T02:30`, the night the clocks go forward); `--engine
sqlite|postgres` runs one engine only, today. Other arguments go to pytest. At its end the run
prints how long each phase took.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The day of the shifted run: a leap day, a Tuesday, far from the day the tests were written.
SHIFTED_DAY = "2028-02-29"
SHIFTED_FOLDERS = ["tests/placements", "tests/candidates"]


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
    """pytest-xdist options: two workers per core (at most 6); a file's tests stay together,
    and the files are handed out in the order tests/conftest.py sorts them (the slow ones
    first) instead of xdist's default, the files with the most tests first — which left the
    files of one long test (a browser journey, the fuzzer, the demo seeding) to the end, run
    while the other workers had nothing left to do.

    A test worker waits about half its time (for the database, a subprocess, the browser, a
    server it started): one worker per core kept the cores 55-60 % busy. Every worker has a
    database of its own, reset before each test (tests/README.md), so the workers share
    nothing but the servers (PostgreSQL, Redis), where each uses names of its own. At most 6:
    a worker on PostgreSQL holds up to a dozen connections at once (pools of its own calls,
    the app and the browser tests' server), and the server allows 100 by default.
    """
    count = min(6, 2 * (os.cpu_count() or 1))
    return ["-n", str(count), "--dist", "loadfile", "--no-loadscope-reorder"]


def pytest(
    engine: str, extra: list[str], *, today: str = "", name: str = ""
) -> tuple[int, int, int, int]:
    report = ROOT / "var" / f"pytest-{name or engine}.xml"
    report.parent.mkdir(exist_ok=True)
    # Bytecode is written (the default): each of a phase's workers imports every test module
    # (pytest rewrites its asserts, ~7 s of CPU for the suite) and the app; with
    # PYTHONDONTWRITEBYTECODE every worker of every phase did that work again.
    env = {**os.environ, "TEST_DATABASE": engine}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("TEST_TODAY", None)
    if today:
        env["TEST_TODAY"] = today
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


class Phases:
    """Wall time of each phase, printed at the end so that a slow phase is seen early."""

    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []

    def run(self, name: str, step, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        say(name)
        started = time.monotonic()
        try:
            return step(*args, **kwargs)
        finally:
            self.times.append((name, time.monotonic() - started))

    def report(self) -> None:
        print("\nwall time by phase:")
        for name, seconds in self.times:
            print(f"  {name:<40} {seconds // 60:3.0f} min {seconds % 60:4.1f} s")
        total = sum(seconds for _, seconds in self.times)
        print(f"  {'in all':<40} {total // 60:3.0f} min {total % 60:4.1f} s")


def install() -> int:
    """`make install` (the virtual environment, the Python packages, the front-end assets) and
    Debian's chromium for the browser tests."""
    code = subprocess.run(["make", "--no-print-directory", "install"], cwd=ROOT).returncode
    if code == 0:
        ensure_chromium()
    return code


def lint() -> int:
    """ruff, mypy and lint-imports — and meanwhile, on the other core, one collection of the
    tests, which writes the bytecode of the app and of the test modules (pytest's rewritten
    asserts) that every worker of both phases then reads instead of compiling it again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    collecting = subprocess.Popen(
        [BIN / "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    code = 0
    # lint-imports: the layers contract of pyproject.toml (dependencies run one way).
    commands = (
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
        ["lint-imports"],
    )
    for command in commands:
        code |= subprocess.run([BIN / command[0], *command[1:]], cwd=ROOT).returncode
    collecting.wait()  # a module that does not import fails in the test phase, said there
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--today", default="", help="run every phase on this day (YYYY-MM-DD)")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], help="one engine only")
    options, extra = parser.parse_known_args()
    phases = Phases()
    if phases.run("install (make install, chromium)", install):
        return 1
    failed_lint = phases.run("ruff, mypy and lint-imports", lint)
    postgres = options.engine != "sqlite" and postgres_reachable()
    if options.engine != "sqlite" and not postgres:
        if IN_CI:
            say(f"PostgreSQL is not reachable at {PG_URL}: in CI this run is mandatory")
            return 1
        say(f"PostgreSQL is not reachable at {PG_URL}: its run is SKIPPED (mandatory in CI)")
    on = f" on {options.today}" if options.today else ""
    results = []
    if options.engine in (None, "sqlite"):
        results.append(
            phases.run(f"pytest on SQLite{on}", pytest, "sqlite", extra, today=options.today)
        )
    # The whole run of `make test`: the second engine's on the leap day, so that a test bound to
    # the calendar fails today, not months from now (each test runs on two days, one per engine).
    shifted = not options.today and not options.engine and not extra
    if postgres:
        day = SHIFTED_DAY if shifted else options.today
        results.append(
            phases.run(
                f"pytest on PostgreSQL{f' on {day}' if day else ''}",
                pytest,
                "postgres",
                extra,
                today=day,
            )
        )
    elif shifted:
        # SQLite only (no PostgreSQL here): the placements and candidates once more, shifted.
        results.append(
            phases.run(
                f"pytest on {SHIFTED_DAY} (sqlite: {', '.join(SHIFTED_FOLDERS)})",
                pytest,
                "sqlite",
                SHIFTED_FOLDERS,
                today=SHIFTED_DAY,
                name=f"sqlite-{SHIFTED_DAY}",
            )
        )
    passed = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    skipped = sum(r[3] for r in results)
    worst = max((r[0] for r in results), default=0)
    if failed_lint:
        say("ruff, mypy or lint-imports found problems (see above)")
    phases.report()
    print(f"\ntests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if (worst or failed or failed_lint) else 0


if __name__ == "__main__":
    sys.exit(main())
