"""The dry needling FAQ engine: pure Python, no Telegram, no I/O while answering.

>>> from intents import Engine
>>> engine = Engine.from_file("faq.yaml")          # load and validate once
>>> reply = engine.answer("what's a knot in a muscle?")
>>> reply.kind, reply.faq_id
('faq', 'trigger-point')
>>> reply.text.endswith(engine.disclaimer)
True
"""

from .content import Content, ContentError, FaqEntry, Problem, check_content, load_content, parse_content, read_yaml
from .conversation import Context, Conversations
from .engine import KINDS, Engine, Reply, Suggestion

__all__ = [
    "KINDS",
    "Content",
    "ContentError",
    "Context",
    "Conversations",
    "Engine",
    "FaqEntry",
    "Problem",
    "Reply",
    "Suggestion",
    "check_content",
    "load_content",
    "parse_content",
    "read_yaml",
]
