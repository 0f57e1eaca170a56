"""One error type for the user, raised by any layer: a message, a title, an HTTP status, and
``errors`` naming each bad field (``{location: {field: [message]}}``).

:func:`invalid` is the one 400 answer for bad parameters ("Invalid parameter(s): as_of, limit.")
and :func:`load` validates with a marshmallow schema into it. How an error reaches a person is
the caller's: an HTML page or JSON (:mod:`graphapp.web.errors`), a line on stderr
(:mod:`graphapp.commands.base`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError

UNAVAILABLE_MESSAGE = (
    "The graph database is not answering right now. Nothing was changed; "
    "try again in a moment."
)


class GraphappError(Exception):
    """An error with a message for the user, a title and an HTTP status."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, status: int | None = None, title: str | None = None,
                 errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status or self.status
        self.title = title or self.title
        self.errors = errors


class NotFound(GraphappError):
    status = 404
    title = "Not found"


class BadRequest(GraphappError):
    status = 400
    title = "Bad request"


def invalid(messages: Mapping[str, Any], location: str = "query") -> BadRequest:
    """The 400 for bad parameters: names every bad one, with its messages under ``location``."""
    return BadRequest(f"Invalid parameter(s): {', '.join(sorted(messages))}.",
                      errors={location: dict(messages)})


def load(schema: Schema, data: Mapping[str, Any], location: str = "query",
         unknown: str | None = None) -> dict[str, Any]:
    """``data`` validated by ``schema``; a bad value raises :func:`invalid` naming it.
    ``unknown``: marshmallow's choice for fields the schema does not know (its own by default)."""
    try:
        return schema.load(data, unknown=unknown)
    except ValidationError as exc:
        raise invalid(exc.messages, location) from None
