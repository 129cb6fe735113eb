"""Travel in time inside the file stores (sessions, login throttle) instead of sleeping."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from litestar.stores.base import StorageObject
from litestar.testing import TestClient


def entries(directory: Path) -> list[Path]:
    """The stored entries (not the temporary files of a write in progress)."""
    if not directory.exists():
        return []
    return [path for path in directory.iterdir() if path.is_file() and ".tmp" not in path.name]


def move_back(directory: Path, seconds: float, *fields: str, expiry: bool = True) -> int:
    """Make every entry look `seconds` older: the named timestamps and, if `expiry`, the expiry."""
    moved = 0
    for path in entries(directory):
        stored = StorageObject.from_bytes(path.read_bytes())
        data = json.loads(stored.data)
        for name in fields:
            data[name] -= seconds
        expires_at = stored.expires_at
        if expiry and expires_at is not None:
            expires_at -= dt.timedelta(seconds=seconds)
        path.write_bytes(
            StorageObject(expires_at=expires_at, data=json.dumps(data).encode()).to_bytes()
        )
        moved += 1
    return moved


@contextmanager
def client_with(settings: Any, **changes: Any) -> Iterator[TestClient[Any]]:
    """A client of an app built with changed settings (the same database).

    create_app binds the tables to the test's database: make records inside the block.
    """
    from portal.app import create_app

    app = create_app(settings.replace(**changes))
    with TestClient(app, base_url="http://testserver.local") as client:
        yield client
