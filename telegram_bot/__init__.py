"""The Telegram side of the bot (python-telegram-bot 22), split by concern.

Handlers are thin: each turns an Update into a neutral :class:`Incoming`
message at the edge, asks the engine, and turns the :class:`~intents.Reply`
into a Telegram message with :func:`render`. Everything about what is said
lives in the engine and ``faq.yaml``; everything here is about delivery.

- :mod:`.settings`: :class:`Settings` read from the environment
- :mod:`.render`: outgoing messages, buttons, inline results, incoming messages
- :mod:`.flood`: :class:`FloodGuard`, the per-user message budget
- :mod:`.base`: what every handler shares (engine source, recorder, sending)
- :mod:`.patient`: the patient's chat: commands, questions, buttons, inline mode
- :mod:`.staff`: staff-only commands
- :mod:`.setup`: /whoami, for whoever sets the bot up
- :mod:`.app`: the Application: registration, error handler, FAQ watching, polling or webhook
"""

from .app import Handlers, _OneLineErrors, build_application, configure_logging, register, run
from .base import EngineSource, Recorder, StaticSource
from .flood import FloodGuard
from .render import (
    CB_FAQ,
    CB_NONE,
    CB_TOPICS,
    COMMANDS,
    MAX_CALLBACK_BYTES,
    Incoming,
    Outgoing,
    callback_for,
    fit,
    incoming_from,
    inline_results,
    notice,
    render,
    topics_message,
)
from .settings import Settings

__all__ = [
    "CB_FAQ",
    "CB_NONE",
    "CB_TOPICS",
    "COMMANDS",
    "MAX_CALLBACK_BYTES",
    "EngineSource",
    "FloodGuard",
    "Handlers",
    "Incoming",
    "Outgoing",
    "Recorder",
    "Settings",
    "StaticSource",
    "build_application",
    "callback_for",
    "configure_logging",
    "fit",
    "incoming_from",
    "inline_results",
    "notice",
    "register",
    "render",
    "run",
    "topics_message",
]
