"""A real tradewire (``node bin/tradewire.js start``) on the embedded simulator, for the live tests.

It gets a namespace of its own on the shared Redis (REDIS_URL, default 127.0.0.1:6379), an admin
port the OS picks, the demo strategy off, and the simulator clock the repository's test suite
uses (markets open whatever day CI runs). ``stop`` ends it (SIGTERM, then SIGKILL) and deletes the
namespace's keys.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import threading
from collections import deque
from typing import Deque, Dict, Optional

from . import REPO_ROOT
from .redis_keys import delete_namespace

# test/support/simClock.ts: a Monday 09:00 in Chicago, inside the CME session.
TEST_SIM_CLOCK = "2026-12-07T15:00:00Z"
CONFIG = str(REPO_ROOT / "clients/python/tests/fixtures/tradewire.json")
ADMIN_LISTENING = re.compile(r"admin listening on (http://\S+)")


class TradewireProcess:
    def __init__(self, env: Optional[Dict[str, str]] = None) -> None:
        self.token = secrets.token_hex(16)
        self.namespace = f"pyclient-{secrets.token_hex(4)}"
        self.redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379"
        self.url = ""
        self.output: Deque[str] = deque(maxlen=400)
        self._extra_env = env or {}
        self._ready = threading.Event()
        self._process: Optional["subprocess.Popen[str]"] = None
        self._reader: Optional[threading.Thread] = None

    def start(self, timeout: float = 45.0) -> "TradewireProcess":
        # The CLI runs dist/; rebuild it first if src/ changed (a no-op when the vitest setup just did).
        subprocess.run(["node", "scripts/build.mjs", "--if-stale"], cwd=REPO_ROOT, check=True, capture_output=True)
        # Nothing from the machine's own tradewire settings: only what this test sets.
        env = {name: value for name, value in os.environ.items() if not name.startswith("TRADEWIRE_")}
        env.update(
            REDIS_URL=self.redis_url,
            TRADEWIRE_CONFIG=CONFIG,
            TRADEWIRE_NAMESPACE=self.namespace,
            TRADEWIRE_ADMIN_HOST="127.0.0.1",
            TRADEWIRE_ADMIN_PORT="0",
            TRADEWIRE_ADMIN_TOKEN=self.token,
            TRADEWIRE_SIM_CLOCK=os.environ.get("TRADEWIRE_SIM_CLOCK") or TEST_SIM_CLOCK,
            TRADEWIRE_DEMO="false",
        )
        env.update(self._extra_env)
        self._process = subprocess.Popen(
            ["node", "bin/tradewire.js", "start"], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self._reader = threading.Thread(target=self._collect, daemon=True)
        self._reader.start()
        if not self._ready.wait(timeout) or not self.url:
            self.stop()
            raise RuntimeError(f"tradewire was not ready within {timeout:.0f} s; it printed:\n" + "\n".join(self.output))
        return self

    def _collect(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self.output.append(line.rstrip("\n"))
            try:
                message = json.loads(line).get("message", "")
            except (ValueError, AttributeError):
                continue
            found = ADMIN_LISTENING.search(message)
            if found:
                self.url = found.group(1)
            if message == "ready":
                self._ready.set()
        self._ready.set()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        if process is not None and process.stdout is not None:
            if self._reader is not None:
                self._reader.join(5)
            process.stdout.close()
        delete_namespace(self.redis_url, self.namespace)
