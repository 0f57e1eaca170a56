"""The seed graph: ``seeds/*.yaml`` (public facts with sources), loaded idempotently."""

from __future__ import annotations

from pathlib import Path

import yaml

from graphapp import evidence
from graphapp.store import model, records
from graphapp.store.db import Graph

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"


def read_seed(seed_dir: Path = SEED_DIR) -> tuple[list, list]:
    """(where, record) pairs for every node and relationship in the seed files.

    A file's ``source_tiers`` (URL -> tier) apply to every relationship that cites the URL, in
    any file, as that relationship's ``source_tiers`` (one per source, "" for the table's).
    """
    nodes: list = []
    relationships: list = []
    overrides: dict[str, str] = {}
    for path in sorted(seed_dir.glob("*.yaml")):
        name = f"{seed_dir.name}/{path.name}"
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise records.RecordErrors([f"{name}: not valid YAML: {exc}"]) from None
        unknown = set(doc) - {"nodes", "relationships", "source_tiers"}
        if unknown:
            raise records.RecordErrors([f"{name}: unknown top-level keys {sorted(unknown)}"])
        overrides.update(_source_tiers(name, doc.get("source_tiers")))
        nodes += [(f"{name}: nodes[{i}]", n) for i, n in enumerate(doc.get("nodes") or [])]
        relationships += [(f"{name}: relationships[{i}]", r)
                          for i, r in enumerate(doc.get("relationships") or [])]
    for _, rel in relationships:
        sources = rel.get("sources") if isinstance(rel, dict) else None
        if (isinstance(sources, list) and "source_tiers" not in rel
                and any(s in overrides for s in sources if isinstance(s, str))):
            rel["source_tiers"] = [overrides.get(s, "") if isinstance(s, str) else ""
                                   for s in sources]
    return nodes, relationships


def _source_tiers(name: str, mapping: object) -> dict[str, str]:
    """A seed file's per-source overrides of the domain table (URL -> tier): a source can weigh
    more or less than its site (an NGO's own letter is primary evidence of that letter)."""
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise records.RecordErrors([f"{name}: source_tiers: map each URL to a tier."])
    bad = [f"{name}: source_tiers: {url}: must be one of {', '.join(evidence.TIERS)}."
           for url, tier in mapping.items() if tier not in evidence.TIERS]
    if bad:
        raise records.RecordErrors(bad)
    return {str(url): tier for url, tier in mapping.items()}


def load_seed(graph: Graph, seed_dir: Path = SEED_DIR) -> records.WriteResult:
    """Validate the whole seed (every relationship sourced), then write it in one transaction."""
    nodes, relationships = read_seed(seed_dir)
    validated = records.validate(nodes, relationships, graph=None, sourced=True)
    return records.write(graph, validated)


def private_people(nodes: list[dict], relationships: list[dict]) -> list[str]:
    """Ids of the Persons that are neither office-holders nor marked sensitive.

    An office-holder holds (or held) a role of a kind in ``model.OFFICE_ROLE_KINDS``, or owns or
    controls a company. Anyone else named in a shared graph can be put in danger by it.
    """
    office = {r["from"] for r in relationships
              if (r.get("type") == "HOLDS_ROLE" and r.get("kind") in model.OFFICE_ROLE_KINDS)
              or r.get("type") in model.OFFICE_REL_TYPES}
    return sorted(n["id"] for n in nodes if n.get("label") == "Person"
                  and not n.get("sensitive") and n["id"] not in office)
