"""Text normalisation shared by the loader and the engine.

Everything here is a pure function of its arguments. Each incoming message
is put through :func:`normalize` once (a small cache serves the steps that ask
for it again) and the engine works on the result; the FAQ phrasings go through the same function at load time, so both
sides always agree on spelling, case and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: At most this many characters of a message are looked at. A patient's
#: question fits easily; a pasted 100 KB document cannot stall the bot.
MAX_CHARS = 600

#: At most this many words of a message are scored.
MAX_TOKENS = 60

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Letters that carry their mark in the letter itself, so removing accents leaves them whole: Polish "ł"
# ("złapać" is "zlapac", not "z apac"), Danish "ø", German "ß" (after casefold it is "ss" already).
_UNMARKED = str.maketrans({"\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u00e6": "ae", "\u0153": "oe", "\u00fe": "th",
                           "\u0131": "i",
                           # Cyrillic in Latin letters, so a Russian or Ukrainian emergency can be read ("bolit grud")
                           # (after the marks are dropped: "й" is read as "и", "ё" as "е")
                           **dict(zip("абвгдезиклмнопрстуфыэґі", "abvgdeziklmnoprstufyegi")),
                           "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
                           "ю": "yu", "я": "ya", "є": "ye"})
# The few emoji that name a body part or a symptom are read as their word ("\U0001fa78\U0001fa78 it won't stop" is
# about blood); every other emoji is dropped with the punctuation.
_SYMPTOM_EMOJI = str.maketrans({"\U0001f635": " dizzy ", "\U0001fa78": " blood ", "\U0001fac1": " lungs ",
                                "\U0001fac0": " heart ", "\U0001f691": " ambulance "})

# Emergency words in scripts the folding below cannot turn into Latin letters (Arabic, Chinese) are read as their
# English words, so "\u6211\u5598\u4e0d\u8fc7\u6c14" ("I can't get my breath") reaches the safety check; the
# rest of such a message is dropped as before. Longer words come first so a phrase wins over a word inside it.
_SCRIPT_SYMPTOMS = {
    # Chinese
    "\u5598\u4e0d\u8fc7\u6c14": " can not breathe ", "\u547c\u5438\u56f0\u96be": " trouble breathing ",
    "\u4e0d\u80fd\u547c\u5438": " can not breathe ", "\u80f8\u53e3\u75db": " chest pain ",
    "\u80f8\u75db": " chest pain ", "\u80f8\u95f7": " chest pressure ", "\u6d41\u8840\u4e0d\u6b62": " bleeding will not stop ",
    "\u6b62\u4e0d\u4f4f\u8840": " bleeding will not stop ", "\u6655\u5012": " fainted ", "\u660f\u5012": " fainted ",
    "\u660f\u8ff7": " unconscious ", "\u62bd\u6410": " convulsing ", "\u766b\u75eb\u53d1\u4f5c": " seizure ",
    "\u4e2d\u98ce": " having a stroke ", "\u81ea\u6740": " suicide ", "\u4e0d\u60f3\u6d3b": " do not want to live ",
    "\u5634\u5507": " lips ", "\u820c\u5934": " tongue ", "\u5589\u5499": " throat ", "\u80bf": " swelling ",
    "\u4e00\u8fb9\u8138\u6b6a": " face drooping on one side ", "\u8138\u6b6a": " face drooping ",
    "\u8bf4\u8bdd\u4e0d\u6e05\u695a": " slurred speech ", "\u53e3\u9f7f\u4e0d\u6e05": " slurred speech ",
    "\u7a81\u7136": " suddenly ", "\u5934\u75db": " headache ", "\u8bf4\u4e0d\u51fa\u8bdd": " can not speak ",
    # Arabic
    "\u0644\u0627 \u0623\u0633\u062a\u0637\u064a\u0639 \u0627\u0644\u062a\u0646\u0641\u0633": " can not breathe ",
    "\u0644\u0627 \u064a\u0633\u062a\u0637\u064a\u0639 \u0627\u0644\u062a\u0646\u0641\u0633": " can not breathe ",
    "\u0644\u0627 \u062a\u0633\u062a\u0637\u064a\u0639 \u0627\u0644\u062a\u0646\u0641\u0633": " can not breathe ",
    "\u0635\u0639\u0648\u0628\u0629 \u0641\u064a \u0627\u0644\u062a\u0646\u0641\u0633": " trouble breathing ",
    "\u0636\u064a\u0642 \u0641\u064a \u0627\u0644\u062a\u0646\u0641\u0633": " short of breath ",
    "\u0623\u0644\u0645 \u0641\u064a \u0627\u0644\u0635\u062f\u0631": " chest pain ",
    "\u0646\u0632\u064a\u0641": " heavy bleeding ", "\u0623\u063a\u0645\u064a": " fainted ",
    "\u0625\u063a\u0645\u0627\u0621": " fainted ", "\u064a\u062a\u0634\u0646\u062c": " convulsing ",
    "\u062a\u0634\u0646\u062c": " convulsion ", "\u0644\u0627 \u064a\u0633\u062a\u062c\u064a\u0628": " not responding ",
    "\u062c\u0644\u0637\u0629": " having a stroke ", "\u0627\u0646\u062a\u062d\u0627\u0631": " suicide ",
    "\u0623\u0631\u064a\u062f \u0623\u0646 \u0623\u0645\u0648\u062a": " want to die ",
    "\u062a\u0648\u0631\u0645": " swelling ", "\u0634\u0641\u062a\u064a": " lips ", "\u0644\u0633\u0627\u0646\u064a": " tongue ",
}
_SCRIPT_WORDS = re.compile("|".join(sorted(map(re.escape, _SCRIPT_SYMPTOMS), key=len, reverse=True)))
_SCRIPTS = re.compile("[\u0600-\u06ff\u4e00-\u9fff]")

# Contractions are expanded so "can't breathe" and "cannot breathe" look alike. Those typed without an
# apostrophe ("cant", "isnt", "whats", "im") are found in one pass over the text; each of the others comes with
# the bits of text it needs, so a message without any of them is not searched for it.
_PLAIN_CONTRACTIONS = re.compile(
    r"\b(?:(cannot|cant|cnat|cnt)|(wont|wnt)|(do|does|did|is|are|was|were|could|would|should|have|has)nt"
    r"|(what|that|how|where|who|there|here|he|she)s|(im))\b"
)


def _expand_plain(found: re.Match[str]) -> str:
    """The words a contraction _PLAIN_CONTRACTIONS found stands for."""
    can, wont, negated, says, _ = found.groups()
    if can or wont:
        return "can not" if can else "will not"
    if negated:
        return f"{negated} not"
    return f"{says} is" if says else "i am"


_CONTRACTIONS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), replacement, needs)
    for pattern, replacement, needs in (
        (r"\bcan't\b", "can not", ("can'",)),
        (r"\bwon't\b", "will not", ("won'",)),
        (r"\bain't\b", "is not", ("ain'",)),
        (r"\b(\w+)n't\b", r"\1 not", ("n't",)),
        (r"\b(what|that|it|there|who|where|how|here|he|she)'s\b", r"\1 is", ("'s",)),
        (r"\bi'm\b", "i am", ("i'm",)),
        (r"\b(\w+)'re\b", r"\1 are", ("'re",)),
        (r"\b(\w+)'ve\b", r"\1 have", ("'ve",)),
        (r"\b(\w+)'ll\b", r"\1 will", ("'ll",)),
        (r"\b(\w+)'d\b", r"\1 would", ("'d",)),
        (r"'s\b", "", ("'s",)),
    )
)

_NON_WORD = re.compile(r"[^0-9a-z]+")
_WHETHER = re.compile(
    r"\b(wondering|wonder|wondered|know|knowing|asking|ask|asked|unsure|sure|curious|check|decide|see|tell me)"
    r" weather\b(?! (?:forecast|report|app|today|tomorrow|tonight|this|next|in|for|like|is|was|will))"
)


def normalize(text: str) -> str:
    """Return *text* folded to lower-case ASCII words separated by single spaces.

    Case, accents, full-width letters, curly quotes and punctuation are folded
    away, contractions are expanded, and only the first :data:`MAX_CHARS`
    characters are read.

    >>> normalize("What's  DRY-needling?!")
    'what is dry needling'
    >>> normalize("I CAN\u2019T breathe")
    'i can not breathe'
    >>> normalize("\uff34\uff52\uff49\uff47\uff47\uff45\uff52 point")   # full-width letters
    'trigger point'
    >>> normalize("nie mog\u0119 z\u0142apa\u0107 tchu")   # a letter with its mark built in
    'nie moge zlapac tchu'
    >>> normalize("\U0001f44b\U0001f600")   # emoji only: nothing left to match
    ''
    >>> normalize("\U0001fa78\U0001fa78 it won't stop")   # an emoji that names a symptom is its word
    'blood blood it will not stop'
    """
    return _normalized(text[:MAX_CHARS])


@lru_cache(maxsize=16)
def _normalized(text: str) -> str:
    # Cached for the few steps that read one message (conversation, engine, its sentences); too
    # small to hold a conversation's earlier messages, so every new message is worked out afresh.
    if text.isascii():  # nothing to fold but case
        text = text.lower().translate(_APOSTROPHES)
    else:
        if _SCRIPTS.search(text):
            text = _SCRIPT_WORDS.sub(lambda found: _SCRIPT_SYMPTOMS[found.group(0)], text)
        text = unicodedata.normalize("NFKC", text.translate(_SYMPTOM_EMOJI)).casefold()
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        text = text.translate(_APOSTROPHES).translate(_UNMARKED)
    if "weather" in text:  # "i was wondering weather it helps": the word a voice typed for "whether"
        text = _WHETHER.sub(r"\1 whether", text)
    text = _PLAIN_CONTRACTIONS.sub(_expand_plain, text)
    for pattern, replacement, needs in _CONTRACTIONS:
        if any(need in text for need in needs):
            text = pattern.sub(replacement, text)
    return " ".join(_NON_WORD.sub(" ", text).split())


_SENTENCE_END = re.compile(r"[.!?:\u2026)\"'\u201d]$|[^\w\s,;(\-]$")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s")


def reflow(text: str) -> str:
    r"""Join the lines of *text* into paragraphs, as a phone should show them.

    YAML block scalars keep the editor's line breaks, which land in the middle
    of sentences on a phone. A line break stays only where a sentence ends or a
    list item starts; blank lines stay paragraph breaks.

    >>> reflow("I answer questions about dry\nneedling.\nAsk away!\n\nBye.")
    'I answer questions about dry needling.\nAsk away!\n\nBye.'
    >>> reflow("Pick one:\n- twitch\n- scar")
    'Pick one:\n- twitch\n- scar'
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        out = lines[:1]
        for line in lines[1:]:
            if _SENTENCE_END.search(out[-1]) or _BULLET.match(line):
                out.append(line)
            else:
                out[-1] = f"{out[-1]} {line}"
        paragraphs.append("\n".join(out))
    return "\n\n".join(p for p in paragraphs if p)


_VOWELS = frozenset("aeiouy")


# Words whose -ing is no form of the shorter word: a machine's setting is not "set" ("can it set off a panic
# attack"), and someone fitting is having a seizure, not getting fit ("she's fitting again").
_NOUNS_IN_ING = {"setting": "setting", "settings": "setting", "fitting": "fitting", "fittings": "fitting"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip common English endings so related forms of a word share one key.

    Deliberately light: it only has to make a word's plural, -ing, -ed,
    -ation and -ize forms agree, and it must never merge two FAQ terms.

    >>> [stem(w) for w in ("needle", "needles", "needling", "needled")]
    ['needl', 'needl', 'needl', 'needl']
    >>> [stem(w) for w in ("twitch", "twitches", "twitching", "twitched")]
    ['twitch', 'twitch', 'twitch', 'twitch']
    >>> [stem(w) for w in ("stimulate", "stimulates", "stimulation", "stimulating")]
    ['stimul', 'stimul', 'stimul', 'stimul']
    >>> [stem(w) for w in ("sensitize", "sensitized", "sensitization", "sensitisation")]
    ['sensit', 'sensit', 'sensit', 'sensit']
    >>> stem("stopped"), stem("fibers"), stem("is"), stem("ltr"), stem("station")
    ('stop', 'fiber', 'is', 'ltr', 'station')
    >>> stem("settings"), stem("sets")
    ('setting', 'set')
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word in _NOUNS_IN_ING:
        return _NOUNS_IN_ING[word]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("es") and word[-3:-2] in ("s", "x", "z") or word.endswith(("ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, min_base in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_base:
            word = word[: -len(suffix)]
            break
    else:
        for suffix in ("ing", "ed"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and _VOWELS & set(word[: -len(suffix)]):
                word = word[: -len(suffix)]
                if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                    word = word[:-1]
                break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


# (suffix, shortest base left after stripping it), longest first.
_DERIVATIONS: tuple[tuple[str, int], ...] = (
    ("ization", 4), ("isation", 4), ("izing", 5), ("ising", 5), ("ized", 5), ("ised", 5), ("ize", 5), ("ise", 5),
    ("ation", 4), ("ating", 4), ("ated", 4), ("ate", 5),
)
