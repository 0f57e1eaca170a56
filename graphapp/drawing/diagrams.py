"""Graph views (:class:`graphapp.exports.View`) as drawings: which layout, which rows, which
words.

- escalation: the ladder (:mod:`graphapp.drawing.layered`), from the harm at the bottom
  through the local level, the companies on the way, the teams and the people in them, the
  ultimate parent, up to its leadership and investors; regulators and forums beside it;
- company (who holds it) and investor (what it holds): ownership trees, holders above what they
  hold;
- entity and graph views: a force layout with a fixed seed, labels placed where they overlap
  nothing (the best connected first), the rest left to the tooltip and counted.

Relationships read as people say them (:func:`edge_phrase`): "owns 13% (61.1% of votes)",
"oversees under the DSA", "CEO"; an unknown stake reads "owns an undisclosed stake".

Every word drawn is in the reader's language when exported from the web (gettext: the
request's language), in English from the command line unless it asks for another (``--lang``).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from typing import Any
from urllib.parse import urlparse

from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale

from graphapp.drawing import text as tx
from graphapp.drawing.layered import SIZES, Box, Frame, Link, ladder_scene
from graphapp.drawing.scene import INK, Item, Label, Scene, Shape, overlaps
from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.i18n import ngettext

COLORS = {
    "Harm": "#e0584f", "Company": "#4c7fd6", "Person": "#45a163", "Team": "#6f93d0",
    "Product": "#f2a541", "Investor": "#c99700", "Regulator": "#8a5cc7", "Forum": "#2f9c99",
    "Organization": "#6f7a8c", "Country": "#9aa1ad", "Engagement": "#c2588f",
    "Commitment": "#7a9e3d",
}
REDACTED = "#3b4350"
EDGE = "#5d6675"
ENDED = "#b7bcc6"

LADDER_ROWS = {"start": 0, "local": 2, "subsidiary": 4, "team": 6, "person": 8,
               "headquarters": 10, "leadership": 12, "investor": 12}
ROW_TITLES = {0: _l("The harm"), 2: _l("Local level and the product"),
              4: _l("Companies on the way"), 6: _l("Teams that decide"),
              8: _l("People in those teams"), 10: _l("Ultimate parent"),
              12: _l("Leadership and investors"), 14: _l("Holders behind them")}
ON_THE_WAY_ROWS = {"Product": 2, "Company": 4, "Team": 6, "Person": 8, "Investor": 12}
GROUPS = {"local": "local offices", "subsidiary": "companies", "team": "teams",
          "person": "people", "leadership": "leaders", "headquarters": "parent companies",
          "investor": "investors", "regulator": "regulators", "forum": "forums"}
SIDE = {"regulator": "Regulators", "forum": "Forums"}  # sections' keys (titles: SIDE_TITLES)
SIDE_TITLES = {"Regulators": _l("Regulators"), "Forums": _l("Forums")}
# The kinds of node as the legend and tooltips name them.
LABELS = {"Harm": _l("Harm"), "Company": _l("Company"), "Person": _l("Person"),
          "Team": _l("Team"), "Product": _l("Product"), "Investor": _l("Investor"),
          "Regulator": _l("Regulator"), "Forum": _l("Forum"),
          "Organization": _l("Organisation"), "Country": _l("Country"),
          "Engagement": _l("Engagement"), "Commitment": _l("Commitment")}
CONFIDENCE = ("confirmed", "reported", "alleged")
# Which end of a relationship is drawn higher on the ladder when both land in one row.
UPPER_END = {"OWNS": "from", "CONTROLS": "from", "HOLDS_ROLE": "from", "OPERATES": "from",
             "RESPONSIBLE_FOR": "from"}
VERBS = {"PART_OF": _l("part of"), "REPORTS_TO": _l("reports to"), "OPERATES": _l("operates"),
         "RESPONSIBLE_FOR": _l("responsible for"), "INVOLVES": _l("involves"),
         "OCCURRED_IN": _l("occurred in"), "HAS_JURISDICTION_OVER": _l("has jurisdiction over"),
         "HEADQUARTERED_IN": _l("headquartered in"), "INCORPORATED_IN": _l("incorporated in"),
         "OPERATES_IN": _l("operates in"), "AVAILABLE_IN": _l("available in"),
         "MEMBER_OF": _l("member of"), "DOCUMENTED": _l("documented"),
         "HAS_CONTACT": _l("has a contact"), "CONTROLS": _l("controls")}


def color_of(node: dict[str, Any]) -> str:
    return REDACTED if node.get("redacted") else COLORS.get(node["label"], "#97a3b6")


def _number(v: Any) -> str:
    """A figure to 3 significant digits with the reader's separators (61.1, 61,1)."""
    return format_decimal(float(f"{float(v):.3g}"), format="#,##0.###",
                          locale=get_locale() or "en")


def _pct(v: Any) -> str:
    """A percentage as the reader's language writes it (61.1%, 61,1 %)."""
    return format_percent(float(f"{float(v):.3g}") / 100, format="#,##0.###%",
                          locale=get_locale() or "en")


def stake_phrase(props: dict[str, Any]) -> str:
    """A stake as read: "13% (61.1% of votes)", "5–10%", "an undisclosed stake (at most
    92%)". A range with no lower bound (or a lower bound of 0) says nothing about the size of
    the stake: it reads as undisclosed with its ceiling, as on the leverage chart
    (:func:`graphapp.leverage.chart.stake_text`), never as "0–92%", which reads as large."""
    economic, voting = props.get("economic_pct"), props.get("voting_pct")
    lo, hi = props.get("pct_min"), props.get("pct_max")
    if economic is not None:
        main = _pct(economic)
    elif lo:
        main = (f"{_number(lo)}–{_pct(hi)}" if hi is not None
                else _("at least %(pct)s", pct=_pct(lo)))
    else:
        main = None
    if voting is not None and voting != economic:
        return (_("%(stake)s (%(pct)s of votes)", stake=main, pct=_pct(voting)) if main
                else _("%(pct)s of votes", pct=_pct(voting)))
    if main:
        return main
    if hi is not None and float(hi) < 100:
        return _("an undisclosed stake (at most %(pct)s)", pct=_pct(hi))
    return _("an undisclosed stake")


def edge_phrase(edge: dict[str, Any], other: str | None = None) -> str:
    """What a relationship says, as an advocate would write it: "owns 13% (61.1% of votes)",
    "oversees under the DSA"; with ``other`` (the other end's name) in its place: "owns 13%
    (61.1% of votes) of Meta", "oversees Meta under the DSA", "CEO, Meta"."""
    if edge.get("redacted"):
        return _("link (redacted)")
    p, kind = edge["props"], edge["type"]
    obj = f" {other}" if other else ""
    if kind == "OWNS":
        text = (_("owns %(stake)s of %(company)s", stake=stake_phrase(p), company=other) if other
                else _("owns %(stake)s", stake=stake_phrase(p)))
    elif kind == "OVERSEES":
        instrument = p.get("instrument")
        text = (_("oversees %(name)s under %(instrument)s", name=other, instrument=instrument)
                if other and instrument else _("oversees %(name)s", name=other) if other
                else _("oversees under %(instrument)s", instrument=instrument) if instrument
                else _("oversees"))
    elif kind == "HOLDS_ROLE":
        text = str(p.get("title") or p.get("kind") or _("role")) + (f", {other}" if other else "")
    elif kind == "CONTROLS":
        text = (_("controls %(name)s", name=other) if other else _("controls")) + (
            f" ({p['means']})" if p.get("means") else "")
    elif kind == "RESPONSIBLE_FOR":
        text = (_("responsible for %(name)s", name=other) if other else _("responsible for")) + (
            f" ({p['area']})" if p.get("area") else "")
    else:
        text = str(VERBS.get(kind, kind.replace("_", " ").lower())) + obj
    if p.get("end_date"):
        text = _("%(phrase)s (ended %(date)s)", phrase=text, date=p["end_date"])
    return text


def edge_title(edge: dict[str, Any]) -> str:
    if edge.get("redacted"):
        return _("%(type)s: redacted, sensitive", type=edge["type"])
    p = edge["props"]
    confidence = p.get("confidence")
    return _("%(phrase)s · %(confidence)s, %(start)s to %(end)s\nSources: %(sources)s",
             phrase=edge_phrase(edge), confidence=_(confidence) if confidence in CONFIDENCE
             else confidence or _("confidence unknown"), start=p.get("start_date") or "?",
             end=p.get("end_date") or _("now"),
             sources=", ".join(p.get("sources") or []) or _("none"))


def node_title(node: dict[str, Any]) -> str:
    if node.get("redacted"):
        return _("%(name)s: redacted (sensitive)", name=node["name"])
    extra = node.get("extra") or {}
    parts = [f"{node['name']} ({', '.join(str(LABELS.get(x, x)) for x in node['labels'])})"]
    if extra.get("rank"):
        parts.append(_("#%(rank)s of the targets", rank=extra["rank"]))
    if extra.get("why"):
        parts.append(str(extra["why"]))
    return "\n".join(parts)


def _link_style(edge: dict[str, Any]) -> dict[str, Any]:
    p = edge["props"]
    if edge.get("redacted"):
        return {"color": REDACTED, "dashed": True, "width": 1.0}
    return {"color": ENDED if p.get("end_date") else EDGE,
            "dashed": p.get("confidence") == "alleged",
            "width": 2.0 if p.get("confidence") == "confirmed" else 1.1}


def legend(view, drawn: set[str] | None = None) -> list[tuple[str, str, str]]:
    """The kinds drawn (``drawn``: the ids on the picture, default all), the "+N more" box,
    the line styles."""
    shown = [n for i, n in view.nodes.items() if drawn is None or i in drawn]
    present = [label for label in COLORS
               if any(n["label"] == label and not n.get("redacted") for n in shown)]
    items = [(str(LABELS.get(label, label)), COLORS[label], "box") for label in present]
    if any(n.get("redacted") for n in shown):
        items.append((_("sensitive (redacted)"), REDACTED, "box"))
    items += [(_("+N more: in the HTML and data exports"), "#8a93a3", "more"),
              (_("confirmed"), EDGE, "thick"), (_("reported"), EDGE, "line"),
              (_("alleged"), EDGE, "dashed"), (_("ended"), ENDED, "line")]
    return items


def footer(view) -> str:
    cited = view.sources()
    hosts = list(dict.fromkeys(urlparse(s).netloc or s[:40] for s in cited))
    shown = ", ".join(hosts[:4]) + (", …" if len(hosts) > 4 else "")
    nodes = ngettext("%(num)d node", "%(num)d nodes", len(view.nodes))
    edges = ngettext("%(num)d relationship", "%(num)d relationships", len(view.edges))
    sources = (ngettext("%(num)d cited (%(hosts)s); every source is in the HTML and data "
                        "exports", "%(num)d cited (%(hosts)s); every source is in the HTML and "
                        "data exports", len(cited), hosts=shown) if cited else _("none cited"))
    return _("Exported %(date)s from graphapp · %(nodes)s, %(edges)s · Sources: %(sources)s",
             date=view.exported_on, nodes=nodes, edges=edges, sources=sources)


def frame(view, drawn: set[str] | None = None) -> Frame:
    return Frame(view.title, view.caption, list(view.notes), legend(view, drawn), footer(view))


# --- paths toward the root -----------------------------------------------------------------------


def _adjacency(view) -> dict[str, list[tuple[str, dict]]]:
    adj: dict[str, list[tuple[str, dict]]] = {i: [] for i in view.nodes}
    for e in view.edges:
        if e["from"] in adj and e["to"] in adj:
            adj[e["from"]].append((e["to"], e))
            adj[e["to"]].append((e["from"], e))
    return adj


def toward(view, root: str, allowed: set[str]) -> dict[str, tuple[str | None, dict | None]]:
    """For each node, the next node and relationship on a shortest path to ``root``."""
    adj = _adjacency(view)
    parent: dict[str, tuple[str | None, dict | None]] = {root: (None, None)}
    queue = deque([root])
    while queue:
        cur = queue.popleft()
        for nxt, e in adj.get(cur, []):
            if nxt not in parent and nxt in allowed:
                parent[nxt] = (cur, e)
                queue.append(nxt)
    return parent


def _needs(node_id: str, parent: dict) -> tuple[str, ...]:
    out, cur = [], parent.get(node_id, (None, None))[0]
    while cur is not None:
        out.append(cur)
        cur = parent.get(cur, (None, None))[0]
    return tuple(out)


def _sub(node_id: str, edge: dict | None, names: dict[str, str]) -> str:
    """A box's second line: its tie to the node below it ("CEO of Meta Platforms, Inc.")."""
    if edge is None:
        return ""
    if edge["from"] == node_id:
        return edge_phrase(edge, names.get(edge["to"], ""))
    other = names.get(edge["from"], "")
    passive = {"OWNS": lambda: _("%(stake)s held by %(name)s",
                                 stake=stake_phrase(edge["props"]), name=other),
               "OPERATES": lambda: _("operated by %(name)s", name=other),
               "PART_OF": lambda: _("includes %(name)s", name=other),
               "HOLDS_ROLE": lambda: f"{edge_phrase(edge)}: {other}",
               "INVOLVES": lambda: _("involved in the harm"),
               "CONTROLS": lambda: _("controlled by %(name)s", name=other),
               "RESPONSIBLE_FOR": lambda: _("%(name)s is responsible", name=other),
               "MEMBER_OF": lambda: _("%(name)s is a member", name=other),
               "OVERSEES": lambda: _("overseen by %(name)s", name=other),
               "REPORTS_TO": lambda: _("%(name)s reports to it", name=other)}
    return passive[edge["type"]]() if edge["type"] in passive else ""


# --- the views -----------------------------------------------------------------------------------


def escalation_boxes(view, href=None) -> tuple[dict[str, Box], list[Link]]:
    """The ladder's boxes and links for an escalation view."""
    nodes = view.nodes
    harm = view.filters.get("harm") or next(
        (i for i, n in nodes.items() if (n.get("extra") or {}).get("rung") == "start"), None)
    names = {i: n["name"] for i, n in nodes.items()}
    rung = {i: (n.get("extra") or {}).get("rung") or "on the way" for i, n in nodes.items()}
    if harm in rung:
        rung[harm] = "start"
    rows: dict[str, int] = {}
    side: dict[str, str] = {}
    for i, n in nodes.items():
        r = rung[i]
        if r in SIDE or (r == "on the way" and n["label"] in ("Regulator", "Forum")):
            side[i] = SIDE.get(r, SIDE["regulator" if n["label"] == "Regulator" else "forum"])
        elif r in LADDER_ROWS:
            rows[i] = LADDER_ROWS[r]
        elif n["label"] in ON_THE_WAY_ROWS and "Investor" not in n["labels"]:
            rows[i] = ON_THE_WAY_ROWS[n["label"]]
        elif "Investor" in n["labels"]:
            rows[i] = 12
        # countries and others on the way are told in the boxes' lines, not drawn
    _settle_rows(view, rows)
    parent = toward(view, harm, set(rows)) if harm in rows else {}
    boxes: dict[str, Box] = {}
    for i, row in rows.items():
        n = nodes[i]
        extra = n.get("extra") or {}
        up = parent.get(i, (None, None))
        boxes[i] = Box(i, n["name"], color_of(n), row=row,
                       priority=-1 if i == harm else float(extra.get("rank") or 10_000),
                       sub=_harm_sub(n) if i == harm else _sub(i, up[1], names),
                       title=node_title(n), href=_href(href, n), needs=_needs(i, parent),
                       group=GROUPS.get(rung[i], ""), bold=i == harm or rung[i] ==
                       "headquarters", redacted=bool(n.get("redacted")), wide=i == harm)
    adj = _adjacency(view)
    for i, section in side.items():
        n = nodes[i]
        ties = sorted(adj.get(i, []), key=lambda t: (t[1]["type"] != "OVERSEES",
                                                     t[0] not in rows))
        sub = _sub(i, ties[0][1], names) if ties else ""
        boxes[i] = Box(i, n["name"], color_of(n), priority=float(
            (n.get("extra") or {}).get("rank") or 10_000), sub=sub, title=node_title(n),
            href=_href(href, n), group=GROUPS.get(rung[i], "regulators"), side=section,
            redacted=bool(n.get("redacted")))
    used_in_sub = {id(parent[i][1]) for i in parent if parent[i][1] is not None}
    links = [_link(k, e, label=id(e) not in used_in_sub) for k, e in enumerate(view.edges)
             if e["from"] in rows and e["to"] in rows]
    return boxes, links


def _harm_sub(node: dict[str, Any]) -> str:
    p = node["props"]
    # the kind of harm in the reader's words (graphapp.labels has them in the catalogues)
    bits = [_(str(p[k]).replace("_", " ")) for k in ("harm_type",) if p.get(k)]
    if p.get("severity"):
        bits.append(_("severity %(num)s", num=p["severity"]))
    return " · ".join(bits)


def _href(href, node) -> str | None:
    return None if href is None or node.get("redacted") else href(node["id"])


def _link(k: int, e: dict[str, Any], label: bool = True) -> Link:
    return Link(f"{k}-{e['type'].lower()}", e["from"], e["to"], **_link_style(e),
                label=edge_phrase(e) if label else "", title=edge_title(e))


def _settle_rows(view, rows: dict[str, int]) -> None:
    """Holders sit above what they hold; when both ends of a relationship land in one row,
    the end that is higher up (the owner, the person in the team...) moves up a half-row."""
    for _round in range(12):
        moved = False
        for e in view.edges:
            a, b = e["from"], e["to"]
            if a not in rows or b not in rows:
                continue
            upper, lower = (a, b) if UPPER_END.get(e["type"]) == "from" else (b, a)
            if e["type"] in ("OWNS", "CONTROLS") and rows[lower] >= 10 and \
                    rows[upper] <= rows[lower]:
                rows[upper] = rows[lower] + 2
                moved = True
            elif rows[a] == rows[b]:
                rows[upper] += 1
                moved = True
        if not moved:
            return


def ownership_boxes(view, href=None) -> tuple[dict[str, Box], list[Link], dict[int, str]]:
    """Company view: the company at the bottom, its holders above by depth. Investor view:
    the investor at the top, its holdings below by depth, products and harms under them."""
    nodes = view.nodes
    names = {i: n["name"] for i, n in nodes.items()}
    root = view.filters.get("id")
    rows: dict[str, int] = {}
    titles: dict[int, str] = {}
    if view.kind == "company":
        for i, n in nodes.items():
            extra = n.get("extra") or {}
            rows[i] = 0 if i == root else 2 * int(extra.get("depth") or 1)
        depth = max(rows.values(), default=0) // 2
        titles = {0: _("The company"), **{2 * d: (_("Direct holders") if d == 1 else
                                                  _("Holders %(num)d steps up", num=d))
                                          for d in range(1, depth + 1)}}
    else:
        holdings = [int((n.get("extra") or {}).get("depth") or 1) for n in nodes.values()
                    if (n.get("extra") or {}).get("role") == "holding"]
        deepest = max(holdings, default=1)
        for i, n in nodes.items():
            extra = n.get("extra") or {}
            role = extra.get("role")
            if i == root:
                rows[i] = 2 * (deepest + 2)
            elif role == "holding":
                rows[i] = 2 * (deepest - int(extra.get("depth") or 1) + 2)
            elif role == "product":
                rows[i] = 2
            else:
                rows[i] = 0
        titles = {2 * (deepest + 2): _("The investor"), 2: _("Products"), 0: _("Harms"),
                  **{2 * (deepest - d + 2): (_("Held directly") if d == 1 else
                                             _("Held %(num)d steps down", num=d))
                     for d in range(1, deepest + 1)}}
    _settle_rows(view, rows) if view.kind == "company" else None
    parent = toward(view, root, set(rows)) if root in rows else {}
    boxes = {}
    for i, row in rows.items():
        n = nodes[i]
        extra = n.get("extra") or {}
        stake = max((float(extra.get(k) or 0) for k in ("economic_pct", "voting_pct",
                                                         "leverage_pct")), default=0.0)
        up = parent.get(i, (None, None))
        boxes[i] = Box(i, n["name"], color_of(n), row=row,
                       priority=-1 if i == root else -stake if stake else
                       1000 + float(extra.get("rank") or 0),
                       sub=edge_phrase(up[1]) if up[0] == root and up[1] is not None and
                       up[1]["from"] == i else _sub(i, up[1], names),
                       title=node_title(n), href=_href(href, n),
                       needs=_needs(i, parent), group="" if i == root else
                       ("harms" if rows[i] == 0 and view.kind == "investor" else "holders"
                        if view.kind == "company" else "companies"),
                       bold=i == root, redacted=bool(n.get("redacted")), wide=i == root)
    if root in boxes:
        boxes[root].group = "root"
    used = {id(parent[i][1]) for i in parent if parent[i][1] is not None}
    links = [_link(k, e, label=id(e) not in used) for k, e in enumerate(view.edges)
             if e["from"] in rows and e["to"] in rows]
    return boxes, links, titles


def scene_for(view, size: str = "slide", href=None, header: bool = True,
              highlight: set[str] | None = None, frame_override: Frame | None = None) -> Scene:
    """The drawing of ``view`` at ``size`` (see the module docstring); ``href(id)`` gives a
    node's link (the entity page) where there is one; ``highlight``: the nodes a story step
    is about (the rest is dimmed); ``frame_override``: its own title and caption."""
    if view.kind == "escalation" and view.nodes:
        boxes, links = escalation_boxes(view, href)
        if highlight:  # what the step is about is drawn whatever its rank
            for i in highlight:
                if i in boxes:
                    boxes[i].priority = -2
        scene = ladder_scene(boxes, links, {k: str(v) for k, v in ROW_TITLES.items()},
                             frame_override or frame(view, set(boxes)), size,
                             side_titles={k: str(v) for k, v in SIDE_TITLES.items()},
                             header=header)
    elif view.kind in ("company", "investor") and view.nodes:
        boxes, links, titles = ownership_boxes(view, href)
        scene = ladder_scene(boxes, links, titles, frame(view, set(boxes)), size,
                             header=header)
    else:
        scene = force_scene(view, size, href)
    if highlight:
        for item in scene.items:
            node = item.id[5:] if item.id.startswith("node-") else None
            if item.role == "node" and node not in highlight:
                item.opacity = 0.28
            elif item.role == "edge" and not item.id.startswith(tuple(
                    f"edge-{k}-" for k in _edges_within(view, highlight))):
                item.opacity = 0.2
    scene.metadata.update({"view": view.kind, "exported_on": view.exported_on,
                           "redacted": view.redacted, "generator": "graphapp",
                           "label_overlaps": overlaps(scene),
                           "missing_glyphs": sum(tx.missing_glyphs(line, label.bold)
                                                 for item in scene.items
                                                 for label in item.labels
                                                 for line in label.lines)})
    return scene


def _edges_within(view, ids: set[str]) -> list[int]:
    return [k for k, e in enumerate(view.edges) if e["from"] in ids and e["to"] in ids]


# --- force layout: entity neighbourhoods and the whole graph -------------------------------------


def force_scene(view, size: str, href=None) -> Scene:
    """Dots at a seeded force layout; labels beside them wherever they overlap nothing, the
    best connected first; the others stay in the tooltips (counted in the metadata)."""
    from graphapp.drawing.layered import draw_header, footer, footer_height
    from graphapp.drawing.layout import positions

    spec = SIZES[size]
    width, height = spec["canvas"]
    height = height or int(width * 0.7)
    base = float(spec["font"])
    margin = base * 1.2
    scene = Scene(width, height, title=view.title, description=view.caption)
    f = frame(view)
    f.legend = [x for x in f.legend if x[2] != "more"]
    top = draw_header(scene, f, base, margin, width) + base
    bottom = height - footer_height(f, base, width, margin) - base * 0.5
    pos = positions(view)
    degree: Counter = Counter()
    for e in view.edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
    n = len(view.nodes)
    r = base * (0.45 if n <= 150 else 0.3 if n <= 1000 else 0.18)
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        sx = (width - 2 * margin - base * 8) / max(x1 - x0, 1e-9)
        sy = (bottom - top - base * 2) / max(y1 - y0, 1e-9)
        pts = {i: (margin + base * 4 + (p[0] - x0) * sx, top + base + (p[1] - y0) * sy)
               for i, p in pos.items()}
    else:
        pts = {}
    for k, e in enumerate(view.edges):
        if e["from"] in pts and e["to"] in pts and e["from"] != e["to"]:
            (ax, ay), (bx, by) = pts[e["from"]], pts[e["to"]]
            length = math.hypot(bx - ax, by - ay) or 1.0
            ex, ey = bx - (bx - ax) * r * 1.2 / length, by - (by - ay) * r * 1.2 / length
            style = _link_style(e)
            scene.add(Item(f"edge-{k}-{e['type'].lower()}", "edge", [Shape(
                "path", {"d": f"M{ax:.1f},{ay:.1f} L{ex:.1f},{ey:.1f}"}, stroke=style["color"],
                stroke_width=style["width"] * (0.8 if n <= 300 else 0.4),
                dashed=style["dashed"], arrow=n <= 300)], title=edge_title(e)))
    dots: list[tuple[float, float, float, float]] = []
    for i, node in view.nodes.items():
        if i not in pts:
            continue
        x, y = pts[i]
        rr = r * (1 + min(degree[i], 25) / 25)
        dots.append((x - rr, y - rr, x + rr, y + rr))
        scene.add(Item(f"node-{i}", "node", [Shape("circle", {"cx": x, "cy": y, "r": rr},
                                                    fill=color_of(node), stroke=INK,
                                                    stroke_width=0.6)],
                       title=node_title(node), href=_href(href, node)))
    size_l = base * (0.85 if n <= 60 else 0.75)
    # a grid of what is taken, so each label checks only its neighbourhood
    cell = base * 6
    grid: dict[tuple[int, int], list] = {}

    def cells(b):
        for gx in range(int(b[0] // cell), int(b[2] // cell) + 1):
            for gy in range(int(b[1] // cell), int(b[3] // cell) + 1):
                yield gx, gy

    def free(b) -> bool:
        return not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]
                       for c in cells(b) for o in grid.get(c, ()))

    def take(b) -> None:
        for c in cells(b):
            grid.setdefault(c, []).append(b)

    for d in dots:
        take(d)
    placed_count = 0
    order = sorted(view.nodes, key=lambda i: (-degree[i], view.nodes[i]["name"]))
    by_id = {it.id: it for it in scene.items}
    for i in order[:400 if n <= 1000 else 150]:
        if i not in pts:
            continue
        x, y = pts[i]
        name = tx.ellipsize(view.nodes[i]["name"], base * 12, size_l)
        rr = r * (1 + min(degree[i], 25) / 25)
        for dx, dy, anchor in ((rr + 3, size_l * 0.35, "start"), (-rr - 3, size_l * 0.35, "end"),
                               (0, -rr - 4, "middle"), (0, rr + size_l, "middle")):
            label = Label(x + dx, y + dy, [name], size_l, False, INK, anchor=anchor, halo=True)
            b = label.box()
            if b[0] < 2 or b[2] > width - 2 or b[1] < top or b[3] > bottom:
                continue
            if free(b):
                by_id[f"node-{i}"].labels.append(label)
                take(b)
                placed_count += 1
                break
    # the node's own dot is its box for overlap counting
    for item in scene.items:
        if item.role == "node" and item.shapes:
            g = item.shapes[0].geometry
            item.box = (g["cx"] - g["r"], g["cy"] - g["r"], g["cx"] + g["r"], g["cy"] + g["r"])
    footer(scene, f, base, width, margin, bottom + base * 0.2)
    scene.metadata.update({"size": size, "labels_left_out": n - placed_count})
    return scene
