-- The example plugin's own table in the operational store: notes on a municipality's visit numbers.
CREATE TABLE example_visits_note (
    id INTEGER PRIMARY KEY,
    municipality TEXT NOT NULL CHECK (length(municipality) = 3),
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
