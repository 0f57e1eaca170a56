"""Layered (Sugiyama) drawings: the escalation ladder and ownership trees, labels that fit.

Rows are given by the caller (an escalation's rungs, an ownership chain's depth); within them
grandalf's Sugiyama layout orders the boxes to cut crossings (barycentre sweeps) and places
them (Brandes-Köpf), routing a relationship that skips rows through reserved slots, so no line
runs under a box. Why grandalf: it is pure Python from PyPI (nothing to install on the
machine; graphviz's ``dot`` and ELK need a system binary or a JavaScript/Java runtime) and a
ladder has tens of boxes, which it lays out in milliseconds.

Every name sits inside its box and boxes never overlap, so labels cannot overlap; a row that
would not fit the page keeps its best-ranked boxes (and what they hang from) and ends with a
"+23 more regulators" box instead of a heap. Regulators and forums sit in a column beside the
ladder, each saying in one line what ties it to the ladder.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from graphapp.drawing import text as tx
from graphapp.drawing.scene import INK, MUTED, Item, Label, Scene, Shape

# Canvas sizes in px (a4 is drawn at 150 px per inch and rasterised at twice that).
SIZES: dict[str, dict[str, Any]] = {
    "a4": {"canvas": (1754, 1240), "zoom": 2.0, "font": 17, "svg": ("297mm", "210mm"),
           "what": "A4 landscape, 300 dpi (print)"},
    "slide": {"canvas": (1920, 1080), "zoom": 1.0, "font": 17, "svg": ("1920px", "1080px"),
              "what": "16:9 slide, 1920x1080"},
    "square": {"canvas": (1080, 1080), "zoom": 1.0, "font": 19, "svg": ("1080px", "1080px"),
               "what": "square, 1080x1080 (social media)"},
    "social": {"canvas": (1080, 1350), "zoom": 1.0, "font": 19, "svg": ("1080px", "1350px"),
               "what": "portrait 4:5, 1080x1350 (social media feeds)"},
    # The page and the HTML export: a fixed width, as tall as the drawing needs.
    "page": {"canvas": (1180, None), "zoom": 1.0, "font": 14, "svg": None,
             "what": "web page, 1180 px wide"},
}


# "+N more ..." for each group of boxes (Box.group), one message per noun: its plural and gender
# differ from language to language.
MORE = {
    "local offices": lambda n: ngettext("+%(num)d more local office",
                                        "+%(num)d more local offices", n),
    "companies": lambda n: ngettext("+%(num)d more company", "+%(num)d more companies", n),
    "teams": lambda n: ngettext("+%(num)d more team", "+%(num)d more teams", n),
    "people": lambda n: ngettext("+%(num)d more person", "+%(num)d more people", n),
    "leaders": lambda n: ngettext("+%(num)d more leader", "+%(num)d more leaders", n),
    "parent companies": lambda n: ngettext("+%(num)d more parent company",
                                           "+%(num)d more parent companies", n),
    "investors": lambda n: ngettext("+%(num)d more investor", "+%(num)d more investors", n),
    "regulators": lambda n: ngettext("+%(num)d more regulator", "+%(num)d more regulators", n),
    "forums": lambda n: ngettext("+%(num)d more forum", "+%(num)d more forums", n),
    "holders": lambda n: ngettext("+%(num)d more holder", "+%(num)d more holders", n),
    "harms": lambda n: ngettext("+%(num)d more harm", "+%(num)d more harms", n),
}


def more_label(group: str, n: int) -> str:
    """"+23 more regulators" in the reader's language (English outside a request)."""
    said = MORE.get(group)
    return said(n) if said else ngettext("+%(num)d more", "+%(num)d more", n) + f" {group}"


def tint(color: str, amount: float = 0.82) -> str:
    """``color`` mixed with white (box fills)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


@dataclass
class Box:
    """A node to draw: where it goes (``row``), how much it matters (``priority``, lower
    first) and what it needs shown with it (``needs``: the path it hangs from)."""

    id: str
    name: str
    color: str
    row: int = 0
    priority: float = 0.0
    sub: str = ""
    title: str = ""
    href: str | None = None
    needs: tuple[str, ...] = ()
    group: str = ""  # what "+N more ..." calls the hidden ones of its kind
    bold: bool = False
    redacted: bool = False
    side: str | None = None  # a section beside the ladder (Regulators, Forums)


@dataclass
class Link:
    id: str
    source: str
    target: str
    color: str = "#5d6675"
    width: float = 1.2
    dashed: bool = False
    label: str = ""
    title: str = ""


@dataclass
class Frame:
    """What surrounds the drawing: title, caption, notes, legend, footer."""

    title: str
    caption: str
    notes: list[str] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # (name, colour, style)
    footer: str = ""


@dataclass
class _Metrics:
    font: float
    pad: float
    box_w: float
    sub: float
    gap: float
    row_gap: float


def _metrics(font: float) -> _Metrics:
    return _Metrics(font=font, pad=font * 0.45, box_w=font * 9.5, sub=font * 0.8,
                    gap=font * 1.0, row_gap=font * 2.4)


def _box_lines(box: Box, m: _Metrics, max_w: float) -> tuple[list[str], list[str], float, float]:
    inner = max_w - 2 * m.pad
    name = tx.wrap(box.name, inner, m.font, box.bold, max_lines=3)
    sub = tx.wrap(box.sub, inner, m.sub, False, max_lines=2) if box.sub else []
    w = max([tx.width(x, m.font, box.bold) for x in name]
            + [tx.width(x, m.sub) for x in sub] + [m.font * 2]) + 2 * m.pad
    h = 2 * m.pad + len(name) * m.font * 1.25 + len(sub) * m.sub * 1.25
    return name, sub, w, h


# --- choosing what fits --------------------------------------------------------------------------


def choose(boxes: dict[str, Box], capacity: dict[int, int]) -> tuple[set[str], dict[str, int]]:
    """The boxes to draw, best first, with what they need, no row over its capacity (one slot
    kept for the "+N more" box of a row that cannot show all); and how many of each group
    were left out."""
    by_row: dict[int, int] = {}
    for b in boxes.values():
        by_row[b.row] = by_row.get(b.row, 0) + 1
    limit = {r: capacity.get(r, 99) - (1 if n > capacity.get(r, 99) else 0)
             for r, n in by_row.items()}
    shown: set[str] = set()
    used: dict[int, int] = {}
    hidden: dict[str, list] = {}
    for b in sorted(boxes.values(), key=lambda b: (b.priority, b.name)):
        if b.id in shown or not b.group:
            continue
        wanted = [i for i in (b.id, *b.needs) if i in boxes and i not in shown]
        extra: dict[int, int] = {}
        for i in wanted:
            extra[boxes[i].row] = extra.get(boxes[i].row, 0) + 1
        if all(used.get(r, 0) + n <= max(limit.get(r, 1), 1) for r, n in extra.items()):
            shown.update(wanted)
            for r, n in extra.items():
                used[r] = used.get(r, 0) + n
        else:
            hidden.setdefault(b.group, []).append((b, wanted, extra))
    counts: dict[str, int] = {}
    for group, left_out in hidden.items():
        if len(left_out) == 1:  # the slot kept for "+1 more" shows that one instead
            b, wanted, extra = left_out[0]
            if all(used.get(r, 0) + n <= capacity.get(r, 99) for r, n in extra.items()):
                shown.update(wanted)
                for r, n in extra.items():
                    used[r] = used.get(r, 0) + n
                continue
        counts[group] = len(left_out)
    return shown, counts


# --- the layered layout --------------------------------------------------------------------------


def _sugiyama(ids: list[str], rows: dict[str, int], widths: dict[str, float],
              links: list[tuple[str, str]], gap: float
              ) -> tuple[dict[str, float], dict[tuple[str, str], dict[int, float]]]:
    """x of each box's centre and of each long link's slots per row (grandalf), components
    side by side."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import DummyVertex, Layer, SugiyamaLayout, VertexViewer

    class FixedRows(SugiyamaLayout):
        """Sugiyama with the rows given, instead of ranks from the graph's longest paths."""

        def rank_all(self, roots, optimize=False):
            used = sorted({rows[v.data] for v in self.g.sV})
            index = {r: i for i, r in enumerate(used)}
            self.layers = [Layer([]) for _ in used]
            for v in self.g.sV:
                self.grx[v].rank = index[rows[v.data]]
                self.layers[index[rows[v.data]]].append(v)

    class _Route:
        def setpath(self, points):
            self.points = points

    vertices = {i: Vertex(i) for i in ids}
    for i, v in vertices.items():
        v.view = VertexViewer(w=widths[i], h=10)
    edges = []
    for a, b in links:
        if rows[a] == rows[b] or a == b:
            continue
        lo, hi = (a, b) if rows[a] < rows[b] else (b, a)
        e = Edge(vertices[lo], vertices[hi], data=(a, b))
        e.view = _Route()
        edges.append(e)
    graph = Graph(list(vertices.values()), edges)
    xs: dict[str, float] = {}
    slots: dict[tuple[str, str], dict[int, float]] = {}
    offset = 0.0
    components = sorted(graph.C, key=lambda c: (min(rows[v.data] for v in c.sV),
                                                -len(c.sV)))
    for comp in components:
        layout = FixedRows(comp)
        layout.xspace = gap
        layout.init_all(roots=[], inverted_edges=[])
        for layer in layout.layers:
            for v in layer:
                if isinstance(v, DummyVertex):
                    v.view.w = gap * 0.6
        layout.draw(N=3.5)
        placed = {v.data: v.view.xy[0] for v in comp.sV}
        left = min(placed[i] - widths[i] / 2 for i in placed)
        right = max(placed[i] + widths[i] / 2 for i in placed)
        shift = offset - left
        for i, x in placed.items():
            xs[i] = x + shift
        used = sorted({rows[v.data] for v in comp.sV})
        for e, ctrl in layout.ctrls.items():
            slots[e.data] = {used[r]: d.view.xy[0] + shift for r, d in ctrl.items()
                             if isinstance(d, DummyVertex)}
        offset += right - left + gap * 2
    return xs, slots


def ladder_scene(boxes: dict[str, Box], links: list[Link], row_titles: dict[int, str],
                 frame: Frame, size: str, *, bottom_up: bool = True,
                 side_titles: dict[str, str] | None = None, header: bool = True) -> Scene:
    """Draw ``boxes`` in rows (row 0 at the bottom when ``bottom_up``), ``links`` between
    them, sections beside the ladder on the right, inside ``frame``, at ``size``."""
    spec = SIZES[size]
    width, height = spec["canvas"]
    base = float(spec["font"])
    scene = Scene(width, height or 0, title=frame.title, description=frame.caption)
    margin = base * 1.2
    y = draw_header(scene, frame, base, margin, width) if header else margin * 0.5
    footer_h = footer_height(frame, base, width, margin)
    side_ids = [b for b in boxes.values() if b.side]
    main = {i: b for i, b in boxes.items() if not b.side}
    side_w = min(width * 0.25, base * 17) if side_ids else 0.0
    # the rows' titles' column: wide enough for their longest word (a translated title's
    # "Accionistas" would otherwise be cut to "Accionist…"), at most a tenth of the page
    longest = max((tx.width(w, base * 0.8, True) for t in row_titles.values()
                   for w in str(t).split()), default=0.0)
    title_w = min(max(base * (6.5 if width > 1200 else 5.5), longest + margin * 1.4),
                  width * 0.1)
    main_left = margin + title_w
    main_w = width - main_left - margin - (side_w + margin if side_ids else 0)
    body_top = y + base * 0.6
    body_h = None if height is None else height - body_top - footer_h - margin * 0.5

    # Fit: shrink rows that overflow, then scale the whole body down a little if needed.
    m = _metrics(base)
    measured = {i: _box_lines(b, m, m.box_w) for i, b in main.items()}
    avg = (sum(v[2] for v in measured.values()) / len(measured)) if measured else m.box_w
    per_row = max(1, int((main_w + m.gap) / (avg + m.gap)))
    rows_used = sorted({b.row for b in main.values()})
    capacity = {r: per_row for r in rows_used}
    for _round in range(40):
        shown, hidden = choose(main, capacity)
        plan = _plan(main, shown, hidden, links, measured, m, row_titles)
        natural_w, natural_h = plan["width"], plan["height"]
        too_wide = natural_w > main_w * 1.02
        # A tall ladder is drawn a little smaller; boxes go only when it would get too small.
        too_tall = body_h is not None and natural_h * 0.72 > body_h
        if not too_wide and not too_tall:
            break
        # one box fewer in the row that takes the most room (it sets the width, or the height)
        key = plan["row_sums"] if too_wide else plan["row_counts"]
        candidates = [r for r in capacity if plan["row_counts"].get(r, 0) > 1]
        if not candidates:
            break
        widest = max(candidates, key=lambda r: (key.get(r, 0), r))
        capacity[widest] = min(capacity[widest], plan["row_counts"][widest]) - 1
    # a small tree is drawn larger on a fixed canvas (up to 1.4 times), a big one smaller
    scale = min(1.0 if body_h is None else 1.4, main_w / max(natural_w, 1))
    if body_h is not None:
        scale = min(scale, body_h / max(natural_h, 1))
    if body_h is None:
        body_h = natural_h * scale
        scene.height = body_top + body_h + footer_h + margin * 0.5
    _draw_main(scene, plan, main, links, row_titles, m, scale, main_left, main_w, body_top,
               body_h, bottom_up, margin)
    scene.metadata["hidden"] = dict(plan["hidden"])
    if side_ids:
        _draw_side(scene, boxes, side_titles or {}, m, width - margin - side_w, body_top,
                   side_w, body_h)
    footer(scene, frame, base, width, margin, scene.height - footer_h)
    scene.metadata.update({"size": size, "boxes": len(plan["shown"])})
    return scene


def _plan(main: dict[str, Box], shown: set[str], hidden: dict[str, int], links: list[Link],
          measured: dict, m: _Metrics, row_titles: dict[int, str]) -> dict[str, Any]:
    """Positions in layout units (before scaling): x per box, row heights, routes."""
    ids = [i for i in main if i in shown]
    rows = {i: main[i].row for i in ids}
    more: dict[str, Box] = {}
    by_row: dict[int, list[str]] = {}
    for group, n in hidden.items():
        row = min((b.row for b in main.values() if b.group == group), default=0)
        by_row.setdefault(row, []).append(more_label(group, n))
    for row, parts in by_row.items():  # one "+N more" box per row
        more_id = f"more-row-{row}"
        more[more_id] = Box(more_id, ", ".join(parts), "#8a93a3", row=row,
                            title=_("Left out to keep the picture readable; every one is in "
                                    "the HTML and data exports."))
        rows[more_id] = row
    widths = {i: measured[i][2] for i in ids}
    for i, b in more.items():
        measured[i] = _box_lines(b, m, m.box_w)
        widths[i] = measured[i][2]
    pairs = [(lk.source, lk.target) for lk in links if lk.source in rows and lk.target in rows]
    xs, slots = _sugiyama(ids, rows, widths, pairs, m.gap)
    row_order = sorted(set(rows.values()))
    for a, b in pairs:  # a line through a row where it has no slot crosses it somewhere
        if rows[a] == rows[b] or a not in xs or b not in xs:
            continue
        key = (a, b) if (a, b) in slots else (b, a) if (b, a) in slots else (a, b)
        known = {rows[a]: xs[a], rows[b]: xs[b], **slots.get(key, {})}
        lo, hi = sorted((rows[a], rows[b]))
        for r in row_order:
            if lo < r < hi and r not in known:
                below = max(k for k in known if k < r)
                above = min(k for k in known if k > r)
                t = (r - below) / (above - below)
                slots.setdefault(key, {})[r] = known[below] + (known[above] - known[below]) * t
    for i in more:  # at the right end of its row, past the lines that cross it
        ends = [xs[j] + widths[j] / 2 for j in xs if rows[j] == rows[i]]
        ends += [by_row[rows[i]] + m.gap for by_row in slots.values() if rows[i] in by_row]
        xs[i] = (max(ends) if ends else 0.0) + m.gap + widths[i] / 2
    if xs:
        left = min(xs[i] - widths[i] / 2 for i in xs)
        for i in xs:
            xs[i] -= left
        for key in slots:
            slots[key] = {r: x - left for r, x in slots[key].items()}
    row_list = sorted(set(rows.values()))
    row_h = {r: max(measured[i][3] for i in rows if rows[i] == r) for r in row_list}
    row_counts = {r: sum(1 for i in rows if rows[i] == r) for r in row_list}
    row_sums = {r: sum(widths[i] + m.gap for i in rows if rows[i] == r) for r in row_list}
    total_w = max([xs[i] + widths[i] / 2 for i in xs] or [0.0])
    total_h = sum(row_h.values()) + m.row_gap * max(len(row_list) - 1, 0)
    return {"shown": {**{i: main[i] for i in ids}, **more}, "hidden": hidden, "rows": rows,
            "xs": xs, "widths": widths, "slots": slots, "row_list": row_list, "row_h": row_h,
            "row_counts": row_counts, "row_sums": row_sums, "width": total_w,
            "height": total_h, "measured": measured}


def _box_item(box: Box, cx: float, top: float, lines: tuple, m: _Metrics, s: float,
              more: bool = False) -> Item:
    name, sub, w, h = lines
    w, h = w * s, h * s
    x = cx - w / 2
    if more:
        fill, stroke, dashed = "#ffffff", "#8a93a3", True
    elif box.redacted:
        fill, stroke, dashed = "#e4e6ea", "#3b4350", True
    else:
        fill, stroke, dashed = tint(box.color), box.color, False
    shapes = [Shape("rect", {"x": x, "y": top, "w": w, "h": h, "rx": 4 * s}, fill=fill,
                    stroke=stroke, stroke_width=(2.2 if box.bold else 1.4) * s, dashed=dashed)]
    if not more and not box.redacted:
        shapes.append(Shape("rect", {"x": x, "y": top, "w": 5 * s, "h": h}, fill=box.color))
    labels = [Label(cx, top + (m.pad + m.font * 0.95) * s, name, m.font * s, box.bold,
                    MUTED if more else INK)]
    if sub:
        labels.append(Label(cx, top + (m.pad + len(name) * m.font * 1.25 + m.sub * 0.95) * s,
                            sub, m.sub * s, False, MUTED))
    return Item(f"node-{box.id}", "node", shapes, labels, title=box.title or box.name,
                href=box.href, box=(x, top, x + w, top + h))


def _draw_main(scene: Scene, plan: dict, main: dict[str, Box], links: list[Link],
               row_titles: dict[int, str], m: _Metrics, s: float, left: float, width: float,
               top: float, height: float, bottom_up: bool, margin: float) -> None:
    rows, xs, measured = plan["rows"], plan["xs"], plan["measured"]
    row_list = plan["row_list"]
    used_h = plan["height"] * s
    off_x = left + (width - plan["width"] * s) / 2
    off_y = top + (height - used_h) / 2
    band: dict[int, tuple[float, float]] = {}
    cursor = off_y
    for r in (reversed(row_list) if bottom_up else row_list):
        band[r] = (cursor, cursor + plan["row_h"][r] * s)
        cursor += (plan["row_h"][r] + m.row_gap) * s
    # rung titles and bands, behind everything; the titles' size lets their longest word fit
    # the column (a drawing scaled up, or a translated "Accionistas", would cut it)
    size = m.sub * s
    room = left - margin * 1.2
    widest = max((tx.width(w, size, True) for t in row_titles.values() for w in str(t).split()),
                 default=0.0)
    if widest > room:
        size *= room / widest * 0.98  # (a hair under: the measure is not exact)
    for k, r in enumerate(sorted(band)):
        t, b = band[r]
        # a half-row (holders of the row below) continues the rung below it
        title = row_titles.get(r, row_titles.get(r - 1, ""))
        shapes = [Shape("rect", {"x": margin * 0.5, "y": t - m.row_gap * s * 0.35,
                                 "w": left + width + margin * 0.2,
                                 "h": b - t + m.row_gap * s * 0.7},
                        fill="#f6f7f9" if k % 2 == 0 else "#ffffff")]
        lines = tx.wrap(title, room, size, True, max_lines=3) if title else []
        lh = size * 1.25
        labels = [Label(margin * 0.8, (t + b) / 2 - lh * (len(lines) - 1) / 2 + size * 0.35,
                        lines, size, True, MUTED, anchor="start")] if lines else []
        scene.add(Item(f"rung-{r}", "frame", shapes, labels))
    centres: dict[str, tuple[float, float, float, float]] = {}
    node_items = []
    for i, box in plan["shown"].items():
        cx = off_x + xs[i] * s
        t, b = band[rows[i]]
        h = measured[i][3] * s
        top_y = t + (b - t - h) / 2
        node_items.append(_box_item(box, cx, top_y, measured[i], m, s,
                                    more=i.startswith("more-") and i not in main))
        centres[i] = (cx, top_y, top_y + h, measured[i][2] * s)
    placed = [it.box for it in node_items if it.box]
    label_boxes: list[tuple[float, float, float, float]] = []
    for lk in links:
        if lk.source not in centres or lk.target not in centres or rows[lk.source] == \
                rows[lk.target]:
            continue
        points = _route(lk, rows, centres, plan["slots"], band, off_x, s, bottom_up)
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        item = Item(f"edge-{lk.id}", "edge",
                    [Shape("path", {"d": d}, stroke=lk.color, stroke_width=lk.width * s,
                           dashed=lk.dashed, arrow=True)], title=lk.title or lk.label)
        if lk.label:
            label = _place_edge_label(lk.label, points, m.sub * 0.92 * s,
                                      placed + label_boxes, scene)
            if label is not None:
                item.labels.append(label)
                label_boxes.append(label.box())
            else:
                scene.metadata["edge_labels_left_out"] = \
                    scene.metadata.get("edge_labels_left_out", 0) + 1
        scene.add(item)
    for it in node_items:
        scene.add(it)


def _route(lk: Link, rows: dict, centres: dict, slots: dict, band: dict, off_x: float,
           s: float, bottom_up: bool) -> list[tuple[float, float]]:
    """From the source box's edge to the target's, through the slots of skipped rows (each
    crossed vertically, so the line never runs under a box)."""
    a, b = lk.source, lk.target
    ra, rb = rows[a], rows[b]
    going_up = (rb > ra) == bottom_up  # drawn towards the top of the picture
    ax, at, ab, _aw = centres[a]
    bx, bt, bb, _bw = centres[b]
    points = [(ax, at if going_up else ab)]
    key = (a, b) if (a, b) in slots else (b, a)
    skipped = sorted(slots.get(key, {}).items(), reverse=(rb < ra))
    for r, x in skipped:
        if r not in band:
            continue
        t, bot = band[r]
        xx = off_x + x * s
        points += [(xx, bot), (xx, t)] if going_up else [(xx, t), (xx, bot)]
    points.append((bx, bb if going_up else bt))
    return points


def _place_edge_label(text: str, points: list[tuple[float, float]], size: float,
                      taken: list, scene: Scene) -> Label | None:
    """A label on the longest segments of the line, where it overlaps no box and no other
    label; None when there is no such place (it is then left out and counted)."""
    segments = sorted(itertools.pairwise(points), key=lambda p: -abs(p[1][1] - p[0][1]))
    for (x1, y1), (x2, y2) in segments[:3]:
        for t in (0.5, 0.35, 0.65, 0.2, 0.8):
            x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            label = Label(x, y + size * 0.35, [text], size, False, MUTED, halo=True)
            box = label.box()
            pad = (box[0] - 3, box[1] - 2, box[2] + 3, box[3] + 2)
            if pad[0] < 0 or pad[2] > scene.width:
                continue
            if not any(_hit(pad, other) for other in taken):
                return label
    return None


def _hit(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_side(scene: Scene, boxes: dict[str, Box], titles: dict[str, str], m: _Metrics,
               left: float, top: float, width: float, height: float) -> None:
    """The sections beside the ladder: boxes stacked, best first, "+N more" when full."""
    sections: dict[str, list[Box]] = {}
    for b in sorted((b for b in boxes.values() if b.side), key=lambda b: (b.priority, b.name)):
        sections.setdefault(b.side or "", []).append(b)
    sm = _metrics(m.font * 0.9)
    heading = sm.font * 1.6
    gap = sm.pad * 1.2
    sized = {k: [(b, _box_lines(b, sm, width)) for b in v] for k, v in sections.items()}
    # share the height between sections in proportion to what they hold, at least 2 boxes
    need = {k: heading + sum(x[1][3] + gap for x in v) for k, v in sized.items()}
    total = sum(need.values())
    y = top
    for k, items in sized.items():
        share = height * need[k] / total if total > height else need[k]
        bottom = y + share
        title = titles.get(k, k)
        scene.add(Item(f"side-{k.lower().replace(' ', '-')}", "frame", [],
                       [Label(left, y + sm.font, [title], sm.font, True, MUTED,
                              anchor="start")]))
        cursor = y + heading
        more_lines = _box_lines(Box("m", "+99 more x", "#8a93a3", sub=""), sm, width)
        for n, (b, lines) in enumerate(items):
            rest = len(items) - n
            fits = cursor + lines[3] <= bottom
            last_fits = rest == 1 or cursor + lines[3] + gap + more_lines[3] <= bottom
            if not (fits and last_fits):
                more = Box(f"more-{k.lower()}", more_label(k.lower(), rest), "#8a93a3")
                ml = _box_lines(more, sm, width)
                if cursor + ml[3] <= bottom + gap:
                    scene.add(_box_item(more, left + ml[2] / 2, cursor, ml, sm, 1.0, True))
                scene.metadata.setdefault("hidden", {})[k.lower()] = rest
                break
            lines = (*lines[:2], width, lines[3])
            scene.add(_box_item(b, left + width / 2, cursor, lines, sm, 1.0))
            cursor += lines[3] + gap
        y = bottom + gap


# --- the frame -----------------------------------------------------------------------------------


def draw_header(scene: Scene, frame: Frame, base: float, margin: float, width: float) -> float:
    """The title, caption and notes drawn at the top; returns where the drawing may start.
    (Not ``header``: that is ladder_scene's flag for whether to draw it.)"""
    size = base * 1.75
    title = tx.ellipsize(frame.title, width - 2 * margin, size, True)
    y = margin + size * 0.9
    labels = [Label(margin, y, [title], size, True, INK, anchor="start")]
    y += size * 0.55
    caption = tx.wrap(frame.caption, width - 2 * margin, base * 0.95, max_lines=2)
    labels.append(Label(margin, y + base, caption, base * 0.95, False, MUTED, anchor="start"))
    y += base * 0.95 * 1.25 * len(caption) + base * 0.2
    notes = [n for n in frame.notes if n][:2]
    for note in notes:
        lines = tx.wrap(note, width - 2 * margin, base * 0.8, max_lines=1)
        labels.append(Label(margin, y + base * 0.85, lines, base * 0.8, False, "#8a4b00",
                            anchor="start"))
        y += base * 0.8 * 1.3
    scene.add(Item("header", "frame", [], labels))
    return y + base * 0.3


def footer_height(frame: Frame, base: float, width: float, margin: float) -> float:
    lines = tx.wrap(frame.footer, width - 2 * margin, base * 0.72, max_lines=2)
    size = base * 0.78
    x, rows = margin, 1
    for name, _color, _kind in frame.legend:
        item_w = base * 1.5 + tx.width(name, size) + base * 1.1
        if x + item_w > width - margin:
            x, rows = margin, rows + 1
        x += item_w
    return (base * 1.9 + size * 1.5 * (rows - 1) + base * 0.72 * 1.3 * len(lines)
            + margin * 0.4)


def footer(scene: Scene, frame: Frame, base: float, width: float, margin: float,
            y: float) -> None:
    """The legend (flowing left to right) and the footer line (date, counts, sources)."""
    x = margin
    line_y = y + base * 0.9
    shapes, labels = [], []
    size = base * 0.78
    for name, color, kind in frame.legend:
        w = tx.width(name, size)
        item_w = base * 1.5 + w + base * 1.1
        if x + item_w > width - margin:
            x = margin
            line_y += size * 1.5
        if kind == "box":
            shapes.append(Shape("rect", {"x": x, "y": line_y - size * 0.8, "w": base,
                                         "h": size * 0.95, "rx": 2}, fill=tint(color),
                                stroke=color, stroke_width=1.3))
        elif kind == "more":
            shapes.append(Shape("rect", {"x": x, "y": line_y - size * 0.8, "w": base,
                                         "h": size * 0.95, "rx": 2}, fill="#ffffff",
                                stroke=color, stroke_width=1.2, dashed=True))
        elif kind == "hatched":
            shapes.append(Shape("rect", {"x": x, "y": line_y - size * 0.8, "w": base,
                                         "h": size * 0.95}, stroke="#8a93a3", hatched=True))
        else:
            shapes.append(Shape("path", {"d": f"M{x:.1f},{line_y - size * 0.3:.1f} "
                                              f"L{x + base:.1f},{line_y - size * 0.3:.1f}"},
                                stroke=color, stroke_width=2.2 if kind == "thick" else 1.2,
                                dashed=kind == "dashed"))
        labels.append(Label(x + base * 1.4, line_y, [name], size, False, MUTED, anchor="start"))
        x += item_w
    scene.add(Item("legend", "frame", shapes, labels))
    lines = tx.wrap(frame.footer, width - 2 * margin, base * 0.72, max_lines=2)
    line_y = max(line_y, y + base * 0.9)
    scene.add(Item("footer", "frame", [], [Label(margin, line_y + base * 1.15, lines,
                                                 base * 0.72, False, MUTED, anchor="start")]))
