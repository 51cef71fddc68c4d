"""Setting the bot up: /whoami for STAFF_USER_IDS, and every Telegram setting from the environment."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from intents import Engine
from telegram_bot import Settings, StaticSource, build_application

from .conftest import FAQ_PATH
from .fake_bot_api import FakeBotApi, polling

ENGINE = Engine.from_file(FAQ_PATH)
UNKNOWN = ENGINE.message("unknown_command").text


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


async def test_whoami_tells_a_private_user_their_id_and_logs_nothing_of_it(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    app = build_application(Settings(token=api.token, base_url=api.base_url), source=StaticSource(ENGINE))
    async with polling(app):
        api.push(api.text_update("/whoami", user_id=987654321, chat_id=987654321))
        await asyncio.to_thread(api.wait_for, "sendMessage", 1, timeout=20)
        api.push(api.text_update(f"/whoami@{api.username}", chat_type="group", chat_id=-100, user_id=555000111))
        api.push(api.text_update("/whoami", chat_type="group", chat_id=-100, user_id=555000222))  # not addressed: silence
        sent = await asyncio.to_thread(api.wait_for, "sendMessage", 2, timeout=20)
        await asyncio.sleep(1)
    private, group = sent[0].params, sent[1].params
    assert private["chat_id"] == 987654321
    assert "Your Telegram user id is 987654321." in private["text"] and "STAFF_USER_IDS" in private["text"]
    assert private["text"].endswith(ENGINE.disclaimer)
    assert group["chat_id"] == -100 and group["text"] == UNKNOWN and "555000111" not in group["text"]
    assert len(api.calls("sendMessage")) == 2
    assert not any(str(uid) in caplog.text for uid in (987654321, 555000111, 555000222))
    assert "whoami" in caplog.text


def test_whoami_is_not_in_the_patients_menu() -> None:
    from telegram_bot import COMMANDS

    assert "whoami" not in {name for name, _ in COMMANDS}


@pytest.mark.parametrize(
    ("env", "flags", "expected"),
    [
        ({}, {}, (None, "127.0.0.1", 8443)),
        ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram", "TELEGRAM_WEBHOOK_SECRET": "s3cret", "BOT_LISTEN": "0.0.0.0", "BOT_PORT": "8080"},
         {}, ("https://bot.example.org/telegram", "0.0.0.0", 8080)),
        ({"TELEGRAM_WEBHOOK_URL": "https://a.example/telegram", "TELEGRAM_WEBHOOK_SECRET": "s3cret", "BOT_PORT": "8080"},
         {"webhook_url": "https://b.example/telegram", "port": 9000}, ("https://b.example/telegram", "127.0.0.1", 9000)),
        ({"BOT_LISTEN": " ", "BOT_PORT": ""}, {"listen": None, "port": None}, (None, "127.0.0.1", 8443)),
    ],
)
def test_webhook_settings_come_from_the_environment_and_flags_win(env: dict[str, str], flags: dict[str, object], expected: tuple[object, ...]) -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a", **env}, **flags)
    assert (settings.webhook_url, settings.listen, settings.port) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BOT_PORT": "eighty"}, "BOT_PORT must be a port number"),
        ({"BOT_PORT": "70000"}, "BOT_PORT must be a port number"),
        ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram"}, "TELEGRAM_WEBHOOK_SECRET"),
    ],
)
def test_bad_webhook_settings_are_one_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:a", **env})
