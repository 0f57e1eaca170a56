"""The export download, shared by ``GET /api/export`` (JSON errors) and ``GET /export`` (the
pages' export forms; HTML errors). Both validate with ``ExportOptions`` and call
:func:`graphapp.exports.export`."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, url_for

from graphapp import exports
from graphapp.auth import current_user
from graphapp.exports.diagram import CSP
from graphapp.exports.options import ExportOptions
from graphapp.web.args import query_args
from graphapp.web.graph import get_graph

LIST_ARGS = ("labels", "countries", "kinds")


def page_args() -> dict[str, Any]:
    """The export form's query parameters, validated like the API's (400 naming the field)."""
    return query_args(ExportOptions, LIST_ARGS)


def download(args: dict[str, Any]) -> Response:
    """Build and render the export; send it as an attachment."""
    args = dict(args)
    fmt = args.pop("format")
    view = args.pop("view")
    include = exports.may_include_sensitive(args.pop("include_sensitive", False),
                                            current_user)
    content, mimetype, name = exports.export(
        get_graph(), view, fmt, include_sensitive=include, **args,
        href=lambda node_id: url_for("pages.entity", entity_id=node_id, _external=True))
    response = current_app.response_class(content, mimetype=mimetype)
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    if fmt in ("html", "svg"):
        response.headers["Content-Security-Policy"] = CSP
    return response
