"""GLEIF Level 1 (LEI-CDF) and Level 2 relationship records (RR-CDF), parsed as a stream.

Level 1: each ``LEIRecord`` is a ``Company`` keyed by its LEI (id ``lei:<LEI>``). Level 2: each
``RelationshipRecord`` says that its StartNode (the child) IS_DIRECTLY_CONSOLIDATED_BY,
IS_ULTIMATELY_CONSOLIDATED_BY, IS_FUND-MANAGED_BY or IS_SUBFUND_OF its EndNode (the parent);
graphapp records it as ``(parent)-[:CONTROLS {means: <that type>}]->(child)``. When the same
parent is both direct and ultimate parent, the two records make one relationship whose ``means``
lists both. A relationship end that is not in the file gets a placeholder ``Company`` (its LEI as
name), which never overwrites a node the graph already has.

Level 2 reporting exceptions (the ``repex`` file): each ``Exception`` says why an entity reports
no direct or ultimate accounting consolidation parent (``NATURAL_PERSONS``, ``NON_CONSOLIDATING``,
``NO_KNOWN_PERSON``, ``NON_PUBLIC``...). Opacity is data: each becomes an ``Undisclosed`` node
(id ``lei:<LEI>-<direct|ultimate>-undisclosed``, the reason kept) that ``CONTROLS`` the entity
with the means ``IS_DIRECTLY_CONSOLIDATED_BY (not reported)`` (or ``IS_ULTIMATELY_...``), so the
company page, leverage and escalation show the gap and its reason.

The parse is ``xml.etree.ElementTree.iterparse`` with every record cleared once read, so memory
stays bounded by one chunk of records whatever the file's size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from graphapp.io.common import Batch, Location, country_code, date_part, drop_empty

RELATIONSHIP_TYPES = ("IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY",
                      "IS_FUND-MANAGED_BY", "IS_SUBFUND_OF")
RECORD_URL = "https://search.gleif.org/#/record/{lei}"
CHUNK_RECORDS = 20_000


def node_id(lei: str) -> str:
    return f"lei:{lei}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element, *path: str) -> ET.Element | None:
    """The first descendant along ``path`` of local names, in the element's own namespace."""
    tag = elem.tag
    ns = tag[:tag.index("}") + 1] if tag.startswith("{") else ""
    return elem.find("/".join(ns + name for name in path))


def _text(elem: ET.Element, *path: str) -> str | None:
    found = _child(elem, *path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _children(elem: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if elem is None else [c for c in elem if _local(c.tag) == name]


def kind_of(head: bytes) -> str | None:
    """``lei``, ``rr`` or ``repex`` from the first bytes of a file, None when it is neither."""
    text = head.decode("utf-8", "replace")
    if "LEIData" in text or "LEIRecord" in text:
        return "lei"
    if "RelationshipData" in text or "RelationshipRecord" in text:
        return "rr"
    if "ReportingException" in text or "repex" in text:
        return "repex"
    return None


EXCEPTION_CATEGORIES = {
    "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": ("direct", "IS_DIRECTLY_CONSOLIDATED_BY"),
    "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": ("ultimate", "IS_ULTIMATELY_CONSOLIDATED_BY"),
}
EXCEPTION_REASONS = {
    "NATURAL_PERSONS": "the parent is one or more natural persons",
    "NON_CONSOLIDATING": "the parent does not prepare consolidated accounts",
    "NO_KNOWN_PERSON": "there is no known parent (no person or entity controls it)",
    "NON_PUBLIC": "the parent's identity is not public",
    "BINDING_LEGAL_COMMITMENTS": "binding legal commitments prevent disclosure",
    "LEGAL_OBSTACLES": "legal obstacles prevent disclosure",
    "DISCLOSURE_DETRIMENTAL": "disclosure would be detrimental to the entity or its parent",
    "DETRIMENT_NOT_EXCLUDED": "detriment from disclosure cannot be excluded",
    "CONSENT_NOT_OBTAINED": "the parent's consent to disclosure was not obtained",
}


def exception_name(category: str, reasons: list[str]) -> str:
    """The marker's name: "Direct parent not reported: the parent is one or more natural
    persons" (also given back to a marker read from graphapp's own BODS export)."""
    level = EXCEPTION_CATEGORIES[category][0]
    return (f"{level.capitalize()} parent not reported: "
            + "; ".join(EXCEPTION_REASONS[r] for r in reasons))


def exception_records(rec: ET.Element) -> tuple[dict[str, Any], dict[str, Any]] | str:
    """One reporting Exception as (Undisclosed node, CONTROLS record), or why it cannot be."""
    lei = _text(rec, "LEI")
    category = _text(rec, "ExceptionCategory")
    reasons = [r.text.strip() for r in _children(rec, "ExceptionReason") if r.text]
    if not lei:
        return "the exception names no LEI."
    if category not in EXCEPTION_CATEGORIES:
        return (f"{category!r} is not a GLEIF exception category graphapp knows "
                f"({', '.join(EXCEPTION_CATEGORIES)}).")
    unknown = [r for r in reasons if r not in EXCEPTION_REASONS]
    if not reasons or unknown:
        return (f"{(unknown or [None])[0]!r} is not a GLEIF exception reason graphapp knows "
                f"({', '.join(EXCEPTION_REASONS)}).")
    level, means = EXCEPTION_CATEGORIES[category]
    texts = "; ".join(EXCEPTION_REASONS[r] for r in reasons)
    reference = _text(rec, "ExceptionReference")
    marker = drop_empty({
        "label": "Undisclosed", "id": f"{node_id(lei)}-{level}-undisclosed",
        "name": exception_name(category, reasons),
        "reason": reasons[0], "party_kind": "unknown",
        "reason_text": f"GLEIF reporting exception ({category}): {', '.join(reasons)}"
                       + (f". Reference: {reference}" if reference else ""),
        "sources": [RECORD_URL.format(lei=lei)],
    })
    rel = {"type": "CONTROLS", "from": marker["id"], "to": node_id(lei),
           "means": f"{means} (not reported)", "confidence": "reported",
           "sources": [RECORD_URL.format(lei=lei)],
           "note": f"GLEIF reporting exception: {texts}.", "_ends": (lei, None)}
    return marker, rel


def confidence(validation_sources: str | None) -> str:
    """FULLY_CORROBORATED by the LOU against an authoritative source: confirmed; else reported."""
    return "confirmed" if validation_sources == "FULLY_CORROBORATED" else "reported"


def _url(value: str | None) -> list[str]:
    return [value] if value and value.startswith(("http://", "https://")) else []


def company_from_lei_record(rec: ET.Element) -> dict[str, Any]:
    """One LEIRecord as a Company record (unvalidated)."""
    lei = _text(rec, "LEI") or ""
    entity = _child(rec, "Entity")
    registration = _child(rec, "Registration")
    get = (lambda *p: _text(entity, *p)) if entity is not None else (lambda *p: None)
    aliases = []
    for group in ("OtherEntityNames", "TransliteratedOtherEntityNames"):
        container = _child(entity, group) if entity is not None else None
        for name_elem in list(container) if container is not None else []:
            if name_elem.text and name_elem.text.strip():
                aliases.append(name_elem.text.strip())
    jurisdiction = get("LegalJurisdiction") or get("LegalAddress", "Country")
    reg_status = _text(registration, "RegistrationStatus") if registration is not None else None
    status = [part for part in (
        get("EntityCategory") and get("EntityCategory").lower(),
        get("EntityStatus") and f"entity {get('EntityStatus').lower()}",
        reg_status and f"LEI {reg_status.lower()}") if part]
    return drop_empty({
        "label": "Company",
        "id": node_id(lei),
        "name": get("LegalName"),
        "aliases": list(dict.fromkeys(a for a in aliases if a != get("LegalName"))),
        "lei": lei,
        "jurisdiction": country_code(jurisdiction),
        "registration_number": get("RegistrationAuthority", "RegistrationAuthorityEntityID"),
        "description": ("GLEIF: " + ", ".join(status) + ".") if status else None,
        "sources": [RECORD_URL.format(lei=lei)] if lei else [],
    })


def relationship_from_rr_record(rec: ET.Element) -> dict[str, Any]:
    """One RelationshipRecord as a CONTROLS record (parent -> child), unvalidated."""
    rel = _child(rec, "Relationship")
    registration = _child(rec, "Registration")
    child = _text(rel, "StartNode", "NodeID") if rel is not None else None
    parent = _text(rel, "EndNode", "NodeID") if rel is not None else None
    rel_type = _text(rel, "RelationshipType") if rel is not None else None
    start = end = None
    for period in _children(_child(rel, "RelationshipPeriods") if rel is not None else None,
                            "RelationshipPeriod"):
        if _text(period, "PeriodType") == "RELATIONSHIP_PERIOD":
            start = date_part(_text(period, "StartDate"))
            end = date_part(_text(period, "EndDate"))
    status = _text(rel, "RelationshipStatus") if rel is not None else None
    reg = (lambda *p: _text(registration, *p)) if registration is not None else (lambda *p: None)
    notes = [f"GLEIF relationship {status.lower()}" if status else None,
             f"registration {reg('RegistrationStatus').lower()}"
             if reg("RegistrationStatus") else None]
    return drop_empty({
        "type": "CONTROLS",
        "from": node_id(parent) if parent else None,
        "to": node_id(child) if child else None,
        "means": rel_type,
        "confidence": confidence(reg("ValidationSources")),
        "sources": [*_url(reg("ValidationReference")),
                    *([RECORD_URL.format(lei=child)] if child else [])],
        "start_date": start,
        "end_date": end,
        "as_of": date_part(reg("LastUpdateDate")),
        "note": "; ".join(n for n in notes if n) or None,
        "_ends": (child, parent),
    })


class MalformedXml(Exception):
    pass


def _records(stream: IO[bytes]) -> Iterator[tuple[str, ET.Element]]:
    """("lei"|"rr", record element) for each record; each is cleared after the caller's turn."""
    container: ET.Element | None = None
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        name = _local(elem.tag)
        if event == "start":
            if name in ("LEIRecords", "RelationshipRecords", "ReportingExceptions"):
                container = elem
            continue
        if name == "LEIRecord":
            yield "lei", elem
        elif name == "RelationshipRecord":
            yield "rr", elem
        elif name == "Exception":
            yield "repex", elem
        else:
            continue
        elem.clear()
        if container is not None:
            container.clear()


def chunks(path: Path, display_name: str, size: int = CHUNK_RECORDS,
           position: list[int] | None = None) -> Iterator[Batch]:
    """Batches of at most about ``size`` records, each self-contained (ends have placeholders).

    Records of one child stay in one batch, so its direct and ultimate parent links merge.
    ``position`` (a one-item list) is kept at the byte offset read so far, for progress bars.
    """
    batch = Batch()
    pending: dict[tuple[str, str], tuple[Location, dict[str, Any]]] = {}
    count = 0
    last_child = None
    seen_real: set[str] = set()

    def flush() -> Batch:
        nonlocal batch, pending, count, seen_real
        for loc, record in pending.values():
            ends = record.pop("_ends")
            for lei in ends:
                if lei and node_id(lei) not in seen_real and node_id(lei) not in batch.placeholders:
                    batch.add_node(loc, {"label": "Company", "id": node_id(lei),
                                         "name": f"LEI {lei}", "lei": lei,
                                         "sources": [RECORD_URL.format(lei=lei)]},
                                   placeholder=True)
            batch.add_relationship(loc, record)
        out = batch
        batch, pending, count, seen_real = Batch(), {}, 0, set()
        return out

    with open(path, "rb") as stream:
        n = 0
        try:
            for kind, rec in _records(stream):
                n += 1
                loc = Location(display_name, None, n, "record")
                if kind == "lei":
                    company = company_from_lei_record(rec)
                    seen_real.add(company["id"])
                    batch.add_node(loc, company)
                    count += 1
                    if count >= size:
                        yield flush()
                elif kind == "repex":
                    found = exception_records(rec)
                    if isinstance(found, str):
                        batch.problem(loc, found, "Exception")
                    else:
                        marker, record = found
                        batch.add_node(loc, marker)
                        seen_real.add(marker["id"])
                        pending[(marker["id"], record["to"])] = (loc, record)
                        count += 1
                        if count >= size:
                            yield flush()
                else:
                    record = relationship_from_rr_record(rec)
                    child = record["_ends"][0]
                    if count >= size and child != last_child:
                        yield flush()
                    last_child = child
                    if record.get("means") not in RELATIONSHIP_TYPES:
                        known = ", ".join(RELATIONSHIP_TYPES)
                        batch.problem(loc, f"{record.get('means')!r} is not a GLEIF relationship "
                                           f"type graphapp knows ({known}).", "RelationshipType")
                        continue
                    key = (record.get("from"), record.get("to"))
                    if key in pending:
                        _combine(pending[key][1], record)
                    else:
                        pending[key] = (loc, record)
                    count += 1
                if position is not None:
                    position[0] = stream.tell()
        except ET.ParseError as exc:
            line, column = exc.position
            batch.problem(Location(display_name, None, line, "line"),
                          f"not well-formed XML at column {column}: {exc}")
        if n == 0 and not batch.problems:
            batch.problem(Location(display_name),
                          "no LEIRecord, RelationshipRecord or reporting Exception in this file: "
                          "is it GLEIF LEI-CDF, RR-CDF or reporting-exceptions XML?")
    if position is not None:
        position[0] = path.stat().st_size
    yield flush()


def _combine(first: dict[str, Any], other: dict[str, Any]) -> None:
    """Two GLEIF records between the same parent and child: one relationship, both means."""
    means = [m for m in (first.get("means") or "").split(", ") if m]
    if other.get("means") and other["means"] not in means:
        means.append(other["means"])
    first["means"] = ", ".join(means)
    first["sources"] = list(dict.fromkeys([*first.get("sources", []),
                                           *other.get("sources", [])]))
    for key in ("start_date", "as_of"):
        values = [v for v in (first.get(key), other.get(key)) if v]
        if values:
            first[key] = min(values) if key == "start_date" else max(values)
    if first.get("confidence") != other.get("confidence"):
        first["confidence"] = "reported"


def read(path: Path, display_name: str) -> Batch:
    """The whole file as one Batch (for files small enough to write in one transaction)."""
    batch = Batch()
    for chunk in chunks(path, display_name, size=10**12):
        batch.extend(chunk)
    return batch
