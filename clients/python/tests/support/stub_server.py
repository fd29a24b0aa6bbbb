"""A scripted HTTP server on loopback for the client's transport tests (no tradewire needed).

Each request is answered by the next script entry, a function given the request handler; the
requests' paths and headers are recorded for the test to check.
"""

from __future__ import annotations

import http.server
import json
import threading
from typing import Any, Callable, Dict, List, Optional

Handler = http.server.BaseHTTPRequestHandler
Script = Callable[[Handler], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.0: a response ends when the server closes the connection, which is how a stream "drops".
    protocol_version = "HTTP/1.0"

    def _answer(self) -> None:
        stub: StubServer = self.server.stub  # type: ignore[attr-defined]
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        stub.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
        script = stub.scripts.pop(0) if stub.scripts else stub.default
        try:
            script(self)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StubServer:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.scripts: List[Script] = []
        self.default: Script = json_answer(404, {"error": {"code": "no_script", "message": "no script left"}})
        self.release = threading.Event()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.stub = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "StubServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


def json_answer(status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> Script:
    def answer(handler: Handler) -> None:
        payload = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)

    return answer


def text_answer(status: int, text: str) -> Script:
    def answer(handler: Handler) -> None:
        payload = text.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    return answer


def event_stream(text: str, hold: bool = False) -> Script:
    """Sends ``text`` as an event stream, then ends it (a dropped connection), or with ``hold`` keeps it open until the server stops."""

    def answer(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        handler.wfile.write(text.encode())
        handler.wfile.flush()
        if hold:
            handler.server.stub.release.wait(30)  # type: ignore[attr-defined]

    return answer
