"""Engagement's reads: ``list_engagements``, ``list_commitments``, ``timeline`` (per harm or
company), ``responsiveness`` (per company, its teams and people), ``overdue`` (and its CSV),
``commitments_past_due`` and ``turnover`` (contacts and engagements to re-establish)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from graphapp.audit import version_of
from graphapp.engagement.rules import (
    DEFAULT_LIMIT,
    OPEN_COMMITMENTS,
    check_as_of,
    check_days,
    days_waiting,
    evaluation_day,
    overdue_window,
    response_days,
    state,
    stats,
)
from graphapp.errors import BadRequest, NotFound
from graphapp.io.cells import as_text
from graphapp.store import model
from graphapp.store.db import Graph, for_reader
from graphapp.store.schemas import last_day

# --- reads -----------------------------------------------------------------------------------


def _shape_engagement(row: dict[str, Any], days: int, today: dt.date,
                      versions: bool = True) -> dict[str, Any]:
    e = {k: v for k, v in row["engagement"].items() if v is not None}
    if versions:
        e["version"] = version_of({"updated_at": e.get("version")})  # for an update's If-Match
    e["sources"] = e.get("sources") or []
    e["state"] = state(e, days, today)
    e["days_waiting"] = (days_waiting(e["date"], today)
                         if e["state"] in ("awaiting", "overdue", "no_response") else None)
    e["response_days"] = response_days(e.get("date"), e.get("response_date"))
    for key in ("by", "to", "about", "commitments"):
        e[key] = [{k: v for k, v in x.items() if v is not None or k == "sources"}
                  for x in row.get(key, [])]
        for x in e[key]:
            x["labels"] = [label for label in x.get("labels", []) if label != model.BASE_LABEL]
            if not x["labels"]:
                x.pop("labels")
    return e



@for_reader
def get_engagement(graph: Graph, engagement_id: str, days: int | None = None,
                   as_of: str | None = None, include_sensitive: bool = False) -> dict[str, Any]:
    rows = graph.read("engagement.engagements", ids=[engagement_id], harm=None, org=None,
                      target=None, as_of=None, versions=True,
                      include_sensitive=include_sensitive, limit=1)
    if rows:
        return _shape_engagement(rows[0], check_days(days), evaluation_day(as_of))
    raise NotFound(f"No engagement with id {engagement_id!r}.")


@for_reader
def list_engagements(graph: Graph, *, harm: str | None = None, org: str | None = None,
                     target: str | None = None, days: int | None = None,
                     as_of: str | None = None, limit: int = DEFAULT_LIMIT,
                     include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Engagements (newest first), each with its state on ``as_of`` (default today)."""
    days = check_days(days)
    check_as_of(as_of)
    rows = graph.read("engagement.engagements", ids=None, harm=harm, org=org, target=target,
                      as_of=as_of, versions=True,
                      include_sensitive=include_sensitive, limit=limit)
    today = evaluation_day(as_of)
    return [_shape_engagement(r, days, today) for r in rows]


def _shape_commitment(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    c = {k: v for k, v in row["commitment"].items() if v is not None}
    c["sources"] = c.get("sources") or []
    c["past_due"] = bool(c.get("due_date") and c.get("status") in OPEN_COMMITMENTS
                         and last_day(c["due_date"]) < today)
    for key in ("made_by", "about", "in_response_to"):
        c[key] = [{k: v for k, v in x.items() if v is not None} for x in row[key]]
    return c


@for_reader
def list_commitments(graph: Graph, *, harm: str | None = None, company: str | None = None,
                     commitment_id: str | None = None, as_of: str | None = None,
                     limit: int = DEFAULT_LIMIT,
                     include_sensitive: bool = False) -> list[dict[str, Any]]:
    check_as_of(as_of)
    rows = graph.read("engagement.commitments", id=commitment_id, harm=harm, company=company,
                      as_of=as_of,
                      include_sensitive=include_sensitive, limit=limit)
    today = evaluation_day(as_of)
    return [_shape_commitment(r, today) for r in rows]


@for_reader
def commitments_past_due(graph: Graph, as_of: str | None = None,
                         include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Pending or partial commitments whose due date (its last possible day) has passed."""
    found = [c for c in list_commitments(graph, as_of=as_of, limit=100000,
                                         include_sensitive=include_sensitive) if c["past_due"]]
    return sorted(found, key=lambda c: (c["due_date"], c["id"]))


def _overdue_ids(graph: Graph, days: int | None, as_of: str | None, include_sensitive: bool,
                 skip: int = 0, limit: int = 50, after: dict[str, str] | None = None
                 ) -> tuple[int, list[dict[str, Any]]]:
    """How many engagements are overdue or no_response (from ``after`` on), and ``limit`` of
    them from ``skip``, longest waiting first (id, since, days_waiting): decided by the
    database (``engagement.overdue``), without reading any engagement's ties."""
    window = overdue_window(check_days(days), evaluation_day(as_of))
    [found] = graph.read("engagement.overdue", as_of=as_of, **window, after=after, skip=skip,
                         limit=limit, include_sensitive=include_sensitive)
    return found["total"], found["rows"]


def _with_ties(graph: Graph, ids: list[dict[str, Any]], days: int | None, as_of: str | None,
               include_sensitive: bool) -> list[dict[str, Any]]:
    """The engagements ``ids`` in that order, each with its ties, state and days waiting (and
    no version: read the engagement itself to update it)."""
    if not ids:
        return []
    rows = graph.read("engagement.engagements", ids=[x["id"] for x in ids], harm=None,
                      org=None, target=None, as_of=as_of, versions=False,
                      include_sensitive=include_sensitive, limit=len(ids))
    today, days = evaluation_day(as_of), check_days(days)
    by_id = {r["engagement"]["id"]: _shape_engagement(r, days, today, versions=False)
             for r in rows}
    return [by_id[x["id"]] for x in ids if x["id"] in by_id]


@for_reader
def overdue(graph: Graph, days: int | None = None, as_of: str | None = None,
            include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Engagements with no answer: overdue (sent more than ``days`` days ago) or recorded as
    ``no_response``; the longest-waiting first. All of them, in a list: a page reads
    :func:`overdue_page`, a download :func:`overdue_rows`."""
    return list(overdue_rows(graph, days=days, as_of=as_of,
                             include_sensitive=include_sensitive))


@for_reader
def overdue_page(graph: Graph, page: int = 1, per_page: int = 50, days: int | None = None,
                 as_of: str | None = None, include_sensitive: bool = False) -> dict[str, Any]:
    """One page of the overdue list (``page`` from 1; past the last: the last) and how many
    there are in all: ``{"rows", "total", "page", "per_page"}``. Only the rows shown are read
    with their ties, so a page costs about the same at 100,000 engagements as at 1,000."""
    check_as_of(as_of)
    total, ids = _overdue_ids(graph, days, as_of, include_sensitive,
                              skip=(page - 1) * per_page, limit=per_page)
    last = max(1, -(-total // per_page))
    if page > last:
        page = last
        total, ids = _overdue_ids(graph, days, as_of, include_sensitive,
                                  skip=(page - 1) * per_page, limit=per_page)
    return {"rows": _with_ties(graph, ids, days, as_of, include_sensitive), "total": total,
            "page": page, "per_page": per_page}


OVERDUE_BATCH = 2000  # engagements read at once by overdue_rows


@for_reader
def overdue_rows(graph: Graph, days: int | None = None, as_of: str | None = None,
                 include_sensitive: bool = False, batch: int = OVERDUE_BATCH
                 ) -> Iterator[dict[str, Any]]:
    """The whole overdue list, longest waiting first, read ``batch`` engagements at a time
    (each batch starts after the last row of the one before), so that a download of 60,000
    rows holds one batch in memory. Bad ``days`` or ``as_of`` fail here, before any row."""
    check_days(days)
    check_as_of(as_of)
    return _overdue_batches(graph, days, as_of, include_sensitive, batch)


def _overdue_batches(graph: Graph, days: int | None, as_of: str | None,
                     include_sensitive: bool, batch: int) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        _total, ids = _overdue_ids(graph, days, as_of, include_sensitive, limit=batch,
                                   after=after)
        yield from _with_ties(graph, ids, days, as_of, include_sensitive)
        if len(ids) < batch:
            return
        after = {"since": ids[-1]["since"], "id": ids[-1]["id"]}


OVERDUE_COLUMNS = ("id", "name", "kind", "date", "status", "state", "days_waiting", "by", "to",
                   "about", "sources")


def overdue_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The overdue list as CSV, some lines at a time (lists joined with ``; ``; cells that a
    spreadsheet would run as a formula are prefixed with ``'``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(OVERDUE_COLUMNS)
    for i, e in enumerate(rows, 1):
        row = []
        for col in OVERDUE_COLUMNS:
            value = e.get(col)
            if isinstance(value, list):
                value = "; ".join(x if isinstance(x, str) else f"{x.get('name')} ({x['id']})"
                                  for x in value)
            text = "" if value is None else str(value)
            row.append(as_text(text))
        writer.writerow(row)
        if i % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


@for_reader
def timeline(graph: Graph, *, harm: str | None = None, company: str | None = None,
             days: int | None = None, as_of: str | None = None,
             include_sensitive: bool = False,
             engagements: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Engagements and commitments about a harm (or to and by a company), oldest first: each
    event has ``date``, ``type`` (engagement, response, commitment, due) and the record.

    ``engagements``: the list already read (a company's ``responsiveness()["engagement_list"]``
    with the same filters), so that it is not read twice."""
    if (harm is None) == (company is None):
        raise BadRequest("Give a harm or a company.")
    if engagements is None and company is not None:
        engagements = responsiveness(graph, company, days=days, as_of=as_of,
                                     include_sensitive=include_sensitive)["engagement_list"]
    elif engagements is None:
        engagements = list_engagements(graph, harm=harm, days=days, as_of=as_of, limit=100000,
                                       include_sensitive=include_sensitive)
    commitments = list_commitments(graph, harm=harm, company=company, as_of=as_of, limit=100000,
                                   include_sensitive=include_sensitive)
    events = []
    for e in engagements:
        events.append({"date": e["date"], "type": "engagement", "record": e})
        if e.get("response_date") and e["state"] in ("answered", "declined"):
            events.append({"date": e["response_date"], "type": "response", "record": e})
    for c in commitments:
        if c.get("date_made"):
            events.append({"date": c["date_made"], "type": "commitment", "record": c})
        if c.get("due_date"):
            events.append({"date": c["due_date"], "type": "due", "record": c})
    order = {"engagement": 0, "response": 1, "commitment": 2, "due": 3}
    return sorted(events, key=lambda ev: (ev["date"], order[ev["type"]], ev["record"]["id"]))


@for_reader
def responsiveness(graph: Graph, company_id: str, days: int | None = None,
                   as_of: str | None = None, include_sensitive: bool = False) -> dict[str, Any]:
    """Response rate and median response time of a company overall (everything sent to it, its
    teams or the people holding a role there on the day), and of each team and person."""
    days = check_days(days)
    check_as_of(as_of)
    rows = graph.read("engagement.company_engagements", company=company_id,
                      include_sensitive=include_sensitive)
    if not rows:
        raise NotFound(f"No company with id {company_id!r}.")
    today = evaluation_day(as_of)
    cutoff = as_of or today.isoformat()
    items = [r for r in rows[0]["rows"] if r["engagement"]["date"] <= cutoff]
    unique: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in items:
        e = r["engagement"]
        unique[e["id"]] = e
        key = (r["level"], r["target"]["id"])
        group = groups.setdefault(key, {**r["target"], "level": r["level"], "list": {}})
        group["list"][e["id"]] = e

    def section(level: str) -> list[dict[str, Any]]:
        out = [{"id": g["id"], "name": g["name"], **stats(list(g["list"].values()), days, today)}
               for (lv, _), g in groups.items() if lv == level]
        return sorted(out, key=lambda x: (x["name"].casefold(), x["id"]))

    shaped = [_shape_engagement({"engagement": e}, days, today) for e in unique.values()]
    shaped.sort(key=lambda e: (e["date"], e["id"]))
    return {"company": rows[0]["company"], "days": days, "evaluated_on": today.isoformat(),
            "overall": stats(list(unique.values()), days, today),
            "direct": stats([g for (lv, _), grp in groups.items() if lv == "company"
                             for g in grp["list"].values()], days, today),
            "teams": section("team"), "people": section("person"),
            "engagement_list": shaped}


@for_reader
def turnover(graph: Graph, as_of: str | None = None, include_sensitive: bool = False
             ) -> list[dict[str, Any]]:
    """People whose role ended (by ``as_of``) while engagements or contacts depended on them:
    each is flagged ``re-establish``, with whoever holds that role now, where known."""
    check_as_of(as_of)
    when = as_of or dt.date.today().isoformat()
    rows = graph.read("engagement.turnover", as_of=when, include_sensitive=include_sensitive)
    flags = []
    for r in rows:
        place = {**r["place"], "labels": [x for x in r["place"]["labels"]
                                          if x != model.BASE_LABEL]}
        successors = r["successors"]
        with_whom = (", ".join(s["name"] for s in successors) if successors
                     else "whoever holds the role now (not known)")
        role = r["role"]
        title = role.get("title") or role.get("kind") or "a role"
        flags.append({
            "flag": "re-establish", "person": r["person"], "role": role, "place": place,
            "engagements": r["engagements"], "contacts": r["contacts"],
            "successors": successors,
            "message": (f"{r['person']['name']} left {title} at {place['name']} "
                        f"({role['end_date']}): re-establish with {with_whom}."),
        })
    return flags

