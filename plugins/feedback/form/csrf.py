"""CSRF protection of the public form that needs no session (a signed double-submit token with expiry).

Why not a session: a family opens the form from a QR code without signing in, and the server keeps no
state per visitor (several workers, nothing to clean up). Why not the product's own CSRF token: that
one never expires; an answer form left open on a waiting-room tablet should not stay postable forever.

The token is ``<nonce>.<issued>.<mac>``: a random nonce, the issue time (Unix seconds) and an HMAC-SHA256
over both with the app's secret key (``PERHEKESKUS_SECRET_KEY`` or the generated one). The same token
goes in a hidden field and in an HttpOnly, SameSite=Strict cookie scoped to the form's path. A POST is
accepted only when both are present and equal, the MAC is right and the token is younger than
:data:`LIFETIME`. Another site can neither read the cookie nor forge a MAC, so it cannot build a matching
pair; and the core's same-origin guard (Origin/Referer must be this host) refuses a cross-site POST
before the view runs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

COOKIE = "perhekeskus_feedback_csrf"
FIELD = "csrf_token"
LIFETIME = 4 * 3600  # seconds: long enough to write slowly, short enough that an old page is refused
CLOCK_SKEW = 60  # a token "from the future" by more than this was not made here


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    reason: str  # "", "missing", "mismatch", "forged", "expired"


class FormTokens:
    """Makes and checks the form's tokens with one secret key."""

    def __init__(self, key: bytes, lifetime: int = LIFETIME) -> None:
        self._key = hashlib.sha256(b"perhekeskus-feedback-form-csrf\0" + key).digest()
        self.lifetime = lifetime

    def _mac(self, nonce: str, issued: int) -> str:
        return hmac.new(self._key, f"{nonce}.{issued}".encode(), hashlib.sha256).hexdigest()

    def issue(self, now: float | None = None) -> str:
        nonce = secrets.token_urlsafe(18)
        issued = int(now if now is not None else time.time())
        return f"{nonce}.{issued}.{self._mac(nonce, issued)}"

    def check(self, cookie: str | None, submitted: str | None, now: float | None = None) -> TokenCheck:
        if not cookie or not submitted:
            return TokenCheck(False, "missing")
        if len(submitted) > 200 or not hmac.compare_digest(cookie.encode(), submitted.encode()):
            return TokenCheck(False, "mismatch")
        parts = submitted.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return TokenCheck(False, "forged")
        nonce, issued_text, mac = parts
        issued = int(issued_text)
        if not hmac.compare_digest(mac.encode(), self._mac(nonce, issued).encode()):
            return TokenCheck(False, "forged")
        current = now if now is not None else time.time()
        if issued > current + CLOCK_SKEW or current - issued > self.lifetime:
            return TokenCheck(False, "expired")
        return TokenCheck(True, "")
