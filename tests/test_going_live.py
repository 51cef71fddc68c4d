"""README "Going live", followed as far as a test can: a temporary folder stands for /etc/dn-faq-bot (the env file),
/var/lib/dn-faq-bot and /var/backups/dn-faq-bot, the stand-in Bot API server for Telegram, and the
test's own user for dnbot (no useradd, no systemd, no runuser: those are the steps left to the IT person).

The bot runs as the real process, with its environment loaded from the env file the way a shell
does (``set -a; . env``), which reads the same ``NAME=value`` lines systemd's EnvironmentFile does.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import storage
from intents import Engine

from .conftest import FAQ_PATH, ROOT
from .fake_bot_api import FakeBotApi
from .test_operations import ORDINALS, old_database

ENGINE = Engine.from_file(FAQ_PATH)
IT_PERSON = 424242
# Questions the FAQ does not answer, in plain words (so any redaction leaves them as they are).
UNANSWERED = [
    "is there parking behind the building",
    "is there a lift to the second floor",
    "do you have a bathroom I can use",
    "what music do you play in the room",
    "can I bring my dog along",
    "is the building open on holidays",
    "do I need to wear shorts",
    "can I drink coffee in the waiting room",
]
QUESTIONS = [f"{question}{' please' * (n // len(UNANSWERED))}" for n, question in enumerate(UNANSWERED * 5)]


def bot(*args: str, env_file: Path, cwd: Path, **popen: object) -> subprocess.Popen[str]:
    """`python bot.py ARGS` with the env file loaded as a shell loads it (README step 5)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    script = 'set -a; . "$1"; set +a; shift; exec "$@"'
    return subprocess.Popen(
        ["sh", "-c", script, "sh", str(env_file), sys.executable, str(ROOT / "bot.py"), *args],
        cwd=cwd, env=base, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,  # type: ignore[call-overload]
    )


def finished(process: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def rows(path: Path) -> list[tuple[object, ...]]:
    """Every row of the log, read through a read-only connection."""
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT id, at, kind, suggestion, score, topic, question FROM unanswered ORDER BY id").fetchall()


def readme_env_file() -> str:
    """The env file exactly as README "Going live" step 5 shows it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Going live"):]
    step = section[section.index("**The env file**"):]
    return step[step.index("```sh\n") + 6 : step.index("```", step.index("```sh\n") + 6)].replace("   ", "").strip()


def test_readme_steps_are_the_ones_this_test_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Going live"):]
    for command in ("install -d -m 0700 -o dnbot -g dnbot /var/lib/dn-faq-bot", "bot.py init /var/lib/dn-faq-bot",
                    "install -m 0600 /dev/null /etc/dn-faq-bot/env", "dnbot check", "deploy/backup.sh",
                    "deploy/dn-faq-bot.service", "dnbot backup"):
        assert command in section, command
    env = dict(line.split("=", 1) for line in readme_env_file().splitlines())
    assert env["BOT_FAQ"] == "/var/lib/dn-faq-bot/faq.yaml" and env["BOT_DATA_DIR"] == "/var/lib/dn-faq-bot"
    assert "TELEGRAM_BOT_TOKEN" in env


def test_going_live_as_the_readme_says(tmp_path: Path) -> None:
    for question in QUESTIONS:
        assert ENGINE.answer(question).kind in storage.LOGGED_KINDS, question
    etc, data, backups = tmp_path / "etc" / "dn-faq-bot", tmp_path / "var" / "lib" / "dn-faq-bot", tmp_path / "var" / "backups" / "dn-faq-bot"
    elsewhere = tmp_path / "home"  # commands are run from any folder, never from the code's
    elsewhere.mkdir()

    # Step 3: the data and backup directories, private. The clinic is upgrading from 0.1.0: its log comes along.
    for folder in (data, backups):
        subprocess.run(["install", "-d", "-m", "0700", str(folder)], check=True)
    old_database(data, questions=3)
    etc.mkdir(parents=True)

    # Step 4: the clinic's FAQ, outside the code, in the data directory; the clinic edits an answer.
    code, out, err = finished(subprocess.Popen([sys.executable, str(ROOT / "bot.py"), "init", str(data)], cwd=elsewhere, text=True,
                                               stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    assert code == 0, err
    faq = data / "faq.yaml"
    assert f"BOT_FAQ={faq}" in out
    clinic = yaml.safe_load(faq.read_text(encoding="utf-8"))
    entry = next(e for e in clinic["faqs"] if e["id"] == "trigger-point")
    entry["answer"] = entry["answer"].rstrip() + " Our therapists can show you where yours are."
    clinic["clinic"]["front_desk"] = "our front desk (555-0100)"
    faq.write_text(yaml.safe_dump(clinic, allow_unicode=True, sort_keys=False), encoding="utf-8")

    with FakeBotApi() as api:
        # Step 5: the env file, 0600.
        env_file = etc / "env"
        subprocess.run(["install", "-m", "0600", "/dev/null", str(env_file)], check=True)
        lines = readme_env_file().replace("/etc/dn-faq-bot", str(etc)).replace("/var/lib/dn-faq-bot", str(data)).splitlines()
        lines = [f"TELEGRAM_BOT_TOKEN={api.token}" if line.startswith("TELEGRAM_BOT_TOKEN=") else line for line in lines]
        lines = [f"STAFF_USER_IDS={IT_PERSON}" if line.startswith("STAFF_USER_IDS=") else line for line in lines]
        lines += ["# the stand-in server instead of Telegram", f"TELEGRAM_BASE_URL={api.base_url}"]
        env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(data.stat().st_mode) == 0o700

        # Step 6: check the clinic's FAQ.
        code, out, err = finished(bot("check", env_file=env_file, cwd=elsewhere))
        assert code == 0, out + err
        assert f"{faq}: OK: 0 errors" in out and "Compared with" not in out

        # Step 7: run. The clinic's edited answer shows.
        process = bot("run", env_file=env_file, cwd=elsewhere)
        try:
            api.wait_for("setMyCommands", timeout=30)
            api.push(api.text_update("what is a trigger point?"))
            answer = api.wait_for("sendMessage", timeout=20)[0].params["text"]
            assert "Our therapists can show you where yours are." in answer and answer.endswith(ENGINE.disclaimer)

            # Step 8: the IT person learns their id.
            api.push(api.text_update("/whoami", user_id=IT_PERSON, chat_id=IT_PERSON))
            whoami = api.wait_for("sendMessage", 2, timeout=20)[1].params["text"]
            assert f"Your Telegram user id is {IT_PERSON}." in whoami

            # Staff edit the FAQ while the bot runs; /reload (or the watcher) puts it in service.
            entry["answer"] = entry["answer"].replace("Our therapists", "Your therapist")
            faq.write_text(yaml.safe_dump(clinic, allow_unicode=True, sort_keys=False), encoding="utf-8")
            api.push(api.text_update("/reload", user_id=IT_PERSON, chat_id=IT_PERSON))
            assert "FAQ reloaded" in api.wait_for("sendMessage", 3, timeout=20)[2].params["text"]
            api.push(api.text_update("what is a trigger point?"))
            assert "Your therapist can show you" in api.wait_for("sendMessage", 4, timeout=20)[3].params["text"]

            # Step 9: the nightly backup script, started while patients' questions are being logged.
            questions = QUESTIONS
            api.push(*[api.text_update(q, chat_id=2000 + n, user_id=2000 + n) for n, q in enumerate(questions)])
            script_env = {**{k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
                          "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
            nightly = subprocess.Popen(
                ["sh", "-c", 'set -a; . "$1"; set +a; shift; exec "$@"', "sh", str(env_file), str(ROOT / "deploy" / "backup.sh"), str(backups)],
                cwd=elsewhere, env=script_env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
            code, out, err = finished(nightly)
            assert code == 0, out + err
            api.wait_for("sendMessage", 4 + len(questions), timeout=60)

            # ... and once more by hand after the last question, with the bot still running (the rows sit in the WAL).
            code, out, err = finished(bot("backup", str(backups / "after.sqlite3"), env_file=env_file, cwd=elsewhere))
            assert code == 0, out + err
            assert f"{3 + len(questions)} unanswered questions" in out
        finally:
            process.send_signal(signal.SIGTERM)
            code, out, err = finished(process, timeout=30)
        assert code == 0, err
        assert "Traceback" not in err and api.token not in err
        assert "question log upgraded from schema 0 to 1" in err
        assert str(IT_PERSON) not in err and "bathroom" not in err

    live = data / storage.DB_NAME
    everything = rows(live)
    assert len(everything) == 3 + len(questions)
    assert [row[6] for row in everything[:3]] == [f"old question {ORDINALS[n]}" for n in range(3)], "the 0.1.0 log's rows are kept"
    with sqlite3.connect(f"{live.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION

    # The backup taken after the last question holds every row; the one taken during is a consistent prefix.
    assert rows(backups / "after.sqlite3") == everything
    stamp = time.strftime("%Y-%m-%d")
    nightly_rows = rows(backups / f"unanswered-{stamp}.sqlite3")
    assert 3 <= len(nightly_rows) <= len(everything)
    assert nightly_rows == everything[: len(nightly_rows)]
    assert (backups / f"faq-{stamp}.yaml").read_bytes() == faq.read_bytes()
    for backup in backups.iterdir():
        assert stat.S_IMODE(backup.stat().st_mode) & 0o077 == 0, backup

    # Restoring (step 9): the backup in an empty data dir is what the bot reads.
    restored = tmp_path / "restored"
    restored.mkdir(mode=0o700)
    shutil.copyfile(backups / "after.sqlite3", restored / storage.DB_NAME)
    log = storage.UnansweredLog(storage.LogSettings(restored))
    try:
        assert len(log.unanswered(days=1)) == len(everything)
    finally:
        log.close()


def test_init_refuses_to_overwrite_during_an_upgrade(tmp_path: Path) -> None:
    """Running step 3 again (by mistake, during an upgrade) leaves the clinic's FAQ alone."""
    etc = tmp_path / "etc"
    first = subprocess.run([sys.executable, str(ROOT / "bot.py"), "init", str(etc)], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0
    (etc / "faq.yaml").write_text((etc / "faq.yaml").read_text(encoding="utf-8") + "# edited by the clinic\n", encoding="utf-8")
    again = subprocess.run([sys.executable, str(ROOT / "bot.py"), "init", str(etc)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 2
    assert (etc / "faq.yaml").read_text(encoding="utf-8").endswith("# edited by the clinic\n")


@pytest.mark.parametrize("name", ["backup.sh"])
def test_backup_script_says_what_went_wrong(name: str, tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
           "BOT_DATA_DIR": str(tmp_path / "nothing-here"), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(ROOT / "deploy" / name), str(tmp_path / "backups")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "there is no question log" in result.stderr
