"""Rendering a graph view (:class:`graphapp.exports.View`) in the export formats.

- ``html``: escalation, company and investor views are the ladder or tree drawn as inline SVG
  on a page with no script (:func:`ladder_page`); entity and graph views are pyvis
  (vis-network 9.1.2, inlined from the pyvis package), one standalone file that makes no
  request: pyvis's CDN links are removed and a Content-Security-Policy forbids any
  (:func:`graphapp.exports.diagram.to_html`); legend, title, caption, date and sources footer.
- ``png``/``svg``: :mod:`graphapp.drawing` (the ladder, ownership trees, a seeded force layout;
  text shaped by HarfBuzz with the bundled Noto fonts; PNG rasterised by resvg), in print,
  slide, square and social sizes (:data:`SIZES`), with the same colours and legend.
- ``graphml``/``gexf``: networkx, every property; lists and maps as JSON strings.
- ``csv``: a zip of Kumu's elements.csv and connections.csv (lists joined with ``; ``).
- ``json``: networkx node-link JSON (lists kept as lists).

Everything a user typed is text in every format: HTML is escaped, labels are drawn on a
canvas and tooltips set as text, SVG text is XML-escaped (the PNG draws glyph outlines),
XML writers escape, and CSV cells that a spreadsheet would run as a formula get a leading
apostrophe.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlparse

from graphapp.exports import diagram
from graphapp.i18n import gettext as _
from graphapp.i18n import language, ngettext
from graphapp.io import cells
from graphapp.store import model

if TYPE_CHECKING:  # a type only: graphapp.exports imports this module to render its views
    from graphapp.exports import View

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

# Image sizes (canvas, zoom, base font, the SVG's width/height): graphapp.drawing.layered.
from graphapp.drawing.layered import SIZES  # noqa: E402

HREF = re.compile("href", re.IGNORECASE)
EVIDENCE_COLUMNS = ("confidence", "sources", "start_date", "end_date", "as_of", "note")


def style(node: dict[str, Any]) -> tuple[str, str, str]:
    if node.get("redacted"):
        return REDACTED_STYLE
    return STYLES.get(node["label"], DEFAULT_STYLE)


class Format(NamedTuple):
    """One export format: what it is sent as, its file extension, and how it is made."""

    mimetype: str
    extension: str
    render: Callable[..., bytes]


def render(view: View, fmt: str, size: str = "slide", href=None) -> bytes:
    """The view in one format (see the module docstring). ``href(id)``: a node's link (the
    entity page) in the HTML page, where the export is made from the app."""
    if fmt not in REGISTRY:
        raise ValueError(f"unknown format {fmt!r}")
    return REGISTRY[fmt].render(view, size=size, href=href)


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


REDACTED_LEGEND = "Sensitive (redacted)"


def legend_entries(view: View) -> list[tuple[str, tuple[str, str, str]]]:
    """(label, style) for every kind of node in the view, in the legend's order."""
    present = {n["label"] for n in view.nodes.values() if not n.get("redacted")}
    entries = [(label, STYLES[label]) for label in STYLES if label in present]
    entries += [(label, DEFAULT_STYLE) for label in sorted(present - set(STYLES))]
    if any(n.get("redacted") for n in view.nodes.values()):
        entries.append((REDACTED_LEGEND, REDACTED_STYLE))
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
  // A small graph laid out well at once is stable before this runs (the event came and
  // went): physics.stabilized tells so. Otherwise the event is still to come.
  if (nodes.length === 0 || network.physics.stabilized) { settled(); return; }
  network.once("stabilizationIterationsDone", settled);
})();
</script>"""


def _legend_html(view: View) -> str:
    """The kinds and line styles of the interactive diagram, in the reader's words (the shape's
    name, "triangleDown", is vis-network's, not an advocate's)."""
    from graphapp.drawing.diagrams import LABELS

    items = []
    for label, (color, shape, _kind) in legend_entries(view):
        cls = "dot" if shape == "dot" else ""
        name = (_("sensitive (redacted)") if label == REDACTED_LEGEND
                else str(LABELS.get(label, label)))
        items.append(f'<span><i class="{cls}" style="background:{color}"></i>'
                     f"{html.escape(name)}</span>")
    for name, s in EDGE_LEGEND:
        border = "dashed" if s["dashes"] else "solid"
        items.append(f'<span><i class="line" style="border-top:{s["width"]}px {border} '
                     f'{s["color"]}"></i>{html.escape(_(name))}</span>')
    return (f'<div class="gx-legend" aria-label="{html.escape(_("Legend"))}">'
            + "".join(items) + "</div>")


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
    more_text = ""
    if more:
        more_text = "<p>" + html.escape(ngettext(
            "… and %(num)d more source (all in the data exports).",
            "… and %(num)d more sources (all in the data exports).", more)) + "</p>"
    exported = _("Exported %(date)s from graphapp (%(nodes)s, %(relationships)s). Every "
                 "relationship carries its evidence: hover it. Check the sources before you "
                 "act on them in public.", date=view.exported_on,
                 nodes=ngettext("%(num)d node", "%(num)d nodes", len(view.nodes)),
                 relationships=ngettext("%(num)d relationship", "%(num)d relationships",
                                        len(view.edges)))
    none = f"<li>{html.escape(_('none cited'))}</li>"
    return (f'<footer class="gx-foot"><p>{html.escape(exported)}</p>'
            f"<p><strong>{html.escape(_('Sources'))}</strong></p>"
            f"<ol>{items or none}</ol>{more_text}</footer>")


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
        color, shape, _kind = style(node)
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


LADDER_VIEWS = ("escalation", "company", "investor")
LADDER_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "form-action 'none'; base-uri 'none'")
LADDER_STYLE = """
body{margin:0;font-family:'Noto Sans',system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330}
.gx-head{padding:12px 18px 4px}
.gx-head h1{font-size:22px;margin:0 0 4px}
.gx-head p{margin:2px 0;font-size:14px;color:#4a5060}
.gx-note{color:#8a4b00!important}
figure{margin:0;padding:0 8px;overflow-x:auto}
figure svg{display:block;max-width:100%;height:auto}
figure a:hover rect,figure a:focus rect{stroke-width:3}
.gx-foot{padding:6px 18px 14px;font-size:12px;color:#4a5060}
.gx-foot ol{margin:4px 0;padding-left:20px;columns:2;column-gap:28px}
.gx-foot li{overflow-wrap:anywhere}
"""


def ladder_svg(view: View, href=None, element_id: str = "ladder") -> str:
    """The ladder or tree of a view as inline SVG at the page's size (the harm page and the
    HTML export): real text, boxes linking to the entity pages when ``href`` is given."""
    from graphapp.drawing.diagrams import scene_for
    from graphapp.drawing.scene import to_svg

    drawn = scene_for(view, "page", href, header=False)
    return to_svg(drawn, link=href is not None, element_id=element_id)


def ladder_page(view: View, href=None) -> str:
    """One standalone HTML file for a ladder or tree: the same drawing as the SVG export and
    the harm page (no script at all), with the sources as links below it."""
    help_text = html.escape(_("Each box links to its page in graphapp; hover a box or a line "
                              "for its evidence.") if href
                            else _("Hover a box or a line for its evidence."))
    return (f"<!doctype html>\n<html lang=\"{language()}\"><head><meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{LADDER_CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(view.title)}</title>\n<style>{LADDER_STYLE}</style>\n"
            '</head><body data-settled="true">\n' + _header_html(view)
            + f'<p class="gx-head">{help_text}</p>\n'
            + f"<figure>{ladder_svg(view, href)}</figure>\n" + _footer_html(view)
            + "\n</body></html>\n")


def html_page(view: View, href=None) -> str:
    """One standalone HTML file, no external request, a CSP that forbids any, every user
    text escaped: the ladder (:func:`ladder_page`) for escalations and ownership, else
    vis-network inlined (see the module docstring)."""
    if view.kind in LADDER_VIEWS and view.nodes:
        return ladder_page(view, href)
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


# --- PNG and SVG (graphapp.drawing) ------------------------------------------------------------


def scene(view: View, size: str = "slide", href=None):
    """The drawing of the view (:func:`graphapp.drawing.diagrams.scene_for`)."""
    from graphapp.drawing.diagrams import scene_for

    return scene_for(view, size, href)


def image(view: View, fmt: str, size: str = "slide") -> bytes:
    """The view as PNG or SVG at one of SIZES: the ladder for escalations, trees for
    ownership, a seeded force layout otherwise (docs/exports.md), every script shaped, the
    label-overlap count in the file's metadata."""
    from graphapp.drawing.scene import to_png, to_svg

    drawn = scene(view, size)
    if fmt == "png":
        return to_png(drawn, zoom=SIZES[size]["zoom"])
    return to_svg(drawn, size=SIZES[size]["svg"], link=False).encode("utf-8")


# --- the formats, in one place -------------------------------------------------------------------

REGISTRY: dict[str, Format] = {
    "html": Format("text/html", "html",
                   lambda view, size, href: html_page(view, href).encode("utf-8")),
    "png": Format("image/png", "png", lambda view, size, href: image(view, "png", size)),
    "svg": Format("image/svg+xml", "svg", lambda view, size, href: image(view, "svg", size)),
    "graphml": Format("application/graphml+xml", "graphml",
                      lambda view, size, href: graphml(view)),
    "gexf": Format("application/gexf+xml", "gexf", lambda view, size, href: gexf(view)),
    "csv": Format("application/zip", "zip", lambda view, size, href: kumu_zip(view)),
    "json": Format("application/json", "json", lambda view, size, href: node_link_json(view)),
}
MIMETYPES = {name: f.mimetype for name, f in REGISTRY.items()}
EXTENSIONS = {name: f.extension for name, f in REGISTRY.items()}
