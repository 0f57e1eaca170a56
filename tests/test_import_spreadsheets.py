"""Spreadsheets in: graphapp templates and Kumu sheets, row-level errors, all or nothing."""

import datetime as dt

from graphapp.io import templates
from tests.import_helpers import counts, node, problems, rels, run, write, write_xlsx

COMPANY_HEADER = ["id", "name", "aliases", "jurisdiction", "sources"]
OWNS_HEADER = ["from", "to", "economic_pct", "voting_pct", "confidence", "sources",
               "start_date", "as_of"]


def workbook(tmp_path, owns_rows, name="map.xlsx"):
    return write_xlsx(tmp_path / name, {
        "Company": [COMPANY_HEADER,
                    ["parent", "Parent SA", "Parent; Parent Group", "ES",
                     "https://example.org/parent"],
                    ["child", "Child SpA", None, "CL", None]],
        "OWNS": [OWNS_HEADER, *owns_rows],
    })


STAKE = ["parent", "child", 99.1, "51%", "confirmed", "https://example.org/report",
         "2019-04", "2023"]


# --- templates -------------------------------------------------------------------------------


def test_templates_have_a_sheet_per_label_and_type_with_the_schema_columns():
    assert [c.name for c in templates.columns_for("Company")][:2] == ["id", "name"]
    assert [c.name for c in templates.columns_for("OWNS")] == [
        "from", "to", "source_tiers", "derived", "method", "economic_pct", "voting_pct",
        "share_class", "pct_min", "pct_max", "interests", "direct_or_indirect",
        "beneficial_ownership", "confidence", "sources", "start_date", "end_date", "as_of",
        "note", "sensitive"]
    assert "title" not in [c.name for c in templates.columns_for("OWNS")]
    harm_type = next(c for c in templates.columns_for("Harm") if c.name == "harm_type")
    assert harm_type.required and "surveillance" in harm_type.allowed
    lines = templates.csv_bytes("HOLDS_ROLE").decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "from,to,source_tiers,derived,method,title,kind,interests,direct_or_indirect,"
        "beneficial_ownership,confidence,sources,start_date,end_date,as_of,note,sensitive")
    assert lines[1].startswith("# required: text; id of a Person")  # what each column takes
    assert len(lines) == 4  # and two example rows


def test_a_csv_template_with_its_examples_imports_and_its_guide_row_is_skipped(empty_graph,
                                                                               tmp_path):
    for sheet in ("Company", "Harm"):
        path = tmp_path / f"{sheet}.csv"
        path.write_bytes(templates.csv_bytes(sheet))
        report = run(empty_graph, path)
        assert report.ok, [p.message for p in report.problems]
        assert report.nodes_written == 2
    bad = tmp_path / "OWNS.csv"
    text = templates.csv_bytes("OWNS").decode("utf-8-sig").replace(",25,25,", ",250,25,")
    bad.write_text(text, encoding="utf-8")
    [problem, *_] = run(empty_graph, bad).problems
    assert problem.row == 3  # the row number in the sheet, counting the guide row


def test_the_empty_template_imports_as_nothing(empty_graph, tmp_path):
    path = tmp_path / "graphapp-template.xlsx"
    path.write_bytes(templates.workbook_bytes())
    report = run(empty_graph, path)
    assert report.ok and report.transactions == 0 and counts(empty_graph) == (0, 0)


def test_templates_command_writes_every_template(tmp_path):
    from click.testing import CliRunner

    from graphapp.commands.cli import cli

    out = CliRunner().invoke(cli, ["templates", str(tmp_path / "t")])
    assert out.exit_code == 0, out.output
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert "Company.csv" in names and "OWNS.csv" in names and "graphapp-template.xlsx" in names
    assert len(names) == 14 + 25 + 3  # labels, relationship types, 2 workbooks and a README


# --- a good workbook ---------------------------------------------------------------------------


def test_a_filled_workbook_writes_its_nodes_and_relationships_with_their_evidence(
        empty_graph, tmp_path):
    report = run(empty_graph, workbook(tmp_path, [STAKE]))
    assert report.ok, problems(report)
    assert counts(empty_graph) == (2, 1)
    assert node(empty_graph, "parent") == {
        "id": "parent", "name": "Parent SA", "aliases": ["Parent", "Parent Group"],
        "jurisdiction": "ES", "sources": ["https://example.org/parent"], "sensitive": False,
        "labels": ["Company"]}
    assert rels(empty_graph) == [{
        "from": "parent", "type": "OWNS", "to": "child", "economic_pct": 99.1,
        "voting_pct": 51.0, "confidence": "confirmed", "sources": ["https://example.org/report"],
        "start_date": "2019-04", "as_of": "2023", "sensitive": False}]


def test_importing_the_same_file_twice_leaves_the_same_counts(empty_graph, tmp_path):
    path = workbook(tmp_path, [STAKE])
    first = run(empty_graph, path)
    second = run(empty_graph, path)
    assert counts(empty_graph) == (2, 1)
    assert (first.plan.count("create"), second.plan.count("create")) == (2, 0)
    assert (second.plan.count("update"), second.plan.relationships_updated) == (2, 1)


def test_csv_files_are_named_after_their_label_or_type_and_read_together(empty_graph, tmp_path):
    companies = write(tmp_path / "Company.csv", "id,name,jurisdiction\nparent,Parent SA,ES\n"
                                                "child,Child SpA,CL\n")
    stakes = write(tmp_path / "OWNS-2023.csv", "from,to,economic_pct,confidence\n"
                                               "parent,child,60,reported\n")
    report = run(empty_graph, companies, stakes)
    assert report.ok, problems(report)
    assert [(r["from"], r["to"], r["economic_pct"]) for r in rels(empty_graph)] == [
        ("parent", "child", 60.0)]


def test_a_generic_sheet_takes_a_label_or_type_column(empty_graph, tmp_path):
    nodes = write(tmp_path / "nodes.csv", "label,id,name,harm_type,kind\n"
                                          "Company,acme,Acme,,\n"
                                          "Harm,leak,Data leak,privacy_breach,\n"
                                          "Regulator,dpa,DPA,,data_protection\n")
    edges = write(tmp_path / "edges.csv", "type,from,to,confidence,mechanism\n"
                                          "involves,leak,acme,reported,weak security\n")
    report = run(empty_graph, nodes, edges)
    assert report.ok, problems(report)
    assert counts(empty_graph) == (3, 1)
    assert rels(empty_graph)[0]["mechanism"] == "weak security"


def test_spreadsheet_dates_and_whole_numbers_keep_their_meaning(empty_graph, tmp_path):
    path = write_xlsx(tmp_path / "harms.xlsx", {"Harm": [
        ["id", "name", "harm_type", "started", "ended", "severity"],
        ["h", "Shutdown", "shutdown", dt.datetime(2021, 2, 1), 2022, 4.0]]})
    assert run(empty_graph, path).ok
    got = node(empty_graph, "h")
    assert (got["started"], got["ended"], got["severity"]) == ("2021-02-01", "2022", 4)


def test_a_relationship_may_point_at_a_node_already_in_the_graph(empty_graph, tmp_path):
    run(empty_graph, workbook(tmp_path, []))
    stakes = write(tmp_path / "OWNS.csv", "from,to,economic_pct,confidence\n"
                                          "parent,child,10,alleged\n")
    assert run(empty_graph, stakes).ok
    assert counts(empty_graph) == (2, 1)


def test_a_windows_1252_csv_is_read(empty_graph, tmp_path):
    path = write(tmp_path / "Company.csv", "id,name\ntelefonica,Telefónica S.A.\n", "cp1252")
    assert run(empty_graph, path).ok
    assert node(empty_graph, "telefonica")["name"] == "Telefónica S.A."


# --- Kumu ----------------------------------------------------------------------------------------


def test_kumu_elements_and_connections_become_nodes_and_relationships(empty_graph, tmp_path):
    path = write_xlsx(tmp_path / "kumu.xlsx", {
        "Elements": [["Label", "Type", "Description", "Tags", "Website"],
                     ["Big Fund", "Company", "An asset manager", "Investor|US", None],
                     ["Meta Platforms", "company", None, None, "https://meta.com"],
                     ["Jane Doe", "Person", None, "sensitive", None]],
        "Connections": [["From", "To", "Type", "Description"],
                        ["Big Fund", "Meta Platforms", "owns", "13F filing"],
                        ["Jane Doe", "Meta Platforms", "Holds Role", None]],
    })
    report = run(empty_graph, path)
    assert report.ok, problems(report)
    assert node(empty_graph, "big-fund") == {
        "id": "big-fund", "name": "Big Fund", "labels": ["Company", "Investor"],
        "description": "An asset manager\n\nTags: US", "aliases": [], "sources": [],
        "sensitive": False}
    assert node(empty_graph, "meta-platforms")["website"] == "https://meta.com"
    assert node(empty_graph, "jane-doe")["sensitive"] is True
    assert [(r["from"], r["type"], r["to"], r["confidence"], r.get("note"))
            for r in rels(empty_graph)] == [
        ("big-fund", "OWNS", "meta-platforms", "alleged", "13F filing"),
        ("jane-doe", "HOLDS_ROLE", "meta-platforms", "alleged", None)]
    assert report.notes == ["kumu.xlsx, sheet Connections: 2 connection(s) without a "
                            "confidence were imported as 'alleged'."]


def test_kumu_csv_exports_import_as_a_pair_of_files(empty_graph, tmp_path):
    elements = write(tmp_path / "project-elements.csv",
                     "Label,Type\nAcme Holdings,Company\nAcme Myanmar,Company\n")
    connections = write(tmp_path / "project-connections.csv",
                        "From,To,Type,confidence\nAcme Holdings,Acme Myanmar,OWNS,reported\n")
    report = run(empty_graph, elements, connections)
    assert report.ok, problems(report)
    assert [(r["from"], r["to"], r["confidence"]) for r in rels(empty_graph)] == [
        ("acme-holdings", "acme-myanmar", "reported")]


# --- bad files ---------------------------------------------------------------------------------


def test_wrong_columns_are_reported_on_the_header_row_and_nothing_is_written(
        empty_graph, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", {
        "Company": [["id", "name", "colour"], ["a", "A", "red"]],
        "Person": [["id", "nationality"], ["p", "FR"]],
    })
    report = run(empty_graph, path)
    assert problems(report) == [
        ("bad.xlsx", "Company", 1, "colour",
         "unknown column for Company sheets; the columns are: id, name, aliases, description, "
         "jurisdiction, lei, registration_number, wikidata_id, ticker, sector, website, "
         "sources, sensitive, extra_labels, investor_type."),
        ("bad.xlsx", "Person", 1, "name", "missing column 'name', which Person sheets require."),
    ]
    assert counts(empty_graph) == (0, 0)


def test_bad_dates_percentages_over_100_and_unknown_values_name_row_and_column(
        empty_graph, tmp_path):
    path = workbook(tmp_path, [
        STAKE,
        ["parent", "child", 120, None, "reported", None, "2019-13", None],
        ["parent", "ghost", 10, None, "sure", None, "2019", None],
        ["child", "nobody", 10, None, "reported", "not a url", None, None],
    ])
    report = run(empty_graph, path)
    assert problems(report) == [
        ("map.xlsx", "OWNS", 3, "economic_pct",
         "Must be greater than or equal to 0 and less than or equal to 100."),
        ("map.xlsx", "OWNS", 3, "start_date", "'2019-13' is not a real date."),
        ("map.xlsx", "OWNS", 4, "confidence", "Must be one of: confirmed, reported, alleged."),
        ("map.xlsx", "OWNS", 5, "sources", "Not a valid URL."),
    ]
    assert "nothing was written" in report.summary()
    assert counts(empty_graph) == (0, 0)


def test_unknown_kinds_and_types_are_errors(empty_graph, tmp_path):
    path = write_xlsx(tmp_path / "kumu.xlsx", {
        "Elements": [["Label", "Type"], ["Acme", "Company"], ["Thing", "Spaceship"]],
        "Connections": [["From", "To", "Type"], ["Acme", "Acme", "befriends"]],
    })
    report = run(empty_graph, path)
    assert problems(report) == [
        ("kumu.xlsx", "Connections", 2, "Type",
         "'befriends' is not a relationship type graphapp knows; use one of: OWNS, CONTROLS, "
         "HOLDS_INDIRECTLY, PARTY_TO, INCORPORATED_IN, HEADQUARTERED_IN, OPERATES_IN, PART_OF, "
         "REPORTS_TO, HOLDS_ROLE, "
         "OPERATES, RESPONSIBLE_FOR, AVAILABLE_IN, INVOLVES, OCCURRED_IN, "
         "HAS_JURISDICTION_OVER, OVERSEES, MEMBER_OF, DOCUMENTED, HAS_CONTACT, BY, TO, ABOUT, "
         "MADE_BY, IN_RESPONSE_TO."),
        ("kumu.xlsx", "Elements", 3, "Type",
         "'Spaceship' is not a kind graphapp knows; use one of: Company, Person, Team, Product, "
         "Regulator, Forum, Organization, Harm, Country, Engagement, Commitment, Arrangement, "
         "State, Undisclosed."),
    ]
    assert counts(empty_graph) == (0, 0)


def test_a_relationship_the_model_does_not_allow_is_an_error(empty_graph, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {
        "Person": [["id", "name"], ["p", "P"]],
        "Product": [["id", "name"], ["app", "App"]],
        "OWNS": [["from", "to", "confidence"], ["p", "app", "reported"]],
    })
    assert problems(run(empty_graph, path)) == [
        ("m.xlsx", "OWNS", 2, "type",
         "OWNS goes from Company/Person/Arrangement/State/Undisclosed to "
         "Company/Arrangement/State/Undisclosed, not from Person to Product.")]


def test_a_sheet_graphapp_cannot_read_is_a_clear_error(empty_graph, tmp_path):
    notes = write(tmp_path / "notes.csv", "when,what\n2020,met\n")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    report = run(empty_graph, notes, broken)
    assert [(p.file, p.row) for p in report.problems] == [("broken.xlsx", None),
                                                          ("notes.csv", 1)]
    assert report.problems[0].message.startswith("not a readable XLSX workbook")
    assert report.problems[1].message.startswith("cannot tell what this sheet holds")


# --- skip invalid, dry run -------------------------------------------------------------------


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(empty_graph, tmp_path):
    path = workbook(tmp_path, [STAKE, ["child", "ghost", 5, None, "reported", None, None,
                                       None]])
    report = run(empty_graph, path, skip_invalid=True)
    assert report.ok and report.problems == []
    assert [(p.row, p.column, p.message) for p in report.skipped] == [
        (3, "to", "no node with id 'ghost'.")]
    assert counts(empty_graph) == (2, 1)


def test_a_dry_run_lists_the_plan_and_writes_nothing(empty_graph, tmp_path):
    report = run(empty_graph, workbook(tmp_path, [STAKE]), dry_run=True)
    assert [str(a) for a in report.plan.actions] == [
        "create  Company 'parent' (Parent SA)", "create  Company 'child' (Child SpA)"]
    assert report.plan.relationships_created == 1
    assert report.summary().startswith("Dry run, nothing written: 2 node(s) to create")
    assert counts(empty_graph) == (0, 0)


def test_graphapps_own_kumu_csv_export_imports_back(graphapp_cli, empty_graph, tmp_path):
    """`graphapp export --format csv` says its elements.csv and connections.csv import back."""
    import zipfile


    path = workbook(tmp_path, [STAKE])
    run(empty_graph, path)
    before = (counts(empty_graph), rels(empty_graph))
    out = graphapp_cli(["export", "--view", "graph", "--format", "csv",
                        "--output", str(tmp_path / "kumu.zip")])
    assert out.exit_code == 0, out.output
    zipfile.ZipFile(tmp_path / "kumu.zip").extractall(tmp_path / "kumu")
    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, tmp_path / "kumu" / "elements.csv",
                 tmp_path / "kumu" / "connections.csv")
    assert report.ok, problems(report)
    assert (counts(empty_graph), rels(empty_graph)) == before
