"""FollowTheMoney (Aleph, OpenSanctions) entities as JSON lines, in and out.

In: ``Company``, ``Person``, ``Organization`` (and ``PublicBody`` as a Regulator) become nodes;
``Ownership`` -> OWNS, ``Directorship`` -> HOLDS_ROLE (kind board, or executive for executive
titles), ``Employment`` -> HOLDS_ROLE (kind staff or executive), ``Membership`` -> MEMBER_OF,
``UnknownLink`` with a role starting "controls" -> CONTROLS. FollowTheMoney has no confidence:
an interval's ``summary`` of ``confidence: <value>`` sets it, else it is ``reported``.

Out: the same mapping back. What FollowTheMoney has no property for (voting and range
percentages, the role kind) is kept in the interval's ``description`` after a ``[graphapp]``
marker, which the importer reads back, so an export imports to the same graph. Arrangements
(trusts, nominations) and undisclosed owners go out as ``LegalEntity``, states and state bodies
as ``PublicBody``, each with its graphapp kind after the marker; a party to an arrangement
(trustee, nominee...) as an ``UnknownLink`` whose role is ``<role> of``; a declared indirect
interest as an ``Ownership`` of ``ownershipType`` "indirect (declared)".

FollowTheMoney ids are letters, digits, ``.`` and ``-`` (``followthemoney.types.registry.entity``
rejects the rest, and Aleph drops what refers to a rejected id). graphapp ids from BODS and GLEIF
(``bods:...``, ``lei:...``) are written with ``.`` for ``:`` (:func:`ftm_id`), and read back
(:func:`graph_id`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphapp.io import limits
from graphapp.io.common import Batch, Location, country_code, date_part, drop_empty
from graphapp.store.db import Graph, for_reader
from graphapp.store.model import ARRANGEMENT_ROLES

NODE_SCHEMAS = {"Company": "Company", "Person": "Person", "Organization": "Organization",
                "PublicBody": "Regulator", "LegalEntity": "Organization"}
# graphapp kinds FollowTheMoney has no schema for, written as <schema> + "[graphapp] label=...".
MARKED_LABELS = {"Arrangement": "LegalEntity", "State": "PublicBody", "Undisclosed": "LegalEntity"}
FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$")
SOURCE_PREFIXES = ("bods", "lei")  # graphapp id prefixes written "<prefix>." in FtM ids


def ftm_id(node_id: str) -> str:
    """A graphapp id as a valid FollowTheMoney id: ``bods:abc`` -> ``bods.abc``."""
    if FTM_ID.match(node_id):
        return node_id
    return re.sub(r"[^0-9a-zA-Z.-]", lambda m: "." if m.group() == ":" else "-",
                  node_id).strip(".-")


def graph_id(entity_id: str) -> str:
    """The graphapp id of an exported FollowTheMoney id: ``lei.X`` -> ``lei:X``."""
    prefix, dot, rest = entity_id.partition(".")
    return f"{prefix}:{rest}" if dot and prefix in SOURCE_PREFIXES and rest else entity_id
LINK_SCHEMAS = ("Ownership", "Directorship", "Employment", "Membership", "UnknownLink")
DEFAULT_CONFIDENCE = "reported"
# graphapp field -> FollowTheMoney property, so that a problem names the property to fix.
COMMON_COLUMNS = {"name": "name", "aliases": "alias", "description": "description",
                  "sources": "sourceUrl", "jurisdiction": "jurisdiction", "lei": "leiCode",
                  "registration_number": "registrationNumber", "wikidata_id": "wikidataId",
                  "nationality": "nationality", "role_summary": "position",
                  "kind": "classification", "start_date": "startDate", "end_date": "endDate",
                  "as_of": "date", "note": "description", "confidence": "summary",
                  "economic_pct": "percentage", "share_class": "sharesType", "title": "role",
                  "means": "role"}
LINK_COLUMNS = {
    "Ownership": {"from": "owner", "to": "asset"},
    "Directorship": {"from": "director", "to": "organization"},
    "Employment": {"from": "employee", "to": "employer"},
    "Membership": {"from": "member", "to": "organization"},
    "UnknownLink": {"from": "subject", "to": "object"},
}
MARKER = "[graphapp]"
EXECUTIVE = re.compile(r"\b(ceo|cfo|coo|cto|chief|officer|president|executive|managing|"
                       r"general counsel|head of)\b", re.IGNORECASE)


# --- reading ---------------------------------------------------------------------------------


def _values(props: dict[str, Any], name: str) -> list[str]:
    values = props.get(name) or []
    if not isinstance(values, list):
        values = [values]
    out = []
    for v in values:
        if isinstance(v, dict):  # a nested entity, as some exports write references
            v = v.get("id")
        if v is not None and str(v).strip():
            out.append(str(v).strip())
    return out


def _first(props: dict[str, Any], *names: str) -> str | None:
    for name in names:
        values = _values(props, name)
        if values:
            return values[0]
    return None


def _urls(props: dict[str, Any]) -> list[str]:
    return [u for u in _values(props, "sourceUrl") if u.startswith(("http://", "https://"))]


def _country(value: str | None) -> str | None:
    code = country_code(value)
    return None if code in (None, "ZZ") else code


def _extras(description: str | None) -> tuple[str | None, dict[str, str]]:
    """Split ``note [graphapp] voting_pct=51; kind=board`` into the note and the values."""
    if not description or MARKER not in description:
        return description, {}
    note, _, tail = description.partition(MARKER)
    values = {}
    for part in tail.split(";"):
        key, eq, value = part.strip().partition("=")
        if eq:
            values[key.strip()] = value.strip()
    return note.strip() or None, values


def _percent(value: str | None) -> str | None:
    return value.strip().rstrip("%").strip() if value else None


def node_record(schema: str, entity_id: str, props: dict[str, Any]) -> dict[str, Any]:
    """A Company, Person, Organization or PublicBody entity as a node record (unvalidated)."""
    label = NODE_SCHEMAS[schema]
    names = _values(props, "name")
    aliases = [*names[1:], *_values(props, "alias"), *_values(props, "previousName")]
    description, extra = _extras(_first(props, "description", "summary", "notes"))
    if extra.get("label") in MARKED_LABELS:
        label = extra.pop("label")
    record: dict[str, Any] = {
        "label": label,
        "id": graph_id(entity_id),
        "name": names[0] if names else None,
        "aliases": list(dict.fromkeys(a for a in aliases if names and a != names[0])),
        "description": description,
        "sources": _urls(props),
    }
    if label in MARKED_LABELS:
        if label != "Undisclosed":
            record["jurisdiction"] = _country(_first(props, "jurisdiction", "country"))
        record.update({k: v for k, v in extra.items()
                       if k in ("arrangement_type", "state_kind", "body_type", "reason",
                                "party_kind")})
        record["reason_text"] = description if label == "Undisclosed" else None
        if label == "Undisclosed":
            record.pop("description")
    elif label == "Company":
        record.update({
            "jurisdiction": _country(_first(props, "jurisdiction", "country")),
            "lei": _first(props, "leiCode"),
            "registration_number": _first(props, "registrationNumber"),
            "wikidata_id": _first(props, "wikidataId"),
            "ticker": _first(props, "ticker"),
            "sector": _first(props, "sector"),
            "website": _first(props, "website"),
        })
    elif label == "Person":
        record.update({
            "nationality": _country(_first(props, "nationality", "citizenship")),
            "role_summary": _first(props, "position"),
            "wikidata_id": _first(props, "wikidataId"),
        })
    else:
        record.update({"kind": _first(props, "classification"),
                       "website": _first(props, "website")})
    return drop_empty(record)


def link_record(schema: str, props: dict[str, Any]) -> dict[str, Any] | str:
    """An interval entity as a relationship record, or a message saying why it cannot be one."""
    note, extra = _extras(_first(props, "description"))
    summary = _first(props, "summary") or ""
    m = re.match(r"^\s*confidence:\s*(\w+)", summary)
    record: dict[str, Any] = {
        "confidence": m.group(1) if m else DEFAULT_CONFIDENCE,
        "sources": _urls(props),
        "start_date": date_part(_first(props, "startDate")),
        "end_date": date_part(_first(props, "endDate")),
        "as_of": date_part(_first(props, "date")),
        "note": note,
    }
    role = _first(props, "role")
    indirect = (_first(props, "ownershipType") or "").startswith("indirect")
    if schema == "Ownership":
        pct = _percent(_first(props, "percentage"))
        record.update({"type": "HOLDS_INDIRECTLY" if indirect else "OWNS",
                       "from": _first(props, "owner"),
                       "to": _first(props, "asset"), "economic_pct": pct,
                       "share_class": _first(props, "sharesType"),
                       "voting_pct": extra.get("voting_pct"), "pct_min": extra.get("pct_min"),
                       "pct_max": extra.get("pct_max")})
    elif schema in ("Directorship", "Employment"):
        start, end = (("director", "organization") if schema == "Directorship"
                      else ("employee", "employer"))
        default_kind = "board" if schema == "Directorship" else "staff"
        kind = extra.get("kind") or ("executive" if role and EXECUTIVE.search(role)
                                     else default_kind)
        record.update({"type": "HOLDS_ROLE", "from": _first(props, start),
                       "to": _first(props, end), "title": role, "kind": kind})
    elif schema == "Membership":
        record.update({"type": "MEMBER_OF", "from": _first(props, "member"),
                       "to": _first(props, "organization")})
        if role:
            record["note"] = f"{note}; role: {role}" if note else f"role: {role}"
    elif schema == "UnknownLink" and role and role.removesuffix(" of") in ARRANGEMENT_ROLES:
        record.update({"type": "PARTY_TO", "from": _first(props, "subject"),
                       "to": _first(props, "object"), "role": role.removesuffix(" of"),
                       "pct_min": extra.get("pct_min"), "pct_max": extra.get("pct_max"),
                       "economic_pct": extra.get("economic_pct")})
    elif schema == "UnknownLink":
        if not role or not role.lower().startswith("controls"):
            return ("an UnknownLink is imported only as control (role 'controls: <means>'); "
                    f"this one's role is {role!r}.")
        means = role[len("controls"):].lstrip(" :") or None
        record.update({"type": "CONTROLS", "from": _first(props, "subject"),
                       "to": _first(props, "object"), "means": means})
    if record.get("type") == "HOLDS_INDIRECTLY":
        record.pop("share_class", None)
        record.update({"means": extra.get("means"), "direct_or_indirect": "indirect",
                       "via": [graph_id(x) for x in extra["via"].split(",")]
                       if extra.get("via") else None})
    for end in ("from", "to"):
        if record.get(end):
            record[end] = graph_id(record[end])
    return drop_empty(record)


def read(path: Path, display_name: str) -> Batch:
    """A JSON-lines file of FollowTheMoney entities (a JSON array is accepted too)."""
    batch = Batch()
    with open(path, encoding="utf-8-sig", errors="strict") as f:
        try:
            text = f.read()
        except UnicodeDecodeError as exc:
            batch.problem(Location(display_name), f"not UTF-8 text: {exc}")
            return batch
    try:
        limits.check_json_depth(text)
    except limits.Refused as exc:
        batch.problem(Location(display_name, None, exc.line, "line"), str(exc))
        return batch
    if text.lstrip().startswith("["):
        try:
            items = [(i, e) for i, e in enumerate(json.loads(text), start=1)]
            unit = "record"
        except json.JSONDecodeError as exc:
            batch.problem(Location(display_name, None, exc.lineno, "line"),
                          f"not valid JSON: {exc.msg} (column {exc.colno}).")
            return batch
    else:
        items, unit = [], "line"
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                batch.problem(Location(display_name, None, n, "line"),
                              f"not valid JSON: {exc.msg} (column {exc.colno}).")
    for n, entity in items:
        schema_name = entity.get("schema") if isinstance(entity, dict) else None
        loc = Location(display_name, None, n, unit, {**COMMON_COLUMNS,
                                                     **LINK_COLUMNS.get(schema_name, {})})
        if not isinstance(entity, dict):
            batch.problem(loc, "not a FollowTheMoney entity (a JSON object with id, schema "
                               "and properties).")
            continue
        schema, entity_id = entity.get("schema"), entity.get("id")
        props = entity.get("properties") or {}
        if not isinstance(props, dict):
            batch.problem(loc, "properties must be an object of lists.", "properties")
            continue
        if schema in NODE_SCHEMAS:
            if not entity_id:
                batch.problem(loc, "the entity has no id.", "id")
                continue
            batch.add_node(loc, node_record(schema, str(entity_id), props))
        elif schema in LINK_SCHEMAS:
            record = link_record(schema, props)
            if isinstance(record, str):
                batch.problem(loc, record, "role")
            else:
                batch.add_relationship(loc, record)
        else:
            batch.problem(loc, f"schema {schema!r} is not one graphapp imports; it takes "
                               f"{', '.join([*NODE_SCHEMAS, *LINK_SCHEMAS])}.", "schema")
    return batch


# --- writing -------------------------------------------------------------------------------


EXPORT_LABELS = ("Company", "Person", "Organization", "Forum", "Regulator", "Arrangement",
                 "State", "Undisclosed")
EXPORT_TYPES = ("OWNS", "CONTROLS", "HOLDS_ROLE", "MEMBER_OF", "PARTY_TO", "HOLDS_INDIRECTLY")


def _label(labels: list[str]) -> str | None:
    for label in EXPORT_LABELS:
        if label in labels:
            return label
    return None


def _clean(props: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: [str(x) for x in v if x is not None and x != ""] for k, v in props.items()
            if any(x is not None and x != "" for x in v)}


def node_entity(node_id: str, labels: list[str], p: dict[str, Any]) -> dict[str, Any] | None:
    label = _label(labels)
    if label is None:
        return None
    props: dict[str, list[Any]] = {
        "name": [p.get("name")], "alias": list(p.get("aliases") or []),
        "description": [p.get("description")], "sourceUrl": list(p.get("sources") or []),
    }
    if label == "Company":
        schema = "Company"
        props.update({"jurisdiction": [(p.get("jurisdiction") or "").lower()],
                      "leiCode": [p.get("lei")],
                      "registrationNumber": [p.get("registration_number")],
                      "wikidataId": [p.get("wikidata_id")], "ticker": [p.get("ticker")],
                      "sector": [p.get("sector")], "website": [p.get("website")]})
    elif label == "Person":
        schema = "Person"
        props.update({"nationality": [(p.get("nationality") or "").lower()],
                      "position": [p.get("role_summary")],
                      "wikidataId": [p.get("wikidata_id")]})
    elif label in MARKED_LABELS:
        schema = MARKED_LABELS[label]
        keys = ("arrangement_type", "state_kind", "body_type", "reason", "party_kind")
        marked = "; ".join([f"label={label}", *(f"{k}={p[k]}" for k in keys if p.get(k))])
        text = p.get("reason_text") if label == "Undisclosed" else p.get("description")
        props.update({"jurisdiction": [(p.get("jurisdiction") or "").lower()],
                      "legalForm": [p.get("arrangement_type")] if schema == "LegalEntity"
                      else [],
                      "description": [f"{text or ''} {MARKER} {marked}".strip()]})
    else:
        schema = "PublicBody" if label == "Regulator" else "Organization"
        props.update({"classification": [p.get("kind")], "website": [p.get("website")]})
    return {"id": ftm_id(node_id), "schema": schema, "properties": _clean(props)}


def relationship_entity(rel: dict[str, Any], exported: set[str]) -> dict[str, Any] | None:
    """One relationship as a FollowTheMoney interval entity, or None when it has no match."""
    if rel["from"] not in exported or rel["to"] not in exported:
        return None
    p = rel["props"]
    extra: dict[str, Any] = {}
    props: dict[str, list[Any]] = {
        "startDate": [p.get("start_date")], "endDate": [p.get("end_date")],
        "date": [p.get("as_of")], "sourceUrl": list(p.get("sources") or []),
        "summary": [f"confidence: {p['confidence']}" if p.get("confidence") else None],
    }
    rel_type = rel["type"]
    start, end = ftm_id(rel["from"]), ftm_id(rel["to"])
    if rel_type in ("OWNS", "HOLDS_INDIRECTLY"):
        schema = "Ownership"
        props.update({"owner": [start], "asset": [end],
                      "percentage": [_number(p.get("economic_pct"))],
                      "sharesType": [p.get("share_class")]})
        extra = {k: _number(p.get(k)) for k in ("voting_pct", "pct_min", "pct_max")}
        if rel_type == "HOLDS_INDIRECTLY":
            props["ownershipType"] = ["indirect (declared)"]
            extra.update({"means": p.get("means"),
                          "via": ",".join(ftm_id(x) for x in p.get("via") or [])})
    elif rel_type == "PARTY_TO":
        schema = "UnknownLink"
        props.update({"subject": [start], "object": [end], "role": [f"{p.get('role')} of"]})
        extra = {k: _number(p.get(k)) for k in ("economic_pct", "pct_min", "pct_max")}
    elif rel_type == "HOLDS_ROLE":
        if "Company" not in rel["to_labels"]:
            return None  # a role in a Team: FollowTheMoney has no teams
        board = p.get("kind") == "board"
        schema = "Directorship" if board else "Employment"
        keys = ("director", "organization") if board else ("employee", "employer")
        props.update({keys[0]: [start], keys[1]: [end], "role": [p.get("title")]})
        extra = {"kind": p.get("kind")}
    elif rel_type == "MEMBER_OF":
        schema = "Membership"
        props.update({"member": [start], "organization": [end]})
    else:  # CONTROLS
        schema = "UnknownLink"
        means = p.get("means")
        props.update({"subject": [start], "object": [end],
                      "role": [f"controls: {means}" if means else "controls"]})
    extra = {k: v for k, v in extra.items() if v not in (None, "")}
    note = p.get("note") or ""
    if extra:
        note = f"{note} {MARKER} " + "; ".join(f"{k}={v}" for k, v in extra.items())
    props["description"] = [note.strip() or None]
    digest = hashlib.sha1(
        f"{rel['from']}|{rel_type}|{rel['to']}|{p.get('key', '')}".encode()).hexdigest()[:20]
    return {"id": f"graphapp-{rel_type.lower().replace('_', '-')}-{digest}", "schema": schema,
            "properties": _clean(props)}


def _number(value: Any) -> str | None:
    if value is None:
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


@for_reader
def export_entities(graph: Graph, include_sensitive: bool = False) -> Iterator[dict[str, Any]]:
    """Every exportable node, then every relationship between exported nodes."""
    exported: set[str] = set()
    for row in graph.read("imports.export_nodes", labels=list(EXPORT_LABELS),
                          include_sensitive=include_sensitive):
        entity = node_entity(row["id"], row["labels"], row["props"])
        if entity is not None:
            exported.add(row["id"])
            yield entity
    for row in graph.read("imports.export_relationships", types=list(EXPORT_TYPES),
                          include_sensitive=include_sensitive):
        entity = relationship_entity(row, exported)
        if entity is not None:
            yield entity


@for_reader
def export_lines(graph: Graph, include_sensitive: bool = False) -> Iterator[str]:
    for entity in export_entities(graph, include_sensitive):
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True)
