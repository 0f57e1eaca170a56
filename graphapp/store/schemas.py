"""marshmallow schemas: every node and relationship is validated here before any Cypher runs.

Errors come back as ``{field: [message]}`` so that every message names its field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pycountry
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    missing,
    validate,
    validates_schema,
)

from graphapp import evidence
from graphapp.store import model

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_partial_date(value: str) -> None:
    """Accept ``2019``, ``2019-04`` or ``2019-04-30``; reject anything that is not a real date."""
    m = PARTIAL_DATE.match(value or "")
    if not m:
        raise ValidationError(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = m.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(f"{value!r} is not a real date.") from None


def first_day(text: str) -> dt.date:
    """The earliest day a partial date can mean: 2019 -> 2019-01-01, 2019-04 -> 2019-04-01."""
    year, month, day = PARTIAL_DATE.match(text).groups()
    return dt.date(int(year), int(month or 1), int(day or 1))


def last_day(text: str) -> dt.date:
    """The latest day a partial date can mean: 2019 -> 2019-12-31, 2019-02 -> 2019-02-28."""
    year, month, day = PARTIAL_DATE.match(text).groups()
    y, m = int(year), int(month or 12)
    return dt.date(y, m, int(day) if day else calendar.monthrange(y, m)[1])


def not_before(data: dict[str, Any], early: str, late: str) -> dict[str, list[str]]:
    """``{late: [message]}`` when the partial date ``late`` ends before ``early`` begins."""
    a, b = data.get(early), data.get(late)
    if a and b and last_day(b) < first_day(a):
        return {late: [f"{late} {b} is before {early} {a}."]}
    return {}


def check_country(value: str) -> None:
    if not (len(value) == 2 and value.isupper() and pycountry.countries.get(alpha_2=value)):
        raise ValidationError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. MM, CL).")


class PartialDate(fields.String):
    """A date that may be partial: ``2019``, ``2019-04``, ``2019-04-30``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, int):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        check_partial_date(text)
        return text


class CountryCode(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        check_country(text)
        return text


def one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="Must be one of: {choices}.")


Url = fields.Url(schemes={"http", "https"})
Percent = fields.Float(validate=validate.Range(0, 100), allow_none=True)


class Strict(Schema):
    class Meta:
        unknown = RAISE

    def consistency(self, data: dict[str, Any]) -> None:
        """Checks across fields (raise ValidationError); run by ``load`` and ``load_many``."""

    def column_consistency(self, values: dict[str, list[Any]], rows: Sequence[int]
                           ) -> dict[int, dict[str, Any]]:
        """``consistency`` of each row in ``rows`` of loaded columns (ABSENT: not given): the
        messages of each refused row. A schema whose checks read whole columns overrides it
        (and its ``consistency`` then asks it of one row)."""
        refused = {}
        for i in rows:
            try:
                self.consistency({n: v[i] for n, v in values.items() if v[i] is not ABSENT})
            except ValidationError as exc:
                refused[i] = exc.normalized_messages()
        return refused

    @validates_schema
    def _consistency(self, data, **kwargs):
        self.consistency(data)


# --- nodes -----------------------------------------------------------------------------------


class NodeSchema(Strict):
    """What every node has."""

    label = fields.String(required=True, validate=one_of(model.LABELS))
    extra_labels = fields.List(fields.String(validate=one_of(tuple(model.EXTRA_LABELS))),
                               load_default=list)
    id = fields.String(required=True, validate=validate.Regexp(
        ID_PATTERN,
        error="Use letters, digits and . _ : - (at most 200), starting with a letter or digit.",
    ))
    name = fields.String(required=True, validate=validate.Length(1, 500))
    aliases = fields.List(fields.String(validate=validate.Length(1, 500)), load_default=list)
    description = fields.String(validate=validate.Length(max=5000), allow_none=True)
    sources = fields.List(Url, load_default=list)
    sensitive = fields.Boolean(load_default=False)
    # Investor is an extra label on Company or Person.
    investor_type = fields.String(validate=one_of(model.INVESTOR_TYPES), allow_none=True)

    def consistency(self, data: dict[str, Any]) -> None:
        extra = set(data.get("extra_labels") or [])
        if "Investor" in extra and data.get("label") not in model.EXTRA_LABELS["Investor"]:
            raise ValidationError("Investor is an extra label for a Company or Person only.",
                                  "extra_labels")
        if data.get("investor_type") and "Investor" not in extra:
            raise ValidationError("investor_type needs the extra label Investor.", "investor_type")


class CompanySchema(NodeSchema):
    jurisdiction = CountryCode(allow_none=True)
    lei = fields.String(allow_none=True, validate=validate.Regexp(
        r"^[A-Z0-9]{18}[0-9]{2}$",
        error="An LEI is 20 characters: 18 letters or digits and 2 check digits.",
    ))
    registration_number = fields.String(allow_none=True)
    wikidata_id = fields.String(allow_none=True, validate=validate.Regexp(
        r"^Q\d+$", error="A Wikidata id looks like Q380."))
    ticker = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    website = fields.Url(schemes={"http", "https"}, allow_none=True)


class PersonSchema(NodeSchema):
    role_summary = fields.String(allow_none=True)
    nationality = CountryCode(allow_none=True)
    wikidata_id = CompanySchema._declared_fields["wikidata_id"]
    # What tells two people of one name apart (matching merges on these, never on a name alone).
    birth_date = PartialDate(allow_none=True)
    identifiers = fields.List(fields.String(validate=validate.Length(1, 300)),
                              load_default=list)


class ArrangementSchema(NodeSchema):
    """A trust, a nomination or another legal arrangement (BODS entityType ``arrangement``)."""

    arrangement_type = fields.String(required=True, validate=one_of(model.ARRANGEMENT_TYPES))
    jurisdiction = CountryCode(allow_none=True)
    registration_number = fields.String(allow_none=True)


class StateSchema(NodeSchema):
    """A state, or a body of one (ministry, agency): BODS entityType ``state``/``stateBody``."""

    state_kind = fields.String(required=True, validate=one_of(model.STATE_KINDS))
    body_type = fields.String(validate=one_of(model.STATE_BODY_TYPES), allow_none=True)
    jurisdiction = CountryCode(allow_none=True)
    lei = CompanySchema._declared_fields["lei"]
    registration_number = fields.String(allow_none=True)
    wikidata_id = CompanySchema._declared_fields["wikidata_id"]


class UndisclosedSchema(NodeSchema):
    """An owner or controller the disclosure does not name, and why (opacity is data)."""

    reason = fields.String(required=True, validate=one_of(model.UNDISCLOSED_REASONS))
    reason_text = fields.String(allow_none=True, validate=validate.Length(max=5000))
    party_kind = fields.String(validate=one_of(model.UNDISCLOSED_PARTY_KINDS),
                               load_default="unknown")


class TeamSchema(NodeSchema):
    function = fields.String(required=True, validate=one_of(model.TEAM_FUNCTIONS))
    scope = fields.String(validate=one_of(model.TEAM_SCOPES), allow_none=True)
    country = CountryCode(allow_none=True)


class ProductSchema(NodeSchema):
    category = fields.String(allow_none=True)


def _check_mandates(values: list[str]) -> None:
    """A body's own mandates must be named in graphapp/relevance.yaml (where they are said)."""
    from graphapp import relevance

    unknown = [v for v in values if v not in relevance.mandate_names()]
    if unknown:
        raise ValidationError(f"Unknown mandate(s) {', '.join(unknown)}; use: "
                              f"{', '.join(relevance.mandate_names())} (graphapp/relevance.yaml).")


class RegulatorSchema(NodeSchema):
    kind = fields.String(required=True, validate=one_of(model.REGULATOR_KINDS))
    website = CompanySchema._declared_fields["website"]
    # What this body can act on, beyond its kind's default (graphapp/relevance.yaml).
    mandates = fields.List(fields.String(), allow_none=True, validate=_check_mandates)


class ForumSchema(NodeSchema):
    kind = fields.String(required=True, validate=one_of(model.FORUM_KINDS))
    website = CompanySchema._declared_fields["website"]
    mandates = RegulatorSchema._declared_fields["mandates"]


class OrganizationSchema(NodeSchema):
    kind = fields.String(allow_none=True)
    website = CompanySchema._declared_fields["website"]


class HarmSchema(NodeSchema):
    harm_type = fields.String(required=True, validate=one_of(model.HARM_TYPES))
    started = PartialDate(allow_none=True)
    ended = PartialDate(allow_none=True)
    severity = fields.Integer(validate=validate.Range(1, 5), allow_none=True)
    affected_groups = fields.List(fields.String(), load_default=list)
    status = fields.String(allow_none=True)


class CountrySchema(NodeSchema):
    iso2 = CountryCode(required=True)
    region = fields.String(allow_none=True)
    global_south = fields.Boolean(allow_none=True)


class EngagementSchema(NodeSchema):
    """An Engagement (a letter, a meeting...), the one set of rules for it: a seed, an import,
    the API and the forms (graphapp.engagement.inputs) all validate with it."""

    kind = fields.String(required=True, validate=one_of(model.ENGAGEMENT_KINDS))
    date = PartialDate(required=True)
    subject = fields.String(allow_none=True, validate=validate.Length(max=5000))
    status = fields.String(required=True, validate=one_of(model.ENGAGEMENT_STATUSES))
    response_date = PartialDate(allow_none=True)
    outcome = fields.String(allow_none=True, validate=validate.Length(max=5000))

    def consistency(self, data: dict[str, Any]) -> None:
        super().consistency(data)
        problems = not_before(data, "date", "response_date")
        if data.get("response_date") and data.get("status") in model.ENGAGEMENT_OPEN:
            problems.setdefault("status", []).append(
                "A response date needs status acknowledged, responded or declined.")
        if problems:
            raise ValidationError(problems)


class CommitmentSchema(NodeSchema):
    """A Commitment a company made; the one set of rules for it, as for an Engagement."""

    text = fields.String(required=True, validate=validate.Length(1, 5000))
    date_made = PartialDate(allow_none=True)
    due_date = PartialDate(allow_none=True)
    status = fields.String(required=True, validate=one_of(model.COMMITMENT_STATUSES))

    def consistency(self, data: dict[str, Any]) -> None:
        super().consistency(data)
        problems = not_before(data, "date_made", "due_date")
        if problems:
            raise ValidationError(problems)


NODE_SCHEMAS: dict[str, type[NodeSchema]] = {
    "Company": CompanySchema, "Person": PersonSchema, "Team": TeamSchema,
    "Product": ProductSchema, "Regulator": RegulatorSchema, "Forum": ForumSchema,
    "Organization": OrganizationSchema, "Harm": HarmSchema, "Country": CountrySchema,
    "Engagement": EngagementSchema, "Commitment": CommitmentSchema,
    "Arrangement": ArrangementSchema, "State": StateSchema, "Undisclosed": UndisclosedSchema,
}


def validate_node(data: dict[str, Any]) -> dict[str, Any]:
    """Validate one node (its ``label`` picks the schema); raise ValidationError naming fields."""
    label = data.get("label")
    if label not in NODE_SCHEMAS:
        raise ValidationError({"label": [f"Must be one of: {', '.join(model.LABELS)}."]})
    return _instance(NODE_SCHEMAS[label]).load(data)


def _instance(schema_class: type[Schema]) -> Schema:
    """One instance per schema class: building a Schema costs more than loading a record
    (imports validate 100,000s of rows); ``load`` keeps no state between calls."""
    if schema_class not in _INSTANCES:
        _INSTANCES[schema_class] = schema_class()
    return _INSTANCES[schema_class]


_INSTANCES: dict[type[Schema], Schema] = {}


def _hashable(value: Any) -> Any:
    if type(value) is list and all(type(v) is str for v in value):  # sources: the usual list
        return ("list[str]", *value)
    if isinstance(value, list | tuple):
        return (type(value).__name__, *map(_hashable, value))
    if isinstance(value, dict):
        return ("dict", *sorted((k, _hashable(v)) for k, v in value.items()))
    return (type(value).__name__, value)  # 1 and 1.0 and True are different inputs


Loaded = dict[str, Any] | ValidationError  # a valid record, or why it is not
_SLOW = object()  # what a quick check returns when only the field itself can tell
ABSENT = missing  # a column's cell for a row that neither gives nor defaults the field


def _quick(field_: fields.Field) -> Any:
    """A check that answers ``field_.deserialize`` for the values it costs most on, or None.

    Ids, names and percentages are different in nearly every row, so remembering them does not
    help: an exact ``str`` (a ``String`` field) or a finite ``float`` (a ``Float`` field) is its
    own result when every validator of the field accepts it, which is what ``deserialize``
    does. Anything else (another type, a refused value) returns ``_SLOW``: the field's own
    ``deserialize`` answers, with its exact message.
    """
    kind = _own_kind(field_)
    if kind is None:
        return None
    validators = field_.validators

    def check(value: Any) -> Any:
        if type(value) is not kind or (kind is float and not math.isfinite(value)):
            return _SLOW
        try:
            for validator in validators:
                validator(value)
        except ValidationError:
            return _SLOW
        return value
    return check


def _own_kind(field_: fields.Field) -> type | None:
    """``str`` for a plain ``String`` field, ``float`` for a ``Float`` field refusing NaN, whose
    validators are all marshmallow's: values of that exact type that every validator accepts
    deserialise to themselves. None for any other field."""
    if field_.pre_load or field_.post_load or not all(
            isinstance(v, validate.Validator) for v in field_.validators):
        return None
    if type(field_) is fields.String:
        return str
    if type(field_) is fields.Float and field_.allow_nan is False:
        return float
    return None


def _column_validator(validator: validate.Validator) -> Any:
    """``validator`` asked of a whole column at once (True: it accepts every value), or None
    when it has no column form. Only marshmallow's validators with a plain rule have one; each
    column form answers as calling ``validator`` on every value would (a refusal then goes
    value by value through the field, for its exact message)."""
    kind = type(validator)
    if kind is validate.Regexp:
        match = validator.regex.match
        return lambda values: all(map(match, values))
    if kind is validate.OneOf:
        try:
            choices = frozenset(validator.choices)
        except TypeError:
            return None
        return lambda values: choices.issuperset(values)
    if kind is validate.Length:
        def lengths(values: list) -> bool:
            found = set(map(len, values))
            if not found:
                return True
            lo, hi = min(found), max(found)
            if validator.equal is not None:
                return found == {validator.equal}
            return ((validator.min is None or lo >= validator.min)
                    and (validator.max is None or hi <= validator.max))
        return lengths
    if kind is validate.Range:
        def within(values: list) -> bool:
            if not values:
                return True
            lo, hi = min(values), max(values)
            if validator.min is not None and (
                    lo < validator.min or (lo == validator.min and not validator.min_inclusive)):
                return False
            return validator.max is None or not (
                hi > validator.max or (hi == validator.max and not validator.max_inclusive))
        return within
    return None


def _column_check(field_: fields.Field) -> Any:
    """A check of a whole column of ``field_`` (True: every value deserialises to itself), made
    from the field's own type and validators, or None (the values go through the field)."""
    kind = _own_kind(field_)
    if kind is None:
        return None
    checks = [_column_validator(v) for v in field_.validators]
    if None in checks:
        return None

    def check(values: list) -> bool:
        if field_.allow_none and None in values:
            values = [v for v in values if v is not None]
        if set(map(type, values)) - {kind}:
            return False
        if kind is float and not all(map(math.isfinite, values)):
            return False
        return all(c(values) for c in checks)
    return check


@dataclass
class Columns:
    """What ``load_columns`` made of many rows: ``values[name][i]`` is row i's loaded value of
    the field ``name`` (ABSENT when the row neither gives nor defaults it), ``errors[i]`` row
    i's messages (as ``load`` raises them) or None. Lists may be shared between rows."""

    size: int
    values: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[dict[str, Any] | None] = field(default_factory=list)

    def cells(self) -> Iterator[tuple[Any, ...]]:
        """Each row's values, in the order of ``values``."""
        if not self.values:
            return iter(((),) * self.size)
        return zip(*self.values.values(), strict=True)

    def rows(self) -> list[Loaded]:
        """Each row as ``load`` answers it: its data (lists its own), or its ValidationError."""
        names = list(self.values)
        lists = [i for i, name in enumerate(names) if any(
            type(v) is list for v in self.values[name])]
        out: list[Loaded] = []
        for error, cells in zip(self.errors, self.cells(), strict=True):
            if error:
                out.append(ValidationError(error))
                continue
            data = {n: v for n, v in zip(names, cells, strict=True) if v is not ABSENT}
            for i in lists:
                value = cells[i]
                if type(value) is list:
                    data[names[i]] = list(value)
            out.append(data)
        return out


def load_columns(schema: Strict, rows: Sequence[dict[str, Any]]) -> Columns:
    """``schema.load`` of many rows, a column at a time: the same fields, messages and checks.

    A column whose field is a plain ``String`` or ``Float`` is checked at once with the
    column forms of its validators (``_column_check``); any other column, or one that fails,
    goes through the schema's own field objects, each distinct value once (a column of 100,000
    rows with a handful of confidences, dates and sources costs little). The checks across
    fields (``consistency``) then run on each row without an error. tests/test_schemas.py checks
    the answers are exactly ``load``'s, row by row.
    """
    by_key = {(f.data_key or name): (name, f) for name, f in schema.load_fields.items()}
    size = len(rows)
    out = Columns(size, errors=[None] * size)
    errors = out.errors
    dicts = [row if isinstance(row, dict) else {} for row in rows]
    given = set().union(*dicts)
    unknown = given - by_key.keys()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[i] = {"_schema": ["Invalid input type."]}
    for key, (name, field_) in by_key.items():
        if key not in given:
            if field_.required:
                message = [field_.error_messages["required"]]
                for i in range(size):
                    if errors[i] is None or "_schema" not in errors[i]:
                        errors[i] = {**(errors[i] or {}), key: list(message)}
            elif field_.load_default is not missing:
                default = field_.load_default
                out.values[name] = ([default() for _ in range(size)] if callable(default)
                                    else [default] * size)
            continue
        column = [row.get(key, ABSENT) for row in dicts]
        out.values[name] = _load_column(key, field_, column, dicts, errors)
    if unknown:
        for i, row in enumerate(dicts):
            if not unknown.isdisjoint(row) and (errors[i] is None or "_schema" not in errors[i]):
                errors[i] = {**(errors[i] or {}), **{k: ["Unknown field."] for k in row
                                                     if k in unknown}}
    order = {key: i for i, key in enumerate(by_key)}
    last = len(order)  # unknown fields after the schema's, in the row's order
    for i, error in enumerate(errors):
        if error and len(error) > 1:  # in load's order: the schema's fields, then unknown ones
            errors[i] = {k: error[k] for k in sorted(error, key=lambda k: order.get(k, last))}
    for i, messages in schema.column_consistency(
            out.values, [i for i, error in enumerate(errors) if error is None]).items():
        errors[i] = messages
    return out


def _load_column(key: str, field_: fields.Field, column: list[Any], rows: list[dict],
                 errors: list[dict[str, Any] | None]) -> list[Any]:
    """One column loaded: its values, ABSENT (or the field's default) where a row has none; a
    refused value's messages go into ``errors`` of its row."""
    absent = ABSENT in column
    given = [v for v in column if v is not ABSENT] if absent else column
    check = _column_check(field_)
    if check is not None and check(given):
        loaded = list(column)
    else:
        loaded = _load_values(key, field_, column, rows, errors)
    if absent:
        if field_.required:
            message = field_.error_messages["required"]
            for i, value in enumerate(column):
                if value is ABSENT and (errors[i] is None or "_schema" not in errors[i]):
                    errors[i] = {**(errors[i] or {}), key: [message]}
        elif field_.load_default is not missing:
            default = field_.load_default
            for i, value in enumerate(column):
                if value is ABSENT:
                    loaded[i] = default() if callable(default) else default
    return loaded


def _load_values(key: str, field_: fields.Field, column: list[Any], rows: list[dict],
                 errors: list[dict[str, Any] | None]) -> list[Any]:
    """A column value by value: each distinct value through the field once (a quick check
    answers for exact ``str`` or finite ``float`` values its validators accept)."""
    quick = _quick(field_)
    seen: dict[Any, tuple[bool, Any]] = {}
    kinds = set(map(type, column))
    if quick is None and kinds <= {str, type(ABSENT)}:  # most columns: remember each string
        first = dict(zip(reversed(column), range(len(column) - 1, -1, -1), strict=True))
        for value, i in first.items():  # the row of its first occurrence, as its data
            if value is not ABSENT:
                seen[value] = _deserialize(field_, value, key, rows[i])
        if all(ok for ok, _ in seen.values()):
            return [v if v is ABSENT else seen[v][1] for v in column]
    elif quick is None and kinds == {list}:  # lists (of sources): remember each list
        try:
            keys = (list(map(tuple, column))  # lists of strings: the items are the key
                    if set(map(type, itertools.chain.from_iterable(column))) <= {str}
                    else [_hashable(v) for v in column])
            first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
        except TypeError:  # an unhashable item
            first = {}
        listed = {memo: _deserialize(field_, column[i], key, rows[i])
                  for memo, i in first.items()}  # its own memo: keys of another form
        if first and all(ok for ok, _ in listed.values()):
            return [listed[k][1] for k in keys]
    loaded = []
    for i, value in enumerate(column):
        if value is ABSENT:
            loaded.append(ABSENT)
            continue
        if quick is not None and (result := quick(value)) is not _SLOW:
            loaded.append(result)
            continue
        try:
            memo = value if type(value) is str else _hashable(value)
            hit = seen.get(memo)
        except TypeError:  # an unhashable value: no memo
            memo, hit = None, None
        if hit is None:
            hit = _deserialize(field_, value, key, rows[i])
            if memo is not None:
                seen[memo] = hit
        ok, result = hit
        if ok:
            loaded.append(result)
        else:
            loaded.append(ABSENT)
            if errors[i] is None or "_schema" not in errors[i]:
                errors[i] = {**(errors[i] or {}), key: result}
    return loaded


def _deserialize(field_: fields.Field, value: Any, key: str, row: dict) -> tuple[bool, Any]:
    try:
        return True, field_.deserialize(value, key, row)
    except ValidationError as exc:
        return False, exc.messages


def load_many(schema: Strict, rows: Sequence[dict[str, Any]]) -> list[Loaded]:
    """``schema.load`` for each row, with the same fields, messages and checks, for bulk imports
    (``load_columns``, then each row as a record of its own)."""
    return load_columns(schema, rows).rows()


def validate_nodes(rows: Sequence[dict[str, Any]]) -> list[Loaded]:
    """``validate_node`` for many nodes (grouped by label, each group through ``load_many``)."""
    out: list[Loaded | None] = [None] * len(rows)
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        label = row.get("label") if isinstance(row, dict) else None
        if label not in NODE_SCHEMAS:
            out[i] = ValidationError({"label": [f"Must be one of: {', '.join(model.LABELS)}."]})
        else:
            groups.setdefault(label, []).append(i)
    for label, positions in groups.items():
        loaded = load_many(_instance(NODE_SCHEMAS[label]), [rows[i] for i in positions])
        for i, result in zip(positions, loaded, strict=True):
            out[i] = result
    return out  # type: ignore[return-value]


# --- relationships -----------------------------------------------------------------------------


# The relationships a beneficial-ownership disclosure gives (they keep what it said of each one).
DISCLOSED = ("OWNS", "CONTROLS", "HOLDS_ROLE", "HOLDS_INDIRECTLY", "PARTY_TO")


class RelationshipSchema(Strict):
    """What every relationship has: its ends, its evidence and its dates."""

    type = fields.String(required=True, validate=one_of(model.REL_TYPES))
    from_ = fields.String(required=True, data_key="from", validate=validate.Regexp(ID_PATTERN))
    to = fields.String(required=True, validate=validate.Regexp(ID_PATTERN))
    sources = fields.List(Url, load_default=list)
    confidence = fields.String(required=True, validate=one_of(model.CONFIDENCE))
    start_date = PartialDate(allow_none=True)
    end_date = PartialDate(allow_none=True)
    as_of = PartialDate(allow_none=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=5000))
    sensitive = fields.Boolean(load_default=False)
    # Evidence (graphapp/evidence): per-source tiers that override the domain table, one per
    # source ("" keeps the table's), and figures computed from others rather than read.
    source_tiers = fields.List(fields.String(validate=validate.OneOf(
        ("", *evidence.TIERS), error="Must be one of: {choices}.")), allow_none=True)
    derived = fields.Boolean(allow_none=True)
    method = fields.String(allow_none=True, validate=validate.Length(max=2000))
    # OWNS
    economic_pct = Percent
    voting_pct = Percent
    share_class = fields.String(allow_none=True)
    pct_min = Percent
    pct_max = Percent
    # CONTROLS
    means = fields.String(allow_none=True)
    # PARTY_TO: the party's role in the arrangement
    role = fields.String(validate=one_of(model.ARRANGEMENT_ROLES), allow_none=True)
    # HOLDS_INDIRECTLY: the intermediaries the register names, interested party's side first
    via = fields.List(fields.String(validate=validate.Regexp(ID_PATTERN)), allow_none=True)
    # HOLDS_ROLE
    title = fields.String(allow_none=True)
    kind = fields.String(validate=one_of(model.ROLE_KINDS), allow_none=True)
    # INVOLVES, OVERSEES, RESPONSIBLE_FOR
    mechanism = fields.String(allow_none=True)
    instrument = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    # What a disclosure said of an interest (BODS): its interest types, how direct it is and
    # whether it makes the party a beneficial owner.
    interests = fields.List(fields.String(), allow_none=True)
    direct_or_indirect = fields.String(validate=one_of(model.DIRECT_OR_INDIRECT),
                                       allow_none=True)
    beneficial_ownership = fields.Boolean(allow_none=True)

    TYPE_ONLY: ClassVar[dict[str, tuple[str, ...]]] = {
        "economic_pct": ("OWNS", "HOLDS_INDIRECTLY", "PARTY_TO"),
        "voting_pct": ("OWNS", "HOLDS_INDIRECTLY"), "share_class": ("OWNS",),
        "pct_min": ("OWNS", "HOLDS_INDIRECTLY", "PARTY_TO"),
        "pct_max": ("OWNS", "HOLDS_INDIRECTLY", "PARTY_TO"),
        "means": ("CONTROLS", "HOLDS_INDIRECTLY"), "title": ("HOLDS_ROLE",),
        "kind": ("HOLDS_ROLE",), "role": ("PARTY_TO",), "via": ("HOLDS_INDIRECTLY",),
        "interests": DISCLOSED, "direct_or_indirect": DISCLOSED,
        "beneficial_ownership": DISCLOSED,
        "mechanism": ("INVOLVES",), "instrument": ("OVERSEES",), "area": ("RESPONSIBLE_FOR",),
    }

    def consistency(self, data: dict[str, Any]) -> None:
        refused = self.column_consistency({k: [v] for k, v in data.items()}, [0])
        if refused:
            raise ValidationError(refused[0])

    def column_consistency(self, values: dict[str, list[Any]], rows: Sequence[int]
                           ) -> dict[int, dict[str, Any]]:
        """The checks across fields, each over the columns it reads (ABSENT or a column
        missing: not given), rule after rule, so each row's messages come in one order."""
        refused: dict[int, dict[str, list[str]]] = {}

        def given(name: str) -> list[Any] | None:
            column = values.get(name)
            return None if column is None else [
                None if v is ABSENT else v for v in column]

        def refuse(i: int, name: str, message: str) -> None:
            refused.setdefault(i, {}).setdefault(name, []).append(message)

        types = given("type") or [None] * (max(rows, default=-1) + 1)
        for name, allowed in self.TYPE_ONLY.items():
            column = given(name)
            for i in rows if column is not None else ():
                if column[i] is not None and types[i] not in allowed:
                    refuse(i, name, f"Only {' or '.join(allowed)} relationships have {name}.")
        if "PARTY_TO" in types:
            roles = given("role") or [None] * len(types)
            for i in rows:
                if types[i] == "PARTY_TO" and not roles[i]:
                    refuse(i, "role", "A PARTY_TO needs the party's role: one of "
                           f"{', '.join(model.ARRANGEMENT_ROLES)}.")
        low, high = given("pct_min"), given("pct_max")
        for i in rows if low is not None and high is not None else ():
            if low[i] is not None and high[i] is not None and low[i] > high[i]:
                refuse(i, "pct_min", "pct_min is larger than pct_max.")
        tiers = given("source_tiers")
        if tiers is not None:
            sources = given("sources") or [None] * len(tiers)
            for i in rows:
                if tiers[i] is not None and len(tiers[i]) != len(sources[i] or []):
                    refuse(i, "source_tiers", "Give one tier per source, in the order of "
                           "sources (\"\" keeps the table's).")
        method = given("method")
        if method is not None:
            derived = given("derived") or [None] * len(method)
            for i in rows:
                if method[i] and not derived[i]:
                    refuse(i, "method", "method explains a derived figure: set derived: "
                           "true, or leave method out.")
        start, end = given("start_date"), given("end_date")
        for i in rows if start is not None and end is not None else ():
            if start[i] and end[i] and end[i] < start[i]:
                refuse(i, "end_date", "end_date is before start_date.")
        starts, ends = given("from_"), given("to")
        for i in rows if starts is not None and ends is not None else ():
            if starts[i] and starts[i] == ends[i]:
                refuse(i, "to", "A relationship cannot join a node to itself.")
        return refused


class SourcedRelationshipSchema(RelationshipSchema):
    """The seed's standard: no claim without a source, a confidence and an as-of date."""

    sources = fields.List(Url, required=True,
                          validate=validate.Length(min=1, error="Give at least one source URL."))
    as_of = PartialDate(required=True)


def validate_relationship(data: dict[str, Any], sourced: bool = False) -> dict[str, Any]:
    """Validate one relationship; the result uses ``from_`` for its start id."""
    return _instance(SourcedRelationshipSchema if sourced else RelationshipSchema).load(data)


def validate_relationships(rows: Sequence[dict[str, Any]], sourced: bool = False
                           ) -> list[Loaded]:
    """``validate_relationship`` for many relationships, through ``load_many``."""
    return load_many(_instance(SourcedRelationshipSchema if sourced else RelationshipSchema), rows)


def error_lines(err: ValidationError, where: str = "") -> list[str]:
    """Flatten marshmallow messages into ``where: field: message`` lines."""
    lines: list[str] = []

    def walk(messages: Any, path: str) -> None:
        if isinstance(messages, dict):
            for key, value in messages.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(messages, list):
            for m in messages:
                walk(m, path)
        else:
            lines.append(f"{path}: {messages}" if path else str(messages))

    walk(err.messages, "")
    return [f"{where}: {line}" if where else line for line in lines]
