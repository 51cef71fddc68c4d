"""Staff teach the bot from Telegram: /unanswered and its buttons, through the stand-in Bot API server."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curation import AUDIT_LOG, Curator
from intents import Engine
from intents.live import LiveFaq
from storage import LogSettings, UnansweredLog
from telegram_bot import MAX_CALLBACK_BYTES, Settings, build_application

from .conftest import FAQ_PATH
from .fake_bot_api import FakeBotApi, polling

ENGINE = Engine.from_file(FAQ_PATH)
SHIPPED = FAQ_PATH.read_text(encoding="utf-8")
STAFF, PATIENT = 77, 501


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[tuple[Path, LiveFaq, UnansweredLog, Curator]]:
    faq = tmp_path / "faq.yaml"
    shutil.copyfile(FAQ_PATH, faq)
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    for question in ("what do you call a knot in a muscle", "what do you call a knot in the muscle", "can i bring my dog"):
        log.record(question, ENGINE.reply("fallback", "x"))
    for question in ("how much does it cost", "how much is a session"):
        log.record(question, ENGINE.answer(question))
    live = LiveFaq(faq, interval=3600)
    curator = Curator(faq, log, data_dir=tmp_path / "data", reload=live.reload)
    yield faq, live, log, curator
    log.close()


def app_for(api: FakeBotApi, live: LiveFaq, log: UnansweredLog, curator: Curator) -> Any:
    settings = Settings(token=api.token, base_url=api.base_url, staff_ids=frozenset({STAFF}))
    return build_application(settings, source=live, recorder=log, curator=curator)


def buttons(call: Any) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def wait(api: FakeBotApi, method: str, count: int) -> list[Any]:
    return await asyncio.to_thread(api.wait_for, method, count)


def tap(api: FakeBotApi, data: str, *, user: int = STAFF) -> None:
    api.push(api.callback_update(data, user_id=user, chat_id=user))


async def test_unanswered_shows_groups_with_buttons_and_each_tap_teaches(api: FakeBotApi, clinic) -> None:
    faq, live, log, curator = clinic
    async with polling(app_for(api, live, log, curator)):
        api.push(api.text_update("/unanswered", user_id=STAFF, chat_id=STAFF))
        header, *groups = await wait(api, "sendMessage", 4)
        assert "3 groups to review" in header.params["text"]
        assert "Not-covered topics patients hit most: cost-insurance 2" in header.params["text"]
        by_example = {next(w for w in ("knot", "dog", "cost") if w in g.params["text"]): g for g in groups}
        for group in groups:
            assert group.params["text"].endswith(ENGINE.disclaimer)
            assert all(len(data.encode()) <= MAX_CALLBACK_BYTES for _, data in buttons(group))
        knot = buttons(by_example["knot"])
        assert [label for label, _ in knot] == ["Add to What is a trigger point?", "Pick entry\u2026", "Not covered", "Dismiss"]
        assert [label for label, _ in buttons(by_example["cost"])] == ["Pick entry\u2026", "Dismiss"]  # already a topic

        # "Add to <nearest entry>": one tap
        tap(api, knot[0][1])
        (edit,) = await wait(api, "editMessageText", 1)
        assert "Added 'what do you call a knot in a muscle' to entry 'trigger-point'" in edit.params["text"]
        assert edit.params["text"].endswith(ENGINE.disclaimer) and "reply_markup" not in edit.params
        assert "      - what do you call a knot in a muscle\n" in faq.read_text(encoding="utf-8")
        assert live.engine.answer("what do you call a knot in a muscle").faq_id == "trigger-point"  # reloaded at once

        # "Not covered" -> pick the topic
        dog = buttons(by_example["dog"])
        tap(api, dict(dog)["Not covered"])
        topics = (await wait(api, "editMessageText", 2))[1]
        choices = dict(buttons(topics))
        assert "off-topic" in choices and "\u2b05 Back" in choices
        tap(api, choices["off-topic"])
        done = (await wait(api, "editMessageText", 3))[2].params["text"]
        assert "Added 'can i bring my dog' as a keyword of not-covered topic 'off-topic'" in done
        assert live.engine.answer("can i bring my dog").intent == "off-topic"

        # "Dismiss"
        tap(api, dict(buttons(by_example["cost"]))["Dismiss"])
        dismissed = (await wait(api, "editMessageText", 4))[3].params["text"]
        assert "Dismissed group" in dismissed and "how much" in dismissed
        await wait(api, "answerCallbackQuery", 4)

        api.push(api.text_update("/unanswered", user_id=STAFF, chat_id=STAFF))
        last = (await wait(api, "sendMessage", 5))[4].params["text"]
        assert last.startswith("Nothing unanswered to review")
    audit = [line.split("\t")[1:3] for line in (faq.parent / "data" / AUDIT_LOG).read_text(encoding="utf-8").splitlines()]
    assert audit == [["add-alternate", "trigger-point"], ["add-keyword", "off-topic"], ["dismiss", "cost-insurance"]]


async def test_pick_entry_lists_every_entry_and_teaches_the_one_tapped(api: FakeBotApi, clinic) -> None:
    faq, live, log, curator = clinic
    group = next(g for g in curator.groups(ENGINE) if "knot" in g.group.example)
    async with polling(app_for(api, live, log, curator)):
        tap(api, f"t:p:{group.key}")
        (menu,) = await wait(api, "editMessageText", 1)
        choices = buttons(menu)
        assert [data for _, data in choices[:-1]] == [f"t:a:{group.key}:{e.id}" for e in ENGINE.content.faqs]
        tap(api, choices[-1][1])  # back
        back = (await wait(api, "editMessageText", 2))[1]
        assert [label for label, _ in buttons(back)][-1] == "Dismiss"
        tap(api, f"t:a:{group.key}:trigger-point")
        done = (await wait(api, "editMessageText", 3))[2].params["text"]
    assert "to entry 'trigger-point'" in done
    assert faq.read_text(encoding="utf-8") != SHIPPED


async def test_a_refused_tap_keeps_the_buttons_and_says_why(api: FakeBotApi, clinic) -> None:
    faq, live, log, curator = clinic
    log.record("what is a trigger point", ENGINE.reply("fallback", "x"))
    group = next(g for g in curator.groups(ENGINE) if g.group.example == "what is a trigger point")
    async with polling(app_for(api, live, log, curator)):
        tap(api, f"t:a:{group.key}:scar-tissue")
        (edit,) = await wait(api, "editMessageText", 1)
    assert "faq.yaml was not changed" in edit.params["text"] and "duplicate phrasing" in edit.params["text"]
    assert [label for label, _ in buttons(edit)][-1] == "Dismiss"
    assert faq.read_text(encoding="utf-8") == SHIPPED


@pytest.mark.parametrize(
    ("who", "data", "notice"),
    [
        (PATIENT, "t:d:{key}", "out of date. Send /topics"),  # a patient with a forged button: staff are not revealed
        (PATIENT, "t:a:{key}:trigger-point", "out of date. Send /topics"),
        (STAFF, "t:d:999999", "Send /unanswered again"),  # no such group
        (STAFF, "t:a:{key}:no-such-entry", "Send /unanswered again"),
        (STAFF, "t:k:{key}:no-such-topic", "Send /unanswered again"),
        (STAFF, "t:zz:{key}", "Send /unanswered again"),
        (STAFF, "t:a:{key}", "Send /unanswered again"),  # an action without its entry
        (STAFF, "t:d:{key}:extra:parts", "Send /unanswered again"),
    ],
    ids=["patient-dismiss", "patient-add", "unknown-group", "unknown-entry", "unknown-topic", "unknown-action", "no-entry", "malformed"],
)
async def test_forged_or_stale_buttons_change_nothing(api: FakeBotApi, clinic, who: int, data: str, notice: str) -> None:
    faq, live, log, curator = clinic
    before = curator.groups(ENGINE)
    key = before[0].key
    async with polling(app_for(api, live, log, curator)):
        tap(api, data.format(key=key), user=who)
        (answer,) = await wait(api, "answerCallbackQuery", 1)
        api.push(api.text_update("hi", user_id=PATIENT))
        await wait(api, "sendMessage", 1)  # still alive
    assert notice in answer.params["text"] and answer.params.get("show_alert")
    assert answer.params["text"].endswith(ENGINE.disclaimer) and len(answer.params["text"]) <= 200
    assert api.calls("editMessageText") == []
    assert faq.read_text(encoding="utf-8") == SHIPPED
    assert curator.groups(ENGINE) == before
    assert not (faq.parent / "data" / AUDIT_LOG).exists()


async def test_a_dismissed_group_button_is_stale(api: FakeBotApi, clinic) -> None:
    faq, live, log, curator = clinic
    group = curator.groups(ENGINE)[0]
    curator.dismiss(group)
    async with polling(app_for(api, live, log, curator)):
        tap(api, f"t:d:{group.key}")
        (answer,) = await wait(api, "answerCallbackQuery", 1)
    assert "Send /unanswered again" in answer.params["text"]


async def test_staff_messages_are_not_logged_as_questions(api: FakeBotApi, clinic) -> None:
    faq, live, log, curator = clinic
    before = len(log.unanswered())
    async with polling(app_for(api, live, log, curator)):
        api.push(api.text_update("what does parking cost", user_id=STAFF, chat_id=STAFF))
        api.push(api.text_update("how much does parking cost", user_id=PATIENT))
        await wait(api, "sendMessage", 2)
    assert [row.question for row in log.unanswered()][before:] == ["how much does parking cost"]
