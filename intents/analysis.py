"""From normalised text to the terms the matcher scores.

Typos are corrected against the FAQ's own vocabulary, spelling variants are
mapped to the FAQ's spelling, words are stemmed, lay words and synonyms are
replaced by the FAQ's term (``knot`` -> ``trigger point``), and filler words
are dropped. The FAQ phrasings go through the same steps at load time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .text import MAX_TOKENS, normalize, stem

# Words that carry no topic: function words, and the context people wrap
# questions in ("a patient at the desk asks ... please").
_STOPWORDS_TEXT = """
a about above after again all also am an and any anything are around as at be been before being
between both but by can could did do does doing done during each either else ever every for from
get gets got had has have having he her here hers him his i if in into is it its itself just me
might mine more most much must my myself no nor not now of off on once only or other our ours out
over own per quite rather really same shall she should so some such than that the their theirs them
then there these they this those though through thus to too under until up upon us very was we were
will with would yet you your yours yourself whether which whatever whichever while also
actually basically exactly simply just maybe perhaps please pls plz kindly thank thanks thx hi hello
hey dear ok okay oh um uh hmm well sure yeah yes yep going gonna sorry silly dumb stupid apologies curious
patient patients client clients desk front office receptionist colleague someone somebody person
people guy lady man woman wife husband mom mum dad daughter son friend her she he asks asked asking caller callers
ask wants wanted want wondering wonder wondered know knows knew tell telling told question questions
quick simple plain words word terms explain explaining describe forwarded forward fwd message
said say says saying mention mentioned today anyway still like thing things stuff bit
lot little one ones define definition description summary rundown explanation meaning mean means meant info
information detail details
overview basics hear heard read seen give gives giving gave try trying tried list listed website site plan plans english
lol haha lmao omg tbh btw fyi idk new saw noticed even almost nearly totally completely honestly kinda sorta
always never usually sometimes often actual precisely literally fr bro wtf alot super pretty exact properly
correctly truly good
talk talking talked talkin keep keeps kept
roughly approximately approx typical typically average generally normally ballpark reckon mate mates biggest major primary chief nutshell broadly speaking gist understand understanding matter matters true
physically
"""

STOPWORDS: frozenset[str] = frozenset(stem(w) for w in _STOPWORDS_TEXT.split())

# "what kind of injuries" asks about injuries, not about kinds of needling: "kind of" before
# anything but the treatment itself says nothing. (One \b opens every phrase: it is tested once at each
# place, not once per phrase.)
_KIND_OF = re.compile(
    # "what kind of clinician does it" asks who does it
    r"\b(?:(?:what|which)\s+(?:kind|kinds|type|types|sort|sorts)\s+of\s+(?P<who>)(?=(?:clinicians?|therapists?|doctors?"
    r"|practitioners?|professionals?|providers?|specialists?|physios?|experts?|staff)(?: \w+){0,3}? (?:dry needling|needling|dn"
    r"|it|this|the needles?|needles)\b)"
    r"|(what|which)\s+(?:kind|kinds|type|types|sort|sorts)\s+of\s+"
    r"(?!(?:dry needling|needling|needle|needles|technique|techniques|method|methods|treatment|treatments|therapy)\b)"
    # ... and "what kind of treatment is dry needling" asks what it is, not which kinds there are
    r"|(what)\s+(?:kind|type|sort)\s+of\s+(?:treatment|therapy|thing)\s+(?=is\b)"
    r"|(is what)\s+(?:kind|type|sort)\s+of\s+(?=(?:treatment|therapy|thing)\b)"
    # "my kind of problem", "this sort of pain": the problem itself
    r"|(my|your|his|her|our|their|this|that|these|those)\s+(?:kind|kinds|sort|sorts|type|types)\s+of\s+"
    r"(?!(?:dry needling|needling|needle|needles|technique|techniques|method|methods)\b)"
    # "kind of like winding a watch", "it was kind of sore": a hedge, not a kind
    r"|(it|i|that|this|was|is|felt|feels|feel|just|got|am|are|its|and|but|also)\s+(?:kind|sort)\s+of\b"
    r"|(?:kind|sort)\s+of\s+(?=like\b)"
    # ... or before a deed: "the knot kind of spasmed", "it is sort of stinging"
    r"|(?:kind|sort)\s+of\s+(?!(?:dry needling|needling|training|setting|needles)\b)(?=\w+(?:ed|ing)\b))"
)


def _kind_of(found: re.Match[str]) -> str:
    """What is left of a "kind of" _KIND_OF found: "who" for a kind of person, else the words it keeps."""
    if found.group("who") is not None:
        return "who "
    return next((g for g in found.groups() if g), "") + " "


# Asking for it plainly says nothing about what is asked: "explain dry needling like im 12", "in a
# nutshell how does it work", "in layman's terms". (One \b opens every phrase, as in _KIND_OF.)
_PLAINLY = re.compile(
    r"\b(?:like (?:i am|im|i m|you are|youre|you re) (?:a |an )?(?:\d+|five|six|ten|twelve|kid|child|toddler|baby"
    r"|\d+ year old|five year old|grandma|grandpa)(?: years? old)?\b"
    r"|in a nutshell\b|in (?:plain|simple|easy|normal|everyday|basic|regular) (?:english|words|terms|language)\b"
    # ... or as the clinic does it: "what is dry needling, as your clinic practises it?"
    r"|as (?:your|the) (?:clinic|practice|team|therapists?|physios?) (?:practises?|practices?|does|do|uses?|offers?"
    r"|performs?) it\b|as you (?:guys )?(?:practise|practice|do|use|offer|perform) it\b"
    # ... said of the treatment itself: "describe dry needling for a complete beginner" (not "yoga for beginners")
    r"|(?:(?<=\bneedling )|(?<=\bit )|(?<=\bthis )|(?<=\bthat )|(?<=\bdn ))for (?:a |an )?(?:complete |total |absolute "
    r"|real )?(?:beginners?|newbies?|novices?|laymen|layman|lay people|lay person|laypersons?|dummies|dummy"
    r"|non experts?|non medical (?:people|person|folks))\b"
    r"|in lay(?:man|men|person|people)?s? (?:terms|language|words)\b|eli5\b|for dummies\b"
    # ... or for one who has never had it: "describe dry needling for someone who has never had it"
    r"|(?:for|to) (?:someone|somebody|a person|people|anyone|a patient|patients) who (?:has|have) never (?:had|tried|done)"
    r" (?:it|this|dry needling|needling|one)\b"
    # "on a scale of 1 to 10": how much, in numbers
    r"|(?:on )?(?:a )?scale (?:of |from )?(?:1|one|0|zero) (?:to |out of )?(?:10|ten)\b"
    r"|(?:like |from )?(?:1|one|0|zero) (?:to|out of) (?:10|ten)\b|out of (?:10|ten)\b"
    # "a short description of dry needling": how long the answer should be, not the session
    r"|(?:short|quick|brief|little)\s+(?=(?:definition|description|summary|explanation|overview|rundown|intro"
    r"|introduction|version|answer)\b)"
    # "in general", "a general overview": the question asked as a whole, of no entry in particular
    r"|in general(?: terms)?\b|generally speaking\b|overall$|general\s+(?=(?:overview|idea|sense|explanation|description"
    r"|summary|rundown|introduction|intro|picture)\b))"
)

# "why does dry needling help", "why would a needle in a muscle work at all": why it works asks how it works,
# not what it is good for.
_WHY_IT_WORKS = re.compile(
    r"\bwhy(?= (?:(?:does|do|would|did|could|can|will) )?"
    r"(?:(?!(?:recommend|recommends|suggest|suggests|use|uses|try|get|choose|should|want|wants)\b)\w+ ){1,7}?"
    r"(?:help|helps|helped|work|works|worked)\b)"
    # "what are the main ways dry needling works": the ways it works, not the ways to do it
    r"|\bwhat (?:are|is) the (?:\w+ )?ways?(?= (?:\w+ ){0,3}?(?:work|works|affects|affect|helps|help|produces"
    r"|produce)\b)"
)

# "Fwd: pt asks what the e-stim does": in a forward, "pt" who asks is the patient, not the physical therapist
_RELAYED_PT = re.compile(
    r"^((?:(?:fwd|fw)\s+(?:from\s+)?)?(?:(?:the\s+)?front desk|desk|reception)?\s*(?:new\s+|a\s+|the\s+|another\s+)?)pt\s+"
    r"(?=(?:asks|asking|asked|wonders|wondering|wants to know|wants a|wants an|wants some|would like to know|would like a"
    r"|had|has been|is asking|called|calls|rang|needs)\b)"
    # ... or a patient named as new, one more, or one of the clinic's ("new pt wants a simple explanation")
    r"|\b((?:new|another|one of our|a new)\s+)pt\b"
)


def _as_patient(found: re.Match[str]) -> str:
    """The words before a relayed "pt", and "patient" for it."""
    before = found.group(1)
    return f"{before}patient " if before is not None else f"{found.group(2)}patient"


# "how long are dry needling needles": their length, not how long they stay in
_NEEDLE_LENGTH = re.compile(
    r"\bhow long (?:is|are) (?:the |a |your |these |those |dry needling |the dry needling )?needles?"
    r"(?=$| (?:you use|they use|used|for dry needling|for needling)$)"
)

# "how can a needle do anything at all", "why would a needle make anything better", "how can one tiny needle make
# a difference", "the main ways it does its thing": what it brings about, asked how, why or in what ways, asks how
# it works
_DOES_ANYTHING = re.compile(
    r"\b(how|why|ways)\b(.*?)\b(?:(?:do|does|did) (?:anything|something|its thing)(?: at all)?"
    r"|make (?:a|any|such a|much|that much) (?:\w+ )?difference"
    r"|make (?:anything|things|it|them|stuff|everything|muscles?|the muscles?|my \w+|the pain) (?:\w+ )?(?:feel )?better)\b"
)
# "what is the needle actually doing in there", "so the needles do what once they're in", "what's going on
# under the skin": what it does inside asks how it works
_DOING_INSIDE = re.compile(
    r"\bwhat (?:is|are|does|do) (?P<it>the needles?|a needle|needling|dry needling|the needling) (?:actually |really "
    r"|even |exactly )?(?:do|doing)(?= (?:\w+ ){0,2}?(?:in there|inside|under the skin|beneath the skin|once (?:it|they|its"
    r"|theyre)|when (?:it|they) (?:is|are|go|goes) in)\b)"
    r"|\b(?P<they>the needles?) (?:do|does|doing) what (?:exactly |actually )?(?=(?:once|when|in there|inside)\b)"
    r"|\b(?:what is|whats|what s) (?:actually |really |even )?going on (?=(?:\w+ )?(?:in there|inside|under the skin"
    r"|beneath the skin|physiologically)\b)"
)


def _how_it_works(match: re.Match[str]) -> str:
    return f"how does {match.group('it') or match.group('they') or 'it'} work "

# "dose it hurt", "how dose needling work": a real word typed for "does" where a question opens (not "what dose").
_DOSE = re.compile(
    r"(^|\b(?:how|why|when|where|so|and|but|ok|hmm)\s)dose"
    r"(?=\s(?:it|this|that|they|dry|needling|the|e|needles|a|an|my|u|you|he|she|someone|everyone|anyone)\b)"
)

#: Only words at least this long are checked for typos: short words are too
#: easily "corrected" into another real word.
MIN_TYPO_LENGTH = 5
#: How close (rapidfuzz ratio) a misspelt word must be to a known one.
TYPO_CUTOFF = 80
#: At most this many unknown words of one message are looked up as typos (bounds the work
#: a long paste of unusual words can cause).
MAX_TYPO_LOOKUPS = 8
#: How close (rapidfuzz ratio) a word must be to its partner's other word in a two-word name.
PAIR_CUTOFF = 75


def _one_slip(word: str, target: str) -> bool:
    """Is *word* one typing slip from *target*: a short word one letter off, a longer one close?"""
    if len(word) < 3 or not word.isalpha():
        return False
    if len(target) <= 4 or len(word) <= 4:
        return Levenshtein.distance(word, target, score_cutoff=1) <= 1
    return fuzz.ratio(word, target) >= PAIR_CUTOFF


@cache
def english_words() -> frozenset[str]:
    """Common English words of five letters or more, shipped with the package.

    A word on this list is never "corrected": "whether" must not become the
    FAQ's "weather", nor "paint" its "pain". Read once per process.
    """
    text = resources.files(__package__).joinpath("data/english-words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@dataclass(frozen=True)
class Analysis:
    """One text after analysis.

    ``stems`` is the full stemmed sequence (used for phrase look-ups such as
    red-flag keywords); ``terms`` are the informative-or-not content terms
    that scoring uses, in order, without repeats.
    """

    normalized: str
    stems: tuple[str, ...]
    terms: tuple[str, ...]
    #: The stems after typo and spelling correction, before synonyms are merged: what
    #: not-covered keywords are matched on.
    words: tuple[str, ...] = ()
    #: The words after typo and spelling correction, not stemmed: what topic words are matched on.
    tokens: tuple[str, ...] = ()


class Analyzer:
    """Turns text into :class:`Analysis` using the FAQ's spellings, synonyms and vocabulary.

    ``synonyms`` maps a FAQ term to the words patients use for it; every one
    of them (and the term itself) becomes a single term. A multi-word term
    becomes one token joined by ``_``:

    >>> a = Analyzer(synonyms={"trigger point": ["knot", "taut band"]}, vocabulary=["muscle", "knot"])
    >>> a.analyze("What's a knot in a muscle?").terms
    ('what', 'trigger_point', 'muscle')
    >>> a.analyze("a taut band").terms == a.analyze("trigger points").terms
    True
    >>> a.analyze("musclle knott").terms     # typos corrected against the vocabulary
    ('muscle', 'trigger_point')
    """

    def __init__(
        self,
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        spellings: Mapping[str, str] | None = None,
        vocabulary: Iterable[str] = (),
        phrases: Iterable[str] = (),
    ) -> None:
        self._spellings = {normalize(k): normalize(v) for k, v in (spellings or {}).items()}
        self._keys: dict[str, str] = {}
        self._known = english_words()
        words = set()
        for text in vocabulary:
            words.update(normalize(text).split())
        for term, variants in (synonyms or {}).items():
            for text in (term, *variants):
                words.update(normalize(text).split())
        words.update(self._spellings)
        words.update(_STOPWORDS_TEXT.split())
        self._vocabulary = frozenset(words)
        self._stopwords = STOPWORDS | {self._key(w) for w in _STOPWORDS_TEXT.split()}
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for term, variants in (synonyms or {}).items():
            canonical_stems = self._stems(normalize(term).split())
            canonical = "_".join(canonical_stems)
            for variant in (term, *variants):
                key = tuple(self._stems(normalize(variant).split()))
                if key:
                    self._phrases.setdefault(key[0], []).append((key, canonical))
        #: The terms synonyms map to ("trigger_point", "e_stim"): words the FAQ chose for its subject.
        self.canonical_terms = frozenset(canonical for options in self._phrases.values() for _, canonical in options)
        for options in self._phrases.values():
            options.sort(key=lambda item: -len(item[0]))
        self._typo_choices = sorted(w for w in words if len(w) >= MIN_TYPO_LENGTH - 1 and w.isalpha())
        self._corrections: dict[str, str] = {}
        # Two-word names whose one word, misspelt, is another real word ("dry kneeling", "trigger pint"):
        # each word, with the words it is named after.
        self._pairs: dict[str, list[tuple[int, str]]] = {}
        for phrase in phrases:
            pair = normalize(phrase).split()
            if len(pair) == 2:
                self._pairs.setdefault(pair[0], []).append((1, pair[1]))
                self._pairs.setdefault(pair[1], []).append((0, pair[0]))

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._vocabulary

    def _stems(self, words: Iterable[str]) -> list[str]:
        return [self._key(self._spellings.get(w, w)) for w in words]

    def form(self, word: str) -> str:
        """One normalised word as it appears in :attr:`Analysis.words` (spelling mapped, stemmed)."""
        return self._key(self._spellings.get(word, word))

    def _key(self, word: str) -> str:
        """The stem of *word*, kept apart from a different word that merely shares it.

        The stemmer drops a final "e", so "scared" and "scar" would meet, and a frightened
        patient would get the scar-tissue answer. When the stem plus "e" is itself a word
        ("scare", "needle") and *word* is one of its forms, that word is the key instead.

        >>> a = Analyzer(vocabulary=["scar tissue", "needle"])
        >>> [a._key(w) for w in ("scar", "scars", "scarring", "scared", "scare")]
        ['scar', 'scar', 'scar', 'scare', 'scare']
        >>> [a._key(w) for w in ("needle", "needles", "needling", "needled")]
        ['needle', 'needle', 'needle', 'needle']
        """
        key = self._keys.get(word)
        if key is None:
            key = stem(word)
            root = key + "e"
            if word in (root, root + "s", root + "d", key + "ing") and (root in self._known or root in self._vocabulary):
                key = root
            if len(self._keys) < 50_000:
                self._keys[word] = key
        return key

    def correct(self, word: str) -> str:
        """Return the known word closest to an unknown *word*, or *word* itself.

        >>> Analyzer(vocabulary=["sensitization"]).correct("sensitizaton")
        'sensitization'
        >>> Analyzer(vocabulary=["pain"]).correct("paid")   # short words are never guessed
        'paid'
        >>> Analyzer(vocabulary=["weather"]).correct("whether")   # nor real English words
        'whether'
        """
        if word in self._vocabulary or len(word) < MIN_TYPO_LENGTH or not word.isalpha() or word in self._known:
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        found = process.extractOne(word, self._typo_choices, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        result = found[0] if found else word
        if len(self._corrections) < 10_000:
            self._corrections[word] = result
        return result

    def _mend_pairs(self, words: list[str]) -> None:
        """Mend, in place, a word that is one slip from its partner in a two-word name said with the other
        word right: "dry kneeling", "dry needing", "trigger pint", "dri needling". A word of the FAQ's own
        vocabulary is left alone ("try needling" is a thing to try).

        >>> a = Analyzer(vocabulary=["trigger point"], phrases=["trigger point", "dry needling"])
        >>> words = "what is a trigger pint and dry kneeling".split(); a._mend_pairs(words); " ".join(words)
        'what is a trigger point and dry needling'
        """
        for i in range(len(words) - 1):
            for here, other, side in ((i, i + 1, 1), (i + 1, i, 0)):
                for at, partner in self._pairs.get(words[here], ()):
                    word = words[other]
                    if at == side and word != partner and word not in self._vocabulary and _one_slip(word, partner):
                        words[other] = partner
                        break

    def phrase_spans(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """Where in *words* (:attr:`Analysis.words`) a synonym of two or more words stands, (from, to)."""
        spans = []
        i = 0
        while i < len(words):
            for key, _ in self._phrases.get(words[i], ()):
                if len(key) > 1 and tuple(words[i : i + len(key)]) == key:
                    spans.append((i, i + len(key)))
                    i += len(key)
                    break
            else:
                i += 1
        return spans

    def analyze(self, text: str, *, normalized: bool = False) -> Analysis:
        """Analyse *text* (already normalised when *normalized* is true)."""
        norm = text if normalized else normalize(text)
        asked = _PLAINLY.sub(" ", norm)
        if "dose" in asked:
            asked = _DOSE.sub(r"\1does", asked)
        if "pt" in asked:
            asked = _RELAYED_PT.sub(_as_patient, asked)
        if "thing" in asked or "differ" in asked or "better" in asked:  # "anything", "something", "its thing"
            asked = _DOES_ANYTHING.sub(r"\1\2work", asked)
        if "what" in asked:
            asked = _DOING_INSIDE.sub(_how_it_works, asked)
        if "how long" in asked:
            asked = _NEEDLE_LENGTH.sub("how long is the needle", asked)
        asked = _WHY_IT_WORKS.sub("how", asked)
        words = _KIND_OF.sub(_kind_of, asked).split()[:MAX_TOKENS]
        lookups = 0
        for i, word in enumerate(words):
            if word in self._vocabulary or word in self._corrections or len(word) < MIN_TYPO_LENGTH:
                words[i] = self._corrections.get(word, word)
            elif lookups < MAX_TYPO_LOOKUPS:
                lookups += 1
                words[i] = self.correct(word)
        if self._pairs:
            self._mend_pairs(words)
        tokens = tuple(self._spellings.get(w, w) for w in words)
        stems = self._stems(words)
        merged: list[str] = []
        i = 0
        while i < len(stems):
            for key, canonical in self._phrases.get(stems[i], ()):
                if tuple(stems[i : i + len(key)]) == key:
                    merged.append(canonical)
                    i += len(key)
                    break
            else:
                merged.append(stems[i])
                i += 1
        terms = tuple(dict.fromkeys(t for t in merged if t not in self._stopwords))
        return Analysis(norm, tuple(merged), terms, tuple(stems), tokens)
