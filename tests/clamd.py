"""A small clamd for the tests: a real socket (TCP or Unix) speaking clamd's protocol.

It answers zPING with PONG and zINSTREAM with "stream: OK", or with a finding when the file
holds SIGNATURE (a marker of our own, not the EICAR test string, so that no real scanner on a
developer's machine takes the repository for infected). It keeps what it was sent, to show that
the whole file arrived. `answer` makes it say something else (a size-limit error, say).
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SIGNATURE = b"PORTAL-TEST-MALWARE-7f3a"
FOUND = "Portal.Test.Malware"


class FakeClamd:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.answer: bytes | None = None
        self.address = ""


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client went away")
        data += chunk
    return data


def _handler(clamd: FakeClamd) -> type[socketserver.BaseRequestHandler]:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            connection: socket.socket = self.request
            command = b""
            while not command.endswith(b"\0"):
                command += _read_exactly(connection, 1)
            if command == b"zPING\0":
                connection.sendall(b"PONG\0")
                return
            assert command == b"zINSTREAM\0", command
            data = b""
            while size := struct.unpack(">I", _read_exactly(connection, 4))[0]:
                data += _read_exactly(connection, size)
            clamd.received.append(data)
            if clamd.answer is not None:
                connection.sendall(clamd.answer)
            elif SIGNATURE in data:
                connection.sendall(b"stream: " + FOUND.encode() + b" FOUND\0")
            else:
                connection.sendall(b"stream: OK\0")

    return Handler


@contextmanager
def fake_clamd(unix_path: Path | None = None) -> Iterator[FakeClamd]:
    clamd = FakeClamd()
    server: socketserver.BaseServer
    if unix_path is None:
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(clamd))
        clamd.address = f"127.0.0.1:{server.server_address[1]}"
    else:
        server = socketserver.ThreadingUnixStreamServer(str(unix_path), _handler(clamd))
        clamd.address = str(unix_path)
    server.daemon_threads = True  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield clamd
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
