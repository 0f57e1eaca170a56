"""GLEIF Level 1 and Level 2: companies keyed by LEI, parents as CONTROLS, a bounded stream."""

import tracemalloc
from pathlib import Path

from graphapp.io import gleif
from tests.import_helpers import counts, node, problems, rels, run, write

FIXTURES = Path(__file__).parent / "fixtures" / "gleif"
LEI_DATA = FIXTURES / "lei-data.xml"
RR_DATA = FIXTURES / "rr-data.xml"

# (parent, child, means) as rr-data.xml lists them: EndNode CONTROLS StartNode.
PARENT_LINKS = sorted([
    ("3C7474T6CDKPR9K6YT90", "010CMKZ3VON21WF2ZD45", "IS_ULTIMATELY_CONSOLIDATED_BY"),
    ("54930037R1JTV3ZYFY28", "00KLB2PFTM3060S2N216", "IS_SUBFUND_OF"),
    ("5493001Z012YSB2A0K51", "001GPB6A9XPE8XJICC14", "IS_FUND-MANAGED_BY"),
    ("549300FF2KD1XH54I851", "00QDBXDXLLF3W3JJJO36", "IS_FUND-MANAGED_BY"),
    ("549300GC5MDF1KXYMP06", "010G7UHBHEI87EKP0Q97", "IS_FUND-MANAGED_BY"),
    ("549300S84WGKQCATYO76", "00X8DSV26QKJPKUT5B34", "IS_SUBFUND_OF"),
    ("7HTL8AEQSEDX602FBU63", "00X8DSV26QKJPKUT5B34", "IS_FUND-MANAGED_BY"),
    ("C7J4FOV6ELAVE39B7M82", "001GPB6A9XPE8XJICC14", "IS_SUBFUND_OF"),
    ("YVC19L6NOWRA51XIKW06", "00KLB2PFTM3060S2N216", "IS_FUND-MANAGED_BY"),
    ("ZZG38T0MDR3QY1ETUA76", "010CMKZ3VON21WF2ZD45", "IS_DIRECTLY_CONSOLIDATED_BY"),
])


def links(graph):
    return sorted((r["from"].removeprefix("lei:"), r["to"].removeprefix("lei:"), r["means"])
                  for r in rels(graph, "CONTROLS"))


def test_rr_data_gives_the_parent_links_it_lists(empty_graph):
    report = run(empty_graph, RR_DATA)
    assert report.ok, problems(report)
    assert links(empty_graph) == PARENT_LINKS
    assert counts(empty_graph) == (16, 10)  # every LEI named, once


def test_a_parent_link_keeps_its_evidence_and_dates(empty_graph):
    run(empty_graph, RR_DATA)
    direct = next(r for r in rels(empty_graph, "CONTROLS")
                  if r["means"] == "IS_DIRECTLY_CONSOLIDATED_BY")
    assert direct == {
        "from": "lei:ZZG38T0MDR3QY1ETUA76", "type": "CONTROLS", "to": "lei:010CMKZ3VON21WF2ZD45",
        "means": "IS_DIRECTLY_CONSOLIDATED_BY", "confidence": "reported",
        "sources": ["https://search.gleif.org/#/record/010CMKZ3VON21WF2ZD45"],
        "start_date": "2018-02-06", "as_of": "2022-06-04", "sensitive": False,
        "note": "GLEIF relationship active; registration lapsed"}


def test_lei_data_gives_companies_keyed_by_lei(empty_graph):
    report = run(empty_graph, LEI_DATA)
    assert report.ok and counts(empty_graph) == (13, 0)
    assert node(empty_graph, "lei:001GPB6A9XPE8XJICC14") == {
        "id": "lei:001GPB6A9XPE8XJICC14", "labels": ["Company"],
        "name": "Fidelity Advisor Leveraged Company Stock Fund",
        "aliases": ["FIDELITY ADVISOR SERIES I - Fidelity Advisor Leveraged Company Stock Fund"],
        "lei": "001GPB6A9XPE8XJICC14", "jurisdiction": "US",
        "registration_number": "S000005113",
        "description": "GLEIF: fund, entity active, LEI issued.",
        "sources": ["https://search.gleif.org/#/record/001GPB6A9XPE8XJICC14"],
        "sensitive": False}


def test_both_levels_in_either_order_give_named_parents_and_children(empty_graph):
    run(empty_graph, RR_DATA)
    run(empty_graph, LEI_DATA)
    fund = "lei:001GPB6A9XPE8XJICC14"
    assert node(empty_graph, fund)["name"] == "Fidelity Advisor Leveraged Company Stock Fund"
    assert counts(empty_graph) == (26, 10)  # 13 + 16 LEIs, 3 of them in both files
    # Level 2 again does not overwrite the names Level 1 gave.
    report = run(empty_graph, RR_DATA)
    assert node(empty_graph, fund)["name"] == "Fidelity Advisor Leveraged Company Stock Fund"
    assert report.plan.count("create") == 0 and counts(empty_graph) == (26, 10)


def test_both_files_in_one_import_write_no_placeholder_for_a_known_lei(empty_graph):
    report = run(empty_graph, RR_DATA, LEI_DATA)
    assert report.ok and counts(empty_graph) == (26, 10)
    assert node(empty_graph, "lei:00KLB2PFTM3060S2N216")["name"] == "Oakmark International Fund"


def rr_xml(*records: tuple[str, str, str]) -> str:
    body = "".join(f"""
  <rr:RelationshipRecord><rr:Relationship>
    <rr:StartNode><rr:NodeID>{child}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:StartNode>
    <rr:EndNode><rr:NodeID>{parent}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:EndNode>
    <rr:RelationshipType>{kind}</rr:RelationshipType>
    <rr:RelationshipStatus>ACTIVE</rr:RelationshipStatus></rr:Relationship>
    <rr:Registration><rr:ValidationSources>FULLY_CORROBORATED</rr:ValidationSources>
    </rr:Registration></rr:RelationshipRecord>""" for child, parent, kind in records)
    return ('<?xml version="1.0" encoding="UTF-8"?><rr:RelationshipData '
            'xmlns:rr="http://www.gleif.org/data/schema/rr/2016"><rr:RelationshipRecords>'
            f"{body}</rr:RelationshipRecords></rr:RelationshipData>")


CHILD, PARENT = "5493000000000000CH01", "5493000000000000PA02"


def test_a_direct_and_ultimate_parent_in_one_is_one_relationship_with_both_means(
        empty_graph, tmp_path):
    path = write(tmp_path / "rr.xml", rr_xml((CHILD, PARENT, "IS_DIRECTLY_CONSOLIDATED_BY"),
                                             (CHILD, PARENT, "IS_ULTIMATELY_CONSOLIDATED_BY")))
    assert run(empty_graph, path).ok
    assert links(empty_graph) == [
        (PARENT, CHILD, "IS_DIRECTLY_CONSOLIDATED_BY, IS_ULTIMATELY_CONSOLIDATED_BY")]


def test_an_unknown_relationship_type_is_an_error(empty_graph, tmp_path):
    path = write(tmp_path / "rr.xml", rr_xml((CHILD, PARENT, "IS_FRIEND_OF")))
    assert problems(run(empty_graph, path)) == [
        ("rr.xml", None, 1, "RelationshipType",
         "'IS_FRIEND_OF' is not a GLEIF relationship type graphapp knows "
         "(IS_DIRECTLY_CONSOLIDATED_BY, IS_ULTIMATELY_CONSOLIDATED_BY, IS_FUND-MANAGED_BY, "
         "IS_SUBFUND_OF).")]
    assert counts(empty_graph) == (0, 0)


def test_a_bad_lei_is_an_error_naming_the_record(empty_graph, tmp_path):
    path = write(tmp_path / "rr.xml", rr_xml((CHILD, "not-an-lei", "IS_SUBFUND_OF")))
    assert problems(run(empty_graph, path)) == [
        ("rr.xml", None, 1, "from", "no node with id 'lei:not-an-lei'."),
        ("rr.xml", None, 1, "lei",
         "An LEI is 20 characters: 18 letters or digits and 2 check digits.")]


def test_malformed_xml_is_an_error_with_its_line_and_writes_nothing(empty_graph, tmp_path):
    text = RR_DATA.read_text(encoding="utf-8").replace("</rr:NodeIDType>", "</rr:NodeIDTyp>", 3)
    path = write(tmp_path / "rr-broken.xml", text)
    report = run(empty_graph, path)
    # The first record's StartNode/NodeIDType closes with a misspelt tag on line 15.
    assert [(p.file, p.row, p.unit) for p in report.problems] == [("rr-broken.xml", 15, "line")]
    assert report.problems[0].message.startswith("not well-formed XML at column")
    assert counts(empty_graph) == (0, 0)


def test_a_large_file_is_checked_whole_then_written_in_chunks_with_the_same_result(
        empty_graph, monkeypatch):
    monkeypatch.setattr(gleif, "CHUNK_RECORDS", 3)
    report = run(empty_graph, RR_DATA, stream_bytes=0)
    # 10 records, about 3 per chunk; a child's records stay together: 4 + 3 + 3.
    assert report.ok and report.transactions == 3
    assert links(empty_graph) == PARENT_LINKS and counts(empty_graph) == (16, 10)


def test_a_large_file_with_one_bad_record_writes_nothing(empty_graph, tmp_path, monkeypatch):
    monkeypatch.setattr(gleif, "CHUNK_RECORDS", 1)
    good = [(f"5493000000000000C{i:03d}", PARENT, "IS_SUBFUND_OF") for i in range(5)]
    path = write(tmp_path / "rr.xml", rr_xml(*good, (CHILD, PARENT, "IS_UNKNOWN")))
    report = run(empty_graph, path, stream_bytes=0)
    assert [p.row for p in report.problems] == [6] and report.transactions == 0
    assert counts(empty_graph) == (0, 0)


def big_rr_file(path: Path, records: int) -> Path:
    template = rr_xml((CHILD, PARENT, "IS_SUBFUND_OF"))
    one = template[template.index("<rr:RelationshipRecord>"):
                   template.index("</rr:RelationshipRecords>")]
    with open(path, "w", encoding="utf-8") as f:
        f.write(rr_xml()[:-len("</rr:RelationshipRecords></rr:RelationshipData>")])
        for i in range(records):
            f.write(one.replace(CHILD, f"549300{i:012d}01"))
        f.write("</rr:RelationshipRecords></rr:RelationshipData>")
    return path


def peak_memory_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    total = 0
    for chunk in gleif.chunks(path, path.name, size=500):
        total += len(chunk.relationships)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return total, peak


def test_the_stream_keeps_memory_bounded_whatever_the_file_size(tmp_path):
    """Six times the records (1,500 vs 9,000) and the peak stays the same: chunk-bound."""
    small_total, small_peak = peak_memory_reading(big_rr_file(tmp_path / "small.xml", 1_500))
    large = big_rr_file(tmp_path / "large.xml", 9_000)
    large_total, large_peak = peak_memory_reading(large)
    assert (small_total, large_total) == (1_500, 9_000)
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    assert large_peak < large.stat().st_size / 2
