"""What every page shares: the top navigation, the language, help pages rendered from the docs,
the lists the navigation opens (harms, companies, investors), name suggestions for the search
box and the forms, and the favicon.

The navigation and the help pages exist so that an advocate never needs the repository: the
scoring, the look-through and the confidence levels are explained where they are used.
"""

from __future__ import annotations

import functools

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from graphapp import labels
from graphapp.auth import may_see_sensitive
from graphapp.config import PROJECT_ROOT as ROOT
from graphapp.web.graph import get_graph

bp = Blueprint("ui", __name__)

LANGUAGES = {"en": "English", "es": "Español", "fr": "Français", "pt": "Português"}
LANGUAGE_COOKIE = "graphapp_lang"

# topic -> (doc file, title): the help pages, rendered from docs/ as they are in the repository.
HELP = {
    "ladder": ("escalation.md", _l("How the ladder is built and scored")),
    "look-through": ("leverage.md", _l("Look-through ownership and investor leverage")),
    "confidence": ("confidence.md", _l("What “confirmed”, “reported” and “alleged” mean")),
    "engagement": ("engagement.md", _l("Recording engagements and answers")),
    "import": ("import.md", _l("Importing data")),
    "exports": ("exports.md", _l("Exports")),
}

LIST_PAGE = 100


def locale_selector() -> str:
    """The language the user picked (menu: session, cookie, account), else the browser's;
    English outside a request (the terminal's reports, built in an app context)."""
    from flask import has_request_context
    from flask_login import current_user

    if not has_request_context():
        return "en"

    for choice in (session.get("lang"), request.cookies.get(LANGUAGE_COOKIE),
                   getattr(current_user, "language", None)):
        if choice in LANGUAGES:
            return choice
    return request.accept_languages.best_match(tuple(LANGUAGES)) or "en"


def may_write() -> bool:
    """Whether the current user may change data (editor or admin): write forms and edit links
    are shown only then, so a viewer never fills in a form only to be refused."""
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False)) and current_user.has("editor")


def _has_path(path: str) -> bool:
    return any(rule.rule == path for rule in current_app.url_map.iter_rules())


def nav_items() -> list[dict]:
    """The top navigation: (label, url, active) for each place an advocate goes."""
    from flask_login import current_user

    here = request.path
    items = [
        ("search", _l("Search"), url_for("pages.home")),
        ("harms", _l("Harms"), url_for("ui.harms")),
        ("companies", _l("Companies"), url_for("ui.companies")),
        ("investors", _l("Investors"), url_for("ui.investors")),
        ("engagements", _l("Engagements"), url_for("engagements.dashboard")),
    ]
    if may_write():
        items.append(("import", _l("Import"), url_for("imports.import_form")))
    items.append(("export", _l("Export"), url_for("ui.exports")))
    if _has_path("/quality"):
        items.append(("quality", _l("Quality"), "/quality"))
    if getattr(current_user, "is_authenticated", False):
        account = "/account" if _has_path("/account") else (
            url_for("auth.users") if current_user.has("admin") else None)
        if account:
            items.append(("account", _l("Account"), account))
    else:
        items.append(("account", _l("Sign in"), url_for("auth.login")))
    items.append(("help", _l("Help"), url_for("ui.help_index")))
    out = []
    for key, label, url in items:
        path = url.split("?")[0]
        active = here == path if path == "/" else here.startswith(path)
        out.append({"key": key, "label": label, "url": url, "active": active})
    return out


def init_app(app) -> None:
    """Flask-Babel, the Jinja helpers and this blueprint."""
    from flask_babel import Babel

    Babel(app, locale_selector=locale_selector,
          default_translation_directories=str(ROOT / "graphapp" / "translations"))
    app.jinja_env.globals.update(nav_items=nav_items, may_write=may_write, LANGUAGES=LANGUAGES,
                                 current_language=lambda: str(get_locale() or "en"))
    from graphapp.escalation import more_targets

    app.jinja_env.globals["more_targets"] = more_targets
    app.jinja_env.filters["human"] = labels.human
    from graphapp.web import formatting

    formatting.register(app)
    app.register_blueprint(bp)


@bp.route("/favicon.ico")
def favicon():
    """The icon browsers ask for on every page (a 404 otherwise)."""
    return send_from_directory(current_app.static_folder, "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the language picked in the menu: this session, this browser (a year), and on
    the account when signed in."""
    from flask_login import current_user

    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    if getattr(current_user, "is_authenticated", False):
        from graphapp.auth import set_language as remember

        remember(get_graph(), current_user.id, lang)
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("pages.home")
    response = make_response(redirect(back))
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="Lax",
                        httponly=True, secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


@functools.lru_cache(maxsize=64)
def _render_doc(filename: str, lang: str = "en") -> tuple[str, str, str]:
    """A doc as HTML with its table of contents, and the language it is in: the translation in
    docs/<lang>/ when there is one, else the English (docs are the repository's own text)."""
    import markdown

    path = ROOT / "docs" / lang / filename
    if lang == "en" or not path.is_file():
        path, lang = ROOT / "docs" / filename, "en"
    # attr_list: a translation keeps the English heading's anchor ("## La puntuación
    # {#the-score}"), so the pages' links to a section work in every language.
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "sane_lists", "attr_list"],
                           extension_configs={"toc": {"toc_depth": "2-3"}})
    html = md.convert(path.read_text(encoding="utf-8"))
    return html, md.toc, lang  # type: ignore[attr-defined]


@bp.route("/help")
def help_index():
    """The help pages, and what the filters on the harm page mean."""
    return render_template("help.html", topics=HELP, topic=None)


@bp.route("/help/<string:topic>")
def help_page(topic: str):
    """One doc, rendered in the reader's language where it is translated (docs/<lang>/), else
    in English, saying so."""
    if topic not in HELP:
        abort(404)
    filename, title = HELP[topic]
    html, toc, lang = _render_doc(filename, str(get_locale() or "en"))
    return render_template("help.html", topics=HELP, topic=topic, title=title,
                           body=Markup(html), toc=Markup(toc), doc_lang=lang)


def _list(query: str, kind: str, title, help_topic: str | None = None):
    """A page of entities of one kind, by name (keyset: ``after`` the last name shown)."""
    after = request.args.get("after", "")[:300]
    rows = get_graph().read(query, after=after, limit=LIST_PAGE + 1,
                            include_sensitive=may_see_sensitive())
    more = len(rows) > LIST_PAGE
    rows = rows[:LIST_PAGE]
    return render_template("list.html", rows=rows, kind=kind, title=title, after=after,
                           next_after=rows[-1]["name"] if more and rows else None,
                           help_topic=help_topic)


@bp.route("/harms")
def harms():
    """Every documented harm, by name: each opens its escalation ladder."""
    return _list("entities.list_harms", "harm", _l("Harms"), "ladder")


@bp.route("/companies")
def companies():
    """Every company, by name: each opens its page, with who holds it."""
    return _list("entities.list_companies", "company", _l("Companies"), "look-through")


@bp.route("/investors")
def investors():
    """Every investor, by name: each opens what it holds and the harms it touches."""
    return _list("entities.list_investors", "investor", _l("Investors"), "look-through")


@bp.route("/exports")
def exports():
    """How to export, and the whole graph (filtered) as a download."""
    return render_template("exports.html")


@bp.route("/suggest")
def suggest():
    """Names that begin like what is typed, for the search box and the name fields:
    ``[{id, name, labels}]``. ``kinds`` limits the labels (a form's field wants, say, an
    Organisation). Accents and case do not matter (the full-text index folds them)."""
    from graphapp import entities

    q = request.args.get("q", "").strip()[:100]
    kinds = [k for k in request.args.getlist("kinds") if k]
    if len(q) < 2:
        return jsonify([])
    found = entities.suggest(get_graph(), q, kinds=kinds, include_sensitive=may_see_sensitive())
    response = jsonify(found)
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
