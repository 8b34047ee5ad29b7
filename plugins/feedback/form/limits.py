"""How much one client may send, and how big an answer may be.

Rate limit (Flask-Limiter): POSTs of the form per client, :data:`DEFAULT_RATE` unless the setting
``form_rate_limit`` (``PERHEKESKUS_FEEDBACK_FORM_RATE_LIMIT``, Flask-Limiter's notation, e.g.
``"20 per minute;300 per hour"``) says otherwise. A client is known only by a salted hash of its address
(:func:`client_key`): the salt is an HMAC of the app's secret key and the current UTC day, so it rotates
daily, is the same in every worker without coordination, and the address itself is never kept anywhere.
The counters live in Flask-Limiter's storage: ``memory://`` by default, which is **per worker process**
(with N gunicorn workers a client may get up to N times the limit, and counters vanish on restart);
``form_rate_limit_storage`` (``PERHEKESKUS_FEEDBACK_FORM_RATE_LIMIT_STORAGE``, e.g.
``redis://localhost:6379`` or ``memcached://…``) shares them between workers. The counters expire with
their window (at most a day), so the hashes are kept only that long.

A shared address (a waiting-room tablet, a mobile operator's NAT) is why the default is generous; the
limit is against scripts, not families. The load benchmark raises it (``bench/feedback_load.py``).

Size limits: each free text at most :data:`TEXT_LIMIT` characters and the whole request body at most
:data:`BODY_LIMIT` bytes. The body limit is large enough for two full texts of 4-byte characters
(emoji) URL-encoded (2 × 4,000 × 12 bytes), so an answer over the text limit is always read and shown
back with its text kept (400); only a body over the body limit is refused unread (413).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

TEXT_LIMIT = 4000  # characters per free text
BODY_LIMIT = 128 * 1024  # bytes of a POST body
DEFAULT_RATE = "20 per minute;300 per hour"
DEFAULT_STORAGE = "memory://"


def day_salt(secret: bytes, now: datetime | None = None) -> bytes:
    """Today's salt (UTC day): derived from the secret key, so every worker has the same one."""
    day = (now or datetime.now(UTC)).strftime("%Y-%m-%d")
    return hmac.new(secret, b"perhekeskus-feedback-rate-limit\0" + day.encode(), hashlib.sha256).digest()


def client_key(address: str | None, secret: bytes, now: datetime | None = None) -> str:
    """The rate limit's key of a client: a salted hash of its address, never the address."""
    digest = hmac.new(day_salt(secret, now), (address or "unknown").encode(), hashlib.sha256)
    return "feedback:" + digest.hexdigest()[:32]


def make_limiter(storage_uri: str):
    """A Flask-Limiter for the form (no default limits: only the routes that ask are limited)."""
    from flask_limiter import Limiter

    return Limiter(
        key_func=lambda: "unused",  # each limit names its own key function
        storage_uri=storage_uri or DEFAULT_STORAGE,
        strategy="fixed-window",
        headers_enabled=False,
        key_prefix="perhekeskus-feedback-form",
    )
