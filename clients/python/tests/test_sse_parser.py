"""The event-stream parser, rule by rule (HTML standard, "event stream interpretation")."""

import unittest

import support  # noqa: F401  (puts the client on sys.path)
from tradewire.sse import SseMessage, SseParser


def parse(*chunks: str, last_event_id=None):
    parser = SseParser(last_event_id)
    messages = [message for chunk in chunks for message in parser.feed(chunk)]
    return parser, messages


class SseParserTest(unittest.TestCase):
    def test_an_event_with_id_type_and_data(self):
        _, messages = parse('id: 1-0\nevent: order\ndata: {"a":1}\n\n')
        self.assertEqual(messages, [SseMessage(id="1-0", event="order", data='{"a":1}')])

    def test_multi_line_data_joins_with_newlines_and_loses_the_last_one(self):
        _, messages = parse("data: first\ndata: second\ndata:\ndata:  indented\n\n")
        self.assertEqual(messages[0].data, "first\nsecond\n\n indented")

    def test_comments_are_not_events_and_are_counted(self):
        parser, messages = parse(": keepalive\n\n: another\ndata: x\n\n")
        self.assertEqual([m.data for m in messages], ["x"])
        self.assertEqual(parser.comments, 2)

    def test_retry_sets_the_reconnection_time_only_when_all_digits(self):
        parser, messages = parse("retry: 2500\n\n")
        self.assertEqual(messages, [])
        self.assertEqual(parser.retry_ms, 2500)
        parser.feed("retry: soon\n\nretry: 12x\n\nretry: -5\n\n")
        self.assertEqual(parser.retry_ms, 2500)

    def test_the_id_persists_to_later_events_until_changed(self):
        _, messages = parse("id: 7\ndata: a\n\ndata: b\n\nid: 9\ndata: c\n\n")
        self.assertEqual([(m.id, m.data) for m in messages], [("7", "a"), ("7", "b"), ("9", "c")])

    def test_an_empty_id_resets_it_and_one_with_nul_is_ignored(self):
        _, messages = parse("id: 7\ndata: a\n\nid: 8\0x\ndata: b\n\nid\ndata: c\n\n")
        self.assertEqual([m.id for m in messages], ["7", "7", ""])

    def test_the_id_starts_from_the_resumed_one(self):
        _, messages = parse("data: a\n\n", last_event_id="5-1")
        self.assertEqual(messages[0].id, "5-1")

    def test_an_id_without_data_is_not_dispatched_but_remembered(self):
        parser, messages = parse("id: 3\n\n")
        self.assertEqual(messages, [])
        self.assertEqual(parser.last_event_id, "3")

    def test_the_settled_id_moves_only_at_a_blank_line(self):
        parser, _ = parse("id: 1\ndata: a\n\nid: 2\ndata: b", last_event_id="0")
        self.assertEqual((parser.last_event_id, parser.settled_id), ("2", "1"))
        parser.feed("\n\n: keepalive\nid: 9\n")
        self.assertEqual(parser.settled_id, "2")
        parser.feed("\n")
        self.assertEqual(parser.settled_id, "9")

    def test_the_type_defaults_to_message_and_resets_after_each_event(self):
        _, messages = parse("event: fill\ndata: 1\n\ndata: 2\n\n")
        self.assertEqual([m.event for m in messages], ["fill", "message"])

    def test_an_event_type_without_data_is_dropped_with_it(self):
        _, messages = parse("event: order\n\ndata: x\n\n")
        self.assertEqual(messages, [SseMessage(id=None, event="message", data="x")])

    def test_one_leading_space_is_stripped_and_no_more(self):
        _, messages = parse("data:no space\n\ndata:   three\n\n")
        self.assertEqual([m.data for m in messages], ["no space", "  three"])

    def test_a_field_without_colon_has_an_empty_value(self):
        _, messages = parse("data\n\n")
        self.assertEqual(messages[0].data, "")

    def test_unknown_fields_are_ignored(self):
        _, messages = parse("foo: bar\ndata: x\n\n")
        self.assertEqual(messages[0].data, "x")

    def test_a_colon_in_the_value_is_kept(self):
        _, messages = parse('data: {"at":"2026-12-07T15:00:00Z"}\n\n')
        self.assertEqual(messages[0].data, '{"at":"2026-12-07T15:00:00Z"}')

    def test_crlf_and_cr_line_endings(self):
        _, messages = parse("id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r")
        self.assertEqual([(m.id, m.data) for m in messages], [("1", "a"), ("2", "b")])

    def test_chunks_cut_anywhere_give_the_same_events(self):
        text = 'id: 1-0\r\nevent: order\r\ndata: {"x":1}\r\n\r\n: ka\nid: 2-0\ndata: two\ndata: lines\n\n'
        _, whole = parse(text)
        for cut in range(len(text) + 1):
            _, pieces = parse(text[:cut], text[cut:])
            self.assertEqual(pieces, whole, f"cut at {cut}")
        _, one_by_one = parse(*text)
        self.assertEqual(one_by_one, whole)

    def test_a_crlf_split_between_chunks_is_one_line_end(self):
        _, messages = parse("data: a\r", "\n\r", "\ndata: b\n\n")
        self.assertEqual([m.data for m in messages], ["a", "b"])

    def test_an_unfinished_event_waits_for_its_blank_line(self):
        parser, messages = parse("data: a\n")
        self.assertEqual(messages, [])
        self.assertEqual([m.data for m in parser.feed("\n")], ["a"])

    def test_a_leading_byte_order_mark_is_skipped(self):
        _, messages = parse("\ufeffdata: x\n\n")
        self.assertEqual(messages[0].data, "x")


if __name__ == "__main__":
    unittest.main()
