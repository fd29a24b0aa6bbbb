"""The client against a real tradewire on the embedded simulator (started once for this module)."""

from __future__ import annotations

import importlib.util
import math
import socket
import subprocess
import sys
import unittest
from typing import List, Optional

import support  # noqa: F401
from support.tradewire_process import TradewireProcess
from support.waiting import read_events, wait_until
from tradewire import BadRequest, Conflict, Event, NotFound, Order, Tradewire, Unauthorized

ACCOUNT = "DU1234567"
# events.retention.maxLen in fixtures/tradewire.json: the stream trims to about this many (in whole nodes of 100).
RETAINED = 100
EXPIRY = "202703"
server: TradewireProcess
client: Tradewire


def setUpModule() -> None:
    global server, client
    server = TradewireProcess().start()
    client = Tradewire(server.url, token=server.token, timeout=10)


def tearDownModule() -> None:
    server.stop()


_sequence = 0


def new_id(label: str) -> str:
    global _sequence
    _sequence += 1
    return f"py-{label}-{_sequence}"


def market(client_order_id: str, side: str = "BUY", quantity: int = 1, symbol: str = "ES", strategy: str = "py-live") -> None:
    client.submit_order(client_order_id, account=ACCOUNT, symbol=symbol, expiry=EXPIRY, side=side, quantity=quantity, order_type="MKT", strategy=strategy)


def order_in(client_order_id: str, *states: str) -> Order:
    def check() -> Optional[Order]:
        try:
            order = client.get_order(client_order_id)
        except NotFound as missing:
            if missing.code != "order_not_found":
                raise
            return None  # still on the queue
        return order if order.state in states else None

    return wait_until(check, f"order {client_order_id} to be {' or '.join(states)}")


def of(client_order_id: str, kind: str, events: List[Event]) -> List[Event]:
    return [event for event in events if event.type == kind and isinstance(event.data, dict) and event.data.get("clientOrderId") == client_order_id]


def filled(client_order_id: str):
    """``done`` for read_events: the order's fill and its filled order event have both arrived."""
    return lambda events: bool(of(client_order_id, "fill", events)) and any(e.data.get("state") == "filled" for e in of(client_order_id, "order", events))


def stream_order(event_id: str):
    milliseconds, _, sequence = event_id.partition("-")
    return int(milliseconds), int(sequence or 0)


class OrdersTest(unittest.TestCase):
    def test_a_market_order_fills_seen_through_get_order_and_events(self):
        order_id = new_id("mkt")
        with client.events(types=["order", "fill"]) as stream:
            market(order_id, quantity=2)
            events = read_events(stream, filled(order_id), f"{order_id} filled on the event stream")
        fills = of(order_id, "fill", events)
        self.assertEqual(sum(event.data["quantity"] for event in fills), 2)
        self.assertEqual({event.data["symbol"] for event in fills}, {"ES"})
        self.assertTrue(all(event.id for event in events))

        order = order_in(order_id, "filled")
        self.assertTrue(order.terminal)
        self.assertEqual((order.filled_quantity, order.side, order.symbol, order.contract_month), (2, "BUY", "ES", EXPIRY))
        self.assertGreater(order.average_price, 0)
        self.assertEqual(sorted(e.exec_id for e in order.executions), sorted(event.data["execId"] for event in fills))

    def test_a_duplicate_client_order_id_is_a_conflict_carrying_the_existing_order(self):
        order_id = new_id("dup")
        market(order_id)
        for quantity in (1, 3):  # same terms, and different ones
            with self.assertRaises(Conflict) as raised:
                market(order_id, quantity=quantity)
            self.assertEqual(raised.exception.code, "duplicate_order")
            self.assertEqual(raised.exception.existing_order.client_order_id, order_id)
            self.assertEqual(raised.exception.existing_order.quantity, 1)

    def test_a_bad_order_is_refused_naming_the_field(self):
        with self.assertRaises(BadRequest) as raised:
            client.submit_order(new_id("bad"), account=ACCOUNT, symbol="ES", expiry=EXPIRY, side="BUY", quantity=1, order_type="LMT", strategy="py-live")
        self.assertEqual(raised.exception.code, "invalid_order")
        self.assertIn("limitPrice", [field for field, _ in raised.exception.fields])
        with self.assertRaises(BadRequest) as raised:
            client.submit_order(new_id("bad"), account=ACCOUNT, symbol="ES", expiry=EXPIRY, side="BUY", quantity=0, strategy="py-live")
        self.assertIn("quantity", [field for field, _ in raised.exception.fields])

    def test_an_unknown_order_is_not_found(self):
        with self.assertRaises(NotFound):
            client.get_order("py-never-submitted")
        with self.assertRaises(NotFound):
            client.cancel("py-never-submitted")

    def test_a_resting_limit_order_is_cancelled(self):
        es = wait_until(lambda: next((p for p in client.prices() if p.symbol == "ES" and p.price), None), "an ES price")
        # 3 % under the market: it rests, and stays inside the price collar (5 %).
        limit = math.floor(es.price * 0.97 / 0.25) * 0.25
        order_id = new_id("rest")
        client.submit_order(order_id, account=ACCOUNT, symbol="ES", expiry=EXPIRY, side="BUY", quantity=1, order_type="LMT", limit_price=limit, strategy="py-live")
        order_in(order_id, "working")
        self.assertIn(order_id, [order.client_order_id for order in client.iter_orders(state="open")])
        client.cancel(order_id)
        cancelled = order_in(order_id, "cancelled")
        self.assertEqual((cancelled.filled_quantity, cancelled.limit_price), (0, limit))
        self.assertNotIn(order_id, [order.client_order_id for order in client.iter_orders(state="open")])
        self.assertIn(order_id, [order.client_order_id for order in client.iter_orders(state="terminal")])

    def test_positions_follow_fills(self):
        def internal() -> float:
            return sum(p.internal for p in client.positions().positions if p.symbol == "ZN" and p.contract_month == EXPIRY)

        before = internal()
        buy, sell = new_id("pos-buy"), new_id("pos-sell")
        market(buy, quantity=3, symbol="ZN")
        order_in(buy, "filled")
        market(sell, side="SELL", quantity=1, symbol="ZN")
        order_in(sell, "filled")
        wait_until(lambda: internal() == before + 2, "tradewire's ZN position to be 2 more")
        position = wait_until(
            lambda: next((p for p in client.positions().positions if p.symbol == "ZN" and p.broker is not None and p.broker == p.internal), None),
            "the broker's ZN position to agree",
        )
        self.assertEqual((position.account, position.difference, position.break_info), (ACCOUNT, 0, None))

    def test_orders_and_fills_page_through_their_cursors(self):
        strategy = new_id("paging")
        ids = [new_id("page") for _ in range(3)]
        for order_id in ids:
            market(order_id, strategy=strategy)
            order_in(order_id, "filled")
        listed = [order.client_order_id for order in client.iter_orders(state="all", strategy=strategy, page_size=2)]
        self.assertEqual(listed, list(reversed(ids)))
        first = client.list_orders(strategy=strategy, limit=2)
        self.assertEqual(len(first.orders), 2)
        self.assertIsNotNone(first.next_cursor)

        fills = list(client.iter_fills(page_size=1))
        self.assertTrue(set(ids) <= {fill.client_order_id for fill in fills})
        self.assertEqual([fill.id for fill in fills], sorted((fill.id for fill in fills), key=stream_order))
        self.assertEqual(len({fill.exec_id for fill in fills}), len(fills))
        last = client.fills(since=fills[-1].id)
        self.assertEqual((last.fills, last.next_cursor), ([], fills[-1].id))

    def test_the_halt_switch_refuses_new_risk_until_resumed(self):
        with client.events(types=["halt"]) as stream:
            halted = client.halt("python client test")
            try:
                self.assertTrue(halted.halted)
                order_id = new_id("halted")
                market(order_id)
                refused = order_in(order_id, "rejected")
                self.assertTrue(refused.reject_reason)
            finally:
                resumed = client.resume("python client test done")
            self.assertTrue(resumed.resumed)
            events = read_events(stream, lambda events: [e.data.get("halted") for e in events] == [True, False], "the halt and resume events")
        self.assertEqual(events[0].data["reason"], "python client test")
        with self.assertRaises(Conflict) as raised:
            client.resume("again")
        self.assertEqual(raised.exception.code, "not_halted")

    def test_a_wrong_token_is_unauthorized_and_never_shown(self):
        wrong = "py-wrong-token-value"
        with self.assertRaises(Unauthorized) as raised:
            Tradewire(server.url, token=wrong).cancel("anything")
        self.assertNotIn(wrong, str(raised.exception) + repr(raised.exception) + repr(raised.exception.body))
        self.assertNotIn(server.token, repr(client))


class EventStreamTest(unittest.TestCase):
    def test_a_stream_dropped_by_the_client_resumes_with_no_gap_and_no_repeat(self):
        first, second, third = new_id("resume"), new_id("resume"), new_id("resume")
        with client.events(types=["order", "fill"], retry_ms=100) as stream:
            market(first)
            before = read_events(stream, filled(first), f"{first} filled")
            resume_from = stream.last_event_id
            # The network goes: the client's socket is shut. Orders fill meanwhile; the client notices on its next read.
            stream._socket.shutdown(socket.SHUT_RDWR)
            for order_id in (second, third):
                market(order_id)
                order_in(order_id, "filled")
            after = read_events(stream, lambda events: filled(second)(events) and filled(third)(events), "the orders filled while disconnected")
            self.assertEqual(stream.reconnects, 1)

        ids = [event.id for event in before + after]
        self.assertEqual(len(ids), len(set(ids)), "an event came twice")
        self.assertEqual(ids, sorted(ids, key=stream_order))
        # No gap: a fresh stream from the same point gives exactly the events the resumed one did.
        with client.events(types=["order", "fill"], last_event_id=resume_from) as reference:
            expected = read_events(reference, lambda events: len(events) >= len(after), "the same events again")
        self.assertEqual([event.id for event in expected], [event.id for event in after])
        self.assertFalse(any(event.lost for event in after))

    def test_a_resume_point_trimmed_away_is_told_with_a_lost_event(self):
        probe = new_id("probe")
        with client.events() as stream:
            market(probe, symbol="NQ")
            trimmed_id = read_events(stream, lambda events: bool(events), "the probe's first event")[0].id

        def first_events_after_trimmed_id() -> List[Event]:
            with client.events(last_event_id=trimmed_id) as resumed:
                return read_events(resumed, lambda events: len(events) >= 2, "two events after the probe's")

        # Orders (bought and sold back) until the stream, kept to about RETAINED events, has trimmed the probe's away.
        for batch in range(12):
            burst = [new_id("burst") for _ in range(RETAINED // 5)]
            for index, order_id in enumerate(burst):
                market(order_id, side="BUY" if index % 2 == 0 else "SELL", symbol="NQ")
            for order_id in burst:
                order_in(order_id, "filled")
            first, second = first_events_after_trimmed_id()[:2]
            if first.lost:
                break
            # Still retained: the replay starts right after it, with no notice.
            self.assertGreater(stream_order(first.id), stream_order(trimmed_id))
        self.assertTrue(first.lost, f"no lost event after {batch + 1} batches of orders")
        self.assertEqual((first.data["lastEventId"], first.data["reason"]), (trimmed_id, "resume_point_not_retained"))
        self.assertEqual(second.id, first.data["oldestRetainedId"])
        self.assertGreater(stream_order(second.id), stream_order(trimmed_id))


def load_adapter():
    spec = importlib.util.spec_from_file_location("pysystemtrade_broker", support.CLIENT_ROOT / "examples" / "pysystemtrade_broker.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class PysystemtradeAdapterTest(unittest.TestCase):
    def test_the_example_script_places_an_order_and_prints_its_fill(self):
        script = support.CLIENT_ROOT / "examples" / "pysystemtrade_broker.py"
        run = subprocess.run(
            [sys.executable, str(script), "--url", server.url, "--token", server.token, "--trade", "-2", "--instrument", "GOLD", "--contract", "202702"],
            capture_output=True, text=True, timeout=60,
        )
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertRegex(run.stdout, r"GOLD 202702 trade -2 fill -2 @ \d")
        self.assertNotIn(server.token, run.stdout + run.stderr)

    def test_a_limit_order_is_modified_and_cancelled_through_the_stack(self):
        adapter = load_adapter()
        stack = adapter.tradewireExecutionStackData(client, account_id=ACCOUNT)
        gc = wait_until(lambda: next((p for p in client.prices() if p.symbol == "GC" and p.price), None), "a GC price")
        limit = round(gc.price * 0.97, 1)
        order = adapter.brokerOrder("py-stack", "GOLD", "202702", 1, order_type="limit", limit_price=limit, order_id=_sequence + 1000)
        placed = stack.put_order_on_stack(order)
        self.assertEqual(placed.order.broker_tempid, f"pst-{_sequence + 1000}")
        self.assertEqual(stack.put_order_on_stack(order).order.broker_tempid, placed.order.broker_tempid)  # a retry is the same order
        wait_until(lambda: stack.check_order_can_be_modified_given_control_object(placed), "the order to be working")
        stack.modify_limit_price_given_control_object(placed, limit - 1)
        wait_until(lambda: placed.broker_limit_price() == limit - 1, "the new limit price")
        stack.cancel_order_on_stack(placed.order)
        wait_until(lambda: stack.check_order_is_cancelled(placed.order), "the order to be cancelled")
        with self.assertRaises(adapter.orderCannotBeModified):
            stack.modify_limit_price_given_control_object(placed, limit)
        listed = stack.get_list_of_broker_orders_with_account_id()
        self.assertIn(placed.order.broker_tempid, [o.broker_tempid for o in listed])
        self.assertIs(stack.match_db_broker_order_to_order_from_brokers(adapter.brokerOrder("s", "GOLD", "202702", 1, broker_tempid="pst-nothing")), adapter.missing_order)

    def test_positions_per_contract_with_instrument_codes(self):
        adapter = load_adapter()
        stack = adapter.tradewireExecutionStackData(client, account_id=ACCOUNT)
        positions = adapter.tradewireContractPositionData(client, account_id=ACCOUNT)
        placed = stack.put_order_on_stack(adapter.brokerOrder("py-pos", "CORN", "202703", 4, order_id=_sequence + 2000))
        order_in(placed.order.broker_tempid, "filled")
        matched = stack.match_db_broker_order_to_order_from_brokers(placed.order)
        self.assertEqual((matched.fill, matched.trade, matched.active), (4, 4, False))
        self.assertGreater(matched.filled_price, 0)
        self.assertIsNotNone(matched.fill_datetime)
        corn = wait_until(
            lambda: [p for p in positions.get_all_current_positions_as_list_with_contract_objects() if p.contract.instrument_code == "CORN"],
            "a CORN position",
        )
        self.assertEqual([(p.contract.contract_date, p.position) for p in corn], [("202703", 4)])
