"""One handler for every error: an HTML page for people, JSON under /api (as Datasette does)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graphapp.errors import UNAVAILABLE_MESSAGE, GraphappError, invalid
from graphapp.store.db import DatabaseUnavailable

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith(("/api", "/healthz")) or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, title: str, message: str, errors: dict | None = None):
    if wants_json():
        body = {"status": status, "error": title, "message": message}
        if errors:
            body["errors"] = errors
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, message=message,
                           errors=errors), status


def register(app: Flask) -> None:
    @app.errorhandler(GraphappError)
    def _graphapp_error(exc: GraphappError):
        return render_error(exc.status, exc.title, exc.message, exc.errors)

    @app.errorhandler(DatabaseUnavailable)
    def _unavailable(exc: DatabaseUnavailable):
        log.warning("Neo4j unavailable: %s", exc)
        response, status = render_error(503, "Database unavailable", UNAVAILABLE_MESSAGE)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        # flask-smorest puts argument errors in exc.data["messages"]: keep them, they name fields.
        data = getattr(exc, "data", None) or {}
        errors = data.get("messages")
        message = exc.description or exc.name
        if errors:
            fields = {f: [] for location in errors.values() for f in location}
            message = invalid(fields).message
        return render_error(exc.code or 500, exc.name, message, errors)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unexpected error")
        return render_error(500, "Internal error",
                            "Something went wrong on our side; it has been logged.")
