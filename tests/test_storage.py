"""The unanswered-question log: redaction, what is kept, counters, retention, failures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from intents import Engine
from intents.review import format_groups, group_questions, review
from redaction import vocabulary_for
from storage import LogSettings, UnansweredLog, redact

from .conftest import FAQ_PATH

ENGINE = Engine.from_file(FAQ_PATH)
VOCABULARY = vocabulary_for(ENGINE.content)
DAY = 86400.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("my email is Jane.Doe+pt@example.co.uk thanks", "my email is [email] thanks"),
        ("call 555-123-4567 please", "call [phone] please"),
        ("call (555) 123 4567", "call [phone]"),
        ("ring +44 20 7946 0958", "ring [phone]"),
        ("ring 0044 20 7946 0958", "ring [phone]"),
        ("ring 020 7946 0958", "ring [phone]"),
        ("cell 5551234567", "cell [phone]"),
        ("DOB 03/14/1980", "DOB [date]"),
        ("born 1980-03-14", "born [date]"),
        ("born 14.03.1980", "born [date]"),
        ("born March 14, 1980", "born [date]"),
        ("born 14th March 1980", "born [date]"),
        ("my MRN is 00123456", "my MRN is #"),  # every digit is masked
        ("see https://example.org/my-records?id=7", "see [link]"),
        ("see www.example.com/page", "see [link]"),
        ("ask @front_desk_anna", "ask [handle]"),
        ("is 10 to 20 minutes normal at 4 Hz", "is # to # minutes normal at # Hz"),
        ("I'm 45 and my knee hurts", "I'm # and my knee hurts"),
    ],
)
def test_redaction(raw: str, expected: str) -> None:
    assert redact(raw, VOCABULARY) == expected


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_log(tmp_path: Path, clock: Clock, **kwargs: object) -> UnansweredLog:
    return UnansweredLog(LogSettings(tmp_path / "data", **kwargs), clock=clock, vocabulary=lambda: VOCABULARY)  # type: ignore[arg-type]


def test_keeps_only_fallback_and_clarify_redacted(tmp_path: Path) -> None:
    clock = Clock()
    log = make_log(tmp_path, clock)
    questions = ["what is a trigger point", "hi", "how much does it cost? call me 555-123-4567", "knot twitch needle"]
    for question in questions:
        log.record(question, ENGINE.answer(question))
    rows = log.unanswered(days=1)
    assert [r.kind for r in rows] == ["fallback", "clarify"]
    assert rows[0].question == "how much does it cost? call me [phone]"
    assert rows[0].topic == "cost-insurance"
    assert rows[1].suggestion == ENGINE.answer("knot twitch needle").suggestions[0].faq_id
    kinds, topics = log.totals(days=1)
    assert kinds == {"faq": 1, "smalltalk": 1, "fallback": 1, "clarify": 1}
    assert topics == {"trigger-point": 1}
    log.close()


def test_nothing_identifying_is_stored(tmp_path: Path) -> None:
    clock = Clock()
    log = make_log(tmp_path, clock)
    log.record("I am Jane Roe, jane@example.com, can I park outside", ENGINE.answer("can I park outside"))
    log.close()
    db = sqlite3.connect(tmp_path / "data" / "unanswered.sqlite3")
    columns = {row[1] for table in ("unanswered", "daily") for row in db.execute(f"PRAGMA table_info({table})")}
    assert not columns & {"chat_id", "user_id", "username", "name", "first_name"}
    dump = "\n".join(db.iterdump())
    assert "jane@example.com" not in dump
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_retention_deletes_old_rows(tmp_path: Path) -> None:
    clock = Clock()
    log = make_log(tmp_path, clock, retention_days=90)
    log.record("how much is it", ENGINE.answer("how much is it"))
    clock.now += 89 * DAY
    log.record("what are your hours", ENGINE.answer("what are your hours"))
    assert log.purge() == 0
    clock.now += 2 * DAY
    assert log.purge() == 1
    assert [r.question for r in log.unanswered(days=365)] == ["what are your hours"]
    log.close()


def test_turned_off_records_nothing(tmp_path: Path) -> None:
    log = make_log(tmp_path, Clock(), enabled=False)
    log.record("how much is it", ENGINE.answer("how much is it"))
    assert log.unanswered() == [] and log.totals() == ({}, {})
    assert not (tmp_path / "data").exists()


def test_settings_from_environment(tmp_path: Path) -> None:
    settings = LogSettings.from_env({"BOT_DATA_DIR": str(tmp_path), "BOT_LOG_RETENTION_DAYS": "30", "BOT_LOG_UNANSWERED": "0"})
    assert (settings.directory, settings.retention_days, settings.enabled) == (tmp_path, 30, False)
    assert LogSettings.from_env({}).directory == Path("data")
    with pytest.raises(ValueError, match="BOT_LOG_RETENTION_DAYS"):
        LogSettings.from_env({"BOT_LOG_RETENTION_DAYS": "ninety"})


def test_storage_failure_never_breaks_a_reply(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = make_log(tmp_path, Clock())
    log._db.execute("DROP TABLE unanswered")  # simulate a broken database
    log.record("how much is it", ENGINE.answer("how much is it"))  # must not raise
    assert "could not write" in caplog.text and "Traceback" not in caplog.text
    log.close()


def test_report_groups_similar_questions_and_topics() -> None:
    rows = [
        ("how much does it cost", "cost-insurance"),
        ("what's the price", "cost-insurance"),
        ("do you take my insurance", "cost-insurance"),
        ("can i bring my dog to the session", None),
        ("can I bring my dog to my session?", None),
        ("needle muscle", None),
    ]
    groups = review(rows, ENGINE)
    assert [(g.count, g.topic) for g in groups][:2] == [(3, "cost-insurance"), (2, None)]
    assert groups[1].example.lower().startswith("can i bring my dog")
    lines = format_groups(groups)
    assert lines[0].startswith("   3") and "not covered: cost-insurance" in lines[0]
    assert group_questions(["a b c", "x y z"]) == [["a b c"], ["x y z"]]


def test_tell_me_more_is_not_an_unanswered_question(tmp_path: Path) -> None:
    import storage

    engine = Engine.from_file(FAQ_PATH)
    log = storage.open_log({"BOT_DATA_DIR": str(tmp_path / "data")})
    first = engine.answer("what is dry needling")
    more = engine.answer("tell me more", first.context)
    assert more.intent == "more"
    log.record("tell me more", more)
    log.record("can i bring my dog along", engine.answer("can i bring my dog along"))
    assert [row.question for row in log.unanswered()] == ["can i bring my dog along"]
    log.close()
