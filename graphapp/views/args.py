"""marshmallow schemas for query parameters (validated before any capability runs)."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from graphapp import exports
from graphapp.errors import BadRequest
from graphapp.escalation import DEFAULT_LIMIT, DEFAULT_MAX_HOPS, MAX_HOPS_LIMIT, MAX_LIMIT, RUNGS
from graphapp.leverage import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_THRESHOLD,
    DEFAULT_TOP,
    MAX_DEPTH,
    MAX_TOP,
)
from graphapp.model import CONFIDENCE
from graphapp.schemas import ID_PATTERN, PartialDate


def query_args(schema_class: type[Schema], list_args: tuple[str, ...] = ()) -> dict[str, Any]:
    """A page's query parameters validated by ``schema_class``, as the API validates them.

    Blank values are dropped; ``list_args`` are read as repeated parameters. A bad one is a 400
    that names it.
    """
    raw: dict[str, Any] = {k: v for k, v in request.args.items()
                           if k not in list_args and v.strip()}
    for key in list_args:
        values = [v for v in request.args.getlist(key) if v.strip()]
        if values:
            raw[key] = values
    try:
        return schema_class(unknown=EXCLUDE).load(raw)
    except ValidationError as exc:
        raise BadRequest(f"Invalid parameter(s): {', '.join(sorted(exc.messages))}.",
                         errors={"query": exc.messages}) from None


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
    dated_only = fields.Boolean(load_default=False, metadata={
        "description": "With as_of: leave out relationships with no start date (by default "
                       "they count, marked 'start unknown')."})


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


# --- exports (graphapp.exports) ----------------------------------------------------------------


class ExportArgs(Schema):
    """Which view to export, in which format, with which options (docs/exports.md)."""

    view = fields.String(required=True, validate=validate.OneOf(
        exports.VIEWS, error="Must be one of: {choices}."), metadata={
        "description": "escalation (harm=ID), entity (id=ID, depth=N), investor (id=ID), "
                       "company (id=ID: who holds it), graph (the whole graph, filtered)."})
    format = fields.String(load_default="html", validate=validate.OneOf(
        exports.FORMATS, error="Must be one of: {choices}."), metadata={
        "description": "html (interactive, offline), png, svg, graphml, gexf, "
                       "csv (a zip of Kumu elements.csv and connections.csv), json "
                       "(networkx node-link)."})
    id = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "The entity (view=entity), investor (view=investor) or company "
                       "(view=company)."})
    harm = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "The harm whose escalation paths to export (view=escalation)."})
    depth = fields.Integer(load_default=1, validate=validate.Range(1, exports.MAX_DEPTH),
                           metadata={"description": "Hops around the entity (view=entity), "
                                                    f"1 to {exports.MAX_DEPTH}."})
    size = fields.String(load_default="slide", validate=validate.OneOf(
        exports.SIZES, error="Must be one of: {choices}."), metadata={
        "description": "PNG/SVG size: a4 (print, landscape), slide (1920x1080), "
                       "square (1080x1080, social media)."})
    include_sensitive = fields.Boolean(load_default=False, metadata={
        "description": "Show sensitive people and relationships instead of placeholders."})
    title = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "A title instead of the view's own."})
    caption = fields.String(load_default=None, validate=validate.Length(max=1000), metadata={
        "description": "A caption instead of the view's own."})
    labels = fields.List(fields.String(), load_default=None, metadata={
        "description": "view=graph: nodes with one of these labels (comma-separated or "
                       "repeated)."})
    countries = fields.List(fields.String(), load_default=None, metadata={
        "description": "view=graph: nodes in one of these countries (ISO 3166-1 alpha-2)."})
    min_confidence = fields.String(load_default=None, validate=validate.OneOf(
        CONFIDENCE, error="Must be one of: {choices}."), metadata={
        "description": "Relationships with at least this evidence "
                       "(alleged < reported < confirmed)."})
    as_of = PartialDate(load_default=None, metadata={
        "description": "Relationships active on this date (YYYY, YYYY-MM or YYYY-MM-DD)."})
    kinds = fields.List(fields.String(), load_default=None, validate=_check_kinds, metadata={
        "description": "view=escalation: rungs to keep."})
    max_hops = fields.Integer(load_default=None, validate=validate.Range(1, MAX_HOPS_LIMIT),
                              metadata={"description": "view=escalation: longest path."})
    max_depth = fields.Integer(load_default=None, validate=validate.Range(1, MAX_DEPTH),
                               metadata={"description": "view=investor/company: longest "
                                                        "ownership chain followed."})
    limit = fields.Integer(load_default=None, validate=validate.Range(1, exports.MAX_GRAPH_LIMIT),
                           metadata={"description": "view=escalation: targets (at most "
                                                    f"{MAX_LIMIT}); view=graph: nodes."})
    org = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "view=escalation: your Organization's id."})

    @validates_schema
    def _needs_subject(self, data, **kwargs):
        view = data.get("view")
        if view == "escalation" and not data.get("harm"):
            raise ValidationError("view=escalation needs harm (the harm's id).", "harm")
        if view in ("entity", "investor", "company") and not data.get("id"):
            raise ValidationError(f"view={view} needs id (the entity's id).", "id")


# --- engagements (graphapp.engagement) ---------------------------------------------------------


class OverdueArgs(Schema):
    days = fields.Integer(load_default=None, validate=validate.Range(1, 3650), metadata={
        "description": "An engagement with no answer after more than this many days is overdue "
                       "(default: the app's ENGAGEMENT_OVERDUE_DAYS, 30)."})
    as_of = PartialDate(load_default=None, metadata={
        "description": "Answer for this day (YYYY, YYYY-MM or YYYY-MM-DD: its last day); "
                       "default: today."})


class EngagementListArgs(OverdueArgs):
    harm = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "Only engagements about this harm."})
    org = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "Only engagements by this organisation."})
    target = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "Only engagements to this person, team, company, investor, regulator "
                       "or forum."})
    limit = fields.Integer(load_default=500, validate=validate.Range(1, 5000))


class CommitmentListArgs(Schema):
    harm = EngagementListArgs._declared_fields["harm"]
    company = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "Only commitments made by this company."})
    past_due = fields.Boolean(load_default=False, metadata={
        "description": "Only pending or partial commitments whose due date has passed."})
    as_of = OverdueArgs._declared_fields["as_of"]
    limit = EngagementListArgs._declared_fields["limit"]


# --- entity edits (graphapp.audit; docs/security.md) -------------------------------------------


class EntityEditArgs(Schema):
    """PUT /api/entities/<id>: the version you edited, and the fields to change."""

    version = fields.String(required=True, metadata={
        "description": "The entity's properties.updated_at as you read it ('' if it had "
                       "none); a newer one means someone else changed it: 409."})
    changes = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "Fields to set (name, description, aliases, sensitive); null or '' "
                       "removes one."})
