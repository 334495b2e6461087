"""A tiny scripted Bolt 5.0 server, so the real neo4j driver can be exercised without Neo4j.

It speaks just enough of the protocol (handshake, HELLO, BEGIN/RUN/PULL/COMMIT/ROLLBACK,
RESET, GOODBYE; PackStream for the values the tests use) to let ``Neo4jStore`` run its real
code path: connection checks, managed transactions, error hydration. It does not execute
Cypher: a test gives a ``respond(query, params)`` function that returns the rows (list of
dicts, all with the same keys) or raises :class:`Failure` with a Neo4j error code, and then
inspects :attr:`FakeBolt.log` (every message the driver sent, in order).

Usage::

    with FakeBolt(respond) as srv:
        store = Neo4jStore(Neo4jSettings(uri=srv.uri, password="pw"))
"""

from __future__ import annotations

import datetime as dt
import socket
import socketserver
import struct
import threading
from collections.abc import Callable
from typing import Any

PASSWORD = "pw"
AGENT = "Neo4j/5.26.0"

HELLO, GOODBYE, RESET, RUN, BEGIN, COMMIT, ROLLBACK, DISCARD, PULL = (
    0x01, 0x02, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x2F, 0x3F)
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
NAMES = {HELLO: "HELLO", GOODBYE: "GOODBYE", RESET: "RESET", RUN: "RUN", BEGIN: "BEGIN",
         COMMIT: "COMMIT", ROLLBACK: "ROLLBACK", DISCARD: "DISCARD", PULL: "PULL"}


class Failure(Exception):
    """Make the server answer FAILURE with this Neo4j status code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Date:
    """A Bolt Date (sent as structure 'D': days since 1970-01-01)."""

    def __init__(self, value: dt.date) -> None:
        self.value = value


# -- PackStream ---------------------------------------------------------------------------

def pack(v: Any) -> bytes:
    """Encode one value."""
    if v is None:
        return b"\xC0"
    if v is True:
        return b"\xC3"
    if v is False:
        return b"\xC2"
    if isinstance(v, int):
        if -16 <= v < 128:
            return struct.pack(">b", v)
        if -128 <= v < 128:
            return b"\xC8" + struct.pack(">b", v)
        if -32768 <= v < 32768:
            return b"\xC9" + struct.pack(">h", v)
        if -(2 ** 31) <= v < 2 ** 31:
            return b"\xCA" + struct.pack(">i", v)
        return b"\xCB" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"\xC1" + struct.pack(">d", v)
    if isinstance(v, str):
        data = v.encode("utf-8")
        return _head(len(data), 0x80, 0xD0) + data
    if isinstance(v, (list, tuple)):
        return _head(len(v), 0x90, 0xD4) + b"".join(pack(x) for x in v)
    if isinstance(v, dict):
        return _head(len(v), 0xA0, 0xD8) + b"".join(pack(k) + pack(x) for k, x in v.items())
    if isinstance(v, Date):
        return b"\xB1\x44" + pack((v.value - dt.date(1970, 1, 1)).days)
    raise TypeError(f"cannot pack {type(v).__name__}")


def _head(n: int, tiny: int, big: int) -> bytes:
    if n < 16:
        return bytes([tiny + n])
    if n < 256:
        return bytes([big, n])
    if n < 65536:
        return bytes([big + 1]) + struct.pack(">H", n)
    return bytes([big + 2]) + struct.pack(">I", n)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.i = 0

    def take(self, n: int) -> bytes:
        out = self.data[self.i:self.i + n]
        self.i += n
        return out

    def size(self, marker: int, base: int) -> int:
        k = marker - base
        return (self.take(1)[0] if k == 0 else struct.unpack(">H", self.take(2))[0] if k == 1
                else struct.unpack(">I", self.take(4))[0])

    def value(self) -> Any:
        m = self.take(1)[0]
        if m < 0x80:
            return m
        if m >= 0xF0:
            return m - 0x100
        if 0x80 <= m < 0x90:
            return self.take(m - 0x80).decode("utf-8")
        if 0x90 <= m < 0xA0:
            return [self.value() for _ in range(m - 0x90)]
        if 0xA0 <= m < 0xB0:
            return {self.value(): self.value() for _ in range(m - 0xA0)}
        if 0xB0 <= m < 0xC0:
            tag = self.take(1)[0]
            return ("struct", tag, [self.value() for _ in range(m - 0xB0)])
        if m == 0xC0:
            return None
        if m == 0xC1:
            return struct.unpack(">d", self.take(8))[0]
        if m in (0xC2, 0xC3):
            return m == 0xC3
        if m in (0xC8, 0xC9, 0xCA, 0xCB):
            fmt, n = {0xC8: (">b", 1), 0xC9: (">h", 2), 0xCA: (">i", 4), 0xCB: (">q", 8)}[m]
            return struct.unpack(fmt, self.take(n))[0]
        if m in (0xD0, 0xD1, 0xD2):
            return self.take(self.size(m, 0xD0)).decode("utf-8")
        if m in (0xD4, 0xD5, 0xD6):
            return [self.value() for _ in range(self.size(m, 0xD4))]
        if m in (0xD8, 0xD9, 0xDA):
            return {self.value(): self.value() for _ in range(self.size(m, 0xD8))}
        raise ValueError(f"unsupported PackStream marker 0x{m:02X}")


# -- server -------------------------------------------------------------------------------

Respond = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


class FakeBolt:
    """A scripted Bolt server on 127.0.0.1 (see the module docstring)."""

    def __init__(self, respond: Respond, password: str = PASSWORD) -> None:
        self.respond = respond
        self.password = password
        self.log: list[tuple[str, Any]] = []  # (message name, details)
        self._lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def uri(self) -> str:
        """``bolt://127.0.0.1:<port>``."""
        return f"bolt://127.0.0.1:{self.server.server_address[1]}"

    def names(self) -> list[str]:
        """The names of the messages received so far (HELLO/RESET/GOODBYE left out)."""
        return [n for n, _ in self.log if n not in ("HELLO", "RESET", "GOODBYE")]

    def queries(self) -> list[str]:
        """The query texts received so far."""
        return [d[0] for n, d in self.log if n == "RUN"]

    def __enter__(self) -> FakeBolt:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- one connection ------------------------------------------------------------------
    def _serve(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms delayed-ACK stalls
        f = sock.makefile("rwb")
        if f.read(4) != b"\x60\x60\xB0\x17":
            return
        f.read(16)
        f.write(b"\x00\x00\x00\x05")  # Bolt 5.0
        f.flush()
        failed = False
        pending: list[dict[str, Any]] = []
        fields: list[str] = []
        while True:
            msg = self._read_message(f)
            if msg is None:
                return
            _, tag, args = msg
            name = NAMES.get(tag, hex(tag))
            with self._lock:
                self.log.append((name, args))
            if tag == GOODBYE:
                return
            if tag == RESET:
                failed = False
                self._send(f, SUCCESS, {})
                continue
            if failed:
                self._send(f, IGNORED)
                continue
            try:
                if tag == HELLO:
                    auth = args[0]
                    if auth.get("credentials") != self.password:
                        raise Failure("Neo.ClientError.Security.Unauthorized",
                                      "The client is unauthorized due to authentication failure.")
                    self._send(f, SUCCESS, {"server": AGENT, "connection_id": "bolt-1"})
                elif tag == RUN:
                    query, params = args[0], args[1]
                    pending = self.respond(query, params)
                    fields = list(pending[0]) if pending else []
                    self._send(f, SUCCESS, {"fields": fields, "t_first": 0})
                elif tag in (PULL, DISCARD):
                    if tag == PULL:
                        for row in pending:
                            self._send(f, RECORD, [row[k] for k in fields])
                    pending = []
                    self._send(f, SUCCESS, {"has_more": False, "t_last": 0, "type": "rw",
                                            "bookmark": "bm:1"})
                elif tag == BEGIN:
                    db = args[0].get("db") if args else None
                    if db == "missing":
                        raise Failure("Neo.ClientError.Database.DatabaseNotFound",
                                      f"Database does not exist. Database name: '{db}'.")
                    self._send(f, SUCCESS, {})
                elif tag == COMMIT:
                    self._send(f, SUCCESS, {"bookmark": "bm:1"})
                elif tag == ROLLBACK:
                    self._send(f, SUCCESS, {})
                else:
                    self._send(f, SUCCESS, {})
            except Failure as exc:
                failed = True
                self._send(f, FAILURE, {"code": exc.code, "message": exc.message})

    @staticmethod
    def _read_message(f: Any) -> tuple | None:
        data = b""
        while True:
            head = f.read(2)
            if len(head) < 2:
                return None
            (n,) = struct.unpack(">H", head)
            if n == 0:
                if data:
                    return _Reader(data).value()
                continue  # NOOP chunk
            data += f.read(n)

    @staticmethod
    def _send(f: Any, tag: int, *fields: Any) -> None:
        body = bytes([0xB0 + len(fields), tag]) + b"".join(pack(x) for x in fields)
        for i in range(0, len(body), 65535):
            part = body[i:i + 65535]
            f.write(struct.pack(">H", len(part)) + part)
        f.write(b"\x00\x00")
        f.flush()
