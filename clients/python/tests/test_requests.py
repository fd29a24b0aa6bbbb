"""What the client sends for each call, and how it reads the answers (a scripted server, no tradewire)."""

import datetime
import json
import unittest

import support  # noqa: F401
from support.stub_server import StubServer, json_answer
from tradewire import Order, Tradewire, parse_time


class RequestsTest(unittest.TestCase):
    def setUp(self):
        self.stub = StubServer().__enter__()
        self.addCleanup(self.stub.__exit__)
        self.client = Tradewire(self.stub.url + "/", token="t", timeout=5)

    def sent(self, index=-1):
        request = self.stub.requests[index]
        body = json.loads(request["body"]) if request["body"] else None
        return request["method"], request["path"], body

    def test_submit_sends_a_new_order_job_with_only_the_given_fields(self):
        self.stub.scripts.append(json_answer(202, {"accepted": True, "clientOrderId": "a-1", "jobId": "a-1", "url": "/orders/a-1"}))
        accepted = self.client.submit_order(
            "a-1", account="DU1", symbol="ES", expiry="202703", side="BUY", quantity=2, order_type="LMT", limit_price=5800.25, strategy="trend",
            deadline=datetime.datetime(2026, 12, 7, 16, 0, tzinfo=datetime.timezone.utc),
        )
        self.assertEqual((accepted.accepted, accepted.client_order_id, accepted.url), (True, "a-1", "/orders/a-1"))
        self.assertEqual(
            self.sent(),
            ("POST", "/orders", {
                "clientOrderId": "a-1", "account": "DU1", "instrument": {"symbol": "ES", "expiry": "202703"}, "side": "BUY", "quantity": 2,
                "orderType": "LMT", "strategy": "trend", "limitPrice": 5800.25, "deadline": "2026-12-07T16:00:00.000Z",
            }),
        )
        self.assertEqual(self.stub.requests[-1]["headers"]["Content-Type"], "application/json")

    def test_submit_by_con_id_and_with_an_algorithm(self):
        self.stub.scripts.append(json_answer(202, {"accepted": True, "clientOrderId": "a-2", "jobId": "a-2"}))
        self.client.submit_order("a-2", account="DU1", con_id=637533641, side="SELL", quantity=1, strategy="s", algorithm={"kind": "twap", "slices": 2, "durationMs": 1000}, risk_reducing=True)
        _, _, body = self.sent()
        self.assertEqual(body["instrument"], {"conId": 637533641})
        self.assertEqual(body["algorithm"], {"kind": "twap", "slices": 2, "durationMs": 1000})
        self.assertIs(body["riskReducing"], True)

    def test_cancel_has_no_body_and_modify_only_the_changes(self):
        self.stub.scripts += [json_answer(202, {"accepted": True, "clientOrderId": "a/b", "jobId": "j"})] * 2
        self.client.cancel("a/b")
        self.assertEqual(self.sent(), ("POST", "/orders/a%2Fb/cancel", None))
        self.assertNotIn("Content-Type", self.stub.requests[-1]["headers"])
        self.client.modify("a/b", limit_price=5801)
        self.assertEqual(self.sent(), ("POST", "/orders/a%2Fb/modify", {"limitPrice": 5801}))

    def test_list_orders_sends_the_filters_and_iter_orders_follows_the_cursor(self):
        self.stub.scripts += [
            json_answer(200, {"orders": [{"clientOrderId": "o3", "state": "working"}, {"clientOrderId": "o2", "state": "filled"}], "nextCursor": "c1"}),
            json_answer(200, {"orders": [{"clientOrderId": "o1", "state": "cancelled"}], "nextCursor": None}),
        ]
        ids = [order.client_order_id for order in self.client.iter_orders(state="all", strategy="trend", page_size=2, since=datetime.datetime(2026, 12, 7, 15, 0))]
        self.assertEqual(ids, ["o3", "o2", "o1"])
        self.assertEqual(self.stub.requests[0]["path"], "/orders?state=all&since=2026-12-07T15%3A00%3A00.000Z&strategy=trend&limit=2")
        self.assertEqual(self.stub.requests[1]["path"], "/orders?state=all&since=2026-12-07T15%3A00%3A00.000Z&strategy=trend&limit=2&cursor=c1")

    def test_get_order_reads_the_detail(self):
        detail = {
            "clientOrderId": "o1", "state": "filled", "terminal": True, "account": "DU1", "symbol": "ES", "contractMonth": "202703", "side": "SELL",
            "quantity": 2, "orderType": "MKT", "limitPrice": None, "stopPrice": None, "timeInForce": "DAY", "strategy": None, "filledQuantity": 2,
            "averagePrice": 5900.5, "receivedAt": "2026-12-07T15:00:00.000Z", "updatedAt": "2026-12-07T15:00:01.000Z", "url": "/orders/o1",
            "ibOrderId": 12, "brokerStatus": "Filled", "rejectReason": None, "commission": 4.2,
            "executions": [{"execId": "e1", "price": 5900.5, "quantity": 2, "time": "2026-12-07T15:00:01.000Z", "commission": 4.2, "exchange": "CME"}],
            "history": [{"at": "2026-12-07T15:00:00.000Z", "kind": "received"}], "somethingNew": {"x": 1},
        }
        self.stub.scripts.append(json_answer(200, detail))
        order = self.client.get_order("o1")
        self.assertEqual((order.state, order.terminal, order.contract_month, order.ib_order_id, order.commission), ("filled", True, "202703", 12, 4.2))
        self.assertEqual(order.signed_filled_quantity, -2)
        self.assertEqual(order.executions[0].exec_id, "e1")
        self.assertEqual(order.executions[0].raw["exchange"], "CME")
        self.assertEqual(order.raw["somethingNew"], {"x": 1})
        self.assertEqual(order.history[0]["kind"], "received")
        self.assertEqual(parse_time(order.updated_at), datetime.datetime(2026, 12, 7, 15, 0, 1, tzinfo=datetime.timezone.utc))

    def test_positions_fills_and_prices(self):
        self.stub.scripts += [
            json_answer(200, {"asOf": "2026-12-07T15:00:00.000Z", "positions": [{"account": "DU1", "symbol": "ES", "contractMonth": "202703", "broker": None, "internal": 3, "difference": 0, "break": None}], "breaks": []}),
            json_answer(200, {"fills": [{"id": "1-0", "execId": "e1", "clientOrderId": "o1", "account": "DU1", "symbol": "ES", "contractMonth": "202703", "side": "BUY", "price": 5900, "quantity": 1, "time": "t", "commission": None}], "nextCursor": "1-0"}),
            json_answer(200, {"fills": [], "nextCursor": "1-0"}),
            json_answer(200, {"prices": [{"symbol": "ES", "contractMonth": None, "bid": 5899.75, "ask": 5900, "last": None, "price": 5899.875, "confidence": 0.9, "sources": 1, "updatedAt": None, "ageMs": None}]}),
        ]
        positions = self.client.positions()
        self.assertEqual((positions.positions[0].symbol, positions.positions[0].broker, positions.positions[0].internal), ("ES", None, 3))
        fills = list(self.client.iter_fills(page_size=1))
        self.assertEqual([(f.id, f.exec_id, f.price) for f in fills], [("1-0", "e1", 5900)])
        self.assertEqual([r["path"] for r in self.stub.requests[1:3]], ["/fills?limit=1", "/fills?since=1-0&limit=1"])
        price = self.client.prices()[0]
        self.assertEqual((price.symbol, price.bid, price.last, price.sources), ("ES", 5899.75, None, 1))

    def test_halt_and_resume(self):
        self.stub.scripts += [
            json_answer(200, {"halted": True, "causes": ["operator"], "auditSeq": 4, "cancelRequested": 2, "requestId": "r1"}),
            json_answer(200, {"resumed": True, "cleared": ["operator"], "auditSeq": 5, "requestId": "r2"}),
        ]
        halted = self.client.halt("maintenance", cancel_all=True, operator="ops")
        self.assertEqual(self.sent(), ("POST", "/halt", {"reason": "maintenance", "cancelAll": True, "operator": "ops"}))
        self.assertEqual((halted.halted, halted.causes, halted.cancel_requested), (True, ["operator"], 2))
        resumed = self.client.resume("done")
        self.assertEqual(self.sent(), ("POST", "/resume", {"reason": "done"}))
        self.assertEqual((resumed.resumed, resumed.cleared), (True, ["operator"]))

    def test_models_take_missing_optional_fields(self):
        order = Order.from_json({"clientOrderId": "x", "state": "received"})
        self.assertEqual((order.filled_quantity, order.executions, order.limit_price), (0, [], None))


if __name__ == "__main__":
    unittest.main()
