"""marshmallow schemas for query parameters (validated before any capability runs)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class SearchArgs(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Words to find in names, aliases, descriptions."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
