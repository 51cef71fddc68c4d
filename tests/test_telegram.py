"""The Telegram bot end to end, against the stand-in Bot API server on 127.0.0.1.

The user-experience tests drive the real Application in-process; the process
tests run the real ``python bot.py run``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

import telegram_bot
from intents import Engine, Reply
from telegram_bot import MAX_CALLBACK_BYTES, Settings, StaticSource, build_application, fit, render

from .conftest import FAQ_PATH, ROOT
from .fake_bot_api import FakeBotApi, polling

ENGINE = Engine.from_file(FAQ_PATH)
LIMIT = 4096


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


class ListRecorder:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []

    def record(self, question: str, reply: Reply) -> None:
        self.rows.append((question, reply.kind))


def running(api: FakeBotApi, recorder: Any = None):
    app = build_application(Settings(token=api.token, base_url=api.base_url), source=StaticSource(ENGINE), recorder=recorder)
    return polling(app)


async def wait_for(api: FakeBotApi, method: str, count: int = 1, **kwargs: Any) -> list[Any]:
    return await asyncio.to_thread(api.wait_for, method, count, **kwargs)


def assert_well_formed(text: str) -> None:
    assert len(text) <= LIMIT
    assert text.endswith(ENGINE.disclaimer)


# ------------------------------------------------------------------ pure rendering


def test_render_faq_has_related_buttons_and_back_to_topics() -> None:
    out = render(ENGINE.answer("what is a trigger point"), ENGINE)
    assert_well_formed(out.text)
    data = [d for row in out.buttons for _, d in row]
    entry = ENGINE.entry("trigger-point")
    assert data[:-1] == [f"faq:{r}" for r in entry.related[:3]]
    assert data[-1] == "topics"


def test_render_clarify_offers_suggestions_and_none_of_these() -> None:
    reply = ENGINE.answer("needle muscle twitch knot")
    if reply.kind != "clarify":  # build one explicitly if the matcher became sure
        reply = ENGINE.reply("clarify", "Did you mean?", suggestions=ENGINE.answer("x").suggestions)
    out = render(reply, ENGINE)
    data = [d for row in out.buttons for _, d in row]
    assert data[-1] == "none"
    assert all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in data)


def test_fit_never_cuts_the_disclaimer() -> None:
    text = fit("word " * 2000, ENGINE.disclaimer)
    assert_well_formed(text)
    assert len(text) == LIMIT


def test_every_callback_fits_in_64_bytes() -> None:
    for entry in ENGINE.content.faqs:
        assert len(telegram_bot.callback_for(entry.id).encode()) <= MAX_CALLBACK_BYTES


def test_settings_need_a_token_and_a_webhook_secret() -> None:
    with pytest.raises(ValueError, match="@BotFather"):
        Settings.from_env({})
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a"}, webhook_url="https://x.example/telegram")
    with pytest.raises(ValueError, match="may only use"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_SECRET": "bad secret!"})
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": " 1:a ", "TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot"})
    assert (settings.token, settings.base_url) == ("1:a", "http://127.0.0.1:1/bot")


# ------------------------------------------------------------------ what users get


async def test_start_registers_commands_and_welcomes(api: FakeBotApi) -> None:
    async with running(api):
        commands = (await wait_for(api, "setMyCommands"))[0].params["commands"]
        assert {c["command"] for c in commands} >= {"start", "topics", "help", "about", "disclaimer"}
        for command in ("/start", "/help", "/about", "/disclaimer"):
            api.push(api.text_update(command))
        sent = await wait_for(api, "sendMessage", 4)
    texts = [c.params["text"] for c in sent]
    for text in texts:
        assert_well_formed(text)
    assert "/topics" in texts[0]
    assert all("parse_mode" not in c.params for c in sent)


async def test_private_question_gets_the_engine_reply_with_buttons(api: FakeBotApi) -> None:
    recorder = ListRecorder()
    async with running(api, recorder):
        api.push(api.text_update("what's a knot in a muscle?"))
        sent = (await wait_for(api, "sendMessage"))[0].params
    assert sent["text"] == ENGINE.answer("what's a knot in a muscle?").text
    buttons = [b["callback_data"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[-1] == "topics"
    assert recorder.rows == [("what's a knot in a muscle?", "faq")]


async def test_user_text_is_never_sent_as_markup(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.text_update("<b>hi</b> *bold* [link](http://x)"))
        sent = (await wait_for(api, "sendMessage"))[0].params
    assert "parse_mode" not in sent
    assert_well_formed(sent["text"])


async def test_clarify_buttons_and_none_of_these(api: FakeBotApi) -> None:
    question = next(q for q in ("needle muscle", "needle in the muscle hurts", "knot twitch needle") if ENGINE.answer(q).kind == "clarify")
    async with running(api):
        api.push(api.text_update(question))
        sent = (await wait_for(api, "sendMessage"))[0].params
        data = [b["callback_data"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]
        assert data[-1] == "none" and data[0].startswith("faq:")
        api.push(api.callback_update(data[0]), api.callback_update("none"))
        edits = await wait_for(api, "editMessageText", 2)
        await wait_for(api, "answerCallbackQuery", 2)
    chosen = ENGINE.faq(data[0][4:])
    assert edits[0].params["text"] == fit(chosen.body, ENGINE.disclaimer)
    assert "don't have a better answer" in edits[1].params["text"]
    for edit in edits:
        assert_well_formed(edit.params["text"])


async def test_topics_menu_navigation(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.text_update("/topics"))
        menu = (await wait_for(api, "sendMessage"))[0].params
        data = [b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
        assert data == [f"faq:{e.id}" for e in ENGINE.content.faqs]
        api.push(api.callback_update("faq:winding"))
        answer = (await wait_for(api, "editMessageText"))[0].params
        back = [b["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for b in row]
        assert "topics" in back
        api.push(api.callback_update("topics"))
        again = (await wait_for(api, "editMessageText", 2))[1].params
    assert answer["text"].startswith(ENGINE.entry("winding").answer[:40])
    assert_well_formed(menu["text"])
    assert_well_formed(again["text"])


async def test_stale_or_unknown_button_gets_a_notice(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.callback_update("faq:no-longer-here"), api.callback_update("garbage\u0000data"))
        notices = await wait_for(api, "answerCallbackQuery", 2)
        api.push(api.text_update("hi"))
        await wait_for(api, "sendMessage")  # still alive
    for call in notices:
        assert "out of date" in call.params["text"]
        assert call.params["text"].endswith(ENGINE.disclaimer)
        assert len(call.params["text"]) <= 200
    assert api.calls("editMessageText") == []


async def test_non_text_messages_get_a_text_only_notice(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.sticker_update())
        sent = (await wait_for(api, "sendMessage"))[0].params
    assert "only read text" in sent["text"]
    assert_well_formed(sent["text"])


async def test_forwarded_question_is_answered(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.text_update("does the needle thing help with scar tissue from her knee surgery?", forward=True))
        sent = (await wait_for(api, "sendMessage"))[0].params
    assert_well_formed(sent["text"])
    assert "scar" in sent["text"].lower()


async def test_groups_answer_only_when_addressed(api: FakeBotApi) -> None:
    group = {"chat_id": -500, "chat_type": "group"}
    async with running(api):
        api.push(api.text_update("what is a trigger point", **group))  # not addressed: silence
        api.push(api.mention_update("what is winding?", **group))
        api.push(api.text_update("and what is pistoning?", reply_to_bot=True, **group))
        api.push(api.text_update("/ask what is e-stim", **group))
        sent = await wait_for(api, "sendMessage", 3)
        await asyncio.sleep(0.5)
    assert len(api.calls("sendMessage")) == 3
    texts = [c.params["text"] for c in sent]
    assert texts[0] == ENGINE.answer("what is winding?").text
    assert texts[1] == ENGINE.answer("and what is pistoning?").text
    assert texts[2] == ENGINE.answer("what is e-stim").text


async def test_edited_messages_and_channel_posts_are_ignored(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.text_update("what is a trigger point", edited=True))
        channel = api.text_update("what is winding", chat_id=-900, chat_type="channel")
        api.push({"channel_post": channel["message"]})
        api.push(api.text_update("hi"))
        await wait_for(api, "sendMessage")
        await asyncio.sleep(0.5)
    assert len(api.calls("sendMessage")) == 1


async def test_inline_mode_offers_answers_with_the_disclaimer(api: FakeBotApi) -> None:
    async with running(api):
        api.push(api.inline_update("twitch"), api.inline_update(""), api.inline_update("zzzz qqqq"))
        calls = await wait_for(api, "answerInlineQuery", 3)
    by_query = [c.params["results"] for c in calls]
    assert by_query[0][0]["id"] == "local-twitch-response"
    assert len(by_query[1]) == 5
    assert by_query[2][0]["id"] == "not-in-faq"
    for results in by_query:
        assert 1 <= len(results) <= 5
        for result in results:
            assert_well_formed(result["input_message_content"]["message_text"])


async def test_flood_control_429_is_waited_out_and_delivered(api: FakeBotApi) -> None:
    api.fail("sendMessage", "429", retry_after=1)
    async with running(api):
        started = time.monotonic()
        api.push(api.text_update("what is pistoning"))
        sent = await wait_for(api, "sendMessage", timeout=15)
        waited = time.monotonic() - started
    assert waited >= 1.0
    assert sent[0].params["text"] == ENGINE.answer("what is pistoning").text


async def test_other_api_errors_are_logged_and_the_bot_goes_on(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    api.fail("sendMessage", "500")
    api.fail("sendMessage", "403")  # "bot was blocked by the user"
    async with running(api):
        api.push(api.text_update("hi", chat_id=1), api.text_update("hi", chat_id=2), api.text_update("what is winding", chat_id=3))
        sent = await wait_for(api, "sendMessage", where=lambda c: c.params.get("chat_id") == 3)
    assert sent[0].params["text"] == ENGINE.answer("what is winding").text
    assert "update=1 not answered: NetworkError: Internal Server Error" in caplog.text
    assert "update=2 not answered: Forbidden: Forbidden: bot was blocked by the user" in caplog.text
    assert len(api.calls("sendMessage")) == 1  # no second attempt at a chat that failed


# ------------------------------------------------------------------ the real process


def run_bot(api: FakeBotApi | None, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    if api is not None:
        full_env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url)
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "run", *args],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_missing_token_says_how_to_get_one() -> None:
    process = run_bot(None)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert err.strip().splitlines() == [err.strip()]
    assert "@BotFather" in err and "Traceback" not in err


def test_rejected_token_is_one_clear_line(api: FakeBotApi) -> None:
    process = run_bot(api, env={"TELEGRAM_BOT_TOKEN": "999:WRONG"})
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in err
    assert "Traceback" not in err and "999:WRONG" not in err


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_polling_process_answers_and_stops_cleanly(api: FakeBotApi, stop_signal: signal.Signals) -> None:
    process = run_bot(api)
    try:
        api.wait_for("setMyCommands", timeout=20)
        api.push(api.text_update("what is a trigger point?"))
        sent = api.wait_for("sendMessage", timeout=20)[0].params
        assert sent["text"] == ENGINE.answer("what is a trigger point?").text
    finally:
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert api.token not in err and "what is a trigger point" not in err
    assert "kind=faq faq_id=trigger-point" in err


def test_webhook_refuses_forged_requests(api: FakeBotApi) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram"
    process = run_bot(api, "--webhook-url", url, "--listen", "127.0.0.1", "--port", str(port), env={"TELEGRAM_WEBHOOK_SECRET": "s3cret-token"})
    try:
        registered = api.wait_for("setWebhook", timeout=20)[0].params
        assert registered["url"] == url and registered["secret_token"] == "s3cret-token"
        update = json.dumps({"update_id": 1, **api.text_update("what is winding")}).encode()

        def post(secret: str | None) -> int:
            headers = {"Content-Type": "application/json"}
            if secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = secret
            request = urllib.request.Request(url, data=update, headers=headers)
            for _ in range(50):
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        return response.status
                except urllib.error.HTTPError as exc:
                    return exc.code
                except OSError:
                    time.sleep(0.1)  # server not listening yet
            raise AssertionError("webhook server never answered")

        assert post(None) == 403
        assert post("wrong") == 403
        assert api.calls("sendMessage") == []
        assert post("s3cret-token") == 200
        assert api.wait_for("sendMessage", timeout=20)[0].params["text"] == ENGINE.answer("what is winding").text
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
