"""A small client for headless Chromium over the DevTools protocol, for the HTML
report's browser test.

Chromium talks the protocol over a pipe (``--remote-debugging-pipe``: it reads
commands on file descriptor 3 and writes replies and events on 4, each message JSON
ended by a NUL byte), so no websocket library and no network port are needed.

``find_chromium()`` looks for the browser (``CA_ADVISOR_BROWSER``, else ``chromium``,
``chromium-browser``, ``google-chrome`` on the PATH); the tests skip, saying so,
when there is none.  On Debian: ``apt-get install -y chromium`` (``.ci/run`` does).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
# Flags that work in containers and CI: no sandbox (often no user namespaces), no GPU,
# and nothing that phones home, so that every request the test sees comes from the page.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--mute-audio", "--remote-debugging-pipe")


def find_chromium() -> str | None:
    named = os.environ.get("CA_ADVISOR_BROWSER")
    if named:
        return named if shutil.which(named) or Path(named).is_file() else None
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


class ProtocolError(RuntimeError):
    pass


class Chromium:
    """One headless browser with one page; ``events`` keeps every event received."""

    def __init__(self, binary: str, profile_dir: Path, timeout: float = 30.0):
        self.timeout = timeout
        self.events: list[dict] = []
        self._next_id = 0
        self._buffer = b""
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile_dir}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # Python's descriptors are not inherited (PEP 446), so nothing leaks without
            # close_fds; the child moves the two pipe ends to 3 and 4 itself.
            close_fds=False, preexec_fn=lambda: _move_to_3_and_4(commands_read, replies_write))
        os.close(commands_read)
        os.close(replies_write)
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def call(self, method: str, session: str | None = None, **params) -> dict:
        """Send a command and wait for its reply (events met meanwhile are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise ProtocolError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, session=self.session, **params)

    def wait_for(self, method: str) -> dict:
        """The first event ``method`` (already received, or the next to come)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._receive()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def evaluate(self, expression: str):
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        return base64.b64decode(self.page("Page.captureScreenshot", format="png")["data"])

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (ProtocolError, OSError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)

    def _receive(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                raise TimeoutError(f"no reply from Chromium within {self.timeout} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise ProtocolError(f"Chromium closed the pipe (exit status {self.process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


def _move_to_3_and_4(commands_read: int, replies_write: int) -> None:
    """In the child: the protocol's descriptors where Chromium expects them (first
    moved out of the way, since either may itself be 3 or 4)."""
    high_read = fcntl.fcntl(commands_read, fcntl.F_DUPFD_CLOEXEC, 10)
    high_write = fcntl.fcntl(replies_write, fcntl.F_DUPFD_CLOEXEC, 10)
    os.dup2(high_read, 3)  # dup2 makes them inheritable
    os.dup2(high_write, 4)


def png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) scanlines of a PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, data, width, height = 8, b"", 0, 0
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    return width, height, zlib.decompress(data)
