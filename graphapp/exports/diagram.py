"""Interactive diagrams (pyvis / vis-network) as standalone HTML pages that work offline.

pyvis with ``cdn_resources="in_line"`` inlines vis-network but still links Bootstrap (and, in
other modes, vis) from a CDN, and switches to a tooltip that sets ``innerHTML`` when a node's
title contains "href". :func:`to_html` therefore escapes every label and title, keeps "href"
out of titles, removes every external ``<script>``/``<link>``, swaps the ``innerHTML`` popup for
``textContent``, and adds a Content-Security-Policy that forbids any request. The page makes no
network request and runs no markup that came from the data.

Use :func:`network` to build from plain node and edge dicts, then :func:`to_html`;
:func:`escalation_html` draws an escalation result (``graphapp.escalation``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from pyvis.network import Network

from graphapp.escalation import RUNG_TITLES, subgraph

# Colours follow static/graphapp.css's labels.
LABEL_COLORS = {
    "Harm": "#e0584f", "Company": "#4c7fd6", "Person": "#45a163", "Team": "#8fb3e8",
    "Product": "#f2a541", "Investor": "#d9a400", "Regulator": "#8a5cc7", "Forum": "#4bb3b0",
    "Organization": "#a0a7b4", "Country": "#c9ced8",
}
DEFAULT_COLOR = "#97a3b6"
CONFIDENCE_EDGE = {"confirmed": {"dashes": False, "width": 2},
                   "reported": {"dashes": False, "width": 1},
                   "alleged": {"dashes": True, "width": 1}}

CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
       "base-uri 'none'")

EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=[^>]*>\s*</script\s*>"     # <script src=...></script>
    r"|<link\b[^>]*>",                                   # any <link ...> (stylesheets, icons)
    re.IGNORECASE | re.DOTALL,
)
HREF = re.compile("href", re.IGNORECASE)
# An "&" that would start a character reference; a lone "&" (as in "AT&T") reads the same in HTML.
AMPERSAND_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
MARKUP = {"<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)


def escape(text: Any) -> str:
    """HTML-escape ``text``: ``< > " '`` always, and ``&`` where it would start a character
    reference. Parsed as HTML the result is exactly the original text, as with ``html.escape``,
    but a lone ``&`` stays readable where vis-network shows the string as is (canvas labels,
    its innerText tooltip): "Trust & Safety", not "Trust &amp; Safety"."""
    text = AMPERSAND_REFERENCE.sub("&amp;", str(text))
    return "".join(MARKUP.get(ch, ch) for ch in text)


def safe_text(text: Any) -> str:
    """Escaped text (:func:`escape`) in which "href" no longer reads as "href" (pyvis would
    otherwise switch to its innerHTML popup). A zero-width space splits the word."""
    return HREF.sub(lambda m: m.group(0)[:2] + "\u200b" + m.group(0)[2:], escape(text))


def network(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]], *,
            height: str = "640px", layout: str | None = "LR") -> Network:
    """A pyvis Network from plain dicts.

    nodes: ``{id, label, title?, color?, shape?, level?, size?}``;
    edges: ``{from, to, label?, title?, dashes?, width?, color?}``. Labels and titles are
    escaped here; ``level`` drives a hierarchical layout (``layout`` "LR", "UD", or None).
    """
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#1d2330")
    has_levels = False
    for node in nodes:
        extra = {k: node[k] for k in ("color", "shape", "size", "level") if node.get(k) is not None}
        has_levels = has_levels or "level" in extra
        net.add_node(str(node["id"]), label=safe_text(node.get("label") or node["id"]),
                     title=safe_text(node.get("title") or node.get("label") or node["id"]),
                     **extra)
    for edge in edges:
        extra = {k: edge[k] for k in ("dashes", "width", "color") if edge.get(k) is not None}
        net.add_edge(str(edge["from"]), str(edge["to"]), label=safe_text(edge.get("label", "")),
                     title=safe_text(edge.get("title") or edge.get("label") or ""), **extra)
    options: dict[str, Any] = {
        "interaction": {"hover": True, "navigationButtons": False, "keyboard": True},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "font": {"size": 10, "align": "middle"}, "smooth": {"type": "cubicBezier"}},
        "nodes": {"font": {"size": 13}},
        "physics": {"enabled": not (layout and has_levels)},
    }
    if layout and has_levels:
        options["layout"] = {"hierarchical": {"enabled": True, "direction": layout,
                                              "levelSeparation": 190, "nodeSpacing": 90}}
    net.set_options(json.dumps(options))
    return net


def to_html(net: Network, title: str = "Diagram") -> str:
    """The network as a standalone HTML page that makes no external request."""
    for node in net.nodes:  # keep pyvis off its innerHTML tooltip, whatever the caller did
        if "href" in str(node.get("title", "")).lower():
            node["title"] = safe_text(node["title"])
    page = net.generate_html(notebook=False)
    page = EXTERNAL_TAG.sub("", page)
    page = HEADING.sub("", page)
    page = page.replace("popup.innerHTML = nodeData[0].title;",
                        "popup.textContent = nodeData[0].title;")
    head = (f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{margin:0;font-family:system-ui,sans-serif}"
            "#mynetwork{float:none!important;border:0!important}</style>\n")
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + head, 1)
    return "<!doctype html>\n" + page.lstrip()


def external_references(page: str) -> list[str]:
    """Every src/href that would make the browser fetch something (for tests and checks)."""
    return re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?([^\"' >]+)",
                      page, re.IGNORECASE)


# --- escalation ------------------------------------------------------------------------------


def _color(labels: list[str]) -> str:
    for label in ("Harm", "Investor", "Regulator", "Forum", "Team", "Person", "Product",
                  "Company", "Country", "Organization"):
        if label in labels:
            return LABEL_COLORS[label]
    return DEFAULT_COLOR


def escalation_html(result: dict[str, Any]) -> str:
    """The escalation subgraph of ``graphapp.escalation.escalate``'s result, as a page."""
    nodes, edges = subgraph(result)
    level = {result["start"]["id"]: 0}
    for rung in result["rungs"]:
        for target in rung["targets"]:
            for i, hop in enumerate(target["path"], 1):
                node_id = hop["to"]["id"]
                level[node_id] = min(level.get(node_id, i), i)
    vis_nodes = []
    for node in nodes:
        rung = node.get("rung")
        kind = ("the starting point" if rung == "start"
                else RUNG_TITLES.get(rung, "on the way").lower() if rung else "on the way")
        vis_nodes.append({
            "id": node["id"], "label": node["name"], "color": _color(node["labels"]),
            "title": f"{node['name']} ({', '.join(node['labels'])}): {kind}",
            "level": level.get(node["id"], 0),
            "shape": "box" if rung in ("headquarters", "start") else "dot",
            "size": 22 if rung == "headquarters" else 14,
        })
    vis_edges = []
    for edge in edges:
        dates = f"{edge['start_date'] or '?'} to {edge['end_date'] or 'now'}"
        sources = ", ".join(edge["sources"]) or "no source"
        vis_edges.append({
            "from": edge["from"], "to": edge["to"], "label": edge["type"],
            "title": f"{edge['type']} ({edge['confidence'] or 'unknown'}, {dates}); {sources}",
            **CONFIDENCE_EDGE.get(edge["confidence"] or "", {}),
        })
    return to_html(network(vis_nodes, vis_edges),
                   title=f"Escalation from {result['start']['name']}")
