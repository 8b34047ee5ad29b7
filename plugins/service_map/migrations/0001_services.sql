-- The service map's operational tables (owner 'service_map'): services, what they serve and for whom,
-- who runs them, and the append-only change history.
-- Codes of tasks, client groups and actor types come from the shared vocabulary (warehouse/vocabulary.toml).

CREATE TABLE service (
    service_id     INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    provider       TEXT NOT NULL DEFAULT '',        -- the provider organisation
    actor_type     TEXT NOT NULL,                   -- the provider's actor type (vocabulary code)
    forms          TEXT NOT NULL DEFAULT '',        -- comma-separated: in_person, group, home_visit, digital, phone
    languages      TEXT NOT NULL DEFAULT '',        -- comma-separated ISO 639 codes: fi, sv, en, ...
    referral_needed INTEGER NOT NULL DEFAULT 0,
    contact_url    TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    is_demo        INTEGER NOT NULL DEFAULT 0,      -- invented by `perhekeskus services demo`, labelled everywhere
    origin         TEXT NOT NULL DEFAULT 'manual',  -- manual | import | demo | ptv
    external_id    TEXT,                            -- e.g. the Palvelutietovaranto service id
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_by     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE service_municipality (
    service_id        INTEGER NOT NULL REFERENCES service(service_id) ON DELETE CASCADE,
    municipality_code TEXT NOT NULL,
    PRIMARY KEY (service_id, municipality_code)
);

CREATE TABLE service_task (
    service_id INTEGER NOT NULL REFERENCES service(service_id) ON DELETE CASCADE,
    task       TEXT NOT NULL,
    PRIMARY KEY (service_id, task)
);

CREATE TABLE service_client_group (
    service_id   INTEGER NOT NULL REFERENCES service(service_id) ON DELETE CASCADE,
    client_group TEXT NOT NULL,
    PRIMARY KEY (service_id, client_group)
);

-- The actors of the network map (network_actor.actor_id) who run the service; no foreign key, so the
-- service map works without the network map and keeps its links while an actor is re-imported.
CREATE TABLE service_actor (
    service_id INTEGER NOT NULL REFERENCES service(service_id) ON DELETE CASCADE,
    actor_id   TEXT NOT NULL,
    PRIMARY KEY (service_id, actor_id)
);

CREATE INDEX service_municipality_code ON service_municipality(municipality_code);
CREATE INDEX service_task_task ON service_task(task);

-- Every change of a service: who, when, what (add | update | deactivate | reactivate | import), before
-- and after as JSON. Written in the same transaction as the change; append-only.
CREATE TABLE service_history (
    history_id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id INTEGER NOT NULL,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    actor      TEXT NOT NULL,
    op         TEXT NOT NULL,
    before     TEXT,
    after      TEXT
);

CREATE INDEX service_history_service ON service_history(service_id);

CREATE TRIGGER service_history_no_update BEFORE UPDATE ON service_history
BEGIN
    SELECT RAISE(ABORT, 'the service history is append-only');
END;

CREATE TRIGGER service_history_no_delete BEFORE DELETE ON service_history
BEGIN
    SELECT RAISE(ABORT, 'the service history is append-only');
END;
