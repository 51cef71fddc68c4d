"""Settings of the Telegram side, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    token: str
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    max_retries: int = 3
    staff_ids: frozenset[int] = frozenset()
    reload_interval: float = 3.0
    flood_limit: int = 20  # messages per user per minute
    read_timeout: float | None = None  # seconds; None keeps python-telegram-bot's default

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **options: object) -> Settings:
        """Build settings from the environment; raises ``ValueError`` with a one-line reason."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ValueError(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram (send /newbot), "
                "then run: TELEGRAM_BOT_TOKEN=<token> python bot.py run"
            )
        values = {k: v for k, v in options.items() if v is not None}
        # Webhook mode can come from the environment too (a service's env file, a container), flags win.
        for key, variable in (("webhook_url", "TELEGRAM_WEBHOOK_URL"), ("listen", "BOT_LISTEN")):
            if key not in values and env.get(variable, "").strip():
                values[key] = env[variable].strip()
        raw_port = env.get("BOT_PORT", "").strip()
        if "port" not in values and raw_port:
            if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
                raise ValueError(f"BOT_PORT must be a port number (1-65535), not {raw_port!r}")
            values["port"] = int(raw_port)
        webhook_url = values.get("webhook_url")
        secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or None
        if webhook_url and not secret:  # from --webhook-url or TELEGRAM_WEBHOOK_URL
            raise ValueError(
                "webhook mode needs TELEGRAM_WEBHOOK_SECRET (1-256 characters A-Z, a-z, 0-9, _ and -), "
                "so that forged requests are refused"
            )
        if secret and not all(c.isalnum() or c in "_-" for c in secret) or (secret and len(secret) > 256):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET may only use A-Z, a-z, 0-9, _ and - (at most 256 characters)")
        raw_staff = env.get("STAFF_USER_IDS", "")
        try:
            staff = frozenset(int(part) for part in raw_staff.replace(" ", "").split(",") if part)
        except ValueError:
            raise ValueError(f"STAFF_USER_IDS must be Telegram user ids separated by commas, not {raw_staff!r}") from None
        raw_limit = env.get("BOT_FLOOD_LIMIT", "").strip() or "20"
        if not raw_limit.isdigit() or int(raw_limit) < 1:
            raise ValueError(f"BOT_FLOOD_LIMIT must be a whole number of messages per minute (1 or more), not {raw_limit!r}")
        return cls(
            token=token,
            base_url=env.get("TELEGRAM_BASE_URL") or None,
            webhook_secret=secret,
            staff_ids=staff,
            flood_limit=int(raw_limit),
            **values,
        )

