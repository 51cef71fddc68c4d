"""Live reload of faq.yaml, in the engine source, the console and Telegram (staff commands)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from curation import Curator
from intents.live import LiveFaq
from storage import LogSettings, UnansweredLog
from telegram_bot import Settings, build_application

from .conftest import ROOT, minimal_faq
from .fake_bot_api import FakeBotApi, polling


def write(path: Path, data: object) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    os.replace(tmp, path)  # editors and deploy tools replace the file; readers never see half of it


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_valid_change_is_swapped_in_and_invalid_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    data = minimal_faq()
    write(path, data)
    clock = Clock()
    faq = LiveFaq(path, interval=3.0, clock=clock)
    first = faq.engine
    data["faqs"][0]["answer"] = "A trigger point is a tight knot. (updated)"
    write(path, data)
    assert faq.refresh_if_changed() is None  # throttled: not looked at yet
    clock.now = 3.5
    assert faq.refresh_if_changed() == []
    assert faq.engine is not first
    assert faq.engine.answer("what is a trigger point").body.endswith("(updated)")
    data["faqs"][0]["answer"] = ""
    write(path, data)
    clock.now = 7.0
    problems = faq.refresh_if_changed()
    assert problems and problems[0].endswith("trigger-point: 'answer' is empty")
    assert faq.engine.answer("what is a trigger point").body.endswith("(updated)")  # old FAQ kept
    clock.now = 11.0
    assert faq.refresh_if_changed() is None  # a broken file is reported once


def test_messages_keep_flowing_while_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    data = minimal_faq()
    write(path, data)
    faq = LiveFaq(path, interval=0.0)
    stop = threading.Event()
    answers: list[str] = []
    failures: list[BaseException] = []

    def ask() -> None:
        while not stop.is_set():
            try:
                faq.refresh_if_changed()
                answers.append(faq.engine.answer("what is a trigger point").body)
            except BaseException as exc:  # pragma: no cover - reported below
                failures.append(exc)

    workers = [threading.Thread(target=ask) for _ in range(2)]
    for worker in workers:
        worker.start()
    for version in range(20):
        data["faqs"][0]["answer"] = f"Version {version}: a tight knot."
        if version % 3 == 2:
            data["faqs"][0]["answer"] = ""  # a broken save in between
        write(path, data)
        time.sleep(0.01)
    data["faqs"][0]["answer"] = "Final: a tight knot."
    write(path, data)
    deadline = time.monotonic() + 5
    while not answers or answers[-1] != "Final: a tight knot.":
        assert time.monotonic() < deadline, answers[-3:]
        time.sleep(0.01)
    stop.set()
    for worker in workers:
        worker.join()
    assert failures == []
    allowed = {"A trigger point is a tight knot in a muscle.", "Final: a tight knot."}
    allowed |= {f"Version {v}: a tight knot." for v in range(20)}
    assert set(answers) <= allowed  # never an empty answer from a broken save


def test_console_chat_logs_unanswered_and_reloads(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    data = minimal_faq()
    write(path, data)
    env = {**os.environ, "BOT_DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "chat", "--faq", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )
    assert process.stdin and process.stdout

    def say(line: str) -> str:
        process.stdin.write(line + "\n")
        process.stdin.flush()
        out = []
        while True:
            text = process.stdout.readline()
            out.append(text)
            if text.startswith("General information only"):
                return "".join(out)

    assert "tight knot" in say("what is a knot")
    say("how much does it cost? mail me at a@b.org")
    data["faqs"][0]["answer"] = "Edited: a knot."
    write(path, data)
    time.sleep(3.2)
    assert "Edited: a knot." in say("what is a knot")
    data["faqs"][0]["answer"] = ""
    write(path, data)
    time.sleep(3.2)
    reply = say("what is a knot")
    assert "Edited: a knot." in reply and "not reloaded" not in reply  # the conversation is not interrupted
    assert "Edited: a knot." in say("what is a knot")
    process.stdin.close()
    assert process.wait(timeout=30) == 0
    assert process.stderr is not None
    refused = [line for line in process.stderr.read().splitlines() if "not reloaded" in line]
    assert len(refused) == 1 and refused[0].endswith("trigger-point: 'answer' is empty")  # once, on stderr
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    assert [r.question for r in log.unanswered()] == ["how much does it cost? mail me at [email]"]
    log.close()


# ------------------------------------------------------------------ staff commands on Telegram


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


async def test_staff_commands_only_for_staff(api: FakeBotApi, tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    data = minimal_faq()
    write(path, data)
    faq = LiveFaq(path, interval=3600)
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    settings = Settings(token=api.token, base_url=api.base_url, staff_ids=frozenset({77}))
    curator = Curator(path, log, data_dir=tmp_path / "data", reload=faq.reload)
    app = build_application(settings, source=faq, recorder=log, curator=curator)
    try:
        async with polling(app):
            api.push(api.text_update("how much does it cost", user_id=501))
            api.push(api.text_update("what is a knot", user_id=501))
            await asyncio.to_thread(api.wait_for, "sendMessage", 2)
            for command in ("/stats", "/unanswered", "/reload", "/nonsense"):
                api.push(api.text_update(command, user_id=501))  # a patient
            patient = [c.params["text"] for c in await asyncio.to_thread(api.wait_for, "sendMessage", 6)][2:]
            assert len(set(patient)) == 1 and "don't know that command" in patient[0]

            for command in ("/stats", "/unanswered"):
                api.push(api.text_update(command, user_id=77, chat_id=77))
            stats, unanswered, group = [c.params["text"] for c in await asyncio.to_thread(api.wait_for, "sendMessage", 9)][6:]
            assert "fallback 1" in stats and "faq 1" in stats and "trigger-point 1" in stats
            assert "1 groups to review" in unanswered and "Not-covered topics patients hit most: cost 1" in unanswered
            assert "how much does it cost" in group and "not-covered topic 'cost'" in group

            data["faqs"][0]["answer"] = ""
            write(path, data)
            api.push(api.text_update("/reload", user_id=77, chat_id=77))
            refused = (await asyncio.to_thread(api.wait_for, "sendMessage", 10))[9].params["text"]
            assert "NOT reloaded" in refused and "'answer' is empty" in refused
            data["faqs"][0]["answer"] = "Reloaded knot answer."
            write(path, data)
            api.push(api.text_update("/reload", user_id=77, chat_id=77), api.text_update("what is a knot", user_id=501))
            sent = [c.params["text"] for c in await asyncio.to_thread(api.wait_for, "sendMessage", 12)]
            assert "FAQ reloaded: 2 entries." in sent[10]
            assert sent[11].startswith("Reloaded knot answer.")
            for text in sent:
                assert text.endswith("General information only, not medical advice.")
    finally:
        log.close()
