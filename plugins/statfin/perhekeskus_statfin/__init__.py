"""Statistics Finland's StatFin as a perhekeskus source plugin (distribution ``perhekeskus-statfin``).

Imports only the public ``perhekeskus`` API; the platform finds it through the ``perhekeskus``
entry point ``statfin``. Modules: ``client`` (the HTTP layer behind one small interface),
``jsonstat`` (json-stat2 decoding), ``variables`` (finding a table's variables by their role),
``series`` (the configurable series), ``areas`` (area codes to the warehouse's regions),
``source`` (extract and normalise), ``server`` (a local PxWeb server for the demo and the tests).
"""

from __future__ import annotations

from pathlib import Path

PLUGIN = "statfin"  # the entry-point name: settings are PERHEKESKUS_STATFIN_<NAME>
SOURCE_NAME = "statfin"
HERE = Path(__file__).parent
DEFAULT_URL = "https://pxdata.stat.fi/PxWeb/api/v1"
