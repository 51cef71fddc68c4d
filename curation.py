"""Staff teach the bot from what it could not answer: one place for ``bot.py teach`` and the Telegram buttons.

``report`` numbers the groups of unanswered questions; a group (or a question
typed by staff) can then be

* added as an alternate of a FAQ entry,
* added as a keyword of a not-covered topic,
* given the clinic's own answer (for a not-covered topic), or
* dismissed (hidden from later reports).

An edit of ``faq.yaml`` changes only the lines it adds (see
:mod:`intents.teach`), is checked exactly like ``bot.py check`` (schema,
collisions, reading level) and refused with the check's message if the
result has an error. It is also refused if a phrasing the FAQ answers today
would stop being answered by its entry, or if the taught question would still
not get what it was taught (a not-covered keyword or a red flag comes first). The previous file is kept under
``<data dir>/faq-backups/``; every action is appended to
``<data dir>/teach-log.tsv`` (time, action, entry or topic, text; never a
user id). A running bot notices the new file by itself; the Telegram buttons
reload it at once.

Group numbers are positions in the list of groups over the report's period
(30 days unless told), counted over every question of the period, those
already acted on included. So teaching one group does not renumber the others,
and the numbers ``report`` printed stay valid for ``teach``. A group that was
dismissed stays hidden, and so does one whose questions were all taught.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from intents import Engine, parse_content
from intents.checker import check_text
from intents.content import Problem, parse_yaml
from intents.review import Group, review
from intents.teach import Edit, EditError, add_alternate, add_keyword, set_clinic_answer
from redaction import Vocabulary
from storage import UnansweredLog, redact

log = logging.getLogger("dnbot.curation")

DEFAULT_DAYS = 30
BACKUPS = "faq-backups"
KEEP_BACKUPS = 50
AUDIT_LOG = "teach-log.tsv"


@dataclass(frozen=True)
class NumberedGroup:
    """A group of unanswered questions with its number in ``report`` and the log rows it holds."""

    number: int
    group: Group
    ids: tuple[int, ...]

    @property
    def key(self) -> int:
        """Stable while the rows are kept: the first row of the group (Telegram buttons carry it)."""
        return min(self.ids) if self.ids else 0


@dataclass(frozen=True)
class Outcome:
    """What a teach action did, in lines to show staff. ``changed`` is false when nothing was changed."""

    changed: bool
    lines: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return "\n".join((*self.lines, *self.warnings))


class Curator:
    """Teach actions over one FAQ file and one unanswered-question log."""

    def __init__(
        self,
        faq_path: str | Path,
        unanswered: UnansweredLog | None,
        *,
        data_dir: str | Path,
        reload: Callable[[], object] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.faq_path = Path(faq_path)
        self.log = unanswered
        self.data_dir = Path(data_dir)
        self.reload = reload
        self.clock = clock
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ groups

    def all_groups(self, engine: Engine, *, days: int = DEFAULT_DAYS) -> tuple[list[NumberedGroup], dict[int, str]]:
        """Every group of the period, numbered, and the rows already acted on (row id -> action)."""
        if self.log is None:
            return [], {}
        rows = self.log.unanswered(days=days)
        groups = review([(row.question, row.topic) for row in rows], engine)
        numbered = [NumberedGroup(n, g, tuple(rows[i].id for i in g.members)) for n, g in enumerate(groups, start=1)]
        return numbered, self.log.reviewed()

    def groups(self, engine: Engine, *, days: int = DEFAULT_DAYS) -> list[NumberedGroup]:
        """The groups still to review: not dismissed, and not wholly taught; numbered as in ``report``."""
        numbered, done = self.all_groups(engine, days=days)
        return [g for g in numbered if not _hidden(g, done)]

    def find(self, engine: Engine, *, number: int | None = None, key: int | None = None, days: int = DEFAULT_DAYS) -> NumberedGroup | None:
        """The group with this number (from ``report``) or key (from a button), if it is still to review."""
        for group in self.groups(engine, days=days):
            if (number is not None and group.number == number) or (key is not None and group.key == key):
                return group
        return None

    def topic_hits(self, engine: Engine, *, days: int = DEFAULT_DAYS) -> list[tuple[str, int, bool]]:
        """(not-covered topic, questions that reached it, whether it has a clinic answer now), most hit first."""
        if self.log is None:
            return []
        counts = Counter(row.topic for row in self.log.unanswered(days=days) if row.topic)
        answered = {t.id for t in engine.content.not_covered if t.clinic_answer}
        return [(topic, count, topic in answered) for topic, count in counts.most_common()]

    # ------------------------------------------------------------------ actions

    def _vocabulary(self) -> Vocabulary | None:
        """The words a taught question may keep: the log's (the live FAQ's), else common English."""
        return self.log.vocabulary() if self.log is not None else None

    def add_alternate(self, entry_id: str, question: str, group: NumberedGroup | None = None) -> Outcome:
        phrasing = _clean(question, self._vocabulary())
        if _MASKED.search(phrasing):
            return _masked(phrasing, f"python bot.py teach \"<the question in your words>\" {entry_id}")
        return self._edit(
            lambda text: add_alternate(text, entry_id, phrasing),
            action="add-alternate", target=entry_id, text=phrasing, group=group,
            done=f"Added '{phrasing}' to entry '{entry_id}' as another way patients ask it.",
            expect=(phrasing, "faq", entry_id),
        )

    def add_keyword(self, topic_id: str, keyword: str, group: NumberedGroup | None = None) -> Outcome:
        word = _clean(keyword, self._vocabulary()).rstrip("?!.").lower()
        if _MASKED.search(word):
            return _masked(word, f"python bot.py teach NUMBER --not-covered {topic_id} --keyword \"<a word or two>\"")
        return self._edit(
            lambda text: add_keyword(text, topic_id, word),
            action="add-keyword", target=topic_id, text=word, group=group,
            done=f"Added '{word}' as a keyword of not-covered topic '{topic_id}'.",
            expect=(word, None, topic_id),
        )

    def set_answer(self, topic_id: str, answer: str, group: NumberedGroup | None = None, *, keyword: str | None = None) -> Outcome:
        answer = " ".join(answer.split())
        word = _clean(keyword, self._vocabulary()).rstrip("?!.").lower() if keyword else None

        def change(text: str) -> Edit:
            if word:
                text = add_keyword(text, topic_id, word).text
            return set_clinic_answer(text, topic_id, answer)

        done = f"Not-covered topic '{topic_id}' now has the clinic's own answer; patients asking about it get that answer."
        if word:
            done = f"Added '{word}' as a keyword of not-covered topic '{topic_id}'. " + done
        return self._edit(change, action="clinic-answer", target=topic_id, text=answer, group=group, done=done,
                          expect=(word, "faq", topic_id) if word else None)

    def dismiss(self, group: NumberedGroup) -> Outcome:
        if self.log is not None:
            self.log.mark_reviewed(group.ids, "dismissed")
        self._audit("dismiss", group.group.topic or group.group.nearest or "-", group.group.example)
        return Outcome(True, (f"Dismissed group #{group.number} ('{group.group.example}'); later reports leave it out.",))

    # ------------------------------------------------------------------ the one path every edit takes

    def _edit(
        self,
        make: Callable[[str], Edit],
        *,
        action: str,
        target: str,
        text: str,
        group: NumberedGroup | None,
        done: str,
        expect: tuple[str | None, str | None, str] | None,
    ) -> Outcome:
        name = self.faq_path.name
        with self._lock:
            try:
                old = self.faq_path.read_text(encoding="utf-8")
            except OSError as exc:
                return Outcome(False, (f"Not changed: cannot read {name}: {exc.strerror}.",))
            before = check_text(old, name=name)
            if any(p.severity == "error" for p in before):
                return _refused(f"{name} has errors already; fix them first (python bot.py check):", before)
            try:
                edit = make(old)
            except EditError as exc:
                return Outcome(False, (f"Not changed: {exc}.",))
            after = check_text(edit.text, name=name)
            if any(p.severity == "error" for p in after):
                return _refused(f"{name} was not changed: with this change, 'python bot.py check' says:", after)
            old_engine, new_engine = _engine(old, name), _engine(edit.text, name)
            lost = _lost_answers(old_engine, new_engine)
            if lost:
                return Outcome(False, (f"{name} was not changed: patients would stop getting these answers:", *lost[:5]))
            missed = _missed(new_engine, expect)
            if missed:
                return Outcome(False, (f"{name} was not changed: {missed}",))
            backup = self._backup(old)
            _write(self.faq_path, edit.text)
            if group is not None and self.log is not None:
                self.log.mark_reviewed(group.ids, "taught")
            self._audit(action, target, text)
            if self.reload is not None:
                try:
                    self.reload()
                except Exception:  # the file is written; the watcher will load it
                    log.exception("could not reload the FAQ after a teach action")
        seen = {_gist(p) for p in before}
        warnings = tuple(f"Note: {p.entry}: {p.message}" for p in after if _gist(p) not in seen)
        lines = (done, f"{name} line {edit.line}; the previous file is kept as {_shown(backup)}.")
        return Outcome(True, lines, warnings)

    def _backup(self, text: str) -> Path:
        folder = self.data_dir / BACKUPS
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.fromtimestamp(self.clock(), tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        path = folder / f"{self.faq_path.stem}-{stamp}.yaml"
        counter = 1
        while path.exists():
            counter += 1
            path = folder / f"{self.faq_path.stem}-{stamp}-{counter}.yaml"
        path.write_text(text, encoding="utf-8")
        for old in sorted(folder.glob(f"{self.faq_path.stem}-*.yaml"))[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return path

    def _audit(self, action: str, target: str, text: str) -> None:
        """One line per action: time, action, entry or topic, text (already redacted). Never who did it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.fromtimestamp(self.clock(), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = [stamp, action, target, redact(text)]
        with (self.data_dir / AUDIT_LOG).open("a", encoding="utf-8") as audit:
            audit.write("\t".join(" ".join(f.split()) for f in fields) + "\n")


# --------------------------------------------------------------------------- helpers


def _hidden(group: NumberedGroup, done: dict[int, str]) -> bool:
    actions = [done.get(i) for i in group.ids]
    return "dismissed" in actions or (bool(actions) and all(a is not None for a in actions))


def _gist(problem: Problem) -> tuple[str, str]:
    """A warning without its scores, which move a little with every change of the FAQ's words."""
    message = problem.message.replace("looks as much like", "is close to")
    return problem.entry, re.sub(r"\s*\(scores?:[^)]*\)|\d+(?:\.\d+)?", "", message)


def _clean(text: str, vocabulary: Vocabulary | None = None) -> str:
    """A question as it may go into faq.yaml: one line, personal details redacted (keeping the FAQ's
    own words when *vocabulary* is the FAQ's)."""
    return " ".join(redact(text, vocabulary).split())


# What redaction leaves in place of a personal detail: "[...]", "[name]", "#" for a digit.
_MASKED = re.compile(r"\[[a-z.]*\]|#")


def _masked(text: str, instead: str) -> Outcome:
    """A question with blanked-out details must not become FAQ text: patients would never type "[name]"."""
    return Outcome(False, (
        f"Not changed: '{text}' has blanked-out personal details, and an FAQ phrasing must be words patients type.",
        f"Type the question in your own words instead: {instead}",
    ))


def _refused(head: str, problems: list[Problem]) -> Outcome:
    errors = [str(p) for p in problems if p.severity == "error"]
    return Outcome(False, (head, *errors))


def _engine(text: str, name: str) -> Engine:
    data, positions = parse_yaml(text, name=name)
    return Engine(parse_content(data, path=name, positions=positions))


def _lost_answers(old: Engine, new: Engine) -> list[str]:
    """FAQ phrasings the old FAQ answered with their own entry and the new one does not."""
    lost = []
    for entry in old.content.faqs:
        for phrasing in entry.phrasings:
            if old.answer(phrasing).faq_id != entry.id:
                continue
            reply = new.answer(phrasing)
            if reply.faq_id != entry.id:
                now = reply.faq_id or reply.intent or reply.kind
                lost.append(f"'{phrasing}' (entry '{entry.id}') would get '{now}' instead")
    return lost


def _missed(engine: Engine, expect: tuple[str | None, str | None, str] | None) -> str | None:
    """Why the taught question would still not get what staff meant it to get, if it would not."""
    if expect is None or not expect[0]:
        return None
    question, kind, target = expect
    reply = engine.answer(question)
    if (kind == "faq" and reply.faq_id == target) or (kind is None and reply.intent == target):
        return None
    if reply.kind == "emergency":
        got = "the emergency reply"
    elif reply.faq_id:
        got = f"entry '{reply.faq_id}'"
    elif reply.intent and any(t.id == reply.intent for t in engine.content.not_covered):
        got = f"the not-covered topic '{reply.intent}', whose keywords come first (give that topic the clinic's own answer instead, or dismiss)"
    elif reply.kind == "smalltalk":
        got = f"the smalltalk reply '{reply.intent}'"
    else:
        got = f"a {reply.kind} reply"
    return f"'{question}' would still get {got}."


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so a running bot never reads half of it."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _shown(path: Path) -> str:
    """*path* relative to the working folder when it lies below it, else in full."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


__all__ = ["DEFAULT_DAYS", "Curator", "NumberedGroup", "Outcome"]
