"""``/quality``: the data-quality report as a page (docs/evidence.md)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from graphapp.auth import may_see_sensitive
from graphapp.errors import invalid
from graphapp.evidence import quality
from graphapp.store.schemas import check_partial_date
from graphapp.web.graph import get_graph

bp = Blueprint("quality", __name__)

# The per-file table's column headings, short (the checks' titles are in evidence.quality).
CHECK_SHORT = {
    "single_source": _l("single source"), "tertiary_only": _l("tertiary only"),
    "confirmed_without_primary": _l("confirmed without primary"),
    "home_page_only": _l("home page only"), "stale": _l("stale"),
    "derived_without_method": _l("derived without method"),
    "private_people": _l("private people"),
}


@bp.route("/quality")
def quality_page():
    """What cannot be cited as it stands, per seed file, each item linked to where it is fixed.

    A viewer's report leaves out sensitive entities and what touches them (not even counted).
    ``?as_of=`` judges staleness on another day; ``?all=1`` lists every item.
    """
    as_of = request.args.get("as_of", "").strip() or None
    if as_of:
        try:
            check_partial_date(as_of)
        except Exception as exc:
            raise invalid({"as_of": [getattr(exc, "messages", [str(exc)])[0]]}) from None
    result = quality.from_graph(
        get_graph(), include_sensitive=may_see_sensitive(), on=as_of,
        months=current_app.config.get("STALE_MONTHS"),
        fix_url=lambda entity_id: url_for("pages.entity", entity_id=entity_id))
    return render_template("quality.html", result=result, as_of=as_of,
                           show_all=request.args.get("all") == "1", limit=25,
                           check_short=CHECK_SHORT)
