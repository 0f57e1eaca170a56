"""Hostile import files cost little: each is refused (or read) in under 5 s and 200 MB.

Every case is read and validated in a fresh Python (tests/hostile_files.py), which reports the
time taken and the peak RSS growth. Before the limits (graphapp/io/limits.py) the XFD
rows took minutes, the bombs 0.4 to 1.5 GB, the deep JSON a RecursionError and 16,000 invalid
rows minutes of quadratic problem mapping.
"""

from __future__ import annotations

import pytest

from graphapp.io import limits, spreadsheet
from tests import hostile_files

SECONDS = 5.0
RSS_MB = 200


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict[str, dict]:
    """Every hostile case, built and measured once (one Python, a child per file)."""
    directory = tmp_path_factory.mktemp("hostile")
    files = [build(directory / name) for name, build in hostile_files.CASES.items()]
    return {p.name: {**r, "size": p.stat().st_size}
            for p, r in hostile_files.measure_many(files).items()}


def assert_cheap(result: dict) -> None:
    """Under 5 s of CPU (wall time on a shared machine measures the neighbours) and 200 MB."""
    assert result.get("error") is None, result
    assert result["cpu_seconds"] < SECONDS, result
    assert result["rss_growth_mb"] < RSS_MB, result


def test_rows_with_a_cell_at_column_xfd_are_refused_naming_the_cell(measured):
    result = measured["xfd-rows.xlsx"]
    assert result["size"] < 10_000
    assert_cheap(result)
    assert result["problems"] == [
        "xfd-rows.xlsx: sheet Company, row 2: cell XFD2 holds a value in column XFD "
        "(column 16,384); graphapp reads at most 1,000 columns (up to ALL). Delete the columns "
        "after the last one you use."]


def test_a_shared_strings_bomb_is_refused_before_it_is_inflated(measured):
    result = measured["shared-strings-bomb.xlsx"]
    assert result["size"] < 600_000
    assert_cheap(result)
    assert result["problem_count"] == 1
    assert result["problems"][0].startswith(
        "shared-strings-bomb.xlsx: it inflates to 477 MB (xl/sharedStrings.xml: 477 MB); "
        "graphapp reads workbooks of up to 100 MB uncompressed.")


def test_a_shared_string_longer_than_a_cell_is_refused(measured):
    result = measured["long-shared-string.xlsx"]
    assert_cheap(result)
    assert result["problems"] == [
        "long-shared-string.xlsx: shared string 1 is longer than 32,767 characters, which a "
        "cell holds at most (Excel's own limit)."]


def test_one_long_shared_string_used_by_many_cells_is_refused(measured):
    result = measured["shared-string-references.xlsx"]
    assert_cheap(result)
    assert result["problems"] == [
        "shared-string-references.xlsx: sheet Company, row 764: its cells hold more than "
        "50,000,000 characters of text in all (reached at cell B764). Split it."]


def test_a_zip_bomb_member_is_refused_from_its_declared_size(measured):
    result = measured["zip-bomb-member.xlsx"]
    assert result["size"] < 500_000
    assert_cheap(result)
    assert result["problems"][0].startswith(
        "zip-bomb-member.xlsx: it inflates to 400 MB (xl/worksheets/sheet1.xml: 400 MB)")


def test_json_nested_10000_deep_is_refused_with_its_line(measured):
    result = measured["deep.json"]
    assert_cheap(result)
    assert result["problems"] == [
        "deep.json, line 1: the JSON nests arrays and objects more than 64 levels deep here; "
        "BODS and FollowTheMoney need fewer than ten."]


def test_16000_invalid_rows_are_each_reported_in_linear_time(measured):
    result = measured["Company.csv"]
    assert_cheap(result)
    assert result["problem_count"] == 16_000
    assert result["problems"][:2] == [
        "Company.csv, row 2, column name: Missing data for required field.",
        "Company.csv, row 3, column name: Missing data for required field."]


# --- what stays readable -------------------------------------------------------------------------


def test_empty_styled_cells_out_to_xfd_cost_nothing_and_the_values_are_read(tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>c{i}</t></is></c>'
                   f'<c r="B{i}" t="inlineStr"><is><t>Company {i}</t></is></c>'
                   f'<c r="XFD{i}" s="1"/></row>' for i in range(2, 2002))
    path = hostile_files._workbook(tmp_path / "styled.xlsx", [
        hostile_files._SHEET_HEAD, hostile_files._HEADER_ROW, rows, hostile_files._SHEET_TAIL])
    [(name, header, values)] = spreadsheet.read_sheets(path)
    assert (name, header, len(values)) == ("Company", ["id", "name"], 2000)
    assert values[0] == ["c2", "Company 2"] and values[-1] == ["c2001", "Company 2001"]


def test_a_value_in_the_last_row_is_refused_for_the_rows_it_would_visit(tmp_path):
    last = ('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
            '<c r="B1048576" t="inlineStr"><is><t>y</t></is></c></row>')
    path = hostile_files._workbook(tmp_path / "far.xlsx", [
        hostile_files._SHEET_HEAD, hostile_files._HEADER_ROW, last, hostile_files._SHEET_TAIL])
    with pytest.raises(spreadsheet.UnreadableFile) as caught:
        spreadsheet.read_sheets(path)
    assert str(caught.value) == (
        "sheet Company, row 1048576: its values reach row 1,048,576 and column B, more than "
        "the 2,000,000 cells graphapp reads from a workbook. Split it, or delete the empty "
        "rows and columns between the values.")


def test_column_letters():
    assert [limits.column_letters(n) for n in (1, 26, 27, 702, 1000, 16384)] == [
        "A", "Z", "AA", "ZZ", "ALL", "XFD"]


def test_a_hostile_upload_answers_400_with_the_reason(empty_graph, app, tmp_path):
    path = hostile_files.xfd_rows(tmp_path / "xfd.xlsx")
    with open(path, "rb") as f:
        response = app.test_client(role="editor").post(
            "/import", data={"files": (f, "xfd.xlsx"), "format": "auto"})
    assert response.status_code == 400
    assert b"cell XFD2 holds a value in column XFD" in response.data
