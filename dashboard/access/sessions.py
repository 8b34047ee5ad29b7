"""Sessions, the secret key, CSRF tokens and sign-in throttling.

The cookie holds a random token signed with the secret key (itsdangerous, which Flask ships); the
server keeps only the token's SHA-256 with the user, expiry and revocation. A tampered cookie fails
the signature, an expired or revoked session is ignored, and signing out ends it on the server.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer

from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

SESSION_COOKIE = "perhekeskus_session"
CSRF_COOKIE = "perhekeskus_csrf"


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta = timedelta(hours=8)  # absolute: sign in again after a working day
    idle: timedelta = timedelta(minutes=60)  # idle: a forgotten tab does not stay signed in
    secure_cookies: bool = False  # True when served over HTTPS
    slow_after: int = 3  # failures before each attempt must wait
    lock_after: int = 8  # failures within the window before a lock
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)

    @classmethod
    def from_env(cls) -> SessionPolicy:
        env = os.environ
        return cls(
            lifetime=timedelta(hours=float(env.get("PERHEKESKUS_SESSION_HOURS", "8"))),
            idle=timedelta(minutes=float(env.get("PERHEKESKUS_SESSION_IDLE_MINUTES", "60"))),
            secure_cookies=env.get("PERHEKESKUS_SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def secret_key(settings: Settings) -> bytes:
    """``PERHEKESKUS_SECRET_KEY``, or a key generated once into the data folder with owner-only permissions."""
    configured = os.environ.get("PERHEKESKUS_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ValueError("PERHEKESKUS_SECRET_KEY must have at least 32 characters")
        return configured.encode()
    path = Path(settings.home) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # written whole to a private temporary file, then linked into place: several workers starting at
        # once either create the key or find a complete one, never an empty file
        fd, tmp = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_urlsafe(48).encode())
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # fails when another worker linked its key first: that one wins
        finally:
            os.unlink(tmp)
    key = path.read_bytes().strip()
    if len(key) < 32:
        raise ValueError(f"{path} holds no usable secret key; remove it to generate a new one")
    return key


class SessionStore:
    """Creates, finds and ends sessions in the operational store."""

    def __init__(self, settings: Settings, policy: SessionPolicy | None = None) -> None:
        self.settings = settings
        self.policy = policy or SessionPolicy.from_env()
        self.key = secret_key(settings)
        self._signer = URLSafeSerializer(self.key, salt="perhekeskus-session")
        self._csrf_signer = URLSafeSerializer(self.key, salt="perhekeskus-csrf")

    @staticmethod
    def _digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def create(self, user_id: int, client: str | None) -> str:
        """A new session for the user; returns the signed cookie value."""
        token = secrets.token_urlsafe(32)
        now = _now()
        with operational.transaction(self.settings) as con:
            con.execute(
                "INSERT INTO app_session (session_id, user_id, created_at, last_seen, expires_at, client) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    self._digest(token),
                    user_id,
                    _iso(now),
                    _iso(now),
                    _iso(now + self.policy.lifetime),
                    client,
                ),
            )
        return self._signer.dumps(token)

    def token_of(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            token = self._signer.loads(cookie)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    def user_id(self, cookie: str | None) -> int | None:
        """The signed-in user's id, or None for a missing, tampered, expired or revoked session."""
        token = self.token_of(cookie)
        if token is None:
            return None
        digest = self._digest(token)
        now = _now()
        with operational.reading(self.settings) as con:
            row = con.execute(
                "SELECT s.user_id, s.last_seen, s.expires_at, s.revoked, u.disabled FROM app_session s "
                "JOIN app_user u USING (user_id) WHERE s.session_id = ?",
                (digest,),
            ).fetchone()
            if row is None or row["revoked"] or row["disabled"]:
                return None
            if _parse(row["expires_at"]) <= now or _parse(row["last_seen"]) + self.policy.idle <= now:
                return None
            if now - _parse(row["last_seen"]) > timedelta(seconds=60):
                con.execute("UPDATE app_session SET last_seen = ? WHERE session_id = ?", (_iso(now), digest))
            return int(row["user_id"])

    def end(self, cookie: str | None) -> None:
        token = self.token_of(cookie)
        if token is None:
            return
        with operational.transaction(self.settings) as con:
            con.execute("UPDATE app_session SET revoked = 1 WHERE session_id = ?", (self._digest(token),))

    # --- CSRF: a signed random value in a cookie, repeated in every state-changing form -------------
    def new_csrf(self) -> tuple[str, str]:
        """(cookie value, form value) for a fresh CSRF pair."""
        nonce = secrets.token_urlsafe(24)
        return self._csrf_signer.dumps(nonce), nonce

    def csrf_ok(self, cookie: str | None, form_value: str | None) -> bool:
        if not cookie or not form_value:
            return False
        try:
            nonce = self._csrf_signer.loads(cookie)
        except BadSignature:
            return False
        return isinstance(nonce, str) and hmac.compare_digest(nonce, form_value)


class Throttle:
    """Failed sign-ins per account and per client address: slowed, then locked for a while."""

    def __init__(self, settings: Settings, policy: SessionPolicy) -> None:
        self.settings = settings
        self.policy = policy

    def _wait(self, con, keys: list[str], now: datetime) -> int:
        longest = 0.0
        for key in keys:
            row = con.execute("SELECT locked_until FROM signin_throttle WHERE key = ?", (key,)).fetchone()
            if row is None:
                continue
            locked = _parse(row["locked_until"])
            if locked and locked > now:
                longest = max(longest, (locked - now).total_seconds())
        return int(longest + 0.999)

    def _count(self, con, keys: list[str], now: datetime) -> bool:
        locked_any = False
        for key in keys:
            row = con.execute(
                "SELECT failures, first_at FROM signin_throttle WHERE key = ?", (key,)
            ).fetchone()
            if row is None or _parse(row["first_at"]) + self.policy.window < now:
                failures, first = 1, now
            else:
                failures, first = row["failures"] + 1, _parse(row["first_at"])
            locked_until = None
            if failures >= self.policy.lock_after:
                locked_until = now + self.policy.lock_for
                locked_any = True
            elif failures >= self.policy.slow_after:
                locked_until = now + timedelta(seconds=min(2 ** (failures - self.policy.slow_after), 30))
            con.execute(
                "INSERT INTO signin_throttle (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, "
                "locked_until = excluded.locked_until",
                (key, failures, _iso(first), _iso(locked_until) if locked_until else None),
            )
        return locked_any

    def wait_seconds(self, keys: list[str]) -> int:
        """Seconds before another attempt is allowed for any of the keys (0: allowed now)."""
        with operational.reading(self.settings) as con:
            return self._wait(con, keys, _now())

    def failed(self, keys: list[str]) -> bool:
        """Count a failure; returns True when it locked a key."""
        with operational.transaction(self.settings) as con:
            return self._count(con, keys, _now())

    def attempt(self, keys: list[str]) -> tuple[int, bool]:
        """Check and count one sign-in attempt in one write transaction: (seconds to wait, 0 when the
        attempt may go ahead; whether it locked a key). An allowed attempt counts as a failure until
        :meth:`succeeded` clears the keys, so attempts sent in parallel cannot all pass the check
        before any failure is counted."""
        now = _now()
        with operational.transaction(self.settings) as con:
            wait = self._wait(con, keys, now)
            if wait > 0:
                return wait, False
            return 0, self._count(con, keys, now)

    def succeeded(self, account_key: str, address_key: str | None = None) -> None:
        """A sign-in succeeded: clear the account's own failures, and take back from the address only
        the one count :meth:`attempt` added for this attempt.

        The address keeps its earlier failures: one valid account must not wipe an address's record,
        or an attacker could spray guesses across accounts, signing in between to never be locked.
        Colleagues behind one office address are not locked by their successes either."""
        with operational.transaction(self.settings) as con:
            con.execute("DELETE FROM signin_throttle WHERE key = ?", (account_key,))
            if address_key is None:
                return
            row = con.execute("SELECT failures FROM signin_throttle WHERE key = ?", (address_key,)).fetchone()
            if row is None:
                return
            failures = max(0, row["failures"] - 1)
            if failures == 0:
                con.execute("DELETE FROM signin_throttle WHERE key = ?", (address_key,))
            elif failures < self.policy.slow_after:
                # the slow-down this attempt's own count started is taken back with it
                con.execute(
                    "UPDATE signin_throttle SET failures = ?, locked_until = NULL WHERE key = ?",
                    (failures, address_key),
                )
            else:
                con.execute("UPDATE signin_throttle SET failures = ? WHERE key = ?", (failures, address_key))

    def refused(self, address_key: str) -> dict | None:
        """Count a refused (throttled) attempt from an address; the audit details to write when this is
        the address's first refusal in its window (``lock_for`` long), else None.

        Refusals are answered without checking any password, so they can come as fast as anyone can
        send them: logging each would let anyone flood the audit log from outside. The log gets one
        row per address per window; the count grows in ``signin_throttle`` under ``refused:<address>``
        and the next window's row tells how many the previous window refused."""
        key = "refused:" + address_key
        now = _now()
        window = self.policy.lock_for
        with operational.transaction(self.settings) as con:
            row = con.execute(
                "SELECT failures, first_at FROM signin_throttle WHERE key = ?", (key,)
            ).fetchone()
            if row is not None and _parse(row["first_at"]) + window > now:
                con.execute("UPDATE signin_throttle SET failures = failures + 1 WHERE key = ?", (key,))
                return None
            con.execute(
                "INSERT INTO signin_throttle (key, failures, first_at, locked_until) VALUES (?, 1, ?, NULL) "
                "ON CONFLICT(key) DO UPDATE SET failures = 1, first_at = excluded.first_at, locked_until = NULL",
                (key, _iso(now)),
            )
        details: dict = {"refused_in_window": 1, "window_minutes": int(window.total_seconds() // 60)}
        if row is not None and row["failures"] > 1:
            details["previous_window"] = {"from": row["first_at"], "refused": int(row["failures"])}
        return details
