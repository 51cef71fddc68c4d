"""The log's hardening: private files, a broken data folder, a full disk."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from intents import Engine
from storage import LogSettings, UnansweredLog

from .conftest import FAQ_PATH, ROOT

ENGINE = Engine.from_file(FAQ_PATH)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        log = UnansweredLog(LogSettings(tmp_path / "data"))
        log.record("can I bring my dog", ENGINE.answer("can I bring my dog"))
        data = tmp_path / "data"
        files = {p.name: mode(p) for p in data.iterdir()}
        assert mode(data) == 0o700
        assert files == {"unanswered.sqlite3": 0o600, "unanswered.sqlite3-wal": 0o600, "unanswered.sqlite3-shm": 0o600}
        log.close()
    finally:
        os.umask(old)


def test_files_an_older_version_left_open_are_closed_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    sqlite3.connect(data / "unanswered.sqlite3").close()
    os.chmod(data / "unanswered.sqlite3", 0o644)
    UnansweredLog(LogSettings(data)).close()
    assert (mode(data), mode(data / "unanswered.sqlite3")) == (0o700, 0o600)


def _chat(data_dir: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "BOT_DATA_DIR": data_dir}
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "chat"], input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


@pytest.mark.parametrize("where", ["a file", "under a file", "read-only"])
def test_a_broken_data_folder_is_one_warning_and_the_bot_answers(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    if where == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        data = tmp_path / "ro"
        data.mkdir()
        os.chmod(data, 0o500)
    else:
        data = blocker if where == "a file" else blocker / "data"
    result = _chat(str(data), ["how much does it cost", "can I bring my dog", "what is a trigger point"])
    assert result.returncode == 0
    assert result.stdout.count("bot> ") == 3
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and "BOT_DATA_DIR" in warnings[0] and "Traceback" not in result.stderr


def test_report_on_a_broken_data_folder_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    env = {**os.environ, "BOT_DATA_DIR": str(blocker)}
    result = subprocess.run([sys.executable, str(ROOT / "bot.py"), "report"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 2 and "not a directory" in result.stderr and "Traceback" not in result.stderr


def test_a_full_disk_is_one_line_not_a_traceback_per_message(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    assert log._db is not None
    page_count = log._db.execute("PRAGMA page_count").fetchone()[0]
    log._db.execute(f"PRAGMA max_page_count = {page_count}")  # the database cannot grow: "database or disk is full"
    with caplog.at_level(logging.WARNING, logger="dnbot.storage"):
        for number in range(200):
            log.record(f"can I bring my dog number {number} " + "x" * 400, ENGINE.answer("can I bring my dog"))
    failures = [r for r in caplog.records if "could not write" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is None and "full" in failures[0].getMessage()
    log._db.execute("PRAGMA max_page_count = 100000")
    log.record("can I bring my cat", ENGINE.answer("can I bring my cat"))
    assert "written again" in caplog.text
    log.close()


def test_the_promise_matches_the_behaviour() -> None:
    from storage import DEFAULT_RETENTION_DAYS

    about = ENGINE.message("about").text
    assert f"deleted after {DEFAULT_RETENTION_DAYS} days" in about
    assert "blank out names" in about and "Telegram keeps your chat" in about
    assert "don't send your name" in ENGINE.message("welcome").text
