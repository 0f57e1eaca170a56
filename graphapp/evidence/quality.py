"""The data-quality report: what in the graph (or the seed files) cannot be cited as it stands.

One list per problem, each item with the place to fix it, and counts per seed file, so that the
people who keep the data see where to work first (``/quality``, ``graphapp quality``).
A viewer's report leaves out sensitive entities and what touches them, as every view does:
not listed, not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from graphapp import evidence, seeding
from graphapp.store import model, records
from graphapp.store.db import Graph, for_reader

# (key, title): the report's order. The titles are in the reader's language on a page, in English
# at the terminal and in --json (str() of a lazy string outside a request).
CHECKS = (
    ("single_source", _l("Claims that rest on a single source")),
    ("tertiary_only",
     _l("Claims that cite tertiary sources only (encyclopedias, aggregators, blogs)")),
    ("confirmed_without_primary",
     _l("Confirmed without a primary source (or two independent secondary ones)")),
    ("home_page_only", _l("Claims whose only sources are home pages")),
    ("stale", _l("Stale facts (current, but last checked too long ago)")),
    ("derived_without_method", _l("Derived figures without a method")),
    ("private_people", _l("Persons who are neither office-holders nor marked sensitive")),
)
OTHER = "other"  # relationships and people that no seed file holds (imports, edits)


def _findings(rel: dict[str, Any], day: dt.date, months: int | None) -> tuple[dict, list[str]]:
    found = evidence.assess(rel)
    keys = [k for k in ("single_source", "tertiary_only", "home_page_only") if found[k]]
    if rel.get("confidence") == "confirmed" and found["level"] not in ("primary", "corroborated"):
        keys.append("confirmed_without_primary")
    if evidence.is_stale(rel, day, months):
        keys.append("stale")
    if rel.get("derived") and not (rel.get("method") or "").strip():
        keys.append("derived_without_method")
    return found, keys


def report(relationships: Iterable[dict[str, Any]], people: Iterable[dict[str, Any]],
           on: str | dt.date | None = None, months: int | None = None) -> dict[str, Any]:
    """The report over relationship rows and private-person rows.

    A relationship row holds ``from``, ``to``, ``type``, the names of both ends when known, its
    properties, ``file`` (the seed file that holds it, or ``other``) and ``fix`` (where to fix
    it: a page, or ``seeds/<file>: relationships[i]``). A person row holds ``id``, ``name``,
    ``file`` and ``fix``.
    """
    day = evidence.day_of(on)
    items: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in CHECKS}
    files: dict[str, dict[str, int]] = {}
    total = 0
    for rel in relationships:
        total += 1
        counts = files.setdefault(rel["file"], {"relationships": 0})
        counts["relationships"] += 1
        found, keys = _findings(rel, day, months)
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
            items[key].append({
                "file": rel["file"], "fix": rel["fix"], "type": rel["type"],
                "from": rel["from"], "from_name": rel.get("from_name") or rel["from"],
                "to": rel["to"], "to_name": rel.get("to_name") or rel["to"],
                "confidence": rel.get("confidence"), "as_of": rel.get("as_of"),
                "evidence": found["level"], "words": found["words"],
                "sources": list(rel.get("sources") or []),
            })
    for person in people:
        counts = files.setdefault(person["file"], {"relationships": 0})
        counts["private_people"] = counts.get("private_people", 0) + 1
        items["private_people"].append({**person, "words": "holds no office in the graph"})
    checks = []
    for key, title in CHECKS:
        found = sorted(items[key], key=lambda i: (i["file"], i.get("from") or i.get("id") or "",
                                                  i.get("type") or "", i.get("to") or ""))
        share = round(100.0 * len(found) / total, 1) if total and key != "private_people" else None
        checks.append({"key": key, "title": str(title), "count": len(found), "share_pct": share,
                       "items": found})
    order = sorted(k for k in files if k != OTHER) + ([OTHER] if OTHER in files else [])
    return {"on": day.isoformat(),
            "stale_months": evidence.configured_months() if months is None else months,
            "relationships": total, "checks": checks,
            "files": {f: {key: files[f].get(key, 0) for key in ("relationships",
                                                                 *[k for k, _ in CHECKS])}
                      for f in order}}


# --- where the rows come from ------------------------------------------------------------------


def _seed_index(seed_dir: Path) -> tuple[dict[tuple, tuple[str, str]], dict[str, str]]:
    """Seed file and place of each relationship (by identity) and node (by id)."""
    nodes, rels = seeding.read_seed(seed_dir)
    rel_at = {}
    for where, rel in rels:
        identity = (rel.get("from"), rel.get("type"), rel.get("to"),
                    records.relationship_key(rel))
        rel_at[identity] = (where.split(": ")[0].split("/")[-1], where)
    node_at = {n.get("id"): where.split(": ")[0].split("/")[-1] for where, n in nodes}
    return rel_at, node_at


def from_seed(seed_dir: Path = seeding.SEED_DIR, on: str | dt.date | None = None,
              months: int | None = None) -> dict[str, Any]:
    """The report on the seed files themselves (every record, sensitive ones too: the files
    are the maintainers' own)."""
    nodes, rels = seeding.read_seed(seed_dir)
    names = {n.get("id"): n.get("name") for _, n in nodes}
    rows = []
    for where, rel in rels:
        rows.append({**rel, "file": where.split(": ")[0].split("/")[-1], "fix": where,
                     "from_name": names.get(rel.get("from")), "to_name": names.get(rel.get("to"))})
    private = set(seeding.private_people([n for _, n in nodes], [r for _, r in rels]))
    people = [{"id": n["id"], "name": n.get("name"), "file": where.split(": ")[0].split("/")[-1],
               "fix": where} for where, n in nodes if n.get("id") in private]
    return report(rows, people, on, months)


@for_reader
def from_graph(graph: Graph, include_sensitive: bool = False, on: str | dt.date | None = None,
               months: int | None = None, fix_url=None,
               seed_dir: Path = seeding.SEED_DIR) -> dict[str, Any]:
    """The report on the graph, each finding attributed to the seed file that holds it.

    Without ``include_sensitive``, sensitive entities, sensitive relationships and whatever
    touches them are left out entirely. ``fix_url(entity_id)`` makes each item's link (a page
    where the claim is shown and can be corrected); by default ``/entities/<id>``.
    """
    fix_url = fix_url or (lambda entity_id: f"/entities/{entity_id}")
    rel_at, node_at = _seed_index(seed_dir)
    rows = []
    for rel in graph.read("quality.relationships", include_sensitive=include_sensitive):
        identity = (rel["from"], rel["type"], rel["to"], rel["key"])
        file = rel_at.get(identity, (OTHER, None))[0]
        rows.append({**rel, "file": file, "fix": fix_url(rel["from"])})
    people = [{**p, "file": node_at.get(p["id"], OTHER), "fix": fix_url(p["id"])}
              for p in graph.read("quality.private_people",
                                  office_kinds=list(model.OFFICE_ROLE_KINDS),
                                  include_sensitive=include_sensitive)]
    return report(rows, people, on, months)


def summary_lines(result: dict[str, Any], items: int = 10) -> list[str]:
    """The report as text: the counts, the counts per file, then up to ``items`` per check."""
    lines = [f"Data quality on {result['on']} ({result['relationships']} relationships; stale "
             f"after {result['stale_months']} months)", ""]
    for check in result["checks"]:
        share = f" ({check['share_pct']:g}%)" if check["share_pct"] is not None else ""
        lines.append(f"{check['count']:>6}{share:<9} {check['title']}")
    keys = [k for k, _ in CHECKS]
    header = ["file", "rels", *[k.replace("_", " ") for k in keys]]
    widths = [max(22, *(len(f) for f in result["files"]))] + [len(h) for h in header[1:]]
    lines += ["", "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    for file, counts in result["files"].items():
        values = [file, str(counts["relationships"]), *[str(counts[k]) for k in keys]]
        lines.append("  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)))
    for check in result["checks"]:
        if not check["items"] or items <= 0:
            continue
        lines += ["", f"== {check['title']}"]
        for item in check["items"][:items]:
            if "type" in item:
                lines.append(f"  {item['from_name']} -{item['type']}-> {item['to_name']}: "
                             f"{item['words']}; fix at {item['fix']}")
            else:
                lines.append(f"  {item['name']} ({item['id']}): {item['words']}; fix at "
                             f"{item['fix']}")
        if check["count"] > items:
            lines.append(f"  ... and {check['count'] - items} more (--all lists them)")
    return lines
