"""FAQ content: the schema, its validation and loading ``faq.yaml``.

Parsing and validating plain data (:func:`check_content`, :func:`parse_content`)
is separate from reading the file (:func:`read_yaml`, :func:`load_content`), so
tests can feed dicts and the checker can report every problem with the file
and line it comes from.
"""

from __future__ import annotations

import dataclasses

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .text import normalize, reflow
from .yamlerrors import explain as explain_yaml_error

#: An answer longer than this many words is an error: the bot gives short answers.
MAX_ANSWER_WORDS = 120
#: Fewer alternates than this is a warning: the entry will be hard to find.
MIN_ALTERNATES = 8
#: A FAQ file larger than this is refused unread (the shipped one is about 50 KB).
MAX_FILE_BYTES = 1_000_000

#: Placeholders that message templates may use.
PLACEHOLDERS = frozenset({"clinic_name", "front_desk", "phone", "emergency_number", "crisis_line"})
#: Messages the bot needs; each is a template that may use :data:`PLACEHOLDERS`.
REQUIRED_MESSAGES = (
    "welcome",
    "help",
    "about",
    "fallback",
    "clarify",
    "none_of_these",
    "not_covered",
    "non_text",
    "unknown_command",
    "rate_limited",
    "error",
)

#: The key under a not-covered topic for the clinic's own answer (text the article does not hold).
CLINIC_ANSWER = "clinic_answer"

# An answer must read well as the reply to any of its phrasings: not "Yes." to "what is e-stim?".
_YES_NO = re.compile(r"^\s*(yes|no|yep|nope|sure)\b", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# (key, type, required) per section; dicts keep the order for messages.
_CLINIC_KEYS = {"name": True, "front_desk": False, "phone": False, "emergency_number": True, "crisis_line": True}
#: Clinic settings a clinic should fill in; ``check`` warns while one is unset.
_CLINIC_SETTINGS = {"phone": "the front desk's phone number (replies say just 'our front desk' without it)"}
#: What ``{front_desk}`` says when the clinic gives no wording of its own.
DEFAULT_FRONT_DESK = "our front desk"
# A bracketed to-do left in a text ("[ADD FRONT DESK PHONE NUMBER]") must never reach a patient.
_TODO = re.compile(r"\[\s*(?:add|todo|to do|tbd|fixme|insert|fill in|replace)\b[^\]]*\]", re.IGNORECASE)
_FAQ_KEYS = {
    "id": True, "question": True, "alternates": True, "answer": True, "source": True, "title": False, "related": False,
    "covers": False,
}
_SMALLTALK_KEYS = {"id": True, "patterns": True, "reply": True}
_RED_FLAG_KEYS = {"id": True, "patterns": True, "signs": False, "always": False, "reply": True}
_NOT_COVERED_KEYS = {"id": True, "keywords": True, "examples": False, "reply": True, CLINIC_ANSWER: False}
_TOP_KEYS = {
    "clinic": True,
    "disclaimer": True,
    "article": True,
    "messages": True,
    "faqs": True,
    "smalltalk": True,
    "red_flags": True,
    "emergency_words": False,
    "not_covered": True,
    "topic_words": False,
    "shared_topic_words": False,
    "everyday_senses": False,
    "synonyms": False,
    "spellings": False,
    "conversation": False,
    "worried": False,
    "languages": False,
}
#: Texts of the optional ``conversation`` section (follow-ups).
CONVERSATION_MESSAGES = ("more", "no_context")
_WORRIED_KEYS = {"id": True, "patterns": True, "reply": True, "answer": True}
_LANGUAGE_KEYS = {"id": True, "reply": True}
#: A language id is its ISO 639-1 code.
_LANGUAGE_ID = re.compile(r"^[a-z]{2}$")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a FAQ file, located as precisely as the file allows."""

    path: str
    line: int | None
    entry: str
    message: str
    severity: str = "error"
    #: A second line with more detail for whoever wants it (the YAML parser's own words, say).
    detail: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "" if self.severity == "error" else f"{self.severity}: "
        second = f"\n    {self.detail}" if self.detail else ""
        return f"{where}: {self.entry}: {kind}{self.message}{second}"


class ContentError(Exception):
    """The FAQ file cannot be used. ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Clinic:
    name: str
    emergency_number: str
    crisis_line: str
    front_desk: str = DEFAULT_FRONT_DESK
    phone: str = ""

    @property
    def front_desk_text(self) -> str:
        """What ``{front_desk}`` says: "our front desk", with the phone number when there is one."""
        return f"{self.front_desk} ({self.phone})" if self.phone else self.front_desk


@dataclass(frozen=True)
class FaqEntry:
    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    source: str
    title: str
    related: tuple[str, ...] = ()
    #: An overview entry: a question naming the subjects of two or more of these entries is answered here.
    covers: tuple[str, ...] = ()

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question followed by its alternates."""
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class Smalltalk:
    id: str
    patterns: tuple[str, ...]
    reply: str


@dataclass(frozen=True)
class RedFlag:
    """A possible emergency. A pattern is a phrase; ``...`` in it allows any words between.

    A sign names groups of ``emergency_words``; it holds when every group has a word in the message.
    With ``always``, the flag is raised even in a general question or a message about a habit or
    the past, which otherwise raise none ("can needling make you faint", "I faint at the sight of blood").
    """

    id: str
    patterns: tuple[str, ...]
    reply: str
    signs: tuple[tuple[str, ...], ...] = ()
    always: bool = False


@dataclass(frozen=True)
class NotCovered:
    """A topic the article does not answer. Its keywords veto any FAQ answer."""

    id: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    reply: str
    #: The clinic's own answer, written by the clinic (not from the article); answered like a FAQ entry.
    clinic_answer: str | None = None


@dataclass(frozen=True)
class Worried:
    """A worry ("I'm scared of needles"): a warm acknowledgement put before the answer that fits."""

    id: str
    patterns: tuple[str, ...]
    reply: str
    #: The FAQ entry answered after the acknowledgement when the message asks nothing else.
    answer: str


@dataclass(frozen=True)
class LanguageReply:
    """What the bot says, in that language, to a message written in it (id: ISO 639-1 code)."""

    id: str
    reply: str


@dataclass(frozen=True)
class Content:
    clinic: Clinic
    disclaimer: str
    article_title: str
    article_sections: tuple[str, ...]
    messages: Mapping[str, str]
    faqs: tuple[FaqEntry, ...]
    smalltalk: tuple[Smalltalk, ...]
    red_flags: tuple[RedFlag, ...]
    not_covered: tuple[NotCovered, ...]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    spellings: Mapping[str, str] = field(default_factory=dict)
    emergency_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    topic_words: tuple[str, ...] = ()
    shared_topic_words: tuple[str, ...] = ()
    #: Words that show a topic word is meant in its everyday sense ("pine needles", "fascia board").
    everyday_senses: tuple[str, ...] = ()
    path: str = "<data>"
    conversation: Mapping[str, str] = field(default_factory=dict)
    #: FAQ entries about dry needling as a whole; a follow-up about a narrower topic prefers a closer entry.
    overview: tuple[str, ...] = ()
    #: A problem's entry -> the entry on how needling helps with it ("can needling fix that?").
    treated_by: Mapping[str, str] = field(default_factory=dict)
    worried: tuple[Worried, ...] = ()
    languages: tuple[LanguageReply, ...] = ()

    def fill(self, template: str) -> str:
        """Fill a template's placeholders from the clinic section, with lines joined into paragraphs."""
        return reflow(
            template.format_map(
                {
                    "clinic_name": self.clinic.name,
                    "front_desk": self.clinic.front_desk_text,
                    "emergency_number": self.clinic.emergency_number,
                    "crisis_line": self.clinic.crisis_line,
                    # for texts in other languages: " (555-0100)" after the clinic's name, or nothing
                    "phone": f" ({self.clinic.phone})" if self.clinic.phone else "",
                }
            )
        )


# --------------------------------------------------------------------------- reading


def read_yaml(path: str | Path) -> tuple[Any, dict[Path_, int]]:
    """Read a YAML file and return its data and the line of every key and item.

    Raises :class:`ContentError` naming the file (and line) when the file is
    missing, unreadable, larger than :data:`MAX_FILE_BYTES`, not UTF-8, not
    valid YAML, uses an alias, or repeats a key.
    """
    name = str(path)
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ContentError([Problem(name, None, "file", f"is larger than {MAX_FILE_BYTES // 1_000_000} MB; a FAQ file is far smaller")])
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ContentError([Problem(name, None, "file", "no such file")]) from None
    except IsADirectoryError:
        raise ContentError([Problem(name, None, "file", "is a directory, not a YAML file")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(name, None, "file", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise ContentError([Problem(name, None, "file", f"cannot be read: {exc.strerror}")]) from None
    return parse_yaml(text, name=name)


class _Loader(yaml.SafeLoader):
    """YAML without aliases: ``*name`` repeating an ``&name`` anchor is refused where it appears,
    so a few hundred bytes of nested aliases (a "billion laughs") cannot stall the bot."""

    source = "<text>"

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ContentError(
                [Problem(self.source, event.start_mark.line + 1, "yaml", f"alias '*{event.anchor}' is not allowed here; write the text out in full")]
            )
        return super().compose_node(parent, index)


# Where an alias could start: "*name" after a space, a bracket, a comma or a colon.
_MAY_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\]}]")


def parse_yaml(text: str, *, name: str = "<text>") -> tuple[Any, dict[Path_, int]]:
    """Parse YAML *text*; see :func:`read_yaml`. Aliases (``*name``) are refused.

    Read with libyaml where the PyYAML wheel has it; a text that may hold an alias, or that libyaml
    refuses, is read again in Python, which says where the alias or the mistake is."""
    if getattr(yaml, "CSafeLoader", None) is not None and not _MAY_ALIAS.search(text):
        fast = yaml.CSafeLoader(text)
        try:
            return _load(fast, name)
        except (yaml.YAMLError, ContentError):
            pass  # read again in Python, which says where
        finally:
            fast.dispose()
    loader = _Loader(text)
    loader.source = name
    try:
        return _load(loader, name)
    except yaml.YAMLError as exc:
        line, message, words = explain_yaml_error(text, exc)
        raise ContentError([Problem(name, line, "yaml", f"syntax error: {message}", detail=f"(the YAML reader says: {words})")]) from None
    finally:
        loader.dispose()


def _load(loader: Any, name: str) -> tuple[Any, dict[Path_, int]]:
    """The data *loader* reads and the line of every key and item; a repeated key is refused."""
    node = loader.get_single_node()
    if node is None:
        return None, {}
    problems: list[Problem] = []
    positions: dict[Path_, int] = {}
    _walk(node, (), positions, problems, name)
    if problems:
        raise ContentError(problems)
    return loader.construct_document(node), positions


def _walk(node: yaml.Node, path: Path_, positions: dict[Path_, int], problems: list[Problem], name: str) -> None:
    positions[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in seen:
                label = _node_id(node) or _describe(path)
                problems.append(Problem(name, line, label, f"key '{key}' repeats the one on line {seen[key]}"))
            seen[key] = line
            _walk(value_node, (*path, key), positions, problems, name)
            positions[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), positions, problems, name)


def _node_id(node: yaml.MappingNode) -> str | None:
    """The ``id`` of a mapping node (a FAQ entry, a topic ...), if it has a plain one."""
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
            return value_node.value or None
    return None


def _describe(path: Path_) -> str:
    return ".".join(str(part) for part in path) or "top level"


def with_safety_of(content: Content, baseline: Content) -> Content:
    """*content* whose emergency checks also hold every red flag of *baseline*.

    A clinic keeps its own copy of the FAQ; a newer version of the code ships better emergency
    detection. Safety must never depend on a clinic copying that over, so the shipped red flags
    and word groups are always added to the clinic's own (which keep their replies and may add
    patterns, never take any away).
    """
    mine = {flag.id: flag for flag in content.red_flags}
    flags = []
    for flag in content.red_flags:
        base = next((b for b in baseline.red_flags if b.id == flag.id), None)
        if base is not None:
            flag = dataclasses.replace(
                flag,
                patterns=tuple(dict.fromkeys((*flag.patterns, *base.patterns))),
                signs=tuple(dict.fromkeys((*flag.signs, *base.signs))),
                always=flag.always or base.always,
            )
        flags.append(flag)
    flags += [dataclasses.replace(b, reply=content.fill(b.reply)) for b in baseline.red_flags if b.id not in mine]
    words = dict(content.emergency_words)
    for name, group in baseline.emergency_words.items():
        words[name] = tuple(dict.fromkeys((*words.get(name, ()), *group)))
    return dataclasses.replace(content, red_flags=tuple(flags), emergency_words=words)


def load_content(path: str | Path) -> Content:
    """Read, validate and parse a FAQ file. Raises :class:`ContentError`."""
    data, positions = read_yaml(path)
    return parse_content(data, path=str(path), positions=positions)


# --------------------------------------------------------------------------- checking


class _Checker:
    def __init__(self, path: str, positions: Mapping[Path_, int]) -> None:
        self.path = path
        self.positions = positions
        self.problems: list[Problem] = []

    def line(self, at: Path_) -> int | None:
        while at:
            if at in self.positions:
                return self.positions[at]
            at = at[:-1]
        return self.positions.get(())

    def add(self, at: Path_, entry: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, self.line(at), entry, message, severity))

    def mapping(self, value: Any, at: Path_, entry: str, keys: Mapping[str, bool]) -> bool:
        if not isinstance(value, dict):
            self.add(at, entry, f"'{at[-1] if at else 'file'}' must be a mapping of keys, not {_kind(value)}")
            return False
        for key in value:
            if key not in keys:
                known = ", ".join(keys)
                self.add((*at, key), entry, f"unknown key '{key}' (known keys: {known})")
        for key, required in keys.items():
            if required and key not in value:
                self.add(at, entry, f"missing key '{key}'")
        return True

    def text(self, value: Any, at: Path_, entry: str, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if value is None:  # "answer:" with nothing after it
            self.add(at, entry, f"'{at[-1]}' is empty")
            return None
        if isinstance(value, dict):
            self.add(
                at, entry,
                f"'{at[-1]}' must be text, not a list of keys: a line in it has a colon and a space (': '); "
                "put the whole text in double quotes",
            )
            return None
        if not isinstance(value, str):
            self.add(at, entry, f"'{at[-1]}' must be text, not {_kind(value)}")
            return None
        if not value.strip():
            self.add(at, entry, f"'{at[-1]}' is empty")
            return None
        return value.strip()

    def texts(self, value: Any, at: Path_, entry: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(at, entry, f"'{at[-1]}' must be a list of texts, not {_kind(value)}")
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.add((*at, index), entry, f"item {index + 1} of '{at[-1]}' must be non-empty text, not {_kind(item)}")
                continue
            out.append(item.strip())
        return out

    def template(self, value: str | None, at: Path_, entry: str) -> None:
        if value is None:
            return
        todo = _TODO.search(value)
        if todo:
            self.add(at, entry, f"'{at[-1]}' still has the to-do '{todo.group()}': patients would see it; fill it in or remove it")
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            self.add(at, entry, f"'{at[-1]}' has a broken {{placeholder}}: {exc}")
            return
        for name in sorted(fields - PLACEHOLDERS):
            known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            self.add(at, entry, f"'{at[-1]}' uses unknown placeholder {{{name}}} (known: {known}; write {{{{ }}}} for a literal brace)")

    def entries(self, value: Any, at: Path_, keys: Mapping[str, bool]) -> list[tuple[Path_, str, dict]]:
        """Check a list of entries with ids; return (path, id, entry) for the usable ones."""
        if not isinstance(value, list) or not value:
            self.add(at, str(at[-1]), f"'{at[-1]}' must be a non-empty list of entries")
            return []
        out: list[tuple[Path_, str, dict]] = []
        seen: dict[str, int | None] = {}
        for index, item in enumerate(value):
            item_at = (*at, index)
            raw_id = item.get("id") if isinstance(item, dict) else None
            label = raw_id if isinstance(raw_id, str) and raw_id else f"{at[-1]}[{index + 1}]"
            if not self.mapping(item, item_at, label, keys):
                continue
            if "id" in item:
                if not isinstance(raw_id, str) or not _ID.match(raw_id):
                    self.add((*item_at, "id"), label, "id must be lower-case words joined by hyphens, like 'trigger-point'")
                elif raw_id in seen:
                    self.add((*item_at, "id"), label, f"duplicate id '{raw_id}' (first used on line {seen[raw_id]})")
                else:
                    seen[raw_id] = self.line((*item_at, "id"))
            out.append((item_at, label, item))
        return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _word_count(text: str) -> int:
    return len(text.split())


def check_content(data: Any, *, path: str = "<data>", positions: Mapping[Path_, int] | None = None) -> list[Problem]:
    """Return every problem with FAQ *data* (errors and warnings), in file order."""
    return _check(data, path, positions or {})[0]


def parse_content(data: Any, *, path: str = "<data>", positions: Mapping[Path_, int] | None = None) -> Content:
    """Validate FAQ *data* and build :class:`Content`. Raises :class:`ContentError` on any error."""
    problems, content = _check(data, path, positions or {})
    errors = [p for p in problems if p.severity == "error"]
    if errors or content is None:
        raise ContentError(errors or [Problem(path, None, "file", "no usable content")])
    return content


def _check(data: Any, path: str, positions: Mapping[Path_, int]) -> tuple[list[Problem], Content | None]:
    c = _Checker(path, positions)
    if data is None:
        c.add((), "file", "the file is empty")
        return c.problems, None
    if not c.mapping(data, (), "file", _TOP_KEYS):
        return c.problems, None

    clinic_raw = data.get("clinic")
    clinic_values: dict[str, str] = {}
    if c.mapping(clinic_raw, ("clinic",), "clinic", _CLINIC_KEYS):
        for key, required in _CLINIC_KEYS.items():
            raw_value = clinic_raw.get(key)
            if not required and (raw_value is None or raw_value == ""):
                continue  # an optional setting left blank
            if key in clinic_raw:
                value = c.text(raw_value, ("clinic", key), "clinic", required=required)
                c.template(value, ("clinic", key), "clinic")
                if value:
                    clinic_values[key] = value
        for key, what in _CLINIC_SETTINGS.items():
            if not clinic_values.get(key):
                c.add(("clinic",), "clinic", f"'{key}' is not set: {what}", "note")

    disclaimer = c.text(data.get("disclaimer"), ("disclaimer",), "disclaimer") or ""

    sections: list[str] = []
    article_title = ""
    article = data.get("article")
    if c.mapping(article, ("article",), "article", {"title": True, "sections": True}):
        article_title = c.text(article.get("title"), ("article", "title"), "article") or ""
        sections = c.texts(article.get("sections"), ("article", "sections"), "article")
        if not sections:
            c.add(("article", "sections"), "article", "'sections' must list the article's section headings")

    messages: dict[str, str] = {}
    raw_messages = data.get("messages")
    if c.mapping(raw_messages, ("messages",), "messages", dict.fromkeys(REQUIRED_MESSAGES, True)):
        for key in REQUIRED_MESSAGES:
            if key in raw_messages:
                value = c.text(raw_messages[key], ("messages", key), "messages")
                c.template(value, ("messages", key), "messages")
                messages[key] = value or ""

    faqs = _check_faqs(c, data.get("faqs"), sections)

    smalltalk = [
        Smalltalk(label, _phrases(c, item, at, label, "patterns"), _reply(c, item, at, label))
        for at, label, item in c.entries(data.get("smalltalk"), ("smalltalk",), _SMALLTALK_KEYS)
    ]
    emergency_words = _check_word_groups(c, data.get("emergency_words"))
    red_flags = [
        RedFlag(
            label,
            _phrases(c, item, at, label, "patterns"),
            _reply(c, item, at, label),
            _signs(c, item.get("signs"), (*at, "signs"), label, emergency_words),
            _flag(c, item.get("always", False), (*at, "always"), label),
        )
        for at, label, item in c.entries(data.get("red_flags"), ("red_flags",), _RED_FLAG_KEYS)
    ]
    not_covered = [
        NotCovered(
            label,
            _phrases(c, item, at, label, "keywords"),
            tuple(c.texts(item.get("examples"), (*at, "examples"), label)),
            _reply(c, item, at, label),
            _clinic_answer(c, item, at, label),
        )
        for at, label, item in c.entries(data.get("not_covered"), ("not_covered",), _NOT_COVERED_KEYS)
    ]

    topic_words = tuple(c.texts(data.get("topic_words"), ("topic_words",), "topic_words"))
    shared_topic_words = tuple(c.texts(data.get("shared_topic_words"), ("shared_topic_words",), "shared_topic_words"))
    everyday_senses = tuple(c.texts(data.get("everyday_senses"), ("everyday_senses",), "everyday_senses"))
    synonyms = _check_synonyms(c, data.get("synonyms"))
    spellings = _check_spellings(c, data.get("spellings"))
    conversation, overview, treated_by, worried, languages = _check_conversation(c, data, {f.id for f in faqs})

    if c.problems and any(p.severity == "error" for p in c.problems):
        return c.problems, None
    content = Content(
        clinic=Clinic(**clinic_values),
        disclaimer=disclaimer,
        article_title=article_title,
        article_sections=tuple(sections),
        messages=messages,
        faqs=tuple(faqs),
        smalltalk=tuple(smalltalk),
        red_flags=tuple(red_flags),
        not_covered=tuple(not_covered),
        synonyms=synonyms,
        spellings=spellings,
        emergency_words=emergency_words,
        topic_words=topic_words,
        shared_topic_words=shared_topic_words,
        everyday_senses=everyday_senses,
        path=path,
        conversation=conversation,
        overview=tuple(overview),
        treated_by=treated_by,
        worried=tuple(worried),
        languages=tuple(languages),
    )
    return c.problems, content


def _phrases(c: _Checker, item: dict, at: Path_, label: str, key: str) -> tuple[str, ...]:
    values = tuple(c.texts(item.get(key), (*at, key), label))
    if key in item and not values:
        c.add((*at, key), label, f"'{key}' must list at least one phrase")
    return values


def _reply(c: _Checker, item: dict, at: Path_, label: str) -> str:
    value = c.text(item.get("reply"), (*at, "reply"), label, required=True) if "reply" in item else None
    c.template(value, (*at, "reply"), label)
    return value or ""


def _clinic_answer(c: _Checker, item: dict, at: Path_, label: str) -> str | None:
    """A not-covered topic's own answer: held to the rules of a FAQ answer (length, placeholders)."""
    if CLINIC_ANSWER not in item:
        return None
    value = c.text(item.get(CLINIC_ANSWER), (*at, CLINIC_ANSWER), label)
    c.template(value, (*at, CLINIC_ANSWER), label)
    if value is not None and _word_count(value) > MAX_ANSWER_WORDS:
        c.add((*at, CLINIC_ANSWER), label, f"{CLINIC_ANSWER} has {_word_count(value)} words; keep it to {MAX_ANSWER_WORDS} or fewer")
    return value


def _check_faqs(c: _Checker, raw: Any, sections: list[str]) -> list[FaqEntry]:
    entries = c.entries(raw, ("faqs",), _FAQ_KEYS)
    faqs: list[FaqEntry] = []
    phrasings: list[tuple[int, int, str, str, Path_]] = []  # (line, order, phrasing, entry, where)
    for at, label, item in entries:
        question = c.text(item.get("question"), (*at, "question"), label) if "question" in item else None
        alternates = c.texts(item.get("alternates"), (*at, "alternates"), label) if "alternates" in item else []
        answer = c.text(item.get("answer"), (*at, "answer"), label) if "answer" in item else None
        c.template(answer, (*at, "answer"), label)
        if answer and _YES_NO.match(answer):
            c.add((*at, "answer"), label, "answer starts with a yes or no; patients ask in many ways, so say it in full (\"Dry needling can ...\")", "warning")
        source = c.text(item.get("source"), (*at, "source"), label) if "source" in item else None
        title = c.text(item.get("title"), (*at, "title"), label, required=False) if "title" in item else None
        related = c.texts(item.get("related"), (*at, "related"), label)
        covers = c.texts(item.get("covers"), (*at, "covers"), label)
        if "alternates" in item and len(alternates) < MIN_ALTERNATES:
            c.add((*at, "alternates"), label, f"only {len(alternates)} alternates; {MIN_ALTERNATES} or more help patients find this entry", "warning")
        if answer is not None and _word_count(answer) > MAX_ANSWER_WORDS:
            c.add((*at, "answer"), label, f"answer has {_word_count(answer)} words; keep it to {MAX_ANSWER_WORDS} or fewer")
        if source is not None and sections and source not in sections:
            close = [s for s in sections if source.lower() in s.lower() or s.lower() in source.lower()]
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            c.add((*at, "source"), label, f"source '{source}' is not a section of the article{hint}")
        for index, phrasing in enumerate([question or "", *alternates]):
            where: Path_ = (*at, "question") if index == 0 else (*at, "alternates", index - 1)
            phrasings.append((c.line(where) or 0, len(phrasings), phrasing, label, where))
        if None in (question, answer, source) or "id" not in item:
            continue
        faqs.append(FaqEntry(label, question, tuple(alternates), answer, source, title or question, tuple(related), tuple(covers)))
    _duplicate_phrasings(c, phrasings)
    ids = {label for _, label, item in entries if isinstance(item.get("id"), str)}
    for at, label, item in entries:
        for key in ("related", "covers"):
            refs = item.get(key)
            for index, ref in enumerate(refs if isinstance(refs, list) else []):
                if isinstance(ref, str) and ref.strip() and ref.strip() not in ids:
                    c.add((*at, key, index), label, f"{key} entry '{ref}' does not exist")
                elif ref == label:
                    c.add((*at, key, index), label, f"an entry cannot list itself under '{key}'")
    return faqs


def _duplicate_phrasings(c: _Checker, phrasings: list[tuple[int, int, str, str, Path_]]) -> None:
    """A phrasing listed twice is reported at the later line of the file, naming the entry that has it first."""
    owner: dict[str, tuple[str, int]] = {}
    for line, _, phrasing, label, where in sorted(phrasings):
        key = normalize(phrasing)
        if not key:
            continue
        if key in owner:
            first, first_line = owner[key]
            same = "this entry" if first == label else f"entry '{first}'"
            c.add(where, label, f"duplicate phrasing '{phrasing}': {same} already has it (line {first_line}); remove one of the two")
        else:
            owner[key] = (label, line)


def _check_word_groups(c: _Checker, raw: Any) -> dict[str, tuple[str, ...]]:
    """``emergency_words``: named groups of words and phrases that red-flag signs combine."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        c.add(("emergency_words",), "emergency_words", f"'emergency_words' must map a group name to a list of words, not {_kind(raw)}")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for name, words in raw.items():
        values = c.texts(words, ("emergency_words", name), f"emergency_words.{name}")
        if not values:
            c.add(("emergency_words", name), f"emergency_words.{name}", f"group '{name}' must list at least one word")
        out[str(name)] = tuple(values)
    return out


def _flag(c: _Checker, raw: Any, at: Path_, label: str) -> bool:
    """A yes/no setting: ``true`` or ``false``."""
    if not isinstance(raw, bool):
        c.add(at, label, f"'{at[-1]}' must be true or false, not {_kind(raw)}")
        return False
    return raw


def _signs(c: _Checker, raw: Any, at: Path_, label: str, groups: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.add(at, label, f"'signs' must be a list of group lists like [blood, heavy], not {_kind(raw)}")
        return ()
    out = []
    for index, sign in enumerate(raw):
        names = c.texts(sign, (*at, index), label)
        if len(names) < 2:
            c.add((*at, index), label, "a sign combines at least two groups of emergency_words, like [blood, heavy]")
            continue
        unknown = [n for n in names if n not in groups]
        if unknown:
            c.add((*at, index), label, f"sign uses unknown group {', '.join(unknown)} (add it under emergency_words)")
            continue
        out.append(tuple(names))
    return tuple(out)


def _check_synonyms(c: _Checker, raw: Any) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        c.add(("synonyms",), "synonyms", f"'synonyms' must map a FAQ term to a list of words, not {_kind(raw)}")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for term, words in raw.items():
        at: Path_ = ("synonyms", term)
        if not isinstance(term, str) or not normalize(term):
            c.add(at, "synonyms", f"term {term!r} must be text")
            continue
        values = c.texts(words, at, f"synonyms.{term}")
        for index, word in enumerate(values):
            key = normalize(word)
            if key in owner and owner[key] != term:
                c.add((*at, index), f"synonyms.{term}", f"'{word}' is already a synonym of '{owner[key]}'")
            owner[key] = term
        out[term] = tuple(values)
    return out


def _check_spellings(c: _Checker, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        c.add(("spellings",), "spellings", f"'spellings' must map a spelling to the one the FAQ uses, not {_kind(raw)}")
        return {}
    out: dict[str, str] = {}
    for variant, preferred in raw.items():
        if not isinstance(variant, str) or not isinstance(preferred, str) or not variant.strip() or not preferred.strip():
            c.add(("spellings", variant), "spellings", f"'{variant}' must map to one word as text")
            continue
        out[variant.strip()] = preferred.strip()
    return out


def _check_conversation(
    c: _Checker, data: dict, faq_ids: set[str]
) -> tuple[dict[str, str], list[str], dict[str, str], list[Worried], list[LanguageReply]]:
    """The optional sections for conversations: follow-up texts, worries, other languages."""
    conversation: dict[str, str] = {}
    overview: list[str] = []
    treated_by: dict[str, str] = {}
    raw = data.get("conversation")
    if raw is not None and c.mapping(raw, ("conversation",), "conversation", {**dict.fromkeys(CONVERSATION_MESSAGES, True), "subject": False, "overview": False, "treated_by": False, "helps_with": False}):
        overview = c.texts(raw.get("overview"), ("conversation", "overview"), "conversation")
        for index, faq_id in enumerate(overview):
            if faq_ids and faq_id not in faq_ids:
                c.add(("conversation", "overview", index), "conversation", f"overview entry '{faq_id}' is not a FAQ entry id")
        treated = raw.get("treated_by") or {}
        if not isinstance(treated, dict):
            c.add(("conversation", "treated_by"), "conversation", "'treated_by' must map a FAQ id to a FAQ id")
            treated = {}
        for problem, entry in treated.items():
            if faq_ids and (problem not in faq_ids or entry not in faq_ids):
                c.add(("conversation", "treated_by", problem), "conversation", f"'{problem}: {entry}' must name two FAQ entry ids")
            else:
                treated_by[str(problem)] = str(entry)
        helps = raw.get("helps_with")
        if helps is not None:
            if not isinstance(helps, str) or (faq_ids and helps not in faq_ids):
                c.add(("conversation", "helps_with"), "conversation", f"'helps_with: {helps}' must name a FAQ entry id")
            else:
                conversation["helps_with"] = helps
        for key in (*CONVERSATION_MESSAGES, "subject"):
            if key in raw:
                value = c.text(raw[key], ("conversation", key), "conversation")
                c.template(value, ("conversation", key), "conversation")
                conversation[key] = value or ""
    worried: list[Worried] = []
    if data.get("worried") is not None:
        for at, label, item in c.entries(data["worried"], ("worried",), _WORRIED_KEYS):
            answer = c.text(item.get("answer"), (*at, "answer"), label) if "answer" in item else None
            if answer is not None and faq_ids and answer not in faq_ids:
                c.add((*at, "answer"), label, f"answer '{answer}' is not a FAQ entry id")
            worried.append(Worried(label, _phrases(c, item, at, label, "patterns"), _reply(c, item, at, label), answer or ""))
    languages: list[LanguageReply] = []
    if data.get("languages") is not None:
        for at, label, item in c.entries(data["languages"], ("languages",), _LANGUAGE_KEYS):
            if not _LANGUAGE_ID.match(label) or label == "en":
                c.add((*at, "id"), label, "a language id is its two-letter ISO 639-1 code, like 'es' (and not 'en')")
            languages.append(LanguageReply(label, _reply(c, item, at, label)))
    return conversation, overview, treated_by, worried, languages
