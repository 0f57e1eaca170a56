"""marshmallow schemas for query parameters (validated before any capability runs)."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import EXCLUDE, Schema, fields, validate

from graphapp import errors, evidence
from graphapp.engagement.rules import (
    COMMITMENT_OPTIONS,
    LIST_OPTIONS,
    OVERDUE_OPTIONS,
    EngagementOptions,
)
from graphapp.escalation import DEFAULT_LIMIT, DEFAULT_MAX_HOPS, MAX_HOPS_LIMIT, MAX_LIMIT, RUNGS
from graphapp.exports.options import check_kinds
from graphapp.leverage import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_THRESHOLD,
    DEFAULT_TOP,
    MAX_DEPTH,
    MAX_TOP,
)
from graphapp.store.model import CONFIDENCE
from graphapp.store.schemas import ID_PATTERN, PartialDate


def query_args(schema: Schema | type[Schema], list_args: tuple[str, ...] = ()) -> dict[str, Any]:
    """A page's query parameters validated by ``schema``, as the API validates them.

    Blank values are dropped; ``list_args`` are read as repeated parameters. A bad one is a 400
    that names it.
    """
    raw: dict[str, Any] = {k: v for k, v in request.args.items()
                           if k not in list_args and v.strip()}
    for key in list_args:
        values = [v for v in request.args.getlist(key) if v.strip()]
        if values:
            raw[key] = values
    return errors.load(schema() if isinstance(schema, type) else schema, raw, unknown=EXCLUDE)


class SearchArgs(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Words to find in names, aliases, descriptions."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


# --- escalation (graphapp.escalation) ----------------------------------------------------------


class EscalationArgs(Schema):
    as_of = PartialDate(load_default=None, metadata={
        "description": "Answer for this date (YYYY, YYYY-MM or YYYY-MM-DD); default: today."})
    min_confidence = fields.String(load_default="alleged", validate=validate.OneOf(
        CONFIDENCE, error="Must be one of: {choices}."), metadata={
        "description": "Drop paths with weaker evidence on a hop "
                       "(alleged < reported < confirmed)."})
    min_evidence = fields.String(load_default="none", validate=validate.OneOf(
        evidence.LEVELS, error="Must be one of: {choices}."), metadata={
        "description": "Drop paths whose weakest hop rests on less (none < tertiary < "
                       "secondary < corroborated < primary; docs/evidence.md)."})
    kinds = fields.List(fields.String(), load_default=None, validate=check_kinds, metadata={
        "description": "Rungs to keep, comma-separated or repeated: " + ", ".join(RUNGS) + "."})
    max_hops = fields.Integer(load_default=DEFAULT_MAX_HOPS,
                              validate=validate.Range(1, MAX_HOPS_LIMIT))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    org = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "Your Organization's id: shared forums and contacts count as access."})


# --- leverage (graphapp.leverage) --------------------------------------------------------------


class LookThroughArgs(Schema):
    as_of = PartialDate(load_default=None, metadata={
        "description": "Stakes held on this date (YYYY, YYYY-MM or YYYY-MM-DD); "
                       "default: the current ones."})
    max_depth = fields.Integer(load_default=DEFAULT_MAX_DEPTH,
                               validate=validate.Range(1, MAX_DEPTH), metadata={
        "description": "Longest ownership chain followed, in hops."})


class LeverageChartArgs(LookThroughArgs):
    top = fields.Integer(load_default=10, validate=validate.Range(1, 30), metadata={
        "description": "How many holders the chart shows."})


class NetworkArgs(Schema):
    as_of = LookThroughArgs._declared_fields["as_of"]
    top = fields.Integer(load_default=DEFAULT_TOP, validate=validate.Range(1, MAX_TOP), metadata={
        "description": "How many holders to list, by network value."})


class InterlockArgs(Schema):
    as_of = LookThroughArgs._declared_fields["as_of"]
    threshold = fields.Float(load_default=DEFAULT_THRESHOLD, validate=validate.Range(
        0, 100, min_inclusive=False), metadata={
        "description": "A major investor holds at least this % (economic or voting)."})


# --- engagements (graphapp.engagement: one schema, each reader's options) -----------------------

OverdueArgs = EngagementOptions(only=OVERDUE_OPTIONS)
EngagementListArgs = EngagementOptions(only=LIST_OPTIONS)
CommitmentListArgs = EngagementOptions(only=COMMITMENT_OPTIONS)


# --- entity edits (graphapp.audit; docs/security.md) -------------------------------------------


class EntityEditArgs(Schema):
    """PUT /api/entities/<id>: the version you edited, and the fields to change."""

    version = fields.String(required=True, metadata={
        "description": "The entity's properties.updated_at as you read it ('' if it had "
                       "none); a newer one means someone else changed it: 409."})
    changes = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "Fields to set (name, description, aliases, sensitive); null or '' "
                       "removes one."})
