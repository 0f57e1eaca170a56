"""Headless Chromium driven over the Chrome DevTools Protocol (websocket-client), for tests.

Debian's ``chromium`` with its own fresh profile and no background networking. A page records
every network request (``Network.requestWillBeSent``) and every JavaScript dialog
(``Page.javascriptDialogOpening``; the dialog is dismissed so the page goes on).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--remote-debugging-port=0", "--window-size=1400,1000")


def executable() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One browser process; ``page()`` opens a tab. Use as a context manager."""

    def __init__(self, path: str, timeout: float = 30.0):
        import websocket

        self.profile = tempfile.mkdtemp(prefix="graphapp-chromium-")
        self.process = subprocess.Popen(
            [path, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.05)
        port, path_ = port_file.read_text().splitlines()[:2]
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path_}", timeout=timeout,
                                              suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    # --- the protocol ---

    def _handle(self, message: dict[str, Any]) -> None:
        self.events.append(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            self._send_raw("Page.handleJavaScriptDialog", {"accept": False},
                           message.get("sessionId"))

    def _send_raw(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        return self.next_id

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        wanted = self._send_raw(method, params or {}, session)
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._handle(message)

    def pump(self, seconds: float) -> None:
        """Read events for ``seconds``."""
        import websocket

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(max(left, 0.01))
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.ws.settimeout(30)
            if "method" in message:
                self._handle(message)

    def page(self) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        page = Page(self, session, target)
        for domain in ("Page", "Network", "Runtime"):
            page.send(f"{domain}.enable")
        return page


class Page:
    def __init__(self, browser: Chromium, session: str, target: str):
        self.browser = browser
        self.session = session
        self.target = target

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def _events(self, method: str) -> list[dict[str, Any]]:
        return [e["params"] for e in self.browser.events
                if e.get("sessionId") == self.session and e.get("method") == method]

    @property
    def requests(self) -> list[str]:
        """Every URL the page asked for."""
        return [e["request"]["url"] for e in self._events("Network.requestWillBeSent")]

    @property
    def dialogs(self) -> list[str]:
        return [e.get("message", "") for e in self._events("Page.javascriptDialogOpening")]

    def open(self, path: Path, timeout: float = 30.0) -> None:
        """Load a local file and wait for its load event."""
        before = len(self._events("Page.loadEventFired"))
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        deadline = time.monotonic() + timeout
        while len(self._events("Page.loadEventFired")) <= before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not load in {timeout}s")
            self.browser.pump(0.1)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{expression} stayed false for {timeout}s")
            self.browser.pump(0.1)

    def hover(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})


def chromium_or_reason() -> tuple[str | None, str]:
    path = executable()
    if path:
        return path, ""
    return None, ("Chromium is not installed (Debian: apt-get install chromium; `make test` "
                  "installs it)")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
