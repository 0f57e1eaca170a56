"""The escalation's score: a weighted mean of authority, leverage, evidence, distance, access,
responsiveness and relevance, each between 0 and 1 (docs/escalation.md explains every number).
Access and responsiveness come with the sentence that says what they rest on, since one branch
decides both."""

from __future__ import annotations

import math
from typing import Any

from graphapp import evidence, relevance
from graphapp.escalation.paths import EDGE_WORDS
from graphapp.i18n import gettext as _
from graphapp.io.bods_import import REASON_TEXT
from graphapp.io.gleif import EXCEPTION_REASONS
from graphapp.store import model

LEADERSHIP_FUNCTIONS = ("board", "executive")

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


def relevance_fit(c: dict[str, Any], ctx: dict[str, Any], details: dict[str, Any]
               ) -> dict[str, Any] | None:
    """A regulator's or forum's relevance to this harm (graphapp/relevance.py), from what the
    query returned with it: its jurisdiction countries and the overseen company's seat."""
    rung, props = c["rung"], c["props"]
    if rung in ("team", "person"):
        return team_relevance(c, ctx)
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


def team_relevance(c: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any] | None:
    """A team's (or its member's) relevance to this harm: its remit by function, and whether it
    works where the harm occurred (graphapp/relevance.yaml). The privacy team does not decide
    on incitement; the Myanmar team does, for a harm in Myanmar. Unknown without a harm type."""
    team = c["props"] if c["rung"] == "team" else c["team"]
    if not team or not ctx["harm_type"] or team.get("function") in LEADERSHIP_FUNCTIONS:
        return None
    # the team's own words: its name, description and the area it is responsible for (not
    # the area of a team it oversees, further down the path)
    nodes, rels = c["nodes"], c["rels"]
    team_id = c["target"]["id"] if c["rung"] == "team" else nodes[-2]["id"]  # person: via team
    areas = [r.get("area") for i, r in enumerate(rels) if r.get("type") == "RESPONSIBLE_FOR"
             and team_id in (nodes[i]["id"], nodes[i + 1]["id"])]
    place, named = relevance.team_place([team.get("name"), team.get("description"), *areas],
                                        ctx["harm_countries"], team.get("scope"))
    return {**relevance.assess_team(team.get("function"), ctx["harm_type"], place),
            "names": named}


def responsiveness_of(candidate: dict[str, Any], engaged: dict[str, Any]
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


def access_of(candidate: dict[str, Any], organization: dict[str, Any] | None,
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


def _undisclosed_reason(reason: str | None) -> str:
    """Why a register names no owner, in its words (BODS or GLEIF reason codes)."""
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


def authority_leverage(c: dict[str, Any], hops: list[dict[str, Any]]
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


def path_evidence(hops: list[dict[str, Any]], on: str,
                  months: int | None = None) -> dict[str, Any]:
    """A path is as strong as its weakest hop: its level, "rests on ..." words naming that hop,
    and how many hops are stale on the ladder's day. Each hop gets its own ``evidence``,
    ``evidence_words`` and ``stale`` once (hops are shared between paths; the values are the
    same for all of them)."""
    for hop in hops:
        if "evidence" not in hop:
            months = months or evidence.configured_months()
            hop.update(evidence.annotate(hop, on=on, months=months))
    if not hops:
        return {"level": "primary", "rank": evidence.LEVEL_RANK["primary"],
                "words": _("a direct link"), "stale_hops": 0}
    weak = min(hops, key=lambda h: evidence.LEVEL_RANK[h["evidence"]])
    start, end = ((weak["from"], weak["to"]) if weak["direction"] == "out"
                  else (weak["to"], weak["from"]))
    verb = HOP_VERBS.get(weak["type"])
    return {"level": weak["evidence"], "rank": evidence.LEVEL_RANK[weak["evidence"]],
            # the hop in words ("Big Fund owns Parent Inc"), never a relationship type name
            "words": _("%(evidence)s (weakest hop: %(start)s %(verb)s %(end)s)",
                       evidence=weak["evidence_words"], start=start["name"],
                       verb=str(verb) if verb else weak["type"].lower().replace("_", " "),
                       end=end["name"]),
            "stale_hops": sum(1 for h in hops if h["stale"])}


# The weakest hop's verb, read in the direction its relationship points, in the reader's
# language ("Big Fund owns Parent Inc"): the edge labels' words.
HOP_VERBS = EDGE_WORDS
