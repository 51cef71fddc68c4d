"""Redaction fails closed: the table of personal details, in-process and through `bot.py chat`.

``redaction-cases.yaml`` was written independently of the rule and is used unchanged;
``redaction-extra.yaml`` adds our own cases (names that are also common words, other scripts,
questions that must come through whole). Each case lists substrings that must never survive
and words that must.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from intents import Engine
from redaction import MASK, redact, vocabulary_for
from storage import LogSettings, UnansweredLog

from .conftest import DATA, FAQ_PATH, ROOT

ENGINE = Engine.from_file(FAQ_PATH)
VOCABULARY = vocabulary_for(ENGINE.content)
TABLE = yaml.safe_load((DATA / "redaction-cases.yaml").read_text(encoding="utf-8"))
EXTRA = yaml.safe_load((DATA / "redaction-extra.yaml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE + EXTRA
#: Every kind of detail the issue names must be in the independent table.
CATEGORIES = {"name", "dob", "phone", "email", "address", "insurance", "ssn", "mrn", "handle", "telegram", "domain", "url", "card"}


def test_the_table_covers_every_category() -> None:
    assert len(TABLE) >= 80
    assert CATEGORIES <= {case["category"] for case in TABLE}
    for case in CASES:
        assert set(case) == {"category", "text", "never", "keep"}, case


@pytest.mark.parametrize("case", CASES, ids=[f"{c['category']}-{i}" for i, c in enumerate(CASES)])
def test_redaction_table(case: dict[str, Any]) -> None:
    redacted = redact(case["text"], VOCABULARY)
    assert [s for s in case["never"] if s in redacted] == [], redacted
    assert [w for w in case["keep"] if w not in redacted.split() and w not in redacted] == [], redacted
    assert not any(c.isdigit() for c in redacted), redacted
    assert redact(redacted, VOCABULARY) == redacted  # rows are redacted again when read


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Staff must still see what was asked.
        ("how much does dry needling cost with my insurance", "how much does dry needling cost with my insurance"),
        # Capitalised inside a sentence and not a FAQ word: a name until shown otherwise.
        ("can Rose at the desk book me in", f"can {MASK} at the desk book me in"),
        # A common word after a name cue is a name; the same word elsewhere is not.
        ("its rose here, what is a trigger point", "its [name] here, what is a trigger point"),
        ("does a rose have thorns", "does a rose have thorns"),
        ("my name is will, will it hurt", "my name is [name], will it hurt"),
        # Street words after a house number, the gist label kept.
        ("I live at 17 Oak Lane Unit 3", "I live at [address]"),
        ("can I park on the street", "can I park on the street"),
        # Shouting carries no capital-letter signal; the cue still does.
        ("MY NAME IS JOHN SMITH", "MY NAME IS [name]"),
        # Every digit goes, labelled or not.
        ("is 10 to 20 minutes normal", "is # to # minutes normal"),
        ("", ""),
    ],
)
def test_redaction_rule(raw: str, expected: str) -> None:
    assert redact(raw, VOCABULARY) == expected


def test_without_the_faq_only_common_english_survives() -> None:
    assert redact("does dry needling help my shoulder") == "does dry needling help my shoulder"
    assert redact("is pistoning ok") == f"is {MASK} ok"  # a FAQ term the common list lacks


def test_old_rows_are_redacted_again_when_read(tmp_path: Path) -> None:
    log = UnansweredLog(LogSettings(tmp_path / "data"), vocabulary=lambda: VOCABULARY)
    with sqlite3.connect(tmp_path / "data" / "unanswered.sqlite3") as db:  # a row as an older version wrote it
        db.execute(
            "INSERT INTO unanswered (at, kind, suggestion, score, topic, question) VALUES (?, 'fallback', NULL, 0, NULL, ?)",
            (log.clock(), "hi its carla here, 17 Oak Lane, how much is it"),
        )
    assert [row.question for row in log.unanswered()] == ["hi its [name] here, [address], how much is it"]
    log.close()


def _run(*args: str, stdin: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "BOT_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def test_black_box_nothing_forbidden_reaches_the_data_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    texts = [case["text"] for case in CASES]
    chat = _run("chat", stdin="\n".join(texts) + "\n", data_dir=data_dir)
    assert chat.returncode == 0, chat.stderr
    report = _run("report", stdin="", data_dir=data_dir)
    report_csv = _run("report", "--csv", stdin="", data_dir=data_dir)
    assert report.returncode == 0 and report_csv.returncode == 0, report.stderr + report_csv.stderr

    # Every run of text in every file of the data folder (a "strings" of the files: short digit strings
    # such as "555" also occur by chance in SQLite's binary page data, which is not text).
    raw = b"\n".join(path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file())
    on_disk = b"\n".join(re.findall(rb"[\x20-\x7e\x80-\xff]{4,}", raw))
    with sqlite3.connect(data_dir / "unanswered.sqlite3") as db:  # the counters' day keys are today's date, not a patient's
        for (day,) in db.execute("SELECT DISTINCT day FROM daily"):
            on_disk = on_disk.replace(day.encode(), b"")
    # What staff see of the questions: the report's examples (its counts are not questions).
    table = list(csv.DictReader(io.StringIO(report_csv.stdout)))
    examples = [row["example"] for row in table]
    examples += re.findall(r"^ +\d+ +'(.*)'", report.stdout, re.MULTILINE)
    assert len(examples) > 20
    staff_output = "\n".join(examples) + chat.stderr + report.stderr
    for case in CASES:
        for secret in case["never"]:
            at = on_disk.find(secret.encode("utf-8"))
            assert at < 0, (secret, case["text"], on_disk[max(0, at - 60) : at + 60])
            assert secret not in staff_output, (secret, case["text"])

    # Every question the bot could not answer was kept, with its gist words (answered as the chat
    # answered them: one conversation, each message in the context the one before left).
    logged, context = [], None
    for case in CASES:
        reply = ENGINE.answer(case["text"], context)
        context = reply.context
        if reply.kind in ("fallback", "clarify"):
            logged.append(case)
    log = UnansweredLog(LogSettings(data_dir), vocabulary=lambda: VOCABULARY)
    stored = [row.question for row in log.unanswered()]
    log.close()
    assert len(stored) == len(logged) >= 100
    for case, question in zip(logged, stored):
        assert [w for w in case["keep"] if w not in question] == [], (case["text"], question)
    assert sum(int(row["count"]) for row in table) == len(logged)


def test_a_taught_question_keeps_the_faqs_own_words(tmp_path: Path) -> None:
    import shutil

    from curation import Curator

    faq = tmp_path / "faq.yaml"
    shutil.copyfile(FAQ_PATH, faq)
    log = UnansweredLog(LogSettings(tmp_path / "data"), vocabulary=lambda: VOCABULARY)
    log.record("hi there, is pistoning the same as winding", ENGINE.reply("fallback", "not in my FAQ"))
    log.record("Hi, Carla here: is pistoning like winding", ENGINE.reply("fallback", "not in my FAQ"))
    curator = Curator(faq, log, data_dir=tmp_path / "data")
    plain = next(g for g in curator.groups(ENGINE) if g.group.example.startswith("hi there"))
    outcome = curator.add_alternate("pistoning", plain.group.example, plain)
    assert outcome.changed, outcome.text
    assert "Added 'hi there, is pistoning the same as winding'" in outcome.text  # the FAQ's words are kept
    named = next(g for g in curator.groups(ENGINE) if "[name]" in g.group.example)
    refused = curator.add_alternate("pistoning", named.group.example, named)  # a blanked-out name is never FAQ text
    log.close()
    assert not refused.changed and "blanked-out personal details" in refused.text
    assert "Carla" not in faq.read_text(encoding="utf-8") and "[name]" not in faq.read_text(encoding="utf-8")
