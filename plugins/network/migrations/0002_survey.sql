-- The network survey's own operational tables (owner 'network', part 'survey').
-- A respondent is a roster actor of a survey round who was given a personal link. Only the link's
-- SHA-256 is kept: the link itself is shown once to the coordinator, so a copy of this store cannot be
-- used to answer in someone's name. Re-issuing a link replaces the hash (the old link stops working).

CREATE TABLE network_respondent (
    round_id      TEXT NOT NULL REFERENCES network_round(round_id) ON DELETE CASCADE,
    actor_id      TEXT NOT NULL REFERENCES network_actor(actor_id),
    token_hash    TEXT NOT NULL UNIQUE,              -- hex sha256 of the personal link's token
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    issued_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),  -- of the current link
    issued_count  INTEGER NOT NULL DEFAULT 1,        -- 2 and more: earlier links were revoked
    last_saved_at TEXT,                              -- NULL: not started
    submitted_at  TEXT,                              -- NULL: not submitted (maybe a saved draft)
    PRIMARY KEY (round_id, actor_id)
);

-- A respondent's draft: the people they chose and what they said so far, complete or not. The complete
-- ones are also written to network_tie (one row per kind and task) in the same transaction, so the
-- ties always match what the respondent last saved; an incomplete one (no frequency or no kind yet)
-- waits here so that nothing the respondent entered is lost.
CREATE TABLE network_survey_contact (
    round_id      TEXT NOT NULL,
    respondent_id TEXT NOT NULL,
    target_actor  TEXT NOT NULL REFERENCES network_actor(actor_id),
    position      INTEGER NOT NULL DEFAULT 0,        -- the order the respondent added them in
    frequency     INTEGER CHECK (frequency IS NULL OR frequency BETWEEN 1 AND 5),
    kinds         TEXT NOT NULL DEFAULT '',          -- space-separated tie kind codes
    tasks         TEXT NOT NULL DEFAULT '',          -- space-separated family-centre task codes
    PRIMARY KEY (round_id, respondent_id, target_actor),
    FOREIGN KEY (round_id, respondent_id) REFERENCES network_respondent(round_id, actor_id) ON DELETE CASCADE
);
