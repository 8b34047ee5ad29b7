-- Moderation of families' feedback (owner 'feedback', part 'moderation'): which answers have had their
-- themes suggested, with which theme dictionary. Without it an answer whose text suggests no theme would be
-- read again at every queue view and every copy to the warehouse; with the dictionary's digest, answers
-- nobody has moderated yet get new suggestions when the province changes the theme file.

CREATE TABLE feedback_theme_suggestion (
    answer_id    INTEGER PRIMARY KEY REFERENCES feedback_answer(answer_id) ON DELETE CASCADE,
    dictionary   TEXT NOT NULL,   -- digest of the theme file used, or 'moderator' once a moderator set the themes
    suggested_at TEXT NOT NULL    -- UTC, ISO 8601
);
