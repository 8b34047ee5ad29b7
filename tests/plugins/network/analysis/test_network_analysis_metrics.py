"""The analysis' metrics against networks with known answers and against networkx's own definitions."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from perhekeskus.plugins.network.analysis import (
    METRIC_COLUMNS,
    Filters,
    analyse,
    build_graphs,
    filter_network,
    metric_labels,
)
from perhekeskus.plugins.network.model import Actor, Network, Round, Tie


def by_actor(analysis, column: str) -> dict[str, float]:
    return dict(zip(analysis.metrics["actor_id"], analysis.metrics[column], strict=True))


def test_krackhardt_kite_known_answers(kite):
    analysis = analyse(kite)
    degree = by_actor(analysis, "degree")
    betweenness = by_actor(analysis, "betweenness")
    closeness = by_actor(analysis, "closeness")
    eigen = by_actor(analysis, "eigenvector")
    assert degree["Diane"] == 6
    assert max(betweenness, key=betweenness.get) == "Heather"
    assert betweenness["Heather"] == pytest.approx(14 / 36, abs=1e-9)  # 0.389: the classic value
    assert {a for a, v in closeness.items() if v == max(closeness.values())} == {"Fernando", "Garth"}
    assert closeness["Fernando"] == pytest.approx(9 / 14)  # 0.643: nine others, 14 steps in all
    assert max(eigen, key=eigen.get) == "Diane"
    assert betweenness["Jane"] == 0.0  # the kite's tail end
    assert analysis.summary.betweenness.exact
    assert analysis.summary.density == pytest.approx(18 / 45)


def test_metrics_equal_networkx_on_the_kite_and_the_karate_club(kite, karate, karate_graph):
    for network in (kite, karate):
        analysis = analyse(network)
        graph = analysis.graphs.undirected
        expected = {
            "betweenness": nx.betweenness_centrality(graph),
            "closeness": nx.closeness_centrality(graph),
            "eigenvector": nx.eigenvector_centrality_numpy(graph, weight="weight"),
            "constraint": nx.constraint(graph, weight="weight"),
            "effective_size": nx.effective_size(graph, nodes=list(graph), weight="weight"),
        }
        for column, values in expected.items():
            ours = by_actor(analysis, column)
            for actor, value in values.items():
                assert ours[actor] == pytest.approx(value, abs=1e-9), (column, actor)


def test_burt_constraint_and_effective_size_on_a_weighted_graph_with_an_isolate(make_network):
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        [("a", "b", 5), ("a", "c", 1), ("b", "c", 3), ("c", "d", 2), ("d", "e", 4), ("a", "e", 1)]
    )
    graph.add_node("f")
    network = make_network(graph, frequency=lambda u, v: graph[u][v]["weight"])
    analysis = analyse(network)
    constraint = by_actor(analysis, "constraint")
    effective = by_actor(analysis, "effective_size")
    for node, value in nx.constraint(graph, weight="weight").items():
        assert constraint[node] == pytest.approx(value, nan_ok=True)
    # networkx's per-actor definition (its all-actors shortcut normalises the wrong axis in 3.6)
    for node, value in nx.effective_size(graph, nodes=list(graph), weight="weight").items():
        assert effective[node] == pytest.approx(value, nan_ok=True)
    assert math.isnan(constraint["f"]) and math.isnan(effective["f"])


def test_karate_club_density_and_reproducible_communities(karate):
    first = analyse(karate)
    assert first.summary.density == pytest.approx(0.139, abs=5e-4)
    assert first.summary.pairs == 78
    communities = first.summary.communities
    assert 3 <= len(communities) <= 6
    assert sorted(a for c in communities for a in c.members) == sorted(first.graphs.ids)
    assert [c.size for c in communities] == sorted((c.size for c in communities), reverse=True)
    assert [c.community_id for c in communities] == list(range(1, len(communities) + 1))
    assert first.community_of["k00"] != first.community_of["k33"]  # the instructor and the administrator
    assert first.summary.modularity > 0.38
    again = analyse(karate)
    assert again.summary.communities == communities
    other_seed = analyse(karate, seed=first.seed + 1)
    assert other_seed.summary.betweenness.seed == first.seed + 1


def test_same_data_in_another_order_gives_the_same_result(karate):
    rng = random.Random(5)
    actors, ties = list(karate.actors), list(karate.ties)
    rng.shuffle(actors)
    rng.shuffle(ties)
    shuffled = Network(karate.round, tuple(actors), tuple(ties))
    first, second = analyse(karate), analyse(shuffled)
    pd.testing.assert_frame_equal(first.metrics, second.metrics)
    assert first.summary == second.summary


def test_betweenness_is_sampled_above_the_threshold_and_says_so(make_network):
    graph = nx.relabel_nodes(nx.gnm_random_graph(320, 1300, seed=4), lambda i: f"n{i:03d}")
    network = make_network(graph)
    analysis = analyse(network)
    sampling = analysis.summary.betweenness
    assert not sampling.exact
    assert (sampling.sources, sampling.actors) == (300, 320)
    reference = nx.Graph()
    reference.add_nodes_from(sorted(graph))
    reference.add_edges_from(graph.edges)
    expected = nx.betweenness_centrality(reference, k=300, seed=sampling.seed)
    ours = by_actor(analysis, "betweenness")
    assert all(ours[a] == pytest.approx(v, abs=1e-12) for a, v in expected.items())
    assert analysis.summary.eigenvector_method == "arpack"
    eigen = nx.eigenvector_centrality_numpy(reference)
    assert all(by_actor(analysis, "eigenvector")[a] == pytest.approx(v, abs=1e-8) for a, v in eigen.items())
    exact = analyse(network, exact_up_to=400)
    assert exact.summary.betweenness.exact and exact.summary.betweenness.sources == 320
    truth = nx.betweenness_centrality(reference)
    assert all(by_actor(exact, "betweenness")[a] == pytest.approx(v, abs=1e-12) for a, v in truth.items())


def actor(actor_id: str, kind: str = "ngo", places=("837",), tasks=("open_meeting_places",)) -> Actor:
    return Actor(actor_id, f"Name {actor_id}", "Org", kind, municipalities=tuple(places), tasks=tuple(tasks))


def test_reciprocity_collapsed_ties_and_ignored_ties():
    network = Network(
        Round("r", "2026-01-01"),
        (actor("a"), actor("b"), actor("c"), actor("d")),
        (
            Tie("a", "b", "collaborates", 2),
            Tie("a", "b", "advice", 4),  # the same pair, another kind: one directed tie, weight 4
            Tie("b", "a", "information", 1),
            Tie("a", "c", "referral", 3),
            Tie("c", "d", "collaborates", 9),  # out of range: clamped to 5
            Tie("d", "x", "collaborates", 3),  # unknown actor
            Tie("d", "d", "collaborates", 3),  # to oneself
        ),
    )
    analysis = analyse(network)
    summary = analysis.summary
    assert summary.ties == 4 and summary.pairs == 3 and summary.ignored_ties == 2
    assert summary.reciprocity == pytest.approx(0.5)
    assert summary.reciprocity == pytest.approx(nx.reciprocity(analysis.graphs.directed))
    graphs = analysis.graphs
    assert graphs.undirected["a"]["b"]["weight"] == 4
    assert graphs.undirected["c"]["d"]["weight"] == 5
    assert graphs.kinds[("a", "b")] == frozenset({"collaborates", "advice", "information"})
    assert by_actor(analysis, "in_degree") == {"a": 1, "b": 1, "c": 1, "d": 1}
    assert by_actor(analysis, "out_degree") == {"a": 2, "b": 1, "c": 1, "d": 0}
    assert by_actor(analysis, "weighted_degree")["a"] == 4 + 3


def test_isolates_and_several_components(plain):
    actors = (
        actor("a", "ngo", ("837",)),
        actor("b", "parish", ("837",)),
        actor("c", "ngo", ("536",)),
        actor("d", "kela", ("980",)),
        actor("e", "ngo", ("980",)),
        actor("lone1"),
        actor("lone2", "parish", ()),
    )
    ties = (Tie("a", "b"), Tie("b", "c"), Tie("d", "e"))
    analysis = analyse(Network(Round("r", "2026-01-01"), actors, ties))
    summary = analysis.summary
    assert summary.isolates == ("lone1", "lone2")
    assert summary.components == 4 and summary.largest_component == 3
    assert summary.cross_type_share == pytest.approx(3 / 3)
    assert summary.cross_municipality_share == pytest.approx(1 / 3)  # b–c only; d–e share 980
    closeness = by_actor(analysis, "closeness")
    assert closeness["lone1"] == 0.0
    assert closeness["b"] == pytest.approx(nx.closeness_centrality(analysis.graphs.undirected)["b"])
    assert np.isfinite(analysis.metrics["eigenvector"]).all()
    assert by_actor(analysis, "types_reached")["b"] == 1  # a and c are both NGOs
    assert by_actor(analysis, "municipalities_reached")["b"] == 2
    assert by_actor(analysis, "communities_reached")["lone1"] == 0
    assert len({analysis.community_of["lone1"], analysis.community_of["lone2"]}) == 2


def test_empty_and_tieless_networks_do_not_fail():
    empty = analyse(Network(Round("r", "2026-01-01")))
    assert len(empty.metrics) == 0 and empty.summary.reciprocity is None
    alone = analyse(Network(Round("r", "2026-01-01"), (actor("a"), actor("b"))))
    assert alone.summary.density == 0 and alone.summary.modularity is None
    assert alone.summary.eigenvector_method == "none"


def test_filters_narrow_actors_and_ties():
    actors = (
        actor("a", "ngo", ("837",), ("open_meeting_places",)),
        actor("b", "parish", ("536",), ("open_meeting_places", "home_help")),
        actor("c", "ngo", ("837",), ("home_help",)),
    )
    ties = (
        Tie("a", "b", "collaborates", 4, "open_meeting_places"),
        Tie("b", "c", "advice", 2, "home_help"),
        Tie("a", "c", "referral", 5, None),
    )
    network = Network(Round("r", "2026-01-01"), actors, ties)
    assert filter_network(network, Filters()) is network
    assert len(filter_network(network, Filters.of(kinds=["advice"])).ties) == 1
    assert {(t.source, t.target) for t in filter_network(network, Filters.of(min_frequency=4)).ties} == {
        ("a", "b"),
        ("a", "c"),
    }
    by_task = filter_network(network, Filters.of(tasks=["home_help"]))
    assert [a.actor_id for a in by_task.actors] == ["b", "c"]
    assert [(t.source, t.target) for t in by_task.ties] == [("b", "c")]
    by_place = filter_network(network, Filters.of(municipalities=["837"]))
    assert [(t.source, t.target) for t in by_place.ties] == [("a", "c")]
    by_type = analyse(network, Filters.of(actor_types=["ngo"]))
    assert list(by_type.metrics["actor_id"]) == ["a", "c"] and by_type.summary.pairs == 1


def test_graph_weights_are_symmetric_and_indexed_by_id(kite):
    graphs = build_graphs(kite)
    assert list(graphs.ids) == sorted(graphs.ids)
    dense = graphs.weights.toarray()
    assert (dense == dense.T).all() and (np.diag(dense) == 0).all()
    i, j = graphs.index["Diane"], graphs.index["Andre"]
    assert graphs.weight(i, j) == 3 and graphs.weight(i, graphs.index["Jane"]) == 0


def test_metric_table_columns_and_translated_labels():
    from perhekeskus.ui import translator

    analysis = analyse(Network(Round("r", "2026-01-01"), (actor("a"), actor("b")), (Tie("a", "b"),)))
    assert list(analysis.metrics.columns) == list(METRIC_COLUMNS)
    finnish = metric_labels(translator("fi"))
    assert finnish["betweenness"] == "Välillisyys" and finnish["degree"] == "Yhteyksiä"
    assert metric_labels(translator("sv"))["community"] == "Gemenskap"
    assert metric_labels(translator("en"))["effective_size"] == "Effective size"


def test_eigenvector_falls_back_when_arpack_does_not_converge(make_network, monkeypatch):
    import scipy.sparse.linalg

    graph = nx.relabel_nodes(nx.gnm_random_graph(80, 300, seed=2), lambda i: f"n{i:02d}")
    network = make_network(graph)
    converged = analyse(network)

    def no_convergence(*args, **kwargs):
        raise scipy.sparse.linalg.ArpackNoConvergence("no convergence", np.zeros(0), np.zeros((80, 0)))

    monkeypatch.setattr(scipy.sparse.linalg, "eigsh", no_convergence)
    fallback = analyse(network)
    assert (converged.summary.eigenvector_method, fallback.summary.eigenvector_method) == ("arpack", "dense")
    np.testing.assert_allclose(fallback.column("eigenvector"), converged.column("eigenvector"), atol=1e-9)


def test_summary_in_words_states_the_sample_and_the_figures(make_network):
    from perhekeskus.plugins.network.analysis import describe
    from perhekeskus.ui import translator

    graph = nx.relabel_nodes(nx.gnm_random_graph(320, 1300, seed=4), lambda i: f"n{i:03d}")
    graph.add_node("lonely")
    sampled = describe(analyse(make_network(graph)), translator("en"))
    assert "Betweenness was estimated from a sample of 300 of the 321 actors (fixed seed)" in " ".join(
        sampled
    )
    assert "1 actor has no ties." in sampled
    assert sampled[0].startswith("321 actors; 1,300 pairs of them have a tie (density 2.5%)")
    finnish = describe(analyse(make_network(nx.krackhardt_kite_graph())), translator("fi"))
    assert "Välillisyys laskettiin kaikista toimijoista." in finnish
    assert finnish[0] == "10 toimijaa; 18 parilla heistä on yhteys (tiheys 40,0 %)."
    assert describe(analyse(Network(Round("r", "2026-01-01"))), translator("sv")) == (
        "Nätverket har inga aktörer.",
    )


def test_popcount_without_numpy_2_counts_the_same(monkeypatch):
    from perhekeskus.plugins.network.analysis import centrality

    words = np.random.default_rng(1).integers(0, 2**63, size=(7, 3), dtype=np.uint64)
    words[0, 0] = np.uint64(2**64 - 1)
    expected = np.array([[bin(int(w)).count("1") for w in row] for row in words])
    assert (centrality.popcount(words) == expected).all()
    monkeypatch.delattr(np, "bitwise_count")
    assert (centrality.popcount(words) == expected).all()
