"""A small bounded cache (least recently used goes first) of what the views computed, shared by the
threads of one web process.

Why bounded and keyed by the data version: a choice's figures take a year of thousands of workers' rows
to compute, and the same few choices are asked again and again (every user of an area opens the same
view; the router re-renders the page after the URL changes). A key holds the store's data version
(:func:`..analysis.read.data_version`), so a change of the data makes every older entry unreachable;
those fall out as new ones come in.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

SIZE = 64


class LRU:
    """At most ``size`` entries; a hit makes an entry the most recent."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


COMPUTED = LRU()  # figures.compute: (version, choice, settings, areas, with warnings) → Computed
