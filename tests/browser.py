"""A real headless Chromium, driven over the Chrome DevTools protocol, for tests of pages.

Chromium (Debian's `chromium`) is started with a fresh profile and `--remote-debugging-port=0`;
the port it chose is read from the `DevToolsActivePort` file it writes, and one page is
driven over its websocket: set the viewport, open a file, wait for its load event, run
JavaScript and await its promise. Nothing is fetched from the network; every wait is for
a state (the port file, the load event, a command's answer), bounded by a deadline.

axe-core (npm's `axe-core`) is read from MENTORQUEST_TEST_AXE, else from the folder
`.ci/run` installs it in (`~/.cache/mentorquest-test/node_modules/axe-core/axe.min.js`).
Without Chromium or axe-core the test is skipped, and under CI (CI=true) it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.store.fixtures import unavailable

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]
AXE_DEFAULT = (
    Path.home() / ".cache" / "mentorquest-test" / "node_modules" / "axe-core" / "axe.min.js"
)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("headless Chromium is not installed (apt-get install chromium)")
    assert found is not None
    return found


def axe_source() -> str:
    path = Path(os.environ.get("MENTORQUEST_TEST_AXE") or AXE_DEFAULT)
    if not path.is_file():
        unavailable(
            f"axe-core is not installed ({path}; npm install --prefix "
            "~/.cache/mentorquest-test axe-core, or set MENTORQUEST_TEST_AXE)"
        )
    return path.read_text(encoding="utf-8")


class Browser:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, timeout: float = 60.0) -> None:
        from websockets.sync.client import connect

        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="mentorquest-chromium-")
        self.process = subprocess.Popen(
            [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._port()
        pages = self._json(f"http://127.0.0.1:{port}/json/list")
        page = next(p for p in pages if p.get("type") == "page")
        self.stack = contextlib.ExitStack()
        self.socket = self.stack.enter_context(
            connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=timeout)
        )
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _port(self) -> int:
        marker = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Chromium exited with {self.process.returncode}")
            lines = marker.read_text().splitlines() if marker.is_file() else []
            if lines and lines[0].isdigit():
                return int(lines[0])
            time.sleep(0.05)  # polling interval while Chromium starts
        raise TimeoutError("Chromium did not open its DevTools port")

    def _json(self, url: str) -> Any:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - localhost
                    return json.loads(answer.read())
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one DevTools command and return its result (events met meanwhile are kept)."""
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while True:
            message = json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event:
                    return dict(self.events.pop(index).get("params", {}))
            self.events.append(
                json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            )

    def open(self, path: Path, width: int, height: int = 900) -> None:
        """Open a local file in a viewport `width` CSS pixels wide, as a phone would."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.send("Page.enable")
        self.events.clear()
        self.send("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.stack.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def axe_violations(browser: Browser, axe: str) -> list[dict[str, Any]]:
    """axe-core's violations on the open page (WCAG 2.x A and AA rules and best practice)."""
    browser.evaluate(axe)
    found = browser.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return list(found or [])
