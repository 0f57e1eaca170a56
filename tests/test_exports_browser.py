"""The HTML (and SVG) exports in a real browser: headless Chromium driven by Playwright.

They draw every node, make no network request, settle (physics off) for 2,000 nodes, and no
XSS payload in the data ever runs: no dialog opens, no element is injected, the text shows as
text. Which Chromium: tests/browser.py (a missing one fails, saying how to get one).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from graphapp import exports
from graphapp.exports import formats as export_formats
from tests.browser import Pages
from tests.graphs import build

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(2)>",
    '"><script>alert(3)</script>',
    "</script><script>alert(4)</script>",
    '<iframe src="javascript:alert(5)"></iframe>',
    "'><body onload=alert(6)>",
    '<a href="javascript:alert(7)">href me</a>',
    "<details open ontoggle=alert(8)>",
    "<!--<img src=x onerror=alert(9)>-->",
    "<style>@import 'http://evil.example/x.css';</style>",
    "\u2028\u2029</script><img src=x onerror=alert(11)>",
    "{{constructor.constructor('alert(12)')()}}",
]
SOURCE_PAYLOADS = ["javascript:alert(13)", "data:text/html,<script>alert(14)</script>",
                   'https://example.org/"><img src=x onerror=alert(15)>']

# What the page may hold, whatever the data: a dialog-free DOM without these.
INJECTED = """(function () {
  var bad = document.querySelectorAll(
    'img, iframe, svg, object, embed, details, a[href^="javascript"], a[href^="data"]');
  var handlers = Array.prototype.filter.call(document.querySelectorAll('*'), function (e) {
    return Array.prototype.some.call(e.attributes, function (a) {
      return a.name.indexOf('on') === 0; });
  });
  return bad.length + handlers.length;
})()"""
TAG_COUNTS = """(function () {
  var counts = {};
  document.querySelectorAll('*').forEach(function (e) {
    counts[e.tagName] = (counts[e.tagName] || 0) + 1; });
  return counts;
})()"""
POSITIONS = """(function () {
  var box = document.getElementById('mynetwork').getBoundingClientRect();
  var out = {}, ps = network.getPositions();
  for (var id in ps) { var p = network.canvasToDOM(ps[id]);
                       out[id] = [p.x + box.left, p.y + box.top]; }
  return out;
})()"""


@pytest.fixture
def pages(context):
    """Pages of one Playwright browser context (pytest-playwright's ``context``)."""
    return Pages(context)


def _offline(page, path: Path) -> list[str]:
    """The requests that were not the export itself (data: URIs are inline, not fetched)."""
    own = path.resolve().as_uri()
    return [u for u in page.requests if u != own and not u.startswith("data:")]


def _open(pages, tmp_path: Path, name: str, content: bytes, settle: bool = True,
          timeout: float = 120.0):
    path = tmp_path / name
    path.write_bytes(content)
    page = pages.page()
    page.open(path)
    if settle:
        page.wait_for("document.body.getAttribute('data-settled') === 'true'", timeout)
    return page, path


def _node(id_: str, label: str, name: str, **props) -> dict:
    return {"id": id_, "labels": [label], "label": label, "name": name,
            "props": {"name": name, **props}, "extra": {}, "redacted": False}


def _edge(a: str, b: str, type_: str, **props) -> dict:
    return {"from": a, "to": b, "type": type_, "props": props, "redacted": False}


# --- drawn, offline ------------------------------------------------------------------------------


def test_html_from_the_graph_draws_every_node_and_fetches_nothing(empty_graph, client,
                                                                 pages, tmp_path):
    nodes = [{"label": "Company", "id": f"c{i}", "name": f"Company {i}",
              "sources": [f"https://example.org/c{i}"]} for i in range(12)]
    rels = [{"type": "OWNS", "from": f"c{i}", "to": f"c{i + 1}", "economic_pct": 60.0}
            for i in range(11)]
    build(empty_graph, nodes, rels)
    response = client.get("/api/export?view=graph&format=html")
    assert response.status_code == 200
    page, path = _open(pages, tmp_path, "graph.html", response.data)
    assert page.evaluate("network.body.data.nodes.length") == 12
    assert page.evaluate("Object.keys(network.getPositions()).length") == 12
    assert page.evaluate("network.body.data.edges.length") == 11
    assert page.evaluate("document.querySelectorAll('#mynetwork canvas').length") == 1
    assert page.evaluate("network.physics.physicsEnabled") is False
    assert page.evaluate("document.querySelector('.gx-legend').innerText").count("Company") == 1
    pages.pump(0.5)
    assert _offline(page, path) == []
    assert page.dialogs == []
    page.close()


def test_two_thousand_nodes_settle_quickly_and_stop(pages, tmp_path):
    rng = random.Random(7)
    labels = list(export_formats.STYLES)
    view = exports.View("graph", "2,000 nodes", "A generated view")
    for i in range(2000):
        view.nodes[f"n{i}"] = _node(f"n{i}", labels[i % len(labels)], f"Node {i}")
    for i in range(1, 2000):
        view.edges.append(_edge(f"n{rng.randrange(i)}", f"n{i}", "OWNS",
                                confidence="confirmed", sources=["https://example.org"]))
    for _ in range(1000):
        a, b = rng.sample(range(2000), 2)
        view.edges.append(_edge(f"n{a}", f"n{b}", "MEMBER_OF", confidence="alleged"))
    started = time.monotonic()
    page, path = _open(pages, tmp_path, "big.html", export_formats.html_page(view).encode(),
                       timeout=90)
    settled_in = time.monotonic() - started
    assert page.evaluate("network.body.data.nodes.length") == 2000
    assert page.evaluate("network.physics.physicsEnabled") is False
    assert settled_in < 90
    assert _offline(page, path) == []
    page.close()


# --- XSS -----------------------------------------------------------------------------------------


def _xss_view(payloads: list[str], sources: list[str]) -> exports.View:
    view = exports.View("graph", payloads[2], payloads[0] + " " + payloads[6])
    view.notes.append(payloads[4])
    for i, p in enumerate(payloads):
        view.nodes[f"x{i}"] = _node(f"x{i}", "Company" if i % 2 else "Person", p,
                                    description=p, sources=[sources[i % len(sources)]],
                                    aliases=[p])
    for i in range(len(payloads) - 1):
        view.edges.append(_edge(f"x{i}", f"x{i + 1}", "OWNS", confidence="reported",
                                note=payloads[i], sources=[sources[i % len(sources)]],
                                title=payloads[-1 - i]))
    return view


def test_xss_payloads_never_run_in_the_html(pages, tmp_path):
    view = _xss_view(PAYLOADS, SOURCE_PAYLOADS)
    page, path = _open(pages, tmp_path, "xss.html", export_formats.html_page(view).encode())
    drawn = page.evaluate(TAG_COUNTS)
    positions = page.evaluate(POSITIONS)
    tooltips = []
    for x, y in positions.values():  # every tooltip, shown by hovering its node
        page.hover(x, y)
        pages.pump(0.35)
        tooltips.append(page.evaluate(
            "(document.querySelector('div.vis-tooltip') || {}).innerText || ''"))
        page.hover(2, 2)
    pages.pump(0.5)
    assert page.dialogs == []
    assert page.evaluate(INJECTED) == 0
    assert _offline(page, path) == []
    assert page.evaluate("document.querySelector('.gx-head h1').textContent") == PAYLOADS[2]
    assert page.evaluate("network.body.data.nodes.get('x0').label") == PAYLOADS[0]
    shown = "\n".join(tooltips)
    for p in PAYLOADS[:6]:
        assert p in shown or p.replace("href", "hr\u200bef") in shown
    # the tooltip holds text (and the <br> that innerText makes of line breaks), nothing else
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0
    page.close()
    benign = _xss_view([f"Name {i}" for i in range(len(PAYLOADS))], SOURCE_PAYLOADS)
    other, _ = _open(pages, tmp_path, "benign.html", export_formats.html_page(benign).encode())
    assert drawn == other.evaluate(TAG_COUNTS)  # the same elements: nothing was injected
    other.close()


def test_xss_payloads_from_the_graph_never_run(empty_graph, client, pages, tmp_path):
    nodes = [{"label": "Organization", "id": f"o{i}", "name": p, "description": p}
             for i, p in enumerate(PAYLOADS)]
    rels = [{"type": "MEMBER_OF", "from": f"o{i}", "to": f"o{i + 1}", "note": PAYLOADS[i]}
            for i in range(len(PAYLOADS) - 1)]
    build(empty_graph, nodes, rels)
    for query in ("view=graph", "view=entity&id=o3&depth=3"):
        response = client.get(f"/api/export?{query}&format=html&title=%3Csvg%20onload%3D"
                              "alert(20)%3E&caption=%22%3E%3Cscript%3Ealert(21)%3C/script%3E")
        page, path = _open(pages, tmp_path, "graph-xss.html", response.data)
        pages.pump(0.3)
        assert page.dialogs == [], query
        assert page.evaluate(INJECTED) == 0, query
        assert _offline(page, path) == [], query
        assert page.evaluate("document.title") == "<svg onload=alert(20)>"
        page.close()


def test_xss_payloads_never_run_in_the_svg(pages, tmp_path):
    view = _xss_view(PAYLOADS, SOURCE_PAYLOADS)
    for size in ("slide", "square"):
        page, path = _open(pages, tmp_path, f"xss-{size}.svg",
                           export_formats.image(view, "svg", size), settle=False)
        pages.pump(0.5)
        assert page.dialogs == []
        assert page.evaluate("document.documentElement.tagName") == "svg"
        assert page.evaluate("document.querySelectorAll('script, foreignObject, image, "
                             "iframe').length") == 0
        assert _offline(page, path) == []
        page.close()


# --- redaction, as the reader sees it ------------------------------------------------------------


def test_redacted_people_do_not_show_in_the_page(empty_graph, client, pages, tmp_path):
    build(empty_graph, [
        {"label": "Company", "id": "meta", "name": "Meta"},
        {"label": "Team", "id": "policy", "name": "Meta Public Policy", "function": "policy"},
        {"label": "Person", "id": "secret", "name": "Zelda Quarrington", "sensitive": True},
        {"label": "Organization", "id": "ngo", "name": "Digital Rights Watch"},
    ], [
        {"type": "PART_OF", "from": "policy", "to": "meta"},
        {"type": "HOLDS_ROLE", "from": "secret", "to": "policy", "title": "Policy Lead"},
        {"type": "HAS_CONTACT", "from": "ngo", "to": "secret"},
    ])
    response = client.get("/api/export?view=graph&format=html")
    page, _ = _open(pages, tmp_path, "redacted.html", response.data)
    everything = page.evaluate("document.documentElement.outerHTML + JSON.stringify("
                               "network.body.data.nodes.get()) + JSON.stringify("
                               "network.body.data.edges.get())")
    assert "Zelda" not in everything and "Policy Lead" not in everything
    labels = page.evaluate("network.body.data.nodes.get().map(function (n) { return n.label; })")
    # The whole-graph view lists only what the reader may see: the contact is left out, not
    # drawn as a placeholder (the escalation view keeps placeholders: tests/test_exports.py).
    assert sorted(labels) == ["Digital Rights Watch", "Meta", "Meta Public Policy"]
