"""Keeping the bot for years: the clinic's FAQ outside the code, init, the version, backups, schema upgrades."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import time
import tomllib
from pathlib import Path

import pytest
import yaml

import storage
from bot import DEFAULT_FAQ, __version__, build_parser, faq_path
from intents import Engine
from storage import LogSettings, SchemaError, UnansweredLog

from .conftest import DATA, FAQ_PATH, ROOT
from .test_cli import run

ENGINE = Engine.from_file(FAQ_PATH)
OLD_SCHEMA = (DATA / "schema-0.1.0.sql").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the FAQ path, one rule for every command


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["ask", "x"], {}, DEFAULT_FAQ),
        (["ask", "x"], {"BOT_FAQ": "/srv/clinic/faq.yaml"}, Path("/srv/clinic/faq.yaml")),
        (["ask", "x"], {"BOT_FAQ": "  "}, DEFAULT_FAQ),
        (["ask", "--faq", "mine.yaml", "x"], {"BOT_FAQ": "/srv/clinic/faq.yaml"}, Path("mine.yaml")),
        (["report"], {"BOT_FAQ": "/srv/clinic/faq.yaml"}, Path("/srv/clinic/faq.yaml")),
        (["run"], {"BOT_FAQ": "/srv/clinic/faq.yaml"}, Path("/srv/clinic/faq.yaml")),
        (["chat", "--faq", "a.yaml"], {}, Path("a.yaml")),
    ],
)
def test_faq_path_is_flag_then_environment_then_shipped(argv: list[str], env: dict[str, str], expected: Path) -> None:
    assert faq_path(build_parser().parse_args(argv), env) == expected


@pytest.mark.parametrize("command", [["ask", "what is a trigger point"], ["check"], ["chat"]])
def test_every_command_reads_bot_faq(command: list[str], tmp_path: Path) -> None:
    data = yaml.safe_load(FAQ_PATH.read_text(encoding="utf-8"))
    data["faqs"][0]["answer"] = "MARKER " + data["faqs"][0]["answer"]
    clinic = tmp_path / "faq.yaml"
    clinic.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("faqs: [", encoding="utf-8")
    question = data["faqs"][0]["question"]
    stdin = f"{question}\nquit\n" if command == ["chat"] else None
    args = [*command[:1], question] if command[0] == "ask" else command
    good = run(*args, stdin=stdin, env={"BOT_FAQ": str(clinic)}, cwd=tmp_path)
    bad = run(*args, stdin=stdin, env={"BOT_FAQ": str(broken)}, cwd=tmp_path)
    if command == ["check"]:
        assert good.returncode == 0 and "faq.yaml: OK" in good.stdout
    else:
        assert good.returncode == 0 and "MARKER" in good.stdout
    assert bad.returncode != 0 and "broken.yaml" in bad.stdout + bad.stderr


# ------------------------------------------------------------------ init


def test_init_copies_the_shipped_faq_and_prints_next_steps(tmp_path: Path) -> None:
    target = tmp_path / "etc" / "dn-faq-bot"
    result = run("init", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "faq.yaml").read_bytes() == FAQ_PATH.read_bytes()
    assert f"BOT_FAQ={target / 'faq.yaml'}" in result.stdout
    assert "python bot.py check" in result.stdout and "Going live" in result.stdout


def test_init_never_overwrites_the_clinics_faq(tmp_path: Path) -> None:
    (tmp_path / "faq.yaml").write_text("# the clinic's own edits\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.returncode == 2
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "faq.yaml").read_text(encoding="utf-8") == "# the clinic's own edits\n"


def test_init_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")
    result = run("init", str(tmp_path / "taken"))
    assert result.returncode == 2 and "cannot write" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ check after an upgrade


def test_check_names_what_the_new_version_ships_that_the_clinics_file_lacks(tmp_path: Path) -> None:
    data = yaml.safe_load(FAQ_PATH.read_text(encoding="utf-8"))
    removed_topic = data["not_covered"].pop(0)["id"]  # as if the topic came with the new version
    flag = data["red_flags"][0]
    removed_pattern = flag["patterns"].pop()
    clinic = tmp_path / "faq.yaml"
    clinic.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("check", env={"BOT_FAQ": str(clinic)}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert f"faq.yaml: not_covered: note: the FAQ shipped with {__version__} has topic '{removed_topic}'; this file lacks it" in lines
    assert any(line.startswith("faq.yaml: red_flags: warning:") and f"'{removed_pattern}'" in line and f"'{flag['id']}'" in line for line in lines)


SHIPPED = {
    "clinic": {"name": "X", "phone": "1"},
    "messages": {"welcome": "Hi"},
    "faqs": [{"id": "a"}, {"id": "b"}],
    "red_flags": [{"id": "chest", "patterns": ["chest pain"], "signs": [["chest", "chest_trouble"]]}, {"id": "stroke", "patterns": ["stroke"]}],
    "emergency_words": {"chest": ["chest"], "chest_trouble": ["pain"]},
    "not_covered": [{"id": "cost"}],
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["clinic"].pop("phone"), ["clinic: note: the FAQ shipped with 9.9.9 has clinic setting 'phone'; this file lacks it"]),
        (lambda d: d["faqs"].pop(), ["faqs: note: the FAQ shipped with 9.9.9 has entry 'b'; this file lacks it"]),
        (lambda d: d["not_covered"].clear(), ["not_covered: note: the FAQ shipped with 9.9.9 has topic 'cost'; this file lacks it"]),
        (lambda d: d["red_flags"].pop(), ["red_flags: warning: the FAQ shipped with 9.9.9 has emergency red flag 'stroke'; this file lacks it"]),
        (lambda d: d["red_flags"][0].pop("signs"),
         ["red_flags: warning: the FAQ shipped with 9.9.9 recognises more emergencies under 'chest': 1 sign this file lacks ('chest + chest_trouble')"]),
        (lambda d: d.pop("emergency_words"), ["emergency_words: warning: the FAQ shipped with 9.9.9 has the section 'emergency_words'; this file lacks it"]),
        (lambda d: d["emergency_words"].clear(),
         ["emergency_words: warning: the FAQ shipped with 9.9.9 has 2 emergency word groups this file lacks: 'chest', 'chest_trouble'"]),
        (lambda d: d["faqs"].append({"id": "clinic-own"}), []),  # the clinic's additions are its own
        (lambda d: d["messages"].update(welcome="Hello from us"), []),
    ],
)
def test_what_a_newer_shipped_faq_has(change: object, expected: list[str]) -> None:
    import copy

    from intents.upgrade import missing_sections

    clinic = copy.deepcopy(SHIPPED)
    change(clinic)  # type: ignore[operator]
    found = missing_sections(clinic, SHIPPED, path="faq.yaml", shipped_name="9.9.9")
    assert [str(p).removeprefix("faq.yaml: ") for p in found] == expected


def test_check_of_an_up_to_date_copy_or_the_shipped_file_compares_nothing(tmp_path: Path) -> None:
    shutil.copy(FAQ_PATH, tmp_path / "faq.yaml")
    for env in ({"BOT_FAQ": str(tmp_path / "faq.yaml")}, {}):
        result = run("check", env=env, cwd=tmp_path)
        assert result.returncode == 0 and "Compared with" not in result.stdout


# ------------------------------------------------------------------ version and changelog


def test_version_matches_the_package_and_the_changelog() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"dn-faq-bot {__version__}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    headings = re.findall(r"^## (\d+\.\d+\.\d+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0] == __version__, "the changelog's newest entry is the version the code reports"
    assert "0.1.0" in headings


# ------------------------------------------------------------------ schema versions


def old_database(directory: Path, questions: int = 3) -> Path:
    """A question log exactly as version 0.1.0 left it: its schema, no user_version, some rows."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / storage.DB_NAME
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(OLD_SCHEMA)
    with db:
        for n in range(questions):
            db.execute(
                "INSERT INTO unanswered (at, kind, suggestion, score, topic, question) VALUES (?, 'fallback', NULL, 0, NULL, ?)",
                (time.time() - n * 60, f"old question {n}"),
            )
        db.execute("INSERT INTO daily (day, kind, faq_id, count) VALUES (date('now'), 'fallback', '', ?)", (questions,))
    db.close()
    return path


def user_version(path: Path) -> int:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def dump(path: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0], list(db.iterdump())


def test_an_old_database_is_migrated_on_open_with_every_row(tmp_path: Path) -> None:
    path = old_database(tmp_path / "data", questions=4)
    assert user_version(path) == 0
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    try:
        assert sorted(row.question for row in log.unanswered(days=1)) == [f"old question {n}" for n in range(4)]
        assert log.totals(days=1)[0] == {"fallback": 4}
        log.record("a new one nobody can answer", ENGINE.answer("zzz qqq"))
        assert len(log.unanswered(days=1)) == 5
    finally:
        log.close()
    assert user_version(path) == storage.SCHEMA_VERSION


def test_a_new_database_starts_at_the_current_version(tmp_path: Path) -> None:
    UnansweredLog(LogSettings(tmp_path / "data")).close()
    assert user_version(tmp_path / "data" / storage.DB_NAME) == storage.SCHEMA_VERSION


def test_a_newer_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = old_database(tmp_path / "data")
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    before = dump(path)
    with pytest.raises(SchemaError, match="newer version"):
        UnansweredLog(LogSettings(tmp_path / "data"))
    result = run("report", env={"BOT_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 2 and "newer version of the bot" in result.stderr and "Traceback" not in result.stderr
    assert dump(path) == before


def test_migration_steps_run_in_order_and_a_failing_step_changes_nothing(tmp_path: Path) -> None:
    path = old_database(tmp_path / "data", questions=2)
    steps = ((1, ""), (2, "ALTER TABLE unanswered ADD COLUMN channel TEXT; UPDATE unanswered SET channel = 'telegram'"), (3, "CREATE TABLE x (a); DROP TABLE no_such_table"))
    db = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(SchemaError, match="left as it was"):
        storage.migrate(db, migrations=steps, target=3)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    assert [r[1] for r in db.execute("PRAGMA table_info(unanswered)")].count("channel") == 0
    assert db.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0] == 2
    assert storage.migrate(db, migrations=steps[:2], target=2) == 0
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert db.execute("SELECT DISTINCT channel FROM unanswered").fetchall() == [("telegram",)]
    db.close()


# ------------------------------------------------------------------ backups


def test_backup_while_writing_is_a_consistent_snapshot_a_plain_copy_is_not(tmp_path: Path) -> None:
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    reply = ENGINE.answer("zzz qqq")
    assert reply.kind == "fallback"
    for n in range(50):
        log.record(f"before {n}", reply)
    live = tmp_path / "data" / storage.DB_NAME
    plain = tmp_path / "plain-copy.sqlite3"
    shutil.copyfile(live, plain)  # what a careless nightly `cp` does: the rows still in the WAL are missing
    with sqlite3.connect(plain) as db:
        assert db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'unanswered'").fetchone()[0] == 0 or (
            db.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0] < 50
        )

    stop = threading.Event()
    written = [50]

    def writer() -> None:
        while not stop.is_set():
            log.record(f"during {written[0]}", reply)
            written[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        backups = [storage.backup(live, tmp_path / f"during-{n}.sqlite3") for n in range(5)]
    finally:
        stop.set()
        thread.join()
    final = storage.backup(live, tmp_path / "after.sqlite3")
    log.close()
    for n, result in enumerate(backups):
        with sqlite3.connect(f"{(tmp_path / f'during-{n}.sqlite3').as_uri()}?mode=ro", uri=True) as db:
            ids = [row[0] for row in db.execute("SELECT id FROM unanswered ORDER BY id")]
            assert ids == list(range(1, len(ids) + 1)), "a snapshot: no row missing in the middle"
            assert 50 <= len(ids) == result.questions <= written[0]
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert final.questions == written[0] and final.schema == storage.SCHEMA_VERSION
    assert (tmp_path / "after.sqlite3").stat().st_mode & 0o077 == 0, "the backup is private to its owner"
    assert not list(tmp_path.glob(".*partial"))


def test_backup_command_errors_are_plain(tmp_path: Path) -> None:
    env = {"BOT_DATA_DIR": str(tmp_path / "data")}
    missing = run("backup", str(tmp_path / "b.sqlite3"), env=env)
    assert missing.returncode == 2 and "there is no question log" in missing.stderr
    UnansweredLog(LogSettings(tmp_path / "data")).close()
    for target, message in (
        (tmp_path / "no-folder" / "b.sqlite3", "does not exist"),
        (tmp_path, "is a directory"),
        (tmp_path / "data" / storage.DB_NAME, "cannot be the live database"),
    ):
        result = run("backup", str(target), env=env)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    ok = run("backup", str(tmp_path / "b.sqlite3"), env=env)
    assert ok.returncode == 0 and "0 unanswered questions" in ok.stdout


def test_a_restored_backup_is_read_by_the_bot(tmp_path: Path) -> None:
    old_database(tmp_path / "data", questions=3)
    assert run("backup", str(tmp_path / "backup.sqlite3"), env={"BOT_DATA_DIR": str(tmp_path / "data")}).returncode == 0
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copyfile(tmp_path / "backup.sqlite3", restored / storage.DB_NAME)  # README: restore with the bot stopped
    log = UnansweredLog(LogSettings(restored))
    try:
        assert sorted(row.question for row in log.unanswered(days=1)) == ["old question 0", "old question 1", "old question 2"]
    finally:
        log.close()


def test_check_compares_even_when_the_new_version_finds_errors(tmp_path: Path) -> None:
    """A new version's rules can make the clinic's file invalid; what the new FAQ has explains why."""
    data = yaml.safe_load(FAQ_PATH.read_text(encoding="utf-8"))
    data.pop("disclaimer")
    clinic = tmp_path / "faq.yaml"
    clinic.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("check", env={"BOT_FAQ": str(clinic)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "faq.yaml: disclaimer: note: the FAQ shipped with" in result.stdout and "has the section 'disclaimer'" in result.stdout
