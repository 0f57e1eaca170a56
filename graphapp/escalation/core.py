"""The escalation ladder: from a documented harm up to the people who decide and those who
fund them.

``escalate(graph, harm_id, ...)`` answers, in one read transaction, with ranked targets grouped
by rung: local representatives and offices, the companies on the way, the teams that decide on
the product and the people in them, the executives and board of the ultimate parent, the
ultimate parent itself, the investors behind every company on the way, and beside the ladder
the regulators and forums. Every target carries its path (each hop with its evidence), a score
with its components (:mod:`.scoring`) and one sentence saying why (:mod:`.sentences`). The
scoring is documented in ``docs/escalation.md``; the traversal lives in
``cypher/escalation.cypher``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from graphapp import engagement, errors, evidence
from graphapp.errors import NotFound
from graphapp.escalation import paths, scoring, sentences
from graphapp.i18n import gettext as _
from graphapp.i18n import ngettext
from graphapp.store import model
from graphapp.store.db import Graph, Tx, for_reader
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
STARTS = ("Harm", "Product", "Company", "Team")


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


@functools.cache
def _options_schema() -> EscalationOptions:
    """One schema for every ladder: building a marshmallow schema costs more than loading."""
    return EscalationOptions(only=FILTERS)


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
    opts = errors.load(_options_schema(), given)
    wanted = [k.strip() for raw in (opts["kinds"] or []) for k in raw.split(",") if k.strip()]
    return {"as_of": opts["as_of"], "min_confidence": opts["min_confidence"],
            "min_evidence": evidence.check_level(opts["min_evidence"]),
            "kinds": [k for k in RUNGS if k in wanted] if wanted else list(RUNGS),
            "max_hops": opts["max_hops"], "limit": opts["limit"]}


# --- the paths to each target ---------------------------------------------------------------------


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
    start = paths.node(origin["start"])
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
           "markets": {iso for p in origin["products"] for iso in p.get("markets") or []},
           "stale_months": evidence.configured_months()}
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
        if route in scoring.INVESTOR_ROUTES:
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
    for target in targets:
        del target["_sort"]
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
    if function in scoring.LEADERSHIP_FUNCTIONS:
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
            "target": paths.node(target), "props": props, "team": team}


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


def _target(c: dict[str, Any], ctx: dict[str, Any], organization: dict[str, Any] | None,
            access: dict[str, Any] | None, engaged: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    hops = paths.hops_of(c["nodes"], c["rels"], ctx["hops"])
    authority, leverage, details = scoring.authority_leverage(c, hops)
    access_value, access_why = scoring.access_of(c, organization, access)
    responsive, responsive_why = scoring.responsiveness_of(c, engaged or {})
    held = details.pop("_held", None)
    fit = scoring.relevance_fit(c, ctx, details)
    components = {"authority": round(authority, 3), "leverage": round(leverage, 3),
                  "distance": scoring.distance_component(len(hops)),
                  "evidence": scoring.evidence_component(hops), "access": access_value,
                  "responsiveness": responsive,
                  "relevance": fit["value"] if fit else None}
    if fit:
        details["relevance"] = {k: v for k, v in fit.items() if k != "value"}
    fits = [w for w in ([sentences.relevance_why(c, ctx, fit)] if fit else []) if w]
    extras = [e for e in (*fits, access_why, responsive_why) if e]
    base = sentences.why(c, ctx, hops, details)
    why = sentences.joined(base, extras)
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
        "score": scoring.score(components), "components": components, "why": why,
        "caveat": caveat,
        "details": {k: v for k, v in details.items() if v not in (None, "", [])},
        "hops": len(hops), "path": hops,
        "engagement": found["about_harm"] if found else None,
        "also": [], "decider": False, "_held": held, "_extras": extras,
        # on another card: the access and answers are there
        "_also_why": sentences.joined(base, fits),
    }
    target["step"] = engagement.step_of_target({**target, "scope": team.get("scope")})
    target["_sort"] = _sort_key(target)
    target["evidence"] = scoring.path_evidence(hops, ctx["on"], ctx["stale_months"])
    if details.get("undisclosed"):
        # GLEIF's reporting exceptions are parents not reported (CONTROLS), BODS's owners
        gap = "parent not reported" if c["rels"] and c["rels"][-1]["type"] == "CONTROLS" \
            else "owners undisclosed"
        target["flags"] = [f"{gap}: {details['undisclosed']}"]
    return target


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
            card["why"] = sentences.decider_why(card["name"], stake, title, extras[id(card)])
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


def _rung_key(t: dict[str, Any]) -> tuple:
    """Within a rung: the real decider first, then the order of _sort_key."""
    return (not t["decider"], *_sort_key(t))


def _sort_key(t: dict[str, Any]) -> tuple:
    """Score first, then fewer hops, the ladder's order, the name and the id; between two paths
    to one target, OWNS before CONTROLS (it carries the stakes), then the node ids: no ties.
    Worked out once a target (``_sort``, dropped before the answer): a ladder sorts three times."""
    if "_sort" in t:
        return t["_sort"]
    kinds = tuple(h["type"] != "OWNS" for h in t["path"])
    ids = tuple(h["to"]["id"] for h in t["path"])
    return (-t["score"], t["hops"], RUNG_ORDER[t["rung"]], t["name"].casefold(), t["id"], kinds,
            ids)


@for_reader
def list_harms(graph: Graph, limit: int = 50,
               include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Documented harms, most severe first (for the home page)."""
    return graph.read("escalation.harms", limit=limit, include_sensitive=include_sensitive)



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
