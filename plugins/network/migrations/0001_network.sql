-- The network map's operational tables: rounds, actors, ties (owner 'network').
-- A round is one survey or import of a network at a date; the map compares rounds over time.
-- Actors persist across rounds (so that two rounds can be compared); a round's roster says who is in it.

CREATE TABLE network_round (
    round_id    TEXT PRIMARY KEY,                -- e.g. '2026-11-15-lantinen' (made by the store)
    area_id     TEXT,                            -- coordination area; NULL = the whole province
    round_date  TEXT NOT NULL,                   -- YYYY-MM-DD
    title       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('open', 'closed', 'imported')),
    origin      TEXT NOT NULL CHECK (origin IN ('import', 'survey')),
    is_demo     INTEGER NOT NULL DEFAULT 0,      -- generated demo data, labelled as such everywhere
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    created_by  TEXT,
    closed_at   TEXT
);

CREATE TABLE network_actor (
    actor_id      TEXT PRIMARY KEY,              -- stable across rounds (made by the store)
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    actor_type    TEXT NOT NULL,                 -- a code of the shared vocabulary (warehouse/vocabulary.toml)
    job_title     TEXT NOT NULL DEFAULT '',
    member_id     INTEGER,                       -- gov_member.member_id of the same person, when matched
    email         TEXT,                          -- only to send a survey link; never shown on the map
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE network_actor_municipality (
    actor_id          TEXT NOT NULL REFERENCES network_actor(actor_id) ON DELETE CASCADE,
    municipality_code TEXT NOT NULL,
    PRIMARY KEY (actor_id, municipality_code)
);

CREATE TABLE network_actor_task (
    actor_id TEXT NOT NULL REFERENCES network_actor(actor_id) ON DELETE CASCADE,
    task     TEXT NOT NULL,                      -- a family-centre task code of the shared vocabulary
    PRIMARY KEY (actor_id, task)
);

CREATE TABLE network_actor_client_group (
    actor_id     TEXT NOT NULL REFERENCES network_actor(actor_id) ON DELETE CASCADE,
    client_group TEXT NOT NULL,
    PRIMARY KEY (actor_id, client_group)
);

-- Who belongs to a round's network (its roster). added_by_respondent: someone a respondent added as missing.
CREATE TABLE network_round_actor (
    round_id            TEXT NOT NULL REFERENCES network_round(round_id) ON DELETE CASCADE,
    actor_id            TEXT NOT NULL REFERENCES network_actor(actor_id),
    added_by_respondent TEXT,                    -- actor_id of the respondent who added them, or NULL
    PRIMARY KEY (round_id, actor_id)
);

-- A directed tie: source_actor named target_actor (an import row, or a survey answer).
-- One row per (round, source, target, kind, task); task '' = not about one task.
CREATE TABLE network_tie (
    round_id     TEXT NOT NULL REFERENCES network_round(round_id) ON DELETE CASCADE,
    source_actor TEXT NOT NULL REFERENCES network_actor(actor_id),
    target_actor TEXT NOT NULL REFERENCES network_actor(actor_id),
    kind         TEXT NOT NULL CHECK (kind IN ('collaborates', 'advice', 'information', 'referral')),
    frequency    INTEGER NOT NULL CHECK (frequency BETWEEN 1 AND 5),
    task         TEXT NOT NULL DEFAULT '',
    CHECK (source_actor <> target_actor),
    PRIMARY KEY (round_id, source_actor, target_actor, kind, task)
);

CREATE INDEX network_tie_target ON network_tie(round_id, target_actor);
