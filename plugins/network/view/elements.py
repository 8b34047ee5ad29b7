"""A shown network → dash-cytoscape elements, their stylesheet and the legend (as HTML, not only colour).

Colour is never the only signal: every actor type has its own shape as well (the legend shows the shape
as a symbol beside the colour), tie kinds differ by line style, highlighted actors get a thick outline,
and the table beside the map says everything the map does in text.

Only what the reader may see goes into an element: the node id (opaque), the label (a name only for a
reader allowed names, else a pseudonym), a size and classes. Organisations, titles and store ids never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from perhekeskus.plugins.network.model import Network

# Okabe–Ito first (distinguishable with the common colour-vision deficiencies), then Tol's muted set
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#882255",
    "#44AA99",
    "#117733",
    "#332288",
    "#AA4499",
    "#DDCC77",
    "#88CCEE",
    "#661100",
)
# actor type → (cytoscape shape, the same shape as a text symbol for the legend and the table)
SHAPES = {
    "education": ("round-rectangle", "■"),
    "youth_sports_culture": ("diamond", "◆"),
    "social_services": ("ellipse", "●"),
    "health_services": ("triangle", "▲"),
    "ngo": ("hexagon", "⬢"),
    "parish": ("star", "★"),
    "kela": ("vee", "▼"),
    "other": ("pentagon", "⬟"),
}
FALLBACK_SHAPES = (("octagon", "⯃"), ("barrel", "▬"), ("rhomboid", "▱"), ("tag", "➤"))
# tie kind → cytoscape line style and a word for the legend's symbol
LINE_STYLES = {"collaborates": "solid", "advice": "dashed", "information": "dotted", "referral": "solid"}
LABELS_UP_TO = 80  # more nodes than this: labels only on highlighted and chosen nodes
MIN_SIZE, MAX_SIZE = 18.0, 60.0


def shape_of(actor_type: str, known: Iterable[str] = ()) -> tuple[str, str]:
    if actor_type in SHAPES:
        return SHAPES[actor_type]
    extra = sorted(set(known) - set(SHAPES))
    position = extra.index(actor_type) if actor_type in extra else 0
    return FALLBACK_SHAPES[position % len(FALLBACK_SHAPES)]


@dataclass(frozen=True)
class Category:
    """One colour of the map: its key, its name in the page language and its colour."""

    key: str
    name: str
    colour: str


def categories(keys: Iterable[str], names: Mapping[str, str]) -> list[Category]:
    """Colours for ``keys`` in a stable order (their names' order)."""
    ordered = sorted(set(keys), key=lambda k: (names.get(k, k).casefold(), k))
    return [Category(k, names.get(k, k), PALETTE[i % len(PALETTE)]) for i, k in enumerate(ordered)]


def colour_key(actor, colour_by: str, communities: Mapping[str, int]) -> str:
    if colour_by == "municipality":
        return actor.municipalities[0] if actor.municipalities else "-"
    if colour_by == "community":
        found = communities.get(actor.actor_id)
        return f"{found}" if found is not None else "-"
    return actor.actor_type


def sizes(values: Mapping[str, float], node_ids: Iterable[str]) -> dict[str, float]:
    """Node sizes from a metric: linear between :data:`MIN_SIZE` and :data:`MAX_SIZE`."""
    ids = list(node_ids)
    found = [float(values[n]) for n in ids if values.get(n) is not None]
    low, high = (min(found), max(found)) if found else (0.0, 0.0)
    span = high - low
    out = {}
    for n in ids:
        v = values.get(n)
        if v is None or span <= 0:
            out[n] = (MIN_SIZE + MAX_SIZE) / 2 if span <= 0 and v is not None else MIN_SIZE
        else:
            out[n] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (float(v) - low) / span, 1)
    return out


def elements(
    net: Network,
    colours: Mapping[str, Category],
    colour_by: str,
    communities: Mapping[str, int],
    size_values: Mapping[str, float],
    highlight: Iterable[str] = (),
    centre: str | None = None,
    lost: Iterable[tuple[str, str, str]] = (),
    added: Iterable[tuple[str, str, str]] = (),
    new_actors: Iterable[str] = (),
    gone_actors: Iterable[str] = (),
    extra_actors: Iterable = (),
) -> list[dict]:
    """Nodes and edges of ``net`` for cytoscape; ``extra_actors`` (actors of a compared round that are not
    in ``net``) are drawn too, and ``lost`` ties are drawn between any drawn actors."""
    actors = list(net.actors) + [a for a in extra_actors if net.actor(a.actor_id) is None]
    highlight, new_actors, gone_actors = set(highlight), set(new_actors), set(gone_actors)
    added = set(added)
    size = sizes(size_values, [a.actor_id for a in actors])
    keys = sorted(colours)
    known_types = {a.actor_type for a in actors}
    labelled = len(actors) <= LABELS_UP_TO
    out: list[dict] = []
    for actor in actors:
        key = colour_key(actor, colour_by, communities)
        classes = [
            f"c{keys.index(key)}" if key in colours else "c-none",
            "t-" + shape_of(actor.actor_type, known_types)[0],
        ]
        if highlight:
            classes.append("hl" if actor.actor_id in highlight else "dim")
        if actor.actor_id == centre:
            classes.append("centre")
        if actor.actor_id in new_actors:
            classes.append("new")
        if actor.actor_id in gone_actors:
            classes.append("gone")
        if labelled or actor.actor_id in highlight or actor.actor_id == centre:
            classes.append("labelled")
        out.append(
            {
                "data": {"id": actor.actor_id, "label": actor.name, "size": size[actor.actor_id]},
                "classes": " ".join(classes),
            }
        )
    drawn = {a.actor_id for a in actors}
    seen: set[tuple[str, str, str]] = set()
    number = 0
    for tie in net.ties:
        key3 = (tie.source, tie.target, tie.kind)
        if key3 in seen or tie.source not in drawn or tie.target not in drawn:
            continue
        seen.add(key3)
        number += 1
        classes = [tie.kind]
        if key3 in added:
            classes.append("added")
        if highlight and not (tie.source in highlight and tie.target in highlight):
            classes.append("dim")
        out.append(
            {
                "data": {"id": f"e{number}", "source": tie.source, "target": tie.target, "w": tie.frequency},
                "classes": " ".join(classes),
            }
        )
    for source, target, kind in lost:
        if source in drawn and target in drawn and (source, target, kind) not in seen:
            number += 1
            out.append(
                {
                    "data": {"id": f"e{number}", "source": source, "target": target, "w": 1},
                    "classes": f"{kind} lost",
                }
            )
    return out


def stylesheet(colours: Mapping[str, Category]) -> list[dict]:
    """The map's style: colour classes, a shape per actor type, line styles per tie kind, highlights."""
    sheet: list[dict] = [
        {
            "selector": "node",
            "style": {
                "width": "data(size)",
                "height": "data(size)",
                "background-color": "#767676",
                "border-width": 1,
                "border-color": "#1b1b1b",
                "font-size": 11,
                "color": "#1b1b1b",
                "text-valign": "bottom",
                "text-margin-y": 3,
                "text-wrap": "wrap",
                "text-max-width": 110,
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.8,
                "text-background-padding": 1,
            },
        },
        {"selector": "node.labelled", "style": {"label": "data(label)"}},
        {"selector": "node:selected", "style": {"label": "data(label)", "border-width": 3}},
        {
            "selector": "edge",
            "style": {
                "width": "mapData(w, 1, 5, 0.6, 3.5)",
                "line-color": "#8a8a8a",
                "curve-style": "straight",
                "target-arrow-shape": "triangle",
                "target-arrow-color": "#8a8a8a",
                "arrow-scale": 0.7,
                "opacity": 0.75,
            },
        },
    ]
    for kind, style in LINE_STYLES.items():
        rule: dict = {"line-style": style}
        if kind == "referral":
            rule["target-arrow-shape"] = "triangle-tee"
        sheet.append({"selector": f"edge.{kind}", "style": rule})
    for index, key in enumerate(sorted(colours)):
        sheet.append({"selector": f"node.c{index}", "style": {"background-color": colours[key].colour}})
    for shape, _symbol in [*SHAPES.values(), *FALLBACK_SHAPES]:
        sheet.append({"selector": f"node.t-{shape}", "style": {"shape": shape}})
    sheet += [
        {"selector": "node.dim", "style": {"opacity": 0.25}},
        {"selector": "edge.dim", "style": {"opacity": 0.12}},
        {"selector": "node.hl", "style": {"border-width": 4, "border-color": "#000000", "z-index": 10}},
        {
            "selector": "node.centre",
            "style": {"border-width": 5, "border-color": "#000000", "border-style": "double"},
        },
        {"selector": "node.new", "style": {"border-width": 4, "border-color": "#006b3c"}},
        {"selector": "node.gone", "style": {"border-width": 3, "border-style": "dashed", "opacity": 0.6}},
        {
            "selector": "edge.added",
            "style": {"line-color": "#006b3c", "target-arrow-color": "#006b3c", "width": 4, "opacity": 1},
        },
        {
            "selector": "edge.lost",
            "style": {
                "line-color": "#b3261e",
                "target-arrow-color": "#b3261e",
                "line-style": "dashed",
                "width": 3,
                "opacity": 1,
            },
        },
    ]
    return sheet
