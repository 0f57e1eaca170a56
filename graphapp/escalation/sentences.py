"""Why a target: one plain sentence per target, in the advocates' words and the reader's
language, from its rung, its route and the path that reached it ("Meta Platforms, Inc. is the
ultimate parent of ..."). The sentences say only what the path shows, so a sensitive node left
out of the path never reaches them."""

from __future__ import annotations

import re
from typing import Any

from graphapp import relevance
from graphapp.escalation.paths import node
from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.i18n import ngettext

# Regulators that hold companies to account in public rather than by binding orders.
SOFT_REGULATORS = ("un_mechanism", "regional_human_rights_body", "oecd_ncp")

ARRANGEMENT_LEVERAGE = {
    "trustee": _l("holds and votes the arrangement's shares"),
    "protector": _l("can veto the trustees' decisions or replace them"),
    "nominator": _l("instructs the nominee who holds the shares"),
}
# The same, for an arrangement that controls without shares (a nomination's board seat).
ARRANGEMENT_CONTROL = {
    "trustee": _l("exercises the arrangement's rights"),
    "protector": _l("can veto the trustees' decisions or replace them"),
    "nominator": _l("instructs the nominee who exercises them"),
}


def own_words(words: str | None) -> str:
    """Words of the project's own tables (relevance.yaml's remits and harm words, the team
    functions) in the reader's language: they are interface vocabulary, not data, and the
    catalogues hold them (tests/test_experience.py checks each one is translated)."""
    return _(words) if words else ""


def _and(names: list[str]) -> str:
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def team_relevance_why(c: dict[str, Any], ctx: dict[str, Any], fit: dict[str, Any]) -> str:
    """What the team's remit covers, said only when it matters: a remit that does not cover
    the harm, or a team that works in the harm's country ("Its remit (...) does not cover
    incitement."). A full remit goes without saying: the sentence before says it decides."""
    harm, says = own_words(relevance.harm_words(ctx["harm_type"])), own_words(fit["says"])
    team = c["rung"] == "team"
    sentences = []
    if fit["jurisdiction"] == "names_harm_country":
        places = _and(fit["names"])
        sentences.append(_("It works on %(places)s, where the harm occurred.", places=places)
                         if team else
                         _("The team works on %(places)s, where the harm occurred.",
                           places=places))
    if fit["mandate"] is None:
        sentences.append(_("Its remit is not recorded.") if team
                         else _("The team's remit is not recorded."))
    elif fit["strength"] == "partial":
        sentences.append(
            _("Its remit (%(says)s) reaches %(harm)s only in part.", says=says, harm=harm)
            if team else
            _("The team's remit (%(says)s) reaches %(harm)s only in part.", says=says, harm=harm))
    elif fit["strength"] == "none":
        sentences.append(
            _("Its remit (%(says)s) does not cover %(harm)s.", says=says, harm=harm) if team
            else _("The team's remit (%(says)s) does not cover %(harm)s.", says=says, harm=harm))
    return " ".join(sentences)


def relevance_why(c: dict[str, Any], ctx: dict[str, Any], fit: dict[str, Any]) -> str:
    """What makes the body relevant, or not: where its jurisdiction lies, what its mandate
    covers ("It covers Myanmar, where the harm occurred; its mandate (...) covers incitement.")."""
    case, harm = fit["jurisdiction"], own_words(relevance.harm_words(ctx["harm_type"]))
    if c["rung"] in ("team", "person"):
        return team_relevance_why(c, ctx, fit)
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
    says = own_words(fit["says"])
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


def joined(first: str, extras: list[str]) -> str:
    """Sentences joined, without the doubled full stop a name ending in "Inc." leaves."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", " ".join([first, *extras]))


def decider_why(name: str, stake: dict[str, Any], title: str, extras: list[str]) -> str:
    """The real decider's sentence: a majority of the votes and the lead of the ultimate
    parent."""
    return joined(
        _("%(name)s holds %(pct)s%% of the votes of %(company)s and leads it as %(title)s: the "
          "real decider, whom no one inside the company can overrule.", name=name,
          pct=f"{stake['voting_pct']:g}", company=stake["company"], title=title), extras)


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


def why(c: dict[str, Any], ctx: dict[str, Any], hops: list[dict[str, Any]],
        details: dict[str, Any]) -> str:
    """One plain sentence saying why the target is on the ladder, in the reader's language
    (English outside a request: the terminal's table, tests)."""
    rung, route, name = c["rung"], c["route"], c["target"]["name"]
    nodes = [node(n) for n in c["nodes"]]
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
            if (details.get("relevance") or {}).get("strength") == "none":
                # its remit does not cover the harm (the next sentence says so): no "decides"
                return _("%(name)s is responsible for %(product)s%(area)s.", name=name,
                         product=product, area=f" ({area})" if area else "")
            return _("%(name)s is responsible for %(product)s%(area)s, so it decides how the "
                     "product handles %(harm)s.", name=name, product=product,
                     area=f" ({area})" if area else "", harm=harm)
        if route == "reports_to":
            return _("%(name)s oversees %(team)s, the team responsible for %(product)s; the "
                     "decision can be escalated to it.", name=name, team=prev, product=product)
        return _("%(name)s is the %(function)s team of %(company)s, the ultimate parent.",
                 name=name,
                 function=own_words(str(c["props"].get("function", "")).replace("_", " ")),
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
        last = c["rels"][-1] if c["rels"] else {}
        if details.get("undisclosed") and last.get("type") == "CONTROLS":
            # a parent not reported (GLEIF): who controls the company is the gap, not a stake
            return _("%(company)s does not report its controlling parent (%(reason)s): ask "
                     "%(company)s and its regulator who controls it.", company=held_company,
                     reason=details["undisclosed"])
        if details.get("undisclosed"):
            return _("%(company)s's owners are not disclosed (%(reason)s): %(stake)s held by a "
                     "party the register does not name; ask %(company)s and its regulator who "
                     "it is.", company=held_company, reason=details["undisclosed"], stake=stake)
        # an arrangement (or a nominee) that controls without shares: a board seat, a right.
        # Its hop into the company: before the role (arrangement), or the two roles (principal).
        held_by = {"arrangement": -2, "principal": -3}.get(route)
        control = c["rels"][held_by] if held_by and len(c["rels"]) >= -held_by \
            and c["rels"][held_by]["type"] == "CONTROLS" else None
        means = f" ({control['means']})" if control and control.get("means") else ""
        if route == "arrangement" and control:
            role = details.get("role")
            return _("%(name)s is %(role)s of %(arrangement)s, which controls %(company)s"
                     "%(means)s: a %(role)s %(power)s.", name=name, role=role,
                     arrangement=details["arrangement"], company=held_company, means=means,
                     power=ARRANGEMENT_CONTROL.get(role) or _("acts for the arrangement"))
        if route == "arrangement":
            role = details.get("role")
            return _("%(name)s is %(role)s of %(arrangement)s, which holds %(stake)s of "
                     "%(company)s: a %(role)s %(power)s.", name=name, role=role,
                     arrangement=details["arrangement"], stake=stake, company=held_company,
                     power=ARRANGEMENT_LEVERAGE.get(role) or _("acts for the arrangement"))
        if route == "principal" and control:
            return _("%(name)s is the principal behind %(nominee)s, who controls %(company)s"
                     "%(means)s as nominee (%(arrangement)s): the nominee acts on %(name)s's "
                     "instructions.", name=name, nominee=details["nominee"], means=means,
                     company=held_company, arrangement=details["arrangement"])
        if route == "principal":
            return _("%(name)s is the principal behind %(nominee)s, who holds %(stake)s of "
                     "%(company)s as nominee (%(arrangement)s): the nominee acts on %(name)s's "
                     "instructions.", name=name, nominee=details["nominee"], stake=stake,
                     company=held_company, arrangement=details["arrangement"])
        if route == "indirect" and last.get("type") == "CONTROLS":
            # control without shares over the holder (a state over its ministry)
            return _("%(name)s controls %(holder)s%(means)s, which holds a stake in %(company)s: "
                     "about %(stake)s through the chain, and a say at its meetings.", name=name,
                     holder=prev, company=held_company, stake=stake,
                     means=f" ({last['means']})" if last.get("means") else "")
        if route == "indirect":
            return _("%(name)s holds %(holder)s, which holds a stake in %(company)s: about "
                     "%(stake)s through the chain, and a say at its meetings.", name=name,
                     holder=prev, company=held_company, stake=stake)
        if last["type"] == "HOLDS_INDIRECTLY" and last.get("means") \
                and details.get("voting_pct") is None and details.get("economic_pct") is None:
            # the register declares control, no figure (a nominator's, through a nomination)
            return _("%(name)s controls %(company)s indirectly (%(means)s), as the register "
                     "declares (the intermediaries need not be recorded here).", name=name,
                     company=held_company, means=last["means"])
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
