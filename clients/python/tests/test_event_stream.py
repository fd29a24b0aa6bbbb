"""The event stream's reconnection: Last-Event-ID, retry:, backoff, lost events (a scripted server)."""

import socket
import threading
import unittest

import support  # noqa: F401
from support.stub_server import StubServer, event_stream, json_answer, text_answer
from tradewire import ConnectionFailed, Tradewire, TradewireError, Unauthorized, Unavailable
from tradewire.events import reconnect_delay


def sse(event_id, kind, data):
    return f"id: {event_id}\nevent: {kind}\ndata: {data}\n\n"


class EventStreamTest(unittest.TestCase):
    def setUp(self):
        self.stub = StubServer().__enter__()
        self.addCleanup(self.stub.__exit__)
        self.client = Tradewire(self.stub.url, token="tok", timeout=5)

    def open(self, **options):
        options.setdefault("retry_ms", 5)
        stream = self.client.events(**options)
        self.addCleanup(stream.close)
        return stream

    def take(self, stream, count):
        return [next(stream) for _ in range(count)]

    def test_a_dropped_stream_resumes_from_the_last_event_with_the_servers_retry(self):
        self.stub.scripts += [
            event_stream("retry: 20\n\n" + sse("1-0", "order", '{"clientOrderId":"a","state":"working"}') + sse("2-0", "fill", '{"execId":"e1"}')),
            event_stream(sse("3-0", "order", '{"clientOrderId":"a","state":"filled"}'), hold=True),
        ]
        stream = self.open(types=["order", "fill"])
        events = self.take(stream, 3)
        self.assertEqual([(e.id, e.type) for e in events], [("1-0", "order"), ("2-0", "fill"), ("3-0", "order")])
        self.assertEqual(events[2].data, {"clientOrderId": "a", "state": "filled"})
        first, second = self.stub.requests
        self.assertEqual(first["path"], "/events?types=order%2Cfill")
        self.assertNotIn("Last-Event-ID", first["headers"])
        self.assertEqual(second["headers"]["Last-Event-ID"], "2-0")
        self.assertEqual(first["headers"]["Accept"], "text/event-stream")
        self.assertEqual(first["headers"]["Authorization"], "Bearer tok")
        self.assertEqual((stream.retry_ms, stream.reconnects, stream.last_event_id), (20, 1, "3-0"))

    def test_an_event_cut_off_by_the_drop_is_not_delivered_but_replayed(self):
        self.stub.scripts += [
            event_stream(sse("1-0", "order", "{}") + 'id: 2-0\nevent: order\ndata: {"half'),
            event_stream(sse("2-0", "order", '{"whole":true}'), hold=True),
        ]
        stream = self.open()
        self.assertEqual([(e.id, e.data) for e in self.take(stream, 2)], [("1-0", {}), ("2-0", {"whole": True})])
        self.assertEqual(self.stub.requests[1]["headers"]["Last-Event-ID"], "1-0")

    def test_an_id_settled_by_a_keepalive_is_where_it_resumes(self):
        self.stub.scripts += [
            event_stream(sse("1-0", "order", "{}") + ": keepalive\nid: 4-0\n\n"),
            event_stream(sse("5-0", "order", "{}"), hold=True),
        ]
        stream = self.open(types=["order"])
        self.assertEqual([e.id for e in self.take(stream, 2)], ["1-0", "5-0"])
        self.assertEqual(self.stub.requests[1]["headers"]["Last-Event-ID"], "4-0")

    def test_a_lost_event_keeps_the_id_before_it(self):
        lost = '{"lastEventId":"1-0","oldestRetainedId":"5-0","reason":"resume_point_not_retained"}'
        self.stub.scripts.append(event_stream(f"event: lost\ndata: {lost}\n\n" + sse("5-0", "order", "{}"), hold=True))
        stream = self.open(last_event_id="1-0")
        first = next(stream)
        self.assertEqual((first.type, first.id, stream.last_event_id), ("lost", "1-0", "1-0"))
        self.assertEqual((next(stream).id, stream.last_event_id), ("5-0", "5-0"))

    def test_it_starts_after_a_given_id(self):
        self.stub.scripts.append(event_stream(sse("8-0", "halt", '{"halted":true}'), hold=True))
        stream = self.open(last_event_id="7-0")
        self.assertEqual(next(stream).id, "8-0")
        self.assertEqual(self.stub.requests[0]["headers"]["Last-Event-ID"], "7-0")

    def test_lost_events_are_passed_on(self):
        lost = '{"lastEventId":"1-0","oldestRetainedId":"5-0","reason":"older than the retained window"}'
        self.stub.scripts.append(event_stream(sse("5-0", "lost", lost) + sse("5-0", "order", "{}"), hold=True))
        first = next(self.open(last_event_id="1-0"))
        self.assertTrue(first.lost)
        self.assertEqual(first.data["oldestRetainedId"], "5-0")

    def test_keepalive_comments_are_not_events(self):
        self.stub.scripts.append(event_stream(": keepalive\n\n: keepalive\n\n" + sse("1-0", "order", "{}"), hold=True))
        self.assertEqual(next(self.open()).id, "1-0")

    def test_a_refused_token_is_raised_not_retried(self):
        self.stub.scripts.append(json_answer(401, {"error": {"code": "unauthorized", "message": "invalid bearer token"}}))
        with self.assertRaises(Unauthorized):
            self.open()
        self.assertEqual(len(self.stub.requests), 1)

    def test_a_stream_that_cannot_be_opened_at_first_is_an_error(self):
        self.stub.scripts.append(json_answer(503, {"error": {"code": "not_active", "message": "standby"}}))
        with self.assertRaises(Unavailable):
            self.open()

    def test_on_reconnect_unavailable_and_server_errors_are_retried(self):
        self.stub.scripts += [
            event_stream(sse("1-0", "order", "{}")),
            json_answer(503, {"error": {"code": "not_active", "message": "standby"}}),
            text_answer(502, "bad gateway"),
            event_stream(sse("2-0", "order", "{}"), hold=True),
        ]
        self.assertEqual([e.id for e in self.take(self.open(), 2)], ["1-0", "2-0"])
        self.assertEqual(len(self.stub.requests), 4)
        self.assertEqual(self.stub.requests[3]["headers"]["Last-Event-ID"], "1-0")

    def test_on_reconnect_a_refusal_ends_the_stream_with_the_error(self):
        self.stub.scripts += [event_stream(sse("1-0", "order", "{}")), json_answer(401, {"error": {"code": "unauthorized", "message": "invalid bearer token"}})]
        stream = self.open()
        next(stream)
        with self.assertRaises(Unauthorized):
            next(stream)

    def test_an_answer_that_is_not_an_event_stream_is_an_error(self):
        self.stub.scripts.append(json_answer(200, {"not": "a stream"}))
        with self.assertRaises(TradewireError) as raised:
            self.open()
        self.assertIn("not text/event-stream", str(raised.exception))

    def test_a_silent_connection_counts_as_dropped(self):
        self.stub.scripts += [event_stream(sse("1-0", "order", "{}"), hold=True), event_stream(sse("2-0", "order", "{}"), hold=True)]
        stream = self.open(idle_timeout=0.2)
        self.assertEqual([e.id for e in self.take(stream, 2)], ["1-0", "2-0"])
        self.assertEqual(self.stub.requests[1]["headers"]["Last-Event-ID"], "1-0")

    def test_a_connection_dropped_by_the_client_resumes(self):
        self.stub.scripts += [event_stream(sse("1-0", "order", "{}"), hold=True), event_stream(sse("2-0", "order", "{}"), hold=True)]
        stream = self.open()
        self.assertEqual(next(stream).id, "1-0")
        stream._socket.shutdown(socket.SHUT_RDWR)
        self.assertEqual(next(stream).id, "2-0")
        self.assertEqual(stream.reconnects, 1)

    def test_without_reconnect_a_drop_is_an_error(self):
        self.stub.scripts.append(event_stream(sse("1-0", "order", "{}")))
        stream = self.open(reconnect=False)
        next(stream)
        with self.assertRaises(ConnectionFailed):
            next(stream)

    def test_close_from_another_thread_ends_the_iteration(self):
        self.stub.scripts.append(event_stream(sse("1-0", "order", "{}"), hold=True))
        stream = self.open()
        received = []
        reader = threading.Thread(target=lambda: received.extend(stream))
        reader.start()
        while not received:
            reader.join(0.01)
        stream.close()
        reader.join(5)
        self.assertFalse(reader.is_alive())
        self.assertEqual([e.id for e in received], ["1-0"])

    def test_repr_hides_the_token(self):
        self.stub.scripts.append(event_stream("", hold=True))
        self.assertNotIn("tok", repr(self.open()).replace("EventStream", ""))


class ReconnectDelayTest(unittest.TestCase):
    def test_the_retry_time_doubles_per_failure_in_a_row_up_to_the_cap(self):
        self.assertEqual([reconnect_delay(1000, failures) for failures in range(7)], [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0])
        self.assertEqual(reconnect_delay(50, 0), 0.05)
        self.assertEqual(reconnect_delay(60_000, 3), 60.0)
        self.assertEqual(reconnect_delay(1000, 10_000), 30.0)


if __name__ == "__main__":
    unittest.main()
