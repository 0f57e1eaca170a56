"""Text for diagrams: the bundled Noto fonts, script runs, shaping, measuring and outlines.

Why this exists: matplotlib lays text out one character at a time, so Burmese and Arabic come
out as boxes or unjoined letters, and the glyphs drawn depend on the fonts of the machine.
Every diagram here uses the Noto fonts shipped in ``graphapp/drawing/fonts`` (SIL Open Font
License, ``OFL.txt`` beside them) and HarfBuzz (``uharfbuzz``, the shaping engine of Chrome,
Firefox and Android) to shape each run of text with the font that covers its script:

- :func:`runs` splits a line into runs of one font (Noto Sans for Latin, Greek and Cyrillic;
  Noto Sans Myanmar, Ethiopic, Arabic for their scripts); spaces, digits and punctuation stay
  in the run they sit in;
- :func:`width` measures a line exactly as it will be drawn (layouts place boxes by it, so
  labels cannot overlap);
- :func:`outline` turns a shaped line into one SVG path (the PNG is rasterised from paths, so
  it is shaped by HarfBuzz whatever the rasteriser knows about text);
- the editable SVG keeps real ``<text>``, one ``<tspan>`` per run naming its font, with
  generic fallbacks (:func:`family_list`).

Bidirectional text follows the first strong character (an Arabic name reads right to left,
a Latin name with an Arabic part keeps its Latin order, each run shaped in its own direction).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# (family, regular file, bold file), in fallback order: the first that has a character draws it.
FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("Noto Sans Myanmar", "NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf"),
    ("Noto Sans Ethiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    ("Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
)
# What a viewer without the bundled fonts falls back to (SVG opened in a design tool).
GENERIC_FALLBACK = "'Helvetica Neue', Arial, sans-serif"
RTL_CLASSES = ("R", "AL")


def family_list(family: str) -> str:
    """A CSS font-family list: the run's Noto family, then Noto Sans, then generic ones."""
    names = [family] + ([] if family == FAMILIES[0][0] else [FAMILIES[0][0]])
    return ", ".join(f"'{n}'" for n in names) + ", " + GENERIC_FALLBACK


def font_files() -> list[str]:
    """Every bundled font file (for the rasteriser, which is told to load no system font)."""
    return [str(FONT_DIR / f) for _, regular, bold in FAMILIES for f in (regular, bold)]


@dataclass(frozen=True)
class _Font:
    family: str
    hb_font: object
    upem: int
    coverage: frozenset[int]


@functools.cache
def _fonts(bold: bool) -> tuple[_Font, ...]:
    import uharfbuzz as hb

    loaded = []
    for family, regular, heavy in FAMILIES:
        blob = hb.Blob.from_file_path(str(FONT_DIR / (heavy if bold else regular)))
        face = hb.Face(blob)
        loaded.append(_Font(family, hb.Font(face), face.upem, frozenset(face.unicodes)))
    return tuple(loaded)


def _neutral(ch: str) -> bool:
    """Spaces, digits, punctuation and symbols: they stay in the run they sit in."""
    return unicodedata.category(ch)[0] in "ZPNSC"


@dataclass(frozen=True)
class Run:
    text: str
    font: int  # index in FAMILIES
    rtl: bool

    @property
    def family(self) -> str:
        return FAMILIES[self.font][0]


@functools.lru_cache(maxsize=20000)
def runs(text: str, bold: bool = False) -> tuple[Run, ...]:
    """``text`` in runs of one font each, in logical order (see the module docstring)."""
    fonts = _fonts(bold)
    out: list[list] = []
    for ch in text:
        code = ord(ch)
        current = out[-1][1] if out else None
        if current is not None and _neutral(ch) and code in fonts[current].coverage:
            out[-1][0] += ch
            continue
        index = next((i for i, f in enumerate(fonts) if code in f.coverage), 0)
        if current == index:
            out[-1][0] += ch
        else:
            out.append([ch, index])
    return tuple(Run(t, i, any(unicodedata.bidirectional(c) in RTL_CLASSES for c in t))
                 for t, i in out)


def rtl_paragraph(text: str) -> bool:
    """Whether the line reads right to left: its first strong character is Arabic/Hebrew."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


@dataclass(frozen=True)
class Glyph:
    font: int
    gid: int
    x: float  # in font units from the run's start
    y: float


@functools.lru_cache(maxsize=20000)
def _shape(run: Run, bold: bool) -> tuple[tuple[Glyph, ...], float]:
    """The run's glyphs (visual order) and its advance, in font units."""
    import uharfbuzz as hb

    font = _fonts(bold)[run.font]
    buf = hb.Buffer()
    buf.add_str(run.text)
    buf.guess_segment_properties()
    hb.shape(font.hb_font, buf, {"kern": True, "liga": True})
    glyphs, x = [], 0.0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        glyphs.append(Glyph(run.font, info.codepoint, x + pos.x_offset, pos.y_offset))
        x += pos.x_advance
    return tuple(glyphs), x


def visual_runs(text: str, bold: bool = False) -> list[Run]:
    """The runs in the order they are drawn, left to right."""
    parts = list(runs(text, bold))
    return parts[::-1] if rtl_paragraph(text) else parts


@functools.lru_cache(maxsize=50000)
def width(text: str, size: float, bold: bool = False) -> float:
    """The drawn width of one line in px at ``size`` px."""
    fonts = _fonts(bold)
    return sum(_shape(r, bold)[1] * size / fonts[r.font].upem for r in runs(text, bold))


# A Latin line's ink in em above and below its baseline, and the spacing of its lines.
ASCENT, DESCENT, LEADING = 0.95, 0.3, 1.25


def ink(text: str, bold: bool = False) -> tuple[float, float]:
    """How far a line's ink reaches above and below its baseline, in em, at least Latin's
    (ASCENT, DESCENT): Burmese reaches 1.0 above and 0.47 below (medial ya-yit, stacked
    consonants), so its lines need more room than 1.25 em or they touch."""
    above, below = _ink(text, bold)
    return max(above, ASCENT), max(below, DESCENT)


@functools.lru_cache(maxsize=20000)
def _ink(text: str, bold: bool) -> tuple[float, float]:
    above, below = 0.0, 0.0
    fonts = _fonts(bold)
    for run in runs(text, bold):
        font = fonts[run.font]
        for g in _shape(run, bold)[0]:
            extents = font.hb_font.get_glyph_extents(g.gid)
            if extents is None:
                continue
            above = max(above, (extents.y_bearing + g.y) / font.upem)
            below = max(below, -(extents.y_bearing + extents.height + g.y) / font.upem)
    return above, below


def leading(lines: list[str] | tuple[str, ...], bold: bool = False) -> float:
    """The spacing of these lines in em: 1.25, or more where one line's ink would come
    within 0.05 em of the next one's (Burmese: about 1.5; Latin always 1.25)."""
    return max([LEADING] + [_ink(a, bold)[1] + _ink(b, bold)[0] + 0.05
                            for a, b in itertools.pairwise(lines)])


def block(lines: list[str] | tuple[str, ...], bold: bool = False) -> tuple[float, float]:
    """Where the first baseline of these lines sits below the top of their ink, and the
    height of the whole block, in em (Latin: 0.95 and 1.25 per line)."""
    if not lines:
        return 0.0, 0.0
    first, last = ink(lines[0], bold), ink(lines[-1], bold)
    return first[0], first[0] + leading(lines, bold) * (len(lines) - 1) + last[1]


def missing_glyphs(text: str, bold: bool = False) -> int:
    """How many glyphs of ``text`` would be drawn as the missing-glyph box (.notdef)."""
    return sum(1 for r in runs(text, bold) for g in _shape(r, bold)[0] if g.gid == 0)


def ellipsize(text: str, max_width: float, size: float, bold: bool = False) -> str:
    """``text`` cut at a word (else a character) and ended with "…" to fit ``max_width``."""
    if width(text, size, bold) <= max_width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-–") + "…"
        if width(candidate, size, bold) <= max_width:
            return candidate
    cut = text
    while len(cut) > 1 and width(cut + "…", size, bold) > max_width:
        cut = cut[:-1]
    return cut + "…"


def syllables(word: str) -> list[str]:
    """A word without spaces (Burmese writes none between words) in syllables, where a line
    may break: before a consonant that is not stacked (after U+1039) or killed (before
    U+103A); other scripts' words stay whole."""
    if not any("\u1000" <= ch <= "\u109f" for ch in word):
        return [word]
    parts, start = [], 0
    for i in range(1, len(word)):
        ch, nxt = word[i], word[i + 1] if i + 1 < len(word) else ""
        if (unicodedata.category(ch) == "Lo" and word[i - 1] != "\u1039"
                and nxt not in ("\u103a", "\u1039")):
            parts.append(word[start:i])
            start = i
    parts.append(word[start:])
    return parts


def wrap(text: str, max_width: float, size: float, bold: bool = False,
         max_lines: int = 3) -> list[str]:
    """``text`` in lines no wider than ``max_width`` (broken at spaces; a word wider than a
    line is cut with "…"), at most ``max_lines``, the last one ended with "…" when cut."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        pieces = syllables(word) if width(word, size, bold) > max_width else [word]
        for k, piece in enumerate(pieces):
            joiner = "" if k else " "
            candidate = f"{current}{joiner}{piece}" if current else piece
            if width(candidate, size, bold) <= max_width or not current:
                current = candidate
            else:
                lines.append(current)
                current = piece
    if current:
        lines.append(current)
    lines = [ellipsize(line, max_width, size, bold) for line in lines]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        last = (ellipsize(rest + " …", max_width, size, bold)
                if width(rest, size, bold) <= max_width else ellipsize(rest, max_width, size, bold))
        lines = [*lines[:max_lines - 1], last]
        if not lines[-1].endswith("…"):
            lines[-1] = ellipsize(lines[-1] + "…", max_width, size, bold)
    return lines or [""]


@functools.lru_cache(maxsize=20000)
def glyph_path(font: int, gid: int, bold: bool) -> str:
    """One glyph's outline as SVG path data, in font units (y up)."""
    from fontTools.pens.svgPathPen import SVGPathPen

    pen = SVGPathPen(None, ntos=lambda v: str(round(v)))
    _fonts(bold)[font].hb_font.draw_glyph_with_pen(gid, pen)
    return pen.getCommands()


def placements(text: str, x: float, y: float, size: float, bold: bool = False,
               anchor: str = "start") -> list[tuple[int, int, float, float, float]]:
    """Where each shaped glyph of one line goes: (font, glyph id, x, y, scale), baseline at
    ``y``; ``anchor`` as SVG's text-anchor (start, middle, end) at ``x``. Drawn as the glyph's
    outline (:func:`glyph_path`) scaled by ``scale`` with y flipped."""
    total = width(text, size, bold)
    left = x - (total / 2 if anchor == "middle" else total if anchor == "end" else 0)
    fonts = _fonts(bold)
    out = []
    for run in visual_runs(text, bold):
        glyphs, advance = _shape(run, bold)
        scale = size / fonts[run.font].upem
        out += [(g.font, g.gid, left + g.x * scale, y - g.y * scale, scale) for g in glyphs
                if glyph_path(g.font, g.gid, bold)]
        left += advance * scale
    return out
