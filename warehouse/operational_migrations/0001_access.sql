-- Users, roles, sessions, sign-in throttling and the append-only audit log.

CREATE TABLE app_user (
    user_id       INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT,
    password_hash TEXT NOT NULL,                 -- Argon2id (argon2-cffi)
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- A user may hold several roles; scope is an area id (region), a municipality code or family-centre
-- body id (local), or empty for roles that span the province.
CREATE TABLE user_role (
    user_id INTEGER NOT NULL REFERENCES app_user(user_id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'province', 'region', 'local', 'engineer', 'moderator')),
    scope   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role, scope)
);

-- Server-side sessions: the cookie carries only a signed random id, so a session can expire and be
-- revoked (sign-out, disabled user) on the server.
CREATE TABLE app_session (
    session_id  TEXT PRIMARY KEY,               -- sha256 of the random token in the cookie
    user_id     INTEGER NOT NULL REFERENCES app_user(user_id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    client      TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
);

-- Failed sign-ins per account and per client address: slowed, then locked for a while.
CREATE TABLE signin_throttle (
    key          TEXT PRIMARY KEY,              -- 'user:<name>' or 'addr:<ip>'
    failures     INTEGER NOT NULL DEFAULT 0,
    first_at     TEXT NOT NULL,
    locked_until TEXT
);

CREATE TABLE audit_log (
    audit_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    actor     TEXT,                              -- username, or NULL for an anonymous client
    action    TEXT NOT NULL,                     -- e.g. signin, signin_failed, user_add, registry_edit, export
    target    TEXT,
    details   TEXT,                              -- JSON
    client    TEXT                               -- client address
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
