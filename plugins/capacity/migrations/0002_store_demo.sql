-- The store part (owner 'capacity'): demo rows are marked, so that the views can label them and
-- `perhekeskus capacity demo --remove` deletes them and nothing else.
ALTER TABLE capacity_competence ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE capacity_week ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE capacity_queue ADD COLUMN is_demo INTEGER NOT NULL DEFAULT 0;
