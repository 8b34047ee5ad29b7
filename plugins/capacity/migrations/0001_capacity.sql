-- Competence and capacity coordination (owner 'capacity'). Actors are the network map's (network_actor);
-- no foreign key crosses owners, the store checks actor ids itself.
-- Weeks are ISO weeks written 'YYYY-Www' (e.g. '2026-W49'); dates 'YYYY-MM-DD'; times UTC ISO 8601.

-- Competence behind the job title: an actor's competences, each with a level (1 basic, 2 advanced,
-- 3 specialist). Codes come from the competence vocabulary (competences.toml or the configured file).
CREATE TABLE capacity_competence (
    actor_id    TEXT NOT NULL,
    competence  TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_by  TEXT,
    PRIMARY KEY (actor_id, competence)
);

-- Weekly capacity per actor: hours available for family work and hours already booked.
CREATE TABLE capacity_week (
    actor_id         TEXT NOT NULL,
    week             TEXT NOT NULL,
    available_hours  REAL NOT NULL CHECK (available_hours >= 0 AND available_hours <= 168),
    booked_hours     REAL NOT NULL CHECK (booked_hours >= 0 AND booked_hours <= 168),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_by       TEXT,
    PRIMARY KEY (actor_id, week)
);
CREATE INDEX capacity_week_by_week ON capacity_week (week, actor_id);

-- Queues: per competence, municipality and week, how many families wait and since when the longest has.
CREATE TABLE capacity_queue (
    competence         TEXT NOT NULL,
    municipality_code  TEXT NOT NULL,
    week               TEXT NOT NULL,
    families_waiting   INTEGER NOT NULL CHECK (families_waiting >= 0),
    waiting_since      TEXT,               -- the date the longest-waiting family started waiting; NULL when none
    updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_by         TEXT,
    PRIMARY KEY (competence, municipality_code, week)
);
CREATE INDEX capacity_queue_by_week ON capacity_queue (week, municipality_code);

-- The change history of the three tables above: every insert, change and delete with who and when.
CREATE TABLE capacity_history (
    change_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('competence', 'week', 'queue')),
    item_key    TEXT NOT NULL,             -- e.g. 'A12|parenting_support', 'A12|2026-W49', 'parenting_support|837|2026-W49'
    op          TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    before_json TEXT,
    after_json  TEXT,
    origin      TEXT NOT NULL DEFAULT 'app' CHECK (origin IN ('app', 'import', 'demo')),
    changed_by  TEXT,
    changed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX capacity_history_by_item ON capacity_history (kind, item_key, change_id);

-- A worker's sign-in account linked to their network-map actor (who is "me" in a family team).
CREATE TABLE capacity_worker_account (
    actor_id   TEXT PRIMARY KEY,
    username   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    linked_by  TEXT,
    linked_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Family teams. A family is only a pseudonymous code made by the store (never a name or an identity
-- code); the coordinator who holds the key to it is the only one besides the team who sees it.
-- Rows are deleted (not flagged) when past the retention time: see the capacity-retention job.
CREATE TABLE capacity_family (
    family_id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code               TEXT NOT NULL UNIQUE,          -- e.g. 'PK-7F3Q-K2M9', random
    municipality_code  TEXT NOT NULL,
    coordinator        TEXT NOT NULL COLLATE NOCASE,  -- the coordinator's username
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    last_activity_on   TEXT NOT NULL DEFAULT (date('now')),   -- the later of the last change and the last meeting
    closed_on          TEXT                                   -- the team ended; kept until the retention time
);
CREATE INDEX capacity_family_by_coordinator ON capacity_family (coordinator);

CREATE TABLE capacity_team_member (
    family_id  INTEGER NOT NULL REFERENCES capacity_family(family_id) ON DELETE CASCADE,
    actor_id   TEXT NOT NULL,
    added_on   TEXT NOT NULL DEFAULT (date('now')),
    PRIMARY KEY (family_id, actor_id)
);
CREATE INDEX capacity_team_member_by_actor ON capacity_team_member (actor_id, family_id);

CREATE TABLE capacity_meeting (
    meeting_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    family_id     INTEGER NOT NULL REFERENCES capacity_family(family_id) ON DELETE CASCADE,
    meeting_date  TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    kind          TEXT NOT NULL,   -- a code of MEETING_KINDS (model.py)
    created_by    TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX capacity_meeting_by_family ON capacity_meeting (family_id, meeting_date);
CREATE INDEX capacity_meeting_by_date ON capacity_meeting (meeting_date);
