"""Small edits of the FAQ text that keep everything else exactly as staff wrote it.

Staff teach the bot from its misses: a question becomes an alternate of an
entry or a keyword of a not-covered topic, and a not-covered topic gets the
clinic's own answer. Re-dumping the YAML would reflow lists, drop blank lines
and move comments, so these functions never do that. ruamel.yaml's round-trip
parser finds where the list or the topic lies (line and column), the new text
is inserted there, and the result is parsed again (ruamel.yaml and the
project's own loader) and compared with the intended data before it is
returned. Every byte outside the inserted or replaced lines stays as it was.

Pure functions over text: reading and writing the file, backups and the
audit log belong to the caller (``curation.py``).

>>> text = "faqs:\\n  - id: a  # first\\n    alternates:\\n      - one\\n\\n# end\\n"
>>> print(add_alternate(text, "a", "two: more").text, end="")
faqs:
  - id: a  # first
    alternates:
      - one
      - "two: more"
<BLANKLINE>
# end
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .content import CLINIC_ANSWER

#: Width the clinic's answer is wrapped to (the file's answers use about this).
WRAP = 100


class EditError(ValueError):
    """The edit cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class Edit:
    """The FAQ text after one edit, and the line (from 1) where the change is."""

    text: str
    line: int


# --------------------------------------------------------------------------- the edits


def add_alternate(text: str, entry_id: str, phrasing: str) -> Edit:
    """Append *phrasing* to the ``alternates`` of FAQ entry *entry_id*."""
    return _append(text, "faqs", entry_id, "alternates", phrasing, kind="FAQ entry")


def add_keyword(text: str, topic_id: str, keyword: str) -> Edit:
    """Append *keyword* to the ``keywords`` of not-covered topic *topic_id*."""
    return _append(text, "not_covered", topic_id, "keywords", keyword, kind="not-covered topic")


def set_clinic_answer(text: str, topic_id: str, answer: str) -> Edit:
    """Give not-covered topic *topic_id* the clinic's own answer (replacing an earlier one)."""
    answer = " ".join(answer.split())
    if not answer:
        raise EditError("the answer is empty")
    root = _compose(text)
    index, topic = _find(root, "not_covered", topic_id, "not-covered topic")
    existing = _value(topic, CLINIC_ANSWER)
    key_column = topic.value[0][0].start_mark.column
    block = _folded(answer, key_column + 2)
    if existing is not None:
        key_node = next(k for k, v in topic.value if v is existing)
        start = key_node.start_mark.index
        end = _line_end(text, existing)
        after_break = end > 0 and text[end - 1] == "\n"  # the old answer was a block: it ended with its line
        new = text[:start] + f"{CLINIC_ANSWER}: {block}" + ("\n" if after_break else "") + text[end:]
        line = key_node.start_mark.line + 1
    else:
        at = _line_end(text, topic.value[-1][1])
        entry = " " * key_column + f"{CLINIC_ANSWER}: {block}"
        if at > 0 and text[at - 1] == "\n":  # after a block text: "at" is the start of the next line
            new = text[:at] + entry + "\n" + text[at:]
            line = _line_of(text, at)
        else:
            new = text[:at] + "\n" + entry + text[at:]
            line = _line_of(text, at) + 1

    def change(data: Any) -> None:
        data["not_covered"][index][CLINIC_ANSWER] = answer

    _verify(text, new, change)
    return Edit(new, line)


# --------------------------------------------------------------------------- helpers


def _append(text: str, section: str, item_id: str, key: str, value: str, *, kind: str) -> Edit:
    value = " ".join(value.split())
    if not value:
        raise EditError("the text to add is empty")
    root = _compose(text)
    index, item = _find(root, section, item_id, kind)
    sequence = _value(item, key)
    if not isinstance(sequence, SequenceNode):
        raise EditError(f"{kind} '{item_id}' has no list of {key} to add to")
    if sequence.flow_style:
        new, line = _append_flow(text, sequence, value)
    else:
        new, line = _append_block(text, sequence, value)

    def change(data: Any) -> None:
        data[section][index][key].append(value)

    _verify(text, new, change)
    return Edit(new, line)


def _append_flow(text: str, sequence: SequenceNode, value: str) -> tuple[str, int]:
    scalar = _scalar(value, flow=True)
    if sequence.value:
        last = sequence.value[-1]
        at = last.end_mark.index
        insert = f", {scalar}"
        line = last.end_mark.line + 1
    else:  # "[]": the opening bracket is where the node starts
        at = sequence.start_mark.index + 1
        insert = scalar
        line = sequence.start_mark.line + 1
    return text[:at] + insert + text[at:], line


def _append_block(text: str, sequence: SequenceNode, value: str) -> tuple[str, int]:
    first = sequence.value[0]
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    prefix = text[line_start : first.start_mark.index]  # "      - "
    dash = prefix.rstrip().rfind("-")
    if dash < 0:
        raise EditError("the list is written in a way I cannot add to safely; please add the line by hand")
    indent = prefix[:dash]
    item = f"{indent}- {_scalar(value, flow=False)}"
    at = _line_end(text, sequence.value[-1])
    if at > 0 and text[at - 1] == "\n":  # after a block scalar: "at" is the start of the next line
        return text[:at] + item + "\n" + text[at:], _line_of(text, at)
    return text[:at] + "\n" + item + text[at:], _line_of(text, at) + 1


def _line_end(text: str, node: Node) -> int:
    """Where to insert after *node*: the end of its last line (after any comment on it)."""
    end = node.end_mark.index
    if end > 0 and text[end - 1] == "\n":
        return end
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _compose(text: str) -> Node:
    try:
        root = YAML(typ="rt").compose(text)
    except RuamelError as exc:
        raise EditError(f"the FAQ file is not valid YAML; run 'python bot.py check' and fix it first ({exc})") from None
    if not isinstance(root, MappingNode):
        raise EditError("the FAQ file is not a mapping of sections; run 'python bot.py check'")
    return root


def _value(mapping: MappingNode, key: str) -> Node | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node
    return None


def _find(root: MappingNode, section: str, item_id: str, kind: str) -> tuple[int, MappingNode]:
    items = _value(root, section)
    if isinstance(items, SequenceNode):
        for index, item in enumerate(items.value):
            if isinstance(item, MappingNode):
                node = _value(item, "id")
                if isinstance(node, ScalarNode) and node.value == item_id:
                    return index, item
    raise EditError(f"there is no {kind} '{item_id}' in the FAQ")


def _verify(old: str, new: str, change: Callable[[Any], None]) -> None:
    """The edited text must mean exactly the old data with *change* made, to both YAML readers."""
    for load, errors in ((_bot_load, yaml.YAMLError), (_ruamel_load, RuamelError)):
        try:
            expected = _to_plain(load(old))
            change(expected)
            ok = _to_plain(load(new)) == expected
        except errors as exc:  # pragma: no cover - a bug here must never reach the file
            raise EditError(f"the change would break the file ({exc}); nothing was changed") from None
        if not ok:
            raise EditError("the change could not be made without altering something else; nothing was changed")


def _bot_load(text: str) -> Any:
    """*text* as the bot reads it (libyaml where PyYAML has it)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def _ruamel_load(text: str) -> Any:
    """*text* as the editor reads it: the same data its round-trip reader sees, without the comments."""
    return YAML(typ="safe", pure=True).load(text)


def _to_plain(value: Any) -> Any:
    """ruamel.yaml's commented containers and strings as plain Python data."""
    if isinstance(value, dict):
        return {_to_plain(k): _to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _scalar(value: str, *, flow: bool) -> str:
    """*value* as a YAML scalar: plain when that reads back as the same text, else double-quoted."""
    probe = f"[{value}]" if flow else f"- {value}"
    try:
        if yaml.safe_load(probe) == [value] and "#" not in value and not value.startswith(("'", '"')):
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _folded(answer: str, indent: int) -> str:
    """A folded block (``>-``) wrapped to :data:`WRAP`, or one double-quoted line if folding would change it."""
    lines = textwrap.wrap(answer, width=max(40, WRAP - indent), break_long_words=False, break_on_hyphens=False)
    block = ">-\n" + "".join(" " * indent + line + "\n" for line in lines)
    try:
        if yaml.safe_load(f"k: {block}") == {"k": answer}:
            return block.rstrip("\n")
    except yaml.YAMLError:
        pass
    return json.dumps(answer, ensure_ascii=False)


__all__ = ["Edit", "EditError", "add_alternate", "add_keyword", "set_clinic_answer"]
