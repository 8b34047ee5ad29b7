"""The service map as a built-in plugin, registered through the public hooks exactly as a third party's
feature would be (entry point ``service_map`` in the ``perhekeskus`` group).

The feature is made of parts (sub-packages), each declaring its contributions in its own ``hooks``
module; this module is the one pluggy registers, and its ``@hookimpl`` functions (made by
``perhekeskus.plugins.parts.hookimpls``) gather the parts' contributions. Its operational tables are the
migrations of owner ``service_map`` (``migrations/``); each part ships its own catalogs (``<part>/locale``).
"""

from __future__ import annotations

from pathlib import Path

from perhekeskus.plugins.parts import hookimpls

HERE = Path(__file__).parent
PARTS = ("access", "services")
OWNER = "service_map"

globals().update(hookimpls(__name__.rsplit(".", 1)[0], PARTS, HERE, OWNER))
