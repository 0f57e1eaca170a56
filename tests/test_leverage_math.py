"""The look-through arithmetic (graphapp.leverage.lookthrough), no database: exact numbers."""

import pytest

from graphapp.leverage import lookthrough as lt
from graphapp.leverage.lookthrough import Stake


def by_holder(net: lt.Network, target: str) -> dict[str, lt.LookThrough]:
    return {row.holder: row for row in lt.look_through(net, target)}


def test_sixty_percent_of_fifty_percent_is_thirty_percent():
    net = lt.build_network([Stake("fund", "holdco", 60), Stake("holdco", "target", 50)])
    rows = by_holder(net, "target")
    assert rows["fund"].economic == pytest.approx(0.30, abs=1e-12)
    assert rows["fund"].voting == pytest.approx(0.30, abs=1e-12)
    assert rows["holdco"].economic == pytest.approx(0.50, abs=1e-12)
    assert lt.pct(rows["fund"].economic) == 30.0


def test_two_chains_into_one_company_add_up():
    # fund -> a (50%) -> target (40%) and fund -> b (100%) -> target (10%): 0.2 + 0.1
    net = lt.build_network([
        Stake("fund", "a", 50), Stake("a", "target", 40),
        Stake("fund", "b", 100), Stake("b", "target", 10),
    ])
    assert by_holder(net, "target")["fund"].economic == pytest.approx(0.30, abs=1e-12)


def test_a_direct_stake_and_a_chain_add_up():
    net = lt.build_network([Stake("fund", "target", 5), Stake("fund", "a", 50),
                            Stake("a", "target", 20)])
    assert by_holder(net, "target")["fund"].economic == pytest.approx(0.15, abs=1e-12)


def test_cross_holding_cycle_matches_the_analytic_solution():
    # B holds a of A, A holds b of B; P holds the rest of A, Q the rest of B.
    # Chains P -> A, P -> A -> B -> A, ...: (1 - a)(1 + ab + (ab)^2 + ...) = (1 - a) / (1 - ab)
    a, b = 0.5, 0.4
    net = lt.build_network([
        Stake("B", "A", a * 100), Stake("A", "B", b * 100),
        Stake("P", "A", (1 - a) * 100), Stake("Q", "B", (1 - b) * 100),
    ])
    rows = by_holder(net, "A")
    assert rows["P"].economic == pytest.approx((1 - a) / (1 - a * b), abs=1e-12)  # 0.625
    assert rows["Q"].economic == pytest.approx((1 - b) * a / (1 - a * b), abs=1e-12)  # 0.375
    assert rows["B"].economic == pytest.approx(a / (1 - a * b), abs=1e-12)  # 0.625
    # A holds itself through B: ab / (1 - ab) = 0.25
    assert lt.self_held(net, "A")[0] == pytest.approx(a * b / (1 - a * b), abs=1e-12)
    # The ultimate holders (outside the cycle) share the whole of A between them.
    assert rows["P"].economic + rows["Q"].economic == pytest.approx(1.0, abs=1e-12)


def test_a_three_company_ring_matches_its_geometric_series():
    # X -> Y -> Z -> X, each holding 30%; an outsider O holds 70% of X.
    net = lt.build_network([Stake("X", "Y", 30), Stake("Y", "Z", 30), Stake("Z", "X", 30),
                            Stake("O", "X", 70)])
    loop = 0.3 ** 3
    rows = by_holder(net, "Z")
    assert rows["O"].economic == pytest.approx(0.7 * 0.3 * 0.3 / (1 - loop), abs=1e-12)
    assert rows["Y"].economic == pytest.approx(0.3 / (1 - loop), abs=1e-12)


def test_economic_and_voting_are_computed_separately():
    net = lt.build_network([Stake("fund", "holdco", 60, 80), Stake("holdco", "target", 50, 10)])
    row = by_holder(net, "target")["fund"]
    assert row.economic == pytest.approx(0.30, abs=1e-12)
    assert row.voting == pytest.approx(0.08, abs=1e-12)


def test_missing_voting_follows_the_economic_stake_and_says_so():
    net = lt.build_network([Stake("fund", "target", 20)])
    assert by_holder(net, "target")["fund"].voting == pytest.approx(0.20)
    assert net.voting_assumed == {("fund", "target")}


def test_share_classes_between_the_same_pair_add_up():
    net = lt.build_network([Stake("fund", "target", 5, 1), Stake("fund", "target", 3, 9)])
    row = by_holder(net, "target")["fund"]
    assert (row.economic, row.voting) == (pytest.approx(0.08), pytest.approx(0.10))


def test_ranges_are_carried_through_as_bounds():
    # fund holds 75-100% of holdco, which holds 40% of target: 30% to 40%, no point value.
    net = lt.build_network([Stake("fund", "holdco", pct_min=75, pct_max=100),
                            Stake("holdco", "target", 40)])
    row = by_holder(net, "target")["fund"]
    assert row.economic_lo == pytest.approx(0.30, abs=1e-12)
    assert row.economic_hi == pytest.approx(0.40, abs=1e-12)
    assert row.economic is None


def test_an_upper_bound_is_capped_by_what_the_other_holders_hold_at_least():
    # an unknown stake next to a stated 70%: at most 30%
    net = lt.build_network([Stake("known", "target", 70), Stake("unknown", "target")])
    row = by_holder(net, "target")["unknown"]
    assert (row.economic_lo, row.economic_hi) == (0.0, pytest.approx(0.30))


def test_a_cycle_that_leaves_nothing_outside_has_no_finite_look_through():
    net = lt.build_network([Stake("A", "B", 100), Stake("B", "A", 100)])
    assert lt.look_through(net, "A") == [] and lt.closed_cycles(net) == [["A", "B"]]


def test_integrated_rows_and_columns_agree():
    net = lt.build_network([Stake("f", "h", 60), Stake("h", "t", 50), Stake("f", "t", 10),
                            Stake("t", "h", 20)])
    f, t = net.index["f"], net.index["t"]
    col = lt.integrated_columns(net.econ_lo, [t])[:, 0]
    row = lt.integrated_rows(net.econ_lo, [f])[0]
    assert col[f] == pytest.approx(row[t], abs=1e-12)


def test_dual_class_shares_small_economic_stake_majority_vote_controls():
    net = lt.build_network([
        Stake("founder", "platform", economic_pct=12, voting_pct=58),
        Stake("fund", "platform", economic_pct=40, voting_pct=17),
    ])
    chain = lt.controller(net, "platform")
    assert chain.ultimate == "founder"
    assert chain.path == ["platform", "founder"]
    assert chain.controlled_votes == [pytest.approx(0.58)]
    rows = by_holder(net, "platform")
    assert rows["fund"].economic > rows["founder"].economic


def test_control_passes_up_a_majority_chain_and_adds_across_branches():
    # P controls B and C (55% each); B and C hold 30% of T each: P commands 60% of T's votes.
    net = lt.build_network([Stake("P", "B", 55), Stake("P", "C", 55), Stake("Q", "B", 45),
                            Stake("B", "T", 30), Stake("C", "T", 30), Stake("R", "T", 40)])
    chain = lt.controller(net, "T")
    assert chain.ultimate == "P"
    assert chain.path[0] == "T" and chain.path[-1] == "P" and len(chain.path) == 3
    assert chain.controlled_votes[0] == pytest.approx(0.60)


def test_no_majority_no_controller():
    net = lt.build_network([Stake("a", "T", 50), Stake("b", "T", 50)])
    assert lt.controller(net, "T").ultimate is None


def test_a_range_makes_a_possible_controller_not_a_sure_one():
    net = lt.build_network([Stake("a", "T", pct_min=25, pct_max=75)])
    assert lt.controller(net, "T").ultimate is None
    assert lt.controller(net, "T", upper=True).ultimate == "a"


def test_mutual_control_has_no_single_ultimate_controller():
    net = lt.build_network([Stake("A", "B", 60), Stake("B", "A", 60), Stake("A", "T", 70)])
    chain = lt.controller(net, "T")
    assert chain.ultimate is None
    assert chain.circular == ["A", "B"]


def test_exposure_is_the_row_of_the_integrated_matrix():
    net = lt.build_network([Stake("fund", "holdco", 60), Stake("holdco", "target", 50),
                            Stake("fund", "other", 5)])
    rows = {r.holder: r for r in lt.exposure(net, "fund")}
    assert rows["target"].economic == pytest.approx(0.30)
    assert rows["holdco"].economic == pytest.approx(0.60)
    assert rows["other"].economic == pytest.approx(0.05)


def test_network_value_sums_value_held_through_all_chains():
    # fund holds 60% of holdco (value 10) which holds 50% of target (value 100).
    net = lt.build_network([Stake("fund", "holdco", 60), Stake("holdco", "target", 50)])
    import numpy as np

    v = np.zeros(net.size)
    v[net.index["holdco"]], v[net.index["target"]] = 10, 100
    nv = lt.network_value(net.econ_lo, v)
    assert nv[net.index["fund"]] == pytest.approx(0.6 * 10 + 0.3 * 100)


def test_the_strongest_chain_is_the_one_shown():
    net = lt.build_network([Stake("f", "a", 90), Stake("a", "t", 90), Stake("f", "t", 10)])
    assert lt.strongest_chains(net, "t", downstream=False)["f"] == ["f", "a", "t"]
    assert lt.strongest_chains(net, "f", downstream=True)["t"] == ["f", "a", "t"]


def test_ancestors_descendants_and_cycles():
    net = lt.build_network([Stake("A", "B", 10), Stake("B", "C", 10), Stake("C", "B", 10)])
    assert lt.ancestors(net, {"B"}) == {"A", "B", "C"}
    assert lt.descendants(net, {"A"}) == {"A", "B", "C"}
    assert lt.cycle_mates(net, "B") == {"C"}


def test_the_level_solver_matches_a_dense_inverse_on_a_random_network_with_cycles():
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    n = 60
    dense = np.where(rng.random((n, n)) < 0.06, rng.uniform(0.01, 0.3, (n, n)), 0.0)
    np.fill_diagonal(dense, 0)
    dense *= np.minimum(1.0, 0.9 / np.maximum(dense.sum(axis=0), 1e-12))  # columns < 90%
    a = sp.csr_matrix(dense)
    expected = np.linalg.inv(np.eye(n) - dense) @ dense
    assert np.allclose(lt.integrated_columns(a, range(n)), expected, atol=1e-12)
    assert np.allclose(lt.integrated_rows(a, range(n)), expected, atol=1e-12)


def test_block_triangular_order_puts_holders_first_except_inside_cycles():
    net = lt.build_network([Stake("root", "x", 10), Stake("x", "y", 10), Stake("y", "x", 10),
                            Stake("y", "leaf", 10), Stake("root", "leaf", 10)])
    order = [net.ids[i] for i in lt.block_triangular_order(net.links)]
    assert order[0] == "root" and order[-1] == "leaf" and set(order[1:3]) == {"x", "y"}


def test_a_network_without_stakes_builds():
    """A company with no stakes around it (BlackRock as a company) gave a 500."""
    net = lt.build_network([], nodes=["blackrock"])
    assert net.size == 1
