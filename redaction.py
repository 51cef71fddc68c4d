"""Redaction that fails closed: what a logged question may keep.

A deny-list of patterns always misses the next format, so this turns it
around. A question keeps only the words the bot has reason to know (the FAQ's
own words, its smalltalk and not-covered keywords, and a common-English word
list); every other word is masked, every digit is masked, and recognisable
details get a label so staff still see the gist: ``[email]``, ``[phone]``,
``[date]``, ``[link]``, ``[handle]``, ``[id]``, ``[card]``, ``[address]`` and
``[name]`` (after "my name is", "Mr", "Dr", "its ... here", ...).

Names that are also common words ("Rose", "Mark", "Main", "Lane") are masked
when capitalised inside a sentence, after a name cue, or next to another name,
and street words after a house number. A lower-case name that is also a common
word, with no cue around it ("rose asked me to write"), cannot be told apart
without a language model: it is kept.

:func:`redact` is the one rule. Everything that reaches disk or a staff screen
(the log, ``report``, its CSV, ``/unanswered``) goes through it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from intents.analysis import english_words
from intents.text import normalize

if TYPE_CHECKING:
    from intents import Content

#: An unknown word becomes this; a run of them becomes one.
MASK = "[...]"
#: Digits that no pattern labelled become this.
DIGITS = "#"
#: At most this many characters of a question are redacted (and so kept).
MAX_CHARS = 1000

LABELS = ("email", "phone", "date", "link", "handle", "id", "card", "address", "name", "number")
_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(LABELS) + r")\]|\[\.\.\.\]")

# ----------------------------------------------------------------------------- word lists

#: Words people use in chat that no dictionary lists.
_CHAT_WORDS = """
i ok okay pls plz thx ty u ur ya yeah yep nope hi hey im ive id ill dont cant wont didnt doesnt isnt
arent wasnt shouldnt wouldnt couldnt whats hows wheres thats theres lets gonna wanna kinda sorta
lol btw fyi asap info fwd can't won't shan't ain't
english spanish french german italian chinese russian arabic portuguese
"""
#: Labels of a detail (not the detail itself): "my MRN is ...", "DOB ...".
_FIELD_WORDS = """
dob mrn ssn id ids email mail phone cell tel ph mobile fax address addr zip postcode apt unit suite
box po member group policy subscriber chart record file ins medicare medicaid hsa fsa ppo hmo no
nr num number card visa debit credit exp cvv code social security telegram insta instagram twitter
tiktok snap snapchat discord whatsapp facebook linkedin website site blog link url handle username
"""
#: Common English words that are also first names, surnames or street names. Capitalised,
#: after a name cue or next to a name, they are masked even when the FAQ uses them.
NAME_WORDS = frozenset(
    """
    will bill mark rose grace hope faith joy june may april dawn summer autumn ivy lily daisy holly
    violet iris ruby pearl amber crystal sky rob bob pat sue jack frank victor art carol gene guy ray
    rich dale glen cliff lance chase drew hunter mason miles wade brook reed rod don dean earl herb
    jean nick sandy rusty penny candy ginger robin wren jay hazel olive sage heather maria rosa
    stone brown green white black young king wood hill baker cook smith miller taylor fisher carter
    turner parker walker hall ward long lane main oak elm pine maple cedar birch ash park lake field
    bay bell page rice price case best love gay major noble rivers banks fields wells cross
    """.split()
)
#: Street words: after a house number or a name they end an address.
_STREET = frozenset(
    """
    street st road rd lane ln avenue ave av drive dr court ct boulevard blvd way place pl terrace ter
    circle cir highway hwy parkway pkwy square sq crescent close trail trl row alley plaza ridge
    """.split()
)
_STREET_PLACE = frozenset({"on", "at", "off", "near", "to", "from", "along", "down", "up", "past"})
_STREET_BEFORE = frozenset({"rue", "via", "calle", "avenida", "rua", "viale", "strada", "camino"})
_UNIT = frozenset({"unit", "apt", "apartment", "suite", "ste", "flat", "fl", "floor", "room", "rm"})
#: Words that end a name (and never are one).
_STOP = frozenset(
    """
    a an the and or but nor so if as at by for from in into of off on onto to up with without about
    i me my mine we us our you your he him his she her it its they them their this that these those
    is am are was were be been being do does did have has had can could will would shall should may
    might must how what when where why who whom which whether here there please pls thanks thank
    not no yes also just too very asked asks said says wants wanted told tell write writing
    """.split()
)
_HONORIFICS = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "doctor", "prof", "professor", "sir", "madam"})
_ABBREVIATIONS = _HONORIFICS | {"st", "no", "jr", "sr", "nr", "vs", "etc", "w", "n", "e", "s", "ave", "rd", "dob"}
# (words before, how many words after may be a name) for cues that always introduce a name.
_STRONG_CUES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("my", "name", "is"), 3),
    (("my", "name's"), 3),
    (("name", "is"), 3),
    (("call", "me"), 2),
    (("signed",), 3),
    (("regards",), 3),
    (("sincerely",), 3),
    (("cheers",), 2),
)
# Cues after which a common word that is also a name ("its rose here") is a name.
_WEAK_CUES = frozenset(
    """
    its it's is im i'm am hi hello hey dear thanks from ask tell for with by
    wife husband son daughter mother mom mum father dad partner friend sister brother grandma grandpa
    granny nana aunt uncle kid child boss coworker colleague neighbour neighbor therapist physio
    """.split()
)
# Of those, the ones that introduce things as often as people.
_LOOSE_CUES = frozenset({"from", "ask", "tell", "for", "with", "by", "thanks"})
_FIELDS = frozenset(_FIELD_WORDS.split())
_CHAT = frozenset(_CHAT_WORDS.split())
_NUMBER_WORDS = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"


@cache
def word_list(name: str) -> frozenset[str]:
    """A word list shipped with the engine's data: ``short-words`` (common English words of up to
    four letters) or ``care-words`` (health, insurance and calendar words)."""
    text = resources.files("intents").joinpath(f"data/{name}.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


class Vocabulary:
    """The words a logged question may keep. ``terms`` are the FAQ's own words."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.terms = frozenset(terms)
        self.words = (
            english_words() | word_list("short-words") | word_list("care-words") | self.terms | _CHAT | _FIELDS | _HONORIFICS
        )

    @classmethod
    def from_content(cls, content: Content) -> Vocabulary:
        """The FAQ's questions, answers, titles, messages, smalltalk, red flags and their words,
        not-covered keywords, topic words and synonyms."""
        texts: list[str] = [content.article_title, *content.article_sections, *content.messages.values()]
        for entry in content.faqs:
            texts += [entry.title, entry.answer, *entry.phrasings]
        for item in content.smalltalk:
            texts += [*item.patterns, item.reply]
        for flag in content.red_flags:
            texts += flag.patterns
        for topic in content.not_covered:
            texts += [*topic.keywords, *topic.examples, topic.reply]
        for term, variants in content.synonyms.items():
            texts += [term, *variants]
        for variant, preferred in content.spellings.items():
            texts += [variant, preferred]
        for words in getattr(content, "emergency_words", {}).values():
            texts += words
        texts += [*getattr(content, "topic_words", ()), *getattr(content, "shared_topic_words", ())]
        texts += getattr(content, "conversation", {}).values()
        words: set[str] = set()
        for text in texts:
            for word in re.findall(r"[^\W\d_]+", text.lower()):
                words.add(word)
            words.update(w for w in normalize(text).split() if w.isalpha())
        return cls(words)


_cached: tuple[int, Content, Vocabulary] | None = None


def vocabulary_for(content: Content | None) -> Vocabulary:
    """The vocabulary of *content* (built once per FAQ version); without content, common English only."""
    global _cached
    if content is None:
        return _default_vocabulary()
    if _cached is None or _cached[1] is not content:
        _cached = (id(content), content, Vocabulary.from_content(content))
    return _cached[2]


@cache
def _default_vocabulary() -> Vocabulary:
    return Vocabulary()


# ----------------------------------------------------------------------------- patterns

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"'?\d{2}(?:\d{2})?"
_DOT = r"(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"
_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s*)"

# Order matters: links, e-mails and handles first (they hold digits and dots), then addresses,
# dates, cards, SSNs and phones (all digits), then ids mixing letters and digits.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), label)
    for pattern, label in (
        (r"\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+|\b(?:t|telegram|wa)\.me/\S*", "link"),
        (r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "email"),
        (r"(?<![\w@\]])@[\w.]*\w", "handle"),
        (r"\b\w+#\d{4}\b", "handle"),  # discord
        (r"(?<![\w+-])[\w+-]+(?:" + _DOT + r"[\w+-]+)*" + _AT + r"[\w-]+(?:" + _DOT + r"[a-z][\w-]*)+", "email"),
        (r"\b(?:p\.?\s*o\.?\s*box|post\s+office\s+box)\s*#?\s*\d+", "address"),
        (r"\b(?:unit|apt|apartment|suite|ste|flat|room|rm)\.?\s*#?\s*\d+[a-z]?\b", "address"),
        (r"\b\d{3}[ .-]\d{2}[ .-]\d{4}\b", "id"),  # SSN
        (r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b", "date"),
        (r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?(?![\w'])", "date"),
        (r"\b" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?(?![\w'])", "date"),
        (r"\b" + _MONTH + r",?\s+'?\d{4}\b", "date"),
        (r"(?<![\d/])\b\d{1,2}/\d{2}(?:\d{2})?\b(?![\d/])", "date"),  # card expiry, month/year
        (r"(?<![\w+])(?:\+|00)\d[\d\s().-]{5,}\d(?!\w)", "phone"),
        (r"(?<![\w+])(?:\d[ -]?){12,18}\d(?!\w)", "card"),
        (r"(?<!\w)(?:1[\s.-])?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)", "phone"),
        (r"(?<!\w)0\d{3,4}\s\d{5,7}(?!\w)", "phone"),
        (r"(?<![\w+])0\d{2,4}(?:[\s.-]?\d{3,4}){2}(?!\w)", "phone"),
        (r"(?<![\w-])\d{3}[\s.-]\d{4}(?![\w-])", "phone"),
        (r"\b" + _NUMBER_WORDS + r"(?:[\s,-]+" + _NUMBER_WORDS + r"){3,}\b", "number"),
    )
)
# A word with an inner dot ("carla.ruiz", "lenaknits.blog"): a domain or a handle.
_DOTTED = re.compile(r"(?<![\w.@/])[\w-]+(?:\.[\w-]+)+(?:/\S*)?")
# A word mixing letters and digits: an id ("QRS998877665", "2AB3-CD4-EF56", "LS6").
_MIXED = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[^\W\d_])\w+(?:-\w+)*(?![\w-])")
_UNITS = re.compile(r"(?i)\d+(st|nd|rd|th|am|pm|s|x|k|min|mins|hr|hrs|h|mm|cm|kg|lb|lbs|mg|yo|yr|yrs)")
_DIGITS = re.compile(r"\d+(?:[.,:/-]\d+)*")
_TOKEN = re.compile(_PLACEHOLDER.pattern + r"|[^\W\d_]+(?:['-][^\W\d_]+)*|\S")
_INVISIBLE = dict.fromkeys(i for i in range(0x110000) if unicodedata.category(chr(i)) == "Cf")


def _dotted(match: re.Match[str]) -> str:
    parts = match.group().split("/")[0].split(".")
    if all(len(p) <= 1 for p in parts) or not any(c.isalpha() for c in match.group()):
        return match.group()  # "d.o.b.", "e.g", a decimal number
    return "[link]"


def _mixed(match: re.Match[str]) -> str:
    unit = _UNITS.fullmatch(match.group())
    return DIGITS + unit.group(1) if unit else "[id]"


# ----------------------------------------------------------------------------- the rule


def redact(text: str, vocabulary: Vocabulary | None = None) -> str:
    """*text* with every word the bot has no reason to know masked, every digit masked,
    and recognisable details labelled. Safe to apply twice.

    >>> v = Vocabulary(["needling", "dry", "insurance"])
    >>> redact("how much does dry needling cost with my insurance", v)
    'how much does dry needling cost with my insurance'
    >>> redact("my name is Carlos Ruiz, DOB 03/14/1980, call 555-123-4567", v)
    'my name is [name], DOB [date], call [phone]'
    >>> redact("I live at 17 Oak Lane Unit 3; mail carla at yahoo dot com", v)
    'I live at [address]; mail [email]'
    >>> redact("Siobhan at the desk said 10 to 20 minutes", v)
    '[...] at the desk said # to # minutes'
    """
    vocab = vocabulary or _default_vocabulary()
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2]).translate(_INVISIBLE)[:MAX_CHARS]
    for _ in range(3):  # a mask can make a new neighbour ("x@S" -> "[...]@S"): go on until nothing changes
        before, text = text, _redact_once(text, vocab)
        if text == before:
            break
    return text


def _redact_once(text: str, vocab: Vocabulary) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for pattern, label in _PATTERNS:
        text = pattern.sub(f"[{label}]", text)
    text = _DOTTED.sub(_dotted, text)
    text = _MIXED.sub(_mixed, text)
    text = _DIGITS.sub(DIGITS, text)
    return _mask_words(text, vocab)



def _known(word: str, vocab: Vocabulary) -> bool:
    low = word.lower()
    if low in vocab.words:
        return True
    for suffix in ("'s", "'m", "'re", "'ve", "'ll", "'d", "n't", "s'"):
        if low.endswith(suffix) and (low[: -len(suffix)] in vocab.words or low[: -len(suffix)] == "i"):
            return True
    if "-" in low:
        return all(part in vocab.words for part in low.split("-"))
    return False


def _mask_words(text: str, vocab: Vocabulary) -> str:
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    words = [t for t in tokens if t[2][0].isalpha() or _PLACEHOLDER.fullmatch(t[2])]  # placeholders end a name
    lows = [w[2].lower() for w in words]
    letters = [c for w in words for c in w[2] if c.isalpha()]
    shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)

    def starts_sentence(index: int) -> bool:
        start = words[index][0]
        before = text[:start].rstrip()
        if not before or before[-1] in "!?\n:;" or text[start - 1 : start] == "\n":
            return True
        if before[-1] == ".":
            previous = re.search(r"([^\W\d_]+)\.$", before)
            return not (previous and previous.group(1).lower() in _ABBREVIATIONS)
        return False

    def capital(index: int) -> bool:
        word = words[index][2]
        return not shouting and word[0].isupper() and word != "I" and not word.startswith("I'")

    def gap(a: int, b: int) -> str:
        return text[words[a][1] : words[b][0]]

    decision: list[str | None] = [None] * len(words)  # None: keep; "mask"; "name"; "address"
    for i, word in enumerate(words):
        low = lows[i]
        if _PLACEHOLDER.fullmatch(word[2]):
            continue
        if word[2] == "I" or low in ("i'm", "i'll", "i've", "i'd") or low in _HONORIFICS:
            continue
        if not _known(word[2], vocab):
            decision[i] = "mask"
        elif capital(i) and not starts_sentence(i) and (low not in vocab.terms | _FIELDS or low in NAME_WORDS):
            decision[i] = "mask"

    def is_name_slot(j: int) -> bool:
        return j < len(words) and words[j][2][0].isalpha() and lows[j] not in _STOP

    def mark_name(start: int, limit: int, *, certain: int) -> None:
        """Words from *start* are a name: the first *certain* ones whatever they are (even "will"
        after "my name is"), then while they look like one (masked, capitalised or a name-word)."""
        j = start
        while j < len(words) and j < start + limit and (is_name_slot(j) or (j == start and certain and lows[j] in NAME_WORDS)):
            if j > start and re.search(r"[,;:!?()\n]|\.\s", gap(j - 1, j)):
                break
            if j - start >= certain and not (decision[j] or lows[j] in NAME_WORDS or capital(j)):
                break
            decision[j] = "name"
            j += 1

    for i in range(len(words)):
        for cue, limit in _STRONG_CUES:
            n = len(cue)
            if tuple(lows[i : i + n]) == cue and i + n < len(words) and not re.search(r"[.!?\n]", gap(i + n - 1, i + n)):
                mark_name(i + n, limit, certain=2)
        if lows[i] in ("name", "names", "patient", "pt") and i + 1 < len(words) and gap(i, i + 1).strip() == ":":
            mark_name(i + 1, 3, certain=2)  # "Name: Carla Ruiz"
        if lows[i] in _HONORIFICS and i + 1 < len(words) and (capital(i + 1) or decision[i + 1] or lows[i + 1] in NAME_WORDS):
            if lows[i] != "miss" or capital(i + 1):
                mark_name(i + 1, 3, certain=1)
        if lows[i] in _WEAK_CUES and i + 1 < len(words) and (lows[i + 1] in NAME_WORDS or decision[i + 1]):
            introduces = lows[i] not in ("is", "am") or (i > 0 and lows[i - 1] in ("this", "it", "i", "name"))
            if lows[i] in _LOOSE_CUES and lows[i + 1] not in NAME_WORDS and not capital(i + 1):
                introduces = False  # "prices for airpods": an unknown word, not a name
            if introduces and not re.search(r"[.!?\n]", gap(i, i + 1)):
                mark_name(i + 1, 3, certain=0)
        if lows[i] == "here" and i > 0 and decision[i - 1] is None and lows[i - 1] in NAME_WORDS:
            decision[i - 1] = "name"  # "Rose here"
        if lows[i] in _STREET and i > 0:
            back = i - 1
            while back >= 0 and i - back <= 3 and is_name_slot(back) and not re.search(r"[,;:!?()\n]", gap(back, back + 1)):
                back -= 1
            span = range(back + 1, i)
            numbered = back >= 0 and words[back][2] in ("#", "[id]") or re.search(r"#\s*$", text[: words[back + 1][0]])
            placed = back >= 0 and lows[back] in _STREET_PLACE
            if span and (numbered or placed or any(decision[j] or capital(j) for j in span)):
                for j in (*span, i):
                    decision[j] = "address"
        if lows[i] in _STREET_BEFORE and i + 1 < len(words):
            for j in range(i, min(i + 5, len(words))):
                if j > i and re.search(r"[,;:!?()\n]", gap(j - 1, j)):
                    break
                decision[j] = "address"
        if lows[i] in _UNIT and i + 1 < len(words) and decision[i - 1 if i else 0] == "address":
            decision[i] = "address"
    # Next to a name, a capitalised common name-word is part of it ("Grace Lee", "Rose Whitfield").
    for i in range(len(words) - 1, -1, -1):
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(words) and decision[j] in ("mask", "name") and capital(j)]
        if decision[i] is None and capital(i) and lows[i] in NAME_WORDS and neighbours:
            decision[i] = "mask"

    out: list[str] = []
    position = 0
    replaced = {i: decision[i] for i in range(len(words)) if decision[i]}
    starts = {w[0]: i for i, w in enumerate(words)}
    for start, end, token in tokens:
        index = starts.get(start)
        if index is not None and index in replaced:
            label = {"mask": MASK, "name": "[name]", "address": "[address]"}[replaced[index]]
            between = text[position:start]
            if out and out[-1] == label and not between.strip():
                position = end
                continue
            out.append(between)
            out.append(label)
        else:
            out.append(text[position:start])
            out.append(token)
        position = end
    out.append(text[position:])
    return _REPEATED.sub(r"\1", _HOUSE_NUMBER.sub("[address]", "".join(out)))


_REPEATED = re.compile(r"(\[(?:\w+|\.\.\.)\])(?:\s+\1)+")
_HOUSE_NUMBER = re.compile(r"(?<!\S)(?:#\s+)+\[address\]")
