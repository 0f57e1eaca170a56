"""Engagement pages: the dashboard, the overdue CSV, forms to record engagements, responses and
commitments (CSRF-protected by flask-wtf's CSRFProtect, set up app-wide), a harm's engagement
ladder and a company's responsiveness.

Write access: every POST needs the editor role (graphapp.auth ``requires("editor")``); sensitive
engagements and contacts are shown to those who may see sensitive data; writes are audited.
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from graphapp import engagement, leverage
from graphapp.auth import actor, may_see_sensitive, requires
from graphapp.engagement import InvalidInput, standing
from graphapp.store import model
from graphapp.web.args import ListPageArgs, OverdueArgs, query_args
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
    """Overdue engagements (50 a page, ``?page=``, with how many in all), commitments past
    due, contacts to re-establish, recent letters. The overdue ones are picked and counted by
    the database and only the page's rows are read with their ties: at 100,000 engagements,
    reading them all took minutes."""
    graph = get_graph()
    days, as_of = _days_as_of()
    sensitive = may_see_sensitive()
    found = engagement.overdue_page(graph, page=query_args(ListPageArgs)["page"],
                                    per_page=leverage.PER_PAGE, days=days, as_of=as_of,
                                    include_sensitive=sensitive)
    return render_template(
        "engagements.html", days=days, as_of=as_of, sensitive=sensitive,
        overdue={**leverage.page_at(found["total"], found["page"], found["per_page"]),
                 "rows": found["rows"]},
        past_due=engagement.commitments_past_due(graph, as_of=as_of,
                                                 include_sensitive=sensitive),
        turnover=engagement.turnover(graph, as_of=as_of, include_sensitive=sensitive),
        recent=engagement.list_engagements(graph, days=days, as_of=as_of, limit=50,
                                           include_sensitive=sensitive))


@bp.route("/engagements/overdue.csv")
def overdue_csv():
    """The whole overdue list as a CSV download, streamed as it is read (a batch of
    engagements at a time), so that 60,000 rows never sit in memory at once."""
    days, as_of = _days_as_of()
    rows = engagement.overdue_rows(get_graph(), days=days, as_of=as_of,
                                   include_sensitive=may_see_sensitive())
    response = current_app.response_class(stream_with_context(engagement.overdue_csv(rows)),
                                          mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="overdue-engagements-{days}-days.csv"')
    return response


# The name fields of the forms: which kinds of entity each one takes (graphapp.store.model labels).
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "by": ("Organization",),
    "to": ("Person", "Team", "Company", "Investor", "Regulator", "Forum", "Organization"),
    "about": ("Harm",),
    "made_by": ("Company",),
    "in_response_to": ("Engagement",),
}


def _typed(key: str) -> list[str]:
    """What was typed in a name field: one entity per input box (a name may hold commas), or
    several on separate lines when pasted into one box."""
    out = []
    for value in request.form.getlist(key):
        out += [line.strip() for line in value.splitlines() if line.strip()]
    return out


def _resolve(typed: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, list[str]],
                                                   dict[str, dict[str, list[dict]]]]:
    """Names (or ids) typed in the name fields, as ids; a message per field that could not be
    resolved, saying what to do; and per field, each name in error with the entities it could
    mean (none: nothing found; several: the form asks to pick one). A box with commas that
    names no entity is read as a list of ids ("corp, rep"), as the form took before it looked
    names up."""
    from flask_babel import gettext as _

    from graphapp import entities

    graph = get_graph()
    ids: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    unresolved: dict[str, dict[str, list[dict]]] = {}
    for key, names in typed.items():
        kinds = NAME_FIELDS[key]
        found = entities.resolve_names(graph, names, kinds=kinds,
                                       include_sensitive=may_see_sensitive())
        ids[key] = []
        for name in names:
            hits = found[name]
            if not hits and re.search(r"[,;]", name):
                parts = [p for p in re.split(r"[\s,;]+", name) if p]
                by_part = entities.resolve_names(graph, parts, kinds=kinds,
                                                 include_sensitive=may_see_sensitive())
                if all(len(by_part[p]) == 1 and by_part[p][0]["id"] == p for p in parts):
                    ids[key] += parts
                    continue
            if len(hits) == 1:
                ids[key].append(hits[0]["id"])
                continue
            unresolved.setdefault(key, {})[name] = hits
            if not hits:
                errors.setdefault(key, []).append(_(
                    "Nothing called “%(name)s” was found. Type a few letters and pick a name "
                    "from the suggestions, or record it first.", name=name))
            else:
                errors.setdefault(key, []).append(_(
                    "Several entries are called “%(name)s”: pick the one you mean.",
                    name=name))
    return ids, errors, unresolved


def _form_data(fields: tuple[str, ...], lists: tuple[str, ...]
               ) -> tuple[dict, dict, dict, dict]:
    """(data to write, what was typed to show again, errors per field, the names in error per
    name field with what each could mean) from a posted form."""
    typed = {k: request.form.get(k, "").strip() for k in fields if k in request.form}
    data = dict(typed)
    errors: dict[str, list[str]] = {}
    names = {k: _typed(k) for k in lists if k in NAME_FIELDS and k in request.form}
    if "made_by" in fields and "made_by" in request.form:
        names["made_by"] = _typed("made_by")
    resolved, errors, unresolved = _resolve(names)
    for k in lists:
        if k in request.form and k not in NAME_FIELDS:
            typed[k] = data[k] = [line.strip() for line in request.form[k].splitlines()
                                  if line.strip()]
    for k, values in names.items():
        typed[k] = values
        data[k] = resolved.get(k, [])
    if "made_by" in data:
        data["made_by"] = data["made_by"][0] if len(data["made_by"]) == 1 else (
            data["made_by"] or "")
        typed["made_by"] = typed["made_by"][0] if typed["made_by"] else ""
    data = {k: v for k, v in data.items() if v not in ("", []) or k in ("by", "to", "made_by")}
    return data, typed, errors, unresolved


def _failed(exc: InvalidInput, errors: dict) -> dict:
    """The write's own errors per field, after the name lookups' (which come first)."""
    out = dict(errors)
    for key, messages in exc.errors["json"].items():
        out.setdefault(key, [])
        out[key] += messages if isinstance(messages, list) else [str(messages)]
    return out


ENGAGEMENT_FORM = ("id", "name", "kind", "date", "status", "subject", "response_date",
                   "outcome", "description", "confidence")


@bp.route("/engagements/new", methods=["GET", "POST"])
@_editor
def new_engagement():
    """Record a letter, email, meeting, open letter, questionnaire, complaint, litigation or
    campaign."""
    values, errors, status, unresolved = _prefilled(), None, 200, {}
    if request.method == "POST":
        data, values, errors, unresolved = _form_data(ENGAGEMENT_FORM,
                                                      ("by", "to", "about", "sources"))
        try:
            if errors:
                raise InvalidInput("", errors={"json": {}})
            made = engagement.create_engagement(get_graph(), data, user=actor())
            return redirect(url_for("engagements.edit_engagement", engagement_id=made["id"],
                                    saved=1))
        except InvalidInput as exc:
            errors, status = _failed(exc, errors), 422
    return render_template("engagement_form.html", values=values, errors=errors, model=model,
                           engagement=None, unresolved=unresolved), status


def _prefilled() -> dict:
    """A new form's values from its link (``?about=HARM_ID``): ids shown as names."""
    values: dict = dict(request.args)
    for key in NAME_FIELDS:
        wanted = request.args.getlist(key)
        if wanted:
            from graphapp import entities

            found = entities.resolve_names(get_graph(), wanted,
                                           include_sensitive=may_see_sensitive())
            values[key] = [found[w][0]["name"] if len(found[w]) == 1 else w for w in wanted]
    return values


@bp.route("/engagements/<string:engagement_id>", methods=["GET", "POST"])
@_editor
def edit_engagement(engagement_id: str):
    """One engagement; record its response, outcome or status."""
    graph = get_graph()
    errors, status, typed = None, 200, None
    if request.method == "POST":
        change, typed, errors, _names = _form_data(("status", "response_date", "outcome"),
                                              ("sources",))
        try:
            engagement.update_engagement(graph, engagement_id, change, user=actor(),
                                         version=request.form.get("version"))
            return redirect(url_for("engagements.edit_engagement",
                                    engagement_id=engagement_id, saved=1))
        except InvalidInput as exc:
            errors, status = _failed(exc, errors), 422
        except engagement.VersionMismatch as exc:
            errors, status = {"version": [exc.message]}, 409
    found = engagement.get_engagement(graph, engagement_id,
                                      include_sensitive=may_see_sensitive())
    # A refused answer keeps everything typed (the status, the date, the outcome).
    response = {k: found.get(k) for k in ("status", "response_date", "outcome", "sources")}
    response.update(typed or {})
    return render_template("engagement_form.html", values=response, errors=errors, model=model,
                           engagement=found, saved=request.args.get("saved")), status


COMMITMENT_FORM = ("id", "name", "text", "date_made", "due_date", "status", "description",
                   "made_by", "confidence")


@bp.route("/commitments/new", methods=["GET", "POST"])
@_editor
def new_commitment():
    """Record a commitment a company made, and the engagement it answers."""
    values, errors, status, unresolved = _prefilled(), None, 200, {}
    if request.method == "POST":
        data, values, errors, unresolved = _form_data(COMMITMENT_FORM,
                                                      ("in_response_to", "about", "sources"))
        try:
            if errors:
                raise InvalidInput("", errors={"json": {}})
            engagement.create_commitment(get_graph(), data, user=actor())
            return redirect(url_for("engagements.dashboard"))
        except InvalidInput as exc:
            errors, status = _failed(exc, errors), 422
    return render_template("commitment_form.html", values=values, errors=errors,
                           model=model, unresolved=unresolved), status


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
