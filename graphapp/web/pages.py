"""Server-rendered pages (Jinja; no CDN, works offline)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from graphapp import entities, escalation, leverage
from graphapp.auth import may_see_sensitive
from graphapp.errors import UNAVAILABLE_MESSAGE, BadRequest
from graphapp.escalation import list_harms
from graphapp.exports import diagram
from graphapp.leverage import chart as leverage_chart
from graphapp.leverage.chart import order
from graphapp.web.args import (
    EscalationArgs,
    InterlockArgs,
    LeverageChartArgs,
    LookThroughArgs,
    query_args,
)
from graphapp.web.exporting import download, page_args
from graphapp.web.graph import get_graph

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    """Search, and the graph at a glance."""
    q = request.args.get("q", "").strip()
    if len(q) > 200:
        raise BadRequest("The search text is too long (200 characters at most).")
    graph = get_graph()
    sensitive = may_see_sensitive()
    results = entities.search(graph, q, include_sensitive=sensitive) if q else []
    return render_template("index.html", q=q, results=results,
                           stats=entities.stats(graph, include_sensitive=sensitive),
                           harms=[] if q else list_harms(graph, include_sensitive=sensitive))


@bp.route("/entities/<string:entity_id>")
def entity(entity_id: str):
    """An entity: its properties, and its relationships grouped by type with evidence."""
    return render_template("entity.html", entity=entities.get_entity(
        get_graph(), entity_id, include_sensitive=may_see_sensitive()))


def _escalation_args() -> dict:
    """The harm page's filters, validated like the API's (a bad one is a 400 naming it)."""
    return query_args(EscalationArgs, ("kinds",))


@bp.route("/harms/<string:harm_id>")
def harm(harm_id: str):
    """A harm's escalation ladder: local to headquarters to funders; regulators and forums."""
    graph = get_graph()
    args = _escalation_args()
    sensitive = may_see_sensitive()
    return render_template("harm.html", entity=entities.get_entity(graph, harm_id,
                                                                  include_sensitive=sensitive),
                           result=escalation.escalate(graph, harm_id, **args,
                                                      include_sensitive=sensitive), args=args,
                           rungs=escalation.RUNG_TITLES, query=request.query_string.decode())


@bp.route("/harms/<string:harm_id>/diagram")
def harm_diagram(harm_id: str):
    """The escalation subgraph as a standalone interactive page (offline; for an iframe)."""
    result = escalation.escalate(get_graph(), harm_id, **_escalation_args(),
                                 include_sensitive=may_see_sensitive())
    response = current_app.response_class(diagram.escalation_html(result), mimetype="text/html")
    response.headers["Content-Security-Policy"] = diagram.CSP
    return response


def _args(schema_class) -> dict:
    """Query parameters validated by one of graphapp.web.args (a bad one: 400 naming it)."""
    return query_args(schema_class)


@bp.route("/companies/<string:company_id>/leverage")
def company_leverage(company_id: str):
    """Who holds a company: look-through table, chart, controller, interlocks."""
    graph = get_graph()
    args = _args(LookThroughArgs)
    links = _args(InterlockArgs)
    result = leverage.company_leverage(graph, company_id, **args,
                                       include_sensitive=may_see_sensitive())
    result["look_through"] = order(result["look_through"])  # known stakes first
    return render_template(
        "leverage.html", result=result,
        interlocks=leverage.interlocks(graph, company_id, **links,
                                       include_sensitive=may_see_sensitive()),
        args={**args, **links},
        query=request.query_string.decode())


@bp.route("/companies/<string:company_id>/leverage.png")
def company_leverage_chart(company_id: str):
    """The top holders' economic and voting look-through, as a PNG (matplotlib, Agg)."""
    args = _args(LeverageChartArgs)
    top = args.pop("top")
    result = leverage.company_leverage(get_graph(), company_id, **args,
                                       include_sensitive=may_see_sensitive())
    response = current_app.response_class(leverage_chart.holders_png(result, top),
                                          mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/investors/<string:investor_id>/exposure")
def investor_exposure(investor_id: str):
    """What an investor holds through chains, and the harms its money touches, ranked."""
    args = _args(LookThroughArgs)
    result = leverage.investor_exposure(get_graph(), investor_id, **args,
                                        include_sensitive=may_see_sensitive())
    result["holdings"] = order(result["holdings"], "company")  # known stakes first
    return render_template("exposure.html", args=args, result=result)


@bp.route("/export")
def export():
    """The export forms' download (as GET /api/export, with HTML error pages)."""
    return download(page_args())


@bp.route("/healthz")
def healthz():
    """200 when Neo4j answers, 503 with a plain message when it does not."""
    if get_graph().answers():
        return jsonify({"status": "ok", "neo4j": "answers"})
    return jsonify({"status": "unavailable", "neo4j": "does not answer",
                    "message": UNAVAILABLE_MESSAGE}), 503


@bp.app_template_filter("pct")
def pct(value: float) -> str:
    """A percentage as people write it: ``60%``, ``13.61%``."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


@bp.app_template_filter("urlhost")
def urlhost(url: str) -> str:
    """The host part of a source URL, as link text (``www.sec.gov``)."""
    from urllib.parse import urlparse

    return urlparse(url).netloc or url
