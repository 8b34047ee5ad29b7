"""The governance registry's public names in one place, for callers that want the whole registry.

The registry is split by job: :mod:`.domain` (vocabulary, records, errors), :mod:`.repository` (the
store: reading, changes, history, default bodies), :mod:`.permissions` (who may see and change what,
through the shared access policy), :mod:`.balance` (representation balance and communication coverage),
:mod:`.validation` (checking a member's values) and :mod:`.io` (import and export).
"""

from __future__ import annotations

from perhekeskus.plugins.governance.balance import *  # noqa: F403
from perhekeskus.plugins.governance.defaults import *  # noqa: F403
from perhekeskus.plugins.governance.domain import *  # noqa: F403
from perhekeskus.plugins.governance.permissions import *  # noqa: F403
from perhekeskus.plugins.governance.repository import *  # noqa: F403
from perhekeskus.plugins.governance.validation import *  # noqa: F403
