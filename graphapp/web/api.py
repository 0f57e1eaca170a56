"""The JSON API under /api (OpenAPI description at /api/openapi.json)."""

from __future__ import annotations

from flask_smorest import Api, Blueprint
from marshmallow import INCLUDE, Schema, fields

from graphapp import audit, engagement, entities, escalation, leverage
from graphapp.auth import actor, may_see_sensitive, requires
from graphapp.engagement import standing
from graphapp.errors import GraphappError
from graphapp.exports.options import ExportOptions
from graphapp.web.args import (
    CommitmentListArgs,
    EngagementListArgs,
    EntityEditArgs,
    EscalationArgs,
    ExposureArgs,
    InterlockArgs,
    LookThroughArgs,
    NetworkArgs,
    OverdueArgs,
    SearchArgs,
)
from graphapp.web.exporting import download
from graphapp.web.graph import get_graph
from graphapp.web.pages import exposure_page

blp = Blueprint("api", __name__, url_prefix="/api", description="graphapp's JSON API")


class ErrorSchema(Schema):
    """Every error answer (graphapp.web.errors.render_error): the HTTP status, its title, a
    message for people and, for invalid input, the errors by field."""

    class Meta:
        unknown = INCLUDE

    status = fields.Integer(required=True)
    error = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict()


class GraphappApi(Api):
    """flask-smorest's Api, describing errors as graphapp answers them."""

    ERROR_SCHEMA = ErrorSchema


def _json_object(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"type": "object"}}}}


# What a successful call answers (each operation's docstring says what the object holds); an
# error is ErrorSchema, the description's default response.
ANSWERED = {"200": _json_object("The answer, as a JSON object.")}
CREATED = {"201": _json_object("The record as written, as a JSON object.")}


@blp.route("/entities")
@blp.doc(responses=ANSWERED)
@blp.arguments(SearchArgs, location="query", error_status_code=400)
def list_entities(args):
    """Search entities by name, alias or description."""
    results = entities.search(get_graph(), args["q"], limit=args["limit"],
                              include_sensitive=may_see_sensitive())
    return {"query": args["q"], "count": len(results), "results": results}


@blp.route("/entities/<string:entity_id>")
@blp.doc(responses=ANSWERED)
def get_entity(entity_id: str):
    """One entity with its properties and relationships (with evidence)."""
    return entities.get_entity(get_graph(), entity_id, include_sensitive=may_see_sensitive())


@blp.route("/stats")
@blp.doc(responses=ANSWERED)
def stats():
    """Counts by label and relationship type; relationships without a source."""
    return entities.stats(get_graph(), include_sensitive=may_see_sensitive(), exact=True)


@blp.route("/harms/<string:harm_id>/escalation")
@blp.doc(responses=ANSWERED)
@blp.arguments(EscalationArgs, location="query", error_status_code=400)
def harm_escalation(args, harm_id: str):
    """Escalation ladder for a harm: ranked targets by rung, each with its path and evidence."""
    return escalation.escalate(get_graph(), harm_id, **args,
                               include_sensitive=may_see_sensitive())


@blp.route("/companies/<string:company_id>/leverage")
@blp.doc(responses=ANSWERED)
@blp.arguments(LookThroughArgs, location="query", error_status_code=400)
def company_leverage(args, company_id: str):
    """Who holds a company: direct stakes, look-through (economic and voting), controller."""
    return leverage.company_leverage(get_graph(), company_id, **args,
                                     include_sensitive=may_see_sensitive())


@blp.route("/investors/<string:investor_id>/exposure")
@blp.doc(responses=ANSWERED)
@blp.arguments(ExposureArgs, location="query", error_status_code=400)
def investor_exposure(args, investor_id: str):
    """What an investor holds through chains, and the harms linked to it, ranked: one page of
    each (``page``, ``harms_page``, ``per_page``; ``holdings_page`` and ``harms_page`` in the
    answer say where it is), as the investor's page shows them."""
    pages = {k: args.pop(k) for k in ("page", "harms_page", "per_page")}
    return exposure_page(investor_id, args, **pages)


@blp.route("/companies/<string:company_id>/interlocks")
@blp.doc(responses=ANSWERED)
@blp.arguments(InterlockArgs, location="query", error_status_code=400)
def company_interlocks(args, company_id: str):
    """Companies sharing board members or major investors with this one."""
    return leverage.interlocks(get_graph(), company_id, **args,
                               include_sensitive=may_see_sensitive())


@blp.route("/leverage/network")
@blp.doc(responses=ANSWERED)
@blp.arguments(NetworkArgs, location="query", error_status_code=400)
def network_holders(args):
    """Who holds the most across the whole network: every holder's network value (look-through
    over every chain), the top ones with their reach, control and evidence caveats."""
    return leverage.network_holders(get_graph(), **args, include_sensitive=may_see_sensitive())


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
@blp.arguments(ExportOptions, location="query", error_status_code=400)
@blp.doc(responses=EXPORT_RESPONSES)
def export(args):
    """Export a graph view (escalation, entity neighbourhood, investor or company map, the
    whole graph) as interactive HTML, PNG, SVG, GraphML, GEXF, Kumu CSV or node-link JSON."""
    return download(args)


# --- engagements (graphapp.engagement; docs/engagement.md) ------------------------------------
# Writes need the editor role (graphapp.auth) and are audited. The API blueprint is exempt from
# CSRFProtect's form check: token clients send a bearer token, and graphapp.auth asks
# cookie-signed-in API writes for the X-CSRFToken header.


def _editor(view):
    """graphapp.auth's editor gate."""
    return requires("editor")(view)


def _actor() -> str:
    return actor()


def _engagement_days(args: dict) -> dict:
    from flask import current_app

    days = args.get("days") or current_app.config.get("ENGAGEMENT_OVERDUE_DAYS",
                                                      engagement.DEFAULT_OVERDUE_DAYS)
    return {**args, "days": days}


def _json_body():
    from flask import request

    return request.get_json(silent=True)


@blp.route("/engagements", methods=["GET"])
@blp.doc(responses=ANSWERED)
@blp.arguments(EngagementListArgs, location="query", error_status_code=400)
def list_engagements(args):
    """Engagements (letters, emails, meetings, open letters, questionnaires, complaints,
    litigation, campaigns), newest first, each with its state (answered, awaiting, overdue...).
    Filter with harm, org, target."""
    args = _engagement_days(args)
    found = engagement.list_engagements(get_graph(), **args,
                                        include_sensitive=may_see_sensitive())
    return {"days": args["days"], "count": len(found), "engagements": found}


@blp.route("/engagements", methods=["POST"])
@blp.doc(responses=CREATED)
@_editor
def create_engagement():
    """Record an engagement: name, kind, date, status, by (organisation ids), to (target ids),
    about (harm ids), sources; 422 naming every invalid field."""
    return engagement.create_engagement(get_graph(), _json_body(), user=_actor()), 201


@blp.route("/engagements/overdue")
@blp.doc(responses=ANSWERED)
@blp.arguments(OverdueArgs, location="query", error_status_code=400)
def overdue_engagements(args):
    """Engagements with no answer after more than `days` days, or recorded as no_response."""
    args = _engagement_days(args)
    found = engagement.overdue(get_graph(), **args, include_sensitive=may_see_sensitive())
    return {"days": args["days"], "count": len(found), "engagements": found}


@blp.route("/engagements/<string:engagement_id>", methods=["GET"])
@blp.doc(responses=ANSWERED)
def get_engagement(engagement_id: str):
    """One engagement with its ties, evidence and state; its ``version`` is also the ETag."""
    found = engagement.get_engagement(get_graph(), engagement_id,
                                      include_sensitive=may_see_sensitive())
    return found, 200, {"ETag": f'"{found["version"]}"'}


def _engagement_precondition(body: object) -> tuple[str, int]:
    """The version an update was made on, and the status if it is stale: ``If-Match`` (412)
    or a ``version`` field in the body (409). Neither: 428, so no update overwrites a change
    its sender never saw."""
    from flask import request

    if request.if_match and not request.if_match.star_tag:
        tags = list(request.if_match.as_set(include_weak=True))
        if len(tags) == 1:
            return tags[0], 412
    if isinstance(body, dict) and isinstance(body.get("version"), str):
        return body.pop("version"), 409
    raise GraphappError(
        "Say which version you are changing: send the engagement's ETag (from GET "
        "/api/engagements/<id>) in If-Match, or its \"version\" in the body.", status=428,
        title="Precondition required", errors={"header": {"If-Match": ["Missing."]}})


@blp.route("/engagements/<string:engagement_id>", methods=["PATCH", "PUT"])
@blp.doc(responses=ANSWERED)
@_editor
def update_engagement(engagement_id: str):
    """Update an engagement's status, response_date, outcome, subject, name or sources, if it
    is still at the version sent (``If-Match: "<version>"`` or ``"version"`` in the body)."""
    body = _json_body()
    version, status = _engagement_precondition(body)
    found = engagement.update_engagement(get_graph(), engagement_id, body, user=_actor(),
                                         version=version, status_on_conflict=status)
    return found, 200, {"ETag": f'"{found["version"]}"'}


@blp.route("/commitments", methods=["GET"])
@blp.doc(responses=ANSWERED)
@blp.arguments(CommitmentListArgs, location="query", error_status_code=400)
def list_commitments(args):
    """Commitments made by companies (filter by harm, company; past_due=true)."""
    past_due = args.pop("past_due")
    found = engagement.list_commitments(get_graph(), **args,
                                        include_sensitive=may_see_sensitive())
    if past_due:
        found = [c for c in found if c["past_due"]]
    return {"count": len(found), "commitments": found}


@blp.route("/commitments", methods=["POST"])
@blp.doc(responses=CREATED)
@_editor
def create_commitment():
    """Record a commitment: name, text, date_made, due_date, status, made_by (a company),
    in_response_to (engagement ids), about (harm ids), sources."""
    return engagement.create_commitment(get_graph(), _json_body(), user=_actor()), 201


@blp.route("/companies/<string:company_id>/responsiveness")
@blp.doc(responses=ANSWERED)
@blp.arguments(OverdueArgs, location="query", error_status_code=400)
def company_responsiveness(args, company_id: str):
    """Response rate and median response time of a company, its teams and its people."""
    result = engagement.responsiveness(get_graph(), company_id, **_engagement_days(args),
                                       include_sensitive=may_see_sensitive())
    result["engagements"] = result.pop("engagement_list")
    return result


@blp.route("/harms/<string:harm_id>/engagement")
@blp.doc(responses=ANSWERED)
@blp.arguments(OverdueArgs, location="query", error_status_code=400)
def harm_engagement(args, harm_id: str):
    """Where engagement on a harm stands per rung, and the next rung for silent targets."""

    return standing.ladder(get_graph(), harm_id, **_engagement_days(args),
                             include_sensitive=may_see_sensitive())


# --- entity edits and history (graphapp.audit, graphapp.auth; docs/security.md) ---------------


@blp.route("/entities/<string:entity_id>", methods=["PUT"])
@blp.doc(responses=ANSWERED)
@blp.arguments(EntityEditArgs, location="json", error_status_code=400)
@requires("editor")
def edit_entity(args, entity_id: str):
    """Change an entity's name, description, aliases or sensitivity (editor role).

    ``version`` is the entity's ``properties.updated_at`` as read; 409 Conflict (with the
    current values) when someone else changed it since. Recorded in the audit trail."""
    return audit.edit_entity(get_graph(), actor(), entity_id, args["version"], args["changes"],
                             include_sensitive=may_see_sensitive())


@blp.route("/entities/<string:entity_id>/history")
@blp.doc(responses=ANSWERED)
def entity_history(entity_id: str):
    """Who changed this entity, when, and the values before and after (newest first)."""
    graph = get_graph()
    entities.get_entity(graph, entity_id, include_sensitive=may_see_sensitive())  # 404s
    return {"id": entity_id, "events": audit.history(graph, entity_id)}
