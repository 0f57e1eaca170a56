"""Entity matching: records that are the same node become one node, before anything is written.

Two records are one node when they have the same label and share an identifier (an LEI; a
register number in the same jurisdiction; a Wikidata id), or the same normalised name (or alias)
in the same country. People are never merged on a name alone: a Person merges on a shared
identifier (a Wikidata id, or the digest of a register's personal identifier) or on its name and
date of birth; a name and nationality only with ``people_by_name`` (the importer's
``--match-people-by-name``). Other people of the same name are listed in the plan as "possible
same person" for a human to review.

Records are matched against the graph first (an existing node keeps its id and its curated
values: the import only fills gaps, adds names as aliases and adds sources), then against each
other. Conflicting identifiers (two different LEIs) never match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from graphapp import entities
from graphapp.store import model, records
from graphapp.store.db import Graph

# Where a label keeps its country, for "the same name in the same country".
COUNTRY_FIELD = {"Company": "jurisdiction", "Person": "nationality", "Team": "country",
                 "Country": "iso2", "State": "jurisdiction"}
# Legal-form words dropped from the end of company names ("Meta Platforms, Inc." = "Meta
# Platforms"). Only trailing words, so "Limited Brands Co" keeps "limited brands".
LEGAL_FORMS = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "llp", "lp", "plc", "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "nv", "bv", "ab", "as",
    "asa", "oy", "oyj", "kk", "pte", "pty", "pvt", "private", "public", "holdings", "holding",
    "group", "se", "sl", "sau", "ltda", "cv", "de", "the", "bhd", "sdn", "tbk", "pt", "jsc",
    "pjsc", "ooo", "ao", "oao", "zao", "kft", "sp", "zoo", "doo", "aps", "a/s", "ug", "kg",
}
LIST_PROPS = ("aliases", "sources", "affected_groups", "identifiers")


def normalise_name(name: str) -> str:
    """A name reduced for comparison: accents, case, punctuation and legal forms dropped.

    ``"Meta Platforms, Inc."`` -> ``meta platforms``; ``"Telefónica S.A."`` -> ``telefonica``.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # s.a. -> sa., then punctuation goes
    text = re.sub(r"\b([a-z])\.", r"\1", text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    while len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def normalise_register(number: str) -> str:
    """``GB-COH:07444723`` (as BODS gives it) and ``07 444 723`` are both ``07444723``."""
    text = re.sub(r"^[A-Z]{2}-[A-Z0-9]+:", "", str(number).strip().upper())
    return re.sub(r"[^A-Z0-9]", "", text)


def strong_keys(node: dict[str, Any], label: str) -> list[tuple[str, ...]]:
    """The identifiers that make two records one node."""
    keys: list[tuple[str, ...]] = []
    if label == "Company" and node.get("lei"):
        keys.append(("lei", str(node["lei"]).upper()))
    if node.get("wikidata_id"):
        keys.append(("wikidata", label, str(node["wikidata_id"])))
    if label == "Company" and node.get("registration_number") and node.get("jurisdiction"):
        keys.append(("register", str(node["jurisdiction"]),
                     normalise_register(node["registration_number"])))
    if label == "Person":
        keys += [("person-id", str(i)) for i in node.get("identifiers") or []]
    return keys


def name_keys(node: dict[str, Any], label: str,
              people_by_name: bool = False) -> list[tuple[str, ...]]:
    """(label, normalised name, country) for the name and every alias; none without a country.

    A Person's name is a key only with its date of birth (or, with ``people_by_name``, its
    nationality as for other labels): common names would otherwise join different people.
    """
    names = [node.get("name"), *(node.get("aliases") or [])]
    if label == "Person":
        keys: list[tuple[str, ...]] = []
        if node.get("birth_date"):
            keys += [("name-born", normalise_name(str(n)), str(node["birth_date"]))
                     for n in names if n]
        if not people_by_name:
            return keys
    else:
        keys = []
    country = node.get(COUNTRY_FIELD.get(label, ""))
    if not country:
        return keys
    return keys + [("name", label, normalise_name(str(n)), str(country)) for n in names if n]


def names_of(record: dict[str, Any]) -> set[str]:
    """A record's name and aliases, normalised: what "possible same person" compares."""
    return {normalise_name(str(n)) for n in [record.get("name"), *(record.get("aliases") or [])]
            if n}


class PeopleByName:
    """People seen so far, by normalised name and alias, in the order they were seen.

    "Possible same person" used to compare each new person with every earlier one: at register
    scale (100k people in one import) that is billions of comparisons and the import never ends.
    A lookup by name finds the same pairs in linear time.
    """

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, None]] = {}

    def add(self, pid: str, record: dict[str, Any]) -> None:
        for name in names_of(record):
            self._ids.setdefault(name, {})[pid] = None

    def sharing_a_name(self, record: dict[str, Any]) -> list[str]:
        """Ids of the people seen so far who share a name or alias with ``record``."""
        found: dict[str, None] = {}
        for name in sorted(names_of(record)):
            found.update(self._ids.get(name, {}))
        return list(found)


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """False when the two carry different values of an identifier (two LEIs: two companies)."""
    for prop in ("lei", "wikidata_id"):
        if a.get(prop) and b.get(prop) and a[prop] != b[prop]:
            return False
    born_a, born_b = str(a.get("birth_date") or ""), str(b.get("birth_date") or "")
    if born_a and born_b and not (born_a.startswith(born_b) or born_b.startswith(born_a)):
        return False  # two dates of birth: two people
    return not (a.get("registration_number") and b.get("registration_number")
                and a.get("jurisdiction") == b.get("jurisdiction")
                and normalise_register(a["registration_number"])
                != normalise_register(b["registration_number"]))


def primary_label(labels: list[str] | set[str]) -> str | None:
    for label in model.LABELS:
        if label in labels:
            return label
    return None


# --- the plan --------------------------------------------------------------------------------


@dataclass
class Action:
    """What will happen to one incoming record."""

    kind: str  # create, update, merge
    label: str
    id: str  # the node it becomes
    name: str
    where: str = ""
    incoming_id: str = ""
    reason: str = ""

    def __str__(self) -> str:
        if self.kind == "merge":
            return (f"merge   {self.label} {self.incoming_id!r} ({self.name}) into {self.id!r}: "
                    f"{self.reason}")
        return f"{self.kind:<7} {self.label} {self.id!r} ({self.name})"

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.kind, "label": self.label, "id": self.id, "name": self.name,
                "incoming_id": self.incoming_id or self.id, "reason": self.reason,
                "where": self.where}


MAX_LISTED = 10_000  # a plan lists at most this many actions; its counts are always exact


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"create": 0, "update": 0, "merge": 0})
    relationships_created: int = 0
    relationships_updated: int = 0
    notes: list[str] = field(default_factory=list)
    id_map: dict[str, str] = field(default_factory=dict)  # incoming id -> the node it became
    # People of the same name not merged (no shared identifier or date of birth): for review.
    possible: list[dict[str, str]] = field(default_factory=list)

    def add(self, action: Action) -> None:
        self.counts[action.kind] += 1
        if len(self.actions) < MAX_LISTED:
            self.actions.append(action)

    def count(self, kind: str) -> int:
        return self.counts[kind]

    def extend(self, other: Plan) -> None:
        for action in other.actions:
            if len(self.actions) < MAX_LISTED:
                self.actions.append(action)
        for kind, n in other.counts.items():
            self.counts[kind] += n
        self.relationships_created += other.relationships_created
        self.relationships_updated += other.relationships_updated
        self.notes += other.notes
        self.possible += other.possible


# --- looking up the graph --------------------------------------------------------------------


def graph_candidates(graph: Graph, nodes: list[dict[str, Any]],
                     match_names: bool = True) -> dict[str, dict[str, Any]]:
    """Existing nodes that may be one of ``nodes``: by id, identifier (a person's too) or
    (full-text) name."""
    leis, wikidata, registers, names, person_ids = set(), set(), set(), set(), set()
    for node in nodes:
        if node["label"] == "Person":
            person_ids.update(str(i) for i in node.get("identifiers") or [])
        if node.get("lei"):
            leis.add(str(node["lei"]))
        if node.get("wikidata_id"):
            wikidata.add(str(node["wikidata_id"]))
        if node.get("registration_number"):
            registers.add(str(node["registration_number"]))
            registers.add(normalise_register(node["registration_number"]))
        if match_names and (name_keys(node, node["label"]) or node["label"] == "Person"):
            for n in [node["name"], *(node.get("aliases") or [])]:
                query = entities.lucene_query(normalise_name(str(n)), prefix=False)
                if query:
                    names.add(query)
    found = graph.read("imports.match_candidates", ids=[n["id"] for n in nodes],
                       leis=sorted(leis), wikidata=sorted(wikidata),
                       registers=sorted(registers), names=sorted(names),
                       person_ids=sorted(person_ids))[0]
    return {node_id: {"labels": set(labels), **dict(props)} for node_id, labels, props
            in zip(found["ids"], found["labels"], found["props"], strict=True)}


def companies_by_name(graph: Graph | None, names: list[str],
                      batch_nodes: list[dict[str, Any]]) -> dict[str, list[str]]:
    """For each name, the ids of Company nodes (batch or graph) whose name or alias matches it."""
    found: dict[str, list[str]] = {n: [] for n in names}
    pool: dict[str, dict[str, Any]] = {}
    for node in batch_nodes:
        if node["label"] == "Company":
            pool[node["id"]] = node
    if graph is not None and names:
        queries = sorted({q for n in names
                          if (q := entities.lucene_query(normalise_name(n), prefix=False))})
        matches = graph.read("imports.match_candidates", ids=[], leis=[], wikidata=[],
                             registers=[], names=queries, person_ids=[])[0]
        for node_id, labels, props in zip(matches["ids"], matches["labels"], matches["props"],
                                          strict=True):
            if "Company" in labels and node_id not in pool:
                pool[node_id] = dict(props)
    for name in names:
        key = normalise_name(name)
        for node_id, node in pool.items():
            all_names = [node.get("name"), *(node.get("aliases") or [])]
            if any(n and normalise_name(str(n)) == key for n in all_names):
                found[name].append(node_id)
    return found


# --- resolving ---------------------------------------------------------------------------------


def _merge_into(target: dict[str, Any], other: dict[str, Any]) -> None:
    """Fold ``other`` into ``target``: lists unioned, gaps filled, other names become aliases."""
    for key, value in other.items():
        if key in ("id", "label"):
            continue
        if key == "name":
            if value and value != target.get("name"):
                aliases = target.setdefault("aliases", [])
                if value not in aliases:
                    aliases.append(value)
            continue
        if key in LIST_PROPS or key == "extra_labels":
            merged = list(target.get(key) or [])
            merged += [v for v in value or [] if v not in merged and v != target.get("name")]
            target[key] = merged
        elif key == "sensitive":
            target[key] = bool(target.get(key)) or bool(value)
        elif target.get(key) is None:
            target[key] = value


def _onto_existing(node: dict[str, Any], existing: dict[str, Any]) -> dict[str, Any]:
    """The record to write onto an existing node: curated values stay, gaps are filled."""
    out: dict[str, Any] = {"label": node["label"], "id": existing["id"],
                           "extra_labels": list(node.get("extra_labels") or [])}
    for key, value in node.items():
        if key in ("label", "id", "extra_labels") or value is None:
            continue
        if key == "name":
            continue
        if key in LIST_PROPS:
            merged = list(existing.get(key) or [])
            merged += [v for v in value if v not in merged]
            out[key] = merged
        elif key == "sensitive":
            out[key] = bool(existing.get(key)) or bool(value)
        elif existing.get(key) is None:
            out[key] = value
    name = node.get("name")
    if name and name != existing.get("name"):
        aliases = out.get("aliases", list(existing.get("aliases") or []))
        if name not in aliases:
            aliases.append(name)
        out["aliases"] = aliases
    out["name"] = existing.get("name") or name
    return out


def resolve(graph: Graph | None, validated: records.Records, wheres: dict[str, str] | None = None,
            placeholders: set[str] | frozenset[str] = frozenset(),
            match_names: bool = True,
            people_by_name: bool = False) -> tuple[records.Records, Plan]:
    """Match validated records to the graph and to each other; rewrite ids; return the plan."""
    nodes, plan = resolve_nodes(graph, validated.nodes, wheres, placeholders, match_names,
                                people_by_name)
    onto = OntoNodes(plan)
    rels = onto.add(validated.relationships)
    new, again = onto.finish()
    if again:  # merged with a relationship that came before: in its place
        merged = {_identity(r): r for r in again}
        rels = [merged.get(_identity(r), r) for r in rels]
    rels += new
    result = records.Records(nodes, rels, validated.skipped)
    if graph is not None and rels:
        plan.relationships_updated = count_existing(graph, rels)
    plan.relationships_created = len(rels) - plan.relationships_updated
    return result, plan


def resolve_nodes(graph: Graph | None, nodes: list[dict[str, Any]],
                  wheres: dict[str, str] | None = None,
                  placeholders: set[str] | frozenset[str] = frozenset(),
                  match_names: bool = True,
                  people_by_name: bool = False) -> tuple[list[dict[str, Any]], Plan]:
    """Match validated nodes to the graph and to each other: the nodes to write, and the plan
    (``plan.id_map``: each incoming id and the node it became)."""

    def keys_of(node: dict[str, Any], label: str) -> list[tuple[str, ...]]:
        return name_keys(node, label, people_by_name)

    wheres = wheres or {}
    plan = Plan()
    candidates = (graph_candidates(graph, nodes, match_names)
                  if graph is not None and nodes else {})
    by_key: dict[tuple[str, ...], list[str]] = {}
    for cid, cand in candidates.items():
        label = primary_label(cand["labels"])
        if label is None:
            continue
        cand = {**cand, "id": cid}
        for key in strong_keys(cand, label) + keys_of(cand, label):
            by_key.setdefault(key, []).append(cid)

    graph_people = PeopleByName()
    for cid, cand in candidates.items():
        if "Person" in cand["labels"]:
            graph_people.add(cid, cand)

    id_map: dict[str, str] = {}
    out_nodes: dict[str, dict[str, Any]] = {}  # canonical id -> record to write
    batch_people = PeopleByName()  # the Person records of out_nodes, by name
    batch_keys: dict[tuple[str, ...], str] = {}

    def written(pid: str) -> None:
        if out_nodes[pid].get("label") == "Person":
            batch_people.add(pid, out_nodes[pid])

    for node in nodes:
        label, nid = node["label"], node["id"]
        where = wheres.get(nid, "")
        is_placeholder = nid in placeholders
        target, reason = None, ""
        if nid in candidates:
            target, reason = nid, "same id"
        else:
            for key in strong_keys(node, label) + (keys_of(node, label) if match_names else []):
                ids = [c for c in by_key.get(key, [])
                       if compatible(node, candidates[c])
                       and primary_label(candidates[c]["labels"]) == label]
                if len(set(ids)) == 1:
                    target, reason = ids[0], _reason(key)
                    break
        if target is not None:
            id_map[nid] = target
            if is_placeholder:
                continue
            if target == nid:
                plan.add(Action("update", label, nid, node["name"], where))
                out_nodes[nid] = dict(node)
                written(nid)
            else:
                plan.add(Action("merge", label, target, node["name"], where, nid,
                                           f"the graph's node has {reason}"))
                existing = {**candidates[target], "id": target}
                record = _onto_existing(node, existing)
                if target in out_nodes:
                    _merge_into(out_nodes[target], record)
                else:
                    out_nodes[target] = record
                written(target)
            continue
        # Not in the graph: one of this batch's records?
        twin = None
        for key in strong_keys(node, label) + (keys_of(node, label) if match_names else []):
            other = batch_keys.get(key)
            if other is not None and compatible(node, out_nodes[other]) \
                    and out_nodes[other]["label"] == label:
                twin, reason = other, _reason(key)
                break
        if twin is not None:
            id_map[nid] = twin
            if not is_placeholder:
                plan.add(Action("merge", label, twin, node["name"], where, nid,
                                           f"another record in this import has {reason}"))
                _merge_into(out_nodes[twin], node)
                written(twin)
            for key in strong_keys(node, label) + keys_of(node, label):
                batch_keys.setdefault(key, twin)
            continue
        id_map[nid] = nid
        out_nodes[nid] = dict(node)
        plan.add(Action("create", label, nid, node["name"], where))
        for key in strong_keys(node, label) + keys_of(node, label):
            batch_keys.setdefault(key, nid)
        if label == "Person":
            _possible_same(plan, node, out_nodes, batch_people, candidates, graph_people, id_map)
        written(nid)

    plan.id_map = id_map
    return list(out_nodes.values()), plan


class OntoNodes:
    """Relationships moved onto the nodes their ends became (``plan.id_map``), chunk by chunk.

    A relationship whose ends were not matched to another node cannot meet another one (the
    same relationship twice is a validation error): it can be written at once. One whose end
    was merged into another node may now be the same as another relationship: those wait for
    :meth:`finish`, which folds each such group into one (lists unioned, gaps filled, the
    earliest first, as they came) and says which were written before and need writing again.
    """

    def __init__(self, plan: Plan):
        self.plan = plan
        self.id_map = plan.id_map
        self.merging = any(k != v for k, v in self.id_map.items())
        self.count = 0
        self.written: dict[tuple[str, str, str, str], tuple[int, dict[str, Any]]] = {}
        self.held: list[tuple[int, dict[str, Any]]] = []

    def add(self, relationships: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The relationships ready to write; the rest are held for :meth:`finish`."""
        id_map, ready = self.id_map, []
        for rel in relationships:
            seq = self.count
            self.count += 1
            start, end = id_map.get(rel["from_"], rel["from_"]), id_map.get(rel["to"], rel["to"])
            moved = start != rel["from_"] or end != rel["to"]
            rel = {**rel, "from_": start, "to": end}
            if rel.get("via"):  # HOLDS_INDIRECTLY's intermediaries are node ids too
                rel["via"] = [id_map.get(x, x) for x in rel["via"]]
            if start == end:
                self.plan.notes.append(f"{rel['type']} from {start!r} to itself left out: both "
                                       "ends are one node after matching.")
                continue
            if moved:
                self.held.append((seq, rel))
                continue
            if self.merging:
                self.written[_identity(rel)] = (seq, rel)
            ready.append(rel)
        return ready

    def finish(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(relationships new to this import, ones given before now merged with others)."""
        groups: dict[tuple[str, str, str, str], list[tuple[int, dict[str, Any]]]] = {}
        for seq, rel in self.held:
            groups.setdefault(_identity(rel), []).append((seq, rel))
        new, again = [], []
        for identity, group in groups.items():
            before = self.written.get(identity)
            members = sorted(group + ([before] if before else []), key=lambda m: m[0])
            merged = dict(members[0][1])
            for _, rel in members[1:]:
                _merge_into(merged, rel)
            (again if before else new).append(merged)
        self.held = []
        return new, again


def _identity(rel: dict[str, Any]) -> tuple[str, str, str, str]:
    return (rel["from_"], rel["type"], rel["to"], records.relationship_key(rel))


def _possible_same(plan: Plan, node: dict[str, Any], batch: dict[str, dict[str, Any]],
                   batch_people: PeopleByName, candidates: dict[str, dict[str, Any]],
                   graph_people: PeopleByName, id_map: dict[str, str]) -> None:
    """People of this record's name that it was not merged with, for "possible same person"."""
    others = [(oid, batch[oid], "in this import") for oid in batch_people.sharing_a_name(node)
              if oid != node["id"]]
    in_graph = graph_people.sharing_a_name(node)
    if in_graph:  # rare: the set of matched ids is built only when a name is shared
        matched = set(id_map.values())
        others += [(cid, candidates[cid], "in the graph") for cid in in_graph
                   if cid not in matched]
    for oid, other, where in others:
        plan.possible.append({
            "id": node["id"], "name": node["name"], "other_id": oid,
            "other_name": str(other.get("name")), "where": where,
            "why_not_merged": ("different dates of birth"
                               if not compatible(node, {**other, "label": "Person"})
                               else "same name, but no shared identifier or date of birth"),
        })


def count_existing(graph: Graph, rels: list[dict[str, Any]]) -> int:
    return graph.read("imports.count_existing_relationships",
                      froms=[r["from_"] for r in rels], tos=[r["to"] for r in rels],
                      types=[r["type"] for r in rels],
                      keys=[records.relationship_key(r) for r in rels])[0]["count"]


def _reason(key: tuple[str, ...]) -> str:
    kind = key[0]
    if kind == "lei":
        return f"the same LEI {key[1]}"
    if kind == "wikidata":
        return f"the same Wikidata id {key[2]}"
    if kind == "register":
        return f"the same register number {key[2]} in {key[1]}"
    if kind == "person-id":
        return "the same personal identifier (as the register gives it)"
    if kind == "name-born":
        return f"the same name ({key[1]!r}) and date of birth {key[2]}"
    return f"the same name ({key[2]!r}) in {key[3]}"
