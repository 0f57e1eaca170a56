"""FollowTheMoney in and out, and Ranking Digital Rights scores on company pages."""

import json
from pathlib import Path

from graphapp.io import ftm
from tests.graphs import build
from tests.import_helpers import counts, node, problems, rels, run, write

RDR = Path(__file__).parent / "fixtures" / "rdr" / "2022-totals.csv"


def lines(*entities) -> str:
    return "\n".join(json.dumps(e) for e in entities) + "\n"


META = {"id": "meta", "schema": "Company", "properties": {
    "name": ["Meta Platforms, Inc.", "Meta"], "alias": ["Facebook"], "jurisdiction": ["us"],
    "leiCode": ["BQ4BKCS1HXDV9HN80Z93"], "sourceUrl": ["https://www.sec.gov/"]}}
ZUCK = {"id": "zuck", "schema": "Person", "properties": {
    "name": ["Mark Zuckerberg"], "nationality": ["us"], "wikidataId": ["Q36215"]}}
ACCESS = {"id": "access", "schema": "Organization", "properties": {
    "name": ["Access Now"], "classification": ["digital rights"]}}
LINKS = [
    {"id": "o1", "schema": "Ownership", "properties": {
        "owner": ["zuck"], "asset": ["meta"], "percentage": ["13.5%"], "startDate": ["2012"],
        "sourceUrl": ["https://www.sec.gov/proxy"], "summary": ["confidence: confirmed"]}},
    {"id": "d1", "schema": "Directorship", "properties": {
        "director": ["zuck"], "organization": ["meta"], "role": ["Chairman"],
        "startDate": ["2004-07"]}},
    {"id": "e1", "schema": "Employment", "properties": {
        "employee": ["zuck"], "employer": ["meta"], "role": ["Chief Executive Officer"]}},
]


def test_ftm_entities_become_nodes_and_relationships(empty_graph, tmp_path):
    report = run(empty_graph, write(tmp_path / "meta.ftm.jsonl",
                                    lines(META, ZUCK, ACCESS, *LINKS)))
    assert report.ok, problems(report)
    assert counts(empty_graph) == (3, 3)
    meta = node(empty_graph, "meta")
    assert (meta["name"], meta["aliases"], meta["jurisdiction"], meta["lei"]) == (
        "Meta Platforms, Inc.", ["Meta", "Facebook"], "US", "BQ4BKCS1HXDV9HN80Z93")
    assert node(empty_graph, "access")["kind"] == "digital rights"
    assert [(r["type"], r.get("economic_pct"), r.get("title"), r.get("kind"), r["confidence"],
             r.get("start_date")) for r in rels(empty_graph)] == [
        ("HOLDS_ROLE", None, "Chairman", "board", "reported", "2004-07"),
        ("HOLDS_ROLE", None, "Chief Executive Officer", "executive", "reported", None),
        ("OWNS", 13.5, None, None, "confirmed", "2012"),
    ]


def test_unknown_schemas_and_malformed_lines_are_errors(empty_graph, tmp_path):
    text = lines(META, {"id": "s1", "schema": "Sanction", "properties": {}}) + "{not json\n"
    report = run(empty_graph, write(tmp_path / "bad.jsonl", text))
    assert problems(report) == [
        ("bad.jsonl", None, 2, "schema",
         "schema 'Sanction' is not one graphapp imports; it takes Company, Person, "
         "Organization, PublicBody, LegalEntity, Ownership, Directorship, Employment, "
         "Membership, UnknownLink."),
        ("bad.jsonl", None, 3, None,
         "not valid JSON: Expecting property name enclosed in double quotes (column 2)."),
    ]
    assert counts(empty_graph) == (0, 0)


def test_an_ownership_over_100_percent_names_the_ftm_property(empty_graph, tmp_path):
    over = {**LINKS[0], "properties": {**LINKS[0]["properties"], "percentage": ["130"]}}
    report = run(empty_graph, write(tmp_path / "o.jsonl", lines(META, ZUCK, over)))
    assert problems(report) == [
        ("o.jsonl", None, 3, "percentage",
         "Must be greater than or equal to 0 and less than or equal to 100.")]


def test_export_then_import_gives_the_same_graph(empty_graph, tmp_path):
    build(empty_graph, [
        {"label": "Company", "id": "parent", "name": "Parent SA", "jurisdiction": "ES"},
        {"label": "Company", "id": "child", "name": "Child SpA"},
        {"label": "Person", "id": "ceo", "name": "C. E. O."},
        {"label": "Forum", "id": "gni", "name": "GNI", "kind": "multi_stakeholder_initiative"},
        {"label": "Person", "id": "secret", "name": "Private Person", "sensitive": True},
        {"label": "Harm", "id": "h", "name": "H", "harm_type": "censorship"},
    ], [
        {"type": "OWNS", "from": "parent", "to": "child", "economic_pct": 60.0,
         "voting_pct": 75.0, "start_date": "2019", "as_of": "2024", "note": "annual report"},
        {"type": "CONTROLS", "from": "parent", "to": "child", "means": "golden share"},
        {"type": "HOLDS_ROLE", "from": "ceo", "to": "child", "title": "CEO",
         "kind": "executive"},
        {"type": "MEMBER_OF", "from": "parent", "to": "gni"},
        {"type": "HOLDS_ROLE", "from": "secret", "to": "child", "title": "Director",
         "kind": "board"},
    ])
    exported = list(ftm.export_lines(empty_graph))
    assert len(exported) == 4 + 4  # no Harm, no sensitive person (nor her role)
    before = sorted((r["from"], r["type"], r["to"], r.get("economic_pct"), r.get("voting_pct"),
                     r.get("means"), r.get("title"), r.get("kind"), r.get("start_date"),
                     r.get("as_of"), r.get("note"), r["confidence"], tuple(r["sources"]))
                    for r in rels(empty_graph) if r["from"] != "secret")
    path = write(tmp_path / "export.jsonl", "\n".join(exported) + "\n")
    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, path)
    assert report.ok, problems(report)
    after = sorted((r["from"], r["type"], r["to"], r.get("economic_pct"), r.get("voting_pct"),
                    r.get("means"), r.get("title"), r.get("kind"), r.get("start_date"),
                    r.get("as_of"), r.get("note"), r["confidence"], tuple(r["sources"]))
                   for r in rels(empty_graph))
    assert after == before
    assert node(empty_graph, "gni")["labels"] == ["Organization"]  # FtM has no forums


def test_export_ftm_command_writes_json_lines(graphapp_cli, empty_graph, tmp_path):
    run(empty_graph, write(tmp_path / "in.jsonl", lines(META, ZUCK, *LINKS)))
    out = graphapp_cli(["export-ftm", str(tmp_path / "out.jsonl")])
    assert out.exit_code == 0, out.output
    schemas = sorted(json.loads(line)["schema"]
                     for line in (tmp_path / "out.jsonl").read_text().splitlines())
    assert schemas == ["Company", "Directorship", "Employment", "Ownership", "Person"]


# --- Ranking Digital Rights ----------------------------------------------------------------------


def test_rdr_scores_are_stored_by_year_on_the_matching_company(empty_graph, tmp_path):
    build(empty_graph, [{"label": "Company", "id": "meta", "name": "Meta Platforms, Inc.",
                         "aliases": ["Facebook"]}])
    report = run(empty_graph, RDR)
    assert report.ok and report.scores_written == 28
    meta = node(empty_graph, "meta")
    assert (meta["rdr_score_2020"], meta["rdr_score_2022"]) == (45, 46)
    assert meta["rdr_source_2022"] == "https://rankingdigitalrights.org/index2022/"
    assert counts(empty_graph) == (14, 0)  # 13 companies new, Facebook found by its alias
    assert node(empty_graph, "twitter")["rdr_score_2022"] == 56


def test_rdr_import_twice_changes_nothing(empty_graph):
    run(empty_graph, RDR)
    report = run(empty_graph, RDR)
    assert report.plan.count("create") == 0 and counts(empty_graph) == (14, 0)


def test_rdr_scores_show_on_the_company_page(empty_graph, client):
    run(empty_graph, RDR)
    page = client.get("/entities/google").get_data(as_text=True)
    assert "Ranking Digital Rights scores" in page
    rows = page[page.index("Ranking Digital Rights scores"):]
    assert rows.index(">2022<") < rows.index(">47<") < rows.index(">2020<") < rows.index(">48<")


def test_a_bad_rdr_row_names_its_column(empty_graph, tmp_path):
    path = write(tmp_path / "scores.csv", "Index,Company,Score\n2022,Acme,101\n20x,Beta,5\n")
    assert problems(run(empty_graph, path)) == [
        ("scores.csv", None, 2, "Score",
         "Must be greater than or equal to 0 and less than or equal to 100."),
        ("scores.csv", None, 3, "Index", "Not a valid integer."),
    ]
    assert counts(empty_graph) == (0, 0)
