"""A virus scanner for uploads: clamd over its socket, when CLAMD_SOCKET names one (issue 14).

clamd's INSTREAM command: "zINSTREAM\\0", then the file in chunks, each after its length as four
bytes (network order), a chunk of length zero at the end; the answer is "stream: OK\\0" or
"stream: <signature> FOUND\\0" (or "... ERROR\\0"). The "z" form ends every line with NUL
(clamd(8), "INSTREAM").

Fail closed: whatever keeps the scanner from answering OK or FOUND (not reachable, too slow, a
size limit of clamd, an answer we cannot read) is ScannerUnavailable, and the upload is refused.
"""

from __future__ import annotations

import struct

import anyio
from anyio.abc import ByteStream

CHUNK = 64 * 1024
# clamd answers a clean 10 MB file within a second or two; a busy one may take longer.
SCAN_SECONDS = 30.0
CONNECT_SECONDS = 3.0
MAX_REPLY = 4096


class ScannerUnavailable(Exception):
    """The scanner gave no verdict; the message says why (for the logs: no file content)."""


class Infected(Exception):
    """The scanner found something; `signature` is its name for it."""

    def __init__(self, signature: str) -> None:
        super().__init__(signature)
        self.signature = signature


class Clamd:
    """A clamd daemon at a Unix socket path or at host:port."""

    def __init__(self, address: str) -> None:
        self.address = address

    async def _connect(self) -> ByteStream:
        with anyio.fail_after(CONNECT_SECONDS):
            if self.address.startswith("/"):
                return await anyio.connect_unix(self.address)
            host, _, port = self.address.rpartition(":")
            return await anyio.connect_tcp(host.strip("[]"), int(port))

    async def _ask(self, command: bytes, chunks: list[bytes]) -> str:
        try:
            with anyio.fail_after(SCAN_SECONDS):
                stream = await self._connect()
                async with stream:
                    await stream.send(command)
                    for chunk in chunks:
                        await stream.send(chunk)
                    return await _reply(stream)
        except (OSError, TimeoutError, anyio.BrokenResourceError, anyio.EndOfStream) as error:
            raise ScannerUnavailable(f"clamd at {self.address}: {type(error).__name__}") from error

    async def ping(self) -> None:
        if await self._ask(b"zPING\0", []) != "PONG":
            raise ScannerUnavailable("clamd did not answer PONG")

    async def scan(self, data: bytes) -> None:
        """Return if clean; raise Infected or ScannerUnavailable."""
        chunks = [
            struct.pack(">I", len(data[start : start + CHUNK])) + data[start : start + CHUNK]
            for start in range(0, len(data), CHUNK)
        ]
        reply = await self._ask(b"zINSTREAM\0", [*chunks, struct.pack(">I", 0)])
        verdict = reply.removeprefix("stream:").strip()
        if verdict == "OK":
            return
        if verdict.endswith(" FOUND"):
            raise Infected(verdict.removesuffix(" FOUND").strip()[:200])
        # "INSTREAM size limit exceeded. ERROR" and the like: no verdict.
        raise ScannerUnavailable(f"clamd answered: {verdict[:200]}")


async def _reply(stream: ByteStream) -> str:
    """One NUL-terminated answer."""
    received = b""
    while not received.endswith(b"\0"):
        try:
            received += await stream.receive()
        except anyio.EndOfStream:
            break
        if len(received) > MAX_REPLY:
            raise ScannerUnavailable("clamd's answer is too long")
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()
