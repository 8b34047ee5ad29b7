"""Personal survey links: an unguessable token in the URL, of which the store keeps only a SHA-256.

Why a hash: the link is the respondent's only key (no account). Keeping only its hash means that a
copy of the operational store, a backup or an administrator's query cannot be used to answer in
someone's name; the coordinator sees each link once, when it is issued, to send it on.
"""

from __future__ import annotations

import hashlib
import re
import secrets

PATH = "/verkosto/kysely"
# secrets.token_urlsafe(32) gives 43 characters of the URL-safe alphabet; anything else is no token
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def new_token() -> tuple[str, str]:
    """(token for the link, its hash for the store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(token: str) -> bool:
    """Whether ``token`` could be a link's token at all (a cheap first check before the store)."""
    return bool(_TOKEN.match(token or ""))


def link_path(token: str) -> str:
    return f"{PATH}/{token}"
