"""Server-rendered pages (Jinja; no CDN, works offline)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from graphapp import entities, escalation, exports, leverage
from graphapp.auth import may_see_sensitive
from graphapp.drawing import story
from graphapp.drawing.layered import SIZES
from graphapp.errors import UNAVAILABLE_MESSAGE, BadRequest
from graphapp.escalation import list_harms
from graphapp.exports import diagram
from graphapp.exports.formats import ladder_page, ladder_svg
from graphapp.leverage import chart as leverage_chart
from graphapp.leverage.chart import order
from graphapp.web.args import (
    EscalationArgs,
    InterlockArgs,
    LeverageChartArgs,
    ListPageArgs,
    LookThroughArgs,
    query_args,
)
from graphapp.web.exporting import download, page_args
from graphapp.web.graph import get_graph
from graphapp.web.pagecache import cached_answer, cached_page

bp = Blueprint("pages", __name__)


@bp.route("/")
@cached_page
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
@cached_page
def entity(entity_id: str):
    """An entity: its properties, and its relationships grouped by type with evidence."""
    return render_template("entity.html", entity=entities.get_entity(
        get_graph(), entity_id, include_sensitive=may_see_sensitive()))


@bp.route("/review/people")
def possible_same_people():
    """People of one name kept apart: "possible same person", for a human to decide."""
    return render_template("review_people.html", groups=entities.possible_same_people(
        get_graph(), include_sensitive=may_see_sensitive()))

def _escalation_args(graph=None) -> tuple[dict, str | None]:
    """The harm page's filters, validated like the API's (a bad one is a 400 naming it), and
    the organisation's name when one was typed in "Your organisation"."""
    org, org_name = _organisation(graph or get_graph(), request.args.get("org", "").strip())
    replace = {"org": org} if org else None
    return query_args(EscalationArgs, ("kinds",), replace=replace), org_name


def _organisation(graph, typed: str) -> tuple[str | None, str | None]:
    """The "Your organisation" field takes a name or an id: (id, name) when it names one
    Organization, else (what was typed, None) for the validation to refuse, naming the field."""
    if not typed:
        return None, None
    found = entities.resolve_names(graph, [typed], kinds=("Organization",),
                                   include_sensitive=may_see_sensitive())[typed]
    if len(found) == 1:
        return found[0]["id"], found[0]["name"]
    return typed, None


def _ladder(graph, harm_id: str, args: dict, sensitive: bool):
    """The escalation view (redacted unless the user may see sensitive people), drawn."""
    return exports.escalation_view(graph, harm_id, **args, include_sensitive=sensitive)


def _entity_href(node_id: str) -> str:
    return url_for("pages.entity", entity_id=node_id)


@bp.route("/harms/<string:harm_id>")
@cached_page
def harm(harm_id: str):
    """A harm's escalation ladder: local to headquarters to funders; regulators and forums;
    the ladder drawn inline (the same drawing as the exports, boxes linking to entities)."""
    graph = get_graph()
    args, org_name = _escalation_args(graph)
    sensitive = may_see_sensitive()
    result = escalation.escalate(graph, harm_id, **args, include_sensitive=sensitive)
    ladder = None if result["no_path"] else Markup(ladder_svg(
        _ladder(graph, harm_id, args, sensitive), _entity_href))
    return render_template("harm.html", entity=entities.get_entity(graph, harm_id,
                                                                  include_sensitive=sensitive),
                           result=result, args=args, ladder=ladder,
                           rungs=escalation.RUNG_TITLES, query=request.query_string.decode(),
                           org_name=org_name, top_per_rung=TOP_PER_RUNG,
                           shown_whole=set(request.args.getlist("all")))


# Targets shown per rung on the harm page. The rest are a link ("and 23 more regulators",
# ?all=regulator): a large harm has hundreds of targets, and rendering every card with its path
# cost more than the escalation itself (issue 19).
TOP_PER_RUNG = 5


@bp.route("/harms/<string:harm_id>/diagram")
def harm_diagram(harm_id: str):
    """The ladder on a page of its own (offline, no script): the HTML export's page."""
    page = ladder_page(_ladder(get_graph(), harm_id, _escalation_args()[0], may_see_sensitive()),
                       _entity_href)
    response = current_app.response_class(page, mimetype="text/html")
    response.headers["Content-Security-Policy"] = diagram.CSP
    return response


def _story(harm_id: str):
    """The harm's escalation view (always redacted, as exports are by default) and the
    story's first draft (graphapp.drawing.story)."""
    view = exports.escalation_view(get_graph(), harm_id, **_escalation_args()[0])
    return view, story.draft(view)


@bp.route("/harms/<string:harm_id>/story", methods=["GET", "POST"])
def harm_story(harm_id: str):
    """The campaign story: the draft to edit (GET), the slideshow or slides to download
    (POST: keep=<step> for each step kept, caption-<step>, format html|png, size)."""
    view, steps = _story(harm_id)
    if request.method == "GET":
        return render_template("story.html", view=view, steps=steps, harm_id=harm_id,
                               sizes={k: v["what"] for k, v in SIZES.items() if v["svg"]},
                               query=request.query_string.decode())
    form = request.form
    errors: dict[str, list[str]] = {}
    fmt = form.get("format", "html")
    size = form.get("size", "slide")
    if fmt not in ("html", "png"):
        errors["format"] = ["Must be one of: html, png."]
    if size not in SIZES or not SIZES[size]["svg"]:
        errors["size"] = ["Must be one of: a4, slide, square, social."]
    captions = {s.key: form.get(f"caption-{s.key}", "") for s in steps}
    for key, text in captions.items():
        if len(text) > story.MAX_CAPTION:
            errors[f"caption-{key}"] = [f"At most {story.MAX_CAPTION} characters."]
    kept = story.edit(steps, set(form.getlist("keep")), captions)
    if not kept:
        errors["keep"] = ["Keep at least one step."]
    if errors:
        raise BadRequest(f"Invalid field(s): {', '.join(sorted(errors))}.",
                         errors={"form": errors})
    if fmt == "html":
        content, mimetype, ext = story.slides_html(view, kept).encode("utf-8"), "text/html", "html"
    else:
        content, mimetype, ext = story.slides_png(view, kept, size), "application/zip", "zip"
    response = current_app.response_class(content, mimetype=mimetype)
    name = f"graphapp-story-{harm_id}-{view.exported_on}.{ext}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    if fmt == "html":
        response.headers["Content-Security-Policy"] = story.STORY_CSP
    return response


def _args(schema_class) -> dict:
    """Query parameters validated by one of graphapp.web.args (a bad one: 400 naming it)."""
    return query_args(schema_class)


@bp.route("/companies/<string:company_id>/leverage")
@cached_page
def company_leverage(company_id: str):
    """Who holds a company: look-through table, chart, controller, interlocks. The look-through
    shows 50 holders a page (``?page=``), each with its strongest chain: a company with
    hundreds of holders made a page of 400 kB."""
    graph = get_graph()
    args = _args(LookThroughArgs)
    links = _args(InterlockArgs)
    result = leverage.company_leverage(graph, company_id, **args,
                                       include_sensitive=may_see_sensitive())
    result["look_through"] = order(result["look_through"])  # known stakes first
    return render_template(
        "leverage.html", result=result,
        holders=page_of(result["look_through"], _args(ListPageArgs)["page"]),
        interlocks=leverage.interlocks(graph, company_id, **links,
                                       include_sensitive=may_see_sensitive()),
        args={**args, **links},
        query=request.query_string.decode())


@bp.route("/companies/<string:company_id>/leverage.png")
def company_leverage_chart(company_id: str):
    """The top holders' economic and voting look-through, as a PNG (matplotlib, Agg)."""
    args = _args(LeverageChartArgs)
    top, phone = args.pop("top"), args.pop("phone")
    result = leverage.company_leverage(get_graph(), company_id, **args,
                                       include_sensitive=may_see_sensitive())
    response = current_app.response_class(leverage_chart.holders_png(result, top, phone),
                                          mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/investors/<string:investor_id>/exposure")
@cached_page
def investor_exposure(investor_id: str):
    """What an investor holds through chains, and the harms its money touches, ranked, one page
    of each at a time (``?page=`` and ``?harms_page=``): see :func:`exposure_page`."""
    args = _args(LookThroughArgs)
    pages = _args(ListPageArgs)
    result = exposure_page(investor_id, args, **pages)
    interlocks = cached_answer("investor_interlocks", {"id": investor_id, **args},
                               lambda: _interlocks(investor_id, args))
    return render_template(
        "exposure.html", args=args, result=result, interlocks=interlocks,
        holdings={**result["holdings_page"], "rows": result["holdings"]},
        harms={**result["harms_page"], "rows": result["harms"]})


def exposure_page(investor_id: str, args: dict, page: int = 1, harms_page: int = 1,
                  per_page: int = leverage.PER_PAGE) -> dict:
    """One page of an investor's exposure, for the page and the API.

    The largest funds reach 150,000 companies: the exposure is ranked as numbers once per
    graph version and reader (graphapp/web/pagecache.py, ``leverage.exposure_ranking``), and a
    page reads the evidence of its own rows only (``leverage.exposure_page``)."""
    graph = get_graph()
    sensitive = may_see_sensitive()
    ranking = _ranking(investor_id, args)
    return leverage.exposure_page(graph, ranking, page=page, harms_page=harms_page,
                                  per_page=per_page, include_sensitive=sensitive)


def _ranking(investor_id: str, args: dict) -> leverage.ExposureRanking:
    return cached_answer("exposure_ranking", {"id": investor_id, **args},
                         lambda: leverage.exposure_ranking(get_graph(), investor_id, **args,
                                                           include_sensitive=may_see_sensitive()),
                         words=False)


def _interlocks(investor_id: str, args: dict) -> dict:
    """The investor's interlocks with the largest of its holdings (INTERLOCK_HOLDINGS)."""
    held = _ranking(investor_id, args).holdings(0, INTERLOCK_HOLDINGS)
    return leverage.holder_interlocks(get_graph(), investor_id, held, as_of=args.get("as_of"),
                                      include_sensitive=may_see_sensitive())


def page_of(items: list, page: int, per_page: int = leverage.PER_PAGE) -> dict:
    """One page of a long list: its rows, and where it is (``leverage.page_at``)."""
    at = leverage.page_at(len(items), page, per_page)
    return {"rows": items[at["first"] - 1:at["last"]], **at}


INTERLOCK_HOLDINGS = 500  # the largest holdings an investor's interlocks are looked for in


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


@bp.app_template_global()
def url_with(param: str, value: object) -> str:
    """This page's URL with ``param`` set to ``value`` (a list's page, a rung shown whole)."""
    args = request.args.to_dict(flat=False)
    args[param] = [str(value)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@bp.app_template_filter("pct")
def pct(value: float) -> str:
    """A percentage as the reader's language writes it: ``60%``, ``13.61%``, ``13,61 %``. A
    stake too small for four decimals reads ``< 0.0001%``, not ``0%``: a holder seven hops up
    does hold something, and "0%" would say it holds nothing."""
    from graphapp.web.formatting import local_pct

    value = float(value)
    if 0 < value < SMALLEST_PCT:
        return "< " + local_pct(SMALLEST_PCT, digits=4)
    return local_pct(round(value, 4), digits=4)


SMALLEST_PCT = 0.0001  # the smallest percentage the pages write with its digits


@bp.app_template_filter("urlhost")
def urlhost(url: str) -> str:
    """The host part of a source URL, as link text (``www.sec.gov``)."""
    from urllib.parse import urlparse

    return urlparse(url).netloc or url
