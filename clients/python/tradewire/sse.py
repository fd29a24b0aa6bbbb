"""A Server-Sent Events parser, as the HTML standard's "event stream interpretation" describes it.

Pure and incremental: ``feed`` takes text as it arrives, cut anywhere (inside a line, between the
CR and LF of a CRLF), and returns the messages completed so far. No I/O here, so every rule is
tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class SseMessage:
    """A dispatched event: ``id`` is the stream's last event id when it was dispatched."""

    id: Optional[str]
    event: str
    data: str


class SseParser:
    """Turns event-stream text into messages; ``last_event_id`` and ``retry_ms`` carry the stream's state.

    ``settled_id`` is the last event id as of the latest blank line: where a reconnect may resume
    from. It differs from ``last_event_id`` only inside an unfinished event, whose ``id:`` line has
    been read but whose end has not (resuming after it would skip it). A blank line after an ``id:``
    line alone (no data) settles that id without an event: a server uses it to move the client past
    events it did not send.
    """

    def __init__(self, last_event_id: Optional[str] = None) -> None:
        self.last_event_id = last_event_id
        self.settled_id = last_event_id
        self.retry_ms: Optional[int] = None
        self.comments = 0
        self._line = ""
        self._after_cr = False
        self._started = False
        self._event = ""
        self._data: List[str] = []

    def feed(self, text: str) -> List[SseMessage]:
        if not self._started and text:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        messages: List[SseMessage] = []
        start = 0
        for index, char in enumerate(text):
            if char == "\n" and self._after_cr and index == start:
                # The LF of a CRLF whose CR ended the previous line (maybe in an earlier chunk).
                start = index + 1
                self._after_cr = False
                continue
            self._after_cr = False
            if char in "\r\n":
                self._line += text[start:index]
                self._after_cr = char == "\r"
                start = index + 1
                message = self._take_line()
                if message is not None:
                    messages.append(message)
        self._line += text[start:]
        return messages

    def _take_line(self) -> Optional[SseMessage]:
        line, self._line = self._line, ""
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self.retry_ms = int(value)
        return None

    def _dispatch(self) -> Optional[SseMessage]:
        self.settled_id = self.last_event_id
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return SseMessage(id=self.last_event_id, event=event or "message", data="\n".join(data))
