"""The API's error answers as exceptions, one class per HTTP status a caller may want to catch."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple, Type

from .models import Order

FieldProblem = Tuple[str, str]


class TradewireError(Exception):
    """An error answer from tradewire (``status`` set) or no answer at all (``status`` is None).

    ``code`` and ``message`` come from the body's ``error`` object; ``fields`` lists
    ``(field, message)`` pairs for the inputs the server refused; ``body`` is the parsed body as sent.
    Nothing here ever holds the bearer token: the server never echoes it and the client never adds it.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        fields: Optional[List[FieldProblem]] = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields: List[FieldProblem] = list(fields or [])
        self.body = body

    def __str__(self) -> str:
        head = " ".join(part for part in (str(self.status) if self.status is not None else "", self.code or "") if part)
        text = f"{head}: {self.message}" if head else self.message
        if self.fields and not all(f"{field}: {problem}" in self.message for field, problem in self.fields):
            text += " (" + "; ".join(f"{field}: {problem}" for field, problem in self.fields) + ")"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class BadRequest(TradewireError):
    """400: the request was refused as invalid; ``fields`` names what was wrong."""


class Unauthorized(TradewireError):
    """401: no bearer token, a wrong one, or a credential in the query string."""


class Forbidden(TradewireError):
    """403: the token may not do this (a read token on a mutation), or mutations are disabled."""


class NotFound(TradewireError):
    """404: no such order (or route)."""


class Conflict(TradewireError):
    """409: a duplicate clientOrderId (``existing_order`` is the order already known), or a resume with nothing halted."""

    def __init__(self, message: str, *, existing_order: Optional[Order] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.existing_order = existing_order


class Unavailable(TradewireError):
    """503: not now (a standby node, orders not running, Redis away); ``retry_after`` in seconds when the server said."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ConnectionFailed(TradewireError):
    """No HTTP answer: the server could not be reached, or the connection broke mid-request."""


_BY_STATUS: Dict[int, Type[TradewireError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    503: Unavailable,
}


def _fields_of(error: Mapping[str, Any]) -> List[FieldProblem]:
    problems: List[FieldProblem] = []
    for entry in error.get("fields") or []:
        if isinstance(entry, Mapping):
            problems.append((str(entry.get("field", "")), str(entry.get("message", ""))))
    return problems


def _retry_after(headers: Mapping[str, str]) -> Optional[float]:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return float(value)
            except ValueError:
                return None
    return None


def error_from_response(status: int, body: Any, headers: Optional[Mapping[str, str]] = None) -> TradewireError:
    """The exception for a non-2xx answer; ``body`` is the parsed JSON, or the text when it was not JSON."""
    error = body.get("error") if isinstance(body, Mapping) else None
    if isinstance(error, Mapping):
        code = error.get("code")
        message = str(error.get("message") or f"HTTP {status}")
        fields = _fields_of(error)
    else:
        code = None
        text = body.strip() if isinstance(body, str) else ""
        message = f"HTTP {status}" + (f": {text[:200]}" if text else "")
        fields = []
    cls = _BY_STATUS.get(status, TradewireError)
    common: Dict[str, Any] = {"status": status, "code": None if code is None else str(code), "fields": fields, "body": body}
    if cls is Conflict:
        order = body.get("order") if isinstance(body, Mapping) else None
        return Conflict(message, existing_order=Order.from_json(order) if isinstance(order, Mapping) else None, **common)
    if cls is Unavailable:
        return Unavailable(message, retry_after=_retry_after(headers or {}), **common)
    return cls(message, **common)
