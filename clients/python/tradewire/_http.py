"""HTTP plumbing on http.client: where the server is, and one request/response exchange.

http.client rather than urllib.request: urllib routes through any ``http_proxy`` in the
environment, which for a loopback admin API is never wanted, and it cannot hand back a live
response to read an event stream from without buffering it.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from .errors import ConnectionFailed, error_from_response

Query = Mapping[str, Union[str, int, None]]
USER_AGENT = "tradewire-python/0.1"


@dataclass(frozen=True)
class Endpoint:
    """The server's base URL, split once."""

    scheme: str
    host: str
    port: int
    base_path: str

    @classmethod
    def parse(cls, url: str) -> "Endpoint":
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected an http:// or https:// URL with a host; got {url!r}")
        if parts.username or parts.password:
            raise ValueError("put the token in token=..., not in the URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.base_path}"

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def target(self, path: str, query: Optional[Query] = None) -> str:
        pairs = [(key, str(value)) for key, value in (query or {}).items() if value is not None]
        return self.base_path + path + (("?" + urllib.parse.urlencode(pairs)) if pairs else "")


def request_headers(token: Optional[str], accept: str, has_body: bool) -> Dict[str, str]:
    headers = {"Accept": accept, "User-Agent": USER_AGENT}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if has_body:
        headers["Content-Type"] = "application/json"
    return headers


def decode_body(raw: bytes, content_type: str) -> Any:
    """JSON when it parses as JSON, the text otherwise (a proxy's HTML error page, say)."""
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def exchange(
    endpoint: Endpoint,
    token: Optional[str],
    method: str,
    path: str,
    *,
    query: Optional[Query] = None,
    body: Any = None,
    timeout: float,
) -> Tuple[int, Any]:
    """One request; returns ``(status, parsed body)`` for a 2xx, raises the matching TradewireError otherwise."""
    payload = None if body is None else json.dumps(body).encode("utf-8")
    target = endpoint.target(path, query)
    connection = endpoint.connection(timeout)
    try:
        connection.request(method, target, body=payload, headers=request_headers(token, "application/json", payload is not None))
        response = connection.getresponse()
        raw = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        raise ConnectionFailed(f"{method} {endpoint.url}{target}: {type(error).__name__}: {error}") from error
    finally:
        connection.close()
    parsed = decode_body(raw, headers.get("content-type", ""))
    if 200 <= status < 300:
        return status, parsed
    raise error_from_response(status, parsed, headers)
