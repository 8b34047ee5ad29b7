"""What the view reads and decides per request: the published rounds, a round's network, whether the
reader may see names, and the audit entry for a named view.

Networks are read through the store's reader (:mod:`perhekeskus.plugins.network.store.read`) and kept in
a small in-process cache keyed on the published warehouse's version, so that each filter change does not
read the warehouse again; a new publish changes the key.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from perhekeskus.plugins.network.access import VIEW_NAMES, may
from perhekeskus.plugins.network.model import Network, Round
from perhekeskus.plugins.network.store import read
from perhekeskus.plugins.network.view.shown import Shown, node_ids, shown

AUDIT_EVENT = "network_names_viewed"
# One audit entry per user and round per this many seconds (per worker process): a page view fires many
# callbacks (each filter change rebuilds the map) and each would otherwise be an entry.
AUDIT_INTERVAL_SECONDS = 600.0
CACHE_SIZE = 16

_lock = threading.Lock()
_cache: OrderedDict[tuple, Any] = OrderedDict()
_audited: dict[tuple[str, str], float] = {}


def cached(key: tuple, make: Callable[[], Any]) -> Any:
    """``make()``'s value, kept for the last :data:`CACHE_SIZE` keys (keys include the warehouse version)."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = make()
    with _lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def version(reader: Any) -> tuple:
    try:
        return tuple(reader.version)
    except Exception:  # nothing published yet
        return ()


def rounds(reader: Any) -> list[Round]:
    """The published rounds, newest first (``[]`` when none)."""
    return cached(("rounds", version(reader)), lambda: read.rounds(reader))


def network(reader: Any, round_id: str) -> Network | None:
    return cached(("network", version(reader), round_id), lambda: read.load_network(reader, round_id))


def choose_round(found: list[Round], asked: object) -> Round | None:
    """The round asked for (``?round=``) when it is published, else the newest."""
    if isinstance(asked, str):
        for r in found:
            if r.round_id == asked:
                return r
    return found[0] if found else None


def other_round(found: list[Round], current: Round | None, asked: object) -> Round | None:
    """The round to compare with (``?compare=``): a published round other than the current one."""
    if current is None or not isinstance(asked, str):
        return None
    return next((r for r in found if r.round_id == asked and r.round_id != current.round_id), None)


def may_see_names(services: Any, user: Any, round_: Round) -> bool:
    """Names only for a signed-in user the policy allows ``network.view_names`` on the round's area."""
    return user is not None and may(services, user, VIEW_NAMES, round_.area_id)


def type_names(lang: str) -> dict[str, str]:
    from perhekeskus.vocabulary import load_vocabulary

    return {t.code: t.name(lang) for t in load_vocabulary().actor_types}


def task_names(lang: str) -> dict[str, str]:
    from perhekeskus.vocabulary import load_vocabulary

    return {t.code: t.name(lang) for t in load_vocabulary().tasks}


def municipality_names(areas: Any, lang: str) -> dict[str, str]:
    return {code: (sv if lang == "sv" else fi) for code, (fi, sv) in areas.municipality_names().items()}


def note_names_viewed(services: Any, user: Any, round_id: str, via: str) -> bool:
    """Write ``network_names_viewed`` for ``user`` and the round, at most once per
    :data:`AUDIT_INTERVAL_SECONDS` per user and round in this process; True when an entry was written."""
    key = (user.username, round_id)
    now = time.monotonic()
    with _lock:
        last = _audited.get(key)
        if last is not None and now - last < AUDIT_INTERVAL_SECONDS:
            return False
        _audited[key] = now
    services.audit(AUDIT_EVENT, actor=user.username, target=round_id, details={"via": via})
    return True


def forget_audit_marks() -> None:
    """Tests: start the audit interval afresh."""
    with _lock:
        _audited.clear()


def shown_view(
    services: Any, user: Any, lang: str, current: Round, other: Round | None, via: str
) -> Shown | None:
    """The round (and the compared round) as ``user`` may see it, in ``lang``; the audit entry when names
    are shown. None when the round's network cannot be read."""
    net = network(services.reader, current.round_id)
    if net is None:
        return None
    other_net = network(services.reader, other.round_id) if other is not None else None
    named = may_see_names(services, user, current)
    if named and other_net is not None and not may_see_names(services, user, other_net.round):
        named = False  # one labelling for both rounds: names only when both may be named
    if named:
        note_names_viewed(services, user, current.round_id, via)
        if other_net is not None:
            note_names_viewed(services, user, other_net.round.round_id, via)
    return shown(net, named, type_names(lang), municipality_names(services.areas, lang), other_net)


# --- services of the service map (``/verkosto?palvelu=12,13``) ---------------------------------------------

SERVICE_PARAM = "palvelu"
MAX_SERVICES = 20


def service_ids(text: object) -> tuple[int, ...]:
    """The service ids of ``?palvelu=12,13`` (digits only, at most :data:`MAX_SERVICES`; others dropped)."""
    if not isinstance(text, str):
        return ()
    found = [int(p) for p in text.split(",") if p.strip().isdigit() and len(p.strip()) <= 12]
    return tuple(dict.fromkeys(found))[:MAX_SERVICES]


def services_of(reader: Any, ids: tuple[int, ...]) -> tuple[list[str], set[str]]:
    """(the services' names, the store ids of the actors who run them) from the tables the service map
    publishes; nothing when the service map has never been published. The ids stay on the server."""
    if not ids:
        return [], set()

    def read_them() -> tuple[list[str], set[str]]:
        marks = ", ".join("?" for _ in ids)
        try:
            names = [
                r[0]
                for r in reader.rows(
                    f"SELECT name FROM service_map_service WHERE service_id IN ({marks}) ORDER BY name",
                    list(ids),
                )
            ]
            actors = {
                r[0]
                for r in reader.rows(
                    f"SELECT actor_id FROM service_map_service_actor WHERE service_id IN ({marks})", list(ids)
                )
            }
        except Exception:  # no service map published into this warehouse
            return [], set()
        return names, actors

    return cached(("services", version(reader), ids), read_them)


def service_nodes(reader: Any, round_id: str, actor_ids: set[str]) -> set[str]:
    """The node ids (as :func:`~.shown.shown` numbers them) of the round's actors among ``actor_ids``."""
    net = network(reader, round_id)
    if net is None or not actor_ids:
        return set()
    ids = node_ids(round_id, {a.actor_id for a in net.actors})
    return {ids[a] for a in actor_ids if a in ids}
