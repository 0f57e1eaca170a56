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
from dataclasses import dataclass, field, replace
from typing import Any

from graphapp.drawing import text as tx
from graphapp.drawing.scene import INK, MUTED, Item, Label, Scene, Shape
from graphapp.i18n import gettext as _
from graphapp.i18n import ngettext

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


# The smallest a fixed-size drawing is scaled to fit its height (boxes are left out beyond).
MIN_SCALE = 0.72
WIDTH_SCALE = 0.85  # the smallest the width alone may make it, before boxes are left out


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
    wide: bool = False  # the subject of the drawing (the harm, the company): its whole name


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
    caption_lines: int = 2  # a story slide's caption is its message: it gets more


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
    """A box's name and second line, wrapped, and its width and height. The subject (the
    harm, the company) gets a wider box and a fourth line, so its name reads whole; a box
    whose name would be cut ("Empresa Nacional de Telecomunicacion…") widens, up to a
    third, until it is not."""
    if box.wide:
        max_w *= 1.7
    lines = 4 if box.wide else 3
    inner = max_w - 2 * m.pad
    name = tx.wrap(box.name, inner, m.font, box.bold, max_lines=lines)
    # the column beside the ladder has a fixed width
    for wider in () if box.side else (1.15, 1.35):
        if not name[-1].endswith("…") or box.name.endswith("…"):
            break
        inner = (max_w - 2 * m.pad) * wider
        name = tx.wrap(box.name, inner, m.font, box.bold, max_lines=lines)
    sub = tx.wrap(box.sub, inner, m.sub, False, max_lines=2) if box.sub else []
    w = max([tx.width(x, m.font, box.bold) for x in name]
            + [tx.width(x, m.sub) for x in sub] + [m.font * 2]) + 2 * m.pad
    h = 2 * m.pad + tx.block(name, box.bold)[1] * m.font + tx.block(sub)[1] * m.sub
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
    ranked = sorted(boxes.values(), key=lambda b: (b.priority, b.name))
    # First the best of each group in each row, then the rest by rank: a rung shared by 25
    # leaders and 6 investors shows the best investor too, not only leaders.
    firsts: dict[tuple[int, str], Box] = {}
    for b in ranked:
        firsts.setdefault((b.row, b.group), b)
    seen: set[str] = set()
    for b in [*firsts.values(), *ranked]:
        if b.id in shown or b.id in seen or not b.group:
            continue
        seen.add(b.id)
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

    class NumberedEdge(Edge):
        """grandalf collects a component's edges in a set: with the default hash (the
        object's address) their order, and so the drawing, changed from run to run. Hashed
        by their number, the same view is drawn the same every time."""

        def __init__(self, x, y, number: int, data):
            super().__init__(x, y, data=data)
            self.number = number

        def __hash__(self):
            return self.number

    vertices = {i: Vertex(i) for i in ids}
    for i, v in vertices.items():
        v.view = VertexViewer(w=widths[i], h=10)
    edges = []
    for a, b in links:
        if rows[a] == rows[b] or a == b:
            continue
        lo, hi = (a, b) if rows[a] < rows[b] else (b, a)
        e = NumberedEdge(vertices[lo], vertices[hi], len(edges), data=(a, b))
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

    # Fit. The height sets the scale (a tall ladder is drawn smaller, down to MIN_SCALE); a
    # row loses its worst-ranked box only when the width would force the drawing smaller
    # than that (or than WIDTH_SCALE), so a ladder drawn at 80% for its height also fills
    # its width, and a wide one keeps a few more boxes at 85% rather than lose a whole path.
    m = _metrics(base)
    measured = {i: _box_lines(b, m, m.box_w) for i, b in main.items()}
    avg = (sum(v[2] for v in measured.values()) / len(measured)) if measured else m.box_w
    floor = MIN_SCALE if body_h is not None else 1.0
    per_row = max(1, int((main_w / floor + m.gap) / (avg + m.gap)))
    rows_used = sorted({b.row for b in main.values()})
    capacity = {r: per_row for r in rows_used}
    state, reduced, settled = None, None, set()
    plan: dict[str, Any] = {}
    for _round in range(80):
        shown, hidden = choose(main, capacity)
        now = (frozenset(shown), tuple(sorted(hidden.items())))
        if now == state and reduced is not None:
            settled.add(reduced)  # one box fewer changed nothing: its boxes are needed
        else:
            state = now
            plan = _plan(main, shown, hidden, links, measured, m, row_titles)
        natural_w, natural_h = plan["width"], plan["height"]
        by_height = 1.0 if body_h is None else min(1.0, body_h / max(natural_h, 1))
        too_tall = by_height < floor
        too_wide = natural_w * max(min(by_height, WIDTH_SCALE), floor) > main_w * 1.02
        if not too_wide and not too_tall:
            break
        # one box fewer in the row that takes the most room (it sets the width, or the height)
        key = plan["row_sums"] if too_wide else plan["row_h"]
        candidates = [r for r in capacity if plan["row_counts"].get(r, 0) > 1
                      and r not in settled]
        if not candidates:
            break
        # Twice too wide: every row keeps its share of what fits (each plan costs a grandalf
        # layout, and the lines between rows widen it as much as the boxes); else one box
        # fewer in the row that takes the most room.
        target = main_w * 1.02 / max(min(by_height, WIDTH_SCALE), floor)
        shares = {r: max(1, min(capacity[r], plan["row_counts"][r],
                                int(plan["row_counts"][r] * target / natural_w) + 1))
                  for r in candidates} if too_wide and natural_w > target * 2 else {}
        over = [r for r in shares if shares[r] < min(capacity[r], plan["row_counts"][r])]
        capacity.update({r: shares[r] for r in over})
        reduced = None if over else max(candidates, key=lambda r: (key.get(r, 0), r))
        if reduced is not None:
            capacity[reduced] = min(capacity[reduced], plan["row_counts"][reduced]) - 1
    # A small tree is drawn larger on a fixed canvas (up to 1.4 times), a big one smaller;
    # a ladder that left boxes out is not blown up (the room was what it lacked).
    scale = min(1.0 if body_h is None or plan["hidden"] else 1.4, main_w / max(natural_w, 1))
    if body_h is not None:
        scale = min(scale, body_h / max(natural_h, 1))
    if body_h is None:
        body_h = natural_h * scale
        scene.height = body_top + body_h + footer_h + margin * 0.5
    _draw_main(scene, plan, main, links, row_titles, m, scale, main_left, main_w, body_top,
               body_h, bottom_up, margin)
    scene.metadata["hidden"] = dict(plan["hidden"])
    drawn = list(plan["shown"].values())
    if side_ids:
        drawn += _draw_side(scene, boxes, side_titles or {}, m, width - margin - side_w,
                            body_top, side_w, body_h)
    # the legend names what is on the picture: no "Investor" when every investor is in a
    # "+5 more investors" box, no "+N more" entry when nothing was left out
    colours = {b.color for b in drawn}
    frame = replace(frame, legend=[x for x in frame.legend
                                   if x[2] not in ("box", "more") or x[1] in colours])
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
    # a line through a skipped row runs at its slot: the slots are part of the width
    slot_xs = [x for by_row in slots.values() for x in by_row.values()]
    if xs:
        left = min([xs[i] - widths[i] / 2 for i in xs] + [x - m.gap / 2 for x in slot_xs])
        for i in xs:
            xs[i] -= left
        for key in slots:
            slots[key] = {r: x - left for r, x in slots[key].items()}
    row_list = sorted(set(rows.values()))
    row_h = {r: max(measured[i][3] for i in rows if rows[i] == r) for r in row_list}
    row_counts = {r: sum(1 for i in rows if rows[i] == r) for r in row_list}
    row_sums = {r: sum(widths[i] + m.gap for i in rows if rows[i] == r) for r in row_list}
    total_w = max([xs[i] + widths[i] / 2 for i in xs]
                  + [x + m.gap / 2 for by_row in slots.values() for x in by_row.values()]
                  or [0.0])
    # the rows, the gaps between them, and half a gap above and below for the rungs' bands
    total_h = sum(row_h.values()) + m.row_gap * len(row_list)
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
    first, height = tx.block(name, box.bold)
    labels = [Label(cx, top + (m.pad + m.font * first) * s, name, m.font * s, box.bold,
                    MUTED if more else INK)]
    if sub:
        labels.append(Label(cx, top + (m.pad + height * m.font + m.sub * tx.block(sub)[0]) * s,
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
    cursor = off_y + m.row_gap * s * 0.5  # the bands reach half a gap beyond the boxes
    for r in (reversed(row_list) if bottom_up else row_list):
        band[r] = (cursor, cursor + plan["row_h"][r] * s)
        cursor += (plan["row_h"][r] + m.row_gap) * s
    # Rung titles and bands, behind everything. A half-row (the holders of the row below,
    # moved up by _settle_rows) shares its rung's band and title: one rung, one name.
    rungs: dict[int, list[int]] = {}
    for r in sorted(band):
        rungs.setdefault(r // 2, []).append(r)
    # the rungs' names stay readable on a shrunk ladder, and their size lets their longest
    # word fit the column (a drawing scaled up, or a translated "Accionistas", would cut it)
    size = m.sub * max(s, 0.85)
    room = left - margin * 1.2
    widest = max((tx.width(w, size, True) for t in row_titles.values() for w in str(t).split()),
                 default=0.0)
    if widest > room:
        size *= room / widest * 0.98  # (a hair under: the measure is not exact)
    for k, (rung, in_rung) in enumerate(sorted(rungs.items())):
        t = min(band[r][0] for r in in_rung) - m.row_gap * s * 0.5
        b = max(band[r][1] for r in in_rung) + m.row_gap * s * 0.5
        title = next((row_titles[r] for r in (2 * rung, *in_rung) if row_titles.get(r)), "")
        shapes = [Shape("rect", {"x": margin * 0.5, "y": t, "w": left + width + margin * 0.2,
                                 "h": b - t}, fill="#f6f7f9" if k % 2 == 0 else "#ffffff")]
        lines = tx.wrap(title, room, size, True, max_lines=3) if title else []
        lh = size * 1.25
        labels = [Label(margin * 0.8, (t + b) / 2 - lh * (len(lines) - 1) / 2 + size * 0.35,
                        lines, size, True, MUTED, anchor="start")] if lines else []
        scene.add(Item(f"rung-{in_rung[0]}", "frame", shapes, labels))
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
    routes = {lk.id: _route(lk, rows, centres, plan["slots"], band, off_x, s, bottom_up)
              for lk in links if lk.source in centres and lk.target in centres
              and rows[lk.source] != rows[lk.target]}
    for lk in links:
        if lk.id not in routes:
            continue
        points = routes[lk.id]
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        item = Item(f"edge-{lk.id}", "edge",
                    [Shape("path", {"d": d}, stroke=lk.color, stroke_width=lk.width * s,
                           dashed=lk.dashed, arrow=True)], title=lk.title or lk.label)
        if lk.label:
            # no other line may run through the label: it would read as that line's
            others = [seg for other, pts in routes.items() if other != lk.id
                      for seg in itertools.pairwise(pts)]
            label = _place_edge_label(lk.label, points, m.sub * 0.92 * s,
                                      placed + label_boxes, scene, others)
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
                      taken: list, scene: Scene, lines: list | None = None) -> Label | None:
    """A label on the longest segments of the line, where it overlaps no box, no other
    label and no other line (``lines``: their segments); None when there is no such place
    (it is then left out and counted)."""
    segments = sorted(itertools.pairwise(points), key=lambda p: -abs(p[1][1] - p[0][1]))
    for (x1, y1), (x2, y2) in segments[:3]:
        for t in (0.5, 0.35, 0.65, 0.2, 0.8):
            x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            label = Label(x, y + size * 0.35, [text], size, False, MUTED, halo=True)
            box = label.box()
            pad = (box[0] - 3, box[1] - 2, box[2] + 3, box[3] + 2)
            if pad[0] < 0 or pad[2] > scene.width:
                continue
            if not any(_hit(pad, other) for other in taken) and not any(
                    _crosses(pad, a, b) for a, b in lines or ()):
                return label
    return None


def _crosses(box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment from ``a`` to ``b`` runs through ``box`` (Liang-Barsky)."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _hit(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_side(scene: Scene, boxes: dict[str, Box], titles: dict[str, str], m: _Metrics,
               left: float, top: float, width: float, height: float) -> list[Box]:
    """The sections beside the ladder: boxes stacked, best first, "+N more" when full;
    returns the boxes drawn."""
    drawn: list[Box] = []
    sections: dict[str, list[Box]] = {}
    for b in sorted((b for b in boxes.values() if b.side), key=lambda b: (b.priority, b.name)):
        sections.setdefault(b.side or "", []).append(b)
    sm = _metrics(m.font * 0.9)
    heading = sm.font * 1.6
    gap = sm.pad * 1.2
    sized = {k: [(b, _box_lines(b, sm, width)) for b in v] for k, v in sections.items()}
    # Share the height between sections: each first gets room for its heading, its best box
    # and a "+N more" (so the forums are not only "+8 more forums"), the rest in proportion
    # to what they hold.
    more_h = _box_lines(Box("m", "+99 more x", "#8a93a3", sub=""), sm, width)[3]
    need = {k: heading + sum(x[1][3] + gap for x in v) for k, v in sized.items()}
    least = {k: min(need[k], heading + v[0][1][3] + gap + (more_h + gap if len(v) > 1 else 0))
             for k, v in sized.items()}
    total = sum(need.values())
    spare = max(height - sum(least.values()) - gap * len(sized), 0.0)
    extra = sum(need[k] - least[k] for k in sized) or 1.0
    y = top
    for k, items in sized.items():
        share = (least[k] + spare * (need[k] - least[k]) / extra if total > height
                 else need[k])
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
                    drawn.append(more)
                scene.metadata.setdefault("hidden", {})[k.lower()] = rest
                break
            lines = (*lines[:2], width, lines[3])
            scene.add(_box_item(b, left + width / 2, cursor, lines, sm, 1.0))
            drawn.append(b)
            cursor += lines[3] + gap
        y = bottom + gap
    return drawn


# --- the frame -----------------------------------------------------------------------------------


def draw_header(scene: Scene, frame: Frame, base: float, margin: float, width: float) -> float:
    """The title, caption and notes drawn at the top; returns where the drawing may start.
    (Not ``header``: that is ladder_scene's flag for whether to draw it.)"""
    size = base * 1.75
    # on a square or portrait canvas a long title takes two lines rather than lose its end
    title = tx.wrap(frame.title, width - 2 * margin, size, True, max_lines=2)
    y = margin + size * 0.9
    labels = [Label(margin, y, title, size, True, INK, anchor="start")]
    y += size * 0.55 + size * tx.leading(title, True) * (len(title) - 1)
    caption = tx.wrap(frame.caption, width - 2 * margin, base * 0.95,
                      max_lines=frame.caption_lines)
    labels.append(Label(margin, y + base, caption, base * 0.95, False, MUTED, anchor="start"))
    y += base * 0.95 * tx.block(caption)[1] + base * 0.2
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
