"""Leverage and exposure answer for every shape of ownership (issue 13): a company nobody holds,
an investor who is a person, a closed 100% cycle, stakes of unknown size. Each shape is a small
named graph with the exact answer, asked of the functions, the API and the pages (the seed had
all of them, and they answered 500: BlackRock, Apple, Elon Musk, Novator Partners...)."""

import pytest

from graphapp import leverage
from graphapp.commands.leverage import company_table
from graphapp.leverage import lookthrough as lt
from tests.graphs import build, company, investor, owns

PAGES = ["/companies/{c}/leverage", "/companies/{c}/leverage.png", "/api/companies/{c}/leverage",
         "/api/companies/{c}/interlocks"]
EXPOSURE_PAGES = ["/investors/{i}/exposure", "/api/investors/{i}/exposure"]


def pages_answer(client, companies=(), investors=()):
    urls = ([p.format(c=c) for c in companies for p in PAGES]
            + [p.format(i=i) for i in investors for p in EXPOSURE_PAGES])
    assert {u: client.get(u).status_code for u in urls} == dict.fromkeys(urls, 200)


def test_a_company_nobody_holds(empty_graph, client):
    # Apple, BlackRock, a state: no OWNS into them (BlackRock holds others)
    build(empty_graph, [company("apple", "Apple Inc."), investor("blackrock", "BlackRock"),
                        company("meta", "Meta")], [owns("blackrock", "meta", 6.5)])
    for name in ("apple", "blackrock"):
        result = leverage.company_leverage(empty_graph, name)
        assert result["look_through"] == [] and result["direct_stakes"] == []
        assert result["controller"]["ultimate"] is None and result["controller"]["circular"] == []
        assert result["self_held"] == {"economic_pct": 0.0, "voting_pct": 0.0}
        assert result["warnings"] == [] and result["closed_cycles"] == []
    assert "(no holders recorded)" in company_table(
        leverage.company_leverage(empty_graph, "apple"))
    pages_answer(client, companies=["apple", "blackrock"], investors=["blackrock"])


def test_an_investor_who_is_a_person(empty_graph, client):
    # a person without the Investor label holds stakes (Elon Musk, Carlos Slim); another holds none
    build(empty_graph, [{"label": "Person", "id": "elon", "name": "Elon Musk"},
                        {"label": "Person", "id": "thor", "name": "Thor Björgólfsson"},
                        company("x-holdings", "X Holdings"), company("x-corp", "X Corp")],
          [owns("elon", "x-holdings", 79), owns("x-holdings", "x-corp", 100)])
    result = leverage.investor_exposure(empty_graph, "elon")
    assert [(h["company"]["id"], h["economic_pct"], h["depth"]) for h in result["holdings"]] == [
        ("x-holdings", 79.0, 1), ("x-corp", 79.0, 2)]
    assert result["investor"]["labels"] == ["Person"]
    nobody = leverage.investor_exposure(empty_graph, "thor")
    assert nobody["holdings"] == [] and nobody["harms"] == [] and nobody["warnings"] == []
    assert leverage.company_leverage(empty_graph, "x-corp")["controller"]["ultimate"]["id"] \
        == "elon"
    pages_answer(client, companies=["x-corp"], investors=["elon", "thor"])


def test_stakes_of_unknown_size(empty_graph, client):
    # Novator Partners: stakes recorded without a percentage count as 0-100%
    build(empty_graph, [investor("novator", "Novator Partners"), company("telco", "Telco"),
                        company("tower", "Tower")],
          [owns("novator", "telco"), owns("telco", "tower", 40)])
    exposure = leverage.investor_exposure(empty_graph, "novator")
    holdings = {h["company"]["id"]: h for h in exposure["holdings"]}
    assert (holdings["telco"]["economic_pct"], holdings["telco"]["economic_min_pct"],
            holdings["telco"]["economic_max_pct"]) == (None, 0.0, 100.0)
    assert (holdings["tower"]["economic_min_pct"], holdings["tower"]["economic_max_pct"]) == (
        0.0, 40.0)
    assert holdings["telco"]["leverage_pct"] == 0.0
    network = leverage.network_holders(empty_graph)
    ranked = {h["holder"]["id"]: h for h in network["holders"]}
    assert (ranked["novator"]["economic_min_value"], ranked["novator"]["economic_max_value"]) == (
        0.0, 1.4)
    assert network["stakes_without_pct"] == 1
    pages_answer(client, companies=["telco", "tower"], investors=["novator"])


def closed_cycle(graph):
    """A, B and C hold 100% of each other in a ring; C also holds 70% of D and a fund 30%."""
    return build(graph, [company("a", "A"), company("b", "B"), company("c", "C"),
                         company("d", "D"), investor("fund", "Fund")],
                 [owns("a", "b", 100), owns("b", "c", 100), owns("c", "a", 100),
                  owns("c", "d", 70), owns("fund", "d", 30)])


def test_a_closed_100_percent_cycle_gives_a_clear_answer(empty_graph, client):
    closed_cycle(empty_graph)
    names = [{"id": x, "name": x.upper(), "labels": ["Company"]} for x in ("a", "b", "c")]
    message = ("A, B, and C hold 100% of each other (a closed cross-holding cycle): nobody "
               "outside holds any of them, so no look-through stake through them is finite; "
               "their direct stakes are listed as recorded.")

    a = leverage.company_leverage(empty_graph, "a")
    assert a["look_through"] == [] and a["closed_cycles"] == [names]
    assert a["warnings"] == [message]
    assert a["self_held"] == {"economic_pct": None, "voting_pct": None}
    assert [s["holder"]["id"] for s in a["direct_stakes"]] == ["c"]
    assert a["controller"]["ultimate"] is None
    assert [n["id"] for n in a["controller"]["circular"]] == ["b", "c"]

    d = leverage.company_leverage(empty_graph, "d")  # outside the ring, held from it
    assert [(r["holder"]["id"], r["economic_pct"]) for r in d["look_through"]] == [("fund", 30.0)]
    assert d["warnings"] == [message]
    assert {s["holder"]["id"]: s["economic_pct"] for s in d["direct_stakes"]} == {
        "c": 70.0, "fund": 30.0}

    exposure = leverage.investor_exposure(empty_graph, "c")
    assert exposure["holdings"] == [] and exposure["warnings"] == [message]


def test_a_closed_cycle_never_empties_the_network(empty_graph, client):
    closed_cycle(empty_graph)
    network = leverage.network_holders(empty_graph)
    assert [(h["holder"]["id"], h["economic_value"]) for h in network["holders"]] == [
        ("fund", 0.3)]
    assert [[n["id"] for n in c] for c in network["closed_cycles"]] == [["a", "b", "c"]]
    assert network["warnings"] == [leverage.closed_cycle_warning(
        [{"name": n} for n in ("A", "B", "C")])]
    body = client.get("/api/leverage/network").get_json()
    assert [h["holder"]["id"] for h in body["holders"]] == ["fund"]
    pages_answer(client, companies=["a", "d"], investors=["c", "fund"])


def test_a_closed_cycle_of_withheld_companies_is_named_withheld(empty_graph, app):
    build(empty_graph, [company("a", "A", sensitive=True), company("b", "B"),
                        investor("fund", "Fund"), company("d", "D")],
          [owns("a", "b", 100), owns("b", "a", 100), owns("fund", "d", 50)])
    body = app.test_client(role="viewer").get("/api/leverage/network").get_json()
    assert [[n["name"] for n in c] for c in body["closed_cycles"]] == [[leverage.WITHHELD, "B"]]
    assert '"a"' not in str(body) and "'a'" not in str(body)


def test_the_math_of_a_closed_cycle():
    net = lt.build_network([lt.Stake("A", "B", 100), lt.Stake("B", "A", 100),
                            lt.Stake("B", "X", 50), lt.Stake("Y", "X", 50)])
    assert lt.closed_cycles(net) == [["A", "B"]]
    assert lt.look_through(net, "A") == []
    assert [r.holder for r in lt.look_through(net, "X")] == ["Y"]
    assert lt.self_held(net, "A") == (None, None)
    # a cycle that leaves something outside is not closed
    assert lt.closed_cycles(lt.build_network([lt.Stake("A", "B", 100),
                                              lt.Stake("B", "A", 60)])) == []


@pytest.mark.parametrize("stakes", [[], [lt.Stake("h", "c", None)]])
def test_the_matrices_of_no_stake_or_one_unknown_stake(stakes):
    net = lt.build_network(stakes, nodes=["c"])
    assert net.econ_hi.dtype == float and net.econ_hi.shape == (net.size, net.size)
