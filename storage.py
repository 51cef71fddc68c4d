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

Upgrades: the file carries its schema version in ``PRAGMA user_version``. On
opening, a file from an older version is migrated in one transaction (never
dropped: a failed step leaves it as it was), and a file from a newer version is
refused with a clear message. A new table can go into ``_SCHEMA`` with
``IF NOT EXISTS``; any other change (a new column, moved data) is a step in
``MIGRATIONS`` and raises ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from intents import Reply
from redaction import Vocabulary, redact

__all__ = ["LogSettings", "SchemaError", "Unanswered", "UnansweredLog", "backup", "database_path", "migrate", "open_log", "redact"]

log = logging.getLogger("dnbot.storage")

LOGGED_KINDS = frozenset({"fallback", "clarify"})
#: Replies of a logged kind that did answer: "tell me more" lists the related topics.
ANSWERED_INTENTS = frozenset({"more"})
DEFAULT_RETENTION_DAYS = 90

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
        return self.directory / DB_NAME

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


#: The schema this code writes. Version 1 is the first versioned one; a file without a version
#: (written before versions existed) has exactly version 1's tables and is stamped on opening.
SCHEMA_VERSION = 1
#: ``(version, SQL)``: what turns a file of ``version - 1`` into ``version``. Applied in order.
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, ""),)
DB_NAME = "unanswered.sqlite3"


class SchemaError(Exception):
    """The database cannot be used by this version (written by a newer one, or a migration failed)."""


def migrate(db: sqlite3.Connection, *, migrations: tuple[tuple[int, str], ...] = MIGRATIONS, target: int = SCHEMA_VERSION) -> int:
    """Bring *db* to schema *target*; returns the version it had. Nothing is dropped.

    All steps run in one transaction: if one fails the file keeps its old version and data.
    """
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > target:
        raise SchemaError(
            f"the question log was written by a newer version of the bot (schema {found}, this version knows {target}); "
            "upgrade the bot, or restore a backup made with this version"
        )
    if found == target:
        db.executescript(_SCHEMA)
        return found
    try:
        db.execute("BEGIN IMMEDIATE")
        for version, sql in migrations:
            if found < version <= target:
                for statement in filter(str.strip, sql.split(";")):
                    db.execute(statement)
        for statement in filter(str.strip, _SCHEMA.split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {int(target)}")
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        db.execute("ROLLBACK")
        raise SchemaError(f"could not upgrade the question log from schema {found} to {target}: {exc}; the file was left as it was") from exc
    log.info("question log upgraded from schema %d to %d", found, target)
    return found


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
                migrate(self._db)
                self._db.isolation_level = ""  # back to the module's default: `with db:` is one transaction
                self.purge()
            except SchemaError:
                self.close()
                raise
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
                if reply.kind in LOGGED_KINDS and reply.intent not in ANSWERED_INTENTS and is_question(question):
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
        vocabulary = self.vocabulary()
        # Redacted again on the way out: rows written by an older version kept more.
        return [Unanswered(*row[:5], redact(row[5], vocabulary), *row[6:]) for row in rows]

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


def database_path(env: Mapping[str, str] = os.environ) -> Path:
    """Where the log lives as the environment configures it."""
    return LogSettings.from_env(env).directory / DB_NAME


@dataclass(frozen=True)
class BackupResult:
    questions: int
    days: int
    schema: int


def backup(source: Path, target: Path) -> BackupResult:
    """Copy the live database *source* to *target* with SQLite's online backup API.

    Safe while the bot writes: the copy is one consistent snapshot (WAL contents
    included). It is written next to *target* first and renamed into place, so a
    failed backup never leaves a half-written file under the final name, and it
    is readable by its owner only. Raises ``FileNotFoundError`` when there is no
    log and ``sqlite3.Error`` when the copy fails its integrity check.
    """
    if not source.is_file():
        raise FileNotFoundError(str(source))
    if target.exists() and target.resolve() == source.resolve():
        raise ValueError("the backup file cannot be the live database itself")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    old_umask = os.umask(0o077)
    try:
        src = sqlite3.connect(source, timeout=30)  # only read; a read-only open fails on a WAL file without -shm
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("the copy failed SQLite's integrity check")
            result = BackupResult(
                questions=dst.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0],
                days=dst.execute("SELECT COUNT(DISTINCT day) FROM daily").fetchone()[0],
                schema=dst.execute("PRAGMA user_version").fetchone()[0],
            )
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        os.umask(old_umask)
    return result


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
    db = sqlite3.connect(path, check_same_thread=False, timeout=5, isolation_level=None)
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


def open_log(
    env: Mapping[str, str] = os.environ,
    *,
    default_dir: Path | None = None,
    vocabulary: Callable[[], Vocabulary | None] = lambda: None,
) -> UnansweredLog:
    """The log as the environment configures it (raises ``ValueError`` for bad settings, and
    ``SchemaError`` for a file written by a newer version).

    A data folder that cannot be used does not raise: the log is off, ``problem`` says why,
    and one warning is logged."""
    return UnansweredLog(LogSettings.from_env(env, default_dir=default_dir), vocabulary=vocabulary)

