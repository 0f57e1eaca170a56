"""The import pipeline: format detection, entity matching, the CLI and the shared write query."""

import json
import time

from graphapp.io import matching, pipeline
from graphapp.store import model
from graphapp.store.cypher import Queries
from tests.import_helpers import counts, node, problems, rels, run, write

# --- format detection (pure) ---------------------------------------------------------------------


def test_formats_are_told_by_extension_and_content(tmp_path):
    cases = {
        "a.csv": "id,name\n", "scores.csv": "Index,Company,Score\n2022,X,1\n",
        "b.json": '[{"statementId": "x"}]', "c.jsonl": '{"id": "x", "schema": "Company", '
                                                       '"properties": {}}\n',
        "d.xml": '<?xml version="1.0"?><lei:LEIData xmlns:lei="x">',
        "e.json": '[{"statementID": "x", "statementType": "entityStatement"}]',
    }
    found = {name: pipeline.detect_format(write(tmp_path / name, text))
             for name, text in cases.items()}
    assert found == {"a.csv": "csv", "scores.csv": "rdr", "b.json": "bods", "c.jsonl": "ftm",
                     "d.xml": "gleif", "e.json": "bods"}


def test_a_wrong_file_type_is_a_clear_error(empty_graph, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01binary")
    other_xml = write(tmp_path / "feed.xml", "<rss><channel/></rss>")
    json_file = write(tmp_path / "data.json", '{"hello": "world"}')
    report = run(empty_graph, pdf, other_xml, json_file)
    assert [(p.file, p.message) for p in report.problems] == [
        ("data.json", "data.json is JSON but neither BODS statements (statementId) nor "
                      "FollowTheMoney entities (schema, properties)."),
        ("feed.xml", "feed.xml is XML but not GLEIF LEI-CDF, RR-CDF or reporting exceptions: "
                     "graphapp imports GLEIF Level 1 (LEIData) and Level 2 (RelationshipData, "
                     "ReportingExceptionData) XML."),
        ("report.pdf", "report.pdf is a binary file graphapp cannot import: graphapp imports "
                       "CSV or XLSX spreadsheets (.csv, .xlsx), BODS or FollowTheMoney JSON "
                       "(.json, .jsonl) and GLEIF XML (.xml)."),
    ]
    assert counts(empty_graph) == (0, 0)


# --- matching ----------------------------------------------------------------------------------


def test_names_are_normalised_for_matching():
    assert matching.normalise_name("Meta Platforms, Inc.") == "meta platforms"
    assert matching.normalise_name("Telefónica S.A.") == "telefonica"
    assert matching.normalise_name("The Coca-Cola Company") == "coca cola"
    assert matching.normalise_name("AT&T Inc.") == "at and t"
    assert matching.normalise_name("Limited") == "limited"
    assert matching.normalise_register("GB-COH:07 444 723") == "07444723"


GRAPH_COMPANY = "id,name,jurisdiction,lei,wikidata_id\n" \
                "meta,\"Meta Platforms, Inc.\",US,BQ4BKCS1HXDV9HN80Z93,Q380\n"


def test_possible_same_people_are_found_by_name_lookup_not_by_comparing_every_pair():
    """A register import of 60k people ended in hours: each new person was compared with every
    earlier one (quadratic). The pairs are the same; the work grows with the number of people."""
    people = [{"label": "Person", "id": f"p{i}", "name": f"Person {i}"} for i in range(60_000)]
    people += [{"label": "Person", "id": "a1", "name": "Ana Pérez"},
               {"label": "Person", "id": "a2", "name": "ANA PEREZ", "birth_date": "1970"},
               {"label": "Person", "id": "a3", "name": "A. Other", "aliases": ["Ana Perez"]}]
    start = time.monotonic()
    _, plan = matching.resolve(None, matching.records.Records(people, []))
    assert time.monotonic() - start < 30  # quadratic: about 1.8 billion name comparisons
    assert [(p["id"], p["other_id"], p["why_not_merged"]) for p in plan.possible] == [
        ("a2", "a1", "same name, but no shared identifier or date of birth"),
        ("a3", "a1", "same name, but no shared identifier or date of birth"),
        ("a3", "a2", "same name, but no shared identifier or date of birth"),
    ]


def test_a_shared_lei_makes_one_node_that_keeps_its_curated_values(empty_graph, tmp_path):
    run(empty_graph, write(tmp_path / "Company.csv", GRAPH_COMPANY))
    incoming = write(tmp_path / "other.csv",
                     "label,id,name,lei,sector,sources\n"
                     "Company,fb,Facebook Inc,BQ4BKCS1HXDV9HN80Z93,social media,"
                     "https://example.org/fb\n")
    report = run(empty_graph, incoming)
    assert [str(a) for a in report.plan.actions] == [
        "merge   Company 'fb' (Facebook Inc) into 'meta': the graph's node has the same LEI "
        "BQ4BKCS1HXDV9HN80Z93"]
    meta = node(empty_graph, "meta")
    assert (meta["name"], meta["aliases"], meta["sector"], meta["sources"]) == (
        "Meta Platforms, Inc.", ["Facebook Inc"], "social media", ["https://example.org/fb"])
    assert counts(empty_graph) == (1, 0)


def test_a_shared_wikidata_id_or_name_in_the_same_country_makes_one_node(empty_graph, tmp_path):
    run(empty_graph, write(tmp_path / "Company.csv", GRAPH_COMPANY))
    incoming = write(tmp_path / "more.csv", "label,id,name,jurisdiction,wikidata_id\n"
                                            "Company,m1,Meta,,Q380\n"
                                            "Company,m2,META PLATFORMS INC,US,\n"
                                            "Company,m3,Meta Platforms Ltd,IE,\n")
    report = run(empty_graph, incoming)
    assert [(a.kind, a.incoming_id or a.id, a.id, a.reason) for a in report.plan.actions] == [
        ("merge", "m1", "meta", "the graph's node has the same Wikidata id Q380"),
        ("merge", "m2", "meta",
         "the graph's node has the same name ('meta platforms') in US"),
        ("create", "m3", "m3", ""),  # same name, another country: another company
    ]
    assert counts(empty_graph) == (2, 0)


def test_records_of_one_import_that_share_an_identifier_become_one_node(empty_graph, tmp_path):
    sheet = write(tmp_path / "c.csv", "label,id,name,jurisdiction,registration_number\n"
                                      "Company,a1,Acme Ltd,GB,01234567\n"
                                      "Company,a2,ACME LIMITED,GB,0123 4567\n")
    edges = write(tmp_path / "e.csv", "type,from,to,confidence\n"
                                      "OWNS,a2,b,reported\n")
    other = write(tmp_path / "Company.csv", "id,name\nb,B\n")
    report = run(empty_graph, sheet, edges, other)
    merge = next(a for a in report.plan.actions if a.kind == "merge")
    assert (merge.incoming_id, merge.id, merge.reason) == (
        "a2", "a1", "another record in this import has the same register number 01234567 in GB")
    assert [(r["from"], r["to"]) for r in rels(empty_graph)] == [("a1", "b")]
    assert node(empty_graph, "a1")["aliases"] == ["ACME LIMITED"]


def test_different_leis_never_match_even_with_the_same_name(empty_graph, tmp_path):
    sheet = write(tmp_path / "c.csv", "label,id,name,jurisdiction,lei\n"
                                      "Company,x1,Acme,US,5493000000000000AC01\n"
                                      "Company,x2,Acme,US,5493000000000000AC02\n")
    assert run(empty_graph, sheet).plan.count("merge") == 0
    assert counts(empty_graph) == (2, 0)


def test_the_dry_run_command_lists_creates_and_merges_before_writing(graphapp_cli, empty_graph,
                                                                    tmp_path):
    run(empty_graph, write(tmp_path / "Company.csv", GRAPH_COMPANY))
    incoming = write(tmp_path / "more.csv", "label,id,name,jurisdiction,wikidata_id\n"
                                            "Company,m1,Meta,,Q380\nCompany,n,New Co,FR,\n")
    out = graphapp_cli(["import", "--dry-run", str(incoming)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        "  merge   Company 'm1' (Meta) into 'meta': the graph's node has the same Wikidata id "
        "Q380",
        "  create  Company 'n' (New Co)",
        "Dry run, nothing written: 1 node(s) to create, 0 to update, 1 to merge into another; "
        "0 relationship(s) to create, 0 to update.",
    ]
    assert counts(empty_graph) == (1, 0)


def test_the_import_command_reports_problems_and_exits_1(graphapp_cli, empty_graph, tmp_path):
    bad = write(tmp_path / "OWNS.csv", "from,to,confidence\na,b,sure\n")
    out = graphapp_cli(["import", "--json", str(bad)])
    assert out.exit_code == 1
    body = json.loads(out.output)
    assert body["problems"] == [{"file": "OWNS.csv", "sheet": None, "row": 2,
                                 "column": "confidence",
                                 "message": "Must be one of: confirmed, reported, alleged."}]
    assert body["written"]["transactions"] == 0


# --- the write query ---------------------------------------------------------------------------


def test_there_is_one_write_query_per_relationship_type_differing_only_in_the_type():
    queries = Queries()
    template = queries["records.upsert_owns"].text
    assert ":OWNS {key: row.key}" in template
    for rel_type in model.REL_TYPES:
        assert queries[f"records.upsert_{rel_type.lower()}"].text == template.replace(
            ":OWNS {", f":{rel_type} {{")
    per_type = {f"records.upsert_{t.lower()}" for t in model.REL_TYPES}
    assert {n for n in queries.names() if n.startswith("records.upsert_")} == per_type | {
        "records.upsert_nodes", "records.upsert_relationships"}


def test_the_static_type_query_writes_what_the_shared_one_writes(empty_graph, tmp_path):
    sheet = write(tmp_path / "nodes.csv", "label,id,name,harm_type\nCompany,a,A,\n"
                                          "Company,b,B,\nHarm,h,H,censorship\n")
    edges = write(tmp_path / "edges.csv", "type,from,to,confidence,economic_pct,start_date\n"
                                          "OWNS,a,b,reported,10,2020\n"
                                          "OWNS,a,b,reported,20,2021\n"
                                          "INVOLVES,h,a,alleged,,\n")
    assert run(empty_graph, sheet, edges).ok
    assert [(r["type"], r.get("economic_pct")) for r in rels(empty_graph)] == [
        ("OWNS", 10.0), ("OWNS", 20.0), ("INVOLVES", None)]
    assert problems(run(empty_graph, sheet, edges)) == [] and counts(empty_graph) == (3, 3)


def test_docs_import_md_has_the_current_template_reference():
    from pathlib import Path

    from graphapp.io import templates

    docs = (Path(__file__).parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
    assert templates.guide_markdown() in docs


# --- relationships checked in chunks while the ones before are written --------------------------


def test_a_problem_in_the_last_chunk_leaves_nothing_written(empty_graph, tmp_path, monkeypatch):
    """The first chunks are already in the transaction when the last row turns out bad: it
    rolls back, and every problem is still reported with its row."""
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    companies = write(tmp_path / "Company.csv", "id,name\n" + "".join(
        f"c{i},C {i}\n" for i in range(6)))
    owns = write(tmp_path / "OWNS.csv", "from,to,confidence\n" + "".join(
        f"c{i},c{i + 1},reported\n" for i in range(5)) + "c5,nowhere,reported\n")
    report = run(empty_graph, companies, owns)
    assert [str(p) for p in report.problems] == [
        "OWNS.csv, row 7, column to: no node with id 'nowhere'."]
    assert (report.written, counts(empty_graph)) == (False, (0, 0))
    assert run(empty_graph, companies, owns, skip_invalid=True).relationships_written == 5
    assert counts(empty_graph) == (6, 5)


def test_relationships_that_meet_after_matching_become_one_across_chunks(
        empty_graph, tmp_path, monkeypatch):
    """a2 is a1 (same register number): its OWNS, in a later chunk than a1's, folds into a1's
    (the earlier one's values first, gaps filled, sources unioned), written once."""
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 1)
    sheet = write(tmp_path / "c.csv", "label,id,name,jurisdiction,registration_number\n"
                                      "Company,a1,Acme Ltd,GB,01234567\n"
                                      "Company,a2,ACME LIMITED,GB,0123 4567\n"
                                      "Company,b,B,,\n")
    edges = write(tmp_path / "OWNS.csv",
                  "from,to,confidence,economic_pct,sources\n"
                  "a1,b,reported,,https://example.org/one\n"
                  "b,a1,reported,5,\n"
                  "a2,b,confirmed,30,https://example.org/two\n")
    report = run(empty_graph, sheet, edges)
    assert report.ok and (report.plan.relationships_created, report.relationships_written) == (2, 2)
    by_end = {(r["from"], r["to"]): r for r in rels(empty_graph)}
    assert set(by_end) == {("a1", "b"), ("b", "a1")}
    assert (by_end["a1", "b"]["confidence"], by_end["a1", "b"]["economic_pct"],
            by_end["a1", "b"]["sources"]) == (
        "reported", 30.0, ["https://example.org/one", "https://example.org/two"])
    again = run(empty_graph, sheet, edges)
    assert (again.plan.relationships_created, again.plan.relationships_updated) == (0, 2)
    assert counts(empty_graph) == (2, 2)


def test_files_read_in_worker_processes_import_the_same_and_name_the_same_rows(
        empty_graph, tmp_path, monkeypatch):
    """Large imports read their files several at once in worker processes: the same graph,
    the same problems with their files and rows, in the files' order."""
    companies = write(tmp_path / "Company.csv", "id,name\na,A\nb,B\nc,C\n")
    owns = write(tmp_path / "OWNS.csv", "from,to,confidence\na,b,reported\nb,c,sure\n")
    files = [(companies, "Company.csv", "csv"), (owns, "OWNS.csv", "csv")]
    in_process = [(b.nodes, b.relationships, b.locations) for b in pipeline.read_files(files)]
    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    in_workers = [(b.nodes, b.relationships, b.locations) for b in pipeline.read_files(files)]
    assert in_workers == in_process
    report = run(empty_graph, companies, owns)
    assert [str(p) for p in report.problems] == [
        "OWNS.csv, row 3, column confidence: Must be one of: confirmed, reported, alleged."]
    fixed = write(tmp_path / "OWNS.csv", "from,to,confidence\na,b,reported\nb,c,alleged\n")
    assert run(empty_graph, companies, fixed).ok
    assert counts(empty_graph) == (3, 2)
