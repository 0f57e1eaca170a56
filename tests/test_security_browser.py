"""The strict Content-Security-Policy in a real browser: the harm page's diagram still draws.

Serves the app over HTTP (werkzeug, a thread) and opens the harm page in headless Chromium
(tests/chromium.py); the diagram iframe has its own policy (docs/security.md).
"""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug.serving import make_server

from graphapp import create_app
from tests.graphs import build
from tests.test_exports_browser import browser  # noqa: F401  (the Chromium fixture)


@pytest.fixture
def served(empty_graph, neo4j_target):
    build(empty_graph, [
        {"label": "Company", "id": "acme", "name": "Acme Corp", "jurisdiction": "US"},
        {"label": "Company", "id": "parent", "name": "Parent Inc", "jurisdiction": "US"},
        {"label": "Harm", "id": "harm", "name": "Data leak", "harm_type": "privacy_breach"},
    ], [{"type": "INVOLVES", "from": "harm", "to": "acme"},
        {"type": "OWNS", "from": "parent", "to": "acme", "economic_pct": 80, "voting_pct": 80}])
    app = create_app({"NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                      "GRAPHAPP_PUBLIC_READ": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _frame_session(page, url_part: str, timeout: float = 30.0) -> str:
    """The DevTools session of the (out-of-process) iframe whose URL has ``url_part``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frames = {e["targetInfo"]["targetId"] for e in page._events("Target.targetInfoChanged")
                  if url_part in e["targetInfo"]["url"]}
        for event in page._events("Target.attachedToTarget"):
            if event["targetInfo"]["targetId"] in frames:
                return event["sessionId"]
        page.browser.pump(0.2)
    raise TimeoutError("the diagram frame did not load")


def test_the_harm_page_diagram_draws_under_the_csp(served, browser):  # noqa: F811
    page = browser.page()
    page.send("Log.enable")
    page.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False,
                                       "flatten": True})
    page.send("Page.navigate", {"url": f"{served}/harms/harm"})
    frame = _frame_session(page, "/diagram")
    browser.send("Runtime.enable", {}, frame)
    browser.send("Log.enable", {}, frame)

    def evaluate(expression: str):
        result = browser.send("Runtime.evaluate", {"expression": expression,
                                                   "returnByValue": True}, frame)
        return result["result"].get("value")

    deadline = time.monotonic() + 30
    drawn = None
    while time.monotonic() < deadline:
        drawn = evaluate("typeof network === 'undefined' ? -1 : network.body.data.nodes.length")
        if drawn and drawn > 0:
            break
        browser.pump(0.2)
    assert drawn and drawn >= 2
    assert evaluate("document.querySelectorAll('canvas').length") == 1
    browser.pump(0.5)
    violations = [e["params"]["entry"]["text"] for e in browser.events
                  if e.get("method") == "Log.entryAdded"
                  and "Content Security Policy" in e["params"]["entry"].get("text", "")]
    assert violations == []
    external = [u for u in page.requests if not u.startswith((served, "data:", "about:"))]
    assert external == []
    page.close()
