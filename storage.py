"""The unanswered-question log: what patients asked that the bot could not answer.

Privacy first. Only ``fallback`` and ``clarify`` replies are kept, with the
time, the kind, the top suggestion and its score, and the question after
:func:`redact` has replaced e-mail addresses, phone numbers, dates, long
numbers, links and @handles with placeholders. No chat ids, user ids or names
are stored. Per day, numbers only: how many replies of each kind and for each
FAQ entry. Rows older than the retention period are deleted.

SQLite (standard library) in WAL mode, under ``BOT_DATA_DIR``. A storage
failure is logged and never costs a patient their reply.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from intents import Reply

log = logging.getLogger("dnbot.storage")

LOGGED_KINDS = frozenset({"fallback", "clarify"})
DEFAULT_RETENTION_DAYS = 90

# Order matters: links and e-mail addresses, dates, international phones, long numbers, other phones, handles.
_REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(?:https?://|www\.)\S+"), "[link]"),
    (re.compile(r"(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "[email]"),
    (re.compile(r"(?i)\b[a-z0-9-]+\.(?:com|org|net|edu|gov|io|co|us|uk|de|info|health)\b(?:/\S*)?"), "[link]"),
    (re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"), "[date]"),
    (
        re.compile(
            r"(?i)\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{2,4}\b"
            r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}\b"
        ),
        "[date]",
    ),
    (re.compile(r"(?<![\w+])(?:\+|00)\d[\d\s().-]{6,}\d(?![\w])"), "[phone]"),
    (re.compile(r"\b\d{5,}\b"), "[number]"),
    (re.compile(r"(?<![\w])\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]\d{3,4}(?:[\s.-]\d{2,4})?(?![\w])"), "[phone]"),
    (re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,}"), "[handle]"),
)


def redact(text: str) -> str:
    """Replace personal details in *text* with placeholders.

    >>> redact("I'm jane.doe@example.com, call +1 (555) 123-4567 about DOB 03/14/1980")
    "I'm [email], call [phone] about DOB [date]"
    >>> redact("MRN 12345678, see https://x.example/a?b=1 or ask @frontdesk_bot")
    'MRN [number], see [link] or ask [handle]'
    >>> redact("does it hurt for 10 to 20 minutes?")   # short numbers stay
    'does it hurt for 10 to 20 minutes?'
    """
    for pattern, placeholder in _REDACTIONS:
        text = pattern.sub(placeholder, text)
    return text


def is_question(text: str) -> bool:
    """Whether *text* is worth keeping as an unanswered question: not a command, a lone number or only emoji.

    >>> [is_question(t) for t in ("does it hurt?", "/stats", "42", "\U0001F44D\U0001F44D", "  ", "ok 2")]
    [True, False, False, False, False, True]
    """
    text = text.strip()
    return bool(text) and not text.startswith("/") and any(ch.isalpha() for ch in text)


@dataclass(frozen=True)
class Unanswered:
    at: float
    kind: str
    suggestion: str | None
    score: float
    topic: str | None  # the not-covered topic that answered, if one did
    question: str
    id: int = 0  # the row, so that staff can mark it reviewed


@dataclass(frozen=True)
class LogSettings:
    directory: Path
    enabled: bool = True
    retention_days: int = DEFAULT_RETENTION_DAYS

    @property
    def database(self) -> Path:
        return self.directory / "unanswered.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, *, default_dir: Path | None = None) -> LogSettings:
        """Settings from ``BOT_DATA_DIR`` (else *default_dir*, else ``./data``), ``BOT_LOG_UNANSWERED``
        and ``BOT_LOG_RETENTION_DAYS``."""
        raw_days = env.get("BOT_LOG_RETENTION_DAYS", "").strip() or str(DEFAULT_RETENTION_DAYS)
        try:
            days = int(raw_days)
            if days < 1:
                raise ValueError
        except ValueError:
            raise ValueError(f"BOT_LOG_RETENTION_DAYS must be a whole number of days (1 or more), not {raw_days!r}") from None
        enabled = env.get("BOT_LOG_UNANSWERED", "1").strip().lower() not in ("0", "false", "no", "off")
        directory = env.get("BOT_DATA_DIR", "").strip()
        return cls(Path(directory) if directory else (default_dir or Path("data")), enabled, days)


_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS reviewed (
    id INTEGER PRIMARY KEY,  -- a row of unanswered that staff acted on (taught or dismissed)
    at REAL NOT NULL,
    action TEXT NOT NULL
);
"""


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%d")


class UnansweredLog:
    """Records replies (a ``Recorder`` for the transport layer) and answers staff queries."""

    def __init__(self, settings: LogSettings, *, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._last_purge = 0.0
        if settings.enabled:
            settings.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(settings.database, check_same_thread=False, timeout=5)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self.purge()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # ------------------------------------------------------------------ writing

    def record(self, question: str, reply: Reply) -> None:
        """Count *reply*; keep it, redacted, if the bot could not answer. Never raises."""
        if self._db is None:
            return
        try:
            now = self.clock()
            suggestion = reply.suggestions[0].faq_id if reply.suggestions else None
            with self._lock, self._db:
                self._db.execute(
                    "INSERT INTO daily (day, kind, faq_id, count) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (day, kind, faq_id) DO UPDATE SET count = count + 1",
                    (_day(now), reply.kind, reply.faq_id or ""),
                )
                if reply.kind in LOGGED_KINDS and is_question(question):
                    self._db.execute(
                        "INSERT INTO unanswered (at, kind, suggestion, score, topic, question) VALUES (?, ?, ?, ?, ?, ?)",
                        (now, reply.kind, suggestion, reply.score, reply.intent, redact(question)[:500]),
                    )
            if now - self._last_purge > 3600:
                self.purge()
        except (sqlite3.Error, OSError):
            log.exception("could not write to the unanswered-question log")

    def purge(self) -> int:
        """Delete rows older than the retention period; returns how many questions went."""
        if self._db is None:
            return 0
        now = self.clock()
        cutoff = now - self.settings.retention_days * 86400
        with self._lock, self._db:
            deleted = self._db.execute("DELETE FROM unanswered WHERE at < ?", (cutoff,)).rowcount
            self._db.execute("DELETE FROM reviewed WHERE id NOT IN (SELECT id FROM unanswered)")
            self._db.execute("DELETE FROM daily WHERE day < ?", (_day(cutoff),))
        self._last_purge = now
        return deleted

    # ------------------------------------------------------------------ reading

    def unanswered(self, *, days: int = 30) -> list[Unanswered]:
        if self._db is None:
            return []
        since = self.clock() - days * 86400
        with self._lock:
            rows = self._db.execute(
                "SELECT at, kind, suggestion, score, topic, question, id FROM unanswered WHERE at >= ? ORDER BY at, id", (since,)
            ).fetchall()
        return [Unanswered(*row) for row in rows]

    def reviewed(self) -> dict[int, str]:
        """The rows staff have acted on, with the action (``taught`` or ``dismissed``); reports leave them out."""
        if self._db is None:
            return {}
        with self._lock:
            return dict(self._db.execute("SELECT id, action FROM reviewed").fetchall())

    def mark_reviewed(self, ids: Iterable[int], action: str) -> None:
        """Mark rows as dealt with by *action* (``taught`` or ``dismissed``)."""
        if self._db is None:
            return
        now = self.clock()
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO reviewed (id, at, action) VALUES (?, ?, ?)", [(i, now, action) for i in ids]
            )

    def totals(self, *, days: int = 7) -> tuple[dict[str, int], dict[str, int]]:
        """(replies per kind, FAQ answers per entry) over the last *days* days."""
        if self._db is None:
            return {}, {}
        since = _day(self.clock() - (days - 1) * 86400)
        with self._lock:
            rows = self._db.execute("SELECT kind, faq_id, SUM(count) FROM daily WHERE day >= ? GROUP BY kind, faq_id", (since,)).fetchall()
        kinds: dict[str, int] = {}
        topics: dict[str, int] = {}
        for kind, faq_id, count in rows:
            kinds[kind] = kinds.get(kind, 0) + count
            if faq_id:
                topics[faq_id] = topics.get(faq_id, 0) + count
        return kinds, topics


def open_log(env: Mapping[str, str] = os.environ, *, default_dir: Path | None = None) -> UnansweredLog:
    """The log as the environment configures it (raises ``ValueError`` for bad settings)."""
    return UnansweredLog(LogSettings.from_env(env, default_dir=default_dir))

