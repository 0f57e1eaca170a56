"""The strict Content-Security-Policy in a real browser: the harm page's ladder still draws.

Serves the app over HTTP (werkzeug, a thread) and opens the harm page in headless Chromium
(tests/chromium.py); the ladder is inline SVG under the page's own policy (docs/security.md).
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


def test_the_harm_page_ladder_draws_under_the_csp(served, browser):  # noqa: F811
    """The ladder is inline SVG in the page (no script, presentation attributes only): it
    draws under the page's strict policy, every box a link to its entity page."""
    page = browser.page()
    page.send("Log.enable")
    page.send("Page.navigate", {"url": f"{served}/harms/harm"})
    deadline = time.monotonic() + 30
    drawn = 0
    while time.monotonic() < deadline:
        drawn = page.evaluate("document.querySelectorAll('svg#ladder g.node').length") or 0
        if drawn:
            break
        browser.pump(0.2)
    assert drawn >= 3  # the harm, Acme, Parent
    box = page.evaluate("(function(){var r=document.querySelector('svg#ladder')"
                        ".getBoundingClientRect();return [r.width,r.height];})()")
    assert box[0] > 500 and box[1] > 200  # drawn at a readable size, not a thin column
    links = page.evaluate("Array.from(document.querySelectorAll('svg#ladder a'))"
                          ".map(function(a){return a.getAttribute('href');})")
    assert "/entities/acme" in links and "/entities/parent" in links
    browser.pump(0.5)
    violations = [e["params"]["entry"]["text"] for e in browser.events
                  if e.get("method") == "Log.entryAdded"
                  and "Content Security Policy" in e["params"]["entry"].get("text", "")]
    assert violations == []
    external = [u for u in page.requests if not u.startswith((served, "data:", "about:"))]
    assert external == []
    page.close()
