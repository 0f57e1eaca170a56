"""Investor leverage: who really holds a company, what an investor's money touches, interlocks.

The ownership subgraph is fetched from Neo4j with bounded patterns (``cypher/leverage.cypher``)
and solved in memory by :mod:`graphapp.leverage.lookthrough` (the linear model of Vitali,
Glattfelder & Battiston 2011). See ``docs/leverage.md`` for the definitions, conventions and
the ranking.

Sensitive nodes and relationships take part in the arithmetic (leaving them out would change
everyone else's look-through) but, unless ``include_sensitive``, they are shown as withheld:
no id, no name, no sources.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from babel.lists import format_list
from flask_babel import get_locale
from marshmallow import Schema, fields, validate
from scipy.sparse.csgraph import breadth_first_order

from graphapp import errors
from graphapp.errors import NotFound
from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.leverage import disclosures
from graphapp.leverage import lookthrough as lt
from graphapp.store import model
from graphapp.store.db import Graph, Tx, for_reader
from graphapp.store.db import plain as _plain
from graphapp.store.schemas import PartialDate

DEFAULT_MAX_DEPTH = 8
MAX_DEPTH = 12  # the most hops a look-through follows (one bounded query per hop)
DEFAULT_THRESHOLD = 5.0
DEFAULT_TOP = 50
MAX_TOP = 1000  # rows of the whole-network ranking
WITHHELD = "(withheld: sensitive)"
UNKNOWN_SEVERITY = 1  # an unknown severity ranks as the lowest, never higher than stated

STAKE_KEYS = ("economic_pct", "voting_pct", "pct_min", "pct_max", "share_class")
EVIDENCE_KEYS = ("sources", "confidence", "start_date", "end_date", "as_of", "note")
ROLE_KEYS = ("title", "kind", *EVIDENCE_KEYS)

# The words below are in the reader's language on a page and in the API (its Accept-Language),
# in English at the terminal and in the CLI's --json (outside a request), as the ladder's are.
METHOD = _l(
    "Integrated ownership = (I - A)^-1 A over the ownership subgraph (Vitali, Glattfelder & "
    "Battiston 2011): every chain's product of stakes, summed, cross-holding cycles solved "
    "exactly. Economic and voting separately; ranges give lower and upper bounds."
)
RANKING = _l(
    "Harms are ranked by score = leverage stake (%%) x severity (1-5), where the leverage stake "
    "is the larger of the investor's integrated economic and voting stake in the company "
    "(lower bounds where a stake is only known as a range) and an unknown severity counts as "
    "%(unknown)s. Ties: higher severity, then larger stake, then harm name.",
    unknown=UNKNOWN_SEVERITY)
NOT_CONVERGENT = _l("The stated stakes around a cycle leave nothing to outside holders, so the "
                    "look-through has no finite value; check the cross-holdings.")
UNBOUNDED = _l("Some upper bounds are unbounded: ranges around a cross-holding cycle could add "
               "up to %(pct)s or more.", pct="100%")
CONTROL_BASIS = _l("more than %(pct)s of the votes, directly or through companies it controls, "
                   "on the voting lower bounds", pct="50%")


def and_list(names: list[str]) -> str:
    """"A, B and C" in the reader's language (Babel's list patterns; English outside a
    request)."""
    return format_list([str(n) for n in names], locale=get_locale() or "en") if names else ""


# --- parameters -------------------------------------------------------------------------------


class LeverageOptions(Schema):
    """The options of every leverage reader, validated the same way from the API, the pages,
    the CLI and Python (``only=`` picks a reader's own)."""

    as_of = PartialDate(load_default=None, metadata={
        "description": "Stakes held on this date (YYYY, YYYY-MM or YYYY-MM-DD); "
                       "default: the current ones."})
    max_depth = fields.Integer(load_default=DEFAULT_MAX_DEPTH,
                               validate=validate.Range(1, MAX_DEPTH), metadata={
        "description": "Longest ownership chain followed, in hops."})
    threshold = fields.Float(load_default=DEFAULT_THRESHOLD, validate=validate.Range(
        0, 100, min_inclusive=False), metadata={
        "description": "A major investor holds at least this % (economic or voting)."})
    top = fields.Integer(load_default=DEFAULT_TOP, validate=validate.Range(1, MAX_TOP), metadata={
        "description": "How many holders to list, by network value."})


LOOK_THROUGH_OPTIONS = ("as_of", "max_depth")
NETWORK_OPTIONS = ("as_of", "top")
INTERLOCK_OPTIONS = ("as_of", "threshold")


def check_params(as_of: str | None = None, max_depth: int = DEFAULT_MAX_DEPTH,
                 threshold: float | None = None, top: int | None = None) -> None:
    """Raise the 400 naming the field for a bad ``as_of``, ``max_depth``, ``threshold`` or
    ``top`` (None: not given)."""
    given = {k: v for k, v in {"as_of": as_of, "max_depth": max_depth, "threshold": threshold,
                               "top": top}.items() if v is not None}
    flags = [k for k, v in given.items() if isinstance(v, bool)]
    if flags:
        raise errors.invalid({k: ["Not a valid number."] for k in flags})
    errors.load(LeverageOptions(only=tuple(given)), given)


# --- shaping ----------------------------------------------------------------------------------


def _node(row: dict[str, Any], include_sensitive: bool, sensitive: bool | None = None
          ) -> dict[str, Any]:
    hidden = (row.get("sensitive") if sensitive is None else sensitive) and not include_sensitive
    if hidden:
        return {"id": None, "name": WITHHELD, "labels": [], "withheld": True}
    return {"id": row["id"], "name": row["name"], "labels": row.get("labels", [])}


def _pick(props: dict[str, Any], keys: tuple[str, ...], withheld: bool = False
          ) -> dict[str, Any]:
    out = {k: _plain(props.get(k)) for k in keys}
    if withheld and "sources" in out:
        out["sources"] = []
        out["note"] = None
    if "sources" in out and out["sources"] is None:
        out["sources"] = []
    return out


def _weakest(confidences: list[str | None]) -> str | None:
    known = [c for c in confidences if c in model.CONFIDENCE_RANK]
    return min(known, key=model.CONFIDENCE_RANK.__getitem__) if known else None


@dataclass
class Subgraph:
    """The nodes and active stakes around one company (upstream) or investor (downstream)."""

    nodes: dict[str, dict[str, Any]]
    stakes: list[dict[str, Any]]
    truncated: bool

    def network(self, root: str) -> lt.Network:
        return lt.build_network(
            (lt.Stake(s["holder"], s["company"], *(s["props"].get(k) for k in STAKE_KEYS[:4]))
             for s in self.stakes),
            nodes=[root],
        )

    def visible(self, root: str, upstream: bool) -> set[str]:
        """The nodes a reader who may not see sensitive data may be shown: those reached from
        ``root`` through stakes and nodes that are not sensitive. The others still count in
        the arithmetic (leaving them out would change everyone's look-through) but are shown
        withheld, with their stakes' evidence, as if a sensitive hop on the way were theirs."""
        near, far = ("company", "holder") if upstream else ("holder", "company")
        ties: dict[str, list[str]] = defaultdict(list)
        for st in self.stakes:
            if not st["sensitive"] and not self.nodes[st[far]].get("sensitive"):
                ties[st[near]].append(st[far])
        seen = {root}
        frontier = [root]
        while frontier:
            frontier = [y for x in frontier for y in ties[x] if y not in seen]
            seen.update(frontier)
        return seen

    def withhold_unseen(self, root: str, upstream: bool, include_sensitive: bool) -> None:
        """Mark the nodes reached only through something sensitive as sensitive (in place)."""
        if include_sensitive:
            return
        seen = self.visible(root, upstream)
        for node_id, node in self.nodes.items():
            if node_id not in seen:
                node["sensitive"] = True

    def by_pair(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for s in self.stakes:
            pairs[(s["holder"], s["company"])].append(s)
        return pairs


def _row(r: dict[str, Any], far: str) -> dict[str, Any]:
    """A flat row of stakes_into / stakes_out_of as {holder, company, sensitive, props, far}."""
    return {"holder": r["holder"], "company": r["company"], "sensitive": r["sensitive"],
            "props": {k: r[k] for k in (*STAKE_KEYS, *EVIDENCE_KEYS)},
            "far": {"id": r[far], "name": r["far_name"], "labels": r["far_labels"],
                    "sensitive": r["far_sensitive"]}}


def _subgraph(graph: Graph, root: dict[str, Any], as_of: str | None, max_depth: int,
              upstream: bool) -> Subgraph:
    """The active OWNS around ``root``, breadth first, ``max_depth`` hops at most.

    One read transaction; each hop is one bounded query on the frontier (see
    cypher/leverage.cypher). A last call on the final frontier keeps the ties among nodes
    already found and tells whether chains go on beyond the bound (``truncated``).
    """
    query = "leverage.stakes_into" if upstream else "leverage.stakes_out_of"
    far = "holder" if upstream else "company"

    def work(tx) -> Subgraph:
        sub = Subgraph({root["id"]: {**root, "depth": 0}}, [], truncated=False)
        frontier, depth = [root["id"]], 0
        while frontier and depth < max_depth:
            depth += 1
            rows = [_row(r, far) for r in tx.run(query, ids=frontier, as_of=as_of)]
            frontier = []
            for r in rows:
                if r[far] not in sub.nodes:
                    sub.nodes[r[far]] = {**r["far"], "depth": depth}
                    frontier.append(r[far])
            sub.stakes += rows
        if frontier:  # at the bound: keep the ties among nodes found, flag anything further
            rows = [_row(r, far) for r in tx.run(query, ids=frontier, as_of=as_of)]
            kept = [r for r in rows if r[far] in sub.nodes]
            sub.stakes += kept
            sub.truncated = len(kept) < len(rows)
        return sub

    return graph.read_tx(work)


class _Chains:
    """Chains of holdings (holder first) with the evidence of every hop. Each hop is shaped
    once: thousands of holders' chains share the same last hops."""

    def __init__(self, sub: Subgraph, include_sensitive: bool):
        self.sub, self.include_sensitive = sub, include_sensitive
        self.pairs = sub.by_pair()
        self.hops: dict[tuple[str, str], tuple[dict[str, Any], str | None]] = {}

    def hop(self, a: str, b: str) -> tuple[dict[str, Any], str | None]:
        if (a, b) not in self.hops:
            rels = self.pairs.get((a, b), [])
            hidden = not self.include_sensitive and (
                any(r["sensitive"] for r in rels) or bool(self.sub.nodes[a].get("sensitive"))
                or bool(self.sub.nodes[b].get("sensitive")))
            shaped = {
                "holder": _node(self.sub.nodes[a], self.include_sensitive),
                "company": _node(self.sub.nodes[b], self.include_sensitive),
                "stakes": [{**_pick(r["props"], STAKE_KEYS),
                            **_pick(r["props"], EVIDENCE_KEYS, withheld=hidden)}
                           for r in rels],
            }
            self.hops[(a, b)] = (shaped, _weakest([r["props"].get("confidence")
                                                   for r in rels]))
        return self.hops[(a, b)]

    def chain(self, ids: list[str]) -> dict[str, Any]:
        hops = [self.hop(a, b) for a, b in pairwise(ids)]
        return {"hops": [h for h, _ in hops], "confidence": _weakest([c for _, c in hops])}


def _lookup(graph: Graph, query: str, entity_id: str, what: str,
            include_sensitive: bool) -> dict[str, Any]:
    rows = graph.read(query, id=entity_id)
    if not rows or (rows[0]["sensitive"] and not include_sensitive):
        other = graph.read("leverage.labels_of_id", id=entity_id)
        if other and not rows:
            raise NotFound(f"{entity_id!r} is a {'/'.join(other[0]['labels'])}, not {what}.")
        raise NotFound(f"No {what} with id {entity_id!r}.")
    return rows[0]


# --- 1. a company: direct stakes, look-through, controller ---------------------------------------


@for_reader
def direct_stakes(graph: Graph, company_id: str, as_of: str | None = None,
                  include_sensitive: bool = False) -> list[dict[str, Any]]:
    """The company's holders now (or ``as_of``): stake, share class, dates and evidence."""
    rows = graph.read("leverage.direct_stakes", id=company_id, as_of=as_of)
    return [_stake_row(r, include_sensitive) for r in rows]


def _stake_row(r: dict[str, Any], include_sensitive: bool) -> dict[str, Any]:
    holder = {"id": r["holder_id"], "name": r["holder_name"], "labels": r["holder_labels"]}
    hidden = r["sensitive"] and not include_sensitive
    return {
        "holder": _node(holder, include_sensitive, sensitive=r["sensitive"]),
        **_pick(r["props"], (*STAKE_KEYS, "means")),
        **_pick(r["props"], EVIDENCE_KEYS, withheld=hidden),
    }


@for_reader
def company_leverage(graph: Graph, company_id: str, as_of: str | None = None,
                     max_depth: int = DEFAULT_MAX_DEPTH,
                     include_sensitive: bool = False) -> dict[str, Any]:
    """Direct stakes, look-through (economic and voting, with bounds) and the ultimate
    controller of a company. Raises NotFound for an unknown id, BadRequest for bad params."""
    check_params(as_of, max_depth)
    company = _lookup(graph, "leverage.company", company_id, "company", include_sensitive)
    direct = direct_stakes(graph, company_id, as_of, include_sensitive)
    controls = graph.read("leverage.other_control", id=company_id, as_of=as_of)
    other = [_stake_row(r, include_sensitive) for r in controls]
    sub = _subgraph(graph, company, as_of, max_depth, upstream=True)
    sub.withhold_unseen(company_id, True, include_sensitive)
    net = sub.network(company_id)
    warnings = list(net.warnings)
    try:
        rows = lt.look_through(net, company_id)
        self_e, self_v = lt.self_held(net, company_id)
    except lt.NotConvergent:
        rows, self_e, self_v = [], 0.0, 0.0
        warnings.append(str(NOT_CONVERGENT))
    if any(r.economic_hi is None or r.voting_hi is None for r in rows):
        warnings.append(str(UNBOUNDED))
    closed = _closed_cycles(net, sub, include_sensitive, warnings)
    shaper = _Chains(sub, include_sensitive)
    chains = lt.strongest_chains(net, company_id, downstream=False)
    cycle = lt.cycle_mates(net, company_id)
    assumed = lt.ancestors(net, {h for h, _ in net.voting_assumed})
    has_holders = {s["company"] for s in sub.stakes}
    direct_holders = {s["holder"] for s in sub.stakes if s["company"] == company_id}

    look = []
    for row in sorted(rows, key=lambda r: (-max(r.voting_lo, r.economic_lo),
                                           -(r.voting_hi if r.voting_hi is not None else 2),
                                           str(sub.nodes[r.holder].get("name")), r.holder)):
        node = sub.nodes[row.holder]
        look.append({
            "holder": _node(node, include_sensitive),
            "depth": node["depth"],
            "direct": row.holder in direct_holders,
            # at the depth bound of a truncated fetch, whether anyone holds it is unknown
            "ultimate": (None if sub.truncated and node["depth"] == max_depth
                         else row.holder not in has_holders),
            "in_cycle": row.holder in cycle,
            **lt.as_dict(row),
            "voting_assumed": row.holder in assumed,
            "chain": shaper.chain(chains.get(row.holder, [])),
            "_id": row.holder, "_labels": node.get("labels") or [],
        })
    said = _disclosed(graph, company, look, controls, as_of, include_sensitive)
    controller = _controller(net, sub, company_id, include_sensitive)
    _with_disclosures(graph, controller, said, as_of, include_sensitive)

    return {
        "company": _node(company, include_sensitive),
        "as_of": as_of,
        "max_depth": max_depth,
        "direct_stakes": direct,
        "other_control": other,
        "look_through": look,
        "self_held": {"economic_pct": lt.pct(self_e), "voting_pct": lt.pct(self_v)},
        "controller": controller,
        **said,
        "closed_cycles": closed,
        "truncated": sub.truncated,
        "warnings": warnings,
        "method": str(METHOD),
    }




def closed_cycle_warning(nodes: list[dict[str, Any]]) -> str:
    """The warning that names a closed cycle's members, in the reader's language."""
    return _("%(names)s hold 100%% of each other (a closed cross-holding cycle): nobody outside "
             "holds any of them, so no look-through stake through them is finite; their direct "
             "stakes are listed as recorded.", names=and_list([n["name"] for n in nodes]))


def _closed_cycles(net: lt.Network, sub: Subgraph, include_sensitive: bool,
                   warnings: list[str]) -> list[list[dict[str, Any]]]:
    """The closed cycles of the subgraph as nodes (withheld ones shaped so), each with a
    warning that names them: the clear answer where the look-through has no finite value."""
    cycles = [[_node(sub.nodes[x], include_sensitive) for x in ids]
              for ids in lt.closed_cycles(net)]
    warnings += [closed_cycle_warning(c) for c in cycles]
    return cycles


def _disclosed(graph: Graph, company: dict[str, Any], look: list[dict[str, Any]],
               controls: list[dict[str, Any]], as_of: str | None,
               include_sensitive: bool) -> dict[str, Any]:
    """What the disclosures say beside the stakes (graphapp.leverage.disclosures): declared
    indirect interests, undisclosed owners, the parties to arrangements that hold or control
    the company (``controls``: its control without shares), nominees' principals."""
    company_id = company["id"]
    name = _node(company, include_sensitive)["name"]
    said = {
        "declared": disclosures.declared(graph, company_id, look, as_of, include_sensitive),
        "undisclosed": disclosures.undisclosed(
            graph, [company_id, *(r["_id"] for r in look)], company_id, as_of,
            include_sensitive),
        "arrangements": disclosures.arrangements(graph, name, look, as_of, include_sensitive,
                                                 controls),
        "nominees": disclosures.nominees(graph, name, look, include_sensitive),
    }
    disclosures.strip(look)
    for d in said["declared"]:
        d.pop("_holder_id", None)
    return said


def _with_disclosures(graph: Graph, controller: dict[str, Any], said: dict[str, Any],
                      as_of: str | None, include_sensitive: bool) -> None:
    """The declared figure where the chain gives none; the control above the controller."""
    controller["declared"] = (disclosures.declared_controller(said["declared"])
                              if controller.get("ultimate") is None else None)
    top = controller.get("ultimate") or (controller["declared"] or {}).get("holder")
    controller["above"] = (disclosures.above(graph, top["id"], as_of, include_sensitive)
                           if top and top.get("id") else [])
    _state_above_its_body(controller)


def _state_above_its_body(controller: dict[str, Any]) -> None:
    """A state body (a ministry, an agency) answers to its state: when the ultimate controller
    by votes is a State controlled without shares by a State above it, that state is the
    ultimate controller, the body a step of the path (its ``means`` said)."""
    ultimate = controller.get("ultimate")
    if not ultimate or "State" not in (ultimate.get("labels") or []):
        return
    states = []
    for n in controller["above"]:
        if "State" not in (n.get("labels") or []):
            break
        states.append(n)
    if not states:
        return
    controller["path"] = [*controller["path"], *({**_public(n), "controlled_votes_pct": None,
                                                  "means": n.get("means")} for n in states)]
    controller["ultimate"] = _public(states[-1])
    controller["above"] = controller["above"][len(states):]
    controller["basis"] += ("; a state controls its state bodies (the control without shares "
                            "above the body is followed)")


def _public(n: dict[str, Any]) -> dict[str, Any]:
    return {k: n[k] for k in ("id", "name", "labels", "withheld") if k in n}


def _controller(net: lt.Network, sub: Subgraph, company_id: str,
                include_sensitive: bool) -> dict[str, Any]:
    def shape(c: lt.ControlChain) -> dict[str, Any]:
        votes = [*c.controlled_votes, None]
        return {
            "ultimate": _node(sub.nodes[c.ultimate], include_sensitive) if c.ultimate else None,
            "path": [{**_node(sub.nodes[x], include_sensitive),
                      "controlled_votes_pct": lt.pct(v)} for x, v in zip(c.path, votes,
                                                                          strict=False)],
            "circular": [_node(sub.nodes[x], include_sensitive) for x in c.circular],
        }

    sure = lt.controller(net, company_id)
    could = lt.controller(net, company_id, upper=True)
    out = shape(sure)
    out["basis"] = str(CONTROL_BASIS)
    out["possible_ultimate"] = (
        _node(sub.nodes[could.ultimate], include_sensitive)
        if could.ultimate and could.ultimate != sure.ultimate else None
    )
    return out


# --- 2. an investor: holdings through chains, and the harms they touch ---------------------------


@for_reader
def investor_exposure(graph: Graph, investor_id: str, as_of: str | None = None,
                      max_depth: int = DEFAULT_MAX_DEPTH,
                      include_sensitive: bool = False) -> dict[str, Any]:
    """Every company the investor holds directly or through chains, with its integrated stake,
    and the harms linked to those companies, ranked (see RANKING)."""
    check_params(as_of, max_depth)
    investor = _lookup(graph, "leverage.holder", investor_id, "investor (a Company or Person)",
                       include_sensitive)
    sub = _subgraph(graph, investor, as_of, max_depth, upstream=False)
    sub.withhold_unseen(investor_id, False, include_sensitive)
    net = sub.network(investor_id)
    warnings = list(net.warnings)
    try:
        rows = lt.exposure(net, investor_id)
    except lt.NotConvergent:
        rows = []
        warnings.append(str(NOT_CONVERGENT))
    closed = _closed_cycles(net, sub, include_sensitive, warnings)
    shaper = _Chains(sub, include_sensitive)
    chains = lt.strongest_chains(net, investor_id, downstream=True)
    assumed = lt.descendants(net, {c for _, c in net.voting_assumed})

    holdings = {}
    for row in rows:
        node = sub.nodes[row.holder]
        holdings[row.holder] = {
            "company": _node(node, include_sensitive),
            "depth": node["depth"],
            "direct": node["depth"] == 1,
            **lt.as_dict(row),
            "voting_assumed": row.holder in assumed,
            "leverage_pct": lt.pct(max(row.economic_lo, row.voting_lo)),
            "chain": shaper.chain(chains.get(row.holder, [])),
        }

    harm_rows = graph.read("leverage.harms_of_companies", ids=sorted(holdings), as_of=as_of)
    harms = []
    for h in harm_rows:
        holding = holdings[h["company"]]
        hidden = h["sensitive"] and not include_sensitive
        severity = h["severity"]
        stake = holding["leverage_pct"] or 0.0
        harms.append({
            "harm": (_node({}, include_sensitive, sensitive=True) if hidden else
                     {"id": h["harm_id"], "name": h["harm_name"], "labels": ["Harm"],
                      "harm_type": h["harm_type"], "severity": severity, "status": h["status"],
                      "started": _plain(h["started"]), "ended": _plain(h["ended"])}),
            "company": holding["company"],
            "product": ({"id": h["product_id"], "name": h["product_name"]}
                        if h["product_id"] else None),
            "involves": _pick(h["involves"], ("mechanism", *EVIDENCE_KEYS), withheld=hidden),
            "operates": (_pick(h["operates"], EVIDENCE_KEYS) if h["operates"] else None),
            "leverage_pct": stake,
            # The most the stake can be (None: no bound): a 0 lower bound with room above it is
            # an undisclosed stake, which the page must not show as "0%".
            "stake_max_pct": _most(holding.get("economic_max_pct"),
                                   holding.get("voting_max_pct")),
            "severity_known": severity is not None,
            "score": round(stake * (severity if severity is not None else UNKNOWN_SEVERITY), 6),
            "_harm": h["harm_id"],
        })
    harms.sort(key=lambda x: (-x["score"], -(x["harm"].get("severity") or 0),
                              -x["leverage_pct"], str(x["harm"]["name"]),
                              str(x["company"]["name"])))
    harms = _each_harm_once(harms)
    for rank, item in enumerate(harms, 1):
        item["rank"] = rank

    ordered = sorted(holdings.values(), key=lambda x: (-(x["leverage_pct"] or 0),
                                                       x["depth"], str(x["company"]["name"])))
    return {
        "investor": _node(investor, include_sensitive),
        "as_of": as_of,
        "max_depth": max_depth,
        "holdings": ordered,
        "harms": harms,
        "ranking": str(RANKING),
        "closed_cycles": closed,
        "truncated": sub.truncated,
        "warnings": warnings,
        "method": str(METHOD),
    }


def _each_harm_once(harms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per harm: its best-scored route (the list is sorted best first), with the other
    companies it reaches the harm through as ``also`` (a harm involving a subsidiary and its
    parent, or two products, was listed once per route)."""
    kept: dict[str, dict[str, Any]] = {}
    out = []
    for item in harms:
        key = item.pop("_harm")
        first = kept.get(key)
        if first is None:
            item["also"] = []
            kept[key] = item
            out.append(item)
        elif item["company"] not in first["also"] and item["company"] != first["company"]:
            first["also"].append(item["company"])
    return out


@for_reader
def holder_interlocks(graph: Graph, investor_id: str, company_ids: list[str],
                      as_of: str | None = None, limit: int = 50,
                      include_sensitive: bool = False) -> dict[str, Any]:
    """An investor's interlocks with what it holds (``company_ids``): people with a role at
    the investor who sit on those companies' boards, and the other holders of those companies
    (co-investors), most shared companies first. Sensitive ones are left out for viewers."""
    board = graph.read("leverage.holder_board_links", id=investor_id, ids=company_ids,
                       as_of=as_of, include_sensitive=include_sensitive)
    holders = graph.read("leverage.co_holders", id=investor_id, ids=company_ids, as_of=as_of,
                         limit=limit, include_sensitive=include_sensitive)
    return {
        "board_members": [{"person": {"id": r["person_id"], "name": r["person_name"],
                                      "labels": ["Person"]},
                           "title": r["title_here"], "boards": r["boards"]} for r in board],
        "co_holders": [{"holder": {"id": r["id"], "name": r["name"], "labels": r["labels"]},
                        "companies": sorted(r["companies"], key=lambda c: -c["pct"])}
                       for r in holders],
    }


# --- 3. interlocks: shared board members, shared major investors ---------------------------------


@for_reader
def interlocks(graph: Graph, company_id: str, as_of: str | None = None,
               threshold: float = DEFAULT_THRESHOLD,
               include_sensitive: bool = False) -> dict[str, Any]:
    """Companies that share board members or major investors (>= ``threshold`` %) with this
    one, and the board members with every board they sit on (as LittleSis shows them)."""
    check_params(as_of, DEFAULT_MAX_DEPTH, threshold)
    company = _lookup(graph, "leverage.company", company_id, "company", include_sensitive)

    members: dict[str, dict[str, Any]] = {}
    by_company: dict[str, dict[str, Any]] = {}
    for r in graph.read("leverage.board_interlocks", id=company_id, as_of=as_of):
        person = _node({"id": r["person_id"], "name": r["person_name"], "labels": ["Person"]},
                       include_sensitive, sensitive=r["sensitive"])
        key = r["person_id"]
        hidden = r["sensitive"] and not include_sensitive
        member = members.setdefault(key, {"person": person, "roles": [], "other_boards": [],
                                          "_ids": set()})
        role = _pick(r["role"], ROLE_KEYS, withheld=hidden)
        if role not in member["roles"]:
            member["roles"].append(role)
        if r["other_id"] is None:
            continue
        other = _node({"id": r["other_id"], "name": r["other_name"], "labels": ["Company"]},
                      include_sensitive, sensitive=r["other_sensitive"])
        other_role = _pick(r["other_role"], ROLE_KEYS,
                           withheld=r["other_sensitive"] and not include_sensitive)
        member["other_boards"].append({"company": other, "role": other_role})
        member["_ids"].add(r["other_id"])
        shared = by_company.setdefault(r["other_id"], {"company": other, "people": []})
        shared["people"].append({"person": person, "role_here": role, "role_there": other_role})

    for m in members.values():
        m["boards"] = 1 + len(m.pop("_ids"))
    board = sorted(members.values(), key=lambda m: (-m["boards"], str(m["person"]["name"])))

    investors: dict[str, dict[str, Any]] = {}
    shared_inv: dict[str, dict[str, Any]] = {}
    for r in graph.read("leverage.investor_interlocks", id=company_id, as_of=as_of,
                        threshold=float(threshold)):
        inv = _node({"id": r["investor_id"], "name": r["investor_name"],
                     "labels": r["investor_labels"]}, include_sensitive, sensitive=r["sensitive"])
        hidden = r["sensitive"] and not include_sensitive
        entry = investors.setdefault(r["investor_id"], {
            "investor": inv, "economic_pct": r["economic"], "voting_pct": r["voting"],
            "stakes": [_pick(s, (*STAKE_KEYS, *EVIDENCE_KEYS), withheld=hidden)
                       for s in r["stakes"]],
            "other_holdings": [],
        })
        other = _node({"id": r["other_id"], "name": r["other_name"], "labels": ["Company"]},
                      include_sensitive, sensitive=r["other_sensitive"])
        there = {"company": other, "economic_pct": r["other_economic"],
                 "voting_pct": r["other_voting"],
                 "stakes": [_pick(s, (*STAKE_KEYS, *EVIDENCE_KEYS),
                                  withheld=r["other_sensitive"] and not include_sensitive)
                            for s in r["other_stakes"]]}
        entry["other_holdings"].append(there)
        shared = shared_inv.setdefault(r["other_id"], {"company": other, "investors": []})
        shared["investors"].append({"investor": inv, "here_economic_pct": r["economic"],
                                    "here_voting_pct": r["voting"],
                                    "there_economic_pct": r["other_economic"],
                                    "there_voting_pct": r["other_voting"]})

    def by_count(items: dict[str, dict[str, Any]], key: str) -> list[dict[str, Any]]:
        return sorted(items.values(), key=lambda x: (-len(x[key]), str(x["company"]["name"])))

    return {
        "company": _node(company, include_sensitive),
        "as_of": as_of,
        "threshold_pct": float(threshold),
        "board_members": board,
        "shared_board_members": by_count(by_company, "people"),
        "major_investors": sorted(investors.values(),
                                  key=lambda x: (-max(x["economic_pct"], x["voting_pct"]),
                                                 str(x["investor"]["name"]))),
        "shared_major_investors": by_count(shared_inv, "investors"),
    }


# --- 4. the whole network: who holds the most, through every chain ------------------------------

NETWORK_VALUE = _l(
    "Network value (Vitali, Glattfelder & Battiston 2011: the vector Ĩv) with v = 1 for every "
    "company, since the graph records no company's size: the sum of a holder's look-through "
    "stakes in every company it reaches, i.e. how many whole companies' worth it holds through "
    "all chains (a %(pct)s stake in each of ten companies is 3.0). Economic and voting apart; "
    "ranges give lower and upper bounds. Ranked by the economic lower bound, then the voting one.",
    pct="30%")
_UNKNOWN_CONFIDENCE = 4  # above every CONFIDENCE_RANK: "no stated confidence" is never weakest
_CONFIDENCE_OF_RANK = {rank: name for name, rank in model.CONFIDENCE_RANK.items()}


def _stakes(cols: tuple[list, ...]) -> list[lt.Stake]:
    """network_stakes' columns as Stakes (-1 stands for an absent percentage)."""
    holders, companies, econ, vote, lo, hi = cols[:6]
    return [lt.Stake(h, c, e if e >= 0 else None, v if v >= 0 else None,
                     a if a >= 0 else None, b if b >= 0 else None)
            for h, c, e, v, a, b in zip(holders, companies, econ, vote, lo, hi, strict=True)]


def _network_values(net: lt.Network) -> dict[str, np.ndarray | None]:
    """Ĩv (v = 1) for the four stake matrices; a matrix equal to one already solved (no ranges,
    votes assumed) reuses its answer. Upper bounds: None when the series has no finite sum."""
    ones = np.ones(net.size)
    values: dict[str, np.ndarray | None] = {}
    for name in ("econ_lo", "vote_lo", "econ_hi", "vote_hi"):
        m = getattr(net, name)
        same = next((k for k in values if (getattr(net, k) != m).nnz == 0), None)
        if same is not None:
            values[name] = values[same]
            continue
        try:
            values[name] = lt.network_value(m, ones)
        except lt.NotConvergent:
            if name.endswith("_lo"):
                raise
            values[name] = None
    return values


def _value_fields(values: dict[str, np.ndarray | None], i: int) -> dict[str, float | None]:
    """Node ``i``'s network values, exact when the bounds meet (as lt.as_dict, not in %)."""
    def at(name: str) -> float | None:
        col = values[name]
        return None if col is None or not np.isfinite(col[i]) else float(col[i])

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 6)

    if at("econ_lo") is None or at("vote_lo") is None:  # in or above a closed cycle
        return dict.fromkeys(("economic_value", "economic_min_value", "economic_max_value",
                              "voting_value", "voting_min_value", "voting_max_value"))
    v = lt.LookThrough("", at("econ_lo"), at("econ_hi"), at("vote_lo"), at("vote_hi"))
    return {"economic_value": r(v.economic), "economic_min_value": r(v.economic_lo),
            "economic_max_value": r(v.economic_hi), "voting_value": r(v.voting),
            "voting_min_value": r(v.voting_lo), "voting_max_value": r(v.voting_hi)}


def _rank_network(cols: tuple[list, ...], top: int) -> dict[str, Any]:
    """The whole-network computation on network_stakes' columns (no database): the top
    holders by network value, with their reach, control and the caveats of their chains."""
    clock = time.perf_counter()
    econ, vote, lo, hi, conf = (np.asarray(c, dtype=float) for c in cols[2:7])
    no_pct = (econ < 0) & (lo < 0) & (hi < 0)  # no figure at all: counted as 0-100%
    ranged = (econ < 0) & ~no_pct
    summary = {"nodes": 0, "stakes": len(econ), "holder_count": 0, "closed_cycles": [],
               "stakes_without_pct": int(no_pct.sum()), "stakes_as_ranges": int(ranged.sum()),
               "voting_assumed_stakes": int((vote < 0).sum())}
    if not len(econ):  # (build_network needs a stake)
        return {**summary, "ranked": [], "warnings": [], "timings": {}}
    net = lt.build_network(_stakes(cols))
    n = summary["nodes"] = net.size
    holder_idx = np.fromiter((net.index[h] for h in cols[0]), dtype=np.int64, count=len(econ))
    per_node = {k: np.bincount(holder_idx, weights=m, minlength=n)
                for k, m in (("no_pct", no_pct), ("ranged", ranged), ("assumed", vote < 0))}
    weakest = np.full(n, _UNKNOWN_CONFIDENCE, dtype=np.int64)
    np.minimum.at(weakest, holder_idx, np.where(conf > 0, conf, _UNKNOWN_CONFIDENCE).astype(int))
    timings = {"build_s": time.perf_counter() - clock}

    warnings = list(net.warnings)
    clock = time.perf_counter()
    try:
        values = _network_values(net)
    except lt.NotConvergent:
        warnings.append(str(NOT_CONVERGENT))
        return {**summary, "ranked": [], "warnings": warnings, "timings": timings}
    if values["econ_hi"] is None or values["vote_hi"] is None:
        warnings.append(str(UNBOUNDED))
    control = lt.control_matrix(net.vote_lo)
    timings["solve_s"] = time.perf_counter() - clock

    clock = time.perf_counter()
    links = net.links.tocsr()
    holders_of = links.tocsc()
    direct = np.diff(links.indptr)
    candidates = np.flatnonzero(direct > 0)
    summary["holder_count"] = len(candidates)
    econ_lo, vote_lo = values["econ_lo"], values["vote_lo"]
    # in or above a closed cycle: no finite network value, so not ranked but named
    candidates = candidates[np.isfinite(econ_lo[candidates]) & np.isfinite(vote_lo[candidates])]
    summary["closed_cycles"] = lt.closed_cycles(net)
    if len(candidates) > top:  # the top ones and everyone tied with the last, sorted exactly
        last = np.partition(econ_lo[candidates], len(candidates) - top)[len(candidates) - top]
        candidates = candidates[econ_lo[candidates] >= last]
    order = sorted(candidates.tolist(),
                   key=lambda i: (-econ_lo[i], -vote_lo[i], net.ids[i]))[:top]
    ranked = []
    for i in order:
        reach = breadth_first_order(links, i, directed=True, return_predecessors=False)
        held_by_i = holders_of.indices[holders_of.indptr[i]:holders_of.indptr[i + 1]]
        conf_rank = int(weakest[reach].min())
        ranked.append({
            "id": net.ids[i],
            **_value_fields(values, i),
            "direct_holdings": int(direct[i]),
            "companies_reached": len(reach) - 1,
            "controls": int(control.indptr[i + 1] - control.indptr[i]),
            "ultimate": len(held_by_i) == 0,
            "in_cycle": bool(np.isin(held_by_i, reach).any()),
            "stakes_without_pct": int(per_node["no_pct"][reach].sum()),
            "stakes_as_ranges": int(per_node["ranged"][reach].sum()),
            "voting_assumed": bool(per_node["assumed"][reach].any()),
            "confidence": _CONFIDENCE_OF_RANK.get(conf_rank),
        })
    timings["rank_s"] = time.perf_counter() - clock
    return {**summary, "ranked": ranked, "warnings": warnings, "timings": timings}


@for_reader
def network_holders(graph: Graph, as_of: str | None = None, top: int = DEFAULT_TOP,
                    include_sensitive: bool = False) -> dict[str, Any]:
    """Who holds the most across the whole network: every active stake read in one query,
    every node's network value (see NETWORK_VALUE) solved at once, the ``top`` holders ranked
    with what they hold directly and through chains, what they control, and the caveats of
    the evidence their figures rest on. One read transaction (a consistent snapshot)."""
    check_params(as_of, top=top)

    def work(tx: Tx) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        clock = time.perf_counter()
        # one record of lists: run directly, Tx.run's record.data() would walk every element
        cols = tuple(tx.tx.run(*tx.params("leverage.network_stakes", {"as_of": as_of}))
                     .single(strict=True))
        read_s = time.perf_counter() - clock
        found = _rank_network(cols, top)
        found["timings"] = {"read_s": read_s, **found["timings"]}
        ids = [r["id"] for r in found["ranked"]] + [x for c in found["closed_cycles"] for x in c]
        return found, {r["id"]: r for r in tx.run("leverage.entities_by_ids", ids=ids)}

    found, nodes = graph.read_tx(work)
    found["closed_cycles"] = [
        [_node(nodes.get(x, {"id": x, "name": x, "labels": []}), include_sensitive) for x in c]
        for c in found["closed_cycles"]]
    found["warnings"] += [closed_cycle_warning(c) for c in found["closed_cycles"]]
    holders = []
    for rank, row in enumerate(found.pop("ranked"), 1):
        node = nodes.get(row["id"], {"id": row["id"], "name": row["id"], "labels": []})
        holders.append({"rank": rank, "holder": _node(node, include_sensitive),
                        **{k: v for k, v in row.items() if k != "id"}})
    warnings = found.pop("warnings")
    timings = found.pop("timings")
    return {
        "as_of": as_of,
        "top": top,
        "holders": holders,
        **found,
        "withheld": sum(1 for h in holders if h["holder"].get("withheld")),
        "warnings": warnings,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "value": str(NETWORK_VALUE),
        "method": str(METHOD),
    }


def _most(*bounds: float | None) -> float | None:
    """The largest of upper bounds, None when one of them is unbounded (unknown)."""
    return None if any(b is None for b in bounds) else max(bounds)
