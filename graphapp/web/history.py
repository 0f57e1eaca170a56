"""An entity's history page and its edit form (the audit trail; concurrent edits conflict)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from graphapp import audit, auth, entities
from graphapp.web.graph import get_graph

bp = Blueprint("history", __name__)


@bp.route("/entities/<string:entity_id>/history")
def entity_history(entity_id: str):
    """Who changed this entity, when, and what (before and after), newest first."""
    graph = get_graph()
    entity = entities.get_entity(graph, entity_id, include_sensitive=auth.may_see_sensitive())
    return render_template("history.html", entity=entity,
                           events=audit.history(graph, entity_id))


def _form_values(entity: dict) -> dict:
    props = entity["properties"]
    return {"name": entity["name"], "description": props.get("description", ""),
            "aliases": "\n".join(props.get("aliases") or []),
            "sensitive": bool(props.get("sensitive"))}


@bp.route("/entities/<string:entity_id>/edit", methods=["GET", "POST"])
@auth.requires("editor")
def entity_edit(entity_id: str):
    """Edit name, description, aliases and sensitivity; a stale version gets a 409 page."""
    graph = get_graph()
    entity = entities.get_entity(graph, entity_id, include_sensitive=auth.may_see_sensitive())
    version = audit.version_of(entity["properties"])
    if request.method == "GET":
        return render_template("entity_edit.html", entity=entity, values=_form_values(entity),
                               version=version, conflict=None)
    form = request.form
    changes = {"name": form.get("name", ""), "description": form.get("description", ""),
               "aliases": [a for a in form.get("aliases", "").splitlines() if a.strip()],
               "sensitive": form.get("sensitive") == "on"}
    try:
        audit.edit_entity(graph, auth.actor(), entity_id, form.get("version", ""), changes,
                          include_sensitive=auth.may_see_sensitive())
    except audit.Conflict as exc:
        yours = {**changes, "aliases": "\n".join(changes["aliases"])}
        return render_template("entity_edit.html", entity=entity, values=yours,
                               version=version, conflict=exc.errors["current"]), 409
    return redirect(url_for("pages.entity", entity_id=entity_id))
