"""Browser tests' plumbing: which Chromium Playwright drives, the app served over HTTP, and a
small page wrapper for the export tests (requests made, dialogs opened).

Playwright's own Chromium is used when it is installed (`.venv/bin/playwright install
chromium`); where it cannot be downloaded, the system's Chromium or Chrome. With neither, every
browser test fails with one line saying how to get one (tests/conftest.py): `make test` installs
nothing system-wide and needs no root.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                   "chrome")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-quic", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--no-first-run"]
HOW_TO_GET_ONE = ("No browser for the browser tests: run `.venv/bin/playwright install chromium`, "
                  "or install Chromium or Google Chrome (e.g. `apt-get install chromium`).")


class NoBrowser(Exception):
    """Neither Playwright's own Chromium nor a system one: the message says how to get one."""


def system_chromium(path: str | None = None) -> str | None:
    """The system's Chromium or Chrome on ``path`` (default: $PATH), or None."""
    for name in SYSTEM_BROWSERS:
        found = shutil.which(name, path=path)
        if found:
            return found
    return None


def browser_to_drive(own: str | None, path: str | None = None) -> str | None:
    """None to drive Playwright's own Chromium (``own``, when it was downloaded), else the
    system browser's path; raises NoBrowser (HOW_TO_GET_ONE) when there is neither."""
    if own and Path(own).exists():
        return None
    system = system_chromium(path)
    if system is None:
        raise NoBrowser(HOW_TO_GET_ONE)
    return system


def serve(app) -> Iterator[str]:
    """Serve ``app`` over HTTP on a free port in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


class Page:
    """A Playwright page that records the URLs it requested and the dialogs that opened (each
    dialog is dismissed so the page goes on)."""

    def __init__(self, page: Any):
        self.page = page
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path, timeout: float = 30.0) -> None:
        self.page.goto(path.resolve().as_uri(), timeout=timeout * 1000, wait_until="load")

    def evaluate(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def wait_for(self, expression: str, timeout: float = 60.0) -> Any:
        """Poll ``expression`` until it is true (not wait_for_function: it evaluates its
        predicate with eval, which the pages' Content-Security-Policy refuses)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            value = self.page.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"not true after {timeout:g} s: {expression}")
            self.page.wait_for_timeout(100)

    def hover(self, x: float, y: float) -> None:
        self.page.mouse.move(x, y)

    def pump(self, seconds: float) -> None:
        self.page.wait_for_timeout(seconds * 1000)

    def close(self) -> None:
        self.page.close()


class Pages:
    """Opens wrapped pages in one browser context; ``pump`` lets the newest page run."""

    def __init__(self, context: Any):
        self.context = context
        self.opened: list[Page] = []

    def page(self) -> Page:
        page = Page(self.context.new_page())
        self.opened.append(page)
        return page

    def pump(self, seconds: float) -> None:
        live = [p for p in self.opened if not p.page.is_closed()]
        if live:
            live[-1].pump(seconds)
