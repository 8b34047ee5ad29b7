"""The map's filters, applied on the server: municipality, actor type, task, tie kind and the least
frequency of a tie (the analysis's :class:`Filters` and ``filter_network``, so that the map, the table
and the metrics are made from one filtered network), and the ego view.

Values come from the browser (dropdowns) or an export URL, so they are checked here: only codes that occur
in the round (or are tie kinds) are kept and the frequency is a whole number 1–5; anything else is
ignored rather than an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from urllib.parse import urlencode

from perhekeskus.plugins.network.analysis.graph import Filters, filter_network
from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS, Network

# the query parameters of an export URL
PARAMS = ("municipality", "type", "task", "kind", "min_frequency")


def query(filters: Filters) -> str:
    """The filters as an export URL's query (``?municipality=536,837&min_frequency=3``)."""
    values = {
        "municipality": ",".join(sorted(filters.municipalities)),
        "type": ",".join(sorted(filters.actor_types)),
        "task": ",".join(sorted(filters.tasks)),
        "kind": ",".join(sorted(filters.kinds)),
        "min_frequency": str(filters.min_frequency) if filters.min_frequency > 1 else "",
    }
    kept = {k: v for k, v in values.items() if v}
    return "?" + urlencode(kept, safe=",") if kept else ""


def _codes(value: object, known: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        return ()
    allowed = set(known)
    return tuple(dict.fromkeys(v for v in value if isinstance(v, str) and v in allowed))


def _frequency(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value in FREQUENCIES:
        return value
    return 1


def clean(
    net: Network,
    municipalities: object = None,
    actor_types: object = None,
    tasks: object = None,
    kinds: object = None,
    min_frequency: object = None,
) -> Filters:
    """Filters from untrusted values: codes that occur in ``net`` (or are tie kinds) and a frequency 1–5."""
    return Filters.of(
        kinds=_codes(kinds, TIE_KINDS),
        min_frequency=_frequency(min_frequency),
        tasks=_codes(tasks, {t for a in net.actors for t in a.tasks}),
        municipalities=_codes(municipalities, {m for a in net.actors for m in a.municipalities}),
        actor_types=_codes(actor_types, {a.actor_type for a in net.actors}),
    )


def from_query(net: Network, args: Mapping[str, str]) -> Filters:
    """Filters from an export URL's query arguments."""
    return clean(
        net,
        args.get("municipality", ""),
        args.get("type", ""),
        args.get("task", ""),
        args.get("kind", ""),
        args.get("min_frequency", ""),
    )


def apply(net: Network, filters: Filters) -> Network:
    """The analysis's own filtering (the map and the metrics see the same network)."""
    return filter_network(net, filters)


def neighbourhood(net: Network, centre: str, steps: int) -> set[str]:
    """The actors within ``steps`` ties of ``centre`` (either direction), the centre included."""
    links: dict[str, set[str]] = {}
    for t in net.ties:
        links.setdefault(t.source, set()).add(t.target)
        links.setdefault(t.target, set()).add(t.source)
    reached, frontier = {centre}, {centre}
    for _ in range(max(1, min(steps, 2))):
        frontier = {n for f in frontier for n in links.get(f, ())} - reached
        reached |= frontier
    return reached


def ego(net: Network, centre: str, steps: int) -> Network:
    """Only the neighbourhood of ``centre`` (:func:`neighbourhood`)."""
    keep = neighbourhood(net, centre, steps)
    return replace(
        net,
        actors=tuple(a for a in net.actors if a.actor_id in keep),
        ties=tuple(t for t in net.ties if t.source in keep and t.target in keep),
    )
