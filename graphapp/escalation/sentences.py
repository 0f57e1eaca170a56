"""Why a target: one plain sentence per target, in the advocates' words, from its rung, its
route and the path that reached it ("Meta Platforms, Inc. is the ultimate parent of ...").
The sentences say only what the path shows, so a sensitive node left out of the path never
reaches them."""

from __future__ import annotations

import re
from typing import Any

from graphapp import relevance
from graphapp.escalation.paths import node

# Regulators that hold companies to account in public rather than by binding orders.
SOFT_REGULATORS = ("un_mechanism", "regional_human_rights_body", "oecd_ncp")

ARRANGEMENT_LEVERAGE = {
    "trustee": "holds and votes the arrangement's shares",
    "protector": "can veto the trustees' decisions or replace them",
    "nominator": "instructs the nominee who holds the shares",
}


def _and(names: list[str]) -> str:
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def relevance_why(c: dict[str, Any], ctx: dict[str, Any], fit: dict[str, Any]) -> str:
    """What makes the body relevant, or not: where its jurisdiction lies, what its mandate
    covers ("It covers Myanmar, where the harm occurred; its mandate (...) covers incitement.")."""
    case, harm = fit["jurisdiction"], relevance.harm_words(ctx["harm_type"])
    here, reach = ctx["harm_countries"], c["props"].get("reach", set())
    seated = sorted(t for t, places in ctx["hq"].items() if reach & set(places))
    hq = _and(sorted({name for t in seated for iso, name in ctx["hq"][t].items()
                      if iso in reach}))
    top_names = _and([ctx["names"].get(t, t) for t in seated])
    have = "have their" if len(seated) > 1 else "has its"
    covered = _and([here[i] for i in sorted(here) if i in c["props"].get("reach", ())])
    where = {
        "seized": lambda: "The harm is already before it",
        "harm_country": lambda: f"It covers {covered}, where the harm occurred",
        "establishment": lambda: (f"It covers the seat of {c['nodes'][-2]['name']}, the group's "
                                  f"company operating in {_and([here[i] for i in sorted(here)])}"),
        "headquarters": lambda: f"It covers {hq}, where {top_names} {have} headquarters",
        "market": lambda: ("It covers a country where the product is available, not where the "
                           "harm occurred"),
        "elsewhere": lambda: ("It has no jurisdiction where the harm occurred or where the "
                              "company has its headquarters"),
        "unrecorded": lambda: "Where it has jurisdiction is not recorded",
    }
    says = fit["says"]
    if fit["mandate"] is None:
        what = "its mandate is not recorded"
    elif not ctx["harm_type"]:
        what = f"its mandate is {says}"
    else:
        what = {"full": f"its mandate ({says}) covers {harm}",
                "partial": f"its mandate ({says}) reaches {harm} only in part",
                "none": f"its mandate ({says}) does not cover {harm}"}[fit["strength"]]
    said = {"harm_jurisdiction": "harm_country", "hq_jurisdiction": "headquarters",
            "seized": "seized"}
    if case is None or said.get(c["route"]) == case:  # the first sentence said where already
        return what[0].upper() + what[1:] + "."
    return f"{where[case]()}; {what}."


def joined(first: str, extras: list[str]) -> str:
    """Sentences joined, without the doubled full stop a name ending in "Inc." leaves."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", " ".join([first, *extras]))


def decider_why(name: str, stake: dict[str, Any], title: str, extras: list[str]) -> str:
    """The real decider's sentence: a majority of the votes and the lead of the ultimate
    parent."""
    return joined(
        f"{name} holds {stake['voting_pct']:g}% of the votes of "
        f"{stake['company']} and leads it as {title}: the real decider, whom no one "
        f"inside the company can overrule.", extras)


def _pct_text(details: dict[str, Any]) -> str:
    voting, economic = details.get("voting_pct"), details.get("economic_pct")
    if voting is None and economic is None:
        return "a stake of unknown size in"
    parts = []
    if voting is not None:
        parts.append(f"{voting:g}% of the votes")
    if economic is not None:
        parts.append(f"{economic:g}% of the economic interest")
    return " and ".join(parts)


def why(c: dict[str, Any], ctx: dict[str, Any], hops: list[dict[str, Any]],
        details: dict[str, Any]) -> str:
    """What the target is to the harm, by its rung and the route that reached it."""
    rung, route, name = c["rung"], c["route"], c["target"]["name"]
    nodes = [node(n) for n in c["nodes"]]
    product_names = [n["name"] for n in nodes if "Product" in n["labels"]]
    product = product_names[0] if product_names else None
    harm = ctx["start"]["name"]
    prev = nodes[-2]["name"] if len(nodes) > 1 else None
    title = details.get("title")
    role = f"{title}" if title else "a member"
    if rung == "headquarters":
        tid = c["target"]["id"]
        hq = ctx["info"].get(tid, {}).get("hq_countries") or []
        where = f" in {', '.join(hq)}" if hq else ""
        note = ctx["top_notes"].get(tid)
        note = f" ({note})" if note else ""
        if len(nodes) > 1 and "Company" in nodes[-2]["labels"]:
            return (f"{name} is the ultimate parent of {nodes[-2]['name']}: decisions on "
                    f"{product or 'it'} are taken at its headquarters{where}{note}.")
        subject = f"operates {product}" if product else "is directly involved in the harm"
        return (f"{name} {subject} and has no parent company: its headquarters{where} "
                f"is where the decision is taken{note}.")
    if rung == "subsidiary":
        top = ", ".join(ctx["names"].get(t, t) for t in sorted(ctx["tops"]))
        if c["rels"] and c["rels"][-1]["type"] == "OPERATES":
            return (f"{name} operates {product} and answers to {top}, its ultimate parent; "
                    f"it can act locally but the decision sits above it.")
        return f"{name} controls {prev} and answers to {top}, the ultimate parent."
    if rung == "local":
        company = (c["props"].get("company") or [prev]) if route in ("office", "responsible") \
            else [prev]
        if route == "representative":
            return (f"{name} represents {prev}{f' ({title})' if title else ''}: a first "
                    f"contact who can pass a message on but rarely decides.")
        if route == "office_member":
            return (f"{name} is {role} in {prev}, a local office: a first contact who can pass "
                    f"a message on but rarely decides.")
        return (f"{name} is a local office of {', '.join(company)}: usually where advocates "
                f"start; it can pass a message on but rarely decides.")
    if rung == "team":
        if route == "responsible":
            area = hops[-1]["details"].get("area")
            return (f"{name} is responsible for {product}{f' ({area})' if area else ''}, so it "
                    f"decides how the product handles {harm}.")
        if route == "reports_to":
            return (f"{name} oversees {prev}, the team responsible for {product}; the decision "
                    f"can be escalated to it.")
        return (f"{name} is the {str(c['props'].get('function', '')).replace('_', ' ')} team "
                f"of {prev}, the ultimate parent.")
    if rung == "person":
        what = f"decides on {product}" if product else "takes decisions at headquarters"
        return f"{name} is {role} in {prev}, a team that {what}."
    if rung == "leadership":
        if route == "role":
            kind = details.get("kind")
            label = {"board": "on the board", "executive": "an executive"}.get(kind, "a leader")
            return (f"{name} is {title + ', ' if title else ''}{label} of {prev}, the ultimate "
                    f"parent where decisions are taken.")
        if route == "team_member":
            return f"{name} is {role} in {prev}, which leads the ultimate parent."
        return f"{name} leads {', '.join(c['props'].get('company') or [prev]).rstrip('.')}."
    if rung == "investor":
        held_company = details["company"]
        if details.get("undisclosed"):
            return (f"{held_company}'s owners are not disclosed ({details['undisclosed']}): "
                    f"{_pct_text(details)} held by a party the register does not name; ask "
                    f"{held_company} and its regulator who it is.")
        if route == "arrangement":
            role = details.get("role")
            return (f"{name} is {role} of {details['arrangement']}, which holds "
                    f"{_pct_text(details)} of {held_company}: a {role} "
                    f"{ARRANGEMENT_LEVERAGE.get(role, 'acts for the arrangement')}.")
        if route == "principal":
            return (f"{name} is the principal behind {details['nominee']}, who holds "
                    f"{_pct_text(details)} of {held_company} as nominee "
                    f"({details['arrangement']}): the nominee acts on {name}'s instructions.")
        if route == "indirect":
            return (f"{name} holds {prev}, which holds a stake in {held_company}: about "
                    f"{_pct_text(details)} through the chain, and a say at its meetings.")
        if c["rels"][-1]["type"] == "HOLDS_INDIRECTLY":
            return (f"{name} holds {_pct_text(details)} of {held_company} indirectly, as the "
                    f"register declares (the intermediaries need not be recorded here), and so "
                    f"has a say at its meetings.")
        if c["rels"][-1]["type"] == "CONTROLS":
            means = c["rels"][-1].get("means")
            return f"{name} controls {held_company}{f' ({means})' if means else ''}."
        stake = _pct_text(details)
        return (f"{name} holds {stake}{'' if stake.endswith(' in') else ' of'} {held_company}, "
                f"which has to answer to its shareholders.")
    if rung == "regulator":
        if route == "oversees":
            instrument = details.get("instrument")
            power = ("can publicly call it to account" if details.get("kind") in SOFT_REGULATORS
                     else "can compel it to act")
            return (f"{name} oversees {prev}{f' under {instrument}' if instrument else ''} "
                    f"and {power}.")
        if route == "seized":
            return f"{name} already has this harm before it: {prev}."
        if route == "establishment":
            instrument = details.get("instrument")
            return (f"{name} oversees {prev}, a subsidiary of {nodes[-3]['name']}, "
                    f"{f'under {instrument}, ' if instrument else ''}and can compel it to act.")
        if route == "hq_jurisdiction":
            return (f"{name} has jurisdiction over {prev}, where {nodes[-3]['name']} has its "
                    f"headquarters.")
        return f"{name} has jurisdiction over {prev}, where the harm occurred."
    kind = str(c["props"].get("kind") or "forum").replace("_", " ")
    return (f"{prev} sits in {name} ({_a(kind)}), where peers and stakeholders can raise the "
            f"harm with it.")


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
