"""marshmallow schemas for query parameters (validated before any capability runs)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from graphapp.escalation import DEFAULT_LIMIT, DEFAULT_MAX_HOPS, MAX_HOPS_LIMIT, MAX_LIMIT, RUNGS
from graphapp.leverage import DEFAULT_MAX_DEPTH, DEFAULT_THRESHOLD, MAX_DEPTH
from graphapp.model import CONFIDENCE
from graphapp.schemas import ID_PATTERN, PartialDate


class SearchArgs(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Words to find in names, aliases, descriptions."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


# --- escalation (graphapp.escalation) ----------------------------------------------------------


def _check_kinds(values: list[str]) -> None:
    unknown = [k.strip() for v in values for k in v.split(",") if k.strip() not in RUNGS]
    if unknown:
        raise ValidationError(f"Unknown kind(s) {', '.join(unknown)}; use: {', '.join(RUNGS)}.")


class EscalationArgs(Schema):
    as_of = PartialDate(load_default=None, metadata={
        "description": "Answer for this date (YYYY, YYYY-MM or YYYY-MM-DD); default: today."})
    min_confidence = fields.String(load_default="alleged", validate=validate.OneOf(
        CONFIDENCE, error="Must be one of: {choices}."), metadata={
        "description": "Drop paths with weaker evidence on a hop "
                       "(alleged < reported < confirmed)."})
    kinds = fields.List(fields.String(), load_default=None, validate=_check_kinds, metadata={
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


class InterlockArgs(Schema):
    as_of = LookThroughArgs._declared_fields["as_of"]
    threshold = fields.Float(load_default=DEFAULT_THRESHOLD, validate=validate.Range(
        0, 100, min_inclusive=False), metadata={
        "description": "A major investor holds at least this % (economic or voting)."})
