"""Engagement's writes: ``create_engagement``, ``update_engagement`` and ``create_commitment``
validate their input with the Engagement and Commitment node schemas (every error names its
field) and write in one managed write transaction, audited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from graphapp import audit
from graphapp.engagement.reads import get_engagement, list_commitments
from graphapp.engagement.rules import TARGET_LABELS
from graphapp.errors import GraphappError, NotFound
from graphapp.store import model
from graphapp.store.db import Graph, Tx, plain
from graphapp.store.schemas import ID_PATTERN, CommitmentSchema, EngagementSchema

# --- input validation --------------------------------------------------------------------------


class InvalidInput(GraphappError):
    """A write's input is invalid; ``errors`` names every field (422)."""

    status = 422
    title = "Invalid input"


def _invalid(messages: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(f"Invalid field(s): {', '.join(sorted(messages))}.",
                        errors={"json": messages})


def _ids(required: bool = False, min_one: bool = False) -> fields.List:
    item = fields.String(validate=validate.Regexp(
        ID_PATTERN, error="Not an id (letters, digits and . _ : -)."))
    check = validate.Length(min=1, error="Give at least one id.") if min_one else None
    if required:
        return fields.List(item, required=True, validate=check)
    return fields.List(item, load_default=list, validate=check)


# A write names no label (the form is for an Engagement) and may leave the id to us.
NOT_WRITTEN = ("label", "extra_labels", "aliases", "investor_type")


def _new_id_field() -> fields.String:
    return fields.String(load_default=None, validate=validate.Regexp(
        ID_PATTERN, error="Use letters, digits and . _ : - (at most 200)."))


def _confidence_field() -> fields.String:
    return fields.String(load_default="confirmed", validate=validate.OneOf(
        model.CONFIDENCE, error="Must be one of: {choices}."))


class EngagementInput(EngagementSchema):
    """A new engagement: the Engagement node's fields (its schema's rules), who sent it, to
    whom, about which harms."""

    class Meta:
        exclude = NOT_WRITTEN

    id = _new_id_field()
    status = fields.String(load_default="sent", validate=validate.OneOf(
        model.ENGAGEMENT_STATUSES, error="Must be one of: {choices}."))
    by = _ids(required=True, min_one=True)
    to = _ids(required=True, min_one=True)
    about = _ids()
    confidence = _confidence_field()


# What an update may change (status, response, outcome, documents); all optional.
UPDATABLE = ("name", "status", "subject", "response_date", "outcome", "description", "sources")


class CommitmentInput(CommitmentSchema):
    """A new commitment: the Commitment node's fields, who made it, in answer to what."""

    class Meta:
        exclude = NOT_WRITTEN

    id = _new_id_field()
    status = fields.String(load_default="pending", validate=validate.OneOf(
        model.COMMITMENT_STATUSES, error="Must be one of: {choices}."))
    made_by = fields.String(required=True, validate=validate.Regexp(
        ID_PATTERN, error="Not an id (letters, digits and . _ : -)."))
    in_response_to = _ids()
    about = _ids()
    confidence = _confidence_field()


def _load(schema: Schema, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _invalid({"_schema": ["Send a JSON object."]})
    # Forms send empty strings for empty fields: treat them as absent.
    clean = {k: v for k, v in data.items() if v not in ("", None) or k in ("response_date",)}
    if clean.get("response_date") == "":
        clean["response_date"] = None
    try:
        return schema.load(clean)
    except ValidationError as exc:
        raise _invalid(exc.messages) from None


def _new_id(prefix: str, date: str | None) -> str:
    return f"{prefix}-{(date or '').replace('-', '')}-{uuid.uuid4().hex[:8]}".replace("--", "-")


def _check_ends(tx: Tx, wanted: dict[str, tuple[list[str], tuple[str, ...]]]
                ) -> dict[str, dict[str, Any]]:
    """Check that each field's ids exist with one of the allowed labels; raise naming fields."""
    ids = sorted({i for ids, _ in wanted.values() for i in ids})
    found = {r["id"]: r for r in tx.run("engagement.labels_of", ids=ids)}
    errors: dict[str, list[str]] = {}
    for name, (values, labels) in wanted.items():
        for value in values:
            row = found.get(value)
            if row is None:
                errors.setdefault(name, []).append(f"No entity with id {value!r}.")
            elif not set(row["labels"]) & set(labels):
                errors.setdefault(name, []).append(
                    f"{value!r} is a {'/'.join(sorted(set(row['labels']) - {'Entity'}))}, "
                    f"not a {' or '.join(labels)}.")
    if errors:
        raise _invalid(errors)
    return found


def _rel(rel_type: str, start: str, end: str, data: dict[str, Any], as_of: str | None
         ) -> dict[str, Any]:
    props = {"confidence": data["confidence"], "sources": data.get("sources") or [],
             "as_of": as_of or dt.date.today().isoformat(), "key": "|"}
    return {"type": rel_type, "from": start, "to": end, "key": "|", "props": props}


def _node_row(node_id: str, label: str, data: dict[str, Any], keys: tuple[str, ...]
              ) -> dict[str, Any]:
    props = {k: data[k] for k in keys if data.get(k) is not None}
    return {"id": node_id, "labels": [label], "props": props}


ENGAGEMENT_KEYS = ("name", "kind", "date", "status", "subject", "response_date", "outcome",
                   "description", "sources", "sensitive")
COMMITMENT_KEYS = ("name", "text", "date_made", "due_date", "status", "description", "sources",
                   "sensitive")


# --- writes ----------------------------------------------------------------------------------


def create_engagement(graph: Graph, data: Any, user: str = "system") -> dict[str, Any]:
    """Validate and write a new engagement with its BY, TO and ABOUT ties (and an audit event
    naming ``user``, in the same transaction); return it."""
    e = _load(EngagementInput(), data)
    engagement_id = e["id"] or _new_id("eng", e["date"])

    def work(tx: Tx) -> None:
        if tx.run("engagement.labels_of", ids=[engagement_id]):
            raise _invalid({"id": [f"{engagement_id!r} exists already."]})
        _check_ends(tx, {"by": (e["by"], ("Organization",)), "to": (e["to"], TARGET_LABELS),
                         "about": (e["about"], ("Harm",))})
        rels = ([_rel("BY", engagement_id, o, e, e["date"]) for o in e["by"]]
                + [_rel("TO", engagement_id, t, e, e["date"]) for t in e["to"]]
                + [_rel("ABOUT", engagement_id, h, e, e["date"]) for h in e["about"]])
        row = _node_row(engagement_id, "Engagement", e, ENGAGEMENT_KEYS)
        tx.run("records.upsert_nodes", rows=[row])
        tx.run("records.upsert_relationships", rows=rels)
        tx.run("audit.record", events=[audit.event(
            user, "create_engagement", engagement_id, None,
            {**row["props"], "by": e["by"], "to": e["to"], "about": e["about"]})])

    graph.write_tx(work)
    return get_engagement(graph, engagement_id, include_sensitive=True)


class VersionMismatch(GraphappError):
    """The engagement changed since the client read it (412 for If-Match, 409 for a version
    field); ``errors`` hold the current version and values to redo the change on."""

    status = 409
    title = "Edit conflict"


def update_engagement(graph: Graph, engagement_id: str, data: Any, user: str = "system",
                      version: str | None = None, status_on_conflict: int = 409
                      ) -> dict[str, Any]:
    """Change an engagement's status, response date, outcome or documents (validated against
    what it already holds, in the same write transaction); return it.

    ``version`` (the ``version`` an engagement's read gives): when given, the change is made
    only if nobody changed the engagement since; else ``VersionMismatch``, nothing written."""
    change = _load(EngagementSchema(only=UPDATABLE, partial=True), data)
    if not change:
        raise _invalid({"_schema": ["Nothing to change: give status, response_date, outcome, "
                                    "subject, description, name or sources."]})

    def work(tx: Tx) -> None:
        locked = tx.run("engagement.lock_engagement", id=engagement_id)
        rows = tx.run("engagement.get_engagement", id=engagement_id)
        if not rows or not locked:
            raise NotFound(f"No engagement with id {engagement_id!r}.")
        current = {k: v for k, v in rows[0]["engagement"].items()
                   if k in ENGAGEMENT_KEYS and v is not None}
        now = audit.version_of(locked[0])
        if version is not None and version != now:
            raise VersionMismatch(
                "Someone changed this engagement since you loaded it: nothing was saved. "
                "Here are the current values; make your change again on top of them.",
                status=status_on_conflict,
                title="Precondition failed" if status_on_conflict == 412 else None,
                errors={"version": [now], "current": plain(current),
                        "yours": change})
        merged = {**current, **change}
        if ("status" in change and change["status"] in model.ENGAGEMENT_OPEN
                and "response_date" not in change):
            merged.pop("response_date", None)
        try:
            checked = EngagementSchema(exclude=(*NOT_WRITTEN, "id")).load(
                {k: v for k, v in merged.items() if v is not None})
        except ValidationError as exc:
            raise _invalid(exc.messages) from None
        props = {k: checked[k] for k in ENGAGEMENT_KEYS if checked.get(k) is not None}
        tx.run("engagement.set_engagement", id=engagement_id, props=props)
        tx.run("audit.record", events=[audit.event(user, "update_engagement", engagement_id,
                                                   current, props)])

    graph.write_tx(work)
    return get_engagement(graph, engagement_id, include_sensitive=True)


def create_commitment(graph: Graph, data: Any, user: str = "system") -> dict[str, Any]:
    """Validate and write a commitment with its MADE_BY, IN_RESPONSE_TO and ABOUT ties."""
    c = _load(CommitmentInput(), data)
    commitment_id = c["id"] or _new_id("commit", c.get("date_made"))

    def work(tx: Tx) -> None:
        if tx.run("engagement.labels_of", ids=[commitment_id]):
            raise _invalid({"id": [f"{commitment_id!r} exists already."]})
        _check_ends(tx, {"made_by": ([c["made_by"]], ("Company",)),
                         "in_response_to": (c["in_response_to"], ("Engagement",)),
                         "about": (c["about"], ("Harm",))})
        when = c.get("date_made")
        rels = ([_rel("MADE_BY", commitment_id, c["made_by"], c, when)]
                + [_rel("IN_RESPONSE_TO", commitment_id, e, c, when)
                   for e in c["in_response_to"]]
                + [_rel("ABOUT", commitment_id, h, c, when) for h in c["about"]])
        row = _node_row(commitment_id, "Commitment", c, COMMITMENT_KEYS)
        tx.run("records.upsert_nodes", rows=[row])
        tx.run("records.upsert_relationships", rows=rels)
        tx.run("audit.record", events=[audit.event(
            user, "create_commitment", commitment_id, None,
            {**row["props"], "made_by": c["made_by"], "in_response_to": c["in_response_to"],
             "about": c["about"]})])

    graph.write_tx(work)
    return list_commitments(graph, commitment_id=commitment_id, include_sensitive=True)[0]

