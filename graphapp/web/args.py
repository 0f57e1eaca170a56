"""marshmallow schemas for query parameters (validated before any capability runs)."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import EXCLUDE, Schema, fields, validate

from graphapp import errors
from graphapp.engagement.rules import (
    COMMITMENT_OPTIONS,
    LIST_OPTIONS,
    OVERDUE_OPTIONS,
    EngagementOptions,
)
from graphapp.escalation import EscalationOptions
from graphapp.leverage import (
    INTERLOCK_OPTIONS,
    LOOK_THROUGH_OPTIONS,
    NETWORK_OPTIONS,
    PAGE_OPTIONS,
    ExposurePages,
    LeverageOptions,
)


def query_args(schema: Schema | type[Schema], list_args: tuple[str, ...] = (),
               replace: dict[str, Any] | None = None) -> dict[str, Any]:
    """A page's query parameters validated by ``schema``, as the API validates them.

    Blank values are dropped; ``list_args`` are read as repeated parameters; ``replace`` holds
    values the page already worked out (a name typed in a field, as the id it names). A bad one
    is a 400 that names it.
    """
    raw: dict[str, Any] = {k: v for k, v in request.args.items()
                           if k not in list_args and v.strip()}
    for key in list_args:
        values = [v for v in request.args.getlist(key) if v.strip()]
        if values:
            raw[key] = values
    raw.update(replace or {})
    return errors.load(schema() if isinstance(schema, type) else schema, raw, unknown=EXCLUDE)


class SearchArgs(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Words to find in names, aliases, descriptions."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


# --- escalation (graphapp.escalation) ----------------------------------------------------------


EscalationArgs = EscalationOptions()


# --- leverage (graphapp.leverage: one schema, each reader's options) ----------------------------

LookThroughArgs = LeverageOptions(only=LOOK_THROUGH_OPTIONS)
NetworkArgs = LeverageOptions(only=NETWORK_OPTIONS)
InterlockArgs = LeverageOptions(only=INTERLOCK_OPTIONS)


class ChartOptions(LeverageOptions):
    """The company page's chart: how many holders it draws (at most 30 stay legible)."""

    top = fields.Integer(load_default=10, validate=validate.Range(1, 30), metadata={
        "description": "How many holders the chart shows."})
    phone = fields.Boolean(load_default=False, metadata={
        "description": "Drawn narrow, for a phone screen (the page asks for it there)."})


LeverageChartArgs = ChartOptions(only=("as_of", "max_depth", "top", "phone"))


class ExposureOptions(LeverageOptions, ExposurePages):
    """An investor's exposure in the API: the look-through's options and which page of it."""


ExposureArgs = ExposureOptions(only=(*LOOK_THROUGH_OPTIONS, *PAGE_OPTIONS))
# The exposure page: which page of its holdings and of its harms (50 rows each)
ListPageArgs = ExposurePages(only=("page", "harms_page"))


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
