"""The unanswered-question log: what patients asked that the bot could not answer.

Privacy first. Only ``fallback`` and ``clarify`` replies are kept, with the
time, the kind, the top suggestion and its score, and the question after
:func:`redaction.redact` (fails closed: only words the bot knows survive, digits
and everything else are masked). Rows are redacted again when read, for rows an
older version wrote. No chat ids, user ids or names are stored. Per day,
numbers only: how many replies of each kind and for each FAQ entry. Rows older
than the retention period are deleted (and overwritten on disk).

SQLite (standard library) in WAL mode, under ``BOT_DATA_DIR``: the folder is
0700 and the files 0600 whatever the umask. A data folder that cannot be used,
or a full disk, is one warning in the log and never costs a patient a reply.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from intents import Reply
from redaction import Vocabulary, redact

__all__ = ["LogSettings", "Unanswered", "UnansweredLog", "open_log", "redact"]

log = logging.getLogger("dnbot.storage")

LOGGED_KINDS = frozenset({"fallback", "clarify"})
DEFAULT_RETENTION_DAYS = 90
DB_NAME = "unanswered.sqlite3"


@dataclass(frozen=True)
class Unanswered:
    at: float
    kind: str
    suggestion: str | None
    score: float
    topic: str | None  # the not-covered topic that answered, if one did
    question: str


@dataclass(frozen=True)
class LogSettings:
    directory: Path
    enabled: bool = True
    retention_days: int = DEFAULT_RETENTION_DAYS

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> LogSettings:
        """Settings from ``BOT_DATA_DIR``, ``BOT_LOG_UNANSWERED`` and ``BOT_LOG_RETENTION_DAYS``."""
        raw_days = env.get("BOT_LOG_RETENTION_DAYS", "").strip() or str(DEFAULT_RETENTION_DAYS)
        try:
            days = int(raw_days)
            if days < 1:
                raise ValueError
        except ValueError:
            raise ValueError(f"BOT_LOG_RETENTION_DAYS must be a whole number of days (1 or more), not {raw_days!r}") from None
        enabled = env.get("BOT_LOG_UNANSWERED", "1").strip().lower() not in ("0", "false", "no", "off")
        return cls(Path(env.get("BOT_DATA_DIR", "").strip() or "data"), enabled, days)


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
"""


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%d")


class UnansweredLog:
    """Records replies (a ``Recorder`` for the transport layer) and answers staff queries."""

    def __init__(
        self,
        settings: LogSettings,
        *,
        clock: Callable[[], float] = time.time,
        vocabulary: Callable[[], Vocabulary | None] = lambda: None,
    ) -> None:
        """*vocabulary* gives the words a question may keep (the live FAQ's, for the transport
        layer); without it only common English words survive redaction."""
        self.settings = settings
        self.clock = clock
        self.vocabulary = vocabulary
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._last_purge = 0.0
        self._failing = False
        #: Why the log is off although it was asked for (a data folder that cannot be used), else None.
        self.problem: str | None = None
        if settings.enabled:
            try:
                self._db = _open_private(settings.directory)
                self._db.executescript(_SCHEMA)
                self.purge()
            except (OSError, sqlite3.Error) as exc:
                self.close()
                self.problem = f"the unanswered-question log is off: cannot use BOT_DATA_DIR {settings.directory} ({_reason(exc)})"
                log.warning("%s; the bot goes on answering", self.problem)

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
                if reply.kind in LOGGED_KINDS:
                    self._db.execute(
                        "INSERT INTO unanswered (at, kind, suggestion, score, topic, question) VALUES (?, ?, ?, ?, ?, ?)",
                        (now, reply.kind, suggestion, reply.score, reply.intent, redact(question, self.vocabulary())[:500]),
                    )
            if now - self._last_purge > 3600:
                self.purge()
            if self._failing:
                self._failing = False
                log.warning("the unanswered-question log is written again")
        except (sqlite3.Error, OSError) as exc:
            if not self._failing:  # one line when it starts failing (a full disk), not one per message
                self._failing = True
                log.warning("could not write to the unanswered-question log (%s); questions are not kept until it recovers", _reason(exc))

    def purge(self) -> int:
        """Delete rows older than the retention period; returns how many questions went."""
        if self._db is None:
            return 0
        now = self.clock()
        cutoff = now - self.settings.retention_days * 86400
        with self._lock, self._db:
            deleted = self._db.execute("DELETE FROM unanswered WHERE at < ?", (cutoff,)).rowcount
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
                "SELECT at, kind, suggestion, score, topic, question FROM unanswered WHERE at >= ? ORDER BY at", (since,)
            ).fetchall()
        vocabulary = self.vocabulary()
        # Redacted again on the way out: rows written by an older version kept more.
        return [Unanswered(*row[:5], redact(row[5], vocabulary)) for row in rows]

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


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _open_private(directory: Path) -> sqlite3.Connection:
    """Open the database in *directory*: the folder 0700, the database and its -wal and -shm files
    0600, whatever the umask (also when an older version created them more open)."""
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(20, "not a directory", str(directory))
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _private(directory, 0o700)
    path = directory / DB_NAME
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    _private(path, 0o600)  # SQLite gives -wal and -shm the database file's mode
    db = sqlite3.connect(path, check_same_thread=False, timeout=5)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA secure_delete=ON")  # deleted questions are overwritten, not left in free pages
        for suffix in ("-wal", "-shm"):
            extra = directory / (DB_NAME + suffix)
            if extra.exists():
                _private(extra, 0o600)
    except BaseException:
        db.close()
        raise
    return db


def _private(path: Path, allowed: int) -> None:
    """Take group and other permissions away from *path* (never add any)."""
    mode = path.stat().st_mode & 0o777
    if mode & ~allowed:
        os.chmod(path, mode & allowed)


def open_log(env: Mapping[str, str] = os.environ, *, vocabulary: Callable[[], Vocabulary | None] = lambda: None) -> UnansweredLog:
    """The log as the environment configures it (raises ``ValueError`` for bad settings).

    A data folder that cannot be used does not raise: the log is off, ``problem`` says why,
    and one warning is logged."""
    return UnansweredLog(LogSettings.from_env(env), vocabulary=vocabulary)

