"""The generated DEMO network: labelled as demo, deterministic for a seed, shaped like a real network
(communities, brokers), and linked to the governance registry where it includes registry members."""

from __future__ import annotations

import shutil

import networkx as nx
from network_store_files import services_for

from perhekeskus.plugins.network.store import codes, demo, repository
from perhekeskus.warehouse.settings import Settings


def test_the_same_seed_gives_the_same_network_and_another_seed_another(areas) -> None:
    lookups = codes.Lookups.load(areas)
    first = demo.generate_actors(lookups, seed=7, size=60)
    again = demo.generate_actors(lookups, seed=7, size=60)
    assert first == again
    assert demo.generate_ties(first, 7) == demo.generate_ties(again, 7)
    assert demo.generate_actors(lookups, seed=8, size=60) != first
    assert len({a.name for a in first}) == 60
    assert {m for a in first for m in a.municipalities} <= set(areas.municipalities)


def test_the_demo_is_imported_as_labelled_demo_rounds_with_communities(tmp_path, bodies_home) -> None:
    home = tmp_path / "home"
    shutil.copytree(bodies_home, home)
    services = services_for(Settings(home=home))
    # registry members only when asked: their ties would be invented under real names
    results = demo.load_demo(
        services, seed=2026, size=150, rounds=2, round_date="2026-11-01", registry_members_wanted=3
    )
    assert all(r.ok for r in results), [r.problems for r in results]
    assert [r.round_id for r in results] == ["2026-05-03-maakunta-demo", "2026-11-01-maakunta-demo"]
    newest = results[-1]
    assert newest.actors == 153 and newest.matched_members == 3  # the three registry people of bodies_home
    assert results[0].ties < newest.ties  # the earlier round has fewer ties: something to compare
    with services.reading() as con:
        rounds = {r.round_id: r for r in repository.list_rounds(con)}
        ties = repository.ties(con, newest.round_id)
        types = {r[0] for r in con.execute("SELECT DISTINCT actor_type FROM network_actor")}
        places = {
            r[0] for r in con.execute("SELECT DISTINCT municipality_code FROM network_actor_municipality")
        }
    assert all(r.is_demo and r.title.startswith("DEMO") for r in rounds.values())
    assert len(types) >= 6 and len(places) >= 15
    graph = nx.Graph((t.source, t.target) for t in ties)
    communities = nx.community.louvain_communities(graph, seed=1)
    assert nx.community.modularity(graph, communities) > 0.3  # a network of communities, not a random mess
    assert nx.is_connected(graph) or len(max(nx.connected_components(graph), key=len)) > 140
