"""Error answers as exceptions: the class per status, the fields named, and never the token."""

import socket
import unittest

import support  # noqa: F401
from support.stub_server import StubServer, json_answer, text_answer
from tradewire import (
    BadRequest,
    Conflict,
    ConnectionFailed,
    Forbidden,
    NotFound,
    Tradewire,
    TradewireError,
    Unauthorized,
    Unavailable,
)
from tradewire.errors import error_from_response

TOKEN = "s3cret-operator-token"


def problem(code, message, fields=None):
    error = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


class ErrorMappingTest(unittest.TestCase):
    def test_each_status_has_its_class_and_all_are_tradewire_errors(self):
        for status, cls in [(400, BadRequest), (401, Unauthorized), (403, Forbidden), (404, NotFound), (409, Conflict), (503, Unavailable)]:
            error = error_from_response(status, problem("some_code", "some message"))
            self.assertIsInstance(error, cls)
            self.assertIsInstance(error, TradewireError)
            self.assertEqual((error.status, error.code, error.message), (status, "some_code", "some message"))

    def test_other_statuses_are_plain_tradewire_errors(self):
        error = error_from_response(500, problem("internal", "boom"))
        self.assertIs(type(error), TradewireError)
        self.assertEqual(error.status, 500)

    def test_fields_become_field_message_pairs(self):
        body = problem("invalid_order", "limitPrice: required for orderType LMT", [{"field": "limitPrice", "message": "required for orderType LMT"}])
        error = error_from_response(400, body)
        self.assertEqual(error.fields, [("limitPrice", "required for orderType LMT")])
        self.assertEqual(error.body, body)
        self.assertEqual(str(error), "400 invalid_order: limitPrice: required for orderType LMT")

    def test_fields_missing_from_the_message_are_added_to_the_text(self):
        error = error_from_response(400, problem("invalid_body", "the body is invalid", [{"field": "reason", "message": "required: say why"}]))
        self.assertEqual(str(error), "400 invalid_body: the body is invalid (reason: required: say why)")

    def test_a_duplicate_carries_the_existing_order(self):
        body = problem("duplicate_order", "clientOrderId x is already known")
        body["order"] = {"clientOrderId": "x", "state": "filled", "terminal": True, "side": "BUY", "quantity": 2, "filledQuantity": 2, "averagePrice": 5900.25, "newField": 1}
        error = error_from_response(409, body)
        self.assertIsInstance(error, Conflict)
        self.assertEqual(error.existing_order.client_order_id, "x")
        self.assertEqual(error.existing_order.state, "filled")
        self.assertEqual(error.existing_order.average_price, 5900.25)

    def test_a_conflict_without_an_order_has_none(self):
        self.assertIsNone(error_from_response(409, problem("not_halted", "nothing to resume")).existing_order)

    def test_unavailable_reads_retry_after(self):
        error = error_from_response(503, problem("orders_unavailable", "not now"), {"Retry-After": "1"})
        self.assertEqual(error.retry_after, 1.0)
        self.assertIsNone(error_from_response(503, problem("not_active", "standby")).retry_after)

    def test_a_body_that_is_not_our_json_still_gives_an_error(self):
        error = error_from_response(502, "<html>Bad gateway</html>")
        self.assertEqual((error.status, error.code), (502, None))
        self.assertIn("Bad gateway", error.message)
        self.assertEqual(error_from_response(400, {"unexpected": True}).message, "HTTP 400")

    def test_repr_names_the_class_status_and_code(self):
        self.assertEqual(repr(error_from_response(404, problem("order_not_found", "no order x"))), "NotFound(status=404, code='order_not_found', message='no order x')")


class TransportErrorsTest(unittest.TestCase):
    """Through a real HTTP exchange with a scripted server."""

    def setUp(self):
        self.stub = StubServer().__enter__()
        self.addCleanup(self.stub.__exit__)
        self.client = Tradewire(self.stub.url, token=TOKEN, timeout=5)

    def assert_no_token(self, *things):
        for thing in things:
            self.assertNotIn(TOKEN, str(thing))
            self.assertNotIn(TOKEN, repr(thing))

    def test_the_token_goes_as_a_bearer_header_and_nowhere_else(self):
        self.stub.scripts.append(json_answer(401, problem("unauthorized", "invalid bearer token")))
        with self.assertRaises(Unauthorized) as raised:
            self.client.cancel("abc")
        request = self.stub.requests[0]
        self.assertEqual(request["headers"]["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(request["path"], "/orders/abc/cancel")
        self.assertNotIn(TOKEN, request["path"])
        self.assert_no_token(raised.exception, raised.exception.body, raised.exception.args, self.client)

    def test_a_bad_order_names_the_field(self):
        self.stub.scripts.append(json_answer(400, problem("invalid_order", "limitPrice: required for orderType LMT", [{"field": "limitPrice", "message": "required for orderType LMT"}])))
        with self.assertRaises(BadRequest) as raised:
            self.client.submit_order("x1", account="DU1", symbol="ES", side="BUY", quantity=1, order_type="LMT", strategy="s")
        self.assertEqual([field for field, _ in raised.exception.fields], ["limitPrice"])

    def test_a_duplicate_is_a_conflict_with_the_order(self):
        body = problem("duplicate_order", "already known")
        body["order"] = {"clientOrderId": "x1", "state": "working", "terminal": False}
        self.stub.scripts.append(json_answer(409, body))
        with self.assertRaises(Conflict) as raised:
            self.client.submit_order("x1", account="DU1", symbol="ES", side="BUY", quantity=1, strategy="s")
        self.assertEqual(raised.exception.existing_order.state, "working")

    def test_a_non_json_answer(self):
        self.stub.scripts.append(text_answer(502, "<html>Bad gateway</html>"))
        with self.assertRaises(TradewireError) as raised:
            self.client.positions()
        self.assertEqual(raised.exception.status, 502)

    def test_nothing_listening_is_connection_failed_without_the_token(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        client = Tradewire(f"http://127.0.0.1:{port}", token=TOKEN, timeout=2)
        with self.assertRaises(ConnectionFailed) as raised:
            client.get_order("x")
        self.assertIsNone(raised.exception.status)
        self.assertIn(f"127.0.0.1:{port}/orders/x", str(raised.exception))
        self.assert_no_token(raised.exception, client)

    def test_a_url_with_credentials_is_refused(self):
        with self.assertRaises(ValueError) as raised:
            Tradewire("http://user:pw@127.0.0.1:7400")
        self.assertNotIn("pw", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
