-- The governance registry of the three-level leadership model: bodies, members, history.

CREATE TABLE gov_body (
    body_id      TEXT PRIMARY KEY,              -- e.g. 'maakunta', 'alue-lantinen', 'kunta-837'
    kind         TEXT NOT NULL CHECK (kind IN ('provincial_steering_group', 'coordination_group', 'local_steering_group')),
    name_fi      TEXT NOT NULL,
    name_sv      TEXT,
    name_en      TEXT,
    parent_id    TEXT REFERENCES gov_body(body_id),
    area_id      TEXT,                          -- coordination area (coordination groups; local bodies' area)
    active       INTEGER NOT NULL DEFAULT 1
);

-- The municipalities a family centre covers (one by default; several for shared family centres).
CREATE TABLE gov_body_municipality (
    body_id           TEXT NOT NULL REFERENCES gov_body(body_id) ON DELETE CASCADE,
    municipality_code TEXT NOT NULL,
    PRIMARY KEY (body_id, municipality_code)
);

CREATE TABLE gov_member (
    member_id     INTEGER PRIMARY KEY,
    body_id       TEXT NOT NULL REFERENCES gov_body(body_id),
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    actor_type    TEXT NOT NULL,                -- from the actor-type configuration
    role          TEXT NOT NULL CHECK (role IN ('chair', 'vice_chair', 'secretary', 'member', 'deputy')),
    communication TEXT NOT NULL DEFAULT '',     -- comma-separated: up, down, front_line
    email         TEXT,
    phone         TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE INDEX gov_member_body ON gov_member(body_id);

-- Every change: who, when, before, after (JSON). Append-only like the audit log.
CREATE TABLE gov_history (
    history_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    actor      TEXT NOT NULL,
    entity     TEXT NOT NULL,                   -- body | member
    entity_id  TEXT NOT NULL,
    before     TEXT,
    after      TEXT
);

CREATE TRIGGER gov_history_no_update BEFORE UPDATE ON gov_history
BEGIN
    SELECT RAISE(ABORT, 'the registry history is append-only');
END;

CREATE TRIGGER gov_history_no_delete BEFORE DELETE ON gov_history
BEGIN
    SELECT RAISE(ABORT, 'the registry history is append-only');
END;
