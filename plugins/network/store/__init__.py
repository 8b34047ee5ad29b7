"""The network map's store: the operational tables' repository, the import from Kumu-shaped CSV/XLSX
files and its template, the demo network, the warehouse source ``network`` and reading its tables back.

What other parts call: :mod:`.read` (``rounds``, ``load_network``), :func:`.source.publish_network`,
and :mod:`.repository` (rounds, actors, rosters, ties)."""

from __future__ import annotations

from typing import Any


def publish_network(settings: Any, **options: Any):
    """Run the pipeline for the ``network`` source (see :func:`.source.publish_network`)."""
    from perhekeskus.plugins.network.store.source import publish_network as publish

    return publish(settings, **options)
