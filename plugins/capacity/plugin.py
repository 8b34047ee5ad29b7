"""Competence and capacity coordination as a built-in plugin, registered through the public hooks exactly as
a third party's feature would be (entry point ``capacity`` in the ``perhekeskus`` group).

Seed 004 (SOS Children's Villages' model, Varkaus): families who use many services meet a flood of separate
helpers. This plugin recognises the competence behind job titles (attached to the network map's actors),
shows where the right competence is free and where queues build up, and lets a family's own team see who
else works with the family so that meetings do not pile up. Parts:

- ``access``: permissions, audit events, settings, the ``worker`` account link and the scopes;
- ``store``: competences, weekly capacity and queues (import, template, CLI, in-app entry, history, the
  ``capacity`` warehouse source of aggregates, demo);
- ``families``: pseudonymous family teams and their meetings, the coordinator's and the worker's pages,
  and the ``capacity-retention`` job that deletes what is past its retention time;
- ``analysis``: supply and demand, queue and pile-up warnings, "who has free competence X near Y";
- ``views``: the ``/osaaminen`` page (signed-in users), aggregates only for leaders, suppressed under 5.
"""

from __future__ import annotations

from pathlib import Path

from perhekeskus.plugins.parts import hookimpls

HERE = Path(__file__).parent
PARTS = ("access", "store", "families", "analysis", "views")
OWNER = "capacity"

globals().update(hookimpls(__name__.rsplit(".", 1)[0], PARTS, HERE, OWNER))
