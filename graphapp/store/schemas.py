"""marshmallow schemas: every node and relationship is validated here before any Cypher runs.

Errors come back as ``{field: [message]}`` so that every message names its field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Sequence
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


def _quick(field_: fields.Field) -> Any:
    """A check that answers ``field_.deserialize`` for the values it costs most on, or None.

    Ids, names and percentages are different in nearly every row, so remembering them does not
    help: an exact ``str`` (a ``String`` field) or a finite ``float`` (a ``Float`` field) is its
    own result when every validator of the field accepts it, which is what ``deserialize``
    does. Anything else (another type, a refused value) returns ``_SLOW``: the field's own
    ``deserialize`` answers, with its exact message.
    """
    validators = field_.validators
    if field_.pre_load or field_.post_load or not all(
            isinstance(v, validate.Validator) for v in validators):
        return None
    if type(field_) is fields.String:
        kind = str
    elif type(field_) is fields.Float and field_.allow_nan is False:
        kind = float
    else:
        return None

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


def load_many(schema: Strict, rows: Sequence[dict[str, Any]]) -> list[Loaded]:
    """``schema.load`` for each row, with the same fields, messages and checks, for bulk imports.

    Each distinct value of a field is deserialised once (through the schema's own field objects),
    so a column of 100,000 rows with a handful of confidences, dates and sources costs little.
    tests/test_schemas.py checks that it answers exactly as ``load`` does, row by row.
    """
    by_key = {(f.data_key or name): (name, f) for name, f in schema.load_fields.items()}
    quick = {key: check for key, (_, f) in by_key.items() if (check := _quick(f)) is not None}
    required = [(key, f) for key, (_, f) in by_key.items() if f.required]
    defaults = [(key, name, f.load_default) for key, (name, f) in by_key.items()
                if not f.required and f.load_default is not missing]
    order = {key: i for i, key in enumerate(by_key)}
    seen: dict[tuple[str, Any], tuple[bool, Any]] = {}
    out: list[Loaded] = []
    for row in rows:
        if not isinstance(row, dict):
            out.append(ValidationError({"_schema": ["Invalid input type."]}))
            continue
        data: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for key, value in row.items():
            entry = by_key.get(key)
            if entry is None:
                errors[key] = ["Unknown field."]
                continue
            name, field_ = entry
            check = quick.get(key)
            if check is not None and (result := check(value)) is not _SLOW:
                data[name] = result
                continue
            try:
                memo = (key, value if type(value) is str else _hashable(value))
                hit = seen.get(memo)
            except TypeError:  # an unhashable value: no memo
                memo, hit = None, None
            if hit is None:
                try:
                    hit = (True, field_.deserialize(value, key, row))
                except ValidationError as exc:
                    hit = (False, exc.messages)
                if memo is not None:
                    seen[memo] = hit
            ok, result = hit
            if ok:
                data[name] = list(result) if isinstance(result, list) else result
            else:
                errors[key] = result
        for key, field_ in required:
            if key not in row:
                errors[key] = [field_.error_messages["required"]]
        for key, name, default in defaults:
            if key not in row:
                data[name] = default() if callable(default) else default
        if errors:  # in load's order: the schema's fields, then unknown ones
            errors = {k: errors[k] for k in sorted(errors, key=lambda k: order.get(k, len(order)))}
        else:
            try:
                schema.consistency(data)
            except ValidationError as exc:
                errors = exc.normalized_messages()
        out.append(ValidationError(errors) if errors else data)
    return out


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
    _NOT_OF_TYPE: ClassVar[dict[str, tuple[str, ...]]] = {}  # memo of consistency's

    def consistency(self, data: dict[str, Any]) -> None:
        errors: dict[str, list[str]] = {}
        rel_type = data.get("type")
        not_of_type = self._NOT_OF_TYPE.get(rel_type) if type(rel_type) is str else None
        if not_of_type is None:  # the properties this type may not have, in TYPE_ONLY's order
            not_of_type = tuple(n for n, types in self.TYPE_ONLY.items() if rel_type not in types)
            if type(rel_type) is str:
                self._NOT_OF_TYPE[rel_type] = not_of_type
        for name in not_of_type:
            if data.get(name) is not None:
                errors.setdefault(name, []).append(
                    f"Only {' or '.join(self.TYPE_ONLY[name])} relationships have {name}.")
        if data.get("type") == "PARTY_TO" and not data.get("role"):
            errors.setdefault("role", []).append(
                f"A PARTY_TO needs the party's role: one of {', '.join(model.ARRANGEMENT_ROLES)}.")
        lo, hi = data.get("pct_min"), data.get("pct_max")
        if lo is not None and hi is not None and lo > hi:
            errors.setdefault("pct_min", []).append("pct_min is larger than pct_max.")
        tiers = data.get("source_tiers")
        if tiers is not None and len(tiers) != len(data.get("sources") or []):
            errors.setdefault("source_tiers", []).append(
                "Give one tier per source, in the order of sources (\"\" keeps the table's).")
        if data.get("method") and not data.get("derived"):
            errors.setdefault("method", []).append(
                "method explains a derived figure: set derived: true, or leave method out.")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            errors.setdefault("end_date", []).append("end_date is before start_date.")
        if data.get("from_") and data.get("from_") == data.get("to"):
            errors.setdefault("to", []).append("A relationship cannot join a node to itself.")
        if errors:
            raise ValidationError(errors)


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
