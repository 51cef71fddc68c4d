"""What a newer shipped FAQ has that the clinic's own copy lacks.

A clinic keeps its FAQ outside the code (``BOT_FAQ``), so an upgrade never
touches it; it also never brings the new version's additions into it. This
compares the two as plain data, by section and by id, and says what staff may
want to take over. Nothing is changed: the clinic's edits and deletions are its
own. Anything about emergencies the clinic's file lacks (a red flag, one of its
patterns or signs, an emergency word group) is a warning: emergencies come first.
Everything else is a note.

>>> shipped = {"messages": {"welcome": "Hi", "whoami": "Id"}, "not_covered": [{"id": "cost"}, {"id": "pregnancy"}]}
>>> clinic = {"messages": {"welcome": "Hello"}, "not_covered": [{"id": "cost"}]}
>>> [f"{p.entry}: {p.message}" for p in missing_sections(clinic, shipped, path="faq.yaml", shipped_name="0.2.0")]
["messages: the FAQ shipped with 0.2.0 has message 'whoami'; this file lacks it", "not_covered: the FAQ shipped with 0.2.0 has topic 'pregnancy'; this file lacks it"]
"""

from __future__ import annotations

from typing import Any

from .content import Problem

# Sections that are lists of items with an id, and what one item is called.
_ID_LISTS = (("faqs", "entry"), ("smalltalk", "smalltalk pattern"), ("red_flags", "emergency red flag"), ("not_covered", "topic"))
# Sections that are mappings, and what one key is called.
_MAPPINGS = (
    ("clinic", "clinic setting"), ("messages", "message"), ("synonyms", "synonym"), ("spellings", "spelling"),
    ("emergency_words", "emergency word group"),
)
#: Sections about emergencies: what the clinic's file lacks there is a warning.
SAFETY = frozenset({"red_flags", "emergency_words"})
#: Red-flag keys whose items are compared one by one.
_RED_FLAG_LISTS = (("patterns", "pattern"), ("signs", "sign"))
_SHOWN = 8


def _ids(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(item["id"]): item for item in items if isinstance(item, dict) and "id" in item}


def _items(item: dict[str, Any], key: str) -> list[str]:
    """A red flag's patterns or signs, as text (a sign is a list of word groups)."""
    values = item.get(key)
    if not isinstance(values, list):
        return []
    return [" + ".join(map(str, v)) if isinstance(v, list) else str(v) for v in values]


def _listed(values: list[str]) -> str:
    shown = ", ".join(f"'{v}'" for v in values[:_SHOWN])
    return shown + (f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else "")


def missing_sections(clinic: Any, shipped: Any, *, path: str, shipped_name: str) -> list[Problem]:
    """One :class:`Problem` per section, item or red-flag pattern *shipped* has and *clinic* lacks."""
    if not isinstance(clinic, dict) or not isinstance(shipped, dict):
        return []
    found: list[Problem] = []
    origin = f"the FAQ shipped with {shipped_name}"

    def note(section: str, message: str) -> None:
        found.append(Problem(path, None, section, message, "warning" if section in SAFETY else "note"))

    for section in shipped:
        if section not in clinic:
            note(section, f"{origin} has the section '{section}'; this file lacks it")
    for section, noun in _MAPPINGS:
        ours, theirs = clinic.get(section), shipped.get(section)
        if isinstance(ours, dict) and isinstance(theirs, dict):
            lacking = [str(key) for key in theirs if key not in ours]
            if len(lacking) == 1:
                note(section, f"{origin} has {noun} '{lacking[0]}'; this file lacks it")
            elif lacking:
                note(section, f"{origin} has {len(lacking)} {noun}s this file lacks: {_listed(lacking)}")
    for section, noun in _ID_LISTS:
        if section not in clinic:
            continue
        ours, theirs = _ids(clinic.get(section)), _ids(shipped.get(section))
        for key, item in theirs.items():
            if key not in ours:
                note(section, f"{origin} has {noun} '{key}'; this file lacks it")
            elif section == "red_flags":
                for field, word in _RED_FLAG_LISTS:
                    lacking = [p for p in _items(item, field) if p not in _items(ours[key], field)]
                    if lacking:
                        note(section, f"{origin} recognises more emergencies under '{key}': {len(lacking)} {word}{'s' * (len(lacking) != 1)} "
                             f"this file lacks ({_listed(lacking)})")
    return found


__all__ = ["missing_sections"]
