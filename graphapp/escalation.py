"""Escalation paths: from a documented harm up to the people who decide and those who fund them.

``escalate(graph, harm_id, ...)`` answers, in one read transaction, with ranked targets grouped
by rung: local representatives and offices, the companies on the way, the teams that decide on
the product and the people in them, the executives and board of the ultimate parent, the
ultimate parent itself, the investors behind every company on the way, and beside the ladder
the regulators and forums. Every target carries its path (each hop with its evidence), a score
with its components and one sentence saying why. The scoring is documented in
``docs/escalation.md``; the traversal lives in ``cypher/escalation.cypher``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from marshmallow import Schema, ValidationError, fields, validate

from graphapp import engagement, errors, evidence, relevance
from graphapp.errors import NotFound
from graphapp.store import model
from graphapp.store.db import Graph, Tx, for_reader
from graphapp.store.db import plain as _plain
from graphapp.store.schemas import ID_PATTERN, PartialDate

# --- the rungs ---------------------------------------------------------------------------------

RUNG_TITLES: dict[str, str] = {
    "local": "Local representatives and offices",
    "subsidiary": "Companies on the way",
    "team": "Teams that decide on the product",
    "person": "People in those teams",
    "leadership": "Executives and board of the ultimate parent",
    "headquarters": "Ultimate parent (headquarters)",
    "investor": "Investors behind the companies on the way",
    "regulator": "Regulators",
    "forum": "Forums",
}
RUNGS = tuple(RUNG_TITLES)
LADDER = ("local", "subsidiary", "team", "person", "leadership", "headquarters", "investor")
BESIDE = ("regulator", "forum")
RUNG_ORDER = {rung: i for i, rung in enumerate(RUNGS)}

DEFAULT_MAX_HOPS = 8
MAX_HOPS_LIMIT = 12
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

DECISION_FUNCTIONS = ("policy", "trust_and_safety", "human_rights", "product", "design")
LEADERSHIP_FUNCTIONS = ("board", "executive")
STARTS = ("Harm", "Product", "Company", "Team")
# Regulators that hold companies to account in public rather than by binding orders.
SOFT_REGULATORS = ("un_mechanism", "regional_human_rights_body", "oecd_ncp")

# --- the score (docs/escalation.md explains every number) --------------------------------------

WEIGHTS = {"authority": 0.35, "leverage": 0.25, "evidence": 0.20, "distance": 0.10,
           "access": 0.10, "responsiveness": 0.10, "relevance": 1.0}

TEAM_AUTHORITY = {"human_rights": 0.7, "trust_and_safety": 0.7, "policy": 0.7, "product": 0.7,
                  "design": 0.6, "privacy": 0.6, "legal": 0.6, "engineering": 0.6}
TEAM_AUTHORITY_OTHER = 0.5
SCOPE_FACTOR = {"global": 1.0, "regional": 0.9, "country": 0.8}
SCOPE_FACTOR_UNKNOWN = 0.9
ROLE_FACTOR = {"executive": 1.0, "board": 1.0, "manager": 0.9, "staff": 0.7,
               "representative": 0.6}
ROLE_FACTOR_UNKNOWN = 0.8
LEADERSHIP_AUTHORITY = {"executive": 0.9, "board": 0.85}

# (authority, leverage) where they depend on the rung and route only.
FIXED = {
    "local": (0.2, 0.2),
    "subsidiary": (0.4, 0.4),
    "headquarters": (1.0, 1.0),
    ("regulator", "oversees"): (0.8, 0.8),
    ("regulator", "establishment"): (0.7, 0.7),
    ("regulator", "seized"): (0.6, 0.6),
    ("regulator", "hq_jurisdiction"): (0.6, 0.6),
    ("regulator", "harm_jurisdiction"): (0.6, 0.5),
    "forum": (0.2, 0.3),
}
TEAM_LEVERAGE = 0.6
PERSON_LEVERAGE = 0.5
LEADERSHIP_LEVERAGE = 0.9
SUBSIDIARY_OPERATOR_AUTHORITY = 0.5
INVESTOR_AUTHORITY = 0.3
INVESTOR_UNKNOWN_STAKE_LEVERAGE = 0.1


def distance_component(hops: int) -> float:
    """1 for a direct link, then 0.8, 0.67, 0.57, 0.5 ... (1 / (1 + 0.25 * (hops - 1)))."""
    return round(1.0 / (1.0 + 0.25 * max(hops - 1, 0)), 3)


def evidence_component(hops: list[dict[str, Any]]) -> float:
    """The weakest confidence on the path (confirmed 1, reported 2/3, alleged 1/3), times the
    share of hops that cite at least one source. A path of no hops is certain (1)."""
    if not hops:
        return 1.0
    weakest = min(model.CONFIDENCE_RANK.get(h["confidence"] or "", 0) for h in hops)
    sourced = sum(1 for h in hops if h["sources"]) / len(hops)
    return round(weakest / 3 * sourced, 3)


def score(components: dict[str, float | None]) -> float:
    """The weighted mean of the components that are known (access is unknown without `org`,
    responsiveness without engagements that are due, relevance for everyone but regulators and
    forums)."""
    known = {k: v for k, v in components.items() if v is not None}
    total = sum(WEIGHTS[k] for k in known)
    return round(sum(WEIGHTS[k] * v for k, v in known.items()) / total, 3) if total else 0.0


def stake_leverage(voting: float | None, economic: float | None) -> float:
    """An investor's leverage: sqrt(share / 50%), capped at 1, where the share is the
    (look-through) voting share, else the economic share; a stake of unknown size counts 0.1.
    The square root gives diminishing returns: 5% of a listed company already buys a hearing
    (0.32), 12.5% is half-way (0.5), control (50% or more) is 1."""
    share = voting if voting is not None else economic
    if share is None:
        return INVESTOR_UNKNOWN_STAKE_LEVERAGE
    return round(min(1.0, math.sqrt(max(share, 0.0) / 50.0)), 3)


# --- options -------------------------------------------------------------------------------------


def check_kinds(values: list[str]) -> None:
    """Rungs, comma-separated or repeated: every one must be a rung."""
    unknown = [k.strip() for v in values for k in v.split(",") if k.strip() not in RUNGS]
    if unknown:
        raise ValidationError(f"Unknown kind(s) {', '.join(unknown)}; use: {', '.join(RUNGS)}.")


class EscalationOptions(Schema):
    """The escalation's options: the API, the pages, the CLI and :func:`escalate` validate
    with this one schema."""

    as_of = PartialDate(load_default=None, metadata={
        "description": "Answer for this date (YYYY, YYYY-MM or YYYY-MM-DD); default: today."})
    min_confidence = fields.String(load_default="alleged", validate=validate.OneOf(
        model.CONFIDENCE, error="Must be one of: {choices}."), metadata={
        "description": "Drop paths with weaker evidence on a hop "
                       "(alleged < reported < confirmed)."})
    min_evidence = fields.String(load_default="none", validate=validate.OneOf(
        evidence.LEVELS, error="Must be one of: {choices}."), metadata={
        "description": "Drop paths whose weakest hop rests on less (none < tertiary < "
                       "secondary < corroborated < primary; docs/evidence.md)."})
    kinds = fields.List(fields.String(), load_default=None, validate=check_kinds, metadata={
        "description": "Rungs to keep, comma-separated or repeated: " + ", ".join(RUNGS) + "."})
    max_hops = fields.Integer(load_default=DEFAULT_MAX_HOPS,
                              validate=validate.Range(1, MAX_HOPS_LIMIT))
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    org = fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN), metadata={
        "description": "Your Organization's id: shared forums and contacts count as access."})
    dated_only = fields.Boolean(load_default=False, metadata={
        "description": "With as_of: leave out relationships with no start date (by default "
                       "they count, marked 'start unknown')."})


FILTERS = ("as_of", "min_confidence", "min_evidence", "kinds", "max_hops", "limit")


def check_options(as_of: str | None = None, min_confidence: str | None = None,
                  kinds: Iterable[str] | str | None = None, max_hops: int | None = None,
                  limit: int | None = None, min_evidence: str | None = None) -> dict[str, Any]:
    """Validate the filters with :class:`EscalationOptions`; raise the 400 naming every bad
    field, or return them clean (the rungs in ladder order)."""
    given = {k: v for k, v in {"as_of": as_of, "min_confidence": min_confidence,
                               "min_evidence": min_evidence, "max_hops": max_hops,
                               "limit": limit}.items() if v not in (None, "")}
    if kinds is not None:
        given["kinds"] = [kinds] if isinstance(kinds, str) else list(kinds)
    flags = [k for k in ("max_hops", "limit") if isinstance(given.get(k), bool)]
    if flags:
        raise errors.invalid({k: ["Not a valid integer."] for k in flags})
    opts = errors.load(EscalationOptions(only=FILTERS), given)
    wanted = [k.strip() for raw in (opts["kinds"] or []) for k in raw.split(",") if k.strip()]
    return {"as_of": opts["as_of"], "min_confidence": opts["min_confidence"],
            "min_evidence": evidence.check_level(opts["min_evidence"]),
            "kinds": [k for k in RUNGS if k in wanted] if wanted else list(RUNGS),
            "max_hops": opts["max_hops"], "limit": opts["limit"]}


# --- paths -----------------------------------------------------------------------------------

HOP_FIELDS = ("start_date", "end_date", "as_of", "confidence", "sources", "source_tiers", "note")
HIDDEN_REL_PROPS = {"type", "from", "to", "key", "updated_at", "sensitive"}


def _node(raw: dict[str, Any]) -> dict[str, Any]:
    return {"id": raw["id"], "name": raw.get("name") or raw["id"],
            "labels": [label for label in raw.get("labels", []) if label != model.BASE_LABEL]}


def hops_of(nodes: list[dict[str, Any]], rels: list[dict[str, Any]],
            memo: dict[tuple, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Ordered hops from the start: each names both nodes, the type, the direction in which the
    relationship points (``out``: from the earlier node to the later), its dates and evidence.

    ``memo`` shares hops between the paths of one answer (they share their beginnings: the
    harm's product and company chain); the hops are read, never changed.
    """
    hops = []
    for i, rel in enumerate(rels):
        key = (id(rel), nodes[i]["id"], nodes[i + 1]["id"])
        hop = memo.get(key) if memo is not None else None
        if hop is None:
            hop = _hop(nodes[i], nodes[i + 1], rel)
            if memo is not None:
                memo[key] = hop
        hops.append(hop)
    return hops


def _hop(start: dict[str, Any], end: dict[str, Any], rel: dict[str, Any]) -> dict[str, Any]:
    here, there = _node(start), _node(end)
    hop = {"from": here, "to": there, "type": rel["type"],
           "direction": "out" if rel["from"] == here["id"] else "in"}
    for key in HOP_FIELDS:
        hop[key] = _plain(rel.get(key))
    hop["sources"] = hop["sources"] or []
    hop["start_unknown"] = hop["start_date"] is None
    hop["details"] = {k: _plain(v) for k, v in sorted(rel.items())
                      if k not in HIDDEN_REL_PROPS and k not in HOP_FIELDS and v is not None}
    hop["edge_label"] = edge_label(rel["type"], hop["details"])
    return hop


# Human words for each relationship, read in the direction it points ("owns 13%").
EDGE_WORDS = {
    "OWNS": "owns", "CONTROLS": "controls", "INCORPORATED_IN": "is incorporated in",
    "HEADQUARTERED_IN": "has its headquarters in", "OPERATES_IN": "operates in",
    "PART_OF": "is part of", "REPORTS_TO": "reports to", "HOLDS_ROLE": "holds a role in",
    "OPERATES": "operates", "RESPONSIBLE_FOR": "is responsible for",
    "AVAILABLE_IN": "is available in", "INVOLVES": "involves", "OCCURRED_IN": "occurred in",
    "HAS_JURISDICTION_OVER": "has jurisdiction over", "OVERSEES": "oversees",
    "MEMBER_OF": "is a member of", "DOCUMENTED": "documented", "TO": "was sent to",
}


def short_instrument(instrument: str) -> str:
    """The instrument's name without its commentary: "Digital Services Act (very large online
    platform, designated April 2023)" -> "Digital Services Act"."""
    short = re.split(r" \(|; ", instrument, maxsplit=1)[0].strip()
    return short if len(short) <= 60 else short[:59].rstrip() + "…"


def edge_label(rel_type: str, details: dict[str, Any]) -> str:
    """A relationship in an advocate's words, for diagrams and paths: "owns 13%", "controls",
    "oversees under Digital Services Act", "CEO" — never a relationship type name."""
    words = EDGE_WORDS.get(rel_type, rel_type.lower().replace("_", " "))
    if rel_type == "OWNS":
        economic = details.get("economic_pct", details.get("pct_min"))
        voting = details.get("voting_pct")
        if economic is not None and voting not in (None, economic):
            return f"owns {economic:g}% ({voting:g}% of the votes)"
        share = economic if economic is not None else voting
        if share is not None:
            return f"owns {share:g}%"
    if rel_type == "HOLDS_ROLE" and details.get("title"):
        return str(details["title"])
    if rel_type == "OVERSEES" and details.get("instrument"):
        return f"oversees under {short_instrument(str(details['instrument']))}"
    if rel_type == "RESPONSIBLE_FOR" and details.get("area"):
        return f"is responsible for ({details['area']})"
    return words


def _join(anchor: tuple[list, list], nodes: list, rels: list) -> tuple[list, list]:
    """The anchor's path, continued by a path that starts at the anchor."""
    anchor_nodes, anchor_rels = anchor
    return anchor_nodes + nodes[1:], anchor_rels + rels


def _path_key(nodes: list[dict[str, Any]]) -> tuple:
    return (len(nodes), tuple(n["id"] for n in nodes))


def _best_paths(rows: Iterable[dict[str, Any]], key: str = "id") -> dict[str, tuple[list, list]]:
    """The shortest path to each id (ties: the smaller sequence of node ids)."""
    best: dict[str, tuple[list, list]] = {}
    for row in rows:
        current = best.get(row[key])
        if current is None or _path_key(row["nodes"]) < _path_key(current[0]):
            best[row[key]] = (row["nodes"], row["rels"])
    return best


# --- the capability --------------------------------------------------------------------------


@for_reader
def escalate(graph: Graph, start_id: str, *, as_of: str | None = None,
             min_confidence: str | None = None, kinds: Iterable[str] | str | None = None,
             max_hops: int | None = None, limit: int | None = None, org: str | None = None,
             include_sensitive: bool = False, overdue_days: int | None = None,
             dated_only: bool = False, min_evidence: str | None = None) -> dict[str, Any]:
    """The escalation ladder from ``start_id`` (a Harm; a Product, Company or Team also works).

    A relationship with no start date is "start unknown": under a past ``as_of`` it counts, and
    the targets whose path holds one say so (``caveat``), unless ``dated_only`` asks for dated
    evidence only, which leaves it out. It is never silently valid since forever.

    Raises NotFound for an unknown id and BadRequest (naming the fields) for bad filters or an
    unknown ``org``. A start with no product or company to follow is an answer, not an error:
    ``no_path`` is true and ``message`` says why.
    """
    opts = check_options(as_of, min_confidence, kinds, max_hops, limit, min_evidence)
    opts_days = engagement.check_days(overdue_days)
    evaluated_on = opts["as_of"] or dt.date.today().isoformat()
    past = opts["as_of"] is not None
    params = {"as_of": evaluated_on, "min_rank": model.CONFIDENCE_RANK[opts["min_confidence"]],
              "ranks": model.CONFIDENCE_RANK, "include_sensitive": include_sensitive,
              "max_hops": opts["max_hops"],
              "undated_start": "9999" if dated_only and past else ""}

    def work(tx: Tx) -> dict[str, Any]:
        found = tx.run("escalation.start", id=start_id, org=org, **params)
        if not found:
            raise NotFound(f"No entity with id {start_id!r}.")
        origin = found[0]
        if org and not origin["organization"]:
            raise errors.invalid({"org": [f"No Organization with id {org!r}."]})
        organization = origin["organization"][0] if org else None
        return _assemble(tx, origin, organization, {**params, "overdue_days": opts_days}, opts)

    result = graph.read_tx(work)
    result["filters"] = {**opts, "org": org, "evaluated_on": evaluated_on,
                         "current": not past, "dated_only": bool(dated_only and past)}
    return result


def _assemble(tx: Tx, origin: dict[str, Any], organization: dict[str, Any] | None,
              params: dict[str, Any], opts: dict[str, Any]) -> dict[str, Any]:
    start = _node(origin["start"])
    chain = origin["chain"]
    products = {p["id"]: (p["nodes"], p["rels"]) for p in origin["products"]}
    countries = {c["id"]: (c["nodes"], c["rels"]) for c in origin["countries"]}
    companies = _best_paths(chain)
    info = {row["id"]: row for row in chain}
    tops, top_notes = _ultimate_parents(chain)

    when = opts["as_of"]
    empty = {"start": start, "ultimate_parents": [], "total": 0, "count": 0,
             "rungs": [_rung(r, [], when) for r in opts["kinds"]]}
    if not set(start["labels"]) & set(STARTS):
        return {**empty, "no_path": True,
                "message": (f"No path: escalation starts from a harm, product, company or team, "
                            f"and {start['name']} is a {'/'.join(start['labels'])}.")}
    if not products and not companies:
        return {**empty, "no_path": True,
                "message": (f"No path: {start['name']} is linked to no product or company "
                            f"under these filters, so there is no one to escalate to yet.")}

    names = {n["id"]: n.get("name") or n["id"] for p in [*products.values(), *companies.values()]
             for n in p[0]}
    harm_countries = {c["iso2"]: c["nodes"][-1]["name"] for c in origin["countries"]
                      if c.get("iso2")}
    ctx = {"start": start, "products": products, "tops": tops, "top_notes": top_notes,
           "info": info, "names": names, "hops": {}, "as_of": when, "on": params["as_of"],
           "harm_type": origin["start"].get("harm_type"), "harm_countries": harm_countries,
           "hq": {row["id"]: {k["iso2"]: k["name"] for k in row["hq_places"]}
                  for row in chain if row["id"] in tops},
           "markets": {iso for p in origin["products"] for iso in p.get("markets") or []}}
    candidates: list[dict[str, Any]] = []

    for cid, path in companies.items():
        rung = "headquarters" if cid in tops else "subsidiary"
        candidates.append(_candidate(rung, "chain", path, path[0][-1], {}))

    harm_isos = sorted({c["iso2"] for c in origin["countries"] if c.get("iso2")})
    harm_regions = sorted({c["region"] for c in origin["countries"] if c.get("region")})
    rows = tx.run("escalation.targets", products=list(products), tops=sorted(tops),
                  companies=sorted(companies), countries=list(countries), harm_isos=harm_isos,
                  start=start["id"],
                  harm_regions=harm_regions, **params)
    anchors = {**products, **companies}
    team_paths: dict[str, tuple[list, list]] = {}
    team_props: dict[str, dict[str, Any]] = {}
    for row in (r for r in rows if r["part"] == "team"):
        if row["anchor"] not in anchors:
            continue
        path = _join(anchors[row["anchor"]], row["nodes"], row["rels"])
        props = {**row["props"], "company": row["company"]}
        team_props[row["id"]] = props
        best = team_paths.get(row["id"])
        if best is None or _path_key(path[0]) < _path_key(best[0]):
            team_paths[row["id"]] = path
        candidates.append(_candidate(_team_rung(props), row["route"], path, row["nodes"][-1],
                                     props))

    anchors = {**products, **companies, **countries, **team_paths,
               start["id"]: ([origin["start"]], [])}
    for row in (r for r in rows if r["part"] == "target"):
        if row["anchor"] not in anchors:
            continue
        path = _join(anchors[row["anchor"]], row["nodes"], row["rels"])
        route = row["route"]
        if route in INVESTOR_ROUTES:
            rung = "investor"
        elif route in ("oversees", "establishment", "hq_jurisdiction", "harm_jurisdiction",
                       "seized"):
            rung = "regulator"
        elif route == "member":
            rung = "forum"
        elif route == "representative":
            rung = "local"
        elif route == "role":
            rung = "leadership"
        else:  # a member of a team: a local office, a leadership team or a decision team
            team_rung = _team_rung(team_props[row["anchor"]])
            rung = "person" if team_rung == "team" else team_rung
            route = "office_member" if rung == "local" else route
        props = row["props"]
        if rung == "regulator":
            props = {**props, "reach": set(row["reach"]), "seat": set(row["seat"]),
                     "seat_markets": set(row["seat_markets"])}
        candidates.append(_candidate(rung, route, path, row["nodes"][-1], props,
                                     team_props.get(row["anchor"])))

    candidates = [c for c in candidates if len(c["rels"]) <= opts["max_hops"]]
    access = _access(tx, organization, candidates, params)
    engaged = _engagements(tx, start["id"], candidates, params)
    floor = evidence.LEVEL_RANK[opts["min_evidence"]]
    targets = _one_card_each([t for t in (_target(c, ctx, organization, access, engaged)
                                          for c in candidates)
                              if t["evidence"]["rank"] >= floor], ctx)
    targets = [t for t in targets if t["rung"] in opts["kinds"]]
    targets.sort(key=_sort_key)
    total = len(targets)
    targets = targets[:opts["limit"]]
    for overall, target in enumerate(targets, 1):
        target["overall"] = overall
    by_rung = {r: sorted((t for t in targets if t["rung"] == r), key=_rung_key)
               for r in opts["kinds"]}
    for rung_targets in by_rung.values():
        for rank, target in enumerate(rung_targets, 1):
            target["rank"] = rank
    message = None
    if not targets:
        message = "No target of the chosen kinds within these filters."
    return {
        "start": start,
        "no_path": False,
        "message": message,
        "ultimate_parents": [{"id": t, "name": names.get(t, t), "note": top_notes.get(t)}
                             for t in sorted(tops)],
        "total": total,
        "count": len(targets),
        "rungs": [_rung(r, by_rung[r], when) for r in opts["kinds"]],
    }


# What a rung holds, one and many ("and 23 more regulators").
RUNG_NOUNS = {"local": ("local contact", "local contacts"),
              "subsidiary": ("company", "companies"), "team": ("team", "teams"),
              "person": ("person", "people"),
              "leadership": ("executive or board member", "executives and board members"),
              "headquarters": ("ultimate parent", "ultimate parents"),
              "investor": ("investor", "investors"), "regulator": ("regulator", "regulators"),
              "forum": ("forum", "forums")}


def more_targets(key: str, n: int) -> str:
    """"and 23 more regulators" under a rung's first targets, in the reader's language (one
    message per rung: the noun's plural and gender differ from language to language)."""
    texts = {
        "local": lambda: ngettext("and %(num)d more local contact",
                                  "and %(num)d more local contacts", n),
        "subsidiary": lambda: ngettext("and %(num)d more company", "and %(num)d more companies",
                                       n),
        "team": lambda: ngettext("and %(num)d more team", "and %(num)d more teams", n),
        "person": lambda: ngettext("and %(num)d more person", "and %(num)d more people", n),
        "leadership": lambda: ngettext("and %(num)d more executive or board member",
                                       "and %(num)d more executives and board members", n),
        "headquarters": lambda: ngettext("and %(num)d more ultimate parent",
                                         "and %(num)d more ultimate parents", n),
        "investor": lambda: ngettext("and %(num)d more investor", "and %(num)d more investors",
                                     n),
        "regulator": lambda: ngettext("and %(num)d more regulator",
                                      "and %(num)d more regulators", n),
        "forum": lambda: ngettext("and %(num)d more forum", "and %(num)d more forums", n),
    }
    return texts[key]()


def rung_title(key: str, as_of: str | None = None) -> str:
    """The rung's heading, following the date asked for: "People in those teams on 2018-06"."""
    title = RUNG_TITLES[key]
    if key == "person":
        title += f" on {as_of}" if as_of else " now"
    return title


def _rung(key: str, targets: list[dict[str, Any]], as_of: str | None = None) -> dict[str, Any]:
    return {"rung": key, "title": rung_title(key, as_of), "noun": RUNG_NOUNS[key][1],
            "noun_one": RUNG_NOUNS[key][0],
            "side": "ladder" if key in LADDER else "beside", "targets": targets}


def _team_rung(props: dict[str, Any]) -> str:
    function = props.get("function")
    if function == "local_office":
        return "local"
    if function in LEADERSHIP_FUNCTIONS:
        return "leadership"
    return "team"


def _ultimate_parents(chain: list[dict[str, Any]]) -> tuple[set[str], dict[str, str]]:
    """The ultimate parent behind each entry company: a company reached with no parent. When
    every company reached has one (a cycle, or a chain cut by max_hops), the farthest company
    reached stands for it (ties by id), with a note saying why."""
    tops: set[str] = set()
    notes: dict[str, str] = {}
    by_entry: dict[str, list[dict[str, Any]]] = {}
    for row in chain:
        by_entry.setdefault(row["entry"], []).append(row)
    for rows in by_entry.values():
        reached = {r["id"] for r in rows}
        no_parent = {r["id"] for r in rows if not r["parents"]}
        if no_parent:
            tops |= no_parent
            continue
        far = min(rows, key=lambda r: (-len(r["rels"]), r["id"]))
        tops.add(far["id"])
        if set(far["parents"]) <= reached:
            notes[far["id"]] = _("its ownership loops back (a cross-holding cycle), so no "
                                 "company above it was found")
        else:
            notes[far["id"]] = _("ownership continues above it, beyond the max_hops limit")
    return tops, notes


def _candidate(rung: str, route: str, path: tuple[list, list], target: dict[str, Any],
               props: dict[str, Any], team: dict[str, Any] | None = None) -> dict[str, Any]:
    nodes, rels = path
    return {"rung": rung, "route": route, "nodes": nodes, "rels": rels,
            "target": _node(target), "props": props, "team": team}


def _access(tx: Tx, organization: dict[str, Any] | None, candidates: list[dict[str, Any]],
            params: dict[str, Any]) -> dict[str, Any] | None:
    if organization is None:
        return None
    ids = sorted({c["target"]["id"] for c in candidates})
    row = tx.run("escalation.access", org=organization["id"], ids=ids, **params)[0]
    return {"forums": set(row["forums"]),
            "contacts": set(row["contacts"]),
            "shared": {s["id"]: s["via"] for s in sorted(row["shared"], key=lambda s: s["via"])},
            "inside": {s["id"]: s["via"] for s in sorted(row["contacts_inside"],
                                                        key=lambda s: s["via"])}}


def _engagements(tx: Tx, harm_id: str, candidates: list[dict[str, Any]],
                 params: dict[str, Any]) -> dict[str, Any]:
    """Per target: what was sent to it (any harm), as responsiveness stats, and the latest
    engagement about this harm with its state (graphapp.engagement)."""
    ids = sorted({c["target"]["id"] for c in candidates})
    rows = tx.run("engagement.target_engagements", ids=ids, harm=harm_id, as_of=params["as_of"],
                  include_sensitive=params["include_sensitive"])
    days, today = params["overdue_days"], engagement.evaluation_day(params["as_of"])
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row["engagement"])
    out: dict[str, Any] = {}
    for tid, engs in by_id.items():
        stats = engagement.stats(engs, days, today)
        about = [e for e in engs if e["about_harm"]]
        latest = None
        if about:
            e = about[-1]
            latest = {k: e.get(k) for k in ("id", "name", "kind", "date", "status",
                                            "response_date")}
            latest["state"] = engagement.state(e, days, today)
        out[tid] = {"stats": stats, "about_harm": latest}
    return out


def _relevance(c: dict[str, Any], ctx: dict[str, Any], details: dict[str, Any]
               ) -> dict[str, Any] | None:
    """A regulator's or forum's relevance to this harm (graphapp/relevance.py), from what the
    query returned with it: its jurisdiction countries and the overseen company's seat."""
    rung, props = c["rung"], c["props"]
    if rung not in ("regulator", "forum"):
        return None
    case = None
    if rung == "regulator":
        overseen = c["nodes"][-2]["id"] if len(c["nodes"]) > 1 else None
        case = relevance.jurisdiction_case(
            props["reach"], set(ctx["harm_countries"]),
            {iso for places in ctx["hq"].values() for iso in places}, ctx["markets"],
            props["seat"], props["seat_markets"],
            overseen_is_parent=c["route"] != "establishment" and overseen in ctx["tops"],
            seized=c["route"] == "seized")
    return relevance.assess("Regulator" if rung == "regulator" else "Forum", props.get("kind"),
                            props.get("mandates"), details.get("instrument"), ctx["harm_type"],
                            case)


def _and(names: list[str]) -> str:
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def _relevance_why(c: dict[str, Any], ctx: dict[str, Any], fit: dict[str, Any]) -> str:
    """What makes the body relevant, or not: where its jurisdiction lies, what its mandate
    covers ("It covers Myanmar, where the harm occurred; its mandate (...) covers incitement.")."""
    case, harm = fit["jurisdiction"], relevance.harm_words(ctx["harm_type"])
    here, reach = ctx["harm_countries"], c["props"].get("reach", set())
    seated = sorted(t for t, places in ctx["hq"].items() if reach & set(places))
    hq = _and(sorted({name for t in seated for iso, name in ctx["hq"][t].items()
                      if iso in reach}))
    top_names = _and([ctx["names"].get(t, t) for t in seated])
    covered = _and([here[i] for i in sorted(here) if i in c["props"].get("reach", ())])
    where = {
        "seized": lambda: _("The harm is already before it"),
        "harm_country": lambda: _("It covers %(places)s, where the harm occurred",
                                  places=covered),
        "establishment": lambda: _("It covers the seat of %(company)s, the group's company "
                                   "operating in %(places)s", company=c["nodes"][-2]["name"],
                                   places=_and([here[i] for i in sorted(here)])),
        "headquarters": lambda: ngettext(
            "It covers %(places)s, where %(companies)s has its headquarters",
            "It covers %(places)s, where %(companies)s have their headquarters", len(seated),
            places=hq, companies=top_names),
        "market": lambda: _("It covers a country where the product is available, not where "
                            "the harm occurred"),
        "elsewhere": lambda: _("It has no jurisdiction where the harm occurred or where the "
                               "company has its headquarters"),
        "unrecorded": lambda: _("Where it has jurisdiction is not recorded"),
    }
    says = fit["says"]
    if fit["mandate"] is None:
        what = _("its mandate is not recorded")
    elif not ctx["harm_type"]:
        what = _("its mandate is %(says)s", says=says)
    else:
        what = {"full": lambda: _("its mandate (%(says)s) covers %(harm)s", says=says,
                                  harm=harm),
                "partial": lambda: _("its mandate (%(says)s) reaches %(harm)s only in part",
                                     says=says, harm=harm),
                "none": lambda: _("its mandate (%(says)s) does not cover %(harm)s", says=says,
                                  harm=harm)}[fit["strength"]]()
    said = {"harm_jurisdiction": "harm_country", "hq_jurisdiction": "headquarters",
            "seized": "seized"}
    if case is None or said.get(c["route"]) == case:  # the first sentence said where already
        return what[0].upper() + what[1:] + "."
    return _("%(where)s; %(what)s.", where=where[case](), what=what)


def _responsiveness_of(candidate: dict[str, Any], engaged: dict[str, Any]
                       ) -> tuple[float | None, str | None]:
    """The target's response rate (answered / due), or None when nothing sent to it is due."""
    found = engaged.get(candidate["target"]["id"])
    if not found or found["stats"]["response_rate"] is None:
        return None, None
    s = found["stats"]
    person = "Person" in candidate["target"]["labels"]
    answered, due = s["answered"], s["due"]
    if due == 1:
        if person:
            said = (_("They answered the one engagement sent to them that is due.") if answered
                    else _("They have not answered the one engagement sent to them that is due."))
        else:
            said = (_("It answered the one engagement sent to it that is due.") if answered
                    else _("It has not answered the one engagement sent to it that is due."))
        return s["response_rate"], said
    if person:
        return s["response_rate"], _("They answered %(answered)s of the %(due)s engagements "
                                     "sent to them that are due.", answered=answered, due=due)
    return s["response_rate"], _("It answered %(answered)s of the %(due)s engagements sent to "
                                 "it that are due.", answered=answered, due=due)


def _access_of(candidate: dict[str, Any], organization: dict[str, Any] | None,
               access: dict[str, Any] | None) -> tuple[float | None, str | None]:
    if organization is None or access is None:
        return None, None
    tid, org_name = candidate["target"]["id"], organization["name"]
    if candidate["rung"] == "forum":
        if tid in access["forums"]:
            return 1.0, _("%(org)s sits there too.", org=org_name)
        return 0.0, _("%(org)s does not sit there.", org=org_name)
    if tid in access["contacts"]:
        return 1.0, _("%(org)s has a contact with them.", org=org_name)
    if tid in access["inside"]:
        return 0.5, _("%(org)s has a contact inside: %(who)s.", org=org_name,
                      who=access["inside"][tid])
    if tid in access["shared"]:
        return 0.5, _("%(org)s sits with them in %(where)s.", org=org_name,
                      where=access["shared"][tid])
    return 0.0, None


# Investor routes: (rels from the company to the target, of which the last ones are roles in an
# arrangement rather than stakes). docs/escalation.md, "Trusts and nominees".
INVESTOR_ROUTES = {"direct": (1, 0), "indirect": (2, 0), "arrangement": (2, 1),
                   "principal": (3, 2)}
ARRANGEMENT_LEVERAGE = {
    "trustee": _l("holds and votes the arrangement's shares"),
    "protector": _l("can veto the trustees' decisions or replace them"),
    "nominator": _l("instructs the nominee who holds the shares"),
}


def _undisclosed_reason(reason: str | None) -> str:
    from graphapp.io.bods_import import REASON_TEXT
    from graphapp.io.gleif import EXCEPTION_REASONS

    return REASON_TEXT.get(reason or "") or EXCEPTION_REASONS.get(reason or "", reason or "no "
                                                                   "reason given")


def _pct(rel: dict[str, Any], key: str) -> float | None:
    if rel["type"] == "CONTROLS":  # control: all the say, an economic interest unknown
        return 100.0 if key == "voting_pct" else None
    value = rel.get(key)
    if value is None and key == "economic_pct":
        value = rel.get("pct_min")
    return None if value is None else float(value)


def _look_through(rels: list[dict[str, Any]], key: str) -> float | None:
    """The product of the stakes along the chain (in %), or None when one is unknown."""
    share = 100.0
    for rel in rels:
        pct = _pct(rel, key)
        if pct is None:
            return None
        share = share * pct / 100.0
    return round(share, 2)


def _team_authority(team: dict[str, Any]) -> float:
    """A team's authority: by function, times its scope (leadership teams by function only)."""
    function = team.get("function")
    if function in LEADERSHIP_FUNCTIONS:
        return LEADERSHIP_AUTHORITY[function]
    return (TEAM_AUTHORITY.get(function, TEAM_AUTHORITY_OTHER)
            * SCOPE_FACTOR.get(team.get("scope"), SCOPE_FACTOR_UNKNOWN))


def _authority_leverage(c: dict[str, Any], hops: list[dict[str, Any]]
                        ) -> tuple[float, float, dict[str, Any]]:
    """Authority, leverage and the details that explain them, by rung and route."""
    rung, route, props, team = c["rung"], c["route"], c["props"], c["team"]
    last = c["rels"][-1] if c["rels"] else {}
    role = {"title": last.get("title"), "kind": last.get("kind")}
    if rung == "investor":
        # The stakes that give the leverage, and the rels after them (roles in an arrangement).
        first, after = INVESTOR_ROUTES[route]
        owner_rels = c["rels"][len(c["rels"]) - first:len(c["rels"]) - after]
        voting = _look_through(owner_rels, "voting_pct")
        economic = _look_through(owner_rels, "economic_pct")
        held = c["nodes"][-(first + 1)]
        details = {"voting_pct": voting, "economic_pct": economic, "_held": held["id"],
                   "investor_type": props.get("investor_type"),
                   "company": held.get("name") or held["id"],
                   "stakes": [{k: v for k, v in h["details"].items()
                               if k in ("voting_pct", "economic_pct", "pct_min", "pct_max",
                                        "share_class", "means")}
                              for h in hops[len(hops) - first:len(hops) - after]]}
        if after:  # a party to an arrangement: who it is party to, and in what role
            details["arrangement"] = c["nodes"][-2].get("name")
            details["role"] = c["rels"][-1].get("role")
            if route == "principal":
                details["nominee"] = c["nodes"][-3].get("name")
        if "Undisclosed" in (c["target"].get("labels") or []):
            details["undisclosed"] = _undisclosed_reason(props.get("reason"))
        return INVESTOR_AUTHORITY, stake_leverage(voting, economic), details
    if rung == "local":
        authority, leverage = FIXED["local"]
        return authority, leverage, role if team is not None or route == "representative" else {}
    if rung == "headquarters":
        authority, leverage = FIXED["headquarters"]
        return authority, leverage, {}
    if rung == "subsidiary":
        operates = bool(c["rels"]) and c["rels"][-1]["type"] == "OPERATES"
        authority, leverage = FIXED["subsidiary"]
        return (SUBSIDIARY_OPERATOR_AUTHORITY if operates else authority), leverage, {}
    if rung == "regulator":
        authority, leverage = FIXED[("regulator", route)]
        return authority, leverage, {"kind": props.get("kind"),
                                     "instrument": last.get("instrument")}
    if rung == "forum":
        authority, leverage = FIXED["forum"]
        return authority, leverage, {"kind": props.get("kind")}
    leading = rung == "leadership"
    if team is not None:  # a person in a team
        authority = _team_authority(team) * ROLE_FACTOR.get(role["kind"], ROLE_FACTOR_UNKNOWN)
        leverage = LEADERSHIP_LEVERAGE if leading else PERSON_LEVERAGE
        return authority, leverage, {**role, "team": team.get("name")}
    if route == "role":  # an executive or board member of the ultimate parent
        return (LEADERSHIP_AUTHORITY.get(role["kind"], LEADERSHIP_AUTHORITY["board"]),
                LEADERSHIP_LEVERAGE, role)
    details = {"function": props.get("function"), "scope": props.get("scope"),
               "company": ", ".join(props.get("company") or [])}
    return (_team_authority(props), LEADERSHIP_LEVERAGE if leading else TEAM_LEVERAGE,
            details)


def _target(c: dict[str, Any], ctx: dict[str, Any], organization: dict[str, Any] | None,
            access: dict[str, Any] | None, engaged: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    hops = hops_of(c["nodes"], c["rels"], ctx["hops"])
    authority, leverage, details = _authority_leverage(c, hops)
    access_value, access_why = _access_of(c, organization, access)
    responsive, responsive_why = _responsiveness_of(c, engaged or {})
    held = details.pop("_held", None)
    fit = _relevance(c, ctx, details)
    components = {"authority": round(authority, 3), "leverage": round(leverage, 3),
                  "distance": distance_component(len(hops)),
                  "evidence": evidence_component(hops), "access": access_value,
                  "responsiveness": responsive,
                  "relevance": fit["value"] if fit else None}
    if fit:
        details["relevance"] = {k: v for k, v in fit.items() if k != "value"}
    fits = [_relevance_why(c, ctx, fit)] if fit else []
    extras = [e for e in (*fits, access_why, responsive_why) if e]
    base = _why(c, ctx, hops, details)
    why = _sentences(base, extras)
    undated = sum(1 for h in hops if h["start_unknown"])
    caveat = None
    if undated and ctx["as_of"]:
        caveat = ngettext("Start unknown: %(num)d link on this path has no start date, so it "
                          "may not have held on %(date)s.",
                          "Start unknown: %(num)d links on this path have no start date, so "
                          "they may not have held on %(date)s.", undated, date=ctx["as_of"])
    team = c["team"] if c["team"] is not None else (c["props"] if c["rung"] == "team" else {})
    found = (engaged or {}).get(c["target"]["id"])
    target = {
        "rung": c["rung"], "route": c["route"], **c["target"],
        "score": score(components), "components": components, "why": why,
        "caveat": caveat,
        "details": {k: v for k, v in details.items() if v not in (None, "", [])},
        "hops": len(hops), "path": hops,
        "engagement": found["about_harm"] if found else None,
        "also": [], "decider": False, "_held": held, "_extras": extras,
        "_also_why": _sentences(base, fits),  # on another card: the access and answers are there
    }
    target["step"] = engagement.step_of_target({**target, "scope": team.get("scope")})
    target["evidence"] = _path_evidence(hops, ctx["on"])
    if details.get("undisclosed"):
        target["flags"] = [f"owners undisclosed: {details['undisclosed']}"]
    return target


def _path_evidence(hops: list[dict[str, Any]], on: str) -> dict[str, Any]:
    """A path is as strong as its weakest hop: its level, "rests on ..." words naming that hop,
    and how many hops are stale on the ladder's day. Each hop gets its own ``evidence``,
    ``evidence_words`` and ``stale`` once (hops are shared between paths; the values are the
    same for all of them)."""
    for hop in hops:
        if "evidence" not in hop:
            hop.update(evidence.annotate(hop, on=on))
    if not hops:
        return {"level": "primary", "rank": evidence.LEVEL_RANK["primary"],
                "words": "a direct link", "stale_hops": 0}
    weak = min(hops, key=lambda h: evidence.LEVEL_RANK[h["evidence"]])
    start, end = ((weak["from"], weak["to"]) if weak["direction"] == "out"
                  else (weak["to"], weak["from"]))
    return {"level": weak["evidence"], "rank": evidence.LEVEL_RANK[weak["evidence"]],
            # the hop in words ("Big Fund owns Parent Inc"), never a relationship type name
            "words": (f"{weak['evidence_words']} (weakest hop: {start['name']} "
                      f"{EDGE_WORDS.get(weak['type'], weak['type'].lower())} {end['name']})"),
            "stale_hops": sum(1 for h in hops if h["stale"])}


# A person who leads the ultimate parent: chief executive or chair (not vice chair).
LEADS = re.compile(r"\b(chief executive|ceo|(?<!vice )(?<!vice-)chair(man|woman|person)?)\b",
                   re.IGNORECASE)


def _one_card_each(targets: list[dict[str, Any]], ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """One card per node: every route that reached it is kept on the card (``also``: its other
    roles, stakes and paths), and the card stands in the rung where the node has the most
    authority (a chief executive who holds shares stands with the leadership).

    The real decider (a person holding a majority of the votes of an ultimate parent, directly
    or through look-through, who also leads it as chief executive or chair) is marked
    ``decider`` and tops the leadership rung whatever their responsiveness."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for t in targets:
        by_id.setdefault(t["id"], []).append(t)
    cards = []
    for entries in by_id.values():
        entries.sort(key=_sort_key)
        held = {id(t): t.pop("_held") for t in entries}
        also_why = {id(t): t.pop("_also_why") for t in entries}
        extras = {id(t): t.pop("_extras") for t in entries}
        controls = [t for t in entries if t["rung"] == "investor" and held[id(t)] in ctx["tops"]
                    and (t["details"].get("voting_pct") or 0) > 50]
        leads = [t for t in entries if t["rung"] == "leadership" and "Person" in t["labels"]
                 and LEADS.search(str(t["details"].get("title") or ""))]
        if controls and leads:
            card = leads[0]
            stake, title = controls[0]["details"], card["details"]["title"]
            card["decider"] = True
            card["details"] = {**card["details"], "voting_pct": stake.get("voting_pct"),
                               "economic_pct": stake.get("economic_pct")}
            card["why"] = _sentences(
                f"{card['name']} holds {stake['voting_pct']:g}% of the votes of "
                f"{stake['company']} and leads it as {title}: the real decider, whom no one "
                f"inside the company can overrule.", extras[id(card)])
        else:  # the rung of most authority; within it, the best-scoring route
            rung = max(entries, key=lambda t: (t["components"]["authority"], t["score"]))["rung"]
            card = next(t for t in entries if t["rung"] == rung)
        seen = {also_why[id(card)]}
        for t in entries:
            if t is card or also_why[id(t)] in seen:
                continue
            seen.add(also_why[id(t)])
            card["also"].append({**{k: t[k] for k in ("rung", "route", "caveat", "score",
                                                      "details", "hops", "path")},
                                 "why": also_why[id(t)]})
        cards.append(card)
    return cards


def _sentences(first: str, extras: list[str]) -> str:
    """Sentences joined, without the doubled full stop a name ending in "Inc." leaves."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", " ".join([first, *extras]))


def _rung_key(t: dict[str, Any]) -> tuple:
    """Within a rung: the real decider first, then the order of _sort_key."""
    return (not t["decider"], *_sort_key(t))


def _sort_key(t: dict[str, Any]) -> tuple:
    """Score first, then fewer hops, the ladder's order, the name and the id; between two paths
    to one target, OWNS before CONTROLS (it carries the stakes), then the node ids: no ties."""
    kinds = tuple(h["type"] != "OWNS" for h in t["path"])
    ids = tuple(h["to"]["id"] for h in t["path"])
    return (-t["score"], t["hops"], RUNG_ORDER[t["rung"]], t["name"].casefold(), t["id"], kinds,
            ids)


# --- why: one plain sentence per target ----------------------------------------------------------


def _pct_text(details: dict[str, Any]) -> str:
    """The stake in words, "20% of the votes and 25% of the economic interest"; "a stake of
    unknown size" when neither is recorded."""
    voting, economic = details.get("voting_pct"), details.get("economic_pct")
    if voting is None and economic is None:
        return _("a stake of unknown size")
    parts = []
    if voting is not None:
        parts.append(_("%(pct)s%% of the votes", pct=f"{voting:g}"))
    if economic is not None:
        parts.append(_("%(pct)s%% of the economic interest", pct=f"{economic:g}"))
    return _and(parts)


def _why(c: dict[str, Any], ctx: dict[str, Any], hops: list[dict[str, Any]],
         details: dict[str, Any]) -> str:
    """One plain sentence saying why the target is on the ladder, in the reader's language
    (English outside a request: the terminal's table, tests)."""
    rung, route, name = c["rung"], c["route"], c["target"]["name"]
    nodes = [_node(n) for n in c["nodes"]]
    product_names = [n["name"] for n in nodes if "Product" in n["labels"]]
    product = product_names[0] if product_names else None
    harm = ctx["start"]["name"]
    prev = nodes[-2]["name"] if len(nodes) > 1 else None
    title = details.get("title")
    role = f"{title}" if title else _("a member")
    if rung == "headquarters":
        tid = c["target"]["id"]
        hq = ctx["info"].get(tid, {}).get("hq_countries") or []
        where = _(" in %(places)s", places=", ".join(hq)) if hq else ""
        note = ctx["top_notes"].get(tid)
        note = f" ({note})" if note else ""
        if len(nodes) > 1 and "Company" in nodes[-2]["labels"]:
            if product:
                return _("%(name)s is the ultimate parent of %(company)s: decisions on "
                         "%(product)s are taken at its headquarters%(where)s%(note)s.",
                         name=name, company=nodes[-2]["name"], product=product, where=where,
                         note=note)
            return _("%(name)s is the ultimate parent of %(company)s: decisions on it are "
                     "taken at its headquarters%(where)s%(note)s.", name=name,
                     company=nodes[-2]["name"], where=where, note=note)
        if product:
            return _("%(name)s operates %(product)s and has no parent company: its "
                     "headquarters%(where)s is where the decision is taken%(note)s.",
                     name=name, product=product, where=where, note=note)
        return _("%(name)s is directly involved in the harm and has no parent company: its "
                 "headquarters%(where)s is where the decision is taken%(note)s.", name=name,
                 where=where, note=note)
    if rung == "subsidiary":
        top = ", ".join(ctx["names"].get(t, t) for t in sorted(ctx["tops"]))
        if c["rels"] and c["rels"][-1]["type"] == "OPERATES":
            return _("%(name)s operates %(product)s and answers to %(top)s, its ultimate parent; "
                     "it can act locally but the decision sits above it.", name=name,
                     product=product, top=top)
        return _("%(name)s controls %(company)s and answers to %(top)s, the ultimate parent.",
                 name=name, company=prev, top=top)
    if rung == "local":
        company = (c["props"].get("company") or [prev]) if route in ("office", "responsible") \
            else [prev]
        if route == "representative":
            return _("%(name)s represents %(company)s%(title)s: a first contact who can pass a "
                     "message on but rarely decides.", name=name, company=prev,
                     title=f" ({title})" if title else "")
        if route == "office_member":
            return _("%(name)s is %(role)s in %(office)s, a local office: a first contact who "
                     "can pass a message on but rarely decides.", name=name, role=role,
                     office=prev)
        return _("%(name)s is a local office of %(company)s: usually where advocates start; it "
                 "can pass a message on but rarely decides.", name=name,
                 company=", ".join(company))
    if rung == "team":
        if route == "responsible":
            area = hops[-1]["details"].get("area")
            return _("%(name)s is responsible for %(product)s%(area)s, so it decides how the "
                     "product handles %(harm)s.", name=name, product=product,
                     area=f" ({area})" if area else "", harm=harm)
        if route == "reports_to":
            return _("%(name)s oversees %(team)s, the team responsible for %(product)s; the "
                     "decision can be escalated to it.", name=name, team=prev, product=product)
        return _("%(name)s is the %(function)s team of %(company)s, the ultimate parent.",
                 name=name, function=str(c["props"].get("function", "")).replace("_", " "),
                 company=prev)
    if rung == "person":
        if product:
            return _("%(name)s is %(role)s in %(team)s, a team that decides on %(product)s.",
                     name=name, role=role, team=prev, product=product)
        return _("%(name)s is %(role)s in %(team)s, a team that takes decisions at "
                 "headquarters.", name=name, role=role, team=prev)
    if rung == "leadership":
        if route == "role":
            kind = details.get("kind")
            label = {"board": _("on the board"), "executive": _("an executive")}.get(
                kind, _("a leader"))
            return _("%(name)s is %(title)s%(label)s of %(company)s, the ultimate parent where "
                     "decisions are taken.", name=name, title=title + ", " if title else "",
                     label=label, company=prev)
        if route == "team_member":
            return _("%(name)s is %(role)s in %(team)s, which leads the ultimate parent.",
                     name=name, role=role, team=prev)
        return _("%(name)s leads %(company)s.", name=name,
                 company=", ".join(c["props"].get("company") or [prev]).rstrip("."))
    if rung == "investor":
        held_company = details["company"]
        stake = _pct_text(details)
        if details.get("undisclosed"):
            return _("%(company)s's owners are not disclosed (%(reason)s): %(stake)s held by a "
                     "party the register does not name; ask %(company)s and its regulator who "
                     "it is.", company=held_company, reason=details["undisclosed"], stake=stake)
        if route == "arrangement":
            role = details.get("role")
            return _("%(name)s is %(role)s of %(arrangement)s, which holds %(stake)s of "
                     "%(company)s: a %(role)s %(power)s.", name=name, role=role,
                     arrangement=details["arrangement"], stake=stake, company=held_company,
                     power=ARRANGEMENT_LEVERAGE.get(role) or _("acts for the arrangement"))
        if route == "principal":
            return _("%(name)s is the principal behind %(nominee)s, who holds %(stake)s of "
                     "%(company)s as nominee (%(arrangement)s): the nominee acts on %(name)s's "
                     "instructions.", name=name, nominee=details["nominee"], stake=stake,
                     company=held_company, arrangement=details["arrangement"])
        if route == "indirect":
            return _("%(name)s holds %(holder)s, which holds a stake in %(company)s: about "
                     "%(stake)s through the chain, and a say at its meetings.", name=name,
                     holder=prev, company=held_company, stake=stake)
        if c["rels"][-1]["type"] == "HOLDS_INDIRECTLY":
            return _("%(name)s holds %(stake)s of %(company)s indirectly, as the register "
                     "declares (the intermediaries need not be recorded here), and so has a say "
                     "at its meetings.", name=name, stake=stake, company=held_company)
        if c["rels"][-1]["type"] == "CONTROLS":
            means = c["rels"][-1].get("means")
            return _("%(name)s controls %(company)s%(means)s.", name=name, company=held_company,
                     means=f" ({means})" if means else "")
        return _("%(name)s holds %(stake)s of %(company)s, which has to answer to its "
                 "shareholders.", name=name, stake=stake, company=held_company)
    if rung == "regulator":
        if route == "oversees":
            instrument = details.get("instrument")
            power = (_("can publicly call it to account")
                     if details.get("kind") in SOFT_REGULATORS else _("can compel it to act"))
            return _("%(name)s oversees %(company)s%(instrument)s and %(power)s.", name=name,
                     company=prev, power=power,
                     instrument=_(" under %(instrument)s", instrument=instrument)
                     if instrument else "")
        if route == "seized":
            return _("%(name)s already has this harm before it: %(case)s.", name=name, case=prev)
        if route == "establishment":
            instrument = details.get("instrument")
            return _("%(name)s oversees %(company)s, a subsidiary of %(parent)s, "
                     "%(instrument)sand can compel it to act.", name=name, company=prev,
                     parent=nodes[-3]["name"],
                     instrument=_("under %(instrument)s, ", instrument=instrument)
                     if instrument else "")
        if route == "hq_jurisdiction":
            return _("%(name)s has jurisdiction over %(country)s, where %(company)s has its "
                     "headquarters.", name=name, country=prev, company=nodes[-3]["name"])
        return _("%(name)s has jurisdiction over %(country)s, where the harm occurred.",
                 name=name, country=prev)
    kind = str(c["props"].get("kind") or "forum").replace("_", " ")
    return _("%(member)s sits in %(name)s (%(kind)s), where peers and stakeholders can raise the "
             "harm with it.", member=prev, name=name, kind=_a(kind))


def _a(noun: str) -> str:
    """"a coalition", "an initiative" (a language without articles here translates both as the
    noun alone)."""
    if noun[:1].lower() in "aeiou":
        return _("an %(noun)s", noun=noun)
    return _("a %(noun)s", noun=noun)


@for_reader
def list_harms(graph: Graph, limit: int = 50,
               include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Documented harms, most severe first (for the home page)."""
    return graph.read("escalation.harms", limit=limit, include_sensitive=include_sensitive)


def ladder_table(result: dict[str, Any]) -> str:
    """The ladder as a plain-text table: one section per rung, one row per target."""
    f = result["filters"]
    when = f"today ({f['evaluated_on']})" if f["current"] else f["as_of"]
    lines = [f"Escalation from {result['start']['name']} ({result['start']['id']}), as of {when}, "
             f"evidence at least {f['min_confidence']}"
             + (f" and {f['min_evidence']}" if f["min_evidence"] != "none" else "")
             + f", at most {f['max_hops']} hops"]
    if result["no_path"] or result["message"]:
        lines.append(result["message"])
    if result["no_path"]:
        return "\n".join(lines)
    lines.append(f"{result['count']} of {result['total']} targets")
    header = f"{'#':>4}  {'score':>5}  {'hops':>4}  {'target':<32}  why"
    for rung in result["rungs"]:
        if not rung["targets"]:
            continue
        side = "" if rung["side"] == "ladder" else "  (beside the ladder)"
        lines += ["", f"== {rung['title']}{side}", header]
        for t in rung["targets"]:
            name = f"{t['name']} [{t['id']}]"
            name = name if len(name) <= 32 else name[:31] + "…"
            stale = (f" [{t['evidence']['stale_hops']} stale hop(s)]"
                     if t["evidence"]["stale_hops"] else "")
            why = f"{t['why']} {t['caveat']}" if t["caveat"] else t["why"]
            lines.append(f"{t['rank']:>4}  {t['score']:>5.3f}  {t['hops']:>4}  {name:<32}  "
                         f"{why}{stale}")
            lines += [f"{'':>4}  {'':>5}  {'':>4}  {'':<32}  also: {a['why']}" for a in t["also"]]
    return "\n".join(lines)


# --- the diagram's subgraph --------------------------------------------------------------------


def subgraph(result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes and hops of every target's path, each once (for the diagram)."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    rung_of: dict[str, str] = {}
    nodes[result["start"]["id"]] = {**result["start"], "rung": "start"}
    for rung in result["rungs"]:
        for t in rung["targets"]:
            rung_of.setdefault(t["id"], rung["rung"])
            for hop in t["path"]:
                for end in (hop["from"], hop["to"]):
                    nodes.setdefault(end["id"], {**end, "rung": None})
                start, stop = ((hop["from"], hop["to"]) if hop["direction"] == "out"
                               else (hop["to"], hop["from"]))
                edges.setdefault((start["id"], hop["type"], stop["id"]),
                                 {"from": start["id"], "to": stop["id"], "type": hop["type"],
                                  "label": hop["edge_label"],
                                  "confidence": hop["confidence"], "sources": hop["sources"],
                                  "start_date": hop["start_date"], "end_date": hop["end_date"]})
    for node_id, rung in rung_of.items():
        if node_id in nodes and nodes[node_id]["rung"] is None:
            nodes[node_id]["rung"] = rung
    return list(nodes.values()), list(edges.values())
