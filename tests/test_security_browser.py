"""The strict Content-Security-Policy in a real browser: the harm page's diagram still draws.

Serves the app over HTTP (werkzeug, a thread) and opens the harm page in headless Chromium
(Playwright; tests/browser.py); the diagram iframe has its own policy (docs/security.md).
"""

from __future__ import annotations

import pytest

from graphapp import create_app
from tests.browser import serve
from tests.graphs import build


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
    yield from serve(app)


def test_the_harm_page_diagram_draws_under_the_csp(served, page):
    messages, requests = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{served}/harms/harm")
    frame = page.frame_locator("iframe.diagram")
    frame.locator("canvas").wait_for(timeout=30_000)
    diagram = next(f for f in page.frames if "/diagram" in f.url)
    diagram.wait_for_function("typeof network !== 'undefined' && "
                              "network.body.data.nodes.length > 0", timeout=30_000)
    assert diagram.evaluate("network.body.data.nodes.length") >= 2
    assert diagram.evaluate("document.querySelectorAll('canvas').length") == 1
    page.wait_for_timeout(500)
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert [u for u in requests if not u.startswith((served, "data:", "about:"))] == []
