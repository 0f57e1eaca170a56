"""``graphapp leverage``, ``graphapp exposure``, ``graphapp interlocks``: who holds what, and
through whom, as text tables (or JSON)."""

from __future__ import annotations

import json
from typing import Any

import click

from graphapp import leverage as capability
from graphapp.commands.base import instance_option, json_option
from graphapp.commands.graph import graph_for

as_of_option = click.option("--as-of", default=None,
                            help="Stakes held on this date (YYYY[-MM[-DD]]); default: current.")
depth_option = click.option("--max-depth", default=8, show_default=True, type=int,
                            help="Longest ownership chain followed, in hops (1-12).")
sensitive_option = click.option("--sensitive", is_flag=True,
                                help="Show sensitive holders and people instead of withholding.")


class CompanyByDefault(click.Group):
    """``leverage COMPANY_ID`` stays short: anything but a subcommand's name is a company."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["company", *args]
        return super().parse_args(ctx, args)


@click.group(cls=CompanyByDefault)
def leverage() -> None:
    """Who holds a company (leverage COMPANY_ID) or the most across the whole network
    (leverage network). A company whose id is 'network': leverage company network."""


@leverage.command("company")
@instance_option
@click.argument("company_id")
@as_of_option
@depth_option
@sensitive_option
@json_option
def leverage_company(instance: str, company_id: str, as_of: str | None, max_depth: int,
                     sensitive: bool, as_json: bool) -> None:
    """Who holds COMPANY_ID: direct stakes, look-through (economic, voting), controller."""
    with graph_for(instance) as graph:
        result = capability.company_leverage(graph, company_id, as_of=as_of,
                                             max_depth=max_depth, include_sensitive=sensitive)
    click.echo(json.dumps(result, indent=2) if as_json else company_table(result))


@leverage.command("network")
@instance_option
@as_of_option
@click.option("--top", default=50, show_default=True, type=int,
              help="How many holders to list (1-1000).")
@sensitive_option
@json_option
def leverage_network(instance: str, as_of: str | None, top: int, sensitive: bool,
                     as_json: bool) -> None:
    """Who holds the most across the whole network: network value through every chain."""
    with graph_for(instance) as graph:
        result = capability.network_holders(graph, as_of=as_of, top=top,
                                            include_sensitive=sensitive)
    click.echo(json.dumps(result, indent=2) if as_json else network_table(result))


@click.command()
@instance_option
@click.argument("investor_id")
@as_of_option
@depth_option
@sensitive_option
@json_option
def exposure(instance: str, investor_id: str, as_of: str | None, max_depth: int,
             sensitive: bool, as_json: bool) -> None:
    """What INVESTOR_ID holds through chains, and the harms linked to it, ranked."""
    with graph_for(instance) as graph:
        result = capability.investor_exposure(graph, investor_id, as_of=as_of,
                                              max_depth=max_depth, include_sensitive=sensitive)
    click.echo(json.dumps(result, indent=2) if as_json else exposure_table(result))


@click.command()
@instance_option
@click.argument("company_id")
@as_of_option
@click.option("--threshold", default=5.0, show_default=True, type=float,
              help="A major investor holds at least this % (economic or voting).")
@sensitive_option
@json_option
def interlocks(instance: str, company_id: str, as_of: str | None, threshold: float,
               sensitive: bool, as_json: bool) -> None:
    """Companies sharing board members or major investors with COMPANY_ID."""
    with graph_for(instance) as graph:
        result = capability.interlocks(graph, company_id, as_of=as_of, threshold=threshold,
                                       include_sensitive=sensitive)
    click.echo(json.dumps(result, indent=2) if as_json else interlocks_table(result))


# --- plain-text tables ---------------------------------------------------------------------------


def _range(row: dict[str, Any], kind: str) -> str:
    if row.get(f"{kind}_pct") is not None:
        return f"{row[f'{kind}_pct']:.4g}%"
    hi = row.get(f"{kind}_max_pct")
    return f"{row[f'{kind}_min_pct']:.4g}-{'?' if hi is None else f'{hi:.4g}'}%"


def _stake_text(s: dict[str, Any]) -> str:
    if s.get("economic_pct") is not None:
        text = f"{s['economic_pct']:.4g}%"
    elif s.get("pct_min") is not None or s.get("pct_max") is not None:
        text = f"{s.get('pct_min') or 0:.4g}-{s.get('pct_max') or 100:.4g}%"
    else:
        text = "?"
    if s.get("voting_pct") is not None:
        text += f" ({s['voting_pct']:.4g}% votes)"
    return text + (f" {s['share_class']}" if s.get("share_class") else "")


def company_table(result: dict[str, Any]) -> str:
    """``company_leverage``'s result as text."""
    lines = [f"Who holds {result['company']['name']}"
             + (f" (as of {result['as_of']})" if result["as_of"] else " (current stakes)")]
    ctrl = result["controller"]
    if ctrl["ultimate"]:
        path = " <- ".join(f"{p['name']}" + (f" [{p['controlled_votes_pct']:.4g}% of votes]"
                                             if p["controlled_votes_pct"] is not None else
                                             f" [control without shares: {p['means']}]"
                                             if p.get("means") else "")
                           for p in ctrl["path"])
        lines.append(f"Ultimate controller: {ctrl['ultimate']['name']}  ({path})")
    elif ctrl["circular"]:
        lines.append("No single controller: " + " and ".join(n["name"] for n in ctrl["circular"])
                     + " control each other")
    else:
        lines.append("Ultimate controller: none (no majority of votes)")
    if ctrl.get("possible_ultimate"):
        lines.append(f"  given the ranges, {ctrl['possible_ultimate']['name']} could control it")
    if ctrl.get("declared"):
        lines.append(f"Declared controller: {ctrl['declared']['holder']['name']}  "
                     f"({ctrl['declared']['basis']})")
    if ctrl.get("above"):
        lines.append("  above it, control without shares: " + " <- ".join(
            n["name"] + (f" ({n['means']})" if n.get("means") else "") for n in ctrl["above"]))
    if result.get("other_control"):
        lines.append("Control without shares: " + "; ".join(
            r["holder"]["name"] + (f" ({r['means']})" if r.get("means") else "")
            for r in result["other_control"]))
    lines += disclosures_text(result)
    lines.append("")
    lines.append(f"{'Holder':<40} {'Economic':>14} {'Voting':>14}  Hops  Chain")
    for r in result["look_through"]:
        chain = " -> ".join([r["chain"]["hops"][0]["holder"]["name"],
                             *(h["company"]["name"] for h in r["chain"]["hops"])]
                            ) if r["chain"]["hops"] else ""
        flags = (" *votes assumed" if r["voting_assumed"] else "") + (
            " *cycle" if r["in_cycle"] else "")
        lines.append(f"{r['holder']['name'][:40]:<40} {_range(r, 'economic'):>14} "
                     f"{_range(r, 'voting'):>14}  {r['depth']:>4}  {chain}{flags}")
    if not result["look_through"]:
        lines.append("(no holders recorded)")
    lines.append("")
    lines.append("Direct stakes:")
    for s in result["direct_stakes"]:
        lines.append(f"  {s['holder']['name']}: {_stake_text(s)}, {s['start_date'] or '?'} - "
                     f"{s['end_date'] or 'now'}, {s['confidence']}, "
                     f"{', '.join(s['sources']) or 'no source'}")
    if result["self_held"]["economic_pct"]:
        lines.append("Held by itself through cross-holdings: "
                     f"{result['self_held']['economic_pct']:.4g}%")
    if result["truncated"]:
        lines.append(f"Note: chains longer than {result['max_depth']} hops were cut.")
    lines += [f"Warning: {w}" for w in result["warnings"]]
    return "\n".join(lines)


def disclosures_text(result: dict[str, Any]) -> list[str]:
    """What the registers say beside the stakes, as the page says it (issue 15): owners not
    disclosed and why, declared indirect figures beside the chain (disagreements flagged), who
    stands behind an arrangement, nominees' principals."""
    lines = []
    for m in result.get("undisclosed") or []:
        lines.append(f"! {m['text'][:1].upper()}{m['text'][1:]}"
                     + ("" if m["direct"] else f" (on {m['on']['name']}, upstream)")
                     + (f", holding {m['share']}" if m.get("share") else "")
                     + (f" [{m['reason_text']}]" if m.get("reason_text") else ""))
    for d in result.get("declared") or []:
        via = " -> ".join(v["name"] for v in d["via"]) or "intermediaries not named"
        lines.append(f"{'! ' if d['disagrees'] else ''}Declared: {d['holder']['name']}: "
                     f"{d['text']} (through {via})"
                     + (": the register's figure and the recorded chain disagree"
                        if d["disagrees"] else ""))
    for a in result.get("arrangements") or []:
        lines.append(f"Behind {a['arrangement']['name']} ({a['arrangement_type'] or 'arrangement'}"
                     f", holds {a['stake']}):")
        lines += [f"  {p['party']['name']}: {p['role']}" + (f" ({p['share']})" if p["share"]
                                                           else "")
                  + (f"; to approach: a {p['role']} {p['can']}" if p["target"] else "")
                  for p in a["parties"]]
    lines += [f"Nominee: {n['text']}" for n in result.get("nominees") or []]
    return lines


def exposure_table(result: dict[str, Any]) -> str:
    """``investor_exposure``'s result as text."""
    lines = [f"What {result['investor']['name']} holds"
             + (f" (as of {result['as_of']})" if result["as_of"] else " (current stakes)"), ""]
    lines.append(f"{'Company':<40} {'Economic':>14} {'Voting':>14}  Hops")
    for r in result["holdings"]:
        lines.append(f"{r['company']['name'][:40]:<40} {_range(r, 'economic'):>14} "
                     f"{_range(r, 'voting'):>14}  {r['depth']:>4}")
    if not result["holdings"]:
        lines.append("(no holdings recorded)")
    lines += ["", "Harms linked to those companies, ranked:"]
    for h in result["harms"]:
        sev = h["harm"].get("severity") if h["severity_known"] else "?"
        via = f" via {h['product']['name']}" if h["product"] else ""
        lines.append(f"  {h['rank']:>3}. {h['harm']['name']} (severity {sev}) - "
                     f"{h['company']['name']}{via}, stake {h['leverage_pct']:.4g}%, "
                     f"score {h['score']:.4g}")
    if not result["harms"]:
        lines.append("  (none recorded)")
    lines += ["", result["ranking"]]
    if result["truncated"]:
        lines.append(f"Note: chains longer than {result['max_depth']} hops were cut.")
    lines += [f"Warning: {w}" for w in result["warnings"]]
    return "\n".join(lines)


def interlocks_table(result: dict[str, Any]) -> str:
    """``interlocks``' result as text."""
    lines = [f"Interlocks of {result['company']['name']}", "", "Board members:"]
    for m in result["board_members"]:
        others = ", ".join(b["company"]["name"] for b in m["other_boards"]) or "-"
        lines.append(f"  {m['person']['name']} ({m['boards']} boards): {others}")
    if not result["board_members"]:
        lines.append("  (none recorded)")
    lines += ["", f"Major investors (>= {result['threshold_pct']:g}%) holding as much elsewhere:"]
    for i in result["major_investors"]:
        others = ", ".join(f"{h['company']['name']} {h['economic_pct']:.4g}%"
                           for h in i["other_holdings"])
        lines.append(f"  {i['investor']['name']} ({i['economic_pct']:.4g}% here): {others}")
    if not result["major_investors"]:
        lines.append("  (none)")
    return "\n".join(lines)


def network_table(result: dict[str, Any]) -> str:
    """``network_holders``' result as text."""
    lines = ["Who holds the most across the whole network"
             + (f" (as of {result['as_of']})" if result["as_of"] else " (current stakes)"),
             f"{result['nodes']:,} nodes, {result['stakes']:,} stakes, "
             f"{result['holder_count']:,} holders", ""]
    lines.append(f"{'#':>4}  {'Holder':<40} {'Economic':>16} {'Voting':>16} {'Direct':>7} "
                 f"{'Reached':>8} {'Controls':>8}  Notes")
    for r in result["holders"]:
        notes = [n for n, on in (("ultimate", r["ultimate"]), ("cycle", r["in_cycle"]),
                                 ("votes assumed", r["voting_assumed"]),
                                 (f"{r['stakes_without_pct']} stakes without %",
                                  r["stakes_without_pct"])) if on]
        if r["confidence"] and r["confidence"] != "confirmed":
            notes.append(f"weakest: {r['confidence']}")
        lines.append(f"{r['rank']:>4}  {r['holder']['name'][:40]:<40} "
                     f"{_value_range(r, 'economic'):>16} {_value_range(r, 'voting'):>16} "
                     f"{r['direct_holdings']:>7,} {r['companies_reached']:>8,} "
                     f"{r['controls']:>8,}  {', '.join(notes)}")
    if not result["holders"]:
        lines.append("(no stakes recorded)")
    lines += ["", result["value"]]
    if result["stakes_without_pct"] or result["stakes_as_ranges"]:
        lines.append(f"Stakes without a percentage (counted as 0-100%): "
                     f"{result['stakes_without_pct']:,}; known only as a range: "
                     f"{result['stakes_as_ranges']:,}.")
    if result["withheld"]:
        lines.append(f"{result['withheld']} sensitive holder(s) withheld.")
    lines += [f"Warning: {w}" for w in result["warnings"][:20]]
    if len(result["warnings"]) > 20:
        lines.append(f"... and {len(result['warnings']) - 20} more warnings (see --json).")
    return "\n".join(lines)


def _value_range(row: dict[str, Any], kind: str) -> str:
    if row[f"{kind}_value"] is not None:
        return f"{row[f'{kind}_value']:.4g}"
    hi = row[f"{kind}_max_value"]
    return f"{row[f'{kind}_min_value']:.4g}-{'?' if hi is None else f'{hi:.4g}'}"
