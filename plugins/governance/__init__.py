"""The governance registry of the three-level leadership model, a built-in plugin (:mod:`.plugin`,
entry point ``governance``) that uses only the public hooks, as a third party's feature would.

- :mod:`.domain`: vocabulary, records and errors; :mod:`.repository`: the store (bodies, members,
  changes, history); :mod:`.defaults`: the default bodies; :mod:`.permissions`: who may see and change what, as permissions of
  the shared access policy; :mod:`.balance`: representation balance and communication coverage;
  :mod:`.validation`: a member's values; :mod:`.io`: CSV/XLSX import and scoped export; :mod:`.model`:
  all of these under one name.
- :mod:`.page`: the ``/hallinto`` Dash page; :mod:`.routes` and :mod:`.forms`: the server-rendered forms
  and files (a blueprint, templates in ``templates/governance/``); ``migrations/``: its tables.
"""
