"""An investor's exposure a page at a time (issue 19): the largest fund of the 1M graph reaches
151,751 companies, so the page is cut from a ranking made once (numbers only) and reads the
evidence of its own rows. Small named graphs with the exact pages, order, totals, a chain, ranges,
what a viewer may not see (not listed, not counted), the bound on how far it follows; and a sweep
of the seed: every investor's pages, put together, are its whole exposure, with the same figures
as the look-through read the way the company page reads it."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from graphapp import leverage
from graphapp.errors import BadRequest
from graphapp.leverage import chart
from graphapp.leverage import lookthrough as lt
from tests.graphs import build, company, investor, node, owns, rel
from tests.test_redaction import viewer_graph

SMALL = [f"c{i:02d}" for i in range(57)]  # 1.00% ... 1.56%, one a company


def fund_graph(graph):
    """Big Fund: 57 small direct stakes, a chain (60% of Holdco, which holds 50% of Sub), a
    range (5-10% of Range Co), an undisclosed stake (at most 20% of Quiet Co), and 40% of a
    sensitive company that holds all of Hidden Sub. Harms on Sub (severity 3), Hidden Sub (5),
    a sensitive one on Holdco (4), and one through a product of c56 (2)."""
    return build(graph, [
        investor("fund", "Big Fund"), company("holdco", "Holdco"), company("sub", "Sub"),
        company("range-co", "Range Co"), company("quiet-co", "Quiet Co"),
        company("secret", "Secret Co", sensitive=True), company("hidden-sub", "Hidden Sub"),
        *(company(c, f"Small {c}") for c in SMALL),
        node("Product", "app", "The App"),
        node("Harm", "sub-harm", "Sub harm", harm_type="privacy_breach", severity=3),
        node("Harm", "hidden-harm", "Hidden harm", harm_type="surveillance", severity=5),
        node("Harm", "secret-harm", "Secret harm", harm_type="surveillance", severity=4,
             sensitive=True),
        node("Harm", "app-harm", "App harm", harm_type="hate_speech", severity=2),
    ], [
        owns("fund", "holdco", 60, 60), owns("holdco", "sub", 50, 50),
        owns("fund", "range-co", pct_min=5, pct_max=10), owns("fund", "quiet-co", pct_max=20),
        owns("fund", "secret", 40, 40), owns("secret", "hidden-sub", 100, 100),
        *(owns("fund", c, 1 + i / 100, 1 + i / 100) for i, c in enumerate(SMALL)),
        rel("OPERATES", "c56", "app"),
        rel("INVOLVES", "sub-harm", "sub"), rel("INVOLVES", "hidden-harm", "hidden-sub"),
        rel("INVOLVES", "secret-harm", "holdco"), rel("INVOLVES", "app-harm", "app"),
    ])


def ids(rows):
    return [r["company"]["id"] for r in rows]


def test_pages_of_a_fund_with_more_holdings_than_a_page(empty_graph):
    fund_graph(empty_graph)
    viewer = viewer_graph(empty_graph)
    ranking = leverage.exposure_ranking(viewer, "fund")
    first = leverage.exposure_page(viewer, ranking)
    # known stakes largest first (the chain's 30% among them), then the range, then undisclosed;
    # the sensitive company and what is reached only through it are neither listed nor counted
    assert ids(first["holdings"]) == ["holdco", "sub", *SMALL[:8:-1]]
    assert first["holdings_page"] == {"page": 1, "pages": 2, "per_page": 50, "total": 61,
                                      "first": 1, "last": 50}
    second = leverage.exposure_page(viewer, ranking, page=2)
    assert ids(second["holdings"]) == [*SMALL[8::-1], "range-co", "quiet-co"]
    assert second["holdings_page"] == {"page": 2, "pages": 2, "per_page": 50, "total": 61,
                                       "first": 51, "last": 61}
    assert leverage.exposure_page(viewer, ranking, page=9)["holdings_page"]["page"] == 2

    sub = first["holdings"][1]
    assert (sub["economic_pct"], sub["voting_pct"], sub["depth"], sub["direct"]) == (
        30.0, 30.0, 2, False)
    assert [(h["holder"]["id"], h["company"]["id"], h["stakes"][0]["economic_pct"])
            for h in sub["chain"]["hops"]] == [("fund", "holdco", 60.0), ("holdco", "sub", 50.0)]
    assert sub["chain"]["hops"][0]["stakes"][0]["sources"] == ["https://example.org/evidence"]
    ranged, quiet = second["holdings"][-2:]
    assert (ranged["economic_pct"], ranged["economic_min_pct"], ranged["economic_max_pct"]) == (
        None, 5.0, 10.0)
    assert (quiet["economic_pct"], quiet["economic_min_pct"], quiet["economic_max_pct"]) == (
        None, 0.0, 20.0)

    # harms: only those a viewer may see, ranked by stake x severity
    assert [(h["rank"], h["harm"]["id"], h["score"]) for h in first["harms"]] == [
        (1, "sub-harm", 90.0), (2, "app-harm", 3.12)]
    assert first["harms_page"]["total"] == 2
    app_harm = first["harms"][1]
    assert app_harm["product"] == {"id": "app", "name": "The App"}
    assert app_harm["company"]["id"] == "c56"
    text = json.dumps([first, second])
    assert "Secret" not in text and "secret" not in text and "Hidden" not in text


def test_an_editor_sees_the_sensitive_holdings_and_their_harms(empty_graph):
    fund_graph(empty_graph)
    ranking = leverage.exposure_ranking(empty_graph, "fund", include_sensitive=True)
    first = leverage.exposure_page(empty_graph, ranking, include_sensitive=True)
    # 40% each: Hidden Sub before Secret Co by name
    assert ids(first["holdings"])[:5] == ["holdco", "hidden-sub", "secret", "sub", "c56"]
    assert first["holdings_page"]["total"] == 63
    assert [(h["harm"]["id"], h["score"]) for h in first["harms"]] == [
        ("secret-harm", 240.0), ("hidden-harm", 200.0), ("sub-harm", 90.0), ("app-harm", 3.12)]
    second = leverage.exposure_page(empty_graph, ranking, page=2, harms_page=2, per_page=3,
                                    include_sensitive=True)
    assert ids(second["holdings"]) == ["sub", "c56", "c55"]
    assert [(h["rank"], h["harm"]["id"]) for h in second["harms"]] == [(4, "app-harm")]
    assert second["harms_page"] == {"page": 2, "pages": 2, "per_page": 3, "total": 4,
                                    "first": 4, "last": 4}
    with pytest.raises(ValueError):  # a ranking made for an editor is never a viewer's page
        leverage.exposure_page(viewer_graph(empty_graph), ranking)


def test_the_page_the_api_and_the_whole_agree(empty_graph, app):
    fund_graph(empty_graph)
    viewer = app.test_client(role="viewer")
    html = viewer.get("/investors/fund/exposure").get_data(as_text=True)
    assert html.count("who holds it") == 50 and "1–50 of 61" in html
    assert "(61)" in html and "Secret" not in html and "Hidden" not in html
    second = viewer.get("/investors/fund/exposure?page=2").get_data(as_text=True)
    assert second.count("who holds it") == 11 and "51–61 of 61" in second
    assert "Range Co" in second and "undisclosed (at most 20%)" in second

    api = viewer.get("/api/investors/fund/exposure?page=2&per_page=10").get_json()
    assert ids(api["holdings"]) == SMALL[48:38:-1]
    assert api["holdings_page"]["total"] == 61 and api["harms_page"]["total"] == 2
    assert viewer.get("/api/investors/fund/exposure?per_page=0").status_code == 400
    with pytest.raises(BadRequest):
        leverage.exposure_page(empty_graph, leverage.exposure_ranking(empty_graph, "fund"),
                               page=0)

    whole = leverage.investor_exposure(viewer_graph(empty_graph), "fund")
    paged = [row for p in (1, 2) for row in
             leverage.exposure_page(viewer_graph(empty_graph), leverage.exposure_ranking(
                 viewer_graph(empty_graph), "fund"), page=p)["holdings"]]
    assert sorted(map(json.dumps, whole["holdings"])) == sorted(map(json.dumps, paged))
    assert [h["harm"]["id"] for h in whole["harms"]] == ["sub-harm", "app-harm"]


def test_how_far_an_exposure_follows_is_bounded_and_said(empty_graph, monkeypatch):
    # a chain of five companies: with room for three, the look-through stops at c (breadth
    # first) and says its figures are lower bounds
    build(empty_graph, [investor("fund", "Fund"), *(company(x) for x in "abcde")],
          [owns("fund", "a", 50), owns("fund", "b", 10), owns("a", "c", 100),
           owns("b", "d", 100), owns("c", "e", 100), owns("d", "c", 20)])
    whole = leverage.investor_exposure(empty_graph, "fund")
    assert {h["company"]["id"]: h["economic_pct"] for h in whole["holdings"]} == {
        "a": 50.0, "b": 10.0, "c": 52.0, "d": 10.0, "e": 52.0}
    monkeypatch.setattr(leverage, "MAX_EXPOSURE_COMPANIES", 3)
    bounded = leverage.investor_exposure(empty_graph, "fund")
    assert {h["company"]["id"]: h["economic_pct"] for h in bounded["holdings"]} == {
        "a": 50.0, "b": 10.0, "c": 50.0}
    assert bounded["capped"] == 3 and bounded["truncated"] is False
    assert bounded["warnings"] == [leverage.capped_warning(3)]
    assert "lower bounds" in bounded["warnings"][0]


def test_the_page_order_is_the_charts_order():
    """The ranking orders 150,000 holdings from arrays; the page used to order dicts with
    graphapp.leverage.chart.order. Both give the same order, ranges and ties included."""
    rng = random.Random(19)
    rows = []
    for i in range(400):
        lo = rng.choice([0.0, 0.05, 0.3, 0.3, 1.0, rng.random()])
        hi = rng.choice([lo, lo, lo + 0.1, None, 1.0])
        vlo = rng.choice([lo, 0.0, 0.3])
        vhi = rng.choice([hi, vlo, None])
        rows.append(lt.LookThrough(f"x{i:03d}", lo, hi, vlo, vhi))
    names = [f"N{rng.randint(0, 30)}" for _ in rows]
    depth = [rng.randint(1, 3) for _ in rows]
    dicts = [{"company": {"name": n}, **lt.as_dict(r), "_id": r.holder, "depth": d}
             for r, n, d in zip(rows, names, depth, strict=True)]
    dicts.sort(key=lambda x: (x["depth"], x["_id"]))  # the ties' order before chart.order
    expected = [d["_id"] for d in chart.order(dicts, "company")]
    bounds = tuple(np.array([getattr(r, k) if getattr(r, k) is not None else np.nan
                             for r in rows]) for k in ("economic_lo", "economic_hi",
                                                       "voting_lo", "voting_hi"))
    order, _ = leverage._page_order(bounds, np.arange(len(rows)), names,
                                    [r.holder for r in rows], np.array(depth))
    assert [rows[i].holder for i in order] == expected


def test_every_seed_investors_pages_are_its_whole_exposure(seed_graph):
    """The seed's every holder: its pages, one after another, are its whole exposure, and each
    figure is the look-through of the downstream subgraph as the company page reads it (one
    full record per stake)."""
    holders = [r["id"] for r in seed_graph.driver.execute_query(
        "MATCH (h:Entity)-[:OWNS]->() RETURN DISTINCT h.id AS id ORDER BY id").records]
    assert len(holders) > 20
    for reader in (seed_graph, viewer_graph(seed_graph)):
        sees = reader.sees_sensitive()
        for holder in holders:
            root = reader.read("leverage.holder", id=holder)[0]
            if root["sensitive"] and not sees:
                continue
            ranking = leverage.exposure_ranking(reader, holder)
            whole = leverage.exposure_page(reader, ranking, per_page=None)
            for rows, param in (("holdings", "page"), ("harms", "harms_page")):
                pages = range(1, 1 + max(1, -(-len(whole[rows]) // 3)))
                paged = [r for p in pages for r in leverage.exposure_page(
                    reader, ranking, per_page=3, **{param: p})[rows]]
                assert paged == whole[rows], (holder, rows)
            assert [h["rank"] for h in whole["harms"]] == list(range(1, len(whole["harms"]) + 1))

            sub = leverage._subgraph(reader, root, None, leverage.DEFAULT_MAX_DEPTH,
                                     upstream=False)
            sub.withhold_unseen(holder, False, sees)
            expected = {r.holder: lt.as_dict(r) for r in lt.exposure(sub.network(holder), holder)
                        if not sub.nodes[r.holder].get("sensitive") or sees}
            got = {h["company"]["id"]: {k: h[k] for k in lt.as_dict(
                lt.LookThrough("", 0, 0, 0, 0))} for h in whole["holdings"]}
            assert got == expected, holder
            assert whole["truncated"] == sub.truncated, holder
            if not sees:
                assert_nothing_withheld_is_named(whole, sub)


def assert_nothing_withheld_is_named(result, sub):
    hidden = {x for x, n in sub.nodes.items() if n.get("sensitive")}
    named = {h["company"]["id"] for h in result["holdings"]}
    named |= {h["company"]["id"] for h in result["harms"]}
    named |= {c["id"] for h in result["harms"] for c in h["also"]}
    assert not named & hidden
