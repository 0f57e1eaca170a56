"""The audit trail: every write records who, when, and the values before and after.

Events are ``(:AuditEvent {at, user, action, entity_id, before, after})`` nodes outside the power
graph; ``before`` and ``after`` are JSON strings. Entity edits carry a version (the entity's
``updated_at``): an edit made against an older version is refused with 409 Conflict, never
applied over someone else's change (:func:`edit_entity`).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from graphapp.errors import BadRequest, GraphappError, NotFound
from graphapp.store.db import Graph, Tx, for_reader
from graphapp.store.db import plain as _plain

# What the edit form and PUT /api/entities/<id> may change (other facts come by import).
EDITABLE = {"name": str, "description": str, "aliases": list, "sensitive": bool}
MAX_TEXT = {"name": 300, "description": 5000}


class Conflict(GraphappError):
    status = 409
    title = "Edit conflict"


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)


def version_of(props: dict[str, Any]) -> str:
    """An entity's version: its ``updated_at`` as ISO text (as pages and the API show it)."""
    value = props.get("updated_at")
    return str(_plain(value)) if value is not None else ""


def event(user: str, action: str, entity_id: str | None, before: Any, after: Any) -> dict:
    return {"id": str(uuid.uuid4()), "user": user, "action": action, "entity_id": entity_id,
            "before": _json(before), "after": _json(after)}


def record(graph: Graph, user: str, action: str, entity_id: str | None, before: Any,
           after: Any) -> None:
    """One audit event in its own transaction."""
    graph.write("audit.record", events=[event(user, action, entity_id, before, after)])


def record_many(graph: Graph, events: list[dict]) -> None:
    for start in range(0, len(events), 5000):
        graph.write("audit.record", events=events[start:start + 5000])


WITHHELD = "(withheld)"


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return set()


def _withhold(value: Any, hidden: set[str]) -> Any:
    if isinstance(value, str):
        return WITHHELD if value in hidden else value
    if isinstance(value, dict):
        return {k: _withhold(v, hidden) for k, v in value.items()}
    if isinstance(value, list):
        return [_withhold(v, hidden) for v in value]
    return value


@for_reader
def history(graph: Graph, entity_id: str, limit: int = 200,
            include_sensitive: bool | None = None) -> list[dict[str, Any]]:
    """The entity's events, newest first, with ``before``/``after`` parsed back. Values that
    are the ids of sensitive entities (an engagement's addressee) read "(withheld)" for a
    reader who may not see them."""
    rows = graph.read("audit.history", id=entity_id, limit=limit)
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
    if not include_sensitive:
        named = sorted(set().union(*(_strings([r["before"], r["after"]]) for r in rows))
                       if rows else set())
        hidden = {r["id"] for r in graph.read("audit.sensitive_among", ids=named)} \
            if named else set()
        for row in rows:
            row["before"], row["after"] = (_withhold(row["before"], hidden),
                                           _withhold(row["after"], hidden))
    for row in rows:
        keys = set(row["before"] or {}) | set(row["after"] or {})
        row["changes"] = [{"field": k, "before": (row["before"] or {}).get(k),
                           "after": (row["after"] or {}).get(k)} for k in sorted(keys)
                          if (row["before"] or {}).get(k) != (row["after"] or {}).get(k)]
    return rows


def check_changes(changes: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Validated (set, remove) from the fields to change; BadRequest naming a bad field."""
    errors: dict[str, list[str]] = {}
    to_set: dict[str, Any] = {}
    remove: list[str] = []
    for key, value in changes.items():
        kind = EDITABLE.get(key)
        if kind is None:
            errors[key] = [f"Not editable here; editable: {', '.join(EDITABLE)}."]
        elif value is None or value == "" or value == []:
            if key == "name":
                errors[key] = ["An entity needs a name."]
            else:
                remove.append(key)
        elif kind is list:
            if not (isinstance(value, list) and all(isinstance(v, str) and len(v) <= 300
                                                    for v in value)):
                errors[key] = ["A list of texts (300 characters each at most)."]
            else:
                to_set[key] = [v.strip() for v in value if v.strip()]
        elif not isinstance(value, kind):
            errors[key] = [f"Must be a {'boolean' if kind is bool else 'text'}."]
        elif kind is str and len(value) > MAX_TEXT.get(key, 1000):
            errors[key] = [f"At most {MAX_TEXT.get(key, 1000)} characters."]
        else:
            to_set[key] = value.strip() if isinstance(value, str) else value
    if errors:
        raise BadRequest(f"Invalid field(s): {', '.join(sorted(errors))}.", errors={"json": errors})
    return to_set, remove


@for_reader
def edit_entity(graph: Graph, user: str, entity_id: str, version: str,
                changes: dict[str, Any], include_sensitive: bool = False) -> dict[str, Any]:
    """Apply ``changes`` if the entity is still at ``version``; record the event.

    Raises Conflict (409) when someone changed the entity since ``version``; its ``errors``
    hold the current version and values, so the editor can redo the change on top of them.
    """
    to_set, remove = check_changes(changes)

    def work(tx: Tx) -> dict[str, Any]:
        if not tx.run("audit.lock_entity", id=entity_id):
            raise NotFound(f"No entity with id {entity_id!r}.")
        props = tx.run("audit.entity_state", id=entity_id)[0]["props"]
        current_version = version_of(props)
        if props.get("sensitive") and not include_sensitive:
            raise NotFound(f"No entity with id {entity_id!r}.")
        if "sensitive" in changes and not include_sensitive:
            raise BadRequest("Marking sensitivity needs the right to see sensitive data.",
                             errors={"json": {"sensitive": ["Not allowed."]}})
        if current_version != version:
            current = {k: _plain(props.get(k)) for k in EDITABLE}
            raise Conflict(
                "Someone changed this entity since you loaded it: nothing was saved. "
                "Here are the current values; make your change again on top of them.",
                errors={"version": [current_version], "current": current,
                        "yours": changes})
        before = {k: _plain(props[k]) for k in (*to_set, *remove) if k in props}
        written = dict(to_set)
        if "name" in to_set or "aliases" in to_set or "aliases" in remove:
            from graphapp.store.records import latin_names

            written["latin_names"] = latin_names(
                to_set.get("name", props.get("name")),
                [] if "aliases" in remove else to_set.get("aliases", props.get("aliases")))
        after_rows = tx.run("audit.update_entity", id=entity_id, set=written, remove=remove)
        after_props = after_rows[0]["props"]
        after = {k: _plain(after_props[k]) for k in (*to_set, *remove) if k in after_props}
        tx.run("audit.record", events=[event(user, "entity.edit", entity_id, before, after)])
        return {"id": entity_id, "version": version_of(after_props), "before": before,
                "after": after}

    return graph.write_tx(work)


class ImportAudit:
    """Snapshots the entities an import touches, before and after, and records one event each.

    Use: ``audit = ImportAudit(graph, user)``; pass ``audit.before_write`` to
    ``pipeline.import_files``; then ``audit.finish(report)``.
    """

    def __init__(self, graph: Graph, user: str, action: str = "import"):
        self.graph = graph
        self.user = user
        self.action = action
        self.before: dict[str, dict] = {}
        self.ids: list[str] = []

    def _snapshot(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for start in range(0, len(ids), 5000):
            for row in self.graph.read("audit.snapshot", ids=ids[start:start + 5000]):
                props = {k: _plain(v) for k, v in row["props"].items() if k != "updated_at"}
                out[row["id"]] = props
        return out

    def before_write(self, plan: Any) -> None:
        self.ids = sorted({a.id for a in plan.actions})
        self.before = self._snapshot(self.ids)

    def finish(self, report: Any) -> int:
        """Record the import (one event) and each entity it changed; the number recorded."""
        if not report.written:
            return 0
        after = self._snapshot(self.ids)
        events = [event(self.user, self.action, None, None, {
            "files": [{"name": n, "format": f} for n, f in report.files],
            "nodes_written": report.nodes_written,
            "relationships_written": report.relationships_written})]
        for entity_id in self.ids:
            old, new = self.before.get(entity_id), after.get(entity_id)
            if old == new:
                continue
            changed = sorted(k for k in set(old or {}) | set(new or {})
                             if (old or {}).get(k) != (new or {}).get(k))
            kind = "update" if old else "create"
            before = {k: old[k] for k in changed if k in old} if old else None
            events.append(event(self.user, f"{self.action}.{kind}", entity_id, before,
                                {k: new[k] for k in changed if k in (new or {})}))
        record_many(self.graph, events)
        return len(events)
