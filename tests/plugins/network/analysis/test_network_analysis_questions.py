"""The three questions: known answers on small networks, guarantees on the karate club, stability."""

from __future__ import annotations

import random
import re

import networkx as nx
import pytest

from perhekeskus.plugins.network.analysis import (
    analyse,
    answer_questions,
    bring_closer,
    closed_neighbourhood_reach,
    coordination_group,
    development_groups,
)
from perhekeskus.plugins.network.model import Actor, Network, Round, Tie


def pseudonym(actor_id: str) -> str:
    return f"P-{actor_id}"


def actor(actor_id, kind="ngo", places=("837",), tasks=("open_meeting_places",), groups=("babies",)):
    return Actor(
        actor_id,
        f"Secret {actor_id}",
        "Org",
        kind,
        municipalities=tuple(places),
        tasks=tuple(tasks),
        client_groups=tuple(groups),
    )


@pytest.fixture(scope="module")
def karate_analysis(karate):
    return analyse(karate)


def test_coordination_group_reaches_more_than_random_groups(karate_analysis, plain):
    group = coordination_group(karate_analysis, plain, pseudonym, size=4)
    assert len(group.members) == 4 and len(group.alternates) == 3
    assert not set(group.actor_ids) & set(group.alternate_ids)
    assert group.reached == closed_neighbourhood_reach(karate_analysis, group.actor_ids)
    assert group.reach_share == pytest.approx(group.reached / 34)
    rng = random.Random(3)
    ids = list(karate_analysis.graphs.ids)
    random_reach = sorted(closed_neighbourhood_reach(karate_analysis, rng.sample(ids, 4)) for _ in range(300))
    assert group.reached > random_reach[int(0.95 * len(random_reach))]
    assert group.reached >= 28  # the two leaders' circles and two brokers reach almost the whole club
    assert {"k00", "k33"} <= set(group.actor_ids)


def test_coordination_group_reasons_state_the_metrics(karate_analysis, plain):
    group = coordination_group(karate_analysis, plain, pseudonym)
    row = karate_analysis.metrics.set_index("actor_id").loc[group.members[0].actor_id]
    first = group.members[0].reasons[0]
    assert f"{row.types_reached} actor type" in first
    assert f"{row.degree} direct contacts" in first
    assert re.search(r"reaches \d+% of the network within one step", group.summary[0])
    assert all(m.reasons for m in (*group.members, *group.alternates))
    instructor = next(m for m in group.members if m.actor_id == "k00")  # the highest betweenness of all
    assert any(r.startswith("A broker: among the top 5% of the network") for r in instructor.reasons)
    assert sum(m.new_reach for m in group.members) == group.reached


def test_coordination_group_balances_actor_types(plain):
    """Two NGO hubs of 10 contacts and a parish hub of 8: the second NGO hub would add 11 people, but a
    second NGO member halves its score (5.5 × broker bonus), so the parish hub (9) comes second."""
    actors = [actor("ngo1"), actor("ngo2"), actor("parish1", "parish", ("536",))]
    ties = []
    for hub, leaves in (("ngo1", 10), ("ngo2", 10), ("parish1", 8)):
        for k in range(leaves):
            leaf = f"{hub}-leaf{k}"
            actors.append(actor(leaf, "other"))
            ties.append(Tie(hub, leaf))
    analysis = analyse(Network(Round("r", "2026-01-01"), tuple(actors), tuple(ties)))
    group = coordination_group(analysis, plain, pseudonym, size=2, alternates=1)
    assert group.actor_ids == ("ngo1", "parish1")
    assert group.alternate_ids == ("ngo2",)
    assert any("actor type the group lacks" in r for r in group.members[1].reasons)
    assert "Brings a municipality the group lacks." in group.members[1].reasons
    named = coordination_group(analysis, plain, pseudonym, size=2, municipality_name={"536": "Nokia"}.get)
    assert "Brings a municipality the group lacks: Nokia." in named.members[1].reasons


def test_bring_closer_known_answer_with_the_strongest_introducer(plain):
    actors = (
        actor("a", "ngo", tasks=("home_help",)),
        actor("b", "health_services", tasks=("home_help",)),
        actor("weak", "parish", tasks=("leisure_peer_groups",), groups=("school_age",)),
        actor("strong", "kela", tasks=("rehabilitation",), groups=("young_people",)),
    )
    ties = (
        Tie("a", "weak", frequency=2),
        Tie("weak", "b", frequency=5),
        Tie("a", "strong", frequency=4),
        Tie("b", "strong", frequency=4),
    )
    analysis = analyse(Network(Round("r", "2026-01-01"), actors, ties))
    answer = bring_closer(analysis, plain, pseudonym)
    best = answer.actor_pairs[0]
    assert best.actor_ids == ("a", "b")
    assert best.introducer == "strong"  # weekly with both beats daily with one and yearly with the other
    assert best.shared_tasks == ("home_help",) and best.shared_client_groups == ("babies",)
    assert best.distance == 2
    apart = analysis.community_of["a"] != analysis.community_of["b"]
    assert best.score == pytest.approx(2 + 1 + 1 + apart)  # task, client group, types differ, (community)
    assert any("P-strong knows both" in r for r in best.reasons)


def test_bring_closer_never_proposes_a_tie_and_introducers_know_both(karate_analysis, plain):
    answer = bring_closer(karate_analysis, plain, pseudonym, limit=15)
    graph = karate_analysis.graphs.undirected
    actors = {a.actor_id: a for a in karate_analysis.network.actors}
    assert len(answer.actor_pairs) == 15
    seen: dict[str, int] = {}
    for pair in answer.actor_pairs:
        a, b = pair.actor_ids
        assert a < b and not graph.has_edge(a, b)
        assert set(actors[a].tasks) & set(actors[b].tasks) or set(actors[a].client_groups) & set(
            actors[b].client_groups
        )
        if pair.introducer:
            assert graph.has_edge(a, pair.introducer) and graph.has_edge(pair.introducer, b)
        else:
            assert pair.distance != 2 and any("No one in the network knows both" in r for r in pair.reasons)
        for x in (a, b):
            seen[x] = seen.get(x, 0) + 1
    assert max(seen.values()) <= 2
    scores = [p.score for p in answer.actor_pairs]
    assert scores == sorted(scores, reverse=True)
    for pair in answer.community_pairs:
        x, y = pair.community_ids
        members_x = {a for a, c in karate_analysis.community_of.items() if c == x}
        members_y = {a for a, c in karate_analysis.community_of.items() if c == y}
        assert pair.ties_between == sum(
            1 for u, v in graph.edges if {u, v} & members_x and {u, v} & members_y
        )
        if pair.introducer:
            assert any(n in members_x for n in graph[pair.introducer]) or pair.introducer in members_x


def test_development_groups_mix_communities_and_types(karate_analysis, plain):
    groups = development_groups(karate_analysis, plain, pseudonym, size=5)
    actors = {a.actor_id: a for a in karate_analysis.network.actors}
    assert groups, "every karate actor works on a task"
    workers = [g.workers for g in groups]
    assert workers == sorted(workers, reverse=True)
    for group in groups:
        assert 3 <= group.size <= 5 and group.actor_ids[0] == group.leader
        assert all(group.task in actors[a].tasks for a in group.actor_ids)
        assert len(group.communities) >= 2
        assert group.possible_pairs == group.size * (group.size - 1) // 2
        graph = karate_analysis.graphs.undirected
        assert group.existing_pairs == graph.subgraph(group.actor_ids).number_of_edges()
        assert any(r.startswith("P-") and "could lead" in r for r in group.reasons)


def test_suggestions_are_stable_and_independent_of_input_order(karate, plain):
    first = answer_questions(analyse(karate), plain, pseudonym)
    again = answer_questions(analyse(karate), plain, pseudonym)
    assert first == again
    rng = random.Random(9)
    actors, ties = list(karate.actors), list(karate.ties)
    rng.shuffle(actors)
    rng.shuffle(ties)
    shuffled = answer_questions(analyse(Network(karate.round, tuple(actors), tuple(ties))), plain, pseudonym)
    assert shuffled == first


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_reasons_are_translated_and_never_carry_names(karate, lang):
    from perhekeskus.ui import translator

    _ = translator(lang)
    answers = answer_questions(analyse(karate), _, pseudonym)
    sentences = [
        *answers.coordination.summary,
        *(r for m in (*answers.coordination.members, *answers.coordination.alternates) for r in m.reasons),
        *answers.closer.method,
        *(r for p in (*answers.closer.actor_pairs, *answers.closer.community_pairs) for r in p.reasons),
        *(r for g in answers.development for r in g.reasons),
    ]
    assert sentences
    text = "\n".join(sentences)
    assert "Secret" not in text  # names reach a sentence only through label()
    assert "{" not in text and "}" not in text
    assert "P-k" in text
    marker = {"fi": "Ryhmä tavoittaa", "sv": "Gruppen når", "en": "The group reaches"}[lang]
    assert answers.coordination.summary[0].startswith(marker)
    if lang == "fi":
        assert "%" in answers.coordination.summary[0] and " %" in answers.coordination.summary[0]


def test_a_network_with_isolates_and_components_gets_answers(plain):
    graph = nx.disjoint_union(nx.path_graph(4), nx.cycle_graph(5))
    graph.add_nodes_from([100, 101])
    actors = tuple(actor(f"n{i:03d}", tasks=("home_help",)) for i in graph.nodes)
    ties = tuple(Tie(f"n{a:03d}", f"n{b:03d}") for a, b in graph.edges)
    analysis = analyse(Network(Round("r", "2026-01-01"), actors, ties))
    answers = answer_questions(analysis, plain, pseudonym, group_size=8)
    assert len(answers.coordination.members) == 8
    assert answers.coordination.reached == 11  # everyone, isolates by themselves
    unconnected = [p for p in answers.closer.actor_pairs if p.distance is None]
    assert unconnected and all(p.introducer is None for p in unconnected)
    assert answers.development and answers.development[0].workers == 11


def test_development_group_of_a_task_whose_workers_already_work_together(plain):
    actors = (*(actor(x, tasks=("home_help",)) for x in "abc"), actor("d", tasks=("family_work",)))
    ties = (Tie("a", "b"), Tie("b", "c"), Tie("a", "c"), Tie("c", "d"))
    (group,) = development_groups(analyse(Network(Round("r", "2026-01-01"), actors, ties)), plain, pseudonym)
    assert group.task == "home_help" and group.size == 3 and group.existing_pairs == 3
    assert "All 3 pairs in the group already work together." in group.reasons
    assert group.leader == "c"  # the most ties into the group's communities (d's as well)
    assert (
        group.reasons[-1]
        == "P-c could lead: 3 ties into the group's communities, and the highest betweenness in the group."
    )
