"""The JSON API under /api (OpenAPI description at /api/openapi.json)."""

from __future__ import annotations

from flask_smorest import Blueprint

from graphapp import entities
from graphapp.auth import may_see_sensitive
from graphapp.db import get_graph
from graphapp.views.args import (
    EscalationArgs,
    ExportArgs,
    InterlockArgs,
    LookThroughArgs,
    SearchArgs,
)

blp = Blueprint("api", __name__, url_prefix="/api", description="graphapp's JSON API")


@blp.route("/entities")
@blp.arguments(SearchArgs, location="query", error_status_code=400)
def list_entities(args):
    """Search entities by name, alias or description."""
    results = entities.search(get_graph(), args["q"], limit=args["limit"],
                              include_sensitive=may_see_sensitive())
    return {"query": args["q"], "count": len(results), "results": results}


@blp.route("/entities/<string:entity_id>")
def get_entity(entity_id: str):
    """One entity with its properties and relationships (with evidence)."""
    return entities.get_entity(get_graph(), entity_id, include_sensitive=may_see_sensitive())


@blp.route("/stats")
def stats():
    """Counts by label and relationship type; relationships without a source."""
    return entities.stats(get_graph(), include_sensitive=may_see_sensitive())


@blp.route("/harms/<string:harm_id>/escalation")
@blp.arguments(EscalationArgs, location="query", error_status_code=400)
def harm_escalation(args, harm_id: str):
    """Escalation ladder for a harm: ranked targets by rung, each with its path and evidence."""
    from graphapp import escalation

    return escalation.escalate(get_graph(), harm_id, **args,
                               include_sensitive=may_see_sensitive())


@blp.route("/companies/<string:company_id>/leverage")
@blp.arguments(LookThroughArgs, location="query", error_status_code=400)
def company_leverage(args, company_id: str):
    """Who holds a company: direct stakes, look-through (economic and voting), controller."""
    from graphapp import leverage

    return leverage.company_leverage(get_graph(), company_id, **args,
                                     include_sensitive=may_see_sensitive())


@blp.route("/investors/<string:investor_id>/exposure")
@blp.arguments(LookThroughArgs, location="query", error_status_code=400)
def investor_exposure(args, investor_id: str):
    """What an investor holds through chains, and the harms linked to it, ranked."""
    from graphapp import leverage

    return leverage.investor_exposure(get_graph(), investor_id, **args,
                                      include_sensitive=may_see_sensitive())


@blp.route("/companies/<string:company_id>/interlocks")
@blp.arguments(InterlockArgs, location="query", error_status_code=400)
def company_interlocks(args, company_id: str):
    """Companies sharing board members or major investors with this one."""
    from graphapp import leverage

    return leverage.interlocks(get_graph(), company_id, **args,
                               include_sensitive=may_see_sensitive())


EXPORT_RESPONSES = {"200": {
    "description": "The export, as an attachment: text/html (standalone, offline), image/png, "
                   "image/svg+xml, application/graphml+xml, application/gexf+xml, "
                   "application/zip (Kumu elements.csv + connections.csv) or application/json "
                   "(networkx node-link). Sensitive nodes and relationships are redacted "
                   "unless include_sensitive=true.",
    "content": {m: {"schema": {"type": "string", "format": "binary"}}
                for m in ("text/html", "image/png", "image/svg+xml", "application/graphml+xml",
                          "application/gexf+xml", "application/zip", "application/json")}},
    "400": {"description": "A parameter is invalid or missing; the message names it."},
    "404": {"description": "No entity, harm, investor or company with that id."}}


@blp.route("/export")
@blp.arguments(ExportArgs, location="query", error_status_code=400)
@blp.doc(responses=EXPORT_RESPONSES)
def export(args):
    """Export a graph view (escalation, entity neighbourhood, investor or company map, the
    whole graph) as interactive HTML, PNG, SVG, GraphML, GEXF, Kumu CSV or node-link JSON."""
    from graphapp.views.exporting import download

    return download(args)
