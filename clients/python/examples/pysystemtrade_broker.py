#!/usr/bin/env python3
"""A pysystemtrade-style broker adapter on tradewire: orders, fills and positions through its admin API.

pysystemtrade (github.com/robcarver17/pysystemtrade) talks to a broker through the data classes in
``sysbrokers/``. The classes below keep their method names and signatures so they can stand where
the IB ones stand, with tradewire (and IB behind it) doing the broker work:

- ``sysbrokers/broker_execution_stack.py`` (``brokerExecutionStackData``) and
  ``sysbrokers/IB/ib_orders.py`` (``ibExecutionStackData``, ``ibOrderWithControls``):
  ``put_order_on_stack``, ``get_list_of_broker_orders_with_account_id``,
  ``get_list_of_orders_from_storage``, ``match_db_broker_order_to_order_from_brokers``,
  ``cancel_order_on_stack``, ``cancel_order_given_control_object``, ``check_order_is_cancelled``,
  ``check_order_is_cancelled_given_control_object``,
  ``check_order_can_be_modified_given_control_object``, ``modify_limit_price_given_control_object``
  -> ``tradewireExecutionStackData`` and ``tradewireOrderWithControls``.
- ``sysbrokers/broker_contract_position_data.py`` (``brokerContractPositionData``) and
  ``sysbrokers/IB/ib_contract_position_data.py`` (``ibContractPositionData``):
  ``get_all_current_positions_as_list_with_contract_objects`` -> ``tradewireContractPositionData``.
- The order itself is ``sysexecution/orders/broker_orders.py`` (``brokerOrder``): instrument code,
  contract date (YYYYMM or YYYYMMDD), a signed trade quantity, order type ``market``/``limit``, limit
  price, and once filled: fill, filled_price, fill_datetime, commission, broker_permid/tempid.

pysystemtrade is not imported: small local dataclasses stand in for its types (``brokerOrder``,
``futuresContract``, ``contractPosition``, ``orderWithControls``). In a pysystemtrade install you
would subclass its own base classes and build its own objects instead; the mapping stays the same.
There is no ``brokerCapitalData`` here: tradewire's API has no account-value route.

Run against a local tradewire (``TRADEWIRE_ADMIN_TOKEN=... npm start``):

    python3 clients/python/examples/pysystemtrade_broker.py --url http://127.0.0.1:7400 --token "$TOKEN"

It places one market order (SP500, i.e. ES, 202703, +1) and prints its fill.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import threading
import uuid
from dataclasses import dataclass, replace
from enum import Enum
from typing import Dict, Final, List, Literal, Optional, Union

try:
    import tradewire
except ImportError:  # run from a checkout without installing the client
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import tradewire

from tradewire import Conflict, NotFound, Order, Tradewire, TradewireError, parse_time



class _named(Enum):
    """pysystemtrade's named sentinels (syscore/constants.py, sysexecution/orders/named_order_objects.py), compared with ``is``."""

    arg_not_supplied = "arg not supplied"
    missing_order = "missing order"


arg_not_supplied: Final = _named.arg_not_supplied
missing_order: Final = _named.missing_order
MissingOrder = Literal[_named.missing_order]
ArgNotSupplied = Literal[_named.arg_not_supplied]
success, failure = True, False

# pysystemtrade instrument codes -> IB symbols (its sysbrokers/IB/config/ib_config_futures.csv rows
# for the instruments tradewire's simulator knows).
DEFAULT_INSTRUMENT_TO_SYMBOL: Dict[str, str] = {
    "SP500": "ES",
    "NASDAQ": "NQ",
    "US10": "ZN",
    "US20": "ZB",
    "CRUDE_W": "CL",
    "GOLD": "GC",
    "CORN": "ZC",
    "WHEAT": "ZW",
}

# tradewire order states (src/machines/orders/orderMachine.ts) in which a limit price may change, and the final ones.
MODIFIABLE_STATES = {"working", "partiallyFilled"}
TERMINAL_STATES = {"filled", "cancelled", "rejected", "expired"}


class orderCannotBeModified(Exception):
    """syscore/exceptions.py: raised by modify_limit_price_given_control_object."""


@dataclass(frozen=True)
class futuresContract:
    """sysobjects/contracts.py, reduced: an instrument code and a contract date (YYYYMM or YYYYMMDD)."""

    instrument_code: str
    contract_date: str


@dataclass
class brokerOrder:
    """sysexecution/orders/broker_orders.py ``brokerOrder``, the fields a broker adapter reads and fills in."""

    strategy_name: str
    instrument_code: str
    contract_date: str
    trade: int  # signed: positive buys, negative sells
    order_type: str = "market"  # brokerOrderType: "market" or "limit" here
    limit_price: Optional[float] = None
    broker_account: str = ""
    order_id: Optional[int] = None  # pysystemtrade's own id, from its order stack
    fill: int = 0  # signed, like trade
    filled_price: Optional[float] = None
    fill_datetime: Optional[datetime.datetime] = None
    submit_datetime: Optional[datetime.datetime] = None
    commission: float = 0.0
    broker: str = "tradewire"
    broker_permid: str = ""  # IB's order id once tradewire placed it
    broker_tempid: str = ""  # tradewire's clientOrderId: the key every later call uses
    algo_comment: str = ""
    active: bool = True

    @property
    def futures_contract(self) -> futuresContract:
        return futuresContract(self.instrument_code, self.contract_date)

    def fill_equals_desired_trade(self) -> bool:
        return self.fill == self.trade


@dataclass
class orderWithControls:
    """sysexecution/order_stacks/broker_order_stack.py: the order and the broker's handle on it."""

    order: brokerOrder
    control_object: Optional[Order] = None


@dataclass
class contractPosition:
    """sysobjects/production/positions.py: a signed position in one contract."""

    position: float
    contract: futuresContract


listOfOrders = List[brokerOrder]
listOfContractPositions = List[contractPosition]


def broker_order_from_tradewire(order: Order, instrument_code: str, strategy_name: Optional[str] = None) -> brokerOrder:
    """A tradewire order (summary or detail) as a brokerOrder."""
    sign = -1 if order.side == "SELL" else 1
    last_fill_time = max((execution.time for execution in order.executions if execution.time), default=None)
    return brokerOrder(
        strategy_name=strategy_name or order.strategy or "",
        instrument_code=instrument_code,
        contract_date=order.contract_month or "",
        trade=sign * int(order.quantity or 0),
        order_type="limit" if order.order_type == "LMT" else "market",
        limit_price=order.limit_price,
        broker_account=order.account or "",
        fill=int(order.signed_filled_quantity),
        filled_price=order.average_price,
        fill_datetime=parse_time(last_fill_time) if order.filled_quantity else None,
        submit_datetime=parse_time(order.received_at),
        commission=float(order.commission or 0.0),
        broker_permid="" if order.ib_order_id is None else str(order.ib_order_id),
        broker_tempid=order.client_order_id,
        algo_comment=order.state,
        active=not order.terminal,
    )


class tradewireOrderWithControls(orderWithControls):
    """sysbrokers/IB/ib_orders.py ``ibOrderWithControls``: the control object is tradewire's view of the order."""

    def __init__(self, order: brokerOrder, client: Tradewire, control_object: Optional[Order] = None) -> None:
        super().__init__(order=order, control_object=control_object)
        self._client = client

    def update_order(self) -> None:
        """Re-read the order from tradewire and copy its fill, price, commission and ids onto the brokerOrder."""
        self.control_object = self._client.get_order(self.order.broker_tempid)
        fresh = broker_order_from_tradewire(self.control_object, self.order.instrument_code, self.order.strategy_name)
        self.order = replace(
            self.order,
            fill=fresh.fill,
            filled_price=fresh.filled_price,
            fill_datetime=fresh.fill_datetime,
            commission=fresh.commission,
            broker_permid=fresh.broker_permid,
            algo_comment=fresh.algo_comment,
            active=fresh.active,
        )

    def broker_limit_price(self) -> Optional[float]:
        """The limit price the order works at now: the last modify's, else the one it was sent with.

        An order's ``limitPrice`` is its terms as received; a modify shows in its history.
        """
        self.update_order()
        if self.control_object is None:
            return None
        modified = [entry["changes"]["limitPrice"] for entry in self.control_object.history if entry.get("kind") == "modified" and "limitPrice" in (entry.get("changes") or {})]
        return float(modified[-1]) if modified else self.control_object.limit_price


class tradewireExecutionStackData:
    """sysbrokers/broker_execution_stack.py ``brokerExecutionStackData`` (as ``ibExecutionStackData`` implements it) on tradewire."""

    def __init__(self, client: Tradewire, account_id: str, instrument_to_symbol: Optional[Dict[str, str]] = None) -> None:
        self.client = client
        self.account_id = account_id
        self.instrument_to_symbol = dict(instrument_to_symbol or DEFAULT_INSTRUMENT_TO_SYMBOL)
        self.symbol_to_instrument = {symbol: code for code, symbol in self.instrument_to_symbol.items()}
        self.traded_object_store: Dict[str, tradewireOrderWithControls] = {}

    def __repr__(self) -> str:
        return f"tradewire orders {self.client.url}"

    def put_order_on_stack(self, broker_order: brokerOrder) -> Union[tradewireOrderWithControls, MissingOrder]:
        """Send the order; the placed order with controls, or ``missing_order`` if tradewire refused it."""
        if broker_order.trade == 0 or broker_order.order_type not in ("market", "limit"):
            return missing_order
        # pysystemtrade's order id makes the submission idempotent: a retry after a timeout finds
        # the order already there (409) rather than placing a second one.
        client_order_id = broker_order.broker_tempid or (
            f"pst-{broker_order.order_id}" if broker_order.order_id is not None else f"pst-{uuid.uuid4().hex[:20]}"
        )
        try:
            self.client.submit_order(
                client_order_id,
                account=broker_order.broker_account or self.account_id,
                symbol=self.instrument_to_symbol.get(broker_order.instrument_code, broker_order.instrument_code),
                expiry=broker_order.contract_date,
                side="BUY" if broker_order.trade > 0 else "SELL",
                quantity=abs(broker_order.trade),
                order_type="LMT" if broker_order.order_type == "limit" else "MKT",
                limit_price=broker_order.limit_price if broker_order.order_type == "limit" else None,
                strategy=broker_order.strategy_name or "pysystemtrade",
            )
        except Conflict:
            pass  # already placed by an earlier attempt: carry on with that order
        except TradewireError as error:
            print(f"couldn't submit order {client_order_id}: {error}", file=sys.stderr)
            return missing_order
        placed = tradewireOrderWithControls(
            replace(broker_order, broker_tempid=client_order_id, submit_datetime=datetime.datetime.now(datetime.timezone.utc)),
            client=self.client,
        )
        self.traded_object_store[client_order_id] = placed
        return placed

    def get_list_of_broker_orders_with_account_id(self, account_id: Union[str, ArgNotSupplied] = arg_not_supplied) -> listOfOrders:
        """Today's orders at the broker (open ones and those done since midnight UTC) for the account."""
        account = self.account_id if account_id is arg_not_supplied else account_id
        midnight = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        return [
            broker_order_from_tradewire(order, self.symbol_to_instrument.get(order.symbol or "", order.symbol or ""))
            for order in self.client.iter_orders(state="all", since=midnight)
            if order.account == account
        ]

    def get_list_of_orders_from_storage(self) -> listOfOrders:
        """The orders this adapter placed, brought up to date."""
        for control_order in self.traded_object_store.values():
            control_order.update_order()
        return [control_order.order for control_order in self.traded_object_store.values()]

    def match_db_broker_order_to_order_from_brokers(self, broker_order_to_match: brokerOrder) -> Union[brokerOrder, MissingOrder]:
        control_order = self.match_db_broker_order_to_control_order_from_brokers(broker_order_to_match)
        return missing_order if control_order is missing_order else control_order.order

    def match_db_broker_order_to_control_order_from_brokers(self, broker_order_to_match: brokerOrder) -> Union[tradewireOrderWithControls, MissingOrder]:
        """By tempid (the clientOrderId): tradewire keeps every order, so there is no permid fallback to make."""
        client_order_id = broker_order_to_match.broker_tempid
        if not client_order_id:
            return missing_order
        control_order = self.traded_object_store.get(client_order_id) or tradewireOrderWithControls(broker_order_to_match, client=self.client)
        try:
            control_order.update_order()
        except NotFound:
            return missing_order
        return control_order

    def cancel_order_on_stack(self, broker_order: brokerOrder) -> None:
        control_order = self.match_db_broker_order_to_control_order_from_brokers(broker_order)
        if control_order is missing_order:
            print(f"couldn't cancel non existent order {broker_order.broker_tempid}", file=sys.stderr)
            return None
        self.cancel_order_given_control_object(control_order)
        return None

    def cancel_order_given_control_object(self, broker_orders_with_controls: tradewireOrderWithControls) -> bool:
        self.client.cancel(broker_orders_with_controls.order.broker_tempid)
        return success

    def check_order_is_cancelled(self, broker_order: brokerOrder) -> bool:
        control_order = self.match_db_broker_order_to_control_order_from_brokers(broker_order)
        if control_order is missing_order:
            return failure
        return self.check_order_is_cancelled_given_control_object(control_order)

    def check_order_is_cancelled_given_control_object(self, broker_order_with_controls: tradewireOrderWithControls) -> bool:
        broker_order_with_controls.update_order()
        return broker_order_with_controls.control_object is not None and broker_order_with_controls.control_object.state == "cancelled"

    def check_order_can_be_modified_given_control_object(self, broker_order_with_controls: tradewireOrderWithControls) -> bool:
        broker_order_with_controls.update_order()
        control = broker_order_with_controls.control_object
        return control is not None and control.state in MODIFIABLE_STATES

    def modify_limit_price_given_control_object(self, broker_order_with_controls: tradewireOrderWithControls, new_limit_price: float) -> tradewireOrderWithControls:
        if not self.check_order_can_be_modified_given_control_object(broker_order_with_controls):
            state = broker_order_with_controls.control_object.state if broker_order_with_controls.control_object else "unknown"
            raise orderCannotBeModified(f"Order can't be modified as status is {state}, not in {sorted(MODIFIABLE_STATES)}")
        self.client.modify(broker_order_with_controls.order.broker_tempid, limit_price=new_limit_price)
        broker_order_with_controls.order.limit_price = new_limit_price
        return broker_order_with_controls


class tradewireContractPositionData:
    """sysbrokers/broker_contract_position_data.py ``brokerContractPositionData`` (as ``ibContractPositionData``) on tradewire."""

    def __init__(self, client: Tradewire, account_id: str, instrument_to_symbol: Optional[Dict[str, str]] = None) -> None:
        self.client = client
        self.account_id = account_id
        self.symbol_to_instrument = {symbol: code for code, symbol in (instrument_to_symbol or DEFAULT_INSTRUMENT_TO_SYMBOL).items()}

    def get_all_current_positions_as_list_with_contract_objects(self, account_id: Union[str, ArgNotSupplied] = arg_not_supplied) -> listOfContractPositions:
        """Non-zero positions per contract, as the broker reports them (tradewire's own count until the broker answered)."""
        account = self.account_id if account_id is arg_not_supplied else account_id
        positions: listOfContractPositions = []
        for entry in self.client.positions().positions:
            quantity = entry.broker if entry.broker is not None else entry.internal
            if entry.account not in (None, account) or not quantity:
                continue
            instrument_code = self.symbol_to_instrument.get(entry.symbol, entry.symbol)
            positions.append(contractPosition(quantity, futuresContract(instrument_code, entry.contract_month or "")))
        return positions


def wait_for_fill(stream: tradewire.EventStream, order: tradewireOrderWithControls, timeout: float) -> None:
    """Reads the event stream until the order is done (or ``timeout`` seconds pass): no polling."""
    client_order_id = order.order.broker_tempid
    done = threading.Event()

    def read() -> None:
        for event in stream:
            if event.lost:
                break  # events were dropped: the order is re-read below anyway
            data = event.data if isinstance(event.data, dict) else {}
            if event.type == "order" and data.get("clientOrderId") == client_order_id and data.get("state") in TERMINAL_STATES:
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    done.wait(timeout)
    stream.close()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Place one order through tradewire the way pysystemtrade would, and print its fill.")
    parser.add_argument("--url", default="http://127.0.0.1:7400")
    parser.add_argument("--token", default=os.environ.get("TRADEWIRE_ADMIN_TOKEN"), help="the operator token (default: $TRADEWIRE_ADMIN_TOKEN)")
    parser.add_argument("--account", default="DU1234567")
    parser.add_argument("--instrument", default="SP500", help="a pysystemtrade instrument code (SP500 is ES)")
    parser.add_argument("--contract", default="202703", help="contract date, YYYYMM or YYYYMMDD")
    parser.add_argument("--trade", type=int, default=1, help="signed quantity: positive buys, negative sells")
    parser.add_argument("--limit-price", type=float, default=None, help="a limit order at this price (default: a market order)")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)

    client = Tradewire(args.url, token=args.token)
    stack = tradewireExecutionStackData(client, account_id=args.account)
    positions = tradewireContractPositionData(client, account_id=args.account)
    order = brokerOrder(
        strategy_name="pysystemtrade-example",
        instrument_code=args.instrument,
        contract_date=args.contract,
        trade=args.trade,
        order_type="market" if args.limit_price is None else "limit",
        limit_price=args.limit_price,
        broker_account=args.account,
    )
    # Listen first, so the fill cannot come before we look for it.
    stream = client.events(types=["order"])
    placed = stack.put_order_on_stack(order)
    if placed is missing_order:
        stream.close()
        return 1
    wait_for_fill(stream, placed, args.timeout)
    matched = stack.match_db_broker_order_to_order_from_brokers(placed.order)
    if matched is missing_order:
        print("the order is not known to tradewire", file=sys.stderr)
        return 1
    print(
        f"{matched.broker_tempid}: {matched.instrument_code} {matched.contract_date} trade {matched.trade} "
        f"fill {matched.fill} @ {matched.filled_price} commission {matched.commission} "
        f"at {matched.fill_datetime.isoformat() if matched.fill_datetime else '-'} (state {matched.algo_comment}, IB order {matched.broker_permid or '-'})"
    )
    for position in positions.get_all_current_positions_as_list_with_contract_objects():
        print(f"position {position.contract.instrument_code} {position.contract.contract_date}: {position.position}")
    return 0 if matched.fill_equals_desired_trade() else 1


if __name__ == "__main__":
    sys.exit(main())
