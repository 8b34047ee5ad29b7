-- Services found in the national service catalogue (Suomi.fi Palvelutietovaranto, PTV), waiting for an
-- editor's review. The catalogue has no family-centre tasks or client groups: the plugin PROPOSES them
-- (suggested_tasks, suggested_groups) from the service's classes, target groups and words, and an editor
-- decides. Nothing here is on the map until an editor adds it (status 'added', service_id set).

CREATE TABLE service_proposal (
    proposal_id      INTEGER PRIMARY KEY,
    external_id      TEXT NOT NULL,                 -- the catalogue's service id
    municipality_code TEXT NOT NULL,                -- the municipality it was listed under
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    provider         TEXT NOT NULL DEFAULT '',
    languages        TEXT NOT NULL DEFAULT '',      -- comma-separated codes
    classes          TEXT NOT NULL DEFAULT '',      -- the catalogue's service classes (Finnish names, '; ')
    suggested_tasks  TEXT NOT NULL DEFAULT '',      -- comma-separated task codes: a proposal only
    suggested_groups TEXT NOT NULL DEFAULT '',      -- comma-separated client-group codes: a proposal only
    status           TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'added', 'dismissed')),
    service_id       INTEGER,
    fetched_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    UNIQUE (external_id, municipality_code)
);
