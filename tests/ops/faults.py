"""Helpers of the fault tests: a world of placements, the invariants that must survive any
fault, a PostgreSQL proxy that can be cut, and the portal served by a process of its own."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import os
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

from portal.accounts.tables import OrgKind, Role
from portal.employers.tables import Slot
from portal.placements.tables import HOLDING_STATES, OPEN_STATES, Placement, PlacementEvent
from portal.settings import ROOT, Settings, env_names
from tests.clock import subprocess_env
from tests.conftest import free_port, run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement


@dataclasses.dataclass
class World:
    employer_user: Any
    case_worker: Any
    slot: Any
    placements: list[Any]


def make_world(count: int, places: int) -> World:
    """`count` proposed placements of as many candidates at one slot of `places` places."""
    employer = make_org(OrgKind.employer, name="Störfall Metallbau GmbH")
    agency = make_org(OrgKind.case_management, name="Störfall Jobcenter")
    employer_user = make_user(employer, Role.employer_admin)
    case_worker = make_user(agency, Role.case_manager)
    slot = make_slot(employer, places=places)
    placements = []
    for _ in range(count):
        candidate = make_candidate(agency, case_worker, occupations=("24412",), status="active")
        consent(candidate)
        placements.append(
            make_placement(
                "proposed",
                slot=slot,
                candidate=candidate,
                case_worker=case_worker,
                employer_user=employer_user,
            )
        )
    return World(employer_user, case_worker, slot, placements)


def broken_invariants() -> list[str]:
    """What is wrong with the placements: a slot over its places, two open placements of one
    candidate at one slot, a placement whose history does not lead to its state."""
    placements = run(
        Placement.select(
            Placement.id, Placement.state, Placement.slot, Placement.candidate
        ).order_by(Placement.created_at)
    )
    places = {row["id"]: row["places"] for row in run(Slot.select(Slot.id, Slot.places))}
    events = collections.defaultdict(list)
    for event in run(
        PlacementEvent.select(
            PlacementEvent.placement, PlacementEvent.from_state, PlacementEvent.to_state
        ).order_by(PlacementEvent.created_at, PlacementEvent.id)
    ):
        events[event["placement"]].append((event["from_state"], event["to_state"]))
    wrong = []
    holding = collections.Counter(p["slot"] for p in placements if p["state"] in HOLDING_STATES)
    for slot, held in holding.items():
        # The world's placements all share the slot's dates: the count is the slot's.
        if held > places[slot]:
            wrong.append(f"slot {slot}: {held} placements hold its {places[slot]} places")
    open_pairs = collections.Counter(
        (p["slot"], p["candidate"]) for p in placements if p["state"] in OPEN_STATES
    )
    wrong += [f"{pair}: {n} open placements" for pair, n in open_pairs.items() if n > 1]
    for p in placements:
        history = events[p["id"]]
        state = ""
        for from_state, to_state in history:
            if from_state and from_state != state:
                wrong.append(f"placement {p['id']}: {from_state} → {to_state} after {state}")
            state = to_state or state
        if state != p["state"]:
            wrong.append(f"placement {p['id']} is {p['state']}, its history ends at {state!r}")
    return wrong


# -- PostgreSQL behind a proxy that can be cut ------------------------------------------------


class PgProxy:
    """A TCP proxy in front of PostgreSQL, on an event loop of its own (a thread).

    cut(): every connection is dropped and new ones are refused, as when the server restarts;
    restore(): connections go through again. cut_at_commit(): the next COMMIT a client sends
    is not passed on and its connection dropped: a transaction cut in the middle.
    """

    def __init__(self, target_port: int = 5432) -> None:
        self.port = free_port()
        self.target_port = target_port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.AbstractServer | None = None
        self.connections: set[asyncio.StreamWriter] = set()
        self.commit_trap = False
        self.commits_cut = 0

    def __enter__(self) -> PgProxy:
        self.thread.start()
        self.restore()
        return self

    def __exit__(self, *exc: object) -> None:
        self._call(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    def cut(self) -> None:
        self._call(self._stop())

    def restore(self) -> None:
        self._call(self._start())

    def cut_at_commit(self) -> None:
        self.commit_trap = True

    async def _start(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _stop(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.connections):
            writer.transport.abort()
        self.connections.clear()

    async def _serve(self, client_reader: Any, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            client_writer.transport.abort()
            return
        self.connections |= {client_writer, server_writer}

        async def pipe(reader: Any, writer: asyncio.StreamWriter, upstream: bool) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await reader.read(65536):
                    if upstream and self.commit_trap and b"COMMIT" in data.upper():
                        self.commit_trap = False
                        self.commits_cut += 1
                        client_writer.transport.abort()
                        server_writer.transport.abort()
                        return
                    writer.write(data)
                    await writer.drain()
            writer.transport.abort()

        await asyncio.gather(
            pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False)
        )
        self.connections -= {client_writer, server_writer}


# -- the portal in a process of its own -------------------------------------------------------


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a `portal` process these settings."""
    env = {}
    for name, field in zip(env_names(), dataclasses.fields(Settings), strict=True):
        value = getattr(settings, field.name)
        env[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return env


@contextlib.contextmanager
def portal_process(settings: Settings) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`portal serve` on a free port with `settings`; yields its URL and the process."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **settings_env(settings.replace(base_url=url)),
        **subprocess_env(),
    }
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "portal"), "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, "the portal process stopped while starting"
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                assert time.monotonic() < deadline, "the portal process did not answer"
                time.sleep(0.05)
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
