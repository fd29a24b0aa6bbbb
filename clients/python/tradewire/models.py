"""What the API answers, as dataclasses.

Every ``from_json`` reads only the keys it knows and keeps the whole payload in ``raw``, so a server
that adds fields never breaks an older client, and a field this client does not model yet is
still reachable. Times stay ISO 8601 strings as sent (``parse_time`` turns one into a datetime).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional


def parse_time(value: Optional[str]) -> Optional[datetime.datetime]:
    """An API time (ISO 8601, ``Z`` for UTC) as an aware datetime; None stays None."""
    if value is None:
        return None
    # datetime.fromisoformat only takes "Z" from Python 3.11 on.
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    return datetime.datetime.fromisoformat(text)


def _float(value: Any) -> Optional[float]:
    # An int stays an int (a quantity of 2 prints as 2); typing's float accepts it.
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return float(value)


def _number(value: Any) -> float:
    number = _float(value)
    return 0 if number is None else number


def _int(value: Any) -> Optional[int]:
    return None if value is None else int(value)


def _str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _dicts(value: Any) -> List[Dict[str, Any]]:
    return [dict(item) for item in value or [] if isinstance(item, Mapping)]


@dataclass
class Execution:
    """One execution of an order at the broker."""

    exec_id: str
    price: float
    quantity: float
    time: Optional[str] = None
    commission: Optional[float] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Execution":
        return cls(
            exec_id=str(data.get("execId", "")),
            price=_number(data.get("price")),
            quantity=_number(data.get("quantity")),
            time=_str(data.get("time")),
            commission=_float(data.get("commission")),
            raw=dict(data),
        )


@dataclass
class Order:
    """An order as ``GET /orders`` lists it (summary) or ``GET /orders/{id}`` shows it (the detail fields set)."""

    client_order_id: str
    state: str
    terminal: bool = False
    account: Optional[str] = None
    symbol: Optional[str] = None
    contract_month: Optional[str] = None
    side: Optional[str] = None
    quantity: Optional[float] = None
    order_type: Optional[str] = None
    limit_price: Optional[float] = None
    stop_price: Optional[float] = None
    time_in_force: Optional[str] = None
    strategy: Optional[str] = None
    filled_quantity: float = 0
    average_price: Optional[float] = None
    received_at: Optional[str] = None
    updated_at: Optional[str] = None
    url: Optional[str] = None
    # Detail only (None / empty in a summary).
    ib_order_id: Optional[int] = None
    broker_status: Optional[str] = None
    reject_reason: Optional[str] = None
    commission: Optional[float] = None
    executions: List[Execution] = field(default_factory=list)
    history: List[Dict[str, Any]] = field(default_factory=list, repr=False)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Order":
        return cls(
            client_order_id=str(data.get("clientOrderId", "")),
            state=str(data.get("state", "")),
            terminal=bool(data.get("terminal", False)),
            account=_str(data.get("account")),
            symbol=_str(data.get("symbol")),
            contract_month=_str(data.get("contractMonth")),
            side=_str(data.get("side")),
            quantity=_float(data.get("quantity")),
            order_type=_str(data.get("orderType")),
            limit_price=_float(data.get("limitPrice")),
            stop_price=_float(data.get("stopPrice")),
            time_in_force=_str(data.get("timeInForce")),
            strategy=_str(data.get("strategy")),
            filled_quantity=_number(data.get("filledQuantity")),
            average_price=_float(data.get("averagePrice")),
            received_at=_str(data.get("receivedAt")),
            updated_at=_str(data.get("updatedAt")),
            url=_str(data.get("url")),
            ib_order_id=_int(data.get("ibOrderId")),
            broker_status=_str(data.get("brokerStatus")),
            reject_reason=_str(data.get("rejectReason")),
            commission=_float(data.get("commission")),
            executions=[Execution.from_json(item) for item in _dicts(data.get("executions"))],
            history=_dicts(data.get("history")),
            raw=dict(data),
        )

    @property
    def signed_filled_quantity(self) -> float:
        """The filled quantity with a sign: positive bought, negative sold."""
        return -self.filled_quantity if self.side == "SELL" else self.filled_quantity


@dataclass
class OrderPage:
    """One page of ``GET /orders``; ``next_cursor`` is None on the last page."""

    orders: List[Order]
    next_cursor: Optional[str]


@dataclass
class Accepted:
    """A 202: the submission, cancel or modify is queued (``job_id``); its outcome comes as order events."""

    accepted: bool
    client_order_id: str
    job_id: Optional[str] = None
    url: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Accepted":
        return cls(
            accepted=bool(data.get("accepted", False)),
            client_order_id=str(data.get("clientOrderId", "")),
            job_id=_str(data.get("jobId")),
            url=_str(data.get("url")),
            raw=dict(data),
        )


@dataclass
class Position:
    """A contract's position: tradewire's own (``internal``) beside the broker's (None until it answered)."""

    account: Optional[str]
    symbol: str
    contract_month: Optional[str]
    broker: Optional[float]
    internal: float
    difference: float = 0
    break_info: Optional[Dict[str, Any]] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Position":
        broken = data.get("break")
        return cls(
            account=_str(data.get("account")),
            symbol=str(data.get("symbol", "")),
            contract_month=_str(data.get("contractMonth")),
            broker=_float(data.get("broker")),
            internal=_number(data.get("internal")),
            difference=_number(data.get("difference")),
            break_info=dict(broken) if isinstance(broken, Mapping) else None,
            raw=dict(data),
        )


@dataclass
class Positions:
    """``GET /positions``: every position, and the open reconciliation breaks."""

    as_of: Optional[str]
    positions: List[Position]
    breaks: List[Dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Positions":
        return cls(
            as_of=_str(data.get("asOf")),
            positions=[Position.from_json(item) for item in _dicts(data.get("positions"))],
            breaks=_dicts(data.get("breaks")),
        )


@dataclass
class Fill:
    """One execution from the fills stream; ``id`` is its stream id (a cursor for ``fills(since=...)``)."""

    id: str
    exec_id: str
    client_order_id: Optional[str]
    account: Optional[str]
    symbol: Optional[str]
    contract_month: Optional[str]
    side: Optional[str]
    price: float
    quantity: float
    time: Optional[str] = None
    commission: Optional[float] = None
    parent_client_order_id: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Fill":
        return cls(
            id=str(data.get("id", "")),
            exec_id=str(data.get("execId", "")),
            client_order_id=_str(data.get("clientOrderId")),
            account=_str(data.get("account")),
            symbol=_str(data.get("symbol")),
            contract_month=_str(data.get("contractMonth")),
            side=_str(data.get("side")),
            price=_number(data.get("price")),
            quantity=_number(data.get("quantity")),
            time=_str(data.get("time")),
            commission=_float(data.get("commission")),
            parent_client_order_id=_str(data.get("parentClientOrderId")),
            raw=dict(data),
        )


@dataclass
class FillPage:
    """One page of ``GET /fills``; pass ``next_cursor`` as the next ``since`` (it stays put when nothing is new)."""

    fills: List[Fill]
    next_cursor: Optional[str]


@dataclass
class Price:
    """A consolidated price; ``price`` is None when no source is live."""

    symbol: str
    contract_month: Optional[str]
    bid: Optional[float]
    ask: Optional[float]
    last: Optional[float]
    price: Optional[float]
    confidence: float = 0
    sources: int = 0
    updated_at: Optional[str] = None
    age_ms: Optional[float] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Price":
        return cls(
            symbol=str(data.get("symbol", "")),
            contract_month=_str(data.get("contractMonth")),
            bid=_float(data.get("bid")),
            ask=_float(data.get("ask")),
            last=_float(data.get("last")),
            price=_float(data.get("price")),
            confidence=_number(data.get("confidence")),
            sources=int(data.get("sources") or 0),
            updated_at=_str(data.get("updatedAt")),
            age_ms=_float(data.get("ageMs")),
            raw=dict(data),
        )


@dataclass
class HaltResult:
    """``POST /halt``: intake is halted, why, and how many working orders were asked to cancel."""

    halted: bool
    causes: List[str]
    cancel_requested: int = 0
    audit_seq: Optional[int] = None
    request_id: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "HaltResult":
        return cls(
            halted=bool(data.get("halted", False)),
            causes=[str(cause) for cause in data.get("causes") or []],
            cancel_requested=int(data.get("cancelRequested") or 0),
            audit_seq=_int(data.get("auditSeq")),
            request_id=_str(data.get("requestId")),
            raw=dict(data),
        )


@dataclass
class ResumeResult:
    """``POST /resume``: intake runs again; ``cleared`` names the halt causes removed."""

    resumed: bool
    cleared: List[str]
    audit_seq: Optional[int] = None
    request_id: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ResumeResult":
        return cls(
            resumed=bool(data.get("resumed", False)),
            cleared=[str(cause) for cause in data.get("cleared") or []],
            audit_seq=_int(data.get("auditSeq")),
            request_id=_str(data.get("requestId")),
            raw=dict(data),
        )


@dataclass
class Event:
    """One server-sent event. ``data`` is the parsed JSON payload (the text itself if it was not JSON).

    ``type`` is ``order``, ``fill``, ``break``, ``halt``, ``reportable``, ``connection``, ``roll`` or
    ``lost`` (events were dropped before the client could read them: ``data`` says from where).
    """

    id: Optional[str]
    type: str
    data: Any

    @classmethod
    def from_sse(cls, id: Optional[str], type: str, text: str) -> "Event":
        try:
            data: Any = json.loads(text)
        except ValueError:
            data = text
        return cls(id=id, type=type, data=data)

    @property
    def lost(self) -> bool:
        return self.type == "lost"
