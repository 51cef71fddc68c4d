"""Conversations on Telegram, against the stand-in Bot API server: context per chat and forum topic,
expiry, /start, the memory bound, worried patients, other languages, and the console saying the same."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from intents import Engine
from intents.conversation import Conversations
from telegram_bot import Settings, StaticSource, build_application

from .conftest import FAQ_PATH, ROOT
from .fake_bot_api import FakeBotApi, polling

ENGINE = Engine.from_file(FAQ_PATH)


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def running(api: FakeBotApi, conversations: Conversations | None = None):
    settings = Settings(token=api.token, base_url=api.base_url)
    return polling(build_application(settings, source=StaticSource(ENGINE), conversations=conversations))


async def replies(api: FakeBotApi, *updates: dict[str, Any]) -> list[dict[str, Any]]:
    """Push updates one at a time (each waits for its reply) and return what was sent, in order."""
    sent = []
    for update in updates:
        before = len(api.calls("sendMessage"))
        api.push(update)
        calls = await asyncio.to_thread(api.wait_for, "sendMessage", before + 1)
        sent.append(calls[before].params)
    return sent


def faq_of(params: dict[str, Any]) -> str | None:
    """The FAQ entry a sent message answers, found by its text."""
    for entry in ENGINE.content.faqs:
        if ENGINE.faq(entry.id).body in params["text"]:
            return entry.id
    return None


async def test_follow_up_in_one_chat_with_an_unrelated_chat_in_between(api: FakeBotApi) -> None:
    async with running(api):
        sent = await replies(
            api,
            api.text_update("what is e-stim", chat_id=1, user_id=1),
            api.text_update("what is pistoning", chat_id=2, user_id=2),
            api.text_update("what frequency", chat_id=1, user_id=1),
            api.text_update("and winding?", chat_id=2, user_id=2),
            api.text_update("the first one", chat_id=2, user_id=2),
        )
    assert [faq_of(p) for p in sent] == ["electrical-stimulation", "pistoning", "estim-frequency", "winding", "scar-tissue"]
    assert all(p["text"].endswith(ENGINE.disclaimer) for p in sent)


async def test_each_forum_topic_of_a_group_is_its_own_conversation(api: FakeBotApi) -> None:
    group = {"chat_id": -900, "chat_type": "supergroup"}
    async with running(api):
        sent = await replies(
            api,
            api.text_update("/ask what types of dry needling are there", thread_id=11, **group),
            api.text_update("/ask what is a trigger point", thread_id=12, **group),
            api.text_update("/ask the third one", thread_id=11, **group),
            api.text_update("/ask how does the needle fix it?", thread_id=12, **group),
        )
    assert [faq_of(p) for p in sent] == ["techniques", "trigger-point", "electrical-stimulation", "trigger-point-release"]
    assert [p.get("message_thread_id") for p in sent] == [11, 12, 11, 12]  # each answer in its own topic


async def test_context_expires_and_start_resets_it(api: FakeBotApi) -> None:
    clock = Clock()
    async with running(api, Conversations(clock=clock)):
        first = await replies(api, api.text_update("what is e-stim"), api.text_update("why?"))
        clock.now += 31 * 60
        expired = await replies(api, api.text_update("why?"))
        again = await replies(api, api.text_update("what is pistoning"), api.text_update("/start"), api.text_update("why?"))
    assert [faq_of(p) for p in first] == ["electrical-stimulation", "electrical-stimulation"]
    no_context = ENGINE.content.fill(ENGINE.content.conversation["no_context"])
    assert expired[0]["text"].startswith(no_context)
    assert again[2]["text"].startswith(no_context)


async def test_memory_holds_at_most_its_bound_of_conversations(api: FakeBotApi) -> None:
    store = Conversations(capacity=2)
    async with running(api, store):
        sent = await replies(
            api,
            api.text_update("what is e-stim", chat_id=1, user_id=1),
            api.text_update("what is pistoning", chat_id=2, user_id=2),
            api.text_update("what is winding", chat_id=3, user_id=3),
            api.text_update("why?", chat_id=1, user_id=1),  # the oldest was forgotten
            api.text_update("why?", chat_id=3, user_id=3),
        )
    assert len(store) == 2
    assert faq_of(sent[3]) is None and faq_of(sent[4]) == "winding"


async def test_worried_patient_gets_an_acknowledgement_then_the_answer(api: FakeBotApi) -> None:
    async with running(api):
        sent = await replies(api, api.text_update("I'm really scared of needles"), api.text_update("i'm nervous, who does the needling?"))
    worries = {w.id: ENGINE.content.fill(w.reply) for w in ENGINE.content.worried}
    assert sent[0]["text"].startswith(worries["fear-of-needles"]) and faq_of(sent[0]) == "what-does-it-feel-like"
    assert sent[1]["text"].startswith(worries["nervous"]) and faq_of(sent[1]) == "who-performs"


async def test_other_languages_get_a_reply_in_that_language(api: FakeBotApi) -> None:
    replies_by_code = {language.id: ENGINE.content.fill(language.reply) for language in ENGINE.content.languages}
    async with running(api):
        sent = await replies(
            api,
            api.text_update("¿Duele mucho la punción seca?"),
            api.text_update("merci", language_code="fr"),  # too short to tell: the user's Telegram language decides
            api.text_update("thx", language_code="fr"),  # an English word of the FAQ stays English
        )
    assert sent[0]["text"].startswith(replies_by_code["es"])
    assert sent[1]["text"].startswith(replies_by_code["fr"])
    assert not any(sent[2]["text"].startswith(text) for text in replies_by_code.values())
    assert all(p["text"].endswith(ENGINE.disclaimer) for p in sent)


CONVERSATION = [
    "hi",
    "what kinds of dry needling are there",
    "2",
    "why?",
    "tell me more",
    "1",
    "does insurance cover it",
    "why?",
    "needle muscle twitch knot",
    "I'm nervous about my first session",
    "¿Qué es la punción seca?",
    "/start",
    "why?",
]


async def test_console_and_telegram_say_the_same_in_the_same_conversation(api: FakeBotApi) -> None:
    console = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "chat"],
        input="\n".join(CONVERSATION) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        encoding="utf-8",
    )
    assert console.returncode == 0, console.stderr
    said = [part.rstrip("\n") for part in console.stdout.split("bot> ")[1:]]
    async with running(api):
        sent = await replies(api, *(api.text_update(text) for text in CONVERSATION))
    assert said == [p["text"] for p in sent]
