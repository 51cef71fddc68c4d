-- The question log as version 0.1.0 wrote it: no PRAGMA user_version (0). Kept as it was, for migration tests.
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    suggestion TEXT,
    score REAL NOT NULL,
    topic TEXT,
    question TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered (at);
CREATE TABLE IF NOT EXISTS daily (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    faq_id TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL,
    PRIMARY KEY (day, kind, faq_id)
);
