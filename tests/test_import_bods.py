"""BODS in and out: nodes, edges, roles and control from the standard's examples and small
documents; identifiers kept; 0.2 read like 0.4; the export valid against the BODS schema.

(The stakes and their look-through are specified in tests/test_leverage.py.)
"""

import json
from pathlib import Path

from graphapp.io import bods_export
from graphapp.io import bods_import as bods
from tests.import_helpers import counts, node, problems, rels, run, write

FIXTURES = Path(__file__).parent / "fixtures" / "bods"
PUBLICATION = {"publicationDate": "2024-01-02", "bodsVersion": "0.4",
               "publisher": {"name": "Test register"}}


def kinds(graph):
    return sorted((n["labels"][0], n["name"]) for n in (
        node(graph, r["id"]) for r in graph.driver.execute_query(
            "MATCH (n:Entity) RETURN n.id AS id").records))


def test_the_indirect_chain_gives_its_three_records_and_two_hops(empty_graph):
    report = run(empty_graph, FIXTURES / "indirect-ownership.json")
    assert report.ok, problems(report)
    assert counts(empty_graph) == (3, 3)
    assert kinds(empty_graph) == [("Company", "Company A"), ("Company", "Company B"),
                                  ("Person", "Person 1")]
    assert [(r["from"], r["type"], r["to"]) for r in rels(empty_graph)] == [
        # the register's own statement: Person 1 holds 30% of Company A, through Company B
        ("bods:c25d4d612c2c", "HOLDS_INDIRECTLY", "bods:ad3f6c2fcc9e"),
        ("bods:c25d4d612c2c", "OWNS", "bods:d4ab89ea169a"),  # Person 1 -> Company B
        ("bods:d4ab89ea169a", "OWNS", "bods:ad3f6c2fcc9e"),  # Company B -> Company A
    ]
    [declared] = rels(empty_graph, "HOLDS_INDIRECTLY")
    assert (declared["economic_pct"], declared["via"], declared["direct_or_indirect"]) == (
        30.0, ["bods:d4ab89ea169a"], "indirect")


def test_identifiers_and_people_are_kept_as_the_documents_state_them(empty_graph):
    run(empty_graph, FIXTURES / "indirect-ownership.json")
    company_a = node(empty_graph, "bods:ad3f6c2fcc9e")
    assert (company_a["registration_number"], company_a["jurisdiction"]) == ("GB-COH:XE9999",
                                                                              "GB")
    person = node(empty_graph, "bods:c25d4d612c2c")
    assert (person["nationality"], person["sensitive"]) == ("GB", True)


def test_joint_ownership_gives_the_arrangement_between_the_owners_and_the_company(empty_graph):
    assert run(empty_graph, FIXTURES / "joint-ownership.json").ok
    assert counts(empty_graph) == (4, 3)
    assert kinds(empty_graph) == [("Arrangement", "Joint shareholding"), ("Company", "CHRINON LTD"),
                                  ("Person", "Natalie Coleman"), ("Person", "Roberto Lopez")]
    chrinon = node(empty_graph, "bods:31c55e425764")
    assert (chrinon["registration_number"], chrinon["jurisdiction"]) == ("GB-COH:07444723",
                                                                         "GB")
    assert sorted((r["from"], r["to"]) for r in rels(empty_graph, "OWNS")) == [
        ("bods:1accb8b18b99", "bods:91b4236a7d89"), ("bods:91b4236a7d89", "bods:31c55e425764"),
        ("bods:f040df24d9ec", "bods:91b4236a7d89")]


def test_importing_a_bods_file_twice_leaves_the_same_counts(empty_graph):
    run(empty_graph, FIXTURES / "joint-ownership.json")
    report = run(empty_graph, FIXTURES / "joint-ownership.json")
    assert counts(empty_graph) == (4, 3) and report.plan.count("create") == 0


# --- control and roles, on a small 0.4 document ------------------------------------------------


def statement(n: int, record_id: str, record_type: str, details: dict, **extra) -> dict:
    return {"statementId": f"{n:032d}", "declarationSubject": "acme",
            "statementDate": "2024-01-02", "publicationDetails": PUBLICATION,
            "recordId": record_id, "recordType": record_type, "recordStatus": "new",
            "recordDetails": {"isComponent": False, **details}, **extra}


def interest(kind: str, **extra) -> dict:
    return {"type": kind, "directOrIndirect": "direct", "beneficialOwnershipOrControl": False,
            "startDate": "2020-05-01", **extra}


DOC = [
    statement(1, "acme", "entity", {
        "entityType": {"type": "registeredEntity"}, "name": "Acme Ltd",
        "identifiers": [{"scheme": "XI-LEI", "id": "5493000000000000AC01"},
                        {"scheme": "GB-COH", "id": "01234567"},
                        {"schemeName": "Wikidata", "id": "Q42"},
                        {"scheme": "GB-VAT", "id": "GB999"}]}),
    statement(2, "holdco", "entity", {"entityType": {"type": "registeredEntity"},
                                      "name": "Holdco SA",
                                      "jurisdiction": {"name": "Spain", "code": "ES"}}),
    statement(3, "ceo", "person", {"personType": "knownPerson",
                                   "names": [{"type": "legal", "fullName": "Ana Díaz"}],
                                   "identifiers": [{"scheme": "ESP-TAXID", "id": "X1"}]}),
    statement(4, "r1", "relationship", {
        "subject": "acme", "interestedParty": "holdco",
        "interests": [interest("appointmentOfBoard"),
                      interest("otherInfluenceOrControl", details="golden share"),
                      interest("boardMember")]}),
    statement(5, "r2", "relationship", {
        "subject": "acme", "interestedParty": "ceo",
        "interests": [interest("seniorManagingOfficial", details="Chief Executive")]}),
]


def test_the_document_used_below_is_valid_bods():
    assert bods_export.schema_problems(DOC) == []


def test_board_appointment_and_other_influence_become_one_controls(empty_graph, tmp_path):
    report = run(empty_graph, write(tmp_path / "acme.json", json.dumps(DOC)))
    assert report.ok, problems(report)
    assert [(r["from"], r["type"], r["to"], r.get("means"), r.get("title"), r.get("kind"))
            for r in rels(empty_graph)] == [
        ("bods:ceo", "HOLDS_ROLE", "bods:acme", None, "Chief Executive", "executive"),
        ("bods:holdco", "CONTROLS", "bods:acme",
         "appointmentOfBoard, otherInfluenceOrControl: golden share, boardMember", None, None),
    ]
    assert report.notes == []


def test_entity_identifiers_are_kept_and_personal_ids_are_not(empty_graph, tmp_path):
    run(empty_graph, write(tmp_path / "acme.json", json.dumps(DOC)))
    acme = node(empty_graph, "bods:acme")
    assert (acme["lei"], acme["registration_number"], acme["wikidata_id"],
            acme["jurisdiction"]) == ("5493000000000000AC01", "GB-COH:01234567", "Q42", "GB")
    assert acme["description"] == "BODS registeredEntity. Other identifiers: GB-VAT GB999"
    assert "X1" not in json.dumps(node(empty_graph, "bods:ceo"))


def test_a_bods_company_merges_with_the_graphs_company_of_the_same_register_number(
        empty_graph, tmp_path):
    sheet = write(tmp_path / "Company.csv", "id,name,jurisdiction,registration_number\n"
                                            "acme-uk,Acme Limited,GB,0123 4567\n")
    run(empty_graph, sheet)
    report = run(empty_graph, write(tmp_path / "acme.json", json.dumps(DOC)))
    merge = next(a for a in report.plan.actions if a.kind == "merge")
    assert (merge.incoming_id, merge.id, merge.reason) == (
        "bods:acme", "acme-uk", "the graph's node has the same register number 01234567 in GB")
    acme = node(empty_graph, "acme-uk")
    assert (acme["name"], acme["aliases"], acme["lei"]) == ("Acme Limited", ["Acme Ltd"],
                                                            "5493000000000000AC01")
    assert {r["to"] for r in rels(empty_graph)} == {"acme-uk"}


# --- BODS 0.2 ------------------------------------------------------------------------------------


PUB_02 = {"publicationDate": "2019-02-01", "bodsVersion": "0.2",
          "publisher": {"name": "Test register"}}
DOC_02 = [
    {"statementID": "e" * 32, "statementType": "entityStatement", "isComponent": False,
     "entityType": "registeredEntity", "name": "Old Co", "publicationDetails": PUB_02,
     "incorporatedInJurisdiction": {"name": "France", "code": "FR"},
     "identifiers": [{"scheme": "FR-RCS", "id": "123"}]},
    {"statementID": "p" * 32, "statementType": "personStatement", "isComponent": False,
     "personType": "knownPerson", "publicationDetails": PUB_02,
     "names": [{"type": "individual", "fullName": "Jean Martin"}]},
    {"statementID": "o" * 32, "statementType": "ownershipOrControlStatement",
     "isComponent": False, "publicationDetails": PUB_02, "statementDate": "2019-01-01",
     "subject": {"describedByEntityStatement": "e" * 32},
     "interestedParty": {"describedByPersonStatement": "p" * 32},
     "interests": [{"type": "shareholding", "interestLevel": "direct",
                    "share": {"minimum": 25, "maximum": 50, "exclusiveMaximum": True},
                    "startDate": "2018"},
                   {"type": "voting-rights", "share": {"exact": 40}, "startDate": "2018"},
                   {"type": "appointment-of-board", "startDate": "2018"},
                   {"type": "senior-managing-official", "startDate": "2018"}]},
    {"statementID": "q" * 32, "statementType": "ownershipOrControlStatement",
     "isComponent": False, "publicationDetails": PUB_02, "statementDate": "2020-06-01",
     "replacesStatements": ["o" * 32],
     "subject": {"describedByEntityStatement": "e" * 32},
     "interestedParty": {"describedByPersonStatement": "p" * 32},
     "interests": [{"type": "shareholding", "interestLevel": "direct",
                    "share": {"exact": 60}, "startDate": "2020-06"}]},
]


def test_bods_0_2_reads_like_0_4(empty_graph, tmp_path):
    assert bods.schema_errors(DOC_02, "0.2") == []
    report = run(empty_graph, write(tmp_path / "old.json", json.dumps(DOC_02)))
    assert report.ok, problems(report)
    old_co = node(empty_graph, "bods:" + "e" * 32)
    assert (old_co["name"], old_co["jurisdiction"], old_co["registration_number"]) == (
        "Old Co", "FR", "FR-RCS:123")
    person, company = "bods:" + "p" * 32, "bods:" + "e" * 32
    assert [(r["type"], r.get("pct_min"), r.get("pct_max"), r.get("economic_pct"),
             r.get("voting_pct"), r.get("means"), r.get("kind"), r.get("start_date"),
             r.get("end_date")) for r in rels(empty_graph)] == [
        ("CONTROLS", None, None, None, None, "appointmentOfBoard", None, "2018", "2020-06-01"),
        ("HOLDS_ROLE", None, None, None, None, None, "executive", "2018", "2020-06-01"),
        ("OWNS", 25.0, 50.0, None, 40.0, None, None, "2018", "2020-06"),
        ("OWNS", None, None, 60.0, None, None, None, "2020-06", None),
    ]
    assert {(r["from"], r["to"]) for r in rels(empty_graph)} == {(person, company)}


# --- bad files -----------------------------------------------------------------------------------


def test_malformed_json_names_its_line_and_writes_nothing(empty_graph, tmp_path):
    path = write(tmp_path / "broken.json", '[\n  {"statementId": "x",\n  "recordId" 1}\n]')
    report = run(empty_graph, path)
    assert [(p.file, p.row, p.unit) for p in report.problems] == [("broken.json", 3, "line")]
    assert report.problems[0].message.startswith("not valid JSON: Expecting ':' delimiter")
    assert counts(empty_graph) == (0, 0)


def test_a_share_over_100_and_an_unknown_interest_type_are_schema_errors(empty_graph, tmp_path):
    bad = json.loads(json.dumps(DOC))
    bad[3]["recordDetails"]["interests"][0] = interest("shareholding", share={"exact": 120})
    bad[4]["recordDetails"]["interests"][0]["type"] = "friendship"
    report = run(empty_graph, write(tmp_path / "bad.json", json.dumps(bad)))
    assert problems(report) == [
        ("bad.json", None, 4, "recordDetails/interests/0/share/exact",
         "120 is greater than the maximum of 100 (BODS 0.4 schema)"),
        ("bad.json", None, 5, "recordDetails/interests/0/type",
         "'friendship' is not one of ['shareholding', 'votingRights', 'appointmentOfBoard', "
         "'otherInfluenceOrControl', 'seniorManagingOfficial', 'settlor', 'trustee', "
         "'protector', 'beneficiaryOfLegalArrangement', 'rightsToSurplusAssetsOnDissolution', "
         "'rightsToProfitOrIncome', 'rightsGrantedByContract', "
         "'conditionalRightsGrantedByContract', 'controlViaCompanyRulesOrArticles', "
         "'controlByLegalFramework', 'boardMember', 'boardChair', 'unknownInterest', "
         "'unpublishedInterest', 'enjoymentAndUseOfAssets', 'rightToProfitOrIncomeFromAssets', "
         "'nominee', 'nominator'] (BODS 0.4 schema)"),
    ]
    assert counts(empty_graph) == (0, 0)


def test_skip_invalid_leaves_out_the_bad_statements_and_what_hangs_on_them(
        empty_graph, tmp_path):
    bad = json.loads(json.dumps(DOC))
    del bad[1]["recordDetails"]["entityType"]  # Holdco: not valid BODS
    report = run(empty_graph, write(tmp_path / "bad.json", json.dumps(bad)), skip_invalid=True)
    assert [(p.row, p.column) for p in report.skipped] == [(2, "recordDetails")]
    assert counts(empty_graph) == (2, 1)  # Acme and its CEO; Holdco's control left out


# --- export --------------------------------------------------------------------------------


def test_the_export_is_valid_bods_0_4_and_keeps_stakes_roles_and_control(empty_graph, tmp_path):
    run(empty_graph, FIXTURES / "joint-ownership.json",
        write(tmp_path / "acme.json", json.dumps(DOC)))
    statements = bods_export.export_statements(empty_graph, include_sensitive=True,
                                               today="2024-05-06")
    assert bods_export.schema_problems(statements) == []
    assert sum(s["recordType"] == "relationship" for s in statements) == 5
    by_party = {(s["recordDetails"]["interestedParty"], s["recordDetails"]["subject"]):
                s["recordDetails"]["interests"]
                for s in statements if s["recordType"] == "relationship"}
    assert by_party[("bods:91b4236a7d89", "bods:31c55e425764")] == [{
        "type": "shareholding", "directOrIndirect": "direct",
        "beneficialOwnershipOrControl": False, "share": {"exact": 100.0},
        "startDate": "2018-01-01"}]
    assert [i["type"] for i in by_party[("bods:holdco", "bods:acme")]] == [
        "appointmentOfBoard", "otherInfluenceOrControl", "boardMember"]
    assert by_party[("bods:ceo", "bods:acme")][0]["type"] == "seniorManagingOfficial"


def test_an_export_leaves_sensitive_people_out_by_default(empty_graph):
    run(empty_graph, FIXTURES / "joint-ownership.json")
    statements = bods_export.export_statements(empty_graph)
    assert {s["recordType"] for s in statements} == {"entity", "relationship"}
    assert bods_export.schema_problems(statements) == []


def test_an_export_imports_back_to_the_same_graph_shape(empty_graph, tmp_path):
    run(empty_graph, FIXTURES / "joint-ownership.json")
    exported = bods_export.export_statements(empty_graph, include_sensitive=True)
    path = write(tmp_path / "export.json", json.dumps(exported))
    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, path)
    assert report.ok, problems(report)
    assert counts(empty_graph) == (4, 3)
    assert sorted(r["economic_pct"] for r in rels(empty_graph, "OWNS")) == [50.0, 50.0, 100.0]


def test_export_bods_command_writes_a_valid_file(graphapp_cli, empty_graph, tmp_path):
    run(empty_graph, FIXTURES / "joint-ownership.json")
    out = graphapp_cli(["export-bods", str(tmp_path / "out.json")])
    assert out.exit_code == 0, out.output
    statements = json.loads((tmp_path / "out.json").read_text())
    assert len(statements) == 2 + 1  # two companies, the arrangement's stake (people hidden)
    assert bods_export.schema_problems(statements) == []


# --- the standard's worked examples (../shared/fixtures/bods, copied) ----------------------------


def owns(graph):
    return sorted((r["from"], r["to"], r.get("economic_pct"), r.get("voting_pct"),
                   r.get("pct_min"), r.get("pct_max"), r.get("start_date"), r.get("end_date"))
                  for r in rels(graph, "OWNS"))


def test_the_standards_worked_examples_import_with_their_history(empty_graph):
    """Every example package from the standard imports as its README says: the stakes, the
    board seats and their dates, versions ending where a later statement changes or closes
    them."""
    from graphapp import leverage

    report = run(empty_graph, FIXTURES / "bods-package.json")
    assert report.ok and report.notes == [], (problems(report), report.notes)
    jennifer = node(empty_graph, "bods:10478c6cf6de")
    assert (jennifer["name"], jennifer["aliases"], jennifer["birth_date"],
            jennifer["nationality"]) == ("Jennifer Hewitson-Smith", ["Jenny Hewitson-Smith"],
                                         "1978-07", "GB")
    profitech = node(empty_graph, "bods:c359f58d2977")
    assert (profitech["registration_number"], profitech["jurisdiction"]) == (
        "GB-COH:2063384560", "GB")
    assert owns(empty_graph) == [("bods:10478c6cf6de", "bods:c359f58d2977", 100.0, None, None,
                                  None, "2016-04-06", None)]

    empty_graph.write_autocommit("records.delete_all")
    assert run(empty_graph, FIXTURES / "bods-package-entity-owning-entity.json").ok
    assert owns(empty_graph) == [("bods:e83cce729ada", "bods:12b7dd0770ce", None, None, 75.0,
                                  100.0, None, None)]

    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, FIXTURES / "fermcat.json")
    assert report.ok and report.notes == [], (problems(report), report.notes)
    riyadh, patrick, declan, fermcat = ("bods:per-5faa4103dee78621", "bods:per-41c0bb0cef246f7c",
                                        "bods:per-e334cc6258e56467", "bods:ent-93c75c87ab28f889")
    assert owns(empty_graph) == sorted([
        (riyadh, fermcat, 50.0, None, None, None, "2019-09-11", "2021-04-03"),
        (patrick, fermcat, 50.0, None, None, None, "2019-09-11", "2022-01-21"),
        (patrick, fermcat, 100.0, None, None, None, "2022-01-21", None),
        (declan, fermcat, 50.0, None, None, None, "2021-04-03", "2022-01-21")])
    assert sorted((r["from"], r["kind"], r["start_date"], r.get("end_date"))
                  for r in rels(empty_graph, "HOLDS_ROLE")) == [
        (patrick, "board", "2019-09-11", None), (riyadh, "board", "2019-09-11", "2021-04-03")]
    then = leverage.company_leverage(empty_graph, fermcat, as_of="2021-06-01",
                                     include_sensitive=True)
    assert sorted((s["holder"]["name"], s["economic_pct"]) for s in then["direct_stakes"]) == [
        ("Declan Byrne-Amin", 50.0), ("Patrick O'Donohue", 50.0)]
    now = leverage.company_leverage(empty_graph, fermcat, include_sensitive=True)
    assert now["controller"]["ultimate"]["name"] == "Patrick O'Donohue"

    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, FIXTURES / "tecido.json")
    assert report.ok and report.notes == [], (problems(report), report.notes)
    maria, shear, tecido = "bods:018AF6B3EB", "bods:033E84672B", "bods:01B68D7633"
    assert node(empty_graph, tecido)["jurisdiction"] == "US"
    assert owns(empty_graph) == sorted([
        (maria, tecido, 100.0, 100.0, None, None, "2002-03-09", "2021-09-24"),
        (maria, tecido, 40.0, 40.0, None, None, "2021-09-24", "2022-09-21"),
        (maria, tecido, 30.0, 30.0, None, None, "2022-09-21", "2023-03-03"),
        (shear, tecido, 60.0, 60.0, None, None, "2021-09-24", "2022-09-21"),
        (shear, tecido, 70.0, 70.0, None, None, "2022-09-21", "2023-03-01"),
        (shear, tecido, 80.0, 80.0, None, None, "2023-03-01", None)])
    assert [(r["title"], r["start_date"], r.get("end_date"))
            for r in rels(empty_graph, "HOLDS_ROLE")] == [
        ("Board chair", "2002-03-09", "2021-09-24"), ("Board chair", "2021-09-24", "2022-09-21"),
        ("Board chair", "2022-09-21", "2023-03-03")]
    now = leverage.company_leverage(empty_graph, tecido, include_sensitive=True)
    assert [(s["holder"]["name"], s["voting_pct"]) for s in now["direct_stakes"]] == [
        ("Shear Trust", 80.0)]
    assert now["controller"]["ultimate"]["name"] == "Shear Trust"
