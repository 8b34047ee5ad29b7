-- The roles are the code's list (perhekeskus.dashboard.access.users.ROLES), which grows with features
-- (moderator, coordinator, worker). The first schema fixed the list in a CHECK, and INSERT OR IGNORE then
-- dropped a newer role without a word; the table is rebuilt with only a sanity check on the name.
CREATE TABLE user_role_v2 (
    user_id INTEGER NOT NULL REFERENCES app_user(user_id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 40),
    scope   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role, scope)
);
INSERT INTO user_role_v2 (user_id, role, scope) SELECT user_id, role, scope FROM user_role;
DROP TABLE user_role;
ALTER TABLE user_role_v2 RENAME TO user_role;
