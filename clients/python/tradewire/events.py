"""``GET /events`` as an iterator that survives dropped connections.

A dropped or silent connection is reopened with ``Last-Event-ID`` set to the last event handed to
the caller, so the server replays what was missed: no gap and no repeat. If the server no longer
holds that far back it says so with a ``lost`` event, which is passed on like any other: the caller
decides what a gap means to it (re-read orders and positions, say).
"""

from __future__ import annotations

import codecs
import http.client
import socket
import time
from collections import deque
from types import TracebackType
from typing import Deque, Iterable, Iterator, Optional, Tuple, Type

from ._http import USER_AGENT, Endpoint, decode_body
from .errors import ConnectionFailed, TradewireError, Unavailable, error_from_response
from .models import Event
from .sse import SseParser

# The server comments every 15 s; three missed keepalives mean the connection is dead, even if TCP has not noticed.
DEFAULT_IDLE_TIMEOUT = 45.0
DEFAULT_RETRY_MS = 1000
MAX_RETRY_MS = 30_000


def reconnect_delay(retry_ms: int, failures: int, max_ms: int = MAX_RETRY_MS) -> float:
    """Seconds to wait before reconnecting: the server's ``retry:`` (or the default), doubled per failure in a row."""
    return min(retry_ms << min(failures, 30), max(max_ms, retry_ms)) / 1000.0


def _retryable(error: TradewireError) -> bool:
    return isinstance(error, (ConnectionFailed, Unavailable)) or (error.status is not None and (error.status >= 500 or error.status == 429))


class EventStream(Iterator[Event]):
    """Iterate for events; ``last_event_id`` is the id of the last one returned (keep it to resume later).

    The connection is opened by the constructor, and any failure to open it is raised there: once
    it returns, nothing that happens later is missed, and a wrong URL or token shows at once rather
    than as an endless reconnect. Only a stream that was open is reconnected.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        token: Optional[str],
        *,
        types: Optional[Iterable[str]] = None,
        last_event_id: Optional[str] = None,
        connect_timeout: float = 10.0,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        retry_ms: int = DEFAULT_RETRY_MS,
        reconnect: bool = True,
    ) -> None:
        self._endpoint = endpoint
        self._token = token
        self.types = None if types is None else list(types)
        self.last_event_id = last_event_id
        self.retry_ms = retry_ms
        self.reconnects = 0
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        self._reconnect = reconnect
        self._failures = 0
        self._closed = False
        self._pending: Deque[Event] = deque()
        self._connection: Optional[http.client.HTTPConnection] = None
        self._response: Optional[http.client.HTTPResponse] = None
        # Kept apart: http.client drops its own reference when the server says it will close.
        self._socket: Optional[socket.socket] = None
        self._parser = SseParser(last_event_id)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._connection, self._response, self._socket = self._connect()

    def __repr__(self) -> str:
        return f"EventStream(url={self._endpoint.url!r}, types={self.types!r}, last_event_id={self.last_event_id!r})"

    def __iter__(self) -> "EventStream":
        return self

    def __next__(self) -> Event:
        while True:
            if self._pending:
                event = self._pending.popleft()
                if event.id is not None:
                    self.last_event_id = event.id
                return event
            # All parsed events are handed out: an id the server settled since (past events filtered out for us) counts too.
            self.last_event_id = self._parser.settled_id
            if self._closed:
                raise StopIteration
            if self._response is None:
                self._reopen()
                continue
            chunk = self._read(self._response)
            if chunk:
                self._take(chunk)
                continue
            self._disconnect()
            if self._closed:
                raise StopIteration
            if not self._reconnect:
                raise ConnectionFailed(f"the event stream from {self._endpoint.url} ended")
            self._pause()

    def close(self) -> None:
        """Stop: the connection is shut (a read blocked in another thread returns) and iteration ends."""
        self._closed = True
        self._disconnect()

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, kind: Optional[Type[BaseException]], value: Optional[BaseException], trace: Optional[TracebackType]) -> None:
        self.close()

    def _reopen(self) -> None:
        while True:
            try:
                self._connection, self._response, self._socket = self._connect()
            except TradewireError as error:
                if self._closed:
                    return
                if not (self._reconnect and _retryable(error)):
                    raise
                self._pause()
                continue
            if self._closed:
                self._disconnect()
                return
            self.reconnects += 1
            # What a new connection starts from: the last id handed out; half-read text is dropped with the old one.
            retry_ms = self._parser.retry_ms
            self._parser = SseParser(self.last_event_id)
            self._parser.retry_ms = retry_ms
            self._decoder.reset()
            return

    def _connect(self) -> Tuple[http.client.HTTPConnection, http.client.HTTPResponse, Optional[socket.socket]]:
        query = {"types": ",".join(self.types)} if self.types else None
        target = self._endpoint.target("/events", query)
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache", "User-Agent": USER_AGENT}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        connection = self._endpoint.connection(self._connect_timeout)
        try:
            connection.request("GET", target, headers=headers)
            sock = connection.sock
            response = connection.getresponse()
            if response.status != 200:
                body = decode_body(response.read(), response.getheader("content-type") or "")
                connection.close()
                raise error_from_response(response.status, body, dict(response.getheaders()))
            content_type = response.getheader("content-type") or ""
            if not content_type.startswith("text/event-stream"):
                connection.close()
                raise TradewireError(f"GET /events answered {content_type or 'no content type'}, not text/event-stream", status=200)
            if sock is not None:
                sock.settimeout(self._idle_timeout)
            return connection, response, sock
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise ConnectionFailed(f"GET {self._endpoint.url}{target}: {type(error).__name__}: {error}") from error

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        """The next bytes, or b'' when the connection ended, broke, went silent or was closed under us."""
        try:
            return response.read1(65536)
        except (OSError, http.client.HTTPException, ValueError, AttributeError):
            return b""

    def _take(self, chunk: bytes) -> None:
        for message in self._parser.feed(self._decoder.decode(chunk)):
            self._failures = 0
            self._pending.append(Event.from_sse(message.id, message.event, message.data))
        if self._parser.retry_ms is not None:
            self.retry_ms = self._parser.retry_ms

    def _disconnect(self) -> None:
        connection, sock, response = self._connection, self._socket, self._response
        self._connection, self._socket, self._response = None, None, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()

    def _pause(self) -> None:
        time.sleep(reconnect_delay(self.retry_ms, self._failures))
        self._failures += 1
