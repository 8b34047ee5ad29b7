-- The views part (owner 'capacity'): a data version for the views' cache of computed aggregates, and
-- covering indexes for the views' reads.
--
-- Why a version kept by triggers: the /osaaminen page caches what it computed per (version, choice) in
-- each web process. Every insert, change and delete of a row the figures are made from bumps the one
-- counter in the same transaction, whoever writes it (the app, an import, the CLI, a plain SQL client),
-- so a cached answer is never used after the data behind it changed, in any process. store_id is random
-- per store, so a store made again from nothing never reuses an old (store_id, version) pair.
-- The network map's actor tables are among them, but another owner's tables may be missing (the network
-- plugin disabled) or made later: their triggers are made by the code (analysis/read.py ensure_triggers).
CREATE TABLE capacity_data_version (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    store_id  TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO capacity_data_version (one, store_id, version) VALUES (1, lower(hex(randomblob(16))), 0);

CREATE TRIGGER capacity_week_bumps_insert AFTER INSERT ON capacity_week
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_week_bumps_update AFTER UPDATE ON capacity_week
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_week_bumps_delete AFTER DELETE ON capacity_week
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_queue_bumps_insert AFTER INSERT ON capacity_queue
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_queue_bumps_update AFTER UPDATE ON capacity_queue
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_queue_bumps_delete AFTER DELETE ON capacity_queue
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_competence_bumps_insert AFTER INSERT ON capacity_competence
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_competence_bumps_update AFTER UPDATE ON capacity_competence
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;

CREATE TRIGGER capacity_competence_bumps_delete AFTER DELETE ON capacity_competence
BEGIN
    UPDATE capacity_data_version SET version = version + 1 WHERE one = 1;
END;


-- Covering indexes: each read of the views finds every column it needs in the index itself.
-- An actor's competences by competence and level (the key is by actor first).
CREATE INDEX capacity_competence_by_competence ON capacity_competence (competence, level, actor_id, is_demo);
-- One actor's weeks with the hours (the key finds the row; this also holds the hours it reads).
CREATE INDEX capacity_week_hours ON capacity_week (actor_id, week, available_hours, booked_hours, is_demo);
-- One competence's queues by week (the key is by municipality before week).
CREATE INDEX capacity_queue_by_competence_week ON capacity_queue
    (competence, week, municipality_code, families_waiting, waiting_since, is_demo);
