"""Waiting on a live server without fixed sleeps: poll a condition, or read events until one shows."""

from __future__ import annotations

import threading
import time
from typing import Callable, List, Optional, TypeVar

from tradewire import Event, EventStream

T = TypeVar("T")


def wait_until(check: Callable[[], Optional[T]], what: str, timeout: float = 15.0) -> T:
    """Polls ``check`` until it returns something truthy, and returns that."""
    deadline = time.monotonic() + timeout
    last: Optional[T] = None
    while True:
        last = check()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last seen: {last!r}")
        time.sleep(0.05)


def read_events(stream: EventStream, done: Callable[[List[Event]], bool], what: str, timeout: float = 20.0) -> List[Event]:
    """Events from ``stream`` until ``done(events so far)``; the stream stays open for the next read."""
    events: List[Event] = []
    errors: List[BaseException] = []
    finished = threading.Event()

    def read() -> None:
        try:
            for event in stream:
                events.append(event)
                if done(events):
                    return
        except BaseException as error:  # handed to the test thread
            errors.append(error)
        finally:
            finished.set()

    threading.Thread(target=read, daemon=True).start()
    if not finished.wait(timeout):
        stream.close()
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; events so far: {events!r}")
    if errors:
        raise errors[0]
    return events
