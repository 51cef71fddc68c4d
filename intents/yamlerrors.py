"""YAML syntax errors in words clinic staff can act on.

The YAML parser says things like "expected <block end>, but found
'<block mapping start>'". :func:`explain` turns the common mistakes made
while editing ``faq.yaml`` by hand into one plain sentence about a line (what
is wrong and what to do), and keeps the parser's own words for a second line.

>>> text = "faqs:\\n  - id: a\\n    answer: Note: this is it\\n"
>>> import yaml
>>> try:
...     yaml.safe_load(text)
... except yaml.YAMLError as exc:
...     line, message, _ = explain(text, exc)
>>> line, message
(3, "text containing ': ' must be in quotes: put the text after 'answer:' in double quotes")
"""

from __future__ import annotations

import re

import yaml

#: A ``key:`` at the start of a line (after any ``- ``), as staff write them in faq.yaml.
_KEY = re.compile(r"^(?P<dash>-\s+)?(?P<key>[A-Za-z0-9_][\w -]*?):(?:\s|$)")
_FOUND_CHAR = re.compile(r"found character '(.+?)' that cannot start any token")


def parser_words(exc: yaml.YAMLError) -> str:
    """What the YAML parser itself said, in one line."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None and mark is not None and start.line != mark.line:
        reason += f" ({context} that starts on line {start.line + 1})"
    return reason


def explain(text: str, exc: yaml.YAMLError) -> tuple[int | None, str, str]:
    """``(line, plain message, parser's words)`` for a YAML error in *text* (lines count from 1)."""
    lines = text.splitlines()
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    start = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    words = parser_words(exc)
    if mark is None:
        return None, "the file is not valid YAML", words
    at = min(mark.line, max(len(lines) - 1, 0))
    line_no = at + 1

    found = _FOUND_CHAR.search(problem)
    if found:
        char = found.group(1)
        if char == "\\t":
            return line_no, "a tab is used on this line; indent with spaces only", words
        return line_no, f"text cannot start with '{char}': put the whole text in quotes", words
    if "undefined alias" in problem:
        return line_no, "text cannot start with '*': put the whole text in quotes", words
    if "quoted scalar" in context and start is not None:
        return (
            start.line + 1,
            "the quoted text that starts on this line has no closing quote mark "
            "(inside '...' write an apostrophe twice: '')",
            words,
        )
    if ("flow sequence" in context or "flow mapping" in context) and start is not None:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return (
            start.line + 1,
            f"the list opened with '{opening}' on this line is not closed with '{closing}', "
            f"or two of its items have no comma between them (text starting with '{opening}' must be in quotes)",
            words,
        )
    if "mapping values are not allowed" in problem:
        current = lines[at] if lines else ""
        before = current[: mark.column].lstrip()
        key = _KEY.match(before)
        if key:
            return line_no, f"text containing ': ' must be in quotes: put the text after '{key.group('key')}:' in double quotes", words
        previous = _previous(lines, at)
        if previous is not None and _indent(current) > _indent(lines[previous]) and _KEY.match(lines[previous].lstrip()):
            return line_no, _line_up(lines, at), words
        return line_no, "text containing ': ' must be in quotes (this line continues the text above it)", words
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        if "could not find expected ':'" in problem and start is not None:
            at, line_no = start.line, start.line + 1
        current = lines[at] if at < len(lines) else ""
        value = _value(current)
        if "'<scalar>'" in problem and value[:1] in ("'", '"'):
            return (
                line_no,
                f"the text on this line starts with a quote mark ({value[0]}), so it must end with one and nothing may follow it; "
                "put the whole text in double quotes and write a \" inside it as \\\", or an apostrophe inside '...' twice ('')",
                words,
            )
        if "'<scalar>'" in problem and value[:1] in ("{", "["):
            return line_no, f"text starting with '{value[0]}' must be in quotes", words
        return line_no, _line_up(lines, at), words
    return line_no, "this line is not valid YAML", words


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _value(line: str) -> str:
    """The text after ``key: `` (or ``- ``) on *line*."""
    stripped = line.lstrip()
    key = _KEY.match(stripped)
    if key:
        return stripped[key.end() :].lstrip()
    if stripped.startswith("- "):
        return stripped[2:].lstrip()
    return stripped


def _previous(lines: list[str], at: int) -> int | None:
    for index in range(at - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
    return None


def _line_up(lines: list[str], at: int) -> str:
    """"indented differently ... line it up with ..." naming the line it most likely belongs with."""
    message = "this line is indented differently from the one above it"
    current = lines[at].lstrip() if at < len(lines) else ""
    item = current.startswith("-")
    for index in range(at - 1, -1, -1):
        stripped = lines[index].lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = _indent(lines[index])
        if item and stripped.startswith("- "):
            return f"{message}; line its '-' up with the '-' on line {index + 1} ({indent} spaces from the left)"
        key = _KEY.match(stripped)
        if not item and key:
            if key.group("dash"):
                indent += len(key.group("dash"))
            name = key.group("key")
            return f"{message}; line it up with '{name}:' on line {index + 1} ({indent} spaces from the left)"
    return message
