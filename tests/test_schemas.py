"""Validation: every message names its field (pure functions, no database)."""

import pytest
from marshmallow import ValidationError

from graphapp.store import schemas
from graphapp.store.schemas import (
    check_partial_date,
    error_lines,
    validate_node,
    validate_relationship,
)


def messages(fn, data, **kw):
    with pytest.raises(ValidationError) as info:
        fn(data, **kw)
    return info.value.messages


@pytest.mark.parametrize("value", ["2019", "2019-04", "2019-04-30", "2024-02-29"])
def test_partial_dates_are_accepted(value):
    check_partial_date(value)


@pytest.mark.parametrize("value", ["19", "2019-13", "2019-4", "2019-02-30", "2023-02-29",
                                   "April 2019", "2019/04/30", ""])
def test_non_dates_are_refused(value):
    with pytest.raises(ValidationError):
        check_partial_date(value)


def test_a_harm_needs_a_known_harm_type():
    errors = messages(validate_node, {"label": "Harm", "id": "h1", "name": "x", "harm_type": "bad"})
    assert list(errors) == ["harm_type"]
    assert "hate_speech" in errors["harm_type"][0]


def test_an_unknown_label_is_named():
    assert messages(validate_node, {"label": "Company2", "id": "a", "name": "A"}) == {
        "label": ["Must be one of: Company, Person, Team, Product, Regulator, Forum, "
                  "Organization, Harm, Country, Engagement, Commitment, Arrangement, State, "
                  "Undisclosed."]}


def test_country_codes_are_iso_alpha_2():
    errors = messages(validate_node, {"label": "Company", "id": "a", "name": "A",
                                      "jurisdiction": "XX"})
    assert errors == {"jurisdiction": ["'XX' is not an ISO 3166-1 alpha-2 country code "
                                       "(e.g. MM, CL)."]}


def test_unknown_fields_are_named():
    errors = messages(validate_node, {"label": "Person", "id": "p", "name": "P", "shoe_size": 9})
    assert errors == {"shoe_size": ["Unknown field."]}


def test_investor_type_needs_the_investor_label():
    errors = messages(validate_node, {"label": "Company", "id": "a", "name": "A",
                                      "investor_type": "asset_manager"})
    assert errors == {"investor_type": ["investor_type needs the extra label Investor."]}


def test_a_team_is_not_an_investor():
    errors = messages(validate_node, {"label": "Team", "id": "t", "name": "T",
                                      "function": "policy", "extra_labels": ["Investor"]})
    assert errors == {"extra_labels": ["Investor is an extra label for a Company or Person only."]}


def test_percentages_are_between_0_and_100():
    errors = messages(validate_relationship, {"type": "OWNS", "from": "a", "to": "b",
                                              "confidence": "confirmed", "economic_pct": 101})
    assert errors == {"economic_pct": ["Must be greater than or equal to 0 and less than or "
                                       "equal to 100."]}


def test_sources_must_be_urls():
    errors = messages(validate_relationship, {"type": "OWNS", "from": "a", "to": "b",
                                              "confidence": "confirmed",
                                              "sources": ["javascript:alert(1)"]})
    assert errors == {"sources": {0: ["Not a valid URL."]}}


def test_sourced_relationships_need_source_confidence_and_as_of():
    errors = messages(validate_relationship, {"type": "OWNS", "from": "a", "to": "b"},
                      sourced=True)
    assert errors == {"sources": ["Missing data for required field."],
                      "confidence": ["Missing data for required field."],
                      "as_of": ["Missing data for required field."]}


def test_properties_belong_to_their_relationship_type():
    errors = messages(validate_relationship, {"type": "MEMBER_OF", "from": "a", "to": "b",
                                              "confidence": "reported", "voting_pct": 5})
    assert errors == {"voting_pct": ["Only OWNS or HOLDS_INDIRECTLY relationships have "
                                     "voting_pct."]}


def test_a_range_must_be_ordered_and_dates_too():
    errors = messages(validate_relationship, {
        "type": "OWNS", "from": "a", "to": "b", "confidence": "reported",
        "pct_min": 50, "pct_max": 25, "start_date": "2020", "end_date": "2019-06"})
    assert errors == {"pct_min": ["pct_min is larger than pct_max."],
                      "end_date": ["end_date is before start_date."]}


def test_error_lines_name_the_place_and_field():
    with pytest.raises(ValidationError) as info:
        validate_relationship({"type": "OWNS", "from": "a", "to": "b", "confidence": "sure"})
    assert error_lines(info.value, "seeds/x.yaml: relationships[3]") == [
        "seeds/x.yaml: relationships[3]: confidence: Must be one of: confirmed, reported, alleged."
    ]


# --- many rows at once: the bulk path answers exactly as one row at a time ---------------------

MANY_NODES = [
    {"label": "Company", "id": "acme", "name": "Acme", "jurisdiction": "US",
     "extra_labels": ["Investor"], "investor_type": "asset_manager", "sources": ["https://a.org"]},
    {"label": "Company", "id": "acme-2", "name": "Acme 2", "jurisdiction": "US"},
    {"label": "Company", "id": "bad id", "name": "", "jurisdiction": "XX", "lei": "nope"},
    {"label": "Team", "id": "t1", "name": "Policy", "function": "policy",
     "extra_labels": ["Investor"]},
    {"label": "Team", "id": "t2", "name": "Policy", "function": "lunch", "colour": "red"},
    {"label": "Harm", "id": "h1", "name": "<script>x</script>", "harm_type": "hate_speech",
     "started": "2017-08", "ended": "2017-02-30", "severity": "5"},
    {"label": "Harm", "id": "h2", "name": "H", "harm_type": "hate_speech", "severity": 9},
    {"label": "Person", "id": "p1", "name": "P", "investor_type": "family"},
    {"label": "Planet", "id": "x", "name": "X"},
    {"label": "Country", "id": "mm", "name": "Myanmar", "iso2": "MM", "global_south": "yes"},
    {"label": "Country", "id": "mm2", "name": "Myanmar", "iso2": "MM", "global_south": "maybe"},
    {"label": "Engagement", "id": "e1", "name": "Letter", "kind": "letter", "date": 2024,
     "status": "sent"},
    {"label": "Company", "id": "acme-3", "name": "Acme 3", "aliases": ["A", "A"],
     "sources": "https://not-a-list.org"},
]
MANY_RELATIONSHIPS = [
    {"type": "OWNS", "from": "a", "to": "b", "confidence": "confirmed", "economic_pct": 12.5,
     "sources": ["https://x.org"], "as_of": "2024"},
    {"type": "OWNS", "from": "a", "to": "c", "confidence": "confirmed", "economic_pct": "12.5",
     "sources": ["https://x.org"], "as_of": "2024"},
    {"type": "OWNS", "from": "a", "to": "a", "confidence": "confirmed", "economic_pct": 120,
     "sources": ["ftp://x.org"], "as_of": "2024-13"},
    {"type": "OWNS", "from": "a", "to": "d", "confidence": "sure", "pct_min": 30, "pct_max": 20},
    {"type": "HOLDS_ROLE", "from": "p", "to": "b", "confidence": "reported", "title": "CEO",
     "start_date": "2020", "end_date": "2019", "economic_pct": 5},
    {"type": "HOLDS_ROLE", "from": "p", "to": "b", "confidence": "reported", "kind": "king"},
    {"type": "PWNS", "to": "b", "confidence": None, "note": "x" * 6000},
    {"type": "OWNS", "from": "a", "to": "e", "confidence": "alleged", "sensitive": "true",
     "voting_pct": None, "mood": "good"},
    {"type": "INVOLVES", "from": "h", "to": "p", "confidence": "confirmed", "sources": []},
    # values the quick checks take (exact str, finite float) beside those they leave to the field
    {"type": "OWNS", "from": "a", "to": "f", "confidence": "reported", "economic_pct": 150.5,
     "voting_pct": float("inf"), "pct_min": float("nan"), "pct_max": True, "note": b"bytes"},
    {"type": "OWNS", "from": "a b", "to": "g", "confidence": "reported", "economic_pct": 0.0,
     "voting_pct": 100.0, "share_class": "", "note": ""},
]


def one_at_a_time(validate, row):
    try:
        return validate(row)
    except ValidationError as exc:
        return exc.messages


def many_at_once(results):
    return [r.messages if isinstance(r, ValidationError) else r for r in results]


def test_many_nodes_validate_exactly_as_one_at_a_time():
    rows = MANY_NODES * 2  # the second time, every value is remembered
    assert many_at_once(schemas.validate_nodes(rows)) == [
        one_at_a_time(schemas.validate_node, row) for row in rows]


@pytest.mark.parametrize("sourced", [False, True])
def test_many_relationships_validate_exactly_as_one_at_a_time(sourced):
    rows = MANY_RELATIONSHIPS * 2

    def one(row):
        return schemas.validate_relationship(row, sourced=sourced)

    expected = [one_at_a_time(one, row) for row in rows]
    results = schemas.validate_relationships(rows, sourced=sourced)
    assert many_at_once(results) == expected
    refused = [i for i, r in enumerate(results) if isinstance(r, ValidationError)]
    assert [list(results[i].messages) for i in refused] == [
        list(expected[i]) for i in refused]  # fields named in the same order


def test_remembered_lists_are_not_shared_between_records():
    first, second = schemas.validate_relationships([
        {"type": "OWNS", "from": "a", "to": "b", "confidence": "confirmed",
         "sources": ["https://x.org"]},
        {"type": "OWNS", "from": "a", "to": "c", "confidence": "confirmed",
         "sources": ["https://x.org"]}])
    first["sources"].append("https://y.org")
    assert second["sources"] == ["https://x.org"]


def test_columns_checked_at_once_answer_as_one_row_at_a_time():
    """load_columns checks a plain String or Float column at once (its validators' column
    forms); a column with one refused value, absent cells, None, an unknown field or a row that
    is no record at all must still answer as ``load`` does, row by row."""
    good = [{"type": "OWNS", "from": f"c{i}", "to": f"d{i}", "confidence": "reported",
             "economic_pct": i / 7, "sources": ["https://x.org"], "as_of": "2024",
             "start_date": "2020-01-01"} for i in range(50)]
    rows = [*good,
            {**good[0], "from": "bad id"}, {**good[1], "economic_pct": 100.5},
            {**good[2], "economic_pct": None}, {**good[3], "voting_pct": 0.0},
            {"to": "x", "mood": 1, **good[4]}, {**good[9], "zeal": 2}, "not a record", None,
            {k: v for k, v in good[5].items() if k != "from"},
            {**good[6], "note": "n" * 5001}, {**good[7], "note": ""},
            {**good[8], "pct_min": 10.0, "pct_max": 5.0}, *good]
    for sourced in (False, True):
        def one(row, sourced=sourced):
            return schemas.validate_relationship(row, sourced=sourced)

        expected = [one_at_a_time(one, row) for row in rows]
        results = schemas.validate_relationships(rows, sourced=sourced)
        assert many_at_once(results) == expected
        refused = [i for i, r in enumerate(results) if isinstance(r, ValidationError)]
        assert len(refused) == 9
        assert [list(results[i].messages) for i in refused] == [
            list(expected[i]) for i in refused]  # fields named in the same order
    columns = schemas.load_columns(schemas._instance(schemas.RelationshipSchema), good)
    assert columns.errors == [None] * len(good)
    assert columns.values["from_"] == [row["from"] for row in good]
    assert columns.values["sources"] == [["https://x.org"]] * len(good)
