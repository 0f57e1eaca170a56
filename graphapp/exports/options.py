"""The export's options (one marshmallow schema): the API, the pages' export forms and
``graphapp export`` validate with it before :func:`graphapp.exports.export` runs."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from graphapp import exports
from graphapp.escalation import MAX_HOPS_LIMIT, MAX_LIMIT, check_kinds
from graphapp.leverage import MAX_DEPTH
from graphapp.store.model import CONFIDENCE
from graphapp.store.schemas import ID_PATTERN, PartialDate


class ExportOptions(Schema):
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
                       "square (1080x1080), social (1080x1350 portrait)."})
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
    kinds = fields.List(fields.String(), load_default=None, validate=check_kinds, metadata={
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
