"""Telegram hardening: staff output stays with staff, flood control everywhere, no update
answered twice, nothing of a malformed update in the log."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from intents import Engine, Reply
from telegram_bot import Settings, StaticSource, build_application

from .conftest import FAQ_PATH
from .fake_bot_api import FakeBotApi, polling

ENGINE = Engine.from_file(FAQ_PATH)
STAFF = 501


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


class Rows:
    def __init__(self) -> None:
        self.questions: list[str] = []

    def record(self, question: str, reply: Reply) -> None:
        self.questions.append(question)

    def unanswered(self, days: int = 30) -> list[Any]:
        from storage import Unanswered

        return [Unanswered(0.0, "fallback", None, 0.0, None, q) for q in self.questions]

    def totals(self, days: int = 7) -> tuple[dict[str, int], dict[str, int]]:
        return {"fallback": len(self.questions)}, {}


def app_for(api: FakeBotApi, recorder: Rows | None = None, **options: Any) -> Any:
    settings = Settings(token=api.token, base_url=api.base_url, staff_ids=frozenset({STAFF}), **options)
    return build_application(settings, source=StaticSource(ENGINE), recorder=recorder or Rows())


async def sent(api: FakeBotApi, method: str, count: int = 1, **kwargs: Any) -> list[Any]:
    return await asyncio.to_thread(api.wait_for, method, count, **kwargs)


# ------------------------------------------------------------------ staff commands


@pytest.mark.parametrize("command", ["/stats", "/unanswered", "/reload"])
async def test_staff_commands_answer_only_in_a_private_chat(api: FakeBotApi, command: str) -> None:
    async with polling(app_for(api)):
        api.push(api.text_update(f"{command}@{api.username}", chat_id=-100, chat_type="group", user_id=STAFF))
        api.push(api.text_update(command, chat_id=STAFF, user_id=STAFF))
        replies = await sent(api, "sendMessage", 2)
    in_group = next(r.params["text"] for r in replies if r.params["chat_id"] == -100)
    in_private = next(r.params["text"] for r in replies if r.params["chat_id"] == STAFF)
    assert in_group == ENGINE.message("unknown_command").text
    assert in_private != ENGINE.message("unknown_command").text


async def test_unanswered_in_a_group_shows_no_stored_question(api: FakeBotApi) -> None:
    rows = Rows()
    rows.questions.append("can I bring my dog")
    async with polling(app_for(api, recorder=rows)):
        api.push(api.text_update(f"/unanswered@{api.username}", chat_id=-100, chat_type="group", user_id=STAFF))
        replies = await sent(api, "sendMessage")
    assert "dog" not in replies[0].params["text"]


# ------------------------------------------------------------------ flood control and repeats


async def test_inline_queries_share_the_per_user_limit(api: FakeBotApi) -> None:
    queries = [api.inline_update("trigger point") for _ in range(4)]
    other = api.inline_update("trigger point", user_id=777)  # another user is not affected
    async with polling(app_for(api, flood_limit=2)):
        api.push(*queries, api.text_update("what is a trigger point"), other)  # the message: same user, over the limit
        await sent(api, "answerInlineQuery", 3)
        await asyncio.sleep(0.5)
    answered = [c.params["inline_query_id"] for c in api.calls("answerInlineQuery")]
    assert sorted(answered) == sorted(u["inline_query"]["id"] for u in (*queries[:2], other))
    assert api.sent_texts() == []  # over the budget: one notice per burst, and an inline query cannot show it


async def test_button_presses_over_the_limit_are_still_acknowledged(api: FakeBotApi) -> None:
    async with polling(app_for(api, flood_limit=2)):
        api.push(*(api.callback_update("faq:trigger-point") for _ in range(4)))
        acknowledged = await sent(api, "answerCallbackQuery", 4)
    assert len(api.calls("editMessageText")) == 2  # only the presses within the budget are answered
    notices = [c.params.get("text") for c in acknowledged if c.params.get("text")]
    assert len(notices) == 1 and notices[0].endswith(ENGINE.disclaimer)


async def test_an_update_sent_twice_is_answered_once(api: FakeBotApi) -> None:
    first = api.text_update("what is a trigger point")
    first["update_id"] = 41
    async with polling(app_for(api)):
        api.push(first, copy.deepcopy(first), api.text_update("what is winding"))
        await sent(api, "sendMessage", 2)
        await asyncio.sleep(0.5)
    assert api.sent_texts() == [ENGINE.answer("what is a trigger point").text, ENGINE.answer("what is winding").text]


def malformed_update() -> dict[str, Any]:
    """A message without its chat or date: python-telegram-bot cannot parse it."""
    return {"message": {"message_id": 9, "text": "my name is Carla Ruiz, 555-867-5309", "from": {"id": 5, "is_bot": False, "first_name": "Carla"}}}


async def test_a_malformed_update_puts_nothing_of_the_patient_in_the_log(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):  # the bot's level (DEBUG would show every API call's data)
        async with polling(app_for(api)):
            api.push(malformed_update())
            for _ in range(100):
                if any(r.levelno >= logging.CRITICAL for r in caplog.records):
                    break
                await asyncio.sleep(0.05)
            api.discard_updates()  # python-telegram-bot would fetch it again and again
    critical = [r for r in caplog.records if r.levelno >= logging.CRITICAL]
    assert critical and "not logged" in critical[0].getMessage()
    assert "Carla" not in caplog.text and "867" not in caplog.text


def test_run_with_a_broken_data_folder_warns_once_and_answers(api: FakeBotApi, tmp_path: Any) -> None:
    import signal

    from .test_telegram import run_bot

    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    process = run_bot(api, env={"BOT_DATA_DIR": str(blocker)})
    try:
        api.wait_for("setMyCommands", timeout=20)
        api.push(api.text_update("can I bring my dog"))
        assert api.wait_for("sendMessage", timeout=20)[0].params["text"] == ENGINE.answer("can I bring my dog").text
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "BOT_DATA_DIR" in line and "WARNING" in line] == [
        next(line for line in err.splitlines() if "unanswered-question log is off" in line)
    ]
