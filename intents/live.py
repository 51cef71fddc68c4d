"""A FAQ file kept in service while staff edit it.

:class:`LiveFaq` hands out the current :class:`~intents.Engine`. When the
file changes, the new version is validated and, only if it is usable, swapped
in with one attribute assignment: a message being answered keeps the engine
it started with (engines are never changed after they are built), and the
next message gets the new one. An invalid file is refused and the old FAQ
stays in service.

The file is looked at only from :meth:`LiveFaq.refresh_if_changed` (called by
the transport layer between messages, at most every ``interval`` seconds) and
:meth:`LiveFaq.reload`, never while a message is answered.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .content import Content, ContentError, load_content, with_safety_of
from .engine import Engine

log = logging.getLogger("dnbot.faq")


def _fingerprint(path: Path) -> tuple[int, int, str] | None:
    try:
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, digest


class LiveFaq:
    """The engine for one FAQ file, reloaded when the file changes and is valid."""

    def __init__(
        self,
        path: str | Path,
        *,
        interval: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        baseline: Content | None = None,
    ) -> None:
        self.path = Path(path)
        self.interval = interval
        self.clock = clock
        self.baseline = baseline  # the shipped FAQ, whose emergency checks always apply
        self._lock = threading.Lock()
        self._engine = self._load()  # the first load must succeed (ContentError otherwise)
        self._seen = _fingerprint(self.path)
        self._checked = clock()
        self.last_problems: list[str] = []

    @property
    def engine(self) -> Engine:
        return self._engine

    def _load(self) -> Engine:
        content = load_content(self.path)
        return Engine(with_safety_of(content, self.baseline) if self.baseline else content)

    def refresh_if_changed(self) -> list[str] | None:
        """Reload if the file changed since it was last looked at (throttled).

        Returns ``None`` when nothing changed, ``[]`` after a successful reload,
        or the problem lines when the new file was refused.
        """
        now = self.clock()
        if now - self._checked < self.interval:
            return None
        self._checked = now
        if _fingerprint(self.path) == self._seen:
            return None
        return self.reload()

    def reload(self) -> list[str]:
        """Load the file now. Returns ``[]`` on success, or the problem lines (old FAQ kept)."""
        with self._lock:
            fingerprint = _fingerprint(self.path)
            try:
                engine = self._load()
            except ContentError as exc:
                self._seen = fingerprint  # report a broken file once, not every few seconds
                self.last_problems = [str(p) for p in exc.problems]
                for line in self.last_problems:
                    log.error("FAQ not reloaded: %s", line)
                return self.last_problems
            self._engine = engine
            self._seen = fingerprint
            self.last_problems = []
            log.info("FAQ reloaded: %d entries", len(engine.content.faqs))
            return []
