-- Governance registry, second step: a member may be linked to an app user (username), which is how
-- a body's own secretary gets to edit that body. Only administrators set the link.

ALTER TABLE gov_member ADD COLUMN username TEXT COLLATE NOCASE;

CREATE INDEX gov_member_username ON gov_member(username);

CREATE INDEX gov_history_entity ON gov_history(entity, entity_id);
