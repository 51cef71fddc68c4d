"""What a newer shipped FAQ has that the clinic's own copy lacks.

A clinic keeps its FAQ outside the code (``BOT_FAQ``), so an upgrade never
touches it; it also never brings the new version's additions into it. This
compares the two as plain data, by section and by id, and says what staff may
want to take over. Nothing is changed: the clinic's edits and deletions are its
own. A red-flag pattern the clinic's file lacks is a warning (emergencies come
first); everything else is a note.

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
_MAPPINGS = (("clinic", "clinic setting"), ("messages", "message"), ("synonyms", "synonym"), ("spellings", "spelling"))


def _ids(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(item["id"]): item for item in items if isinstance(item, dict) and "id" in item}


def _patterns(item: dict[str, Any]) -> list[str]:
    patterns = item.get("patterns")
    return [str(p) for p in patterns] if isinstance(patterns, list) else []


def missing_sections(clinic: Any, shipped: Any, *, path: str, shipped_name: str) -> list[Problem]:
    """One :class:`Problem` per section, item or red-flag pattern *shipped* has and *clinic* lacks."""
    if not isinstance(clinic, dict) or not isinstance(shipped, dict):
        return []
    found: list[Problem] = []
    origin = f"the FAQ shipped with {shipped_name}"

    def note(section: str, message: str, severity: str = "note") -> None:
        found.append(Problem(path, None, section, message, severity))

    for section in shipped:
        if section not in clinic:
            note(section, f"{origin} has a '{section}' section; this file lacks it")
    for section, noun in _MAPPINGS:
        ours, theirs = clinic.get(section), shipped.get(section)
        if isinstance(ours, dict) and isinstance(theirs, dict):
            for key in theirs:
                if key not in ours:
                    note(section, f"{origin} has {noun} '{key}'; this file lacks it")
    for section, noun in _ID_LISTS:
        if section not in clinic:
            continue
        ours, theirs = _ids(clinic.get(section)), _ids(shipped.get(section))
        for key, item in theirs.items():
            if key not in ours:
                severity = "warning" if section == "red_flags" else "note"
                note(section, f"{origin} has {noun} '{key}'; this file lacks it", severity)
            elif section == "red_flags":
                lacking = [p for p in _patterns(item) if p not in _patterns(ours[key])]
                if lacking:
                    listed = ", ".join(f"'{p}'" for p in lacking)
                    note(section, f"{origin} recognises more emergencies under '{key}': {listed}; this file lacks them", "warning")
    return found


__all__ = ["missing_sections"]
