"""Test set-up: a database of its own for every test, on SQLite or PostgreSQL.

`TEST_DATABASE=postgres` (set by scripts/test.py for its second run) switches to PostgreSQL.
See tests/README.md for how the tests share the database with the app under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import sqlite3
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests import clock

pytest_plugins = ["tests.s3"]
# TEST_TODAY moves the whole run to another day (tests/clock.py), before any test module
# computes a date at import.
SHIFTED_TO = clock.start_from_environment()

ENGINE = os.environ.get("TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RUN_ID = uuid.uuid4().hex[:8]
# The keys of the candidate vault in every test app (tests.factories seals identities with it).
TEST_IDENTITY_KEY = "dGVzdC1pZGVudGl0eS1rZXktMzItYnl0ZXMtbG9uZyE="
TEST_DUPLICATE_HASH_KEY = "test-duplicate-hash-key-0123456789abcdef"

T = TypeVar("T")


def pytest_report_header() -> str:
    from portal.clock import now

    moment = now().astimezone(clock.TIMEZONE).strftime("%Y-%m-%d %H:%M %Z")
    how = "moved there by TEST_TODAY" if SHIFTED_TO else "the real day"
    return f"the portal's clock: {moment} ({how})"


class WorkerLoop:
    """The event loop of a pytest worker, in a thread of its own, for the whole session.

    The tests' own database calls (`run`) run on it, so that on PostgreSQL they keep a pool of
    connections across tests (`worker_postgres_engine`) instead of opening one per query (~8 ms
    each). The app under test stays on its TestClient's loop: two TestClients of one app share
    Litestar's lifespan state, and the second one's shutdown would end a shared loop.
    """

    def __init__(self) -> None:
        from anyio.from_thread import start_blocking_portal

        self._context = start_blocking_portal(backend="asyncio")
        self.portal = self._context.__enter__()
        self.loop: asyncio.AbstractEventLoop = self.portal.call(self._running_loop)

    @staticmethod
    async def _running_loop() -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    def run(self, awaitable: Awaitable[T]) -> T:
        async def wait() -> T:
            return await awaitable

        # The calling thread's context goes with the call (the language a test set, say).
        return asyncio.run_coroutine_threadsafe(wait(), self.loop).result(timeout=600)

    def close(self) -> None:
        self._context.__exit__(None, None, None)


_worker_loop: WorkerLoop | None = None


def worker_loop() -> WorkerLoop:
    global _worker_loop
    if _worker_loop is None:
        _worker_loop = WorkerLoop()
    return _worker_loop


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow files first, then the browser tests, then the rest (a stable sort: a file's
    tests stay together and in order). The workers take whole files in this order
    (`--dist loadfile --no-loadscope-reorder`, scripts/test.py): a file of long tests starts
    early instead of running alone at the end while the other workers have nothing left."""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)


def pytest_sessionfinish() -> None:
    if _worker_loop is not None:
        _worker_loop.close()


def run(awaitable: Awaitable[T]) -> T:
    """Run a database call (a coroutine or a Piccolo query) from a test, on the worker's loop.

    Any thread may call it, also one whose own loop is running (Playwright's, tests/browser).
    """
    return worker_loop().run(awaitable)


def _pg_url(database: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{database}"


async def _pg_admin(*statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database that every test's database is copied from."""
    if ENGINE == "postgres":
        name = f"portal_test_tpl_{RUN_ID}"
        run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'))
        url = _pg_url(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'template.sqlite3'}"
    _migrate(url)
    yield url
    if ENGINE == "postgres":
        run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _migrate(url: str) -> None:
    # piccolo_conf reads DATABASE_URL once, when first imported; this is that first time.
    os.environ["DATABASE_URL"] = url
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.db import bind_tables, engine_from_url

    bind_tables(engine_from_url(url))
    result = run(run_forwards(app_name="all"))
    assert result.success, result.message
    # The occupations ship with the project (`portal load-reference`); every test has them.
    from portal.reference.loading import load_reference

    run(load_reference())


WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


class WorkerDatabase(ABC):
    """The database of one pytest worker, copied once from the template and reset to it before
    every test: the tests of a worker share it one after the other, never at the same time."""

    # PostgreSQL: the engine keeps a pool of connections for each loop that opens one.
    pooled = False

    def __init__(self, url: str, engine: Any) -> None:
        self.url = url
        # The engine of the worker's apps (`app`, `live_server`) and of the tests' own calls.
        self.engine = engine

    @abstractmethod
    def reset(self) -> None: ...


class SQLiteWorkerDatabase(WorkerDatabase):
    """SQLite: the template copied into the worker's file by SQLite's backup API (about 5 ms).

    Not by replacing the file: a connection a test left open (a request still streaming, a task
    finishing after the test) would keep the old file's write-ahead index mapped while the next
    test's connections make a new one, and both fail with `disk I/O error` (seen in CI). The
    backup takes SQLite's locks, so it waits for such a connection instead."""

    def __init__(self, template: Path, path: Path) -> None:
        super().__init__(f"sqlite:///{path}", worker_sqlite_engine(path))
        self.template, self.path = template, path
        self._source: sqlite3.Connection | None = None

    def reset(self) -> None:
        if self._source is None:
            self._source = sqlite3.connect(self.template, check_same_thread=False)
        with contextlib.closing(sqlite3.connect(self.path, timeout=15)) as target:
            # A test database: nothing to keep when the machine fails, so no waiting for the disk.
            target.execute("PRAGMA synchronous=OFF")
            self._source.backup(target)


def worker_sqlite_engine(path: Path) -> Any:
    """A SQLite engine that keeps one connection for the tests' own calls (`run`)."""
    from portal.db import WalSQLiteEngine, engine_from_url

    engine_from_url(f"sqlite:///{path}")  # the folder, and write-ahead logging (portal.db)

    class WorkerSQLiteEngine(WalSQLiteEngine):
        """Piccolo opens a connection, and a thread, for every query outside a transaction:
        ~3 ms, more than the query, and a test's factories and checks run thousands. On the
        worker's loop (the tests' own calls) this engine keeps one connection for the whole
        session instead; the app under test (any other loop) and every transaction still get a
        connection of their own, as in production. The reset (SQLite's backup API) waits for a
        connection's locks, and an idle connection in autocommit mode holds none."""

        def __init__(self) -> None:
            super().__init__(path=str(path), timeout=15)
            self.kept: Any = None

        async def _run_in_new_connection(
            self,
            query: str,
            args: list[Any] | None = None,
            query_type: str = "generic",
            table: Any = None,
        ) -> Any:
            if asyncio.get_running_loop() is not worker_loop().loop:
                return await super()._run_in_new_connection(query, args, query_type, table)
            if self.kept is None:
                # Piccolo's own connection: rows as dicts, foreign keys on.
                self.kept = await self.get_connection()
            async with self.kept.execute(query, args or []) as cursor:
                await self.kept.commit()
                return await cursor.fetchall()

        async def close_kept(self) -> None:
            if self.kept is not None:
                await self.kept.close()
                self.kept = None

    return WorkerSQLiteEngine()


POOL = {"min_size": 1, "max_size": 4}


def worker_postgres_engine(url: str) -> Any:
    """A PostgreSQL engine with a pool of connections on the worker's loop."""
    from piccolo.engine.postgres import PostgresEngine

    class WorkerPostgresEngine(PostgresEngine):
        """A pool of connections per event loop that asked for one: the worker's loop (the
        tests' own calls), the loop of the `client` fixture's app and a browser test's live
        server; a connection per query on any other loop (a second TestClient, the threads of
        a test that races on purpose), as without a pool. An asyncpg pool serves the loop it
        was made on only (STACK-NOTES trap 5)."""

        def __init__(self) -> None:
            self._pools: dict[asyncio.AbstractEventLoop, Any] = {}
            super().__init__(config={"dsn": url, "timeout": 10})

        @property  # type: ignore[override]
        def pool(self) -> Any:
            try:
                return self._pools.get(asyncio.get_running_loop())
            except RuntimeError:
                return None

        @pool.setter
        def pool(self, value: Any) -> None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return  # PostgresEngine.__init__ setting "no pool yet"
            if value is None:
                self._pools.pop(loop, None)
            else:
                self._pools[loop] = value

    engine = WorkerPostgresEngine()
    run(engine.start_connection_pool(**POOL))
    return engine


class PostgresWorkerDatabase(WorkerDatabase):
    """PostgreSQL: the rows every test wrote are deleted and the sequences restarted.

    A CREATE DATABASE per test cost ~0.35 s. Here the tables the template fills (the
    migrations' record, the occupations) keep a pristine copy in the schema `pristine` and are
    restored from it only when a statement trigger has logged a change to them; every other
    table is emptied. The database runs with synchronous_commit off: a test needs no durability.
    """

    pooled = True

    def __init__(self, url: str) -> None:
        super().__init__(url, worker_postgres_engine(url))
        self.emptied: list[str] = []
        self.kept: list[str] = []

    # The table names below come from PostgreSQL's catalogue, never from input (S608).
    async def prepare(self) -> None:
        import asyncpg

        connection = await asyncpg.connect(self.url)
        try:
            tables = [
                r["tablename"]
                for r in await connection.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            for table in tables:
                has_rows = await connection.fetchval(f'SELECT EXISTS (SELECT FROM "{table}")')  # noqa: S608
                (self.kept if has_rows else self.emptied).append(table)
            statements = [
                "CREATE SCHEMA pristine",
                "CREATE UNLOGGED TABLE pristine.changed (name text)",
                "CREATE TABLE pristine.sequence_state AS SELECT sequencename AS name,"
                " last_value FROM pg_sequences WHERE schemaname = 'public'",
                "CREATE FUNCTION pristine.log_change() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN INSERT INTO pristine.changed VALUES (TG_TABLE_NAME); RETURN NULL;"
                " END $$",
            ]
            for table in self.kept:
                statements += [
                    f'CREATE TABLE pristine."{table}" AS SELECT * FROM public."{table}"',  # noqa: S608
                    f"CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON"
                    f' public."{table}" FOR EACH STATEMENT EXECUTE FUNCTION pristine.log_change()',
                ]
            await connection.execute(";\n".join(statements))
        finally:
            await connection.close()

    def reset(self) -> None:
        run(self._reset())

    async def _reset(self) -> None:
        async with self.engine.pool.acquire() as connection:
            logged = await connection.fetch("SELECT DISTINCT name FROM pristine.changed")
            statements = [
                "BEGIN",
                # A test that left a transaction open must not hang the next one.
                "SET LOCAL lock_timeout = '10s'",
                # Foreign keys and triggers off while the rows go, in any order.
                "SET LOCAL session_replication_role = replica",
                *(f'DELETE FROM public."{table}"' for table in self.emptied),  # noqa: S608
            ]
            for table in (r["name"] for r in logged):
                statements += [
                    f'DELETE FROM public."{table}"',  # noqa: S608
                    f'INSERT INTO public."{table}" SELECT * FROM pristine."{table}"',  # noqa: S608
                ]
            statements += [
                "DELETE FROM pristine.changed",
                # Every sequence back to where the template left it.
                "SELECT setval(format('public.%I', name)::regclass, coalesce(last_value, 1),"
                " last_value IS NOT NULL) FROM pristine.sequence_state",
                "COMMIT",
            ]
            await connection.execute(";\n".join(statements))


@pytest.fixture(scope="session")
def worker_database(
    template_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerDatabase]:
    if ENGINE == "postgres":
        name = f"portal_test_{RUN_ID}_{WORKER}"
        template = template_database.rsplit("/", 1)[1]
        run(
            _pg_admin(
                f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
                f'ALTER DATABASE "{name}" SET synchronous_commit TO off',
            )
        )
        database = PostgresWorkerDatabase(_pg_url(name))
        run(database.prepare())
        yield database
        run(database.engine.close_connection_pool())
        run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        template = Path(template_database.removeprefix("sqlite:///"))
        path = tmp_path_factory.mktemp("worker") / "portal.sqlite3"
        sqlite_database = SQLiteWorkerDatabase(template, path)
        yield sqlite_database
        run(sqlite_database.engine.close_kept())


@pytest.fixture
def database_url(worker_database: WorkerDatabase) -> str:
    """The worker's database, as the template left it: nothing a test wrote before is there."""
    worker_database.reset()
    return worker_database.url


@pytest.fixture(scope="session")
def worker_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


class Mailbox:
    """Messages received by the test SMTP server."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    def clear(self) -> None:
        self.messages.clear()

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if address in m["To"]]

    def last_to(self, address: str) -> Any:
        found = self.to(address)
        assert found, f"no mail to {address}; got {[m['To'] for m in self.messages]}"
        return found[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    """A real SMTP server (aiosmtpd) on a free port."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            mailbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[int, Mailbox]) -> Mailbox:
    smtp_server[1].clear()
    return smtp_server[1]


@pytest.fixture(scope="session")
def worker_settings(
    worker_database: WorkerDatabase, worker_var_dir: Path, smtp_server: tuple[int, Mailbox]
) -> Any:
    """The settings of every test of the worker (so the app is built once): its database and
    var folder, a fixed secret key, SMTP pointing at the test SMTP server."""
    from portal.settings import Settings

    return Settings(
        environment="test",
        database_url=worker_database.url,
        database_pool_size=0,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        identity_key=TEST_IDENTITY_KEY,
        duplicate_hash_key=TEST_DUPLICATE_HASH_KEY,
        var_dir=worker_var_dir / "var",
        smtp_host="127.0.0.1",
        smtp_port=smtp_server[0],
        log_format="console",
        log_level="WARNING",
        # Cheap hashes: a login costs ~1 ms instead of ~100 ms (production refuses these).
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
        # A live stream answers its first message and ends (a TestClient reads whole bodies).
        live_stream_seconds=0,
        # The webhook tests' receiver listens on http://127.0.0.1 (tests/webhooks).
        webhook_allow_local_http=True,
        # Statistics counted on every request: a test sees the figures of what it just did
        # (tests/stats/test_counts_kept.py turns the keeping on).
        stats_cache_seconds=0,
    )


@pytest.fixture
def settings(database_url: str, worker_var_dir: Path, worker_settings: Any) -> Any:
    """The test's settings: the worker's (`worker_settings`), with the database and the var
    folder emptied for this test."""
    shutil.rmtree(worker_var_dir, ignore_errors=True)
    return worker_settings


# Apps built in this worker, by their settings. Building one costs ~0.14 s (Litestar copies
# and inspects every route handler), more than most tests; every test of a worker has the same
# settings, and an app keeps nothing of a request but what lies in the database and var folder,
# which every test starts afresh. A test that varies the settings gets an app of its own.
_apps: dict[Any, Any] = {}


@pytest.fixture
def app(settings: Any, worker_database: WorkerDatabase) -> Any:
    from portal.app import configure_process, create_app

    built = _apps.get(settings)
    if built is None:
        built = _apps[settings] = create_app(settings, engine=worker_database.engine)
    configure_process(settings, worker_database.engine)
    return built


@pytest.fixture
def own_app(settings: Any, worker_database: WorkerDatabase) -> Any:
    """An app for this test alone, for a test that changes the app itself (adds a route)."""
    from portal.app import create_app

    return create_app(settings, engine=worker_database.engine)


@pytest.fixture
def client(app: Any, mailbox: Mailbox, worker_database: WorkerDatabase) -> Iterator[Any]:
    from litestar.testing import TestClient

    engine, pooled = worker_database.engine, worker_database.pooled
    with TestClient(app, base_url="http://testserver.local") as test_client:
        if pooled:  # pooled connections on the loop the app serves on
            test_client.blocking_portal.call(partial(engine.start_connection_pool, **POOL))
        try:
            yield test_client
        finally:
            if pooled:
                test_client.blocking_portal.call(engine.close_connection_pool)


@pytest.fixture
def queries(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL statements the app runs, collected from the moment the fixture is used.

    Every Piccolo query (select, count, insert, …), in or outside a transaction and on either
    engine, goes through `Engine.run_querystring`. The engines have __slots__, so the method is
    wrapped on the engine's class (monkeypatch restores it) and counts only calls on the engine
    the app bound its tables to: exactly the statements sent to the database, without touching
    our code or parsing log output. Clear the list right before the request you measure.
    """
    from portal.accounts.tables import Organisation

    engine = Organisation._meta.db
    engine_class = type(engine)
    original = engine_class.run_querystring
    seen: list[str] = []

    async def counting(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        if self is engine:
            seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    return seen


def _redis_database() -> int:
    """The Redis database of this pytest worker: 15 for gw0 (and a run without xdist), 14 for
    gw1, … down to 6. Each worker flushes its own only: a test that deletes its keys cannot
    take another worker's throttle counts or sessions (a flaky 400 instead of 429 was seen)."""
    number = int(WORKER[2:]) if WORKER.startswith("gw") else 0
    return 15 - number % 10


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of this worker's own, empty before and after the test (skipped where no
    Redis runs). Pub/sub channels are not per database: topics carry the records' ids."""
    import redis

    url = f"redis://127.0.0.1:6379/{_redis_database()}"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not running at {url}")
    connection.flushdb()
    yield url
    connection.flushdb()
    connection.close()
