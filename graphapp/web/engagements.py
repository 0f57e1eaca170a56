"""Engagement pages: the dashboard, the overdue CSV, forms to record engagements, responses and
commitments (CSRF-protected by flask-wtf's CSRFProtect, set up app-wide), a harm's engagement
ladder and a company's responsiveness.

Write access: every POST needs the editor role (graphapp.auth ``requires("editor")``); sensitive
engagements and contacts are shown to those who may see sensitive data; writes are audited.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from graphapp import engagement
from graphapp.auth import actor, may_see_sensitive, requires
from graphapp.engagement import InvalidInput, standing
from graphapp.store import model
from graphapp.web.args import OverdueArgs, query_args
from graphapp.web.graph import get_graph

bp = Blueprint("engagements", __name__)


def _editor(view):
    """graphapp.auth's editor gate for POSTs when accounts exist; GETs stay open to readers."""
    gated = requires("editor")(view)

    def dispatch(*args, **kwargs):
        return (gated if request.method == "POST" else view)(*args, **kwargs)

    dispatch.__name__ = view.__name__
    dispatch.__doc__ = view.__doc__
    return dispatch


def _days_as_of() -> tuple[int, str | None]:
    """``days`` (default: app config ENGAGEMENT_OVERDUE_DAYS) and ``as_of`` from the query."""
    args = query_args(OverdueArgs)
    days = args.get("days") or current_app.config.get("ENGAGEMENT_OVERDUE_DAYS",
                                                      engagement.DEFAULT_OVERDUE_DAYS)
    return days, args.get("as_of")


@bp.route("/engagements")
def dashboard():
    """Overdue engagements, commitments past due, contacts to re-establish, recent letters."""
    graph = get_graph()
    days, as_of = _days_as_of()
    sensitive = may_see_sensitive()
    return render_template(
        "engagements.html", days=days, as_of=as_of, sensitive=sensitive,
        overdue=engagement.overdue(graph, days=days, as_of=as_of, include_sensitive=sensitive),
        past_due=engagement.commitments_past_due(graph, as_of=as_of,
                                                 include_sensitive=sensitive),
        turnover=engagement.turnover(graph, as_of=as_of, include_sensitive=sensitive),
        recent=engagement.list_engagements(graph, days=days, as_of=as_of, limit=50,
                                           include_sensitive=sensitive))


@bp.route("/engagements/overdue.csv")
def overdue_csv():
    """The overdue list as a CSV download."""
    days, as_of = _days_as_of()
    rows = engagement.overdue(get_graph(), days=days, as_of=as_of,
                              include_sensitive=may_see_sensitive())
    response = current_app.response_class(engagement.overdue_csv(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="overdue-engagements-{days}-days.csv"')
    return response


def _ids(text: str) -> list[str]:
    return [x for x in re.split(r"[\s,;]+", text or "") if x]


def _form_data(fields: tuple[str, ...], lists: tuple[str, ...]) -> dict:
    data = {k: request.form.get(k, "").strip() for k in fields if k in request.form}
    for k in lists:
        if k in request.form:
            data[k] = _ids(request.form[k])
    return {k: v for k, v in data.items() if v not in ("", [])
            or k in ("by", "to", "made_by")}


ENGAGEMENT_FORM = ("id", "name", "kind", "date", "status", "subject", "response_date",
                   "outcome", "description", "confidence")


@bp.route("/engagements/new", methods=["GET", "POST"])
@_editor
def new_engagement():
    """Record a letter, email, meeting, open letter, questionnaire, complaint, litigation or
    campaign."""
    values, errors, status = dict(request.args), None, 200
    if request.method == "POST":
        values = _form_data(ENGAGEMENT_FORM, ("by", "to", "about", "sources"))
        try:
            made = engagement.create_engagement(get_graph(), values, user=actor())
            return redirect(url_for("engagements.edit_engagement", engagement_id=made["id"],
                                    saved=1))
        except InvalidInput as exc:
            errors, status = exc.errors["json"], 422
    return render_template("engagement_form.html", values=values, errors=errors, model=model,
                           engagement=None), status


@bp.route("/engagements/<string:engagement_id>", methods=["GET", "POST"])
@_editor
def edit_engagement(engagement_id: str):
    """One engagement; record its response, outcome or status."""
    graph = get_graph()
    errors, status = None, 200
    if request.method == "POST":
        change = _form_data(("status", "response_date", "outcome"), ("sources",))
        try:
            engagement.update_engagement(graph, engagement_id, change, user=actor(),
                                         version=request.form.get("version"))
            return redirect(url_for("engagements.edit_engagement",
                                    engagement_id=engagement_id, saved=1))
        except InvalidInput as exc:
            errors, status = exc.errors["json"], 422
        except engagement.VersionMismatch as exc:
            errors, status = {"version": [exc.message]}, 409
    found = engagement.get_engagement(graph, engagement_id,
                                      include_sensitive=may_see_sensitive())
    return render_template("engagement_form.html", values=found, errors=errors, model=model,
                           engagement=found, saved=request.args.get("saved")), status


COMMITMENT_FORM = ("id", "name", "text", "date_made", "due_date", "status", "description",
                   "made_by", "confidence")


@bp.route("/commitments/new", methods=["GET", "POST"])
@_editor
def new_commitment():
    """Record a commitment a company made, and the engagement it answers."""
    values, errors, status = dict(request.args), None, 200
    if request.method == "POST":
        values = _form_data(COMMITMENT_FORM, ("in_response_to", "about", "sources"))
        try:
            engagement.create_commitment(get_graph(), values, user=actor())
            return redirect(url_for("engagements.dashboard"))
        except InvalidInput as exc:
            errors, status = exc.errors["json"], 422
    return render_template("commitment_form.html", values=values, errors=errors,
                           model=model), status


@bp.route("/harms/<string:harm_id>/engagement")
def harm_ladder(harm_id: str):
    """Where engagement on a harm stands per rung, its timeline, and the next rung."""
    graph = get_graph()
    days, as_of = _days_as_of()
    return render_template(
        "engagement_ladder.html", days=days, as_of=as_of,
        result=standing.ladder(graph, harm_id, days=days, as_of=as_of,
                                 include_sensitive=may_see_sensitive()),
        timeline=engagement.timeline(graph, harm=harm_id, days=days, as_of=as_of,
                                     include_sensitive=may_see_sensitive()))


@bp.route("/companies/<string:company_id>/responsiveness")
def company_responsiveness(company_id: str):
    """A company's response rate and median response time, per team and person; timeline."""
    graph = get_graph()
    days, as_of = _days_as_of()
    sensitive = may_see_sensitive()
    result = engagement.responsiveness(graph, company_id, days=days, as_of=as_of,
                                       include_sensitive=sensitive)
    return render_template(
        "responsiveness.html", days=days, as_of=as_of, result=result,
        timeline=engagement.timeline(graph, company=company_id, days=days, as_of=as_of,
                                     include_sensitive=sensitive,
                                     engagements=result["engagement_list"]))
