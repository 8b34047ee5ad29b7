-- Families' feedback (owner 'feedback'): answers as stored AFTER scrubbing personal data, their
-- moderation and their themes. Nothing here identifies a family: no name is asked, free text is
-- scrubbed before it is stored, and the client address is never stored (the rate limit keeps only a
-- salted hash, briefly, elsewhere).

CREATE TABLE feedback_answer (
    answer_id        INTEGER PRIMARY KEY,
    received_on      TEXT NOT NULL,                 -- YYYY-MM-DD (the day only: a time of day could identify)
    municipality     TEXT NOT NULL,                 -- a municipality code of the province, or 'other'
    task             TEXT,                          -- a family-centre task code (shared vocabulary), or NULL
    rating           INTEGER CHECK (rating BETWEEN 1 AND 5),  -- how well they got help; NULL = not answered
    good_text        TEXT NOT NULL DEFAULT '',      -- "what was good", scrubbed
    change_text      TEXT NOT NULL DEFAULT '',      -- "what should change", scrubbed
    age_group        TEXT,                          -- the children's age group, or NULL
    lang             TEXT NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    scrubbed         INTEGER NOT NULL DEFAULT 0,    -- how many pieces of personal data were removed
    status           TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'approved', 'hidden')),
    good_publishable   INTEGER NOT NULL DEFAULT 0,  -- a moderator marked good_text fit to quote publicly
    change_publishable INTEGER NOT NULL DEFAULT 0,  -- the same for change_text
    moderated_at     TEXT,
    moderated_by     TEXT
);

CREATE INDEX feedback_answer_place ON feedback_answer(municipality, received_on);
CREATE INDEX feedback_answer_status ON feedback_answer(status);

-- Themes of an answer: suggested from its text (origin 'suggested'), confirmed or added by a moderator
-- ('confirmed'). A theme code comes from the themes configuration of the moderation part.
CREATE TABLE feedback_answer_theme (
    answer_id INTEGER NOT NULL REFERENCES feedback_answer(answer_id) ON DELETE CASCADE,
    theme     TEXT NOT NULL,
    origin    TEXT NOT NULL CHECK (origin IN ('suggested', 'confirmed')),
    PRIMARY KEY (answer_id, theme)
);
