"""The governance registry of the three-level leadership model (issue 5).

- :mod:`.model`: bodies, members, history, the balance and communication rules and the permissions.
- :mod:`.io`: CSV/XLSX import (all or nothing, row-level errors) and scoped export.
- :mod:`.page`: the ``/hallinto`` Dash page (``layout(ctx)``).
- :mod:`.routes`: server-rendered forms and files (``register(server, access)``).
"""
