"""The strict Content-Security-Policy in a real browser: the harm page's ladder still draws.

Serves the app over HTTP (werkzeug, a thread) and opens the harm page in headless Chromium
(Playwright; tests/browser.py); the ladder is inline SVG under the page's own policy
(docs/security.md).
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


def test_the_harm_page_ladder_draws_under_the_csp(served, page):
    """The ladder is inline SVG in the page (no script, presentation attributes only): it
    draws under the page's strict policy, every box a link to its entity page."""
    messages, requests = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{served}/harms/harm")
    page.locator("svg#ladder g.node").first.wait_for(state="attached", timeout=30_000)
    assert page.evaluate("document.querySelectorAll('svg#ladder g.node').length") >= 3
    box = page.locator("svg#ladder").bounding_box()
    assert box["width"] > 500 and box["height"] > 200  # drawn at a readable size
    links = page.evaluate("Array.from(document.querySelectorAll('svg#ladder a'))"
                          ".map(function(a){return a.getAttribute('href');})")
    assert "/entities/acme" in links and "/entities/parent" in links
    # on a phone the ladder keeps readable labels and scrolls inside its frame, while the
    # page itself does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("svg#ladder").bounding_box()["width"] >= 900
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_timeout(500)
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert [u for u in requests if not u.startswith((served, "data:", "about:"))] == []
