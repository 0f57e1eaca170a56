"""Server-rendered pages (Jinja; no CDN, works offline)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from graphapp import entities
from graphapp.db import get_graph
from graphapp.errors import UNAVAILABLE_MESSAGE, BadRequest

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    """Search, and the graph at a glance."""
    q = request.args.get("q", "").strip()
    if len(q) > 200:
        raise BadRequest("The search text is too long (200 characters at most).")
    graph = get_graph()
    results = entities.search(graph, q) if q else []
    return render_template("index.html", q=q, results=results, stats=entities.stats(graph))


@bp.route("/entities/<string:entity_id>")
def entity(entity_id: str):
    """An entity: its properties, and its relationships grouped by type with evidence."""
    return render_template("entity.html", entity=entities.get_entity(get_graph(), entity_id))


@bp.route("/healthz")
def healthz():
    """200 when Neo4j answers, 503 with a plain message when it does not."""
    if get_graph().answers():
        return jsonify({"status": "ok", "neo4j": "answers"})
    return jsonify({"status": "unavailable", "neo4j": "does not answer",
                    "message": UNAVAILABLE_MESSAGE}), 503


@bp.app_template_filter("urlhost")
def urlhost(url: str) -> str:
    """The host part of a source URL, as link text (``www.sec.gov``)."""
    from urllib.parse import urlparse

    return urlparse(url).netloc or url
