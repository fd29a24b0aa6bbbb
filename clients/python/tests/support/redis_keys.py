"""Deletes a namespace's keys from the shared Redis, over a bare RESP socket (the tests use no Redis package)."""

from __future__ import annotations

import socket
import urllib.parse
from typing import Any, List, Optional


def _encode(*parts: str) -> bytes:
    out = [f"*{len(parts)}\r\n".encode()]
    for part in parts:
        data = part.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class _Resp:
    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")
        self._sock = sock

    def call(self, *parts: str) -> Any:
        self._sock.sendall(_encode(*parts))
        return self._read()

    def _read(self) -> Any:
        line = self._file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(f"redis: {rest.decode()}")
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            data = self._file.read(length + 2)[:-2]
            return data.decode()
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self._read() for _ in range(count)]
        raise RuntimeError(f"redis: unexpected reply {line!r}")


def delete_namespace(redis_url: str, namespace: str) -> int:
    """Every key under ``<namespace>:`` deleted; returns how many."""
    url = urllib.parse.urlsplit(redis_url)
    db: Optional[str] = url.path.strip("/") or None
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=10) as sock:
        redis = _Resp(sock)
        if url.password:
            redis.call(*(["AUTH", urllib.parse.unquote(url.username), urllib.parse.unquote(url.password)] if url.username else ["AUTH", urllib.parse.unquote(url.password)]))
        if db:
            redis.call("SELECT", db)
        deleted, cursor = 0, "0"
        while True:
            cursor, keys = redis.call("SCAN", cursor, "MATCH", f"{namespace}:*", "COUNT", "1000")
            batch: List[str] = keys or []
            if batch:
                deleted += redis.call("DEL", *batch)
            if cursor == "0":
                return deleted
