"""Exports: graph views in seven formats that parse back, escape what users typed, and redact
sensitive people and contacts unless asked (docs/exports.md)."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
from xml.etree import ElementTree

import networkx as nx
import pandas as pd
import pytest

from graphapp import exports
from graphapp.errors import BadRequest, NotFound
from graphapp.exports import formats as export_formats
from tests.graphs import build, node, rel

SECRET = "Zelda Quarrington"  # a sensitive person's name: must never leak when redacted
XSS = "<img src=x onerror=alert(1)>"


NODES = [
    node("Harm", "harm", "Hate speech wave", harm_type="hate_speech", severity=4),
    node("Product", "app", "App"),
    node("Company", "meta", "Meta", jurisdiction="US", aliases=["Facebook", "FB"],
         sources=["https://example.org/meta"]),
    node("Company", "fund", "Big Fund", extra_labels=["Investor"],
         investor_type="asset_manager"),
    node("Team", "meta-policy", "Meta Public Policy", function="policy", scope="global"),
    node("Person", "zq", SECRET, sensitive=True),
    node("Person", "ceo", "Chief Executive"),
    node("Organization", "ngo", "Digital Rights Watch"),
    node("Country", "mm", "Myanmar", iso2="MM"),
    node("Company", "evil", XSS, description="=HYPERLINK(\"http://evil.example\")"),
]
RELS = [
    rel("INVOLVES", "harm", "app", mechanism="amplification"),
    rel("OCCURRED_IN", "harm", "mm"),
    rel("OPERATES", "meta", "app", start_date="2014"),
    rel("OWNS", "fund", "meta", economic_pct=6.5, voting_pct=4.0,
        sources=["https://example.org/13f", "https://example.org/proxy"]),
    rel("PART_OF", "meta-policy", "meta"),
    rel("RESPONSIBLE_FOR", "meta-policy", "app", area="content policy"),
    rel("HOLDS_ROLE", "zq", "meta-policy", title="Policy Manager", kind="manager",
        sources=["https://example.org/zq-profile"]),
    rel("HOLDS_ROLE", "ceo", "meta", title="CEO", kind="executive", confidence="reported"),
    rel("HAS_CONTACT", "ngo", "zq"),
    rel("HAS_CONTACT", "ngo", "ceo", note="met at RightsCon"),
    rel("OPERATES_IN", "meta", "mm", confidence="alleged", end_date="2021"),
    rel("OWNS", "fund", "evil", economic_pct=1.0),
]


@pytest.fixture
def named(empty_graph):
    return build(empty_graph, NODES, RELS)


def ids(view):
    return set(view.nodes)


def edge_keys(view):
    return {(e["from"], e["type"], e["to"]) for e in view.edges}


# --- the views -----------------------------------------------------------------------------------


def test_entity_view_is_the_neighbourhood_with_ties_among_it(named):
    view = exports.entity_view(named, "meta-policy", depth=1, include_sensitive=True)
    assert ids(view) == {"meta-policy", "meta", "app", "zq"}
    assert edge_keys(view) == {("meta-policy", "PART_OF", "meta"),
                               ("meta-policy", "RESPONSIBLE_FOR", "app"),
                               ("zq", "HOLDS_ROLE", "meta-policy"),
                               ("meta", "OPERATES", "app")}
    assert view.nodes["app"]["extra"] == {"depth": 1}


def test_entity_view_depth_two_reaches_further(named):
    view = exports.entity_view(named, "app", depth=2, include_sensitive=True)
    assert ids(view) == {"app", "harm", "meta", "meta-policy", "mm", "fund", "ceo", "zq"}


def test_entity_view_keeps_evidence_and_all_properties(named):
    view = exports.entity_view(named, "fund", depth=1)
    owns = next(e for e in view.edges if e["to"] == "meta")
    assert owns["props"]["sources"] == ["https://example.org/13f", "https://example.org/proxy"]
    assert owns["props"]["confidence"] == "confirmed"
    assert (owns["props"]["economic_pct"], owns["props"]["voting_pct"]) == (6.5, 4.0)
    assert view.nodes["meta"]["props"]["aliases"] == ["Facebook", "FB"]
    assert view.nodes["fund"]["labels"] == ["Company", "Investor"]
    assert view.nodes["fund"]["label"] == "Investor"


def test_entity_view_filters_by_confidence_and_date(named):
    view = exports.entity_view(named, "meta", depth=1, min_confidence="reported")
    assert "mm" not in ids(view)  # only an alleged OPERATES_IN leads there
    view = exports.entity_view(named, "meta", depth=1, as_of="2022")
    assert ("meta", "OPERATES_IN", "mm") not in edge_keys(view)  # ended in 2021


@pytest.mark.parametrize("depth", [0, 4, "2"])
def test_entity_view_depth_is_bounded(named, depth):
    with pytest.raises(BadRequest) as err:
        exports.entity_view(named, "meta", depth=depth)
    assert "depth" in err.value.errors["query"]


def test_unknown_and_sensitive_roots_are_not_found(named):
    with pytest.raises(NotFound, match="'nobody'"):
        exports.entity_view(named, "nobody")
    with pytest.raises(NotFound):
        exports.entity_view(named, "zq")  # sensitive: as if it did not exist
    assert "zq" in ids(exports.entity_view(named, "zq", include_sensitive=True))


def test_escalation_view_is_the_escalation_paths(named):
    from graphapp import escalation

    view = exports.escalation_view(named, "harm", include_sensitive=True)
    result = escalation.escalate(named, "harm", include_sensitive=True)
    nodes, edges = escalation.subgraph(result)
    assert ids(view) == {n["id"] for n in nodes}
    assert edge_keys(view) == {(e["from"], e["type"], e["to"]) for e in edges}
    assert view.nodes["harm"]["extra"]["rung"] == "start"
    meta = view.nodes["meta"]["extra"]
    assert meta["rung"] == "headquarters" and meta["rank"] >= 1 and "why" in meta


def test_escalation_view_filters_apply(named):
    view = exports.escalation_view(named, "harm", kinds="investor")
    assert "fund" in ids(view) and "ceo" not in ids(view)
    with pytest.raises(BadRequest) as err:
        exports.escalation_view(named, "harm", kinds="nonsense")
    assert "kinds" in err.value.errors["query"]


def test_investor_view_holds_down_the_chain_and_links_harms(named):
    view = exports.investor_view(named, "fund")
    assert ids(view) == {"fund", "meta", "evil", "app", "harm"}
    assert edge_keys(view) == {("fund", "OWNS", "meta"), ("fund", "OWNS", "evil"),
                               ("meta", "OPERATES", "app"), ("harm", "INVOLVES", "app")}
    assert view.nodes["meta"]["extra"]["role"] == "holding"
    assert view.nodes["meta"]["extra"]["economic_pct"] == 6.5
    assert view.nodes["harm"]["extra"]["rank"] == 1


def test_company_view_holds_up_the_chain(named):
    view = exports.company_view(named, "meta")
    assert ids(view) == {"meta", "fund"}
    assert edge_keys(view) == {("fund", "OWNS", "meta")}
    assert view.nodes["fund"]["extra"]["role"] == "holder"
    with pytest.raises(NotFound):
        exports.company_view(named, "ceo")


def test_graph_view_filters_labels_countries_and_limit(named):
    view = exports.graph_view(named, labels="Company,Country")
    assert ids(view) == {"meta", "fund", "evil", "mm"}
    assert edge_keys(view) == {("fund", "OWNS", "meta"), ("fund", "OWNS", "evil"),
                               ("meta", "OPERATES_IN", "mm")}
    assert ids(exports.graph_view(named, countries=["mm"])) == {"mm", "harm", "meta"}
    cut = exports.graph_view(named, limit=3)
    # the sensitive person is left out of a redacted whole-graph view (as a placeholder they
    # would still tell that someone in that country, of that label, is in the graph)
    assert ids(cut) == {"app", "ceo", "evil"} and "of 9 nodes" in cut.notes[0]
    assert "of 10 nodes" in exports.graph_view(named, limit=3, include_sensitive=True).notes[0]
    with pytest.raises(BadRequest) as err:
        exports.graph_view(named, labels="Dragon", countries="Narnia", limit=0)
    assert set(err.value.errors["query"]) == {"labels", "countries", "limit"}


# --- redaction -----------------------------------------------------------------------------------


def test_sensitive_person_becomes_a_placeholder_saying_where_not_who(named):
    view = exports.entity_view(named, "meta-policy", depth=1)
    assert "zq" not in ids(view)
    placeholder = view.nodes["redacted-1"]
    assert placeholder["name"] == "a contact in Meta's policy team"
    assert placeholder["props"] == {"name": "a contact in Meta's policy team"}
    role = next(e for e in view.edges if e["type"] == "HOLDS_ROLE")
    assert role == {"from": "redacted-1", "to": "meta-policy", "type": "HOLDS_ROLE",
                    "props": {}, "redacted": True}
    assert view.redacted and "1 node shown as a placeholder" in view.notes[-1]


def test_a_contact_between_two_public_nodes_is_left_out(named):
    view = exports.entity_view(named, "ngo", depth=1)
    assert ids(view) == {"ngo", "redacted-1"}  # the CEO is reached only through HAS_CONTACT
    assert edge_keys(view) == {("ngo", "HAS_CONTACT", "redacted-1")}
    full = exports.entity_view(named, "ngo", depth=1, include_sensitive=True)
    assert edge_keys(full) == {("ngo", "HAS_CONTACT", "zq"), ("ngo", "HAS_CONTACT", "ceo")}


def test_placeholder_wording():
    assert exports.placeholder("Person", None) == "a sensitive person"
    assert exports.placeholder("Organization", {}) == "a sensitive entity"
    assert exports.placeholder("Person", {"companies": ["Meta"]}) == "a person at Meta"
    assert exports.placeholder("Person", {"teams": [{"team": "Ops", "function": None,
                                                     "company": None}]}) == "a person in Ops"


FORMATS = list(exports.FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_redaction_holds_in_every_format(named, fmt):
    for view in ("entity", "escalation", "graph"):
        options = {"harm": "harm"} if view == "escalation" else {"id": "meta-policy"}
        content, _, _ = exports.export(named, view, fmt, **options)
        text = _text(content, fmt)
        for secret in (SECRET, "Quarrington", "zq-profile", "Policy Manager", "RightsCon"):
            assert secret not in text, (view, fmt, secret)
    content, _, _ = exports.export(named, "graph", fmt, include_sensitive=True)
    if fmt not in ("png", "svg"):  # images label the best-connected nodes only
        assert SECRET in _text(content, fmt)


def test_a_placeholder_keeps_its_place_in_the_drawing():
    """A sensitive holding in an editor's redacted investor export is drawn where it is held
    (the "held directly" row), not in the harms' row; it keeps no stake, rank or sentence."""
    from graphapp.drawing import diagrams

    def node(id_, label, extra, **props):
        return {"id": id_, "labels": [label], "label": label, "name": id_.title(),
                "props": {"name": id_.title(), **props}, "extra": extra, "redacted": False}

    view = exports.View("investor", "Fund", "", filters={"id": "fund"}, nodes={
        "fund": node("fund", "Investor", {"role": "investor"}),
        "shell": node("shell", "Company", {"role": "holding", "depth": 1, "leverage_pct": 40.0,
                                           "economic_pct": 40.0}, sensitive=True),
        "corp": node("corp", "Company", {"role": "holding", "depth": 1, "leverage_pct": 5.0}),
        "harm": node("harm", "Harm", {"role": "harm", "rank": 1, "score": 5.0}),
    })
    exports.redact(view, {})
    assert view.nodes["redacted-1"]["extra"] == {"role": "holding", "depth": 1}
    boxes = diagrams.ownership_boxes(view)[0]
    assert boxes["redacted-1"].row == boxes["corp"].row != boxes["harm"].row


def test_a_redaction_that_only_leaves_out_a_relationship_says_only_that():
    view = exports.View("entity", "Org", "", nodes={
        i: {"id": i, "labels": ["Organization"], "label": "Organization", "name": i,
            "props": {"name": i}, "extra": {}, "redacted": False} for i in ("ngo", "ceo")},
        edges=[{"from": "ngo", "to": "ceo", "type": "HAS_CONTACT", "props": {},
                "redacted": False}])
    exports.redact(view, {})
    assert view.notes == ["Sensitive data redacted: 1 relationship left out."]


def _text(content: bytes, fmt: str) -> str:
    """Everything a format says, as text (zips opened, JSON unescaped)."""
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    if fmt == "png":
        return content.decode("latin-1")
    if fmt == "json":
        return json.dumps(json.loads(content), ensure_ascii=False)
    text = content.decode("utf-8")
    if fmt == "html":  # the vis data is JSON with \\u003c escapes; read it as a browser would
        text += json.loads(json.dumps(text).replace("\\\\u003c", "<"))
    return text


# --- every format parses back --------------------------------------------------------------------


@pytest.fixture
def fund_view(named):
    return exports.entity_view(named, "fund", depth=2)


def test_graphml_reads_back_with_every_property(fund_view):
    g = nx.read_graphml(io.BytesIO(export_formats.graphml(fund_view)))
    assert set(g.nodes) == ids(fund_view)
    assert g.number_of_edges() == len(fund_view.edges)
    meta = g.nodes["meta"]
    assert (meta["name"], meta["kind"], meta["jurisdiction"]) == ("Meta", "Company", "US")
    assert json.loads(meta["aliases"]) == ["Facebook", "FB"]  # lists as JSON strings
    assert json.loads(g.nodes["fund"]["labels"]) == ["Company", "Investor"]
    owns = next(d for _, t, d in g.out_edges("fund", data=True) if t == "meta")
    assert owns["rel_type"] == "OWNS" and owns["economic_pct"] == 6.5
    assert json.loads(owns["sources"]) == ["https://example.org/13f", "https://example.org/proxy"]
    assert g.graph["view"] == "entity"


def test_gexf_reads_back_with_colours(fund_view):
    g = nx.read_gexf(io.BytesIO(export_formats.gexf(fund_view)))
    assert set(g.nodes) == ids(fund_view)
    assert g.number_of_edges() == len(fund_view.edges)
    assert g.nodes["meta"]["label"] == "Meta"
    assert g.nodes["meta"]["viz"]["color"] == {"r": 76, "g": 127, "b": 214, "a": 1.0}
    owns = next(d for _, t, d in g.out_edges("fund", data=True) if t == "meta")
    assert owns["rel_type"] == "OWNS" and owns["confidence"] == "confirmed"


def test_node_link_json_reads_back_with_lists(fund_view):
    data = json.loads(export_formats.node_link_json(fund_view))
    g = nx.node_link_graph(data, edges="edges")
    assert set(g.nodes) == ids(fund_view)
    assert g.nodes["meta"]["aliases"] == ["Facebook", "FB"]
    assert data["graph"]["exported_on"] == fund_view.exported_on
    owns = next(d for _, t, d in g.out_edges("fund", data=True) if t == "meta")
    assert owns["sources"] == ["https://example.org/13f", "https://example.org/proxy"]


def test_csv_zip_has_kumu_columns_that_pandas_reads(fund_view):
    with zipfile.ZipFile(io.BytesIO(export_formats.kumu_zip(fund_view))) as z:
        assert sorted(z.namelist()) == ["README.txt", "connections.csv", "elements.csv"]
        elements = pd.read_csv(z.open("elements.csv"), dtype=str, keep_default_na=False)
        connections = pd.read_csv(z.open("connections.csv"), dtype=str,
                                  keep_default_na=False)
    assert list(elements.columns[:5]) == ["Label", "Type", "Description", "Tags", "ID"]
    assert list(connections.columns[:9]) == ["From", "To", "Type", "confidence", "sources",
                                             "start_date", "end_date", "as_of", "note"]
    assert len(elements) == len(fund_view.nodes)
    assert len(connections) == len(fund_view.edges)
    fund = elements.set_index("ID").loc["fund"]
    assert (fund["Label"], fund["Type"], fund["Tags"]) == ("Big Fund", "Company", "Investor")
    meta = elements.set_index("ID").loc["meta"]
    assert meta["aliases"] == "Facebook; FB"
    owns = connections[(connections.From == "fund") & (connections.To == "meta")].iloc[0]
    assert owns["sources"] == "https://example.org/13f; https://example.org/proxy"
    assert owns["economic_pct"] == "6.5"


def test_csv_imports_back_into_graphapp(named, tmp_path):
    from graphapp.io import pipeline

    view = exports.graph_view(named, include_sensitive=True)
    with zipfile.ZipFile(io.BytesIO(export_formats.kumu_zip(view))) as z:
        z.extractall(tmp_path)
    build(named, [])
    report = pipeline.import_files(named, [(tmp_path / n, n) for n in ("elements.csv",
                                                                       "connections.csv")])
    assert report.ok, report.problems
    again = exports.graph_view(named, include_sensitive=True)
    assert ids(again) == ids(view)
    assert edge_keys(again) == edge_keys(view)
    assert again.nodes["fund"]["labels"] == ["Company", "Investor"]
    assert again.nodes["zq"]["props"]["sensitive"] is True
    owns = next(e for e in again.edges if e["to"] == "meta" and e["type"] == "OWNS")
    assert owns["props"]["sources"] == ["https://example.org/13f", "https://example.org/proxy"]


def test_csv_guards_against_formula_injection(named):
    view = exports.entity_view(named, "evil", depth=1)
    with zipfile.ZipFile(io.BytesIO(export_formats.kumu_zip(view))) as z:
        elements = pd.read_csv(z.open("elements.csv"), dtype=str, keep_default_na=False)
    evil = elements.set_index("ID").loc["evil"]
    assert evil["Description"] == "'=HYPERLINK(\"http://evil.example\")"
    assert evil["Label"] == XSS
    for cell in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1"):
        assert export_formats.csv_cell(cell) == "'" + cell
    assert export_formats.csv_cell(-3) == -3  # numbers are numbers, not formulas
    assert export_formats.csv_cell("Meta") == "Meta"


def _png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


@pytest.mark.parametrize(("size", "pixels", "svg_size"), [
    ("a4", (3508, 2480), ("297mm", "210mm")),
    ("slide", (1920, 1080), ("1920px", "1080px")),
    ("square", (1080, 1080), ("1080px", "1080px")),
    ("social", (1080, 1350), ("1080px", "1350px")),
])
def test_png_and_svg_are_images_of_the_right_size(fund_view, size, pixels, svg_size):
    assert _png_size(export_formats.image(fund_view, "png", size)) == pixels
    svg = export_formats.image(fund_view, "svg", size)
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == svg_size


def test_images_escape_names_as_text(named):
    view = exports.entity_view(named, "evil", depth=1)
    svg = export_formats.image(view, "svg").decode("utf-8")
    ElementTree.fromstring(svg)  # still well-formed XML
    assert XSS not in svg and "<script" not in svg
    tricky = exports.View("graph", "$\\frac{1}{0}$ --> <b>", "50$ and 60$")
    ElementTree.fromstring(export_formats.image(tricky, "svg"))  # no mathtext error


def test_html_is_one_offline_file_with_legend_and_footer(fund_view):
    page = export_formats.html_page(fund_view)
    from graphapp.exports.diagram import external_references

    assert external_references(page) == []
    for remote in ("cdnjs", "jsdelivr", "bootstrap", "https://cdn", "//cdn"):
        assert remote not in page.lower()
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "vis-network" in page and "vis.Network" in page  # inlined from the pyvis package
    # the kinds in words, never vis-network's shape names ("(hexagon)", "(triangleDown)")
    assert 'class="gx-legend"' in page and "></i>Investor</span>" in page
    assert "(hexagon)" not in page and "<small>(" not in page
    assert "Exported " + fund_view.exported_on in page
    assert '<a href="https://example.org/13f" rel="noopener noreferrer">' in page
    assert "popup.innerHTML" not in page


def test_html_escapes_names_and_keeps_href_out_of_titles(named):
    view = exports.entity_view(named, "evil", depth=1, include_sensitive=True)
    view.nodes["evil"]["props"]["description"] = '<a href="https://x.example">click</a>'
    page = export_formats.html_page(view)
    assert XSS not in page  # JSON escapes < and > in the data; HTML escapes the text
    titles = [n["title"] for n in export_formats.network(view).nodes]
    assert all("href" not in t.lower() for t in titles)
    assert any("hr\u200bef" in t for t in titles)


def test_physics_settles_in_bounded_iterations():
    assert export_formats.physics_options(2000)["stabilization"]["iterations"] == 150
    assert export_formats.physics_options(50)["stabilization"]["iterations"] == 1000


# --- API, pages, CLI -----------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "mimetype"),
                         [(f, kind.mimetype) for f, kind in export_formats.REGISTRY.items()])
def test_api_export_sends_each_format(named, client, fmt, mimetype):
    response = client.get(f"/api/export?view=entity&id=meta&format={fmt}&size=square")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    ext = export_formats.REGISTRY[fmt].extension
    assert re.fullmatch(rf'attachment; filename="graphapp-entity-meta-\d{{4}}-\d\d-\d\d\.{ext}"',
                        response.headers["Content-Disposition"])


def test_api_export_escalation_and_investor(named, client):
    response = client.get("/api/export?view=escalation&harm=harm&format=json&kinds=investor")
    assert {n["id"] for n in response.get_json()["nodes"]} >= {"harm", "fund"}
    response = client.get("/api/export?view=investor&id=fund&format=json")
    assert {n["id"] for n in response.get_json()["nodes"]} == {"fund", "meta", "evil", "app",
                                                                "harm"}


@pytest.mark.parametrize(("query", "field"), [
    ("view=entity&id=meta&format=pdf", "format"),
    ("view=map&format=html", "view"),
    ("view=entity&format=html", "id"),
    ("view=escalation&format=html", "harm"),
    ("view=entity&id=meta&depth=4", "depth"),
    ("view=entity&id=meta&size=poster", "size"),
    ("view=graph&min_confidence=rumour", "min_confidence"),
    ("view=graph&as_of=2024-13", "as_of"),
    ("view=graph&labels=Dragon", "labels"),
    ("view=entity&id=a%20b", "id"),
    ("format=html", "view"),
])
def test_api_export_bad_parameters_are_400_naming_them(named, client, query, field):
    response = client.get(f"/api/export?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert field in body["message"] and field in body["errors"]["query"]


def test_api_export_unknown_id_is_404(named, client):
    for query in ("view=entity&id=nobody", "view=escalation&harm=nobody",
                  "view=investor&id=nobody", "view=company&id=nobody"):
        response = client.get(f"/api/export?{query}&format=json")
        assert response.status_code == 404, query
        assert "nobody" in response.get_json()["message"]


def test_api_export_redacts_unless_asked(named, client):
    redacted = client.get("/api/export?view=entity&id=meta-policy&format=json").get_data(True)
    assert SECRET not in redacted and "a contact in Meta's policy team" in redacted
    full = client.get("/api/export?view=entity&id=meta-policy&format=json"
                      "&include_sensitive=true").get_data(True)
    assert SECRET in full


def test_openapi_documents_the_export(client):
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/export"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names >= {"view", "format", "id", "harm", "depth", "size", "include_sensitive",
                     "labels", "countries", "min_confidence", "as_of"}
    view = next(p for p in operation["parameters"] if p["name"] == "view")
    assert view["required"] and view["schema"]["enum"] == list(exports.VIEWS)
    assert "image/png" in operation["responses"]["200"]["content"]


@pytest.mark.parametrize(("path", "view"), [
    ("/entities/meta", "entity"), ("/harms/harm", "escalation"),
    ("/companies/meta/leverage", "company"), ("/investors/fund/exposure", "investor"),
])
def test_every_graph_page_has_an_export_form(named, client, path, view):
    page = client.get(path).get_data(as_text=True)
    form = re.search(r'<form class="export".*?</form>', page, re.DOTALL)
    assert form, path
    assert f'name="view" value="{view}"' in form.group(0)
    assert 'name="include_sensitive" value="true"' in form.group(0)
    assert 'name="format"' in form.group(0) and 'name="size"' in form.group(0)


def test_page_export_downloads_and_errors_in_html(named, client):
    response = client.get("/export?view=escalation&harm=harm&format=csv&min_confidence=alleged"
                          "&kinds=investor&kinds=headquarters")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    response = client.get("/export?view=entity&id=meta&format=pdf")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "format" in response.get_data(as_text=True)


def test_cli_export_writes_the_file(graphapp_cli, named, neo4j_target, tmp_path):
    out = tmp_path / "meta.graphml"
    result = graphapp_cli(["export", "--view", "entity", "--id", "meta",
                           "--depth", "2", "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "meta" in nx.read_graphml(out).nodes
    # every image size the API and the pages offer, social (4:5 portrait) too
    png = tmp_path / "meta.png"
    result = graphapp_cli(["export", "--view", "entity", "--id", "meta", "--format", "png",
                           "--size", "social", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert _png_size(png.read_bytes()) == (1080, 1350)
    bad = graphapp_cli(["export", "--view", "entity", "--id", "nobody",
                        "-o", str(tmp_path / "x.html")])
    assert bad.exit_code == 1 and "No entity with id 'nobody'" in bad.output
    bad = graphapp_cli(["export", "--view", "escalation", "-o",
                        str(tmp_path / "x.html")])
    assert bad.exit_code == 1 and "harm" in bad.output
