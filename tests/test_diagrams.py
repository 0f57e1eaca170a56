"""Campaign-ready diagrams (graphapp/drawing): the ladder, labels that never overlap, SVG a
designer can edit, every script shaped, the same drawing in PNG and SVG (docs/exports.md)."""

from __future__ import annotations

import io
import itertools
import json
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageChops

from graphapp import exports
from graphapp.drawing import diagrams, scene, text
from graphapp.exports import formats as export_formats
from tests.graphs import build

SVG = "{http://www.w3.org/2000/svg}"
SIZES = ("a4", "slide", "square", "social")
BURMESE = "မြန်မာ့ဆက်သွယ်ရေးလုပ်ငန်း"  # Myanma Posts and Telecommunications
AMHARIC = "የኢትዮጵያ ኮሙኒኬሽን ባለስልጣን"
ARABIC = "هيئة تنظيم الاتصالات"
SPANISH = "Subsecretaría de Telecomunicaciones"


# --- text in every script ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [BURMESE, AMHARIC, ARABIC, SPANISH,
                                  f"Subsecretaría de {ARABIC.split()[-1]}"])
def test_every_script_has_its_glyphs(name):
    assert text.missing_glyphs(name) == 0
    assert text.missing_glyphs(name, bold=True) == 0


def test_burmese_lines_are_spaced_so_that_their_ink_does_not_touch():
    """Burmese reaches further above and below the baseline than Latin: its lines get more
    room than 1.25 em, and a box is as tall as its lines' ink."""
    above, below = text.ink(BURMESE)
    assert above > 0.95 and below > 0.3
    label = scene.Label(0, 50, [BURMESE, BURMESE], 20)
    assert label.line_height * 20 >= (above + below) * 20
    assert scene.Label(0, 50, ["Meta", "Platforms"], 20).line_height == 1.25
    assert text.block(["Meta", "Platforms"]) == (0.95, 2.5)


def test_runs_pick_the_font_of_each_script():
    assert [r.family for r in text.runs(f"{BURMESE} (MPT)")] == ["Noto Sans Myanmar",
                                                                  "Noto Sans"]
    assert text.rtl_paragraph(ARABIC) and not text.rtl_paragraph(f"Meta {ARABIC}")


def _ink(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("L")


def test_a_burmese_name_is_drawn_shaped_not_as_missing_glyph_boxes():
    """The PNG of a Burmese name: its glyphs come from Noto Sans Myanmar (none is .notdef),
    consonant clusters are shaped (fewer glyphs than characters: marks stack), and the image
    differs from the same number of missing-glyph boxes drawn in its place."""
    glyphs = text.placements(BURMESE, 10, 40, 28)
    assert glyphs and all(font == 1 and gid != 0 for font, gid, *_ in glyphs)
    # shaping reorders and merges: the glyph sequence is not one glyph per character
    assert [g for _, g, *_ in glyphs] != [text._fonts(False)[1].hb_font.get_nominal_glyph(ord(c))
                                          for c in BURMESE]

    def drawn(name: str) -> bytes:
        s = scene.Scene(520, 70)
        s.add(scene.Item("n", "node", labels=[scene.Label(10, 45, [name], 28,
                                                          anchor="start")]))
        return scene.to_png(s)

    burmese = _ink(drawn(BURMESE))
    assert burmese.getextrema()[0] < 80  # something dark was drawn
    # what an unshaped renderer without the font shows: one .notdef box per character
    import resvg_py

    latin = text._fonts(False)[0]
    scale = 28 / latin.upem
    advance = latin.hb_font.get_glyph_h_advance(0) * scale
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="520" height="70">'
           '<rect width="100%" height="100%" fill="#fff"/>']
    for k in range(len(BURMESE)):
        svg.append(f'<path d="{text.glyph_path(0, 0, False)}" transform="matrix({scale} 0 0 '
                   f'{-scale} {10 + k * advance:.1f} 45)"/>')
    svg.append("</svg>")
    tofu = _ink(bytes(resvg_py.svg_to_bytes(svg_string="".join(svg), skip_system_fonts=True)))
    assert tofu.getextrema()[0] < 80
    difference = ImageChops.difference(burmese, tofu)
    changed = difference.point(lambda v: 255 if v > 64 else 0).histogram()[255]
    assert changed > 500


# --- the ladder on the seed ----------------------------------------------------------------------


_VIEWS: dict = {}


@pytest.fixture
def seed_views(seed_graph):
    """Every seed harm's escalation view (built once: the seed is read-only)."""
    if not _VIEWS:
        harms = [r["id"] for r in seed_graph.read("escalation.harms", limit=100,
                                                  include_sensitive=False)]
        assert len(harms) >= 10
        _VIEWS.update({h: exports.escalation_view(seed_graph, h) for h in harms})
    return _VIEWS


@pytest.mark.seed
@pytest.mark.parametrize("size", SIZES)
def test_no_label_overlaps_in_any_seed_escalation_at_any_size(seed_views, size):
    for harm, view in seed_views.items():
        drawn = diagrams.scene_for(view, size)
        assert drawn.metadata["label_overlaps"] == 0, (harm, size)
        assert scene.overlaps(drawn) == 0
        assert drawn.metadata["missing_glyphs"] == 0, (harm, size)
        # every box and every line of text inside the canvas: nothing clipped at an edge
        for item in drawn.items:
            for x0, y0, x1, y1 in [b for b in [item.box] if b] + [lb.box() for lb in
                                                                  item.labels]:
                assert x0 >= 0 and x1 <= drawn.width + 0.5 and y0 >= 0 and \
                    y1 <= drawn.height + 0.5, (harm, size, item.id)
        # no line runs through a relationship's label (it would read as that line's)
        assert _labels_crossed(drawn) == [], (harm, size)
        # the legend names only what is drawn
        legend = next(i for i in drawn.items if i.id == "legend")
        named = {line for label in legend.labels for line in label.lines}
        if "Investor" in named:
            assert any(i.id.startswith("node-") and i.shapes[-1].fill == diagrams.COLORS[
                "Investor"] for i in drawn.items), (harm, size)
        assert ("+N more: in the HTML and data exports" in named) == any(
            i.id.startswith("node-more-") for i in drawn.items), (harm, size)


def _labels_crossed(drawn) -> list[str]:
    """The relationships whose label another relationship's line runs through."""
    import re

    from graphapp.drawing.layered import _crosses

    edges = [i for i in drawn.items if i.role == "edge"]
    segments = {}
    for e in edges:
        points = [tuple(map(float, p)) for p in re.findall(r"([\d.]+),([\d.]+)",
                                                            e.shapes[0].geometry["d"])]
        segments[e.id] = list(itertools.pairwise(points))
    return [e.id for e in edges for label in e.labels
            if any(_crosses(label.box(), a, b) for other, segs in segments.items()
                   if other != e.id for a, b in segs)]


@pytest.mark.seed
def test_the_ladder_puts_rungs_in_order_and_says_what_it_left_out(seed_views):
    view = seed_views["harm-rohingya-facebook-incitement"]
    drawn = diagrams.scene_for(view, "slide")
    boxes = {item.id: item.box for item in drawn.items if item.role == "node" and item.box}
    harm = boxes["node-harm-rohingya-facebook-incitement"]
    hq = next(b for i, b in boxes.items() if "meta-platforms" in i)
    assert hq[3] < harm[1]  # headquarters above the harm: the ladder climbs
    more = [i.labels[0].lines for i in drawn.items if i.id.startswith("node-more-")]
    assert any("more regulators" in " ".join(lines) for lines in more)
    assert drawn.metadata["hidden"]["regulators"] > 0
    # the harm's name reads whole, not "Anti-Rohingya hate speech and incitement on…"
    harm_item = next(i for i in drawn.items if i.id == "node-harm-rohingya-facebook-incitement")
    assert " ".join(harm_item.labels[0].lines) == view.nodes[view.filters["harm"]]["name"]
    # a rung shared by 25 leaders and the investors shows the best investor too
    investors = [i for i, n in view.nodes.items() if n["extra"].get("rung") == "investor"]
    for size in SIZES:
        ids = {i.id for i in diagrams.scene_for(view, size).items}
        assert any(f"node-{i}" in ids for i in investors), size


@pytest.mark.seed
def test_long_titles_wrap_and_the_ladder_fills_a_square(seed_views):
    """On a square a long title takes two lines instead of ending in "…"; a ladder drawn
    smaller for its height keeps more than one box in a rung that has several."""
    view = seed_views["harm-chile-subscriber-data-disclosure"]
    drawn = diagrams.scene_for(view, "square")
    title = next(i for i in drawn.items if i.id == "header").labels[0]
    assert len(title.lines) == 2 and " ".join(title.lines) == view.title
    view = seed_views["harm-rohingya-facebook-incitement"]
    drawn = diagrams.scene_for(view, "a4")
    leaders = [i for i in drawn.items if i.role == "node" and i.box and
               (view.nodes.get(i.id[5:]) or {}).get("extra", {}).get("rung") == "leadership"]
    assert len(leaders) >= 5


@pytest.mark.seed
def test_svg_is_editable_text_grouped_by_node_and_edge(seed_views):
    view = seed_views["harm-rohingya-facebook-incitement"]
    svg = export_formats.image(view, "svg", "slide")
    assert len(svg) < 300_000
    root = ElementTree.fromstring(svg)
    texts = root.iter(f"{SVG}text")
    words = " ".join("".join(t.itertext()) for t in texts)
    assert "Meta Platforms, Inc." in words and "Regulators" in words
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    nodes = [i for i in groups if i.startswith("node-")]
    edges = [i for i in groups if i.startswith("edge-")]
    assert len(nodes) >= 15 and len(edges) >= 10
    for i in nodes:
        assert groups[i].find(f".//{SVG}text") is not None, i
        assert groups[i].find(f"{SVG}title") is not None
    assert "'Noto Sans'" in root.get("font-family") and "sans-serif" in root.get("font-family")
    meta = json.loads(root.find(f"{SVG}metadata").text)
    assert meta["label_overlaps"] == 0 and meta["view"] == "escalation"
    assert root.find(f".//{SVG}path[@d]") is not None


@pytest.mark.seed
def test_png_carries_the_overlap_count_in_its_metadata(seed_views):
    view = seed_views["harm-chile-subscriber-data-disclosure"]
    png = export_formats.image(view, "png", "square")
    assert Image.open(io.BytesIO(png)).size == (1080, 1080)
    meta = json.loads(scene.png_metadata(png)["graphapp"])
    assert meta["label_overlaps"] == 0 and meta["size"] == "square"


# --- names in four scripts, on a named graph -----------------------------------------------------


def test_names_in_four_scripts_are_drawn_in_png_and_svg(empty_graph):
    graph = build(empty_graph, [
        {"label": "Harm", "id": "h", "name": "Internet shutdown", "harm_type": "shutdown"},
        {"label": "Product", "id": "p", "name": "Mobile network"},
        {"label": "Company", "id": "mpt", "name": BURMESE},
        {"label": "Company", "id": "et", "name": AMHARIC},
        {"label": "Regulator", "id": "reg", "name": ARABIC, "kind": "telecom"},
        {"label": "Regulator", "id": "subtel", "name": SPANISH,
         "kind": "telecom"},
    ], [
        {"type": "INVOLVES", "from": "h", "to": "p"},
        {"type": "OPERATES", "from": "mpt", "to": "p"},
        {"type": "OWNS", "from": "et", "to": "mpt", "economic_pct": 51.0},
        {"type": "OVERSEES", "from": "reg", "to": "mpt", "instrument": "the Telecom Law"},
        {"type": "OVERSEES", "from": "subtel", "to": "mpt"},
    ])
    view = exports.escalation_view(graph, "h")
    for size in SIZES:
        svg = export_formats.image(view, "svg", size).decode("utf-8")
        for name in (BURMESE, AMHARIC, ARABIC, SPANISH):
            assert name in svg or name.split()[0] in svg, (size, name)
        assert "font-family=\"'Noto Sans Myanmar', 'Noto Sans'" in svg
        png = export_formats.image(view, "png", size)
        meta = json.loads(scene.png_metadata(png)["graphapp"])
        assert meta["missing_glyphs"] == 0 and meta["label_overlaps"] == 0


# --- honest words --------------------------------------------------------------------------------


def test_edge_phrases_read_as_an_advocate_writes():
    owns = {"type": "OWNS", "props": {"economic_pct": 13.0, "voting_pct": 61.1}}
    assert diagrams.edge_phrase(owns) == "owns 13% (61.1% of votes)"
    assert diagrams.edge_phrase(owns, "Meta") == "owns 13% (61.1% of votes) of Meta"
    assert diagrams.edge_phrase({"type": "OWNS", "props": {}}) == "owns an undisclosed stake"
    assert diagrams.edge_phrase({"type": "OWNS", "props": {"pct_min": 5, "pct_max": 10}}) \
        == "owns 5–10%"
    # no lower bound (the seed's WOM creditors: 0 to 92%): undisclosed, with its ceiling
    assert diagrams.edge_phrase({"type": "OWNS", "props": {"pct_min": 0, "pct_max": 92}}) \
        == "owns an undisclosed stake (at most 92%)"
    assert diagrams.edge_phrase({"type": "OWNS", "props": {"pct_max": 100}}) \
        == "owns an undisclosed stake"
    assert diagrams.edge_phrase({"type": "OVERSEES", "props": {"instrument": "the DSA"}}) \
        == "oversees under the DSA"
    assert diagrams.edge_phrase({"type": "HOLDS_ROLE", "props": {"title": "CEO"}}, "Meta") \
        == "CEO, Meta"


def test_overlaps_counts_text_on_text_and_text_on_other_boxes():
    s = scene.Scene(400, 200)
    s.add(scene.Item("a", "node", labels=[scene.Label(100, 50, ["Meta Platforms"], 16)],
                     box=(40, 30, 160, 60)))
    s.add(scene.Item("b", "node", labels=[scene.Label(110, 52, ["Meta Platforms"], 16)]))
    assert scene.overlaps(s) == 2  # b's text on a's text, and on a's box
    s.items.pop()
    assert scene.overlaps(s) == 0


# --- honest figures: unknown stakes never read as large ones -------------------------------------


def _row(name, economic=None, lo=None, hi=None, voting=None):
    return {"holder": {"id": name, "name": name}, "direct": True,
            "economic_pct": economic, "economic_min_pct": lo, "economic_max_pct": hi,
            "voting_pct": voting if voting is not None else economic,
            "voting_min_pct": lo, "voting_max_pct": hi}


def test_unknown_stakes_read_undisclosed_and_sort_after_known_ones():
    from graphapp.leverage import chart

    rows = [_row("Norges Bank", lo=0.0, hi=68.9), _row("Range Fund", lo=5.0, hi=10.0),
            _row("Small Known", economic=1.2), _row("Big Known", economic=13.0, voting=61.1)]
    ordered = [r["holder"]["name"] for r in chart.order(rows)]
    assert ordered == ["Big Known", "Small Known", "Range Fund", "Norges Bank"]
    assert chart.stake_text(rows[0], "economic") == "undisclosed (at most 68.9%)"
    assert chart.stake_text(_row("B", lo=0.0, hi=100.0), "economic") == "undisclosed"
    assert chart.stake_text(rows[1], "economic") == "5–10%"
    assert chart.stake_text(rows[3], "voting") == "61.1%"
    png = chart.holders_png({"company": {"name": "Alphabet Inc."}, "look_through": rows})
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    phone = chart.holders_png({"company": {"name": "Alphabet Inc."}, "look_through": rows},
                              phone=True)
    assert phone[:8] == b"\x89PNG\r\n\x1a\n" and phone != png


# --- the campaign story --------------------------------------------------------------------------


@pytest.mark.seed
def test_story_drafts_one_step_per_rung_with_why_and_evidence(seed_views):
    from graphapp.drawing import story

    view = seed_views["harm-rohingya-facebook-incitement"]
    steps = story.draft(view)
    assert [s.key for s in steps] == ["harm", "local", "team", "executive", "holders",
                                      "regulator"]
    # the executive is the rung's first as on the harm page: the real decider, not the CTO
    assert next(s.target for s in steps if s.key == "executive") == "mark-zuckerberg"
    for s in steps[1:]:
        assert s.caption == view.nodes[s.target]["extra"]["why"]
        assert s.target in s.highlight and view.filters["harm"] in s.highlight
    assert all(s.evidence for s in steps)
    # a long caption is the slide's message: it shows whole, not cut after two lines
    long = ("The UN Human Rights Council oversees Meta Platforms under the UN Guiding "
            "Principles and can call it to account in public; it covers Myanmar, where the "
            "harm occurred, and its fact-finding mission documented the role of Facebook in "
            "the incitement of violence against the Rohingya.")
    for size in ("slide", "square"):
        slide = story.slide_scene(view, story.Step("regulator", "The regulator", long,
                                                   steps[-1].target), 1, 1, size)
        caption = next(i for i in slide.items if i.id == "header").labels[1].lines
        assert " ".join(caption) == long, size
    kept = story.edit(steps, {"harm", "regulator"}, {"regulator": "  Ask   the <b>court</b> "})
    assert [s.key for s in kept] == ["harm", "regulator"]
    assert kept[1].caption == "Ask the <b>court</b>"
    page = story.slides_html(view, kept)
    assert page.count('class="slide"') == 2 and "ArrowRight" in page and "@media print" in page
    assert "Ask the &lt;b&gt;court&lt;/b&gt;" in page and "<b>court" not in page
    from graphapp.exports.diagram import external_references

    assert external_references(page) == []


def test_story_of_a_harm_with_two_operators_follows_one_of_them(empty_graph):
    """Two operators hand data to the police. The best-ranked local office is Alpha's; the
    best-ranked executive (Aaron, by name) and holder (Aardvark) are Beta's: the story keeps to
    Alpha (Alpha's chief executive, Alpha's holder) instead of mixing the two companies."""
    from graphapp.drawing import story

    build(empty_graph, [
        {"label": "Harm", "id": "h", "name": "Data to police", "harm_type": "surveillance"},
        {"label": "Country", "id": "cl", "name": "Chile", "iso2": "CL"},
        {"label": "Company", "id": "alpha", "name": "Alpha Telecom", "jurisdiction": "CL"},
        {"label": "Company", "id": "beta", "name": "Beta Telecom", "jurisdiction": "CL"},
        *({"label": "Team", "id": f"{c}-office", "name": f"{c.title()} country office",
           "function": "local_office", "scope": "country", "country": "CL"}
          for c in ("alpha", "beta")),
        {"label": "Person", "id": "zoe", "name": "Zoe Alpha"},
        {"label": "Person", "id": "aaron", "name": "Aaron Beta"},
        {"label": "Company", "id": "alpha-fund", "name": "Alpha Holder Fund",
         "extra_labels": ["Investor"]},
        {"label": "Company", "id": "aardvark", "name": "Aardvark Fund",
         "extra_labels": ["Investor"]},
    ], [
        {"type": "INVOLVES", "from": "h", "to": "alpha"},
        {"type": "INVOLVES", "from": "h", "to": "beta"},
        {"type": "OCCURRED_IN", "from": "h", "to": "cl"},
        {"type": "PART_OF", "from": "alpha-office", "to": "alpha"},
        {"type": "PART_OF", "from": "beta-office", "to": "beta"},
        {"type": "HOLDS_ROLE", "from": "zoe", "to": "alpha", "kind": "executive", "title": "CEO"},
        {"type": "HOLDS_ROLE", "from": "aaron", "to": "beta", "kind": "executive", "title": "CEO"},
        {"type": "OWNS", "from": "alpha-fund", "to": "alpha", "economic_pct": 30.0},
        {"type": "OWNS", "from": "aardvark", "to": "beta", "economic_pct": 30.0},
    ])
    view = exports.escalation_view(empty_graph, "h")
    first = {n["extra"]["rung"]: i for i, n in view.nodes.items()
             if n["extra"].get("rung_rank") == 1}
    assert (first["local"], first["leadership"], first["investor"]) == (
        "alpha-office", "aaron", "aardvark")  # the rungs' best mix the two operators
    steps = {s.key: s.target for s in story.draft(view)}
    assert (steps["local"], steps["executive"], steps["holders"]) == (
        "alpha-office", "zoe", "alpha-fund")


def test_story_form_edits_drops_and_downloads(empty_graph, client):
    build(empty_graph, [
        {"label": "Harm", "id": "h", "name": "Data leak", "harm_type": "privacy_breach",
         "sources": ["https://example.org/leak"]},
        {"label": "Company", "id": "acme", "name": "Acme Corp"},
        {"label": "Company", "id": "parent", "name": "Parent Inc"},
        {"label": "Regulator", "id": "dpa", "name": "Data Protection Authority",
         "kind": "data_protection"},
    ], [{"type": "INVOLVES", "from": "h", "to": "acme"},
        {"type": "OWNS", "from": "parent", "to": "acme", "economic_pct": 80,
         "sources": ["https://example.org/owns"]},
        {"type": "OVERSEES", "from": "dpa", "to": "parent", "instrument": "the GDPR"}])
    form = client.get("/harms/h/story").get_data(as_text=True)
    assert 'name="caption-harm"' in form and 'name="caption-regulator"' in form
    response = client.post("/harms/h/story", data={
        "keep": ["harm", "regulator"], "caption-regulator": "The DPA can order it.",
        "format": "html"})
    assert response.status_code == 200
    assert "attachment;" in response.headers["Content-Disposition"]
    page = response.get_data(as_text=True)
    assert page.count('class="slide"') == 2 and "The DPA can order it." in page
    response = client.post("/harms/h/story", data={"keep": ["harm"], "format": "png",
                                                   "size": "square"})
    import zipfile as _zip

    with _zip.ZipFile(io.BytesIO(response.data)) as z:
        assert z.namelist() == ["01-harm.png", "captions.txt"]
        assert Image.open(io.BytesIO(z.read("01-harm.png"))).size == (1080, 1080)
    bad = client.post("/harms/h/story", data={"format": "pdf"})
    assert bad.status_code == 400 and "format" in bad.get_data(as_text=True)
