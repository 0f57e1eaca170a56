"""Where engagement on a harm stands, rung by rung, and the next rung when a target is silent:
engagement read against the escalation ladder (so it lives apart from the rest of engagement,
which escalation reads)."""

from __future__ import annotations

from typing import Any

from graphapp import escalation
from graphapp.engagement.reads import list_engagements
from graphapp.engagement.rules import (
    SILENT,
    STEP_TITLES,
    STEPS,
    check_as_of,
    check_days,
    evaluation_day,
    step_of_node,
)
from graphapp.store.db import Graph, for_reader


@for_reader
def ladder(graph: Graph, harm_id: str, days: int | None = None, as_of: str | None = None,
           org: str | None = None, include_sensitive: bool = False,
           suggestions: int = 3) -> dict[str, Any]:
    """Where engagement on a harm stands on each rung (local representative, regional policy
    lead, headquarters product team, board, investors and regulators), per target, and for
    each silent target (no response, overdue, declined) the next rung up and who to write to
    there: the best-scoring escalation targets of that rung not yet written to about it."""
    days = check_days(days)
    check_as_of(as_of)
    result = escalation.escalate(graph, harm_id, as_of=as_of, org=org,
                                 include_sensitive=include_sensitive, limit=500,
                                 overdue_days=days)
    today = evaluation_day(as_of)
    when = as_of or today.isoformat()
    engagements = [e for e in list_engagements(graph, harm=harm_id, days=days, as_of=as_of,
                                               limit=100000,
                                               include_sensitive=include_sensitive)
                   if e["date"] <= when]
    targets = [t for rung in result["rungs"] for t in rung["targets"]]
    # A node on two rungs (a chief executive who holds shares) stands on the lower step.
    step_by_id: dict[str, str] = {}
    for t in sorted((t for t in targets if t["step"]), key=lambda t: STEPS.index(t["step"])):
        step_by_id.setdefault(t["id"], t["step"])
    nodes = {r["id"]: r for r in graph.read("engagement.harm_targets", harm=harm_id, as_of=when,
                                            include_sensitive=include_sensitive)}
    engaged: dict[str, dict[str, Any]] = {}
    for e in sorted(engagements, key=lambda e: (e["date"], e["id"])):
        for to in e["to"]:
            step = step_by_id.get(to["id"]) or step_of_node(nodes.get(to["id"], to))
            entry = engaged.setdefault(to["id"], {"id": to["id"], "name": to.get("name"),
                                                  "step": step, "engagements": []})
            entry["engagements"].append({k: e[k] for k in (
                "id", "name", "kind", "date", "status", "state", "response_date",
                "days_waiting") if k in e})
    for entry in engaged.values():
        latest = entry["engagements"][-1]
        entry["state"] = latest["state"]
        entry["latest"] = latest
    by_step: dict[str, list[dict[str, Any]]] = {s: [] for s in STEPS}
    for t in targets:
        step = t["step"]
        if step and t["id"] not in engaged and step_by_id.get(t["id"]) == step \
                and t["id"] not in {x["id"] for x in by_step[step]}:
            by_step[step].append({"id": t["id"], "name": t["name"], "rung": t["rung"],
                                  "score": t["score"], "why": t["why"]})
    for step in STEPS:
        by_step[step].sort(key=lambda x: (-x["score"], x["name"].casefold(), x["id"]))

    def next_rung(step: str | None) -> tuple[str | None, list[dict[str, Any]]]:
        start = STEPS.index(step) + 1 if step in STEPS else 0
        for s in STEPS[start:]:
            if by_step[s]:
                return s, by_step[s][:suggestions]
        return None, []

    silent = []
    for entry in sorted(engaged.values(), key=lambda x: (
            STEPS.index(x["step"]) if x["step"] in STEPS else -1, x["name"] or "", x["id"])):
        if entry["state"] in SILENT:
            step, who = next_rung(entry["step"])
            entry["next_step"] = step
            entry["next_targets"] = who
            silent.append(entry["id"])
    reached = [e["step"] for e in engaged.values() if e["step"] in STEPS]
    highest = max(reached, key=STEPS.index) if reached else None
    return {
        "harm": result["start"], "days": days, "evaluated_on": today.isoformat(),
        "no_path": result["no_path"], "message": result["message"],
        "highest_step": highest,
        "steps": [{"step": s, "title": STEP_TITLES[s],
                   "engaged": sorted((e for e in engaged.values() if e["step"] == s),
                                     key=lambda x: (x["name"] or "", x["id"])),
                   "not_yet_engaged": by_step[s][:suggestions]} for s in STEPS],
        "unplaced": sorted((e for e in engaged.values() if e["step"] not in STEPS),
                           key=lambda x: (x["name"] or "", x["id"])),
        "silent": silent,
        "suggestions": [{"after": e["id"], "name": e["name"], "state": e["state"],
                         "next_step": e["next_step"], "targets": e["next_targets"]}
                        for e in (engaged[i] for i in silent)],
    }
