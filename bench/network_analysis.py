"""Network-map analysis benchmark: all metrics and all three suggestions on a realistic network of 2,000
actors and 20,000 ties (target: ≤ 2 s in total on the 2-core reference machine).

    .venv/bin/python bench/network_analysis.py                      # 2,000 actors, 20,000 ties, 5 runs
    .venv/bin/python bench/network_analysis.py --actors 300 --ties 2500 --runs 10
    .venv/bin/python bench/network_analysis.py --lang sv            # reasons in Swedish

The network is generated in memory (never written anywhere): the 23 Pirkanmaa municipalities (Tampere the
largest), actor types in the proportions of a family-centre network, each actor working on 1–3 family-centre
tasks and 1–3 client groups that go with their type, and ties mostly inside a municipality (a family centre)
and a working circle, some across types and municipalities, a few hubs, several kinds per pair and many
answered both ways, as a survey gives them.

Printed: the median and the maximum of each step over the runs (the analysis' own steps, then the three
questions), the total, the peak memory (the process' peak RSS, and the Python-level peak of one run
measured separately with tracemalloc, which slows a run and so is not timed), and checks that what was
computed is right (one metrics row per actor, communities covering every actor once, betweenness sampled
and its sample size stated, suggestions non-empty, no pair already tied, introducers knowing both sides).
Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perhekeskus.plugins.network.analysis import (
    analyse,
    bring_closer,
    coordination_group,
    development_groups,
)
from perhekeskus.plugins.network.model import (
    FREQUENCIES,
    TIE_KINDS,
    Actor,
    Network,
    Round,
    Tie,
)

# Pirkanmaa's municipalities and a rough weight of their size
MUNICIPALITIES = {
    "837": 40, "536": 6, "980": 6, "211": 6, "418": 5, "604": 4, "908": 4, "790": 4, "020": 3,
    "562": 2, "108": 2, "143": 1, "581": 1, "508": 2, "635": 1, "922": 1, "936": 1, "702": 1,
    "887": 1, "619": 1, "177": 1, "250": 1, "291": 1,
}  # fmt: skip
# actor type → (weight, the tasks it tends to work on)
TYPES = {
    "education": (18, ["ecec_school_welfare", "open_meeting_places", "leisure_peer_groups", "parenting_couple"]),
    "youth_sports_culture": (8, ["leisure_peer_groups", "open_meeting_places"]),
    "social_services": (20, ["family_social_work", "home_help", "family_work", "child_guidance", "divorce_services", "domestic_violence_prevention"]),
    "health_services": (22, ["maternity_child_clinic", "family_planning", "psychosocial_support", "rehabilitation", "child_guidance"]),
    "ngo": (18, ["open_meeting_places", "parenting_couple", "leisure_peer_groups", "domestic_violence_prevention", "psychosocial_support"]),
    "parish": (8, ["parenting_couple", "open_meeting_places", "divorce_services"]),
    "kela": (3, ["rehabilitation", "family_work"]),
    "other": (3, ["open_meeting_places"]),
}  # fmt: skip
CLIENT_GROUPS = [
    "expecting", "babies", "under_school_age", "school_age", "young_people", "parents_carers",
    "whole_families", "special_support", "divorcing", "foreign_language",
]  # fmt: skip


def generate(actors: int, ties: int, seed: int) -> Network:
    """A realistic network of ``actors`` and ``ties`` (directed, several kinds per pair possible)."""
    rng = random.Random(seed)
    places, place_weights = list(MUNICIPALITIES), list(MUNICIPALITIES.values())
    type_codes = list(TYPES)
    type_weights = [TYPES[t][0] for t in type_codes]
    people: list[Actor] = []
    circle: list[tuple[str, int]] = []  # (municipality, working circle within it)
    activity: list[float] = []
    for k in range(actors):
        kind = rng.choices(type_codes, type_weights)[0]
        home = rng.choices(places, place_weights)[0]
        municipalities = (home,) if rng.random() > 0.1 else tuple(sorted({home, rng.choice(places)}))
        tasks = tuple(sorted(set(rng.sample(TYPES[kind][1], min(len(TYPES[kind][1]), rng.randint(1, 3))))))
        groups = tuple(sorted(set(rng.sample(CLIENT_GROUPS, rng.randint(1, 3)))))
        people.append(
            Actor(
                actor_id=f"a{k:05d}",
                name=f"Henkilö {k}",
                organisation=f"Organisaatio {k % 97}",
                actor_type=kind,
                job_title="",
                municipalities=municipalities,
                tasks=tasks,
                client_groups=groups,
            )
        )
        circle.append((home, rng.randrange(max(1, MUNICIPALITIES[home] // 2))))
        activity.append(rng.lognormvariate(0, 0.8))
    by_circle: dict[tuple[str, int], list[int]] = {}
    by_place: dict[str, list[int]] = {}
    by_type: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        by_circle.setdefault(circle[i], []).append(i)
        by_place.setdefault(circle[i][0], []).append(i)
        by_type.setdefault(person.actor_type, []).append(i)
    everyone = list(range(actors))
    kinds = list(TIE_KINDS)
    found: list[Tie] = []
    while len(found) < ties:
        a = rng.choices(everyone, activity)[0]
        roll = rng.random()
        if roll < 0.55:
            pool = by_circle[circle[a]]
        elif roll < 0.8:
            pool = by_place[circle[a][0]]
        elif roll < 0.93:
            pool = by_type[people[a].actor_type]
        else:
            pool = everyone
        b = rng.choice(pool)
        if a == b:
            continue
        frequency = rng.choices(list(FREQUENCIES), [1, 3, 4, 3, 1])[0]
        task = rng.choice(people[a].tasks) if rng.random() < 0.5 else None
        found.append(Tie(people[a].actor_id, people[b].actor_id, rng.choice(kinds), frequency, task))
        if rng.random() < 0.3 and len(found) < ties:  # answered both ways
            found.append(Tie(people[b].actor_id, people[a].actor_id, rng.choice(kinds), frequency, task))
    rng.shuffle(people)  # the order of import must not matter
    return Network(Round("bench", "2026-12-01"), tuple(people), tuple(found))


def run_once(network: Network, _, label) -> tuple[dict[str, tuple[float, float]], tuple]:
    """One run of everything: step → (wall seconds, processor seconds), and what was computed."""
    start, start_cpu = time.perf_counter(), time.process_time()
    analysis = analyse(network)
    steps = {name: (analysis.timings[name], analysis.cpu_timings[name]) for name in analysis.timings}
    results = [analysis]
    for name, question in (
        ("q1 coordination group", coordination_group),
        ("q2 bring closer", bring_closer),
        ("q3 development groups", development_groups),
    ):
        clock, cpu = time.perf_counter(), time.process_time()
        results.append(question(analysis, _, label))
        steps[name] = (time.perf_counter() - clock, time.process_time() - cpu)
    steps["TOTAL"] = (time.perf_counter() - start, time.process_time() - start_cpu)
    return steps, tuple(results)


def check(network: Network, results: tuple) -> list[str]:
    """What the run computed, checked; a list of failures (empty: all right)."""
    analysis, group, closer, development = results
    failures = []
    n = len({a.actor_id for a in network.actors})
    if len(analysis.metrics) != n:
        failures.append(f"metrics table has {len(analysis.metrics)} rows for {n} actors")
    members = [a for c in analysis.summary.communities for a in c.members]
    if sorted(members) != sorted(analysis.graphs.ids):
        failures.append("communities do not cover every actor exactly once")
    sampling = analysis.summary.betweenness
    if n > 300 and (sampling.exact or not 0 < sampling.sources < n):
        failures.append(f"betweenness should be sampled above 300 actors: {sampling}")
    if len(group.members) != min(8, n) or not group.alternates:
        failures.append("coordination group is not of size 8 with alternates")
    if not closer.actor_pairs or not development:
        failures.append("a suggestion list is empty")
    graph = analysis.graphs.undirected
    for pair in closer.actor_pairs:
        a, b = pair.actor_ids
        if graph.has_edge(a, b):
            failures.append(f"bring-closer proposes an existing tie {a}–{b}")
        if pair.introducer and not (
            graph.has_edge(a, pair.introducer) and graph.has_edge(pair.introducer, b)
        ):
            failures.append(f"introducer {pair.introducer} does not know both {a} and {b}")
    for suggestion in (*group.members, *closer.actor_pairs, *development):
        if not suggestion.reasons:
            failures.append("a suggestion without reasons")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--ties", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lang", default="fi", choices=("fi", "sv", "en"))
    parser.add_argument("--budget", type=float, default=2.0, help="target total seconds (median)")
    args = parser.parse_args()

    from perhekeskus.ui import translator

    _ = translator(args.lang)
    label = str  # the view passes names or pseudonyms; ids are enough here

    started = time.perf_counter()
    network = generate(args.actors, args.ties, args.seed)
    print(
        f"generated {len(network.actors)} actors, {len(network.ties)} ties "
        f"in {time.perf_counter() - started:.2f} s (not timed below)"
    )
    run_once(network, _, label)  # warm-up: imports, first-call caches

    timings: dict[str, list[float]] = {}
    cpu_timings: dict[str, list[float]] = {}
    results = None
    load_before = os.getloadavg()[0]
    for _run in range(args.runs):
        steps, results = run_once(network, _, label)
        for name, (seconds, cpu_seconds) in steps.items():
            timings.setdefault(name, []).append(seconds)
            cpu_timings.setdefault(name, []).append(cpu_seconds)
    load_after = os.getloadavg()[0]

    tracemalloc.start()
    run_once(network, _, label)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    analysis, group, closer, development = results
    summary = analysis.summary
    print(
        f"network: {summary.actors} actors, {summary.pairs} tied pairs, {summary.ties} directed ties "
        f"(after collapsing kinds), density {summary.density:.4f}, reciprocity {summary.reciprocity:.3f}, "
        f"{len(summary.communities)} communities (modularity {summary.modularity:.3f}), "
        f"{len(summary.isolates)} isolates"
    )
    print(
        f"betweenness: {'exact' if summary.betweenness.exact else 'sampled'} from "
        f"{summary.betweenness.sources} of {summary.betweenness.actors} actors (seed {summary.betweenness.seed}); "
        f"eigenvector: {summary.eigenvector_method}"
    )
    print(
        f"\n{args.runs} runs (after one warm-up), seconds; {os.cpu_count()} processors, load average "
        f"{load_before:.1f} before and {load_after:.1f} after (other processes share the processors: "
        "on a busy machine the processor time is the fairer figure)"
    )
    print(f"{'step':<24}{'wall median':>12}{'wall max':>10}{'cpu median':>12}{'cpu max':>10}")
    for name, values in timings.items():
        cpu_values = cpu_timings[name]
        print(
            f"{name:<24}{statistics.median(values):>12.3f}{max(values):>10.3f}"
            f"{statistics.median(cpu_values):>12.3f}{max(cpu_values):>10.3f}"
        )
    print(
        f"\npeak RSS of the process: {rss_peak_mb:.0f} MB; Python-level peak of one run (tracemalloc): "
        f"{traced_peak / 2**20:.0f} MB"
    )
    print(
        f"\nsuggestions: group of {len(group.members)} reaching {group.reach_share:.0%} "
        f"({group.reached}/{group.total}); {len(closer.actor_pairs)} actor pairs, "
        f"{len(closer.community_pairs)} community pairs; {len(development)} development groups"
    )
    print("first member:", group.members[0].actor_id, "—", " ".join(group.members[0].reasons))
    print("group:", " ".join(group.summary[:2]))
    if closer.actor_pairs:
        print("first pair:", closer.actor_pairs[0].actor_ids, "—", " ".join(closer.actor_pairs[0].reasons))
    if closer.community_pairs:
        print(
            "first community pair:",
            closer.community_pairs[0].community_ids,
            "—",
            " ".join(closer.community_pairs[0].reasons),
        )
    if development:
        print("first development group:", development[0].task_name, "—", " ".join(development[0].reasons))

    failures = check(network, results)
    median_total = statistics.median(timings["TOTAL"])
    median_cpu = statistics.median(cpu_timings["TOTAL"])
    print(f"\ncheck: {'all right' if not failures else '; '.join(failures)}")
    print(
        f"total: wall median {median_total:.3f} s (max {max(timings['TOTAL']):.3f} s), processor time "
        f"median {median_cpu:.3f} s; target ≤ {args.budget:.1f} s: wall "
        f"{'met' if median_total <= args.budget else 'NOT met'}, processor "
        f"{'met' if median_cpu <= args.budget else 'NOT met'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
