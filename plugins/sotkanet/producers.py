"""Who produced an indicator's data and under which licence (``producers.toml``).

Sotkanet publishes the data of several producers (THL, Statistics Finland, Kela, TEM, …); each
producer's own licence applies to its indicators. The ETL stores the licence with the indicator row and
the source's ``attribution_for`` names the producer and licence beside the values and in exports, so both
read this one table. It is the Sotkanet plugin's own knowledge: the core knows no producer.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PRODUCERS_FILE = Path(__file__).with_name("producers.toml")


class ProducerConfigError(ValueError):
    """The producer table is not usable; the message says which entry and why."""


@dataclass(frozen=True)
class Producer:
    name: str  # the Finnish name as Sotkanet gives it (the table's key)
    sotkanet_ids: tuple[int, ...]
    licence: str | None  # None: the producer's own terms, no licence we can name
    licence_url: str | None


def _producer(name: str, entry: object) -> Producer:
    """One table entry, checked: a typo must not silently drop a licence."""
    if not isinstance(entry, dict):
        raise ProducerConfigError(f"producer {name!r}: expected a table")
    unknown = set(entry) - {"sotkanet_ids", "licence", "licence_url"}
    if unknown:
        raise ProducerConfigError(f"producer {name!r}: unknown keys {sorted(unknown)}")
    ids = entry.get("sotkanet_ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ProducerConfigError(f"producer {name!r}: sotkanet_ids must be a list of integers")
    return Producer(
        name=name.strip(),
        sotkanet_ids=tuple(ids),
        licence=str(entry.get("licence") or "").strip() or None,
        licence_url=str(entry.get("licence_url") or "").strip() or None,
    )


@cache
def load(path: Path = PRODUCERS_FILE) -> tuple[Producer, ...]:
    """Every producer of the table at ``path``."""
    with open(path, "rb") as handle:
        table = tomllib.load(handle)
    return tuple(_producer(name, entry) for name, entry in table.items())


def find(producer_id: int | None, name: str | None, path: Path = PRODUCERS_FILE) -> Producer | None:
    """The producer by Sotkanet's organization id, else by its Finnish name (spaces around ignored)."""
    producers = load(path)
    if producer_id is not None:
        for producer in producers:
            if producer_id in producer.sotkanet_ids:
                return producer
    wanted = (name or "").strip().casefold()
    return next((p for p in producers if wanted and p.name.casefold() == wanted), None)


def licence_for(producer_id: int | None, name: str | None) -> str | None:
    """The licence of the producer's data, or None when it is the producer's own terms."""
    producer = find(producer_id, name)
    return producer.licence if producer else None
