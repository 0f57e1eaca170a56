"""The graph back out as BODS 0.4 statements, checked against the BODS JSON schema.

Companies become entity statements, people person statements; ``OWNS`` becomes a relationship
with ``shareholding`` (economic %, exact or a range) and ``votingRights`` (voting %) interests;
``CONTROLS`` an ``appointmentOfBoard`` interest when its ``means`` speaks of the board, else
``otherInfluenceOrControl`` (the means in ``details``); ``HOLDS_ROLE`` in a company a
``boardMember`` / ``boardChair`` (kind board) or ``seniorManagingOfficial`` (kind executive)
interest. Evidence goes into each statement's ``source``: the first source URL as ``url``,
and confidence, every source, the as-of date and the note in ``description``. BODS dates are
full dates: a partial date is rounded to the first day (``2019`` -> ``2019-01-01``) and the
interest's ``details`` say so. Sensitive nodes and relationships are left out by default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from graphapp.store.db import Graph

SCHEMA_DIR = Path(__file__).resolve().parent / "bods_schema"
SCHEMA_FILES = ("statement", "components", "entity-record", "person-record",
                "relationship-record")
PUBLISHER = {"name": "graphapp"}
REGISTER_SCHEME = re.compile(r"^([A-Z]{2}-[A-Z0-9]+):(.+)$")
CONTROL_CODES = ("appointmentOfBoard", "otherInfluenceOrControl")
NAMESPACE = uuid.UUID("6f1d3c1e-8e0a-4c47-9a55-2f4c7d1b9e10")  # graphapp's statement ids


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for name in SCHEMA_FILES:
        contents = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource(contents, specification=DRAFT202012)))
    registry = Registry().with_resources(resources)
    statement = dict(resources[0][1].contents)
    return Draft202012Validator(statement, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(statements: list[dict[str, Any]]) -> list[str]:
    """Every way ``statements`` break the BODS 0.4 schema ([] when they are valid)."""
    problems = []
    for error in sorted(_validator().iter_errors(statements), key=lambda e: list(e.path)):
        path = "/".join(str(p) for p in error.absolute_path)
        problems.append(f"{path or '(top)'}: {error.message}")
    return problems


def full_date(value: str | None) -> tuple[str | None, bool]:
    """(YYYY-MM-DD, rounded?) from a partial date; (None, False) when there is none."""
    if not value:
        return None, False
    parts = str(value).split("-")
    if len(parts) == 3:
        return str(value), False
    if len(parts) == 2:
        return f"{parts[0]}-{parts[1]}-01", True
    return f"{parts[0]}-01-01", True


def _country(code: str | None) -> dict[str, str] | None:
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code)
    return {"name": country.name if country else code, "code": code}


def _statement_id(record_id: str, details: dict[str, Any]) -> str:
    return str(uuid.uuid5(NAMESPACE, record_id + json.dumps(details, sort_keys=True)))


def _statement(record_id: str, record_type: str, details: dict[str, Any], subject: str,
               today: str, source: dict[str, Any] | None = None) -> dict[str, Any]:
    statement = {
        "statementId": _statement_id(record_id, details),
        "declarationSubject": subject,
        "statementDate": today,
        "publicationDetails": {"publicationDate": today, "bodsVersion": "0.4",
                               "publisher": PUBLISHER},
        "recordId": record_id,
        "recordType": record_type,
        "recordStatus": "new",
        "recordDetails": details,
    }
    if source:
        statement["source"] = source
    return statement


def _source(props: dict[str, Any]) -> dict[str, Any]:
    sources = list(props.get("sources") or [])
    parts = []
    if props.get("confidence"):
        parts.append(f"confidence: {props['confidence']}")
    if props.get("as_of"):
        parts.append(f"as of {props['as_of']}")
    if sources:
        parts.append("sources: " + " ".join(sources))
    if props.get("note"):
        parts.append(f"note: {props['note']}")
    source: dict[str, Any] = {"type": ["thirdParty"]}
    if props.get("confidence") == "confirmed":
        source["type"].append("verified")
    if sources:
        source["url"] = sources[0]
    if parts:
        source["description"] = "; ".join(parts)
    return source


def entity_details(props: dict[str, Any]) -> dict[str, Any]:
    identifiers = []
    if props.get("lei"):
        identifiers.append({"scheme": "XI-LEI", "id": props["lei"]})
    number = props.get("registration_number")
    if number:
        m = REGISTER_SCHEME.match(str(number))
        if m:
            identifiers.append({"scheme": m.group(1), "id": m.group(2)})
        else:
            where = props.get("jurisdiction") or "unknown jurisdiction"
            identifiers.append({"schemeName": f"company register ({where})", "id": str(number)})
    if props.get("wikidata_id"):
        identifiers.append({"schemeName": "Wikidata", "id": props["wikidata_id"],
                            "uri": f"https://www.wikidata.org/wiki/{props['wikidata_id']}"})
    details: dict[str, Any] = {
        "isComponent": False,
        "entityType": {"type": "registeredEntity" if identifiers else "legalEntity"},
        "name": props.get("name"),
    }
    if props.get("aliases"):
        details["alternateNames"] = list(props["aliases"])
    jurisdiction = _country(props.get("jurisdiction"))
    if jurisdiction:
        details["jurisdiction"] = jurisdiction
    if identifiers:
        details["identifiers"] = identifiers
    if props.get("website"):
        details["uri"] = props["website"]
    return details


def person_details(props: dict[str, Any]) -> dict[str, Any]:
    names = [{"type": "legal", "fullName": props.get("name")}]
    names += [{"type": "alternative", "fullName": a} for a in props.get("aliases") or []]
    details: dict[str, Any] = {"isComponent": False, "personType": "knownPerson",
                               "names": names}
    nationality = _country(props.get("nationality"))
    if nationality:
        details["nationalities"] = [nationality]
    if props.get("wikidata_id"):
        details["identifiers"] = [{"schemeName": "Wikidata", "id": props["wikidata_id"]}]
    return details


def _dated(interest: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    notes = []
    for key, name in (("start_date", "startDate"), ("end_date", "endDate")):
        value, rounded = full_date(props.get(key))
        if value:
            interest[name] = value
            if rounded:
                notes.append(f"{name} rounded from {props[key]}")
    if notes:
        interest["details"] = "; ".join([*([interest["details"]] if interest.get("details")
                                            else []), *notes])
    return interest


def interests(rel_type: str, props: dict[str, Any], end_labels: list[str]) -> list[dict]:
    """The BODS interests of one graphapp relationship ([] when BODS has none for it)."""
    base = {"directOrIndirect": "direct", "beneficialOwnershipOrControl": False}
    if rel_type == "OWNS":
        share: dict[str, float] = {}
        if props.get("economic_pct") is not None:
            share["exact"] = props["economic_pct"]
        else:
            if props.get("pct_min") is not None:
                share["minimum"] = props["pct_min"]
            if props.get("pct_max") is not None:
                share["maximum"] = props["pct_max"]
        held = {"type": "shareholding", **base}
        if share:
            held["share"] = share
        if props.get("share_class"):
            held["details"] = f"share class {props['share_class']}"
        out = [_dated(held, props)]
        if props.get("voting_pct") is not None:
            out.append(_dated({"type": "votingRights", **base,
                               "share": {"exact": props["voting_pct"]}}, props))
        return out
    if rel_type == "CONTROLS":
        out = []
        for means in (props.get("means") or "").split(", "):
            code, _, details = means.partition(": ")
            if code in CONTROL_CODES:  # as the BODS importer wrote it
                kind, details = code, details
            else:
                kind = ("appointmentOfBoard" if re.search(r"board|appoint", means, re.I)
                        else "otherInfluenceOrControl")
                details = means
            interest = {"type": kind, **base}
            if details:
                interest["details"] = details
            out.append(_dated(interest, props))
        return out
    if rel_type == "HOLDS_ROLE" and "Company" in end_labels:
        title = props.get("title") or ""
        if props.get("kind") == "board":
            kind = "boardChair" if "chair" in title.lower() else "boardMember"
        elif props.get("kind") == "executive":
            kind = "seniorManagingOfficial"
        else:
            return []
        interest = {"type": kind, **base}
        if title:
            interest["details"] = title
        return [_dated(interest, props)]
    return []


def export_statements(graph: Graph, include_sensitive: bool = False,
                      today: str | None = None) -> list[dict[str, Any]]:
    """Entity and person statements first, then the relationships between them."""
    today = today or dt.date.today().isoformat()
    statements = []
    kinds: dict[str, str] = {}
    for row in graph.read("imports.export_nodes", labels=["Company", "Person"],
                          include_sensitive=include_sensitive):
        props = row["props"]
        if "Company" in row["labels"]:
            details, kind = entity_details(props), "entity"
        else:
            details, kind = person_details(props), "person"
        kinds[row["id"]] = kind
        source = {"type": ["thirdParty"], "url": props["sources"][0]} \
            if props.get("sources") else None
        statements.append(_statement(row["id"], kind, details, row["id"], today, source))
    for row in graph.read("imports.export_relationships",
                          types=["OWNS", "CONTROLS", "HOLDS_ROLE"],
                          include_sensitive=include_sensitive):
        if kinds.get(row["to"]) != "entity" or row["from"] not in kinds:
            continue
        found = interests(row["type"], row["props"], row["to_labels"])
        if not found:
            continue
        digest = hashlib.sha1(f"{row['from']}|{row['type']}|{row['to']}|"
                              f"{row['props'].get('key', '')}".encode()).hexdigest()[:20]
        details = {"isComponent": False, "subject": row["to"], "interestedParty": row["from"],
                   "interests": found}
        statements.append(_statement(f"rel-{digest}", "relationship", details, row["to"],
                                     today, _source(row["props"])))
    return statements
