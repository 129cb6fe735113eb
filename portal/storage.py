"""Document storage: files under var/documents by default, an S3-compatible bucket in production."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any, Protocol

import anyio

from portal.settings import Settings
from portal.virusscan import Clamd


class Storage(Protocol):
    name: str

    async def check(self) -> None:
        """Raise when the storage cannot be reached."""

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class DiskStorage:
    name = "disk"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        # Keys are ours (random ids), but never let one climb out of the root.
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.root / digest[:2] / digest

    async def check(self) -> None:
        def probe() -> None:
            self.root.mkdir(parents=True, exist_ok=True)
            marker = self.root / ".ready"
            marker.write_bytes(b"ok")
            marker.unlink()

        await anyio.to_thread.run_sync(probe)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: a write that fails half-way (a full disk) leaves no
            # truncated file under the key, as S3's put_object leaves no partial object.
            partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
            try:
                partial.write_bytes(data)
                os.replace(partial, path)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise

        await anyio.to_thread.run_sync(write)

    async def get(self, key: str) -> bytes:
        return await anyio.to_thread.run_sync(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(lambda: self._path(key).unlink(missing_ok=True))


class S3Storage:
    name = "s3"

    def __init__(self, settings: Settings) -> None:
        self.bucket = settings.s3_bucket
        self.client = self._client(settings, timeout=(3, 10), attempts=3)
        # Readiness probes give up after a few seconds: a hung endpoint must not hold /readyz
        # (and a worker thread) for the 30 s that three patient attempts of the client above take.
        self.probe = self._client(settings, timeout=(2, 2), attempts=1)

    @staticmethod
    def _client(settings: Settings, *, timeout: tuple[int, int], attempts: int) -> Any:
        """A client with (connect, read) timeouts in seconds and `attempts` tries per call."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=settings.s3_secret_access_key,
            config=Config(
                signature_version="s3v4",
                connect_timeout=timeout[0],
                read_timeout=timeout[1],
                retries={"total_max_attempts": attempts},
                s3={"addressing_style": "path"},
            ),
        )

    async def check(self) -> None:
        await anyio.to_thread.run_sync(lambda: self.probe.head_bucket(Bucket=self.bucket))

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
            )
        )

    async def get(self, key: str) -> bytes:
        # The body streams from the network: read it in the thread too, not on the event loop.
        return await anyio.to_thread.run_sync(
            lambda: self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        )

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.delete_object(Bucket=self.bucket, Key=key)
        )


class ScannedStorage:
    """A storage that has every file scanned before it keeps it (CLAMD_SOCKET): put raises
    Infected or ScannerUnavailable (virusscan.py) and stores nothing then."""

    def __init__(self, inner: Storage, scanner: Clamd) -> None:
        self.inner = inner
        self.scanner = scanner
        self.name = inner.name

    async def check(self) -> None:
        await self.inner.check()

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self.scanner.scan(data)
        await self.inner.put(key, data, content_type)

    async def get(self, key: str) -> bytes:
        return await self.inner.get(key)

    async def delete(self, key: str) -> None:
        await self.inner.delete(key)


def storage_from_settings(settings: Settings) -> Storage:
    storage: Storage = (
        S3Storage(settings) if settings.uses_s3 else DiskStorage(settings.documents_dir)
    )
    if settings.clamd_socket:
        return ScannedStorage(storage, Clamd(settings.clamd_socket))
    return storage
