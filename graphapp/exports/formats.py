"""Rendering a graph view (:class:`graphapp.exports.View`) in the export formats.

- ``html``: pyvis (vis-network 9.1.2, inlined from the pyvis package), one standalone file that
  makes no request: pyvis's CDN links are removed and a Content-Security-Policy forbids any
  (:func:`graphapp.exports.diagram.to_html`); legend, title, caption, date and sources footer.
- ``png``/``svg``: matplotlib (Agg, no pyplot) with a networkx layout, in print/slide/social
  sizes (:data:`SIZES`), with the same colours, shapes and legend.
- ``graphml``/``gexf``: networkx, every property; lists and maps as JSON strings.
- ``csv``: a zip of Kumu's elements.csv and connections.csv (lists joined with ``; ``).
- ``json``: networkx node-link JSON (lists kept as lists).

Everything a user typed is text in every format: HTML is escaped, labels are drawn on a
canvas and tooltips set as text, matplotlib's mathtext is off, XML writers escape, and CSV
cells that a spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import textwrap
import zipfile
from collections import Counter
from typing import Any
from urllib.parse import urlparse

from graphapp.exports import View, diagram
from graphapp.io import cells
from graphapp.store import model

MIMETYPES = {
    "html": "text/html", "png": "image/png", "svg": "image/svg+xml",
    "graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
    "csv": "application/zip", "json": "application/json",
}
EXTENSIONS = {"html": "html", "png": "png", "svg": "svg", "graphml": "graphml",
              "gexf": "gexf", "csv": "zip", "json": "json"}

# (colour, vis-network shape, matplotlib marker) per label; colours follow graphapp.exports.diagram.
STYLES: dict[str, tuple[str, str, str]] = {
    "Harm": (diagram.LABEL_COLORS["Harm"], "star", "*"),
    "Company": (diagram.LABEL_COLORS["Company"], "square", "s"),
    "Person": (diagram.LABEL_COLORS["Person"], "dot", "o"),
    "Team": (diagram.LABEL_COLORS["Team"], "triangle", "^"),
    "Product": (diagram.LABEL_COLORS["Product"], "diamond", "D"),
    "Investor": (diagram.LABEL_COLORS["Investor"], "hexagon", "h"),
    "Regulator": (diagram.LABEL_COLORS["Regulator"], "triangleDown", "v"),
    "Forum": (diagram.LABEL_COLORS["Forum"], "hexagon", "h"),
    "Organization": ("#6f7a8c", "dot", "o"),
    "Country": (diagram.LABEL_COLORS["Country"], "square", "s"),
    "Engagement": ("#c2588f", "triangle", "^"),
    "Commitment": ("#7a9e3d", "triangleDown", "v"),
}
REDACTED_STYLE = ("#3b4350", "dot", "o")
DEFAULT_STYLE = (diagram.DEFAULT_COLOR, "dot", "o")
ENDED_COLOR = "#b7bcc6"
EDGE_COLOR = "#5d6675"

# Image sizes: (width px, height px, dpi) and the SVG's width/height attributes.
SIZES: dict[str, dict[str, Any]] = {
    "a4": {"px": (3508, 2480), "dpi": 300, "svg": ("297mm", "210mm"),
           "what": "A4 landscape, 300 dpi (print)"},
    "slide": {"px": (1920, 1080), "dpi": 160, "svg": ("1920px", "1080px"),
              "what": "16:9 slide, 1920x1080"},
    "square": {"px": (1080, 1080), "dpi": 160, "svg": ("1080px", "1080px"),
               "what": "square, 1080x1080 (social media)"},
}

HREF = re.compile("href", re.IGNORECASE)
EVIDENCE_COLUMNS = ("confidence", "sources", "start_date", "end_date", "as_of", "note")


def style(node: dict[str, Any]) -> tuple[str, str, str]:
    if node.get("redacted"):
        return REDACTED_STYLE
    return STYLES.get(node["label"], DEFAULT_STYLE)


def render(view: View, fmt: str, size: str = "slide") -> bytes:
    """The view in one format (see the module docstring)."""
    if fmt == "html":
        return html_page(view).encode("utf-8")
    if fmt in ("png", "svg"):
        return image(view, fmt, size)
    if fmt == "graphml":
        return graphml(view)
    if fmt == "gexf":
        return gexf(view)
    if fmt == "csv":
        return kumu_zip(view)
    if fmt == "json":
        return node_link_json(view)
    raise ValueError(f"unknown format {fmt!r}")


# --- records: one flat dict per node and relationship ------------------------------------------


def node_record(node: dict[str, Any]) -> dict[str, Any]:
    """A node as one flat record: id, name, kind (the label drawn), labels, its properties,
    what the view says about it (``view_*``: rung, rank, depth, stakes...), redacted."""
    record: dict[str, Any] = {"id": node["id"], "name": node["name"], "kind": node["label"],
                              "labels": list(node["labels"])}
    record.update({k: v for k, v in node["props"].items() if k not in ("name", "id")})
    record.update({f"view_{k}": v for k, v in node.get("extra", {}).items()})
    record["redacted"] = bool(node.get("redacted"))
    return record


def edge_record(edge: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"from": edge["from"], "to": edge["to"], "type": edge["type"]}
    record.update({k: v for k, v in edge["props"].items() if k not in ("from", "to", "type")})
    record["redacted"] = bool(edge.get("redacted"))
    return record


def graph_attributes(view: View) -> dict[str, Any]:
    return {"title": view.title, "caption": view.caption, "view": view.kind,
            "exported_on": view.exported_on, "redacted": view.redacted,
            "notes": list(view.notes), "filters": {k: v for k, v in view.filters.items()
                                                   if v is not None},
            "generator": "graphapp"}


# --- networkx: GraphML, GEXF, node-link JSON --------------------------------------------------


def _scalar(value: Any) -> Any:
    """A value GraphML and GEXF can hold: lists and maps become JSON strings."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _harmonise(records: list[dict[str, Any]]) -> None:
    """One type per attribute, as GraphML and GEXF declare: ints mixed with floats become
    floats; anything else mixed becomes text (in place)."""
    kinds: dict[str, set[type]] = {}
    for r in records:
        for k, v in r.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, types in kinds.items():
        if len(types) < 2:
            continue
        if types <= {int, float}:
            convert: Any = float
        else:
            convert = str
        for r in records:
            if k in r:
                r[k] = convert(r[k])


def to_networkx(view: View, flat: bool = True):
    """A networkx MultiDiGraph of the view. ``flat``: lists and maps as JSON strings, one
    type per attribute (GraphML, GEXF), ``rel_type`` for the relationship type (GEXF keeps
    ``type`` for directedness) and ``label`` for the display name (Gephi)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    attrs = graph_attributes(view)
    g.graph.update({k: _scalar(v) for k, v in attrs.items()} if flat else attrs)
    nodes = [node_record(n) for n in view.nodes.values()]
    edges = [edge_record(e) for e in view.edges]
    if flat:
        nodes = [{k: _scalar(v) for k, v in r.items() if v is not None} for r in nodes]
        edges = [{k: _scalar(v) for k, v in r.items() if v is not None} for r in edges]
        for r in nodes:
            r["label"] = r["name"]
        for r in edges:
            r["rel_type"] = r.pop("type")
            r["label"] = r["rel_type"]
        _harmonise(nodes)
        _harmonise(edges)
    for r in nodes:
        g.add_node(r["id"], **{k: v for k, v in r.items() if k != "id"})
    for i, r in enumerate(edges):
        g.add_edge(r["from"], r["to"], key=i,
                   **{k: v for k, v in r.items() if k not in ("from", "to")})
    return g


def graphml(view: View) -> bytes:
    import networkx as nx

    out = io.BytesIO()
    nx.write_graphml(to_networkx(view), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def _rgb(color: str) -> dict[str, int | float]:
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16),
            "a": 1.0}


def gexf(view: View) -> bytes:
    """GEXF 1.2 with every property, and Gephi colours and sizes (``viz``) as in the HTML."""
    import networkx as nx

    g = to_networkx(view)
    for node_id, data in g.nodes(data=True):
        color = style(view.nodes[node_id])[0]
        data["viz"] = {"color": _rgb(color), "size": 10.0}
    out = io.BytesIO()
    nx.write_gexf(g, out, encoding="utf-8", prettyprint=True, version="1.2draft")
    return out.getvalue()


def node_link_json(view: View) -> bytes:
    """networkx's node-link JSON (``nodes``/``edges``), lists kept as lists."""
    import networkx as nx

    data = nx.node_link_data(to_networkx(view, flat=False), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")


# --- CSV for Kumu (and spreadsheets) ------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    """A cell: lists joined with "; "; text that a spreadsheet would run as a formula (it
    starts with = + - @, a tab or a carriage return) gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return cells.as_text(value) if isinstance(value, str) else value


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def kumu_tables(view: View) -> tuple[tuple[list[str], list[list[Any]]],
                                     tuple[list[str], list[list[Any]]]]:
    """(elements, connections) as (header, rows) in Kumu's columns.

    Elements: Label (the name), Type (the node's label), Description, Tags (other labels
    such as Investor, ``sensitive``, ``redacted``), ID, then every other property.
    Connections: From and To (element IDs), Type, the evidence, then every other property.
    """
    records = [node_record(n) for n in view.nodes.values()]
    skip = {"id", "name", "kind", "labels", "description", "redacted", "sensitive"}
    extra = sorted({k for r in records for k in r if k not in skip})
    e_header = ["Label", "Type", "Description", "Tags", "ID", *extra]
    e_rows = []
    for r in records:
        # Type is the node's own label (Company, Person...); extra labels such as Investor
        # are tags, as graphapp's Kumu importer reads them.
        base = next((label for label in r["labels"] if label in model.LABELS), r["kind"])
        tags = [label for label in r["labels"] if label != base]
        if r.get("sensitive"):
            tags.append("sensitive")
        if r["redacted"]:
            tags.append("redacted")
        e_rows.append([r["name"], base, r.get("description"), tags, r["id"],
                       *(r.get(k) for k in extra)])
    links = [edge_record(e) for e in view.edges]
    c_skip = {"from", "to", "type", *EVIDENCE_COLUMNS}
    c_extra = sorted({k for r in links for k in r if k not in c_skip})
    c_header = ["From", "To", "Type", *EVIDENCE_COLUMNS, *c_extra]
    c_rows = [[r["from"], r["to"], r["type"], *(r.get(k) for k in EVIDENCE_COLUMNS),
               *(r.get(k) for k in c_extra)] for r in links]
    return (e_header, e_rows), (c_header, c_rows)


CSV_README = """graphapp export: {title}
{caption}
Exported {date}.

elements.csv and connections.csv use Kumu's columns (Kumu: import a spreadsheet; graphapp:
`graphapp import elements.csv connections.csv`).
- elements.csv: Label (name), Type, Description, Tags, ID, then every other property.
- connections.csv: From and To (element IDs), Type, the evidence (confidence, sources,
  start_date, end_date, as_of, note), then every other property.
- Several values in one cell are separated by "; ".
- Cells that start with = + - @ (or a tab) begin with an apostrophe ('), so that a
  spreadsheet shows them as text instead of running them as a formula.
- Columns named view_* say what this view adds (escalation rung, rank, score; depth; stakes).
{notes}"""


def kumu_zip(view: View) -> bytes:
    (e_header, e_rows), (c_header, c_rows) = kumu_tables(view)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("elements.csv", _csv(e_header, e_rows))
        z.writestr("connections.csv", _csv(c_header, c_rows))
        notes = "".join(f"Note: {n}\n" for n in view.notes)
        z.writestr("README.txt", CSV_README.format(title=view.title, caption=view.caption,
                                                   date=view.exported_on, notes=notes))
    return out.getvalue()


# --- text for diagrams ---------------------------------------------------------------------------


def no_href(text: str) -> str:
    """Plain text in which "href" no longer reads as such (pyvis would otherwise switch its
    tooltip to innerHTML): a zero-width space splits the word. The text is not escaped:
    vis-network draws labels on a canvas and sets tooltips as text."""
    return HREF.sub(lambda m: m.group(0)[:2] + "\u200b" + m.group(0)[2:], str(text))


def _short(text: Any, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 1] + "…"


def node_tooltip(node: dict[str, Any]) -> str:
    if node.get("redacted"):
        return f"{node['name']} ({node['label']}): redacted, sensitive"
    props = node["props"]
    lines = [f"{node['name']} ({', '.join(node['labels'])})"]
    if props.get("description"):
        lines.append(_short(props["description"], 300))
    for key in ("jurisdiction", "function", "scope", "country", "harm_type", "severity",
                "started", "status", "kind", "investor_type", "iso2", "role_summary"):
        if props.get(key) not in (None, ""):
            lines.append(f"{key.replace('_', ' ')}: {props[key]}")
    for key, value in node.get("extra", {}).items():
        if key != "why":
            lines.append(f"{key.replace('_', ' ')}: {value}")
    if node.get("extra", {}).get("why"):
        lines.append(_short(node["extra"]["why"], 300))
    if props.get("sources"):
        lines.append("Sources: " + ", ".join(props["sources"][:3])
                     + (" …" if len(props["sources"]) > 3 else ""))
    return "\n".join(lines)


def edge_label(edge: dict[str, Any]) -> str:
    end = edge["props"].get("end_date")
    return f"{edge['type']} (ended {end})" if end else edge["type"]


def edge_tooltip(edge: dict[str, Any]) -> str:
    if edge.get("redacted"):
        return f"{edge['type']}: redacted, sensitive"
    p = edge["props"]
    lines = [f"{edge['type']} ({p.get('confidence') or 'confidence unknown'}, "
             f"{p.get('start_date') or '?'} to {p.get('end_date') or 'now'}"
             + (f", as of {p['as_of']}" if p.get("as_of") else "") + ")"]
    for key in ("title", "kind", "economic_pct", "voting_pct", "pct_min", "pct_max",
                "share_class", "means", "mechanism", "instrument", "area"):
        if p.get(key) not in (None, ""):
            lines.append(f"{key.replace('_', ' ')}: {p[key]}")
    if p.get("note"):
        lines.append(_short(p["note"], 300))
    lines.append("Sources: " + (", ".join(p["sources"]) if p.get("sources") else "none"))
    return "\n".join(lines)


def legend_entries(view: View) -> list[tuple[str, tuple[str, str, str]]]:
    """(label, style) for every kind of node in the view, in the legend's order."""
    present = {n["label"] for n in view.nodes.values() if not n.get("redacted")}
    entries = [(label, STYLES[label]) for label in STYLES if label in present]
    entries += [(label, DEFAULT_STYLE) for label in sorted(present - set(STYLES))]
    if any(n.get("redacted") for n in view.nodes.values()):
        entries.append(("Sensitive (redacted)", REDACTED_STYLE))
    return entries


def edge_style(edge: dict[str, Any]) -> dict[str, Any]:
    """Colour, dashes and width by evidence: confirmed thick, alleged dashed, ended grey."""
    p = edge["props"]
    if edge.get("redacted"):
        return {"color": REDACTED_STYLE[0], "dashes": True, "width": 1}
    color = ENDED_COLOR if p.get("end_date") else EDGE_COLOR
    return {"color": color, "dashes": p.get("confidence") == "alleged",
            "width": 2 if p.get("confidence") == "confirmed" else 1}


EDGE_LEGEND = (("confirmed", {"color": EDGE_COLOR, "dashes": False, "width": 2}),
               ("reported", {"color": EDGE_COLOR, "dashes": False, "width": 1}),
               ("alleged", {"color": EDGE_COLOR, "dashes": True, "width": 1}),
               ("ended", {"color": ENDED_COLOR, "dashes": False, "width": 1}))


def footer_sources(view: View, limit: int) -> tuple[list[str], int]:
    sources = view.sources()
    return sources[:limit], max(len(sources) - limit, 0)


# --- HTML (pyvis) --------------------------------------------------------------------------------


def physics_options(n: int) -> dict[str, Any]:
    """Physics that settles quickly: a bounded number of stabilisation iterations (fewer for
    big graphs), then the page turns physics off (no endless jiggle, no CPU burn)."""
    iterations = 1000 if n <= 200 else 400 if n <= 1000 else 150
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                             "springLength": 110, "springConstant": 0.08, "damping": 0.6,
                             "avoidOverlap": 0.3 if n <= 500 else 0},
        "maxVelocity": 60, "minVelocity": 1.5, "timestep": 0.5,
        "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25,
                          "fit": True},
    }


def vis_options(n: int, m: int) -> dict[str, Any]:
    return {
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": True, "hideEdgesOnDrag": m > 1000},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 9, "align": "middle", "color": "#4a5060",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "smooth": {"enabled": True, "type": "continuous"} if m <= 300 else False,
                  "color": {"inherit": False}},
        "nodes": {"font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1d2330"},
                  "size": 14, "borderWidth": 1},
        "layout": {"improvedLayout": n <= 150, "randomSeed": 7},
        "physics": physics_options(n),
    }


PAGE_STYLE = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330}
.gx-head{padding:12px 18px 4px}
.gx-head h1{font-size:20px;margin:0 0 4px}
.gx-head p{margin:2px 0;font-size:13px;color:#4a5060}
.gx-note{color:#8a4b00!important}
#mynetwork{float:none!important;border:0!important;border-top:1px solid #e3e6eb!important;
  border-bottom:1px solid #e3e6eb!important}
.gx-legend{display:flex;flex-wrap:wrap;gap:6px 16px;padding:8px 18px;font-size:12px}
.gx-legend span{display:inline-flex;align-items:center;gap:5px}
.gx-legend i{display:inline-block;width:11px;height:11px;border:1px solid #0003}
.gx-legend i.dot{border-radius:50%}
.gx-legend i.line{width:22px;height:0;border:0;border-top:2px solid #5d6675}
.gx-foot{padding:6px 18px 14px;font-size:11px;color:#4a5060}
.gx-foot ol{margin:4px 0;padding-left:20px;columns:2;column-gap:28px}
.gx-foot li{overflow-wrap:anywhere}
div.vis-tooltip{white-space:pre-wrap!important;max-width:420px;font-size:12px!important}
"""

STABILISE_SCRIPT = """<script>
(function () {
  function settled() {
    network.setOptions({physics: false});
    document.body.setAttribute("data-settled", "true");
  }
  if (nodes.length === 0) { settled(); return; }
  network.once("stabilizationIterationsDone", settled);
})();
</script>"""


def _legend_html(view: View) -> str:
    items = []
    for label, (color, shape, _) in legend_entries(view):
        cls = "dot" if shape == "dot" else ""
        items.append(f'<span><i class="{cls}" style="background:{color}"></i>'
                     f"{html.escape(label)} <small>({shape})</small></span>")
    for name, s in EDGE_LEGEND:
        border = "dashed" if s["dashes"] else "solid"
        items.append(f'<span><i class="line" style="border-top:{s["width"]}px {border} '
                     f'{s["color"]}"></i>{name}</span>')
    return '<div class="gx-legend" aria-label="Legend">' + "".join(items) + "</div>"


def _source_item(url: str) -> str:
    """A source in the footer: a link when it is an http(s) URL, else plain text."""
    if urlparse(url).scheme in ("http", "https"):
        safe = html.escape(url, quote=True)
        return f'<li><a href="{safe}" rel="noopener noreferrer">{safe}</a></li>'
    return f"<li>{html.escape(url)}</li>"


def _header_html(view: View) -> str:
    notes = "".join(f'<p class="gx-note">{html.escape(n)}</p>' for n in view.notes)
    return (f'<header class="gx-head"><h1>{html.escape(view.title)}</h1>'
            f"<p>{html.escape(view.caption)}</p>{notes}</header>")


def _footer_html(view: View) -> str:
    shown, more = footer_sources(view, 300)
    items = "".join(_source_item(s) for s in shown)
    more_text = f"<p>… and {more} more sources (all in the data exports).</p>" if more else ""
    return (f'<footer class="gx-foot"><p>Exported {html.escape(view.exported_on)} from '
            f"graphapp ({len(view.nodes)} nodes, {len(view.edges)} relationships). "
            "Every relationship carries its evidence: hover it. Check the sources before "
            f"you act on them in public.</p><p><strong>Sources</strong></p>"
            f"<ol>{items or '<li>none cited</li>'}</ol>{more_text}</footer>")


def network(view: View):
    """The pyvis Network of the view (nodes and edges appended directly: pyvis's add_edge
    checks every earlier edge, which is quadratic)."""
    from pyvis.network import Network

    net = Network(height="74vh", width="100%", directed=True, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#1d2330")
    degree = Counter()
    for e in view.edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
    for node in view.nodes.values():
        color, shape, _ = style(node)
        net.nodes.append({
            "id": node["id"], "label": no_href(_short(node["name"], 60)),
            "title": no_href(node_tooltip(node)), "color": color, "shape": shape,
            "size": 10 + min(degree[node["id"]], 20) * 0.6, "group": node["label"],
        })
        net.node_ids.append(node["id"])
        net.node_map[node["id"]] = net.nodes[-1]
    for edge in view.edges:
        net.edges.append({"from": edge["from"], "to": edge["to"],
                          "label": no_href(edge_label(edge)), "title": no_href(edge_tooltip(edge)),
                          "arrows": "to", **edge_style(edge)})
    net.set_options(json.dumps(vis_options(len(view.nodes), len(view.edges))))
    return net


def html_page(view: View) -> str:
    """One standalone HTML file: vis-network inlined, no external request, a CSP that forbids
    any, every user text escaped (see the module docstring)."""
    page = diagram.to_html(network(view), title=view.title)
    page = page.replace("</head>", f"<style>{PAGE_STYLE}</style>\n</head>", 1)
    body = re.search(r"<body[^>]*>", page)
    assert body is not None, "pyvis's template has no <body>"
    page = page[:body.end()] + _header_html(view) + page[body.end():]
    tail = page.rindex("</body>")
    page = (page[:tail] + _legend_html(view) + _footer_html(view) + STABILISE_SCRIPT + "\n"
            + page[tail:])
    leftovers = diagram.external_references(page)
    if leftovers:  # a pyvis upgrade added a remote resource: fail loudly, never ship it
        raise RuntimeError(f"the export would fetch {leftovers[:3]}")
    return page


# --- PNG and SVG (matplotlib + networkx) ---------------------------------------------------------


def layout(view: View) -> dict[str, tuple[float, float]]:
    """Node positions with a fixed seed: Kamada-Kawai up to 300 nodes (a spring layout seeds
    it; hubs' leaves spread evenly), above that :func:`force_layout`."""
    import networkx as nx

    n = len(view.nodes)
    if n == 0:
        return {}
    if n <= 300:
        g = nx.Graph()
        g.add_nodes_from(view.nodes)
        g.add_edges_from((e["from"], e["to"]) for e in view.edges)
        start = nx.spring_layout(g, seed=7, iterations=30)
        return nx.kamada_kawai_layout(g, pos=start)
    ids = list(view.nodes)
    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = [(index[e["from"]], index[e["to"]]) for e in view.edges
             if e["from"] in index and e["to"] in index and e["from"] != e["to"]]
    xy = force_layout(n, pairs)
    return {node_id: (float(xy[i, 0]), float(xy[i, 1])) for i, node_id in enumerate(ids)}


def force_layout(n: int, edges: list[tuple[int, int]], iterations: int = 60, seed: int = 7,
                 exact_up_to: int = 600, sample: int = 300):
    """Fruchterman-Reingold in numpy. Repulsion between all pairs up to ``exact_up_to``
    nodes; above, each iteration repels every node from a random sample of ``sample`` nodes,
    scaled up (an unbiased estimate): O(n x sample) instead of O(n^2), seconds for 5,000
    nodes where networkx's spring layout takes half a minute (bench/export.py)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = (1.0 / n) ** 0.5
    src = np.array([a for a, _ in edges], dtype=int)
    dst = np.array([b for _, b in edges], dtype=int)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        if n <= exact_up_to:
            others, scale = pos, 1.0
        else:
            others, scale = pos[rng.choice(n, sample, replace=False)], n / sample
        delta = pos[:, None, :] - others[None, :, :]
        dist2 = np.maximum((delta ** 2).sum(axis=2), 1e-6)
        disp = (delta * (k * k / dist2)[:, :, None]).sum(axis=1) * scale
        if len(src):
            d = pos[src] - pos[dst]
            dist = np.maximum(np.sqrt((d ** 2).sum(axis=1)), 1e-3)
            pull = d * (dist / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    return pos / max(np.abs(pos).max(), 1e-9)


def image(view: View, fmt: str, size: str = "slide") -> bytes:
    """The view as PNG or SVG, at one of SIZES, with title, caption, legend and sources."""
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    spec = SIZES[size]
    (wpx, hpx), dpi = spec["px"], spec["dpi"]
    fig = Figure(figsize=((wpx + 0.01) / dpi, (hpx + 0.01) / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    width_in = wpx / dpi
    base = 7.0 if size != "square" else 6.0
    legend_w = 0.22 if size != "square" else 0.30
    ax = fig.add_axes((0.02, 0.10, 0.96 - legend_w, 0.74))
    ax.set_axis_off()

    pos = layout(view)
    degree = Counter()
    for e in view.edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1

    segments, colors, widths, dashes = [], [], [], []
    for e in view.edges:
        if e["from"] not in pos or e["to"] not in pos:
            continue
        s = edge_style(e)
        segments.append((pos[e["from"]], pos[e["to"]]))
        colors.append(s["color"])
        widths.append(0.9 if s["width"] == 2 else 0.5)
        dashes.append((0, (3, 2)) if s["dashes"] else "solid")
    if segments:
        ax.add_collection(LineCollection(segments, colors=colors, linewidths=widths,
                                         linestyles=dashes, alpha=0.8, zorder=1))
        if len(segments) <= 300:  # arrowheads where they can be seen
            for (a, b), c in zip(segments, colors, strict=True):
                ax.annotate("", xy=(a[0] * 0.12 + b[0] * 0.88, a[1] * 0.12 + b[1] * 0.88),
                            xytext=a, arrowprops={"arrowstyle": "-|>", "color": c,
                                                  "lw": 0, "mutation_scale": 8}, zorder=1)

    n = len(view.nodes)
    scale = 1.0 if n <= 100 else 0.6 if n <= 1000 else 0.35
    by_style: dict[tuple[str, str], list[str]] = {}
    for node_id, node in view.nodes.items():
        color, _, marker = style(node)
        by_style.setdefault((color, marker), []).append(node_id)
    for (color, marker), ids in by_style.items():
        xs = [pos[i][0] for i in ids]
        ys = [pos[i][1] for i in ids]
        sizes = [(40 + 8 * min(degree[i], 25)) * scale for i in ids]
        ax.scatter(xs, ys, s=sizes, c=color, marker=marker, edgecolors="#1d2330",
                   linewidths=0.3, zorder=2)

    outline = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    label_font = base if n <= 60 else base - 1 if n <= 150 else base - 1.5
    labelled = sorted(view.nodes, key=lambda i: (-degree[i], view.nodes[i]["name"]))
    labelled = labelled if n <= 150 else labelled[:40]
    for node_id in labelled:
        x, y = pos[node_id]
        ax.annotate(_short(view.nodes[node_id]["name"], 40), (x, y), xytext=(0, 4),
                    textcoords="offset points", fontsize=label_font, ha="center",
                    va="bottom", zorder=3, parse_math=False, path_effects=outline,
                    color="#1d2330")
    if len(segments) <= 40:
        for e in view.edges:
            if e["from"] in pos and e["to"] in pos:
                (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
                ax.text((x1 + x2) / 2, (y1 + y2) / 2, edge_label(e), fontsize=base - 2,
                        color="#4a5060", ha="center", va="center", zorder=3,
                        parse_math=False, path_effects=outline)
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        padx = (max(xs) - min(xs)) * 0.06 + 0.05
        pady = (max(ys) - min(ys)) * 0.06 + 0.05
        ax.set_xlim(min(xs) - padx, max(xs) + padx)
        ax.set_ylim(min(ys) - pady, max(ys) + pady)

    handles = [Line2D([], [], linestyle="", marker=m, markersize=7, markerfacecolor=c,
                      markeredgecolor="#1d2330", markeredgewidth=0.4, label=label)
               for label, (c, _, m) in legend_entries(view)]
    handles += [Line2D([], [], color=s["color"], linewidth=1.6 if s["width"] == 2 else 0.8,
                       linestyle="--" if s["dashes"] else "-", label=name)
                for name, s in EDGE_LEGEND]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(1 - legend_w, 0.84),
               fontsize=base, frameon=False, title="Legend", title_fontsize=base + 1)

    chars = int(width_in * 72 / (base * 0.55))
    title_chars = int(width_in * 72 / ((base + 7) * 0.62))
    fig.text(0.02, 0.975, _short(view.title, title_chars), fontsize=base + 7, weight="bold",
             va="top", parse_math=False)
    caption = "\n".join(textwrap.wrap(" ".join([view.caption, *view.notes]),
                                      int(chars * base / (base + 1) * 0.95))[:4])
    fig.text(0.02, 0.925, caption, fontsize=base + 1, va="top", color="#4a5060",
             parse_math=False)
    cited = view.sources()
    unique_hosts = list(dict.fromkeys(urlparse(s).netloc or _short(s, 40) for s in cited))
    shown, more = unique_hosts[:4], len(unique_hosts) > 4
    hosts = ", ".join(shown)
    foot = (f"Exported {view.exported_on} from graphapp · {len(view.nodes)} nodes, "
            f"{len(view.edges)} relationships · Sources: "
            + (f"{len(cited)} cited ({hosts}{', …' if more else ''}); all of them "
               "are in the HTML and data exports" if shown else "none cited"))
    fig.text(0.02, 0.03, "\n".join(textwrap.wrap(foot, int(chars * 1.15))[:3]),
             fontsize=base - 1, color="#4a5060", va="bottom", parse_math=False)

    out = io.BytesIO()
    if fmt == "png":
        fig.savefig(out, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
        return out.getvalue()
    fig.savefig(out, format="svg", facecolor="white",
                metadata={"Date": None, "Title": view.title})
    return _svg_size(out.getvalue().decode("utf-8"), *spec["svg"]).encode("utf-8")


def _svg_size(svg: str, width: str, height: str) -> str:
    """Give the root <svg> the size of its medium (mm for print, px for screens)."""
    root = re.search(r"<svg\b[^>]*>", svg)
    assert root is not None
    tag = re.sub(r'\swidth="[^"]*"', f' width="{width}"', root.group(0), count=1)
    tag = re.sub(r'\sheight="[^"]*"', f' height="{height}"', tag, count=1)
    return svg[:root.start()] + tag + svg[root.end():]
