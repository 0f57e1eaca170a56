"""A drawn diagram as plain shapes and text (:class:`Scene`), written as SVG or PNG.

One scene, three outputs, so the page, the HTML export, the SVG and the PNG look the same:

- :func:`to_svg` with ``text="text"``: the SVG a designer can edit. Real ``<text>`` (one
  ``<tspan>`` per script run naming its Noto font, generic fallbacks after it), each node and
  each relationship a ``<g id=...>`` with its shapes, label and tooltip (``<title>``),
  presentation attributes only (no ``<style>``, no script: it passes a strict CSP inline in a
  page), and the export's facts in ``<metadata>``.
- :func:`to_svg` with ``text="paths"``: the same, every line of text as the outline HarfBuzz
  shaped (:func:`graphapp.drawing.text.outline`); :func:`to_png` rasterises it with resvg
  (``resvg-py``: a Rust SVG renderer in a PyPI wheel, no system library, no browser). The
  rasteriser only fills paths, so Burmese, Amharic and Arabic come out shaped on any machine.

Why text is outlined for the PNG instead of handed to resvg: resvg's own text layout panics on
some mixed Latin/Arabic lines (a single Arabic word after Latin text), and an export must not
fail on a name. Why not matplotlib: it does not shape complex scripts and writes SVG text as
paths or as unshaped characters.

:func:`overlaps` counts the text that overlaps other text or another node's box, from the
same measured geometry that is drawn; every export records that count in its metadata.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from graphapp.drawing import text as tx

INK = "#1d2330"
QUOTES = {'"': "&quot;", "'": "&#x27;"}


def _text(value: str) -> str:
    """XML text with quotes escaped too (it reads the same; nothing looks like markup)."""
    return escape(str(value), QUOTES)

MUTED = "#4a5060"


@dataclass
class Label:
    """Lines of text. ``x`` is the anchor (start, middle or end), ``y`` the first baseline."""

    x: float
    y: float
    lines: list[str]
    size: float
    bold: bool = False
    color: str = INK
    anchor: str = "middle"
    halo: bool = False
    line_height: float = 1.25

    def __post_init__(self) -> None:
        # lines in a tall script (Burmese) are spaced so that their ink does not touch
        self.line_height = max(self.line_height, tx.leading(self.lines, self.bold))

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the ink, from the shaped widths and glyph extents."""
        w = max((tx.width(line, self.size, self.bold) for line in self.lines), default=0.0)
        left = self.x - (w / 2 if self.anchor == "middle" else w if self.anchor == "end" else 0)
        if not self.lines:
            return left, self.y, left + w, self.y
        top = self.y - self.size * tx.ink(self.lines[0], self.bold)[0]
        bottom = (self.y + self.size * self.line_height * (len(self.lines) - 1)
                  + self.size * tx.ink(self.lines[-1], self.bold)[1])
        return left, top, left + w, bottom


@dataclass
class Shape:
    """A rectangle (``kind="rect"``), circle, polygon or path, with its style."""

    kind: str
    geometry: dict[str, Any]
    fill: str = "none"
    stroke: str = "none"
    stroke_width: float = 1.0
    dashed: bool = False
    hatched: bool = False
    arrow: bool = False


@dataclass
class Item:
    """A group in the drawing: a node, a relationship, or part of the frame (legend...)."""

    id: str
    role: str  # node, edge, frame
    shapes: list[Shape] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    title: str = ""  # the tooltip
    href: str | None = None
    box: tuple[float, float, float, float] | None = None  # a node's box, for overlap counts
    opacity: float = 1.0  # a story step dims what it is not about


@dataclass
class Scene:
    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    description: str = ""
    background: str = "#ffffff"

    def add(self, item: Item) -> Item:
        self.items.append(item)
        return item


def _intersect(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
               slack: float = 0.5) -> bool:
    return (a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack
            and b[1] < a[3] - slack)


def overlaps(scene: Scene) -> int:
    """Pairs of text that overlap each other, plus text that overlaps another node's box."""
    texts = [(i, item.id, label.box()) for i, item in enumerate(scene.items)
             for label in item.labels if any(line.strip() for line in label.lines)]
    boxes = [(item.id, item.box) for item in scene.items if item.box is not None]
    count = 0
    texts.sort(key=lambda t: t[2][0])
    for a in range(len(texts)):
        for b in range(a + 1, len(texts)):
            if texts[b][2][0] >= texts[a][2][2]:
                break
            if texts[a][1] != texts[b][1] and _intersect(texts[a][2], texts[b][2]):
                count += 1
    for _, owner, box in texts:
        count += sum(1 for other, node_box in boxes
                     if other != owner and _intersect(box, node_box))
    return count


# --- SVG -----------------------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _shape_svg(s: Shape, out: list[str]) -> None:
    g = s.geometry
    style = [f'fill="{s.fill}"' if not s.hatched else 'fill="url(#undisclosed)"',
             f'stroke="{s.stroke}"']
    if s.stroke != "none":
        style.append(f'stroke-width="{_num(s.stroke_width)}"')
    if s.dashed:
        style.append(f'stroke-dasharray="{_num(s.stroke_width * 4)} {_num(s.stroke_width * 3)}"')
    if s.arrow:
        style.append('marker-end="url(#arrow)"')
    attrs = " ".join(style)
    if s.kind == "rect":
        rx = g.get("rx", 0)
        out.append(f'<rect x="{_num(g["x"])}" y="{_num(g["y"])}" width="{_num(g["w"])}" '
                   f'height="{_num(g["h"])}"' + (f' rx="{_num(rx)}"' if rx else "")
                   + f" {attrs}/>")
    elif s.kind == "circle":
        out.append(f'<circle cx="{_num(g["cx"])}" cy="{_num(g["cy"])}" r="{_num(g["r"])}" '
                   f"{attrs}/>")
    elif s.kind == "polygon":
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in g["points"])
        out.append(f'<polygon points="{points}" {attrs}/>')
    else:
        out.append(f'<path d="{g["d"]}" {attrs}/>')


def _label_svg(label: Label, mode: str, out: list[str], glyphs: set | None = None) -> None:
    fill = f'fill="{label.color}"'
    halo = ('stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
            if label.halo else "")
    weight = ' font-weight="bold"' if label.bold else ""
    for i, line in enumerate(label.lines):
        if not line:
            continue
        y = label.y + i * label.size * label.line_height
        if mode == "paths":
            uses = []
            for font, gid, gx, gy, s in tx.placements(line, label.x, y, label.size, label.bold,
                                                      label.anchor):
                ref = f"g{int(label.bold)}-{font}-{gid}"
                if glyphs is not None:
                    glyphs.add((ref, font, gid, label.bold))
                uses.append(f'<use xlink:href="#{ref}" transform="matrix({s:.5f} 0 0 '
                            f'{-s:.5f} {gx:.2f} {gy:.2f})"/>')
            out.append(f"<g {fill} {halo}>{''.join(uses)}</g>")
            continue
        parts = tx.runs(line, label.bold)
        spans = "".join(
            f"<tspan font-family={quoteattr(tx.family_list(r.family))}>{_text(r.text)}</tspan>"
            if r.font else _text(r.text) for r in parts)
        direction = ' direction="rtl"' if tx.rtl_paragraph(line) else ""
        # One explicit anchor per line: design tools then move and edit each line as text.
        anchor = {"middle": "middle", "end": "end"}.get(label.anchor, "start")
        if direction:  # in an RTL line "start" is the right end: keep the same ink box
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
        out.append(f'<text x="{_num(label.x)}" y="{_num(y)}" font-size="{_num(label.size)}"'
                   f'{weight} text-anchor="{anchor}"{direction} xml:space="preserve" {fill} '
                   f"{halo}>{spans}</text>")


DEFS = """<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
 orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,1 L10,5 L0,9 z"
 fill="#5d6675"/></marker>
<pattern id="undisclosed" width="6" height="6" patternUnits="userSpaceOnUse"
 patternTransform="rotate(45)"><rect width="6" height="6" fill="#eceef2"/><rect width="2"
 height="6" fill="#b7bcc6"/></pattern>
</defs>"""


def to_svg(scene: Scene, *, text: str = "text", size: tuple[str, str] | None = None,
           link: bool = True, element_id: str | None = None) -> str:
    """The scene as an SVG document (``text`` "text" or "paths"; see the module docstring).
    ``size``: the root's width and height (mm for print), else the scene's px."""
    width, height = size or (f"{_num(scene.width)}px", f"{_num(scene.height)}px")
    family = tx.family_list(tx.FAMILIES[0][0])
    root_id = f' id="{element_id}"' if element_id else ""
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if text == "paths" else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg"{xlink}{root_id} width="{width}" '
           f'height="{height}" viewBox="0 0 {_num(scene.width)} {_num(scene.height)}" '
           f'font-family={quoteattr(family)} role="img" '
           f'aria-labelledby="{element_id or "diagram"}-title">',
           f'<title id="{element_id or "diagram"}-title">{_text(scene.title)}</title>',
           f"<desc>{_text(scene.description)}</desc>"]
    if scene.metadata:
        out.append('<metadata id="graphapp-export">'
                   + escape(json.dumps(scene.metadata, ensure_ascii=False, sort_keys=True))
                   + "</metadata>")
    out.append(DEFS)
    glyphs: set = set()
    defs_at = len(out)
    out.append(f'<rect id="background" width="100%" height="100%" fill="{scene.background}"/>')
    for item in scene.items:
        dim = f' opacity="{item.opacity:g}"' if item.opacity < 1 else ""
        out.append(f'<g id={quoteattr(item.id)} class="{item.role}"{dim}>')
        if item.title:
            out.append(f"<title>{_text(item.title)}</title>")
        opened = bool(link and item.href)
        if opened:
            out.append(f"<a href={quoteattr(item.href or '')}>")
        for s in item.shapes:
            _shape_svg(s, out)
        for label in item.labels:
            _label_svg(label, text, out, glyphs)
        if opened:
            out.append("</a>")
        out.append("</g>")
    if glyphs:  # each glyph outline once, placed by <use>
        out.insert(defs_at, "<defs>" + "".join(
            f'<path id="{ref}" d="{tx.glyph_path(font, gid, bold)}"/>'
            for ref, font, gid, bold in sorted(glyphs)) + "</defs>")
    out.append("</svg>")
    return "\n".join(out)


def to_png(scene: Scene, zoom: float = 1.0) -> bytes:
    """The scene as PNG (text outlined, rasterised by resvg), with the metadata in tEXt."""
    import resvg_py

    svg = to_svg(scene, text="paths", link=False)
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom, skip_system_fonts=True,
                                      background=scene.background))
    return _with_text_chunks(png, {"Title": scene.title, "Description": scene.description,
                                   "graphapp": json.dumps(scene.metadata, ensure_ascii=False,
                                                          sort_keys=True)})


def _with_text_chunks(png: bytes, entries: dict[str, str]) -> bytes:
    """The PNG with iTXt chunks (UTF-8 text) after its header."""
    from PIL import PngImagePlugin

    out = io.BytesIO()
    head = 8 + 4 + 4 + 13 + 4  # signature, then the IHDR chunk (length, type, data, CRC)
    out.write(png[:head])
    for key, value in entries.items():
        data = (key.encode("latin-1") + b"\0\0\0" + b"\0" + b"\0" + value.encode("utf-8"))
        PngImagePlugin.putchunk(out, b"iTXt", data)
    out.write(png[head:])
    return out.getvalue()


def png_metadata(png: bytes) -> dict[str, str]:
    """The text chunks of a PNG (for tests and checks)."""
    from PIL import Image

    return dict(Image.open(io.BytesIO(png)).text)
