"""Shared fixtures: the shipped FAQ's engine and a small valid FAQ as plain data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from intents import Engine

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FAQ_PATH = ROOT / "faq.yaml"

_MINIMAL: dict[str, Any] = {
    "clinic": {
        "name": "Test Clinic",
        "front_desk": "the front desk",
        "phone": "555-0100",
        "emergency_number": "911",
        "crisis_line": "988",
    },
    "disclaimer": "General information only, not medical advice.",
    "article": {"title": "Test article", "sections": ["Knots", "Scars"]},
    "messages": {
        "welcome": "Welcome to {clinic_name}.",
        "help": "Ask me about knots and scars.",
        "about": "I am the {clinic_name} helper.",
        "fallback": "Sorry, I don't have that in my FAQ. Ask {front_desk}.",
        "clarify": "Did you mean one of these?",
        "none_of_these": "Please ask {front_desk}.",
        "not_covered": "Sorry, I don't have that in my FAQ.",
        "non_text": "I can only read text questions.",
        "unknown_command": "I don't know that command.",
        "rate_limited": "Slow down, please.",
        "error": "Something went wrong.",
    },
    "faqs": [
        {
            "id": "trigger-point",
            "question": "What is a trigger point?",
            "alternates": [
                "what is a muscle knot", "what are trigger points", "what is a taut band",
                "knot in my shoulder", "what does trigger point mean", "tight spot in a muscle",
                "why does the knot hurt", "define trigger point",
            ],
            "answer": "A trigger point is a tight knot in a muscle.",
            "source": "Knots",
            "related": ["scar-tissue"],
        },
        {
            "id": "scar-tissue",
            "question": "Can needling help scar tissue?",
            "alternates": [
                "does it help scars", "can it loosen a scar", "what about adhesions",
                "stiff scar after surgery", "scar from my operation", "can needling soften scars",
                "does needling work on scar tissue", "help for an old scar",
            ],
            "answer": "Needling can help loosen stiff scar tissue.",
            "source": "Scars",
        },
    ],
    "smalltalk": [{"id": "greeting", "patterns": ["hi", "hello"], "reply": "Hello from {clinic_name}!"}],
    "red_flags": [{"id": "chest-pain", "patterns": ["chest pain"], "reply": "Call {emergency_number} now."}],
    "not_covered": [{"id": "cost", "keywords": ["cost", "price"], "reply": "Ask {front_desk} about prices."}],
    "synonyms": {"trigger point": ["knot", "taut band", "tight spot"]},
}


def minimal_faq() -> dict[str, Any]:
    """A fresh copy of a small, valid FAQ as plain data (tests may change it freely)."""
    return copy.deepcopy(_MINIMAL)


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine over the shipped faq.yaml (built once: it is immutable)."""
    return Engine.from_file(FAQ_PATH)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test (and every bot process it starts) keeps its unanswered-question log in tmp_path."""
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "bot-data"))
