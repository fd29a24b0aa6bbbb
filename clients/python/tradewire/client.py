"""``Tradewire``: the admin API's orders, positions, fills, prices, events and halt switch."""

from __future__ import annotations

import datetime
import urllib.parse
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Union

from ._http import Endpoint, Query, exchange
from .events import DEFAULT_IDLE_TIMEOUT, DEFAULT_RETRY_MS, EventStream
from .models import Accepted, Fill, FillPage, HaltResult, Order, OrderPage, Positions, Price, ResumeResult

Time = Union[str, datetime.datetime]


def _iso(value: Optional[Time]) -> Optional[str]:
    """A time as the API wants it: ISO 8601 in UTC with ``Z``; a naive datetime is taken as UTC."""
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"


def _path_id(client_order_id: str) -> str:
    return urllib.parse.quote(client_order_id, safe="")


class Tradewire:
    """A client for one tradewire node's admin API.

    ``token`` is the operator token (``TRADEWIRE_ADMIN_TOKEN``) for orders and the halt switch, or the
    read token for reads only; reads on loopback need none. It is sent as a bearer header and never
    shown: not in ``repr``, not in any exception.
    """

    def __init__(self, url: str = "http://127.0.0.1:7400", token: Optional[str] = None, timeout: float = 10.0) -> None:
        self._endpoint = Endpoint.parse(url)
        self.__token = token
        self.timeout = timeout

    @property
    def url(self) -> str:
        return self._endpoint.url

    def __repr__(self) -> str:
        return f"Tradewire(url={self.url!r}, token={'<set>' if self.__token else None}, timeout={self.timeout!r})"

    def _call(self, method: str, path: str, *, query: Optional[Query] = None, body: Any = None) -> Any:
        return exchange(self._endpoint, self.__token, method, path, query=query, body=body, timeout=self.timeout)[1]

    # Orders

    def submit_order(
        self,
        client_order_id: str,
        *,
        account: str,
        side: str,
        quantity: int,
        strategy: str,
        symbol: Optional[str] = None,
        expiry: Optional[str] = None,
        con_id: Optional[int] = None,
        order_type: str = "MKT",
        limit_price: Optional[float] = None,
        stop_price: Optional[float] = None,
        time_in_force: Optional[str] = None,
        algorithm: Optional[Mapping[str, Any]] = None,
        deadline: Optional[Time] = None,
        risk_reducing: Optional[bool] = None,
    ) -> Accepted:
        """Queue a new order (``POST /orders``): 202 once queued; its fate comes as ``order`` and ``fill`` events.

        The instrument is ``symbol`` (with ``expiry``, YYYYMM or YYYYMMDD, for a contract month) or an
        IB ``con_id``. Raises Conflict (``existing_order`` set) if the ``client_order_id`` is already
        known, BadRequest naming the field if the order is invalid.
        """
        instrument: Dict[str, Any] = {"conId": con_id} if con_id is not None else {"symbol": symbol}
        if expiry is not None:
            instrument["expiry"] = expiry
        job: Dict[str, Any] = {
            "clientOrderId": client_order_id,
            "account": account,
            "instrument": instrument,
            "side": side,
            "quantity": quantity,
            "orderType": order_type,
            "strategy": strategy,
        }
        optional = {
            "limitPrice": limit_price,
            "stopPrice": stop_price,
            "timeInForce": time_in_force,
            "algorithm": None if algorithm is None else dict(algorithm),
            "deadline": _iso(deadline),
            "riskReducing": risk_reducing,
        }
        job.update({key: value for key, value in optional.items() if value is not None})
        return Accepted.from_json(self._call("POST", "/orders", body=job))

    def cancel(self, client_order_id: str) -> Accepted:
        """Ask for the order's cancellation (``POST /orders/{id}/cancel``); NotFound for an unknown id."""
        return Accepted.from_json(self._call("POST", f"/orders/{_path_id(client_order_id)}/cancel"))

    def modify(
        self,
        client_order_id: str,
        quantity: Optional[int] = None,
        limit_price: Optional[float] = None,
        stop_price: Optional[float] = None,
    ) -> Accepted:
        """Change a working order's quantity or prices (``POST /orders/{id}/modify``); only the given ones are sent."""
        changes = {"quantity": quantity, "limitPrice": limit_price, "stopPrice": stop_price}
        body = {key: value for key, value in changes.items() if value is not None}
        return Accepted.from_json(self._call("POST", f"/orders/{_path_id(client_order_id)}/modify", body=body))

    def get_order(self, client_order_id: str) -> Order:
        """One order with its executions and history (``GET /orders/{id}``); NotFound for an unknown id."""
        return Order.from_json(self._call("GET", f"/orders/{_path_id(client_order_id)}"))

    def list_orders(
        self,
        state: Optional[str] = None,
        since: Optional[Time] = None,
        strategy: Optional[str] = None,
        symbol: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> OrderPage:
        """One page of orders, most recent first (``GET /orders``). ``state``: open, terminal or all;
        ``since``: received at or after; ``cursor``: a previous page's ``next_cursor``."""
        query = {"state": state, "since": _iso(since), "strategy": strategy, "symbol": symbol, "limit": limit, "cursor": cursor}
        page = self._call("GET", "/orders", query=query)
        return OrderPage(orders=[Order.from_json(item) for item in page.get("orders") or []], next_cursor=page.get("nextCursor"))

    def iter_orders(
        self,
        state: Optional[str] = None,
        since: Optional[Time] = None,
        strategy: Optional[str] = None,
        symbol: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> Iterator[Order]:
        """Every matching order, page after page through the cursor."""
        cursor: Optional[str] = None
        while True:
            page = self.list_orders(state=state, since=since, strategy=strategy, symbol=symbol, limit=page_size, cursor=cursor)
            yield from page.orders
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    # Positions, fills, prices

    def positions(self) -> Positions:
        """Every position, tradewire's beside the broker's, and open breaks (``GET /positions``)."""
        return Positions.from_json(self._call("GET", "/positions"))

    def fills(self, since: Optional[str] = None, limit: Optional[int] = None) -> FillPage:
        """Executions after the cursor ``since`` (exclusive; None = the oldest retained), oldest first (``GET /fills``)."""
        page = self._call("GET", "/fills", query={"since": since, "limit": limit})
        return FillPage(fills=[Fill.from_json(item) for item in page.get("fills") or []], next_cursor=page.get("nextCursor"))

    def iter_fills(self, since: Optional[str] = None, page_size: Optional[int] = None) -> Iterator[Fill]:
        """Every fill after ``since`` retained now, page after page."""
        cursor = since
        while True:
            page = self.fills(since=cursor, limit=page_size)
            if not page.fills:
                return
            yield from page.fills
            cursor = page.next_cursor

    def prices(self) -> List[Price]:
        """The consolidated prices (``GET /prices``)."""
        return [Price.from_json(item) for item in self._call("GET", "/prices").get("prices") or []]

    # Events

    def events(
        self,
        types: Optional[Iterable[str]] = None,
        last_event_id: Optional[str] = None,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        retry_ms: int = DEFAULT_RETRY_MS,
        reconnect: bool = True,
    ) -> EventStream:
        """The event stream (``GET /events``), e.g. ``types=["order", "fill"]``; iterate it for Event objects.

        The stream is open when this returns (a refusal or an unreachable server is raised here), so
        an order submitted afterwards cannot slip past it. It resumes after ``last_event_id`` if given.
        A dropped connection is reopened from the last event returned, after ``retry_ms`` (or the
        server's ``retry:``), doubled per failure in a row; ``idle_timeout`` seconds without a byte
        counts as dropped; 401, 403 and 400 answers end it with the error. A ``lost`` event means the
        server no longer held everything since that id.
        """
        return EventStream(
            self._endpoint,
            self.__token,
            types=types,
            last_event_id=last_event_id,
            connect_timeout=self.timeout,
            idle_timeout=idle_timeout,
            retry_ms=retry_ms,
            reconnect=reconnect,
        )

    # The halt switch

    def halt(self, reason: str, cancel_all: bool = False, operator: Optional[str] = None) -> HaltResult:
        """The kill switch (``POST /halt``): new risk refused until ``resume``; ``cancel_all`` cancels every working order too."""
        body: Dict[str, Any] = {"reason": reason, "cancelAll": cancel_all}
        if operator is not None:
            body["operator"] = operator
        return HaltResult.from_json(self._call("POST", "/halt", body=body))

    def resume(self, reason: str, operator: Optional[str] = None) -> ResumeResult:
        """Let order intake run again (``POST /resume``); Conflict when nothing is halted."""
        body: Dict[str, Any] = {"reason": reason}
        if operator is not None:
            body["operator"] = operator
        return ResumeResult.from_json(self._call("POST", "/resume", body=body))
