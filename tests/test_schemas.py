"""Validation: every message names its field (pure functions, no database)."""

import pytest
from marshmallow import ValidationError

from graphapp.schemas import check_partial_date, error_lines, validate_node, validate_relationship


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
                  "Organization, Harm, Country, Engagement, Commitment."]}


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
    assert errors == {"voting_pct": ["Only OWNS relationships have voting_pct."]}


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
