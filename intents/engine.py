"""The one answer call: a message in, a :class:`Reply` out.

Order of checks: emergency red flags, smalltalk, topics the FAQ does not
cover, then the FAQ itself (a confident answer, a "did you mean", or an
honest fallback). Every reply's text ends with the clinic's disclaimer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from .analysis import Analysis, Analyzer, english_words
from .content import Content, FaqEntry, NotCovered, RedFlag, Smalltalk, Worried, load_content
from .conversation import Context
from .matcher import Matcher, Scored, Weights
from .phrases import PhraseSet, Stemmed
from .safety import RedFlagDetector, is_habit_or_past
from .smalltalk import SmalltalkMatcher
from .text import MAX_CHARS, normalize, reflow
from .followup import converse, next_context
from .language import LanguageGuesser
from .worries import WorryFinder

#: How close (rapidfuzz ratio) a message must be to a FAQ phrasing to count as asking it.
NEAR_COPY = 90.0
# The treatment meant as "it": "does it hurt", "how long does it take", "is this painful".
_REFERS_TO_IT = re.compile(
    r"\b(does|did|do|will|would|can|could|is|was|are|should|might|has|have)\s+(it|this|that|they|these|those)\s+"
    r"(?!(?:in|on|at|for|to|from|of|with|by|now|today|tomorrow|tonight|there|here|about|yet|already)\b)\w"
    # ... asked inside a sentence ("dying to know how this actually works"), or as whether to have it
    r"|\b(how|why|what)\s+(it|this)\s+(?:\w+\s+)?(works?|helps?|feels?|does)\b"
    r"|\b(should|would|could|will|do)\s+(i|we)\s+(try|get|do|have|consider)\s+(it|this)\b"
    # ... or who gives it: "who does it?", "who will be doing it"
    r"|^who\s+(?:does|do|did|can|could|will|would|should|may|performs?|gives?|will be doing|is doing|is going to do)\s+(it|this)$"
    # ... or how long it is or takes, said of nothing else ("how long is it")
    r"|^how long (is|does|will) (it|this)( (take|last|go on|run))?$"
)

_IT_HELPS = re.compile(r"\b(does|did|do|will|would|can|could|might)\s+(it|this)\s+(help|hurt|work|fix|treat|ease|relieve|sting)\b")

# Whether someone of a profession does it, or may ("do chiropractors do dry needling too", "can my massage
# therapist do it", "is dry needling something nurses do"): the profession is who, not another treatment.
_PROFESSION = (
    r"(chiropractors?|chiros?|massage therapists?|acupuncturists?|osteopaths?|nurses?|doctors?|paramedics?|emts?"
    r"|athletic trainers?|personal trainers?|trainers?|physios?|physiotherapists?|physical therapists?|pts?"
    r"|nursing students?|medical students?)"
)
_WHO_DOES_IT = re.compile(
    rf"\b{_PROFESSION}\b.*\b(do|does|doing|perform|performs|offer|offers|allowed|qualified|licensed|certified"
    r"|trained|training|learn|add|practice|practise)\b.*\b(dry needling|needling|it|this)\b"
    rf"|\b(dry needling|needling|it)\b.*\b(something|done by|only|allowed|do|does)\b.*\b{_PROFESSION}\b"
    # ... or of the one doing it: "is the person doing this a physio or an acupuncturist?"
    r"|\b(person|one|therapist|practitioner|guy|lady)\s+(doing|performing|giving)\s+(it|this|the needling|the needles"
    rf"|dry needling|needling)\b.*\b{_PROFESSION}\b"
)
# Someone of a profession as the one who told something ("my massage therapist says I have knots").
_SAID_BY = re.compile(
    rf"\b(?:my|her|his|their|our|the) (?P<who>{_PROFESSION}) (?:says|said|told me|tells me|thinks|thought|mentioned"
    r"|reckons|suggested|recommended|found|noticed|called it|calls it)\b"
)
# The other methods, asked beside one ("besides pistoning, what other ways are there").
_OTHER_WAYS = re.compile(
    r"\b(?:what|which|any) other (?:ways?|methods?|techniques?|styles?)(?: of (?:dry )?needling)?"
    r"(?: (?:do you|can you|are there|is there|do they|does she|does he|do therapists)(?: \w+)?)?$"
)
_PROFESSION_WORD = re.compile(rf"\b{_PROFESSION}\b")
# What the treatment feels like, compared with something ("does it feel like a bee sting when it goes in",
# "is it like getting a shot"): the thing compared with is no evidence against the subject.
_FEELS_LIKE = re.compile(r"\b(it|this|that|they)\s+(feel|feels|felt|hurt|hurts)\s+like\s+(a|an|getting|being|having)\b")
# ... the treatment by name, or "it", compared with another feeling ("does the needle feel like a bee sting",
# "is it like getting a shot", "does it hurt more than a flu jab", "will it feel like i am being electrocuted")
_FEELS_COMPARED = re.compile(
    r"\b(the needles?|a needle|needling|dry needling|the treatment|e stim|the e stim|the stim|the twitch)\s+"
    r"(feel|feels|felt|hurt|hurts|sting|stings)\s+(like|more than|worse than|less than)\s"
    r"|\b(is|was|will|would)\s+(it|this)\s+(be\s+)?like\s+(a|an|getting|being|having)\s"
    r"|\b(does|do|will|would|did)\s+(it|this)\s+(hurt|sting)\s+(more|less|worse)\s+than\s"
    r"|\b(will|would|does|do)\s+it\s+feel\s+like\s+(i am|im|you are|someone is)\s"
)
# Asking what a word means or how to say it in another language ("what does current mean in electricity",
# "what's muscle in french"): about the word, unless it is one of the FAQ's own topic words.
# A word asked to be put into another language: never a question about the subject, whatever the word
_TRANSLATION = (
    r"\b(in|into) (french|spanish|german|italian|japanese|chinese|mandarin|portuguese|russian|arabic|korean"
    r"|hindi|dutch|polish|turkish|greek)\b|\btranslat\w*|\bhow do you say\b|\bhow to say\b"
)
_TRANSLATES = re.compile(_TRANSLATION)
_WORD_REQUEST = re.compile(
    _TRANSLATION + r"|\b(in|into) english\b|\bdefine\b"
    r"|\b(meaning|definition) of\b|\bwhat (does|do) (?!(it|that|this|they|these|those|1|2|3|4|5|6|7|8|9|\d+)\b).+ mean( in \w+| lol| exactly| please)?$"
    r"|\bthe word\b"
)
# What is asked about comes before its foil: "why did she twist the needle instead of moving it up and down",
# "is a trigger point just a muscle spasm or something different".
_FOIL = re.compile(r"^(?P<head>.+?)\s+(?:instead of|rather than)\s|\bdifference between (?P<between>.+?)\s+and\s(?=.*\bjust\b)|^(?P<feel>.*?\b(?:feel|feels|felt) like)\s+(?:a|an|getting|being|having)\s|^(?P<what>(?:(?:so|ok|okay|but|and|well|hmm)\s+)*(?:is|are)\s.+?)\s+just\s(?!(?:for|used for)\b)")
# How the treatment helps a problem ("how does needling calm down an oversensitive nervous system"): the
# entry that says how it is treated (``treated_by``), not the one that says what the problem is.
_HOW_IT_HELPS = re.compile(
    r"^(?:\w+\s+){0,3}?(how|why|can|could|does|do|will|would)\b.*\b(needl\w*|dry needling|it|this|e stim)\b.*"
    r"\b(help|helps|treat|treats|fix|fixes|calm|calms|settle|settles|reduce|reduces|ease|eases|relax|relaxes"
    r"|quiet|quiets|tone down|tones down|reset|resets|retrain|retrains|turn down|turns down|work on|stop|stops"
    r"|desensitise|desensitises|desensitize|desensitizes)\b"
    # ... or told as what it can do, then asked how: "I've been told dry needling can 'retrain' an oversensitive
    # nervous system. How does that work?"
    r"|\b(?:dry needling|needling|it)\s+(?:can|could|will|may|might|is meant to|is supposed to)\s+(?:\w+\s+)?"
    r"(?:retrain|calm|settle|reset|desensitise|desensitize|quiet|tone down|turn down)\b.*\bhow\b"
    # ... or asked how after a story: "my nervous system is overreacting. how can needling calm it down?"
    r"|\bhow (?:can|could|does|do|will|would|might) (?:dry needling|needling|the needles?|the needling) (?:\w+ )?"
    r"(?:help|calm|settle|reset|retrain|desensitise|desensitize|quiet|tone down|turn down|reduce|ease)\b"
)

# The FAQ's terms for what happens in a body (synonym targets in faq.yaml): evidence of the subject
# next to a shared word, unlike its terms for the shape of a question ("why", "help", "benefit").
_BODY_TERMS = frozenset({
    "acetylcholine", "desensit", "e_stim", "fascia", "fibromyalgia", "motor_endpl", "nerve_fiber", "nervous_system",
    "pain_relief", "piston", "release", "scar", "sensit", "stay_in", "tendinopathy", "touch", "trigger_point", "twitch",
    "wind",
})

# ... but not next to a shared word for a tool or a method, which everyday requests use as much ("set up a
# trigger to turn off the lights", "jump leads", "the current release of python").
_TOOL_WORDS = frozenset({
    "trigger", "current", "electric current", "electrical current", "technique", "techniques", "method", "methods",
    "session", "sessions", "winding", "piston", "pistons", "stim", "hz", "hertz", "jump", "jumped", "treatment",
    "treatments", "therapy",
})

# A question about the patient's own case ("can I have it?", "is it safe for me?"): what they told before it decides.
_ABOUT_ME = re.compile(r"\b(i|me|my|mine|myself|im)\b")
# ... and whether it suits them ("I have an autoimmune disease. Is dry needling okay?"): about them too.
_SUITS = re.compile(r"\b(ok|okay|alright|all right|safe|an option|right for|suitable|suit|advisable|a good idea|fine)\b")
# ... and "that", "this": what the patient told ("the spot is still tender. How long ought that to last?").
_POINTS_BACK = re.compile(
    r"\b(that|this|these|those)\b(?! (?:treatment|treatments|thing|therapy|needling|technique|method|procedure|stuff)\b)"
    # what someone meant by what the sentence before told ("my PT said it resets the muscle. what does she mean")
    r"|\bwhat (?:does|did|do) (?:she|he|they|my \w+|the \w+) mean\b|\bwhat (?:is|was|are) (?:she|he|they) (?:talking|on) about\b"
    # ... or a bare "normal?" after a story: whether what it told is normal
    r"|^(?:normal|common|usual|expected|to be expected)(?: or not)?$"
)
# A guess at what the treatment is ("is dry needling basically poking a needle in a sore muscle?"), and a
# word that only stresses a question ("what is it really")
_GUESS = re.compile(
    r"^(?:so )?(?:is|isnt|is not) (it|this|that|dry needling|needling|dn) (?:just |basically |like |kind of |sort of "
    r"|simply |really )*(?:like|basically|just|kind of|sort of|simply|the same as|a kind of|a type of|some kind of"
    r"|the (?:thing|one|treatment|procedure|therapy) (?:where|that|with))\b"
)
# ... or told after a comma as a likeness: "what exactly is dry needling, like shots with nothing in the syringe?"
# asks what it is
_LIKENED_AFTER = re.compile(
    r"^\s*((?:so\s+|ok\s+|but\s+)?what(?:(?:'s|s)\s+(?:exactly\s+|even\s+|actually\s+|really\s+)?"
    r"|\s+(?:exactly\s+|even\s+|actually\s+|really\s+)?is\s+)"
    r"(?:dry needling|dry-needling|needling|dn|it|this)(?:\s+exactly|\s+really|\s+actually)?)\s*,\s*"
    r"(?:like|kind of like|sort of like|is it like|so like)\b"
    # ... or run on with "is it like" ("what is dry needling is it like an injection or something"); "what is dry
    # needling like" alone asks how it feels
    r"|^\s*((?:so\s+|ok\s+|but\s+)?what(?:'s|s|\s+is)\s+(?:exactly\s+|even\s+|actually\s+|really\s+)?(?:is\s+)?"
    r"(?:dry needling|dry-needling|needling|dn))\s+is\s+it\s+(?:kind of\s+|sort of\s+)?like\b",
    re.IGNORECASE,
)
_REALLY = re.compile(r" (?:really|then|anyway|honestly)$")
# Words that ask for no more than plain words or a rough idea ("what is it, roughly", "in simple terms").
_ROUGHLY = (
    r"(?:exactly|even|roughly|basically|really|actually|in a nutshell|simply put|in short|in brief"
    r"|in (?:simple|plain|layman|laymans|everyday|normal|basic) (?:terms|words|english|language))"
)
# Which method that was, asked after telling it ("needles left in place plus electricity - what's that technique
# called"): what was told is the method, whatever topic it names last.
_THAT_METHOD = re.compile(r"^(?:what|whats) is (?:that|this) (?:technique|method|style|one)(?: called)?$")
# ... and the same question told as not knowing: "i have no idea what that even is, can someone explain?"
_NO_IDEA = re.compile(r"\b(?:i have |i ve |ive |i got |i )?no (?:idea|clue) what (?:that|this|it) (?:even |actually |really )?is\b")
_WHAT_IS_IT = re.compile(
    r"^(?:so |and |but )?(?:what|whats)(?: even| exactly| actually)?(?: kind of (?:treatment|therapy|thing))?"
    rf" is (?:that|this|it)(?: thing)?(?: {_ROUGHLY})?$"
    # ... or told as wanting to know it: "dying to know what it actually is"
    r"|^(?:(?:i am |im )?(?:dying|curious|keen|eager|itching) to know|i (?:want|would like|need) to know|(?:i am |im )?"
    r"(?:wondering|curious)) what (?:that|this|it)(?: even| actually| really| exactly)? is$"
)

# Whether the treatment helps a problem, asked yes or no ("my arches have collapsed, can needling help?").
# (One \b opens every phrase: it is tested once at each place, not once per phrase.)
_ASKS_IF_IT_HELPS = re.compile(
    r"\b(?:(?<!how )(?<!why )(can|could|will|would|does|do|might|is|are)\s+(dry needling|needling|it|this|dn|needles|the needles"
    r"|dry needles|that|e stim)\s+(help|helps|work for|be good for|good for|used for|be used for|fix|sort|treat|do anything for"
    r"|(?:be )?(?:helpful|useful|effective|beneficial|any use|any good|of any use|of use) (?:for|with|in|on))\b"
    # (not what it does for the one who has it: "will it help me move better" asks its benefits)
    r"(?! (?:me|you|us|him|her|them|people) (?:to )?(?:move|get|feel|walk|run|be|become|stay|keep|perform|train|play"
    r"|bounce|recover|heal|do|go|sleep|work|lift|stand|sit)\b)"
    # ... or asked as whether it is the kind of thing dry needling treats: "is dry needling something that could
    # help", "is that something needling treats", "is that something you'd needle", "is that a dry needling thing"
    r"|(is|are) (dry needling|needling|it|this|that|dn) (something|a thing|the sort of thing|the kind of thing)"
    r" (that |which )?(you |you would |you d |dry needling |needling |it |we )?"
    r"(could |can |would |might |will |is |are )?(help|helps|treat|treats|fix|fixes|used for|needle|work on|be used for)\b"
    r"|is (that|this|it) a (dry )?needling thing\b"
    # ... or asked in reported words: "patient asking if dry needling can help her jaw pain"
    r"|(if|whether) (dry needling|needling|it|this|dn|needles|the needles|e stim) (can|could|will|would|might|may|does)"
    r" (help|helps|treat|fix|work for|be good for|be used for)\b"
    # ... or whether it is an option for a problem: "is needling an option for that?"
    r"|(is|would|could) (dry needling|needling|it|this|that|dn|e stim)( \w+){0,3}? (be )?(an|a|a good|a real|a possible)"
    r" (treatment )?option (for|after|with)\b)"
)
# Why it feels better afterwards ("why does my pain feel less after the needles"): how it works.
_WHY_IT_EASES = re.compile(
    r"^(?:\w+\s+){0,3}?why\b.*\b(less|lower|better|quieter|calmer|looser|relaxed|easier|go down|goes down|went down)\b"
)
# "Will dry needling be any different?": compared with what the sentence before told.
_ANY_DIFFERENT = re.compile(r"\b(any different|any better|the same thing|any good|like that|similar)\b")
# "What can it fix?": what it is used for.
_WHAT_IT_HELPS = re.compile(
    r"^(?:\w+\s+){0,2}?(what|which|wat)\b(?:\s+\w+){0,3}?\s+(can|could|does|do|will|would|is|are)\s+(it|this|dry needling"
    r"|needling|dn)\s+(help|helps|fix|treat|sort|used|be used|good)\b"
)
# Whom or what the treatment is for: "who is dry needling for", "who can benefit from it" (not who does it),
# "is it only for athletes".
_IT_IS_FOR = re.compile(
    r"^(?:\w+\s+){0,2}?who (is|are) (it|this|dry needling|needling|dn) (really |mainly |usually )?"
    r"(for|suitable for|good for|right for|meant for|best for|ideal for)\b"
    r"|^(?:\w+\s+){0,2}?who (can|could|would|should|might) (benefit|get|have|use|try)\b"
    r"(?!.*\b(do|does|perform|performs)\b)"
    # ... or asked of the kind of patient: "what kind of patients get the most out of dry needling"
    r"|^(?:\w+\s+){0,2}?(what|which) (kind|kinds|type|types|sort|sorts) of (patients?|people|person|persons|clients?)"
    r" (get|gets|benefit|benefits|do|does|respond|responds|is it|are)\b"
    # ... or whether it is only for some: "is it only for muscle knots or other stuff too", "only for athletes"
    # (not "just for show", "only for fun": whether it does anything at all)
    r"|\b(is|are) (it|this|dry needling|needling|dn) (only|just|mainly|mostly) (for|used for|good for)\b"
    r"(?! (show|fun|looks|the money|money|profit|nothing)\b)"
)
# Several methods asked about at once ("which techniques for scars and which for knots"): the overview's question.
_SEVERAL_ASKED = re.compile(r"\b(techniques|methods|kinds|types|styles|ways|approaches)\b|\band which\b")
# Whether it helps, asked of pain in general ("does it help with pain"), tells no problem of its own.
_GENERAL_PAIN = frozenset({"help", "pain", "hurt", "dry_needle", "needle"})
# ... and a question of how or why it helps is no yes-or-no question.
_HOW_OR_WHY = re.compile(r"\b(how|why|in what way|what way)\b")
# What a problem is, what causes it, whether one has it ("what are shin splints", "is my knee pain arthritis"):
# a definition or a diagnosis, which the FAQ does not give, unless the treatment is asked about too.
_WHAT_A_PROBLEM_IS = re.compile(
    r"^(?:\w+\s+){0,2}?(?:what (?:is|are|causes|cause|s) (?:a |an |the )?|whats (?:a |an |the )?|do i have |does (?:he|she|my \w+) have "
    r"|is (?:my|this|it) |could (?:it|this) be |am i getting )"
)
# ... one method set beside the one other, unnamed: "is the twisting technique slower than the other one?" asks of
# that method (its answer tells how it compares), not of every kind there is
_THAN_THE_OTHER = re.compile(r"\bthan (?:the )?other (?:one|method|technique|kind|way|type|style)\b")
# A question that sets things side by side.
_COMPARES = re.compile(
    r"\b(difference|differences|different|differ|vs|versus|compare|compared|comparison|between|which one|which is"
    r"|better|worse|gentler|rougher|stronger|more painful|less painful|\w+er than|or(?! (?:more|less|so|higher|lower|above|below)\b))\b"
)

#: A message of at least this many words is read question by question.
LONG_MESSAGE = 20
#: At most this many FAQ answers in one reply.
MAX_ANSWERS = 2
_QUESTION_WORDS = r"(?:what|whats|how|why|is|are|can|could|does|do|did|will|would|who|when|where|should|which)"
# ... after a word or two that only opens the sentence ("so what is ...", "ok but whats ...", "ok real talk what is ...")
_QUESTION_START = re.compile(
    r"^(?:(?:so|ok|okay|but|and|hmm|well|right|hi|hey|also|then|um|umm|uh|honestly|tbh|ngl|pls|please|lol|yo"
    r"|real talk|be honest|(?:a |one )?(?:quick|honest|serious|genuine|random|dumb|silly|stupid|simple|small|basic)"
    rf" (?:question|q)|question|q)\s+){{0,3}}{_QUESTION_WORDS}\b"
)
# "what is it and will it help my back": two questions joined by "and".
_AND_QUESTION = re.compile(rf"\s+(?:and|also)\s+(?={_QUESTION_WORDS}\b)")
# Words that point back: to the subject named before, or ("for me", "in my case") to what the patient told first.
_BOTH = re.compile(r"\b(the two|both|the two of them)\b")
# ... "explain the cause", "what causes it": of what the sentence before told
_THE_CAUSE = re.compile(
    r"\b(the cause|the reason|what causes|what caused)\b"
    # ... or a bare "why?" after what happened ("my shoulder jerked a few times. can you explain why?")
    r"|^(?:(?:can|could) you (?:explain|tell me) |(?:please )?explain )?why(?: (?:is|was|did|does) (?:that|this|it))?"
    r"(?: happen)?$"
)
# Where a message's smalltalk and the rest of it part: punctuation, an emoji, or a dash between spaces.
_CLAUSES = re.compile(r"[,.!?;:()\u2026\u2600-\u27bf\U0001f300-\U0001faff]+|\s[-\u2013\u2014]+\s|\n+")
# ... and, for smalltalk, "or" before a second guess at what it is ("are you a real person or a robot")
_OR_A = re.compile(r"\s+or\s+(?=(?:a|an)\s)", re.IGNORECASE)
# Smalltalk that asks the bot something: what it is, what it can do, said to it.
_ASKS_THE_BOT = frozenset({"identity", "help"})
_TO_THE_BOT = re.compile(r"\b(you|u|ya|yourself|bot|robot)\b")
# "what a relief", "what a stroke of luck": an exclamation, not a question
_EXCLAIMS = re.compile(r"^what an? \w+( of \w+)?\b(?! (is|are|does|do|can|was|were|will|would|should)\b)")
# The rest of a thank-you that objects to the answer or asks again.
_OBJECTS = re.compile(r"\b(but|not|no|nope|wrong|still|however|though|although|except|please|pls|plz)\b")
# What a condition left behind: "after a stroke", "since my stroke 4 years ago"
_AFTERMATH = re.compile(
    r"\b(?:after|since|from|following|post) (?:a |an |my |his |her |their |the )?(?:\w+ )?(?:stroke|strokes|seizure"
    r"|seizures|heart attack|bells palsy|bell s palsy)\b"
)
# A cry for help on its own: after words about the subject it asks for help with them, not what the bot can do
_BARE_HELP = frozenset({"help", "help me", "please help", "help please", "any help", "pls help", "help pls"})
# How it feels, asked of a moment: "what does it feel like | when the needle goes into the muscle", "what will
# i feel | during my first session"
_WHEN_CLAUSE = re.compile(
    r"^((?:so |and |ok )?(?:what|whats|how)\b(?:\s+\w+){0,3}?\s+(?:it|this|i|you|the needles?|needling|dry needling)"
    r"\s+(?:\w+\s+)?(?:feel|feels)(?:\s+like)?"
    # ... or the feeling named: "what is the sensation like when they put the needle in"
    r"|(?:so |and |ok )?(?:what|whats|how) is the (?:sensation|feeling) (?:like)?)\s+(?:when|while|once|as soon as|during)\s"
)
# The things the FAQ names that a patient may ask whether something was (raw text or normalised).
_FAQ_THINGS = (
    r"(?:twitch(?:\s+response)?|trigger\s+points?|knots?|e-?\s?stim|pistoning|winding|central\s+sensitization)"
)
_PRONOUN = re.compile(
    # ("that" after "something" opens what is said of it: "is dry needling something that can help scar tissue")
    r"\b(it|this|(?<!something )(?<!anything )that|they|them|the two|both|for me|in my case|for someone like me"
    r"|for her|for him|in her case|in his case)\b"
)
_ASKS = re.compile(r"\b(asks|asking|asked|wants to know|wondering|question)\b")
# What the treatment is, asked by its name ("what is dry needling, as your clinic practises it?"): whatever "it"
# later points to, the question names its subject itself.
_WHAT_IT_IS_BY_NAME = re.compile(r"^(?:so )?(?:what|whats) (?:exactly |even |actually |really )?is (?:dry needling|dn)\b")
# Whether the writer may have it: after a sentence that tells something of their health, a question of that.
_MAY_I_HAVE = re.compile(r"^(?:so |and |but )?(?:can|could|may|should) i (?:still )?(?:have|get|do|try|use|go ahead with)\b")
# Whether what was told is a thing the FAQ names ("was that the twitch response?", "is that what you call a
# knot?"): the thing is what is asked.
_WHAT_THEY_CALL = r"what\s+(?:you|they|people|physios|therapists|pts)\s+(?:call|mean\s+by)\s+"
_WHAT_YOU_CALL = re.compile(rf"\b{_WHAT_THEY_CALL}")
_IS_THAT_THE = re.compile(
    rf"^(?:so )?(?:was|is|were|are) (?:that|this|it|those|these) (?:{_WHAT_THEY_CALL})?(?:the|a|an) (?:\w+ ){{0,2}}?"
    rf"{_FAQ_THINGS}$"
)


# Sentences end at ".", "?", "!", ";" or a line break, and where a comma puts a short "what is that" after what
# the patient told: "my PT mentioned dry needling at my last visit, what is that" asks what dry needling is.
_SENTENCES = re.compile(
    r"(?<=[.?!;])\s+|\n+|(?:,|\s[-\u2013\u2014])\s+(?=(?:what|whats)\s+(?:\w+\s+){0,2}(?:it|that|this|they)"
    # ... with words that ask only for plain words or a rough idea: "what is it, roughly?", "what is that, in
    # simple terms?"
    rf"(?:,?\s+{_ROUGHLY})?\s*\??\s*$)"
    # ... or whether what was told is a thing the FAQ names: "my trap feels like a rock, is that what you call a
    # trigger point?"
    rf"|,\s+(?=(?:so\s+)?(?:is|was)\s+(?:that|this|it)\s+(?:{_WHAT_THEY_CALL})?(?:the|a|an)\s+(?:\w+\s+){{0,2}}?"
    rf"{_FAQ_THINGS}\s*\??\s*$)"
    # ... or of a method told before it: "rapid in-and-out of the needle, what's that technique?"
    r"|(?:,|\s[-\u2013\u2014])\s+(?=(?:what|whats|what's)\s+(?:is\s+)?(?:that|this)\s+(?:technique|method|style|one)"
    r"(?:\s+called)?\s*\??\s*$)"
    # ... or "or what is it exactly" after a guess at what it is
    r"|\s+or\s+(?=what\s+(?:exactly\s+|even\s+)?is\s+(?:it|this|that)\b)"
    r"|,\s+(?=(?:what|whats)\s+(?:kind|type|sort)\s+of\s+(?:treatment|therapy|thing)\s+(?:is|are)\s+(?:it|that|this)"
    r"\s*\??\s*$)"
    # ... or a short question that names the treatment itself, after a comma or an emoji: "this back pain is killing
    # me, what even is dry needling?", "my knot is awful, who actually does the needling?", "ok I'm ready 😂 what is
    # dry needling?"
    r"|(?:,|\s*[\u2600-\u27bf\U0001f300-\U0001faff]+)\s+(?=(?:so\s+|but\s+)?(?:what|whats|what's|who|how)\s+"
    r"(?:(?:even|actually|exactly|really|honestly)\s+)?"
    r"(?:is|are|does|do)\s+(?:(?:the|this|a)\s+)?(?:dry\s+needling|needling|dry\s+needle|the\s+needling)"
    r"(?:\s+(?:even|actually|exactly|really|work|works))?\s*\??\s*$)"
    # ... or a short question of its own at the end: "headbanging gives me neck knots, what are knots exactly?"
    # (not one about the writer: "suppose the needle hit my lung, what would I feel?"; nor one that only points
    # back: "..., why does that happen?")
    r"|,\s+(?=(?:so\s+)?(?:what|whats|what's|who|how|why)\s+(?![^?]*\b(?:i|me|my)\b)"
    r"(?!(?:is|was|does|did|do)\s+(?:it|that|this)(?:\s+(?:happen|mean))?\s*\?)(?:[\w']+\s+){1,5}[\w']+\s*\?\s*$)"
    # ... or whether what was told is one of the things the FAQ names: "my leg kicked on its own during my session,
    # was that the twitch response?"
    r"|,\s+(?=(?:so\s+)?(?:was|is|were|are)\s+(?:that|this|it|those|these)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?"
    rf"{_FAQ_THINGS}\s*\??\s*$)"
    # ... or what the treatment feels like, asked last with or without a "?": "first visit is tomorrow and i'm
    # nervous, what does it actually feel like pls"
    r"|,\s+(?=(?:so\s+|but\s+)?(?:(?:what|how)\s+(?:does|do|will|would)|what\s+(?:is|are)|how\s+(?:much|bad)\s+(?:does|do|will"
    r"|would|is))\s+(?:it|this|the\s+needling|needling|dry\s+needling|the\s+needles?|the\s+treatment)\s+(?:(?:\w+\s+)?feel"
    r"(?:\s+like)?|(?:going\s+to\s+|gonna\s+)feel(?:\s+like)?|(?:really\s+|actually\s+)?(?:hurt|sting|be\s+painful))\b[^,.;?!]*\??\s*$)",
    re.IGNORECASE,
)


def _starts(parts: list[str], norm: str) -> tuple[int, ...]:
    """The words of *norm* (the whole of the text, normalised) that start each of its *parts* but the first."""
    starts, at = [], 0
    for part in parts:
        at += len(normalize(part).split())
        starts.append(at)
    return tuple(starts[:-1]) if at == len(norm.split()) else ()


def _sentence_breaks(text: str, norm: str) -> tuple[int, ...]:
    """The words of *norm* (the whole of *text*, normalised) that start a new sentence."""
    return _starts(_SENTENCES.split(text[:MAX_CHARS]), norm)


def _clause_starts(text: str, norm: str) -> tuple[int, ...]:
    """The words of *norm* that start a clause of *text*: after punctuation, an emoji or a dash."""
    return _starts(_CLAUSES.split(text[:MAX_CHARS]), norm)


# "what is dry needling, is it like being stabbed?": a question, a comma, and a second question
# ("what if it doesn't twitch, does that mean ..." supposes first, and asks once).
# (not before a clause that tells more of what was named: "why would a needle, which hurts, relieve pain?")
_COMMA_QUESTION = re.compile(
    rf",\s+(?=(?:so\s+|but\s+)?{_QUESTION_WORDS}\b)(?!(?:which|who)\s+(?:is|are|was|were|has|had|have|hurts?|feels?"
    r"|seems?|sounds?|means?|makes?|made|does|did|do|stings?|works?)\b)",
    re.IGNORECASE,
)


# What someone told the patient, typed straight after the question: "so what even is dry needling my coach
# said i should try it for my hamstring"; and a story with "what is that" typed straight after it.
_TELLER = (
    r"(?:coach|physio|physiotherapist|pt|therapist|doctor|dr|gp|doc|chiro|chiropractor|trainer|surgeon|nurse|friend"
    r"|mom|mum|mother|dad|father|wife|husband|sister|brother|son|daughter|partner|boss|neighbou?r|colleague|coworker)"
)
# ... or a story told after a comma: "why does it help at all, i've been in pain forever"
_STORY_AFTER = re.compile(r",\s+(?=(?:i|i'm|im|i've|ive|my|she|he|we|our|her|his)\s)", re.IGNORECASE)
_TOLD_AFTER = re.compile(
    rf"(?<=\w)\s+(?=(?:my|our|the|a)\s+(?:\w+\s+)?{_TELLER}\s+(?:said|says|told|tells|recommended|recommends"
    r"|suggested|suggests|wants|mentioned|thinks|reckons)\b)",
    re.IGNORECASE,
)
# Topic words for a person or a muscle: what "it" in a question after them does not stand for.
_NO_REFERENT = frozenset({
    "muscle", "muscles", "muscular", "physio", "physios", "physiotherapist", "physiotherapists", "therapist",
    "therapists", "physical therapist", "physical therapists",
})
_A_STORY = re.compile(r"\b(i|im|my|me|she|he|they|we|said|says|told|wants|mentioned|recommended|suggested)\b")
_ASKED_AFTER = re.compile(
    r"(?<=\w)\s+(?=(?:so\s+)?(?:what|whats)\s+(?:\w+\s+){0,2}(?:it|that|this)\s*\??\s*$)", re.IGNORECASE
)


# A letter's wrapping: "Dear team," before it, "Kind regards, Ingrid" or "Thanks, Paul" after it. None of it asks.
_SALUTATION = re.compile(
    r"^\s*(?:dear\s+[^,.!?\n]{1,30}[,.!:\n]"
    # ... or a memo's label ("Insurer query:", "GP enquiry:", "Referral note:")
    r"|(?:(?:insurer|insurance|gp|doctor|referral|referrer|coach|carer|physio)(?:'?s)?\s+)?"
    r"(?:query|question|enquiry|inquiry|note|request)\s*:)\s*",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:[,.!?;]|\n)\s*(?:(?:kind|best|warm|warmest|many)\s+(?:regards|wishes|thanks)|regards|sincerely"
    r"|yours(?:\s+(?:truly|sincerely|faithfully))?|thanks(?:\s+(?:so much|a lot|again|in advance))?"
    r"|thank\s+you(?:\s+(?:so much|very much|again|in advance))?|cheers|all the best|best)\s*[,.!]*\s*"
    r"(?:(?:dr|mr|mrs|ms|prof)\.?\s+)?(?:[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2})?[\s.!]*$",
    re.IGNORECASE,
)
# "... what dry needling is before she books", "... before my first appointment": when the question is asked,
# not what it is about
_BEFORE_BOOKING = re.compile(
    r"\s+before\s+(?:(?:she|he|they|i|we|you|the patient|the caller)\s+)?(?:books?|booking|books? in|signs? up"
    r"|signing up|commits?|comes? in|coming in|decides?|deciding)\b(?:\s+(?:in|an appointment|a session)\b)?"
    r"|\s+before\s+(?:my|her|his|their|the|your|our|a)\s+(?:first\s+)?(?:appointment|visit|session)"
    r"\b(?:\s+(?:tomorrow|next week|this week|on \w+)\b)?",
    re.IGNORECASE,
)
_ASKS_ABOUT = re.compile(r"\b(what|whats|how|why|who|explain|describe|definition|overview|science)\b")


def _widest(spans: list[tuple[str, int, int]]) -> list[str]:
    """The phrases of *spans* (phrase, start, end), in order, that no other of them holds."""
    return [p for p, a, b in spans if not any(x <= a and b <= y and (x, y) != (a, b) for _, x, y in spans)]


def _outside(tokens: tuple[str, ...], spans: list[tuple[str, int, int]]) -> list[str]:
    """The *tokens* outside every (phrase, start, end) of *spans*, and not a word of five letters or more
    of one said again ("why are the detroit pistons called the pistons")."""
    inside = {at for _, start, end in spans for at in range(start, end)}
    again = {tokens[at] for at in inside if len(tokens[at]) >= 5}
    return [token for at, token in enumerate(tokens) if at not in inside and token not in again]


def _treatment_for_the_thing(keyword: str, tokens: Sequence[str]) -> bool:
    """Does a keyword's "needle" or "needles", the thing, stand in *tokens* as "needling", the treatment? ("which
    methods of needling do you use" asks nothing of the needles used, "same kind of needling" nothing of their kind.)"""
    return "..." not in keyword and any(
        word.startswith("needle") and token in ("needling", "needled") for word, token in zip(keyword.split(), tokens)
    )


def _two_questions(sentence: str) -> list[str]:
    """A sentence that asks two questions with a comma between them, as two sentences; a question
    and what someone said, typed without a stop between them, as a question and a sentence."""
    parts = _COMMA_QUESTION.split(sentence)
    if len(parts) == 2 and _QUESTION_START.match(first := normalize(parts[0])) and not first.startswith("what if"):
        return [parts[0] + "?", parts[1]]
    told = _TOLD_AFTER.search(sentence)
    if told and _QUESTION_START.match(first := normalize(sentence[: told.start()])) and len(first.split()) >= 3:
        return [sentence[: told.start()] + "?", sentence[told.start():]]
    after = _STORY_AFTER.search(sentence)
    if after and _QUESTION_START.match(first := normalize(sentence[: after.start()])) and len(first.split()) >= 3:
        return [sentence[: after.start()] + "?", sentence[after.end():]]  # "why does it help at all, i've been ..."
    asked = _ASKED_AFTER.search(sentence)
    story = normalize(sentence[: asked.start()]) if asked else ""
    if len(story.split()) >= 4 and _A_STORY.search(story) and not _QUESTION_START.match(story):
        return [sentence[: asked.start()] + ".", sentence[asked.start():]]
    return [sentence]


# A question word alone after "and": the question before it, asked how or why.
_BARE_ASKS = frozenset({"how", "why", "how so", "why so", "how come", "how exactly", "why exactly"})

# A sentence that says the question before it again, in other words.
_RESTATES = re.compile(r"^(?:like|i mean|as in|ie|meaning|in other words)\b")


def _questions(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The questions in a message, normalised, in order, each with the sentences before it
    (what a pronoun in it may point to): its sentences that end with "?", start like a
    question or report one ("patient asks why ..."), split where "and" joins two questions."""
    if not isinstance(text, str):
        return []
    out = []
    before: list[str] = []
    sentences = [part for sentence in _SENTENCES.split(text[:MAX_CHARS]) for part in _two_questions(sentence)]
    for sentence in sentences:
        if likened := _LIKENED_AFTER.match(sentence):
            sentence = (likened.group(1) or likened.group(2)) + "?"  # the likeness only guesses at the answer
        norm = normalize(sentence)
        if not norm:
            continue
        if (unknown := _NO_IDEA.search(norm)) and unknown.start() > 0:
            # "my PT mentioned dry needling and honestly i have no idea what that is": a story, then the question
            before.append(norm[: unknown.start()].strip())
            norm = norm[unknown.start():]
        if out and _RESTATES.match(norm):
            # "frequency of sessions? like how many times a month": the same question in other words
            out[-1] = (out[-1][0], f"{out[-1][1]} {norm}")
        elif out and (guess := _GUESS.match(out[-1][1])) and _WHAT_IS_IT.match(_REALLY.sub("", norm)):
            # "is dry needling like sticking needles in muscles? what is it really": the guess was the question
            # of what it is, asked again
            named = guess.group(1) not in ("it", "this", "that")  # dry needling, by any of its names
            out[-1] = (tuple(before), "what is dry needling" if named else _REALLY.sub("", norm))
        elif sentence.rstrip().endswith("?") or _QUESTION_START.match(norm) or _ASKS.search(norm) or _NO_IDEA.search(norm):
            parts: list[str] = []
            for part in filter(None, _AND_QUESTION.split(norm)):
                if parts and part in _BARE_ASKS:
                    parts[-1] += f" and {part}"  # "does it really take pain away, and how?": how it does that
                else:
                    parts.append(part)
            out.extend((tuple(before), part) for part in parts)
        before.append(norm)
    return out


# A word of degree before what is asked ("the main benefits"): no sign of whose words the question is in.
_DEGREE = frozenset({"main"})
# Terms that only give a question its shape: they are no evidence of what it is about.
_ASKING = frozenset({"what", "how", "why", "who", "when", "where", "which", "difference", "long", "much"})
# The FAQ's terms for asking itself ("could you help", "how come"): no subject on their own.
_ASKING_TERMS = frozenset({"help", "why"})
# What any event does: no subject of its own ("why does it happen?").
_BARE_TERMS = frozenset({"happen", "mean"})
_NO_SUBJECT = _ASKING | _BARE_TERMS

#: Reply kinds :meth:`Engine.answer` can return.
KINDS = ("emergency", "smalltalk", "faq", "clarify", "fallback")



@dataclass(frozen=True)
class Policy:
    """When the bot answers, asks, or says it does not know (scores are 0-100)."""

    #: A FAQ answer needs at least this score ...
    answer_threshold: float = 55.0
    #: ... and this lead over the next FAQ entry; otherwise the bot asks.
    margin: float = 7.0
    #: Below this, nothing fits and the bot says so.
    clarify_threshold: float = 35.0
    #: Suggestions offered when unsure: at most this many, within this distance of the best.
    max_suggestions: int = 3
    suggestion_spread: float = 15.0
    #: Unsure, but at least this score: the entry is answered all the same when the matcher's
    #: second opinion names it too, with at least this likelihood (above 1: never).
    agreed_threshold: float = 40.0
    agreed_likelihood: float = 0.8


@dataclass(frozen=True)
class Suggestion:
    faq_id: str
    question: str


@dataclass(frozen=True)
class Reply:
    """What the bot says to one message.

    ``body`` is the reply without the disclaimer; ``text`` is the whole reply,
    always ending with the disclaimer. ``faq_id`` is set only for kind
    ``faq``; ``intent`` names the smalltalk, red flag or not-covered topic
    that answered, when one did.
    """

    kind: str
    body: str
    text: str
    faq_id: str | None = None
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    intent: str | None = None
    #: The conversation's context after this reply (not part of the JSON contract).
    context: Context | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract of ``bot.py ask --json``."""
        return {
            "kind": self.kind,
            "faq_id": self.faq_id,
            "score": self.score,
            "suggestions": [{"faq_id": s.faq_id, "question": s.question} for s in self.suggestions],
            "text": self.text,
        }


class Engine:
    """Answers messages from one :class:`Content`. Build once, then call :meth:`answer` per message."""

    def __init__(self, content: Content, *, policy: Policy | None = None, weights: Weights | None = None) -> None:
        self.content = content
        self.policy = policy or Policy()
        vocabulary = [
            text
            for entry in content.faqs
            for text in (*entry.phrasings, entry.answer)
        ]
        vocabulary += [text for topic in content.not_covered for text in (*topic.keywords, *topic.examples)]
        vocabulary += [p for intent in content.smalltalk for p in intent.patterns]
        names = [*content.topic_words, *content.synonyms]  # two-word names a slip in one word must not hide
        self.analyzer = Analyzer(
            synonyms=content.synonyms, spellings=content.spellings, vocabulary=vocabulary, phrases=names
        )
        self.matcher = Matcher(content, self.analyzer, weights=weights)
        self.red_flags = RedFlagDetector(content.red_flags, content.emergency_words)
        faq_words = {w for entry in content.faqs for p in entry.phrasings for w in normalize(p).split()}
        self.smalltalk = SmalltalkMatcher(content.smalltalk, topic_words=faq_words, spellings=content.spellings)
        self._faqs = {entry.id: entry for entry in content.faqs}
        self._answers = {entry.id: content.fill(entry.answer) for entry in content.faqs}
        self._topics = {topic.id: topic for topic in content.not_covered}
        self._clinic_answers = {t.id: content.fill(t.clinic_answer) for t in content.not_covered if t.clinic_answer}
        # Every not-covered keyword, in file order, so the first topic listed wins a tie.
        self._keyword_topics = {keyword: topic for topic in reversed(content.not_covered) for keyword in topic.keywords}
        self._vetoes = PhraseSet((k for topic in content.not_covered for k in topic.keywords), form=self.analyzer.form)
        self.topic_words = PhraseSet(content.topic_words, stemmed=False)
        self.shared_topic_words = PhraseSet(content.shared_topic_words, stemmed=False)
        self.everyday_senses = PhraseSet(content.everyday_senses, stemmed=False)
        # The terms each shared word stands for ("current" is e-stim): no second evidence of itself.
        self._shared_terms = {w: frozenset(self.analyzer.analyze(w).terms) for w in content.shared_topic_words}
        self._phrasings = [normalize(p) for entry in content.faqs for p in entry.phrasings]
        # The subject of an entry an overview covers: the FAQ's own terms (synonym targets such as
        # "e_stim", "pistoning") in its question that no sibling's question has.
        asked = {entry.id: set(self.analyzer.analyze(entry.question).terms) & self.analyzer.canonical_terms for entry in content.faqs}
        self._subjects: dict[str, frozenset[str]] = {}
        for entry in content.faqs:
            for covered in entry.covers:
                siblings = set().union(*(asked[other] for other in entry.covers if other != covered))
                self._subjects[covered] = frozenset(asked[covered] - siblings)
        # The terms that name an entry: the FAQ's own terms in its question that at most one other question
        # has ("twitch" for the twitch response, "e_stim" for the two e-stim entries).
        # Only a term of the subject's own words names it: "release" is a verb anything can take.
        shared = Counter(t for terms in asked.values() for t in terms)
        subject_terms = {t for w in (*content.topic_words, *content.shared_topic_words) for t in self.analyzer.analyze(w).terms}
        self._names = {
            entry_id: frozenset(t for t in terms if shared[t] <= 2 and t in self.matcher.informative and t in subject_terms)
            for entry_id, terms in asked.items()
        }
        # An overview's own terms ("technique" for the methods).
        self._own_terms = {
            entry.id: frozenset(asked[entry.id]) & self.matcher.informative for entry in content.faqs if entry.covers
        }
        # The entry that says what the treatment is used for, asked whether it helps a problem.
        self._helps_with = content.conversation.get("helps_with")
        # The terms that name the treatment itself ("dry needling", "the needles", "e-stim").
        self._treatment_terms = frozenset(self.analyzer.analyze("dry needling needles e-stim").terms)
        self._overviews = frozenset(content.overview)
        self.disclaimer = reflow(content.disclaimer)
        # Every fixed text with its placeholders filled, once.
        self._messages = {key: content.fill(text) for key, text in content.messages.items()}
        self._replies = {
            (type(item).__name__, item.id): content.fill(item.reply)
            for item in (*content.red_flags, *content.smalltalk, *content.not_covered)
        }

    @classmethod
    def from_file(cls, path: str | Path) -> Engine:
        """Load and validate a FAQ file; raises :class:`~intents.content.ContentError`."""
        return cls(load_content(path))

    # ------------------------------------------------------------------ replies

    def reply(self, kind: str, body: str, **fields: Any) -> Reply:
        """Build a reply of *kind* whose text ends with the disclaimer."""
        body = body.strip()
        text = f"{body}\n\n{self.disclaimer}" if body else self.disclaimer
        return Reply(kind=kind, body=body, text=text, **fields)

    def message(self, key: str, kind: str = "info") -> Reply:
        """A fixed message from the ``messages`` section (welcome, help, about, ...)."""
        return self.reply(kind, self._messages[key], intent=key)

    def faq(self, faq_id: str, *, score: float = 100.0) -> Reply | None:
        """The answer of one entry, as if it had been matched; ``None`` for an unknown id."""
        if faq_id not in self._faqs:
            return None
        return self.reply("faq", self._answers[faq_id], faq_id=faq_id, score=score)

    def entry(self, faq_id: str) -> FaqEntry | None:
        return self._faqs.get(faq_id)

    def fallback(self, *, score: float = 0.0) -> Reply:
        """The honest "not in my FAQ" reply, pointing to /topics and the clinic."""
        return self.reply("fallback", self._messages["fallback"], score=score)

    # ------------------------------------------------------------------ matching

    def rank(self, text: str, *, limit: int = 5) -> list[tuple[FaqEntry, float]]:
        """The best FAQ entries for *text* with their scores, even when unsure (for inline search)."""
        analysis = self.analyzer.analyze(text)
        ranked = [s for s in self.matcher.score(analysis) if s.target.kind == "faq"]
        return [(self._faqs[s.target.id], s.score) for s in ranked[:limit]]

    def answer_alone(self, text: str) -> Reply:
        """Turn one message, taken on its own, into a reply. Never raises for any string."""
        norm = normalize(text if isinstance(text, str) else "")
        if not norm:
            return self.fallback()

        flag = self.red_flag(text)
        if flag is not None:
            return self.emergency(flag)

        chat = self.smalltalk.match(norm, normalized=True) or self._smalltalk_with_aside(text)
        if chat is not None:
            return self.reply("smalltalk", self._replies["Smalltalk", chat.id], intent=chat.id)

        text, norm = self._unwrapped(text, norm)
        text, norm = self._after_smalltalk(text, norm)
        text, norm = self._before_booking(text, norm)
        analysis = self.analyzer.analyze(norm, normalized=True)
        questions = _questions(text)
        about = None
        if len(questions) > 1 or (questions and (len(norm.split()) >= LONG_MESSAGE or questions[0] != norm)):
            about = self.about_topic(analysis)
            matched: dict[str, Reply] = {}  # a part that is the whole message is matched once
            reply = self._answer_each(questions, analysis, about=about, matched=matched)
            if reply is not None:
                return reply
            if norm in matched:
                return matched[norm]
        return self._match(analysis, about=about)

    def _unwrapped(self, text: str, norm: str) -> tuple[str, str]:
        """*text* (and its normal form) without a letter's salutation and sign-off ("Dear team, ... Kind regards,
        Ingrid"), when something is left."""
        rest = _SIGN_OFF.sub("", _SALUTATION.sub("", text[:MAX_CHARS], count=1), count=1)
        if rest == text[:MAX_CHARS]:
            return text, norm
        rest_norm = normalize(rest)
        return (rest, rest_norm) if rest_norm else (text, norm)

    def _after_smalltalk(self, text: str, norm: str) -> tuple[str, str]:
        """*text* (and its normal form) without the smalltalk clause it opens with: in "Good afternoon, what
        is a trigger point?" the greeting's words ("good") say nothing of the question."""
        cut = _CLAUSES.search(text[:MAX_CHARS])
        if cut is None or self.smalltalk.match(text[: cut.start()], fuzzy=False) is None:
            return text, norm
        rest = text[cut.end():]
        rest_norm = normalize(rest)
        return (rest, rest_norm) if rest_norm else (text, norm)

    def _before_booking(self, text: str, norm: str) -> tuple[str, str]:
        """*text* (and its normal form) without a closing "before she books" when what is left asks something
        of the FAQ's subject ("what is dry needling", not "what should I do")."""
        cut = _BEFORE_BOOKING.search(text) if "before" in norm else None
        if cut is None or text[cut.end():].strip(" .?!"):
            return text, norm
        rest = normalize(text[: cut.start()])
        tokens = Stemmed.join(self.analyzer.analyze(rest, normalized=True).tokens)
        asks = _ASKS_ABOUT.search(rest) or _QUESTION_START.match(rest)  # "are there different techniques ..." asks too
        if not (asks and (self.topic_words.first(tokens) or self.shared_topic_words.first(tokens))):
            return text, norm
        return text[: cut.start()], rest

    def _smalltalk_with_aside(self, text: str) -> Smalltalk | None:
        """Smalltalk in a message whose other words ask nothing of the FAQ: "you guys are a lifesaver,
        thanks!", "hi! just breathing a sigh of relief that you have a chat", "so relieved, thank you! off to
        bed now". The first clause's smalltalk is replied to, else the last's, else the first in between.
        Not when the rest objects ("thanks, but that did not answer my question") or names a topic ("hi,
        what does it cost")."""
        parts = (p for c in _CLAUSES.split(text[:MAX_CHARS]) for p in _OR_A.split(c))
        clauses = [c for c in (normalize(p) for p in parts) if c]
        if len(clauses) < 2:
            return None
        chats = [self.smalltalk.match(c, normalized=True, fuzzy=False) for c in clauses]
        chat = next((chats[at] for at in (0, -1, *range(1, len(chats) - 1)) if chats[at] is not None), None)
        if chat is None:
            return None
        rest = [c for c, said in zip(clauses, chats) if said is None]
        if any(_QUESTION_START.match(c) and not _EXCLAIMS.match(c) for c in rest):
            return None
        aside = " ".join(rest)
        analysis = self.analyzer.analyze(aside, normalized=True)
        # asked what the bot is or can do, the rest tells only ("morning! i'm half asleep, who am i talking to?");
        # but a bare "help?" after words about the subject asks for help with them
        asked = next((said for c, said in zip(clauses, chats) if said is not None and said.id in _ASKS_THE_BOT
                      and (_TO_THE_BOT.search(c) or self.smalltalk.is_pattern(c))
                      and not (c in _BARE_HELP and self.about_topic(analysis))), None)
        if asked is not None:
            return asked
        if _OBJECTS.search(aside):
            return None
        return chat if self.veto(analysis) is None and not self.about_topic(analysis) else None

    def _match(self, analysis: Analysis, *, about: bool | None = None) -> Reply:
        """The FAQ's reply to one question: not covered, an answer, "did you mean", or a fallback.

        *about* is whether the message is about this FAQ's subject, when the caller knows already.
        """
        topic = self.veto(analysis)
        helps = _ASKS_IF_IT_HELPS.search(analysis.normalized) if topic is not None and self._helps_with else None
        normalized = analysis.normalized
        if helps and (
            # a story told in passing ("my dad had a stroke in 2015, can needling help his shoulder?"): whether
            # it helps the problem told is what it is used for, unless the question itself names the topic
            (is_habit_or_past(normalized[: helps.start()]) and self._covers_nothing(normalized[helps.start():]))
            # ... or what a condition left behind ("can dry needling help spasticity after a stroke?"), when
            # nothing but the condition's name is a topic the FAQ does not cover
            or (_AFTERMATH.search(normalized, helps.end()) and self._covers_nothing(_AFTERMATH.sub(" ", normalized)))
        ):
            return self.faq(self._helps_with)
        if topic is not None:
            return self._not_covered(topic.id)
        if not (self.about_topic(analysis) if about is None else about):
            return self.fallback()

        overview = self._overview(analysis)
        if overview is not None:
            return self.faq(overview)
        who = _WHO_DOES_IT.search(analysis.normalized) is not None  # asks who may do it
        foil = _FOIL.search(analysis.normalized)
        if foil is not None:
            asked = foil.group("head") or foil.group("feel") or foil.group("what") or f"what is {foil.group('between')}"
            head = self.analyzer.analyze(asked, normalized=True)
            if head.terms and (
                set(head.terms) & self.matcher.informative or self.topic_words.first(Stemmed.join(head.tokens))
                or (foil.group("feel") and _REFERS_TO_IT.search(asked))  # "does it feel like getting a shot"
            ):
                analysis = head
        analysis = self._without_everyday_senses(analysis)
        asked = _WHEN_CLAUSE.match(analysis.normalized)
        if asked is not None:
            # how it feels, asked of a moment ("what does it feel like when the needle goes into the muscle"):
            # the question alone, when it is sure, whatever the moment names
            head = self.matcher.score(self.analyzer.analyze(asked.group(1), normalized=True))
            heads = [h for h in head if h.target.kind == "faq"]
            if head and head[0].target.kind == "faq" and self._sure(heads):
                return self.faq(heads[0].target.id, score=heads[0].score)
        ranked = self.matcher.score(analysis, asks="who" if who else None)
        if who:
            ranked = [s for s in ranked if s.target.kind == "faq"]
        if not ranked:
            return self.fallback()
        best = ranked[0]
        if best.target.kind == "not_covered":
            return self._not_covered(best.target.id, best.score)
        faqs = [s for s in ranked if s.target.kind == "faq"]
        if (
            best.target.id == self._helps_with and _WHAT_A_PROBLEM_IS.search(analysis.normalized)
            and not set(analysis.terms) & self._treatment_terms
            and not (_ASKS_IF_IT_HELPS.search(analysis.normalized) or _WHAT_IT_HELPS.search(analysis.normalized))
        ):
            return self.fallback(score=best.score)  # what a problem is, not what the treatment is used for
        asks_use = self._asks_what_it_helps(analysis, best)
        if best.target.id == self._helps_with or asks_use:
            # what it is used for; or what the one method it names is used for, when that method's answer tells it
            method = self._method_used_for(analysis)
            if method is not None or asks_use:
                return self.faq(method or self._helps_with, score=best.score)
        policy = self.policy
        method = self._method_for_a_problem(analysis)
        if method is not None:
            return self.faq(method, score=best.score)  # "which technique is used for scar tissue": winding
        told = self._told_by_the_other(analysis, best.target.id)
        if told is not None:
            # "my leg jerked along with the e-stim": the e-stim's answer tells the jerk, the twitch's answer no e-stim
            return self.faq(told, score=best.score)
        if self._yes_or_no_for_a_problem(analysis, faqs):
            # "can it help with chronic pain all over my body": whether it helps the problem, not how it does
            return self.faq(self._helps_with, score=best.score)
        if best.target.id not in self._subjects and all(
            self._only_likened(analysis, self._names[m]) for m in self._methods_named(analysis)
        ):
            # a method the question does not name, or names only in a likeness, is no rival ("my PT wants to add
            # needles, what's in it for me" asks the benefits, however close winding's words come)
            faqs = [s for s in faqs if s.target.id not in self._subjects]
        if self._sure(faqs):
            return self.faq(self._treated(analysis, best.target.id), score=best.score)
        if best.score >= policy.agreed_threshold and self._agrees(analysis, best.target.id):
            return self.faq(self._treated(analysis, best.target.id), score=best.score)
        if best.score >= policy.clarify_threshold:
            method = self._method_used_for(analysis)
            reply = self._clarify(faqs, best)
            if method is not None and any(s.faq_id == method for s in reply.suggestions):
                # the one method it names is among the close guesses, and its answer holds every word asked of it
                # ("does e-stim really boost blood flow?")
                return self.faq(method, score=best.score)
            treated = self._treated(analysis, best.target.id)
            if treated != best.target.id and any(s.faq_id == treated for s in reply.suggestions):
                return self.faq(treated, score=best.score)  # one of the two is how it is treated
            named = self._named_only(analysis, reply.suggestions) if best.score >= policy.answer_threshold else None
            if named is not None:
                return self.faq(named, score=best.score)
            helps = self._helps_with
            offered = any(s.faq_id == helps for s in reply.suggestions)
            if helps and _ASKS_IF_IT_HELPS.search(analysis.normalized) and (
                offered or not self.matcher.evidence_for(analysis, best.target.id)
            ):
                # whether it helps a problem: what it is used for, when it is offered or when the best guess
                # rests on common words alone ("can dry needling help whiplash after a car crash?"); or what
                # the one method it names is used for, when that method's answer tells it
                return self.faq(method or helps, score=best.score)
            return reply
        return self.fallback(score=best.score)

    def _method_for_a_problem(self, analysis: Analysis) -> str | None:
        """The one method whose answer names the problem a question asks a method for, in the overview's own words
        and naming no method ("is there a technique for scars", "which technique is best for a knot"); ``None``
        when it names none, or two problems, or more than one method's answer holds them."""
        terms = set(analysis.terms)
        if not any(own & terms for own in self._own_terms.values()) or _SEVERAL_ASKED.search(analysis.normalized):
            return None  # "which techniques do you use for scars and which for knots" asks about several
        if self._methods_named(analysis):
            return None
        problems = {t for entry_id, name in self._names.items() if entry_id not in self._subjects for t in name & terms}
        if not problems:
            return None
        holding = [m for m in self._subjects if problems <= self.matcher.answer_terms.get(m, frozenset())]
        return holding[0] if len(holding) == 1 else None

    def _methods_named(self, analysis: Analysis) -> list[str]:
        """The methods (the entries an overview covers) whose own words the question uses."""
        terms = set(analysis.terms)
        return [m for m in self._subjects if self._names.get(m, frozenset()) & terms]

    def _told_by_the_other(self, analysis: Analysis, best: str) -> str | None:
        """The other of exactly two entries the question names, a method, when its answer tells the subject of
        *best* and *best*'s answer does not tell the method; else ``None``."""
        terms = set(analysis.terms)
        said = {entry_id: name & terms for entry_id, name in self._names.items() if name & terms}
        if best not in said or best in self._subjects or len(set(said.values())) != 2:
            return None  # two subjects, each said in its own words (e-stim's words may name its frequencies too)
        # only a method told beside its effect ("the twitch with the e-stim")
        methods = [m for m in self._subjects if m in said and said[m] != said[best]]
        if len(methods) != 1:
            return None
        other = methods[0]
        if self._only_likened(analysis, said[other]):
            return None  # "my leg kicked like it got shocked" compares the twitch with a shock
        answers = self.matcher.answer_terms
        if said[best] <= answers.get(other, frozenset()) and not said[other] <= answers.get(best, frozenset()):
            return other
        return None

    def _only_likened(self, analysis: Analysis, name: frozenset[str]) -> bool:
        """Does every word of *name* in the message come in a likeness: a few words after "like", or just before it?"""
        tokens = analysis.tokens
        if "like" not in tokens:
            return False
        at = [i for i, terms in enumerate(self._terms_by_token(analysis)) if terms & name]
        return bool(at) and all("like" in tokens[max(0, i - 4) : i + 2] for i in at)  # "like a shock", "shock-like"

    def _yes_or_no_for_a_problem(self, analysis: Analysis, faqs: Sequence[Scored]) -> bool:
        """Does the question ask yes or no whether the treatment helps a problem, when the best guess is the entry
        that tells how a problem is treated ("can needling help my chronic pain", not "how does it help chronic
        pain"), and what it is used for is among the close ones?"""
        if not faqs or not self._helps_with or faqs[0].target.id not in self.content.treated_by.values():
            return False
        if not _ASKS_IF_IT_HELPS.search(analysis.normalized) or _HOW_OR_WHY.search(analysis.normalized):
            return False
        # ... a problem told, not pain in general ("does it help with pain" asks how it relieves pain)
        told = [t for t in analysis.terms if t not in _ASKING and t not in _GENERAL_PAIN]
        return bool(told) and any(s.target.id == self._helps_with for s in faqs[1:3])

    def _sure(self, faqs: Sequence[Scored]) -> bool:
        """Is the first of *faqs* (best first) a confident answer: a high enough score, far enough ahead?"""
        if not faqs:
            return False
        runner_up = faqs[1].score if len(faqs) > 1 else 0.0
        return faqs[0].score >= self.policy.answer_threshold and faqs[0].score - runner_up >= self.policy.margin

    def _covers_nothing(self, normalized: str) -> bool:
        """Does *normalized* name no topic the FAQ does not cover?"""
        return self.veto(self.analyzer.analyze(normalized, normalized=True)) is None

    def _method_used_for(self, analysis: Analysis) -> str | None:
        """The one method the question names, when its own answer tells the use asked about: "is needling with
        e-stim good for post-op recovery" is answered by what e-stim is used for, not by what dry needling helps.
        ``None`` when it names no method, or two, or its answer does not hold the question's words."""
        named = self._methods_named(analysis)
        if len(named) != 1:
            return None
        # what is asked of it, without the words that ask whether it helps ("a good option after surgery")
        rest = self.analyzer.analyze(_ASKS_IF_IT_HELPS.sub(" ", analysis.normalized), normalized=True)
        asked = {t for t in rest.terms if t in self.matcher.informative} - self._names[named[0]]
        return named[0] if asked and asked <= self.matcher.answer_terms[named[0]] else None

    def _named_only(self, analysis: Analysis, suggestions: Sequence[Suggestion]) -> str | None:
        """The one of the close entries (the first three offered) that the question names ("what's the twitch
        thing that happens with needling": the twitch, not what the needle does to a knot), or ``None`` when it
        names more than one or none."""
        terms = set(analysis.terms)
        named = [s.faq_id for s in suggestions if self._names.get(s.faq_id, frozenset()) & terms]
        if len(named) != 1 or len(suggestions) < 2 or named[0] not in (s.faq_id for s in suggestions[:3]):
            return None
        opinion = self.matcher.second_opinion(analysis)
        return named[0] if opinion is not None and opinion[0] == named[0] else None

    def _asks_what_it_helps(self, analysis: Analysis, best: Scored) -> bool:
        """Does the question ask what the treatment is used for, whatever the score (the ``helps_with`` entry
        answers it)? "What can it fix?", whom it is for ("who is dry needling for", "is it only for
        athletes?"), and whether it helps a problem when the best guess is an overview of dry needling ("can
        it help the breathing muscles?" is not "how does it work"). An entry's own phrasing stands."""
        normalized = analysis.normalized
        overview = best.target.id in self._overviews and best.target.id != self._helps_with
        asks = (
            _WHAT_IT_HELPS.search(normalized) or _IT_IS_FOR.search(normalized)
            or (overview and _ASKS_IF_IT_HELPS.search(normalized))
        )
        return bool(self._helps_with and asks and not self._near_copy(normalized))

    def _treated(self, analysis: Analysis, faq_id: str) -> str:
        """*faq_id*, or the entry that says how its problem is treated when the question asks that."""
        treated = self.content.treated_by.get(faq_id)
        return treated if treated and _HOW_IT_HELPS.search(analysis.normalized) else faq_id

    def _agrees(self, analysis: Analysis, faq_id: str) -> bool:
        """Does the matcher's second opinion name *faq_id*, and surely enough?"""
        opinion = self.matcher.second_opinion(analysis)
        return opinion is not None and opinion[0] == faq_id and opinion[1] >= self.policy.agreed_likelihood

    def _answer_each(
        self, questions: list[tuple[tuple[str, ...], str]], whole: Analysis, *, about: bool, matched: dict[str, Reply]
    ) -> Reply | None:
        """A long message: answer each question in it that the FAQ answers (two at most, each
        under its title), and name a topic it does not cover. ``None`` when no part gets a
        confident answer (the whole message is then matched as one question). *about*: the
        whole message is about this subject, so each part is too. *matched* gets the reply to a
        part that is the whole message, read on its own, for the caller to reuse."""
        answered: list[Reply] = []
        on_its_own = unsure = False
        missing: NotCovered | None = None
        elsewhere = False  # an earlier question asked about something this FAQ does not know
        for at, (before, question) in enumerate(questions):
            if _IS_THAT_THE.match(question):
                question = _WHAT_YOU_CALL.sub("", question)  # "is that what you call a knot" asks "is that a knot"
            # *part* may be read with what came before
            part = alone = whole if question == whole.normalized else self.analyzer.analyze(question, normalized=True)
            leans = (
                _PRONOUN.search(question) is not None or len(part.terms) < 2 or _SUITS.search(question) is not None
                or _THE_CAUSE.search(question) is not None or _ANY_DIFFERENT.search(question) is not None
            ) and not _IS_THAT_THE.match(question) and not _WHAT_IT_IS_BY_NAME.match(question)
            if elsewhere and (leans or len([t for t in part.terms if t not in _ASKING]) < 2):
                continue  # "what's a hang glider and how does it work": "it" is the glider
            if (
                any(t not in self.matcher.idf for t in part.terms) or self.everyday_senses.where(Stemmed.join(part.tokens))
            ) and not self._part_about(part, whole, about):
                elsewhere = True
            borrowed = bool(before) and leans
            if (
                at and leans and not before and _PRONOUN.search(question) and not part.terms[1:]
                and not self._part_about(part, whole, about)
            ):
                continue  # "... and what are they": nothing it points to, and nothing of its own
            if borrowed:
                # "what is it?" after "my PT mentioned dry needling": read with the subject named
                # nearest before it; "why?" after what hurts: with the sentence before it
                named = next((found for s in reversed(before) if (found := self._named_topic(s))), None)
                # ... but "how long ought that to last" after "the spot is still tender" points at what was told
                # ... and "how are the two connected" at both things the sentence named
                unknown = _NO_IDEA.search(question) is not None  # "i have no idea what that is": what it is
                told = (
                    (_POINTS_BACK.search(question) and not _WHAT_IS_IT.match(question) and not unknown)
                    or _BOTH.search(question) or _THE_CAUSE.search(question) or _THAT_METHOD.match(question)
                )
                context = before[-1] if told else named or before[-1]
                if named and unknown:
                    part = self.analyzer.analyze(f"what is {named}", normalized=True)  # what the thing named is
                else:
                    part = self.analyzer.analyze(f"{context} {question}", normalized=True)
            topic = self.veto(part)
            if topic is None and before and _MAY_I_HAVE.match(question):
                # "I have a pacemaker. Can I have e-stim with the needles?": whether one may have it is the question
                # of what was told
                topic = self.veto(self.analyzer.analyze(" ".join(before), normalized=True))
            about_the_treatment = (
                borrowed and not _ABOUT_ME.search(question) and not _POINTS_BACK.search(question)
                and not _SUITS.search(question) and not _ANY_DIFFERENT.search(question)
            )
            # ... when it asks something of its own: "why does it happen?" asks about what was named before it
            asks_its_own = any(t not in _NO_SUBJECT for t in alone.terms)
            if topic is not None and about_the_treatment and asks_its_own and self.veto(alone) is None:
                # what it feels like, how it works: the question asks about the treatment, whatever the sentence
                # before it told ("I handle flu shots fine. What will it feel like?"), so it is answered on its
                # own and the topic of that sentence is named as one the FAQ does not cover
                reply = self._match(alone)
                if reply.kind == "faq":
                    missing = missing or topic
                    if all(r.faq_id != reply.faq_id for r in answered):
                        answered.append(reply)
                        on_its_own = True
                    continue
            if topic is not None and topic.clinic_answer:  # the clinic wrote its own answer: one more answer
                if all(r.faq_id != topic.id for r in answered):
                    answered.append(self._not_covered(topic.id))
                    on_its_own = on_its_own or not borrowed
                continue
            if topic is not None:
                missing = missing or topic
                continue
            reply = self._match(part, about=True if about else (False if part is whole else None))
            if part is whole:
                matched[question] = reply
            if borrowed and reply.kind == "fallback" and not reply.intent and _PRONOUN.search(question):
                # read with the sentence before it, nothing fits; a question that names the subject itself
                # stands on its own ("My friend said it was the weirdest feeling ever. What does it feel like
                # when the needle goes in?")
                if self.about_topic(alone):
                    reply = self._match(alone, about=True)
            unsure = unsure or reply.kind == "clarify"
            if reply.kind == "faq" and all(r.faq_id != reply.faq_id for r in answered):
                answered.append(reply)
                on_its_own = on_its_own or not borrowed
        if not answered or (unsure and not on_its_own):
            # "Is that normal?" read with the sentence before it is no answer when that
            # sentence itself was unclear: the whole message is matched as one instead
            return None
        answered = answered[:MAX_ANSWERS]
        if missing is None:
            whole_topic = self.veto(whole)
            missing = whole_topic if whole_topic is not None and not whole_topic.clinic_answer else None
        if len(answered) == 1:
            body = answered[0].body
        else:
            body = "\n\n".join(f"{self._title(r.faq_id)}\n{r.body}" for r in answered)
        if missing is not None:
            body += "\n\n" + self._replies["NotCovered", missing.id]
        first = answered[0]
        return self.reply("faq", body, faq_id=first.faq_id, score=min(r.score for r in answered),
                          intent=missing.id if missing else None)

    def _part_about(self, part: Analysis, whole: Analysis, about: bool) -> bool:
        """Is *part* of a long message about this subject? The part that is the whole message is as the caller
        found it."""
        return about if part is whole else self.about_topic(part)

    def _title(self, answer_id: str) -> str:
        """The title of an entry, or of a not-covered topic the clinic answered (its first example)."""
        if answer_id in self._faqs:
            return self._faqs[answer_id].title
        topic = self._topics[answer_id]
        return (topic.examples[0] if topic.examples else topic.keywords[0]).capitalize()

    def _named_topic(self, normalized: str) -> str | None:
        """The topic a sentence names last ("my PT mentioned dry needling" names dry needling), that "it" can
        stand for: not a person or a muscle ("the e-stim made my muscle pulse, what is it doing?"). ``None``
        when it names only those: then "that" stands for all it told ("my therapist moved the needle in and out
        fast. what's that technique called?")."""
        found = self.topic_words.where(Stemmed.join(self.analyzer.analyze(normalized, normalized=True).tokens))
        whole = _widest(sorted(found, key=lambda hit: (hit[2], hit[2] - hit[1])))
        things = [phrase for phrase in whole if phrase not in _NO_REFERENT]
        return things[-1] if things else None

    def _overview(self, analysis: Analysis) -> str | None:
        """The overview entry whose covered entries the question names two or more of, if any:
        "what's the difference between pistoning and winding" asks about the methods together; so does a question
        in the overview's own words that names two of them ("what kinds are there, like the jabbing one and the
        twisting one")."""
        terms = set(analysis.terms)
        if _OTHER_WAYS.search(analysis.normalized):
            # "besides leaving the needles in with current, what other ways do you needle?": the methods beside the
            # one named, or beside needling itself
            for entry in self.content.faqs:
                if entry.covers and (terms & self._treatment_terms or any(
                    self._subjects.get(covered, set()) & terms for covered in entry.covers
                )):
                    return entry.id
        if not _COMPARES.search(analysis.normalized):
            for entry in self.content.faqs:
                named = [covered for covered in entry.covers if self._subjects.get(covered, set()) & terms]
                if len(named) >= 2 and self._own_terms.get(entry.id, set()) & terms:
                    return entry.id
            return None
        # "quick or slow" sets two answers side by side, not the method beside others ("gentler than")
        only_or = all(found.group(0) == "or" for found in _COMPARES.finditer(analysis.normalized))
        for entry in self.content.faqs:
            named = [covered for covered in entry.covers if self._subjects.get(covered, set()) & terms]
            # ... or one of them set beside the others ("are there gentler styles than the in-and-out one"),
            # not the overview's word in the method's own name, asked "or" ("is the pistoning technique quick or slow")
            if entry.covers and (len(named) >= 2 or (
                len(named) == 1 and self._own_terms.get(entry.id, set()) & terms
                and not ((only_or or _THAN_THE_OTHER.search(analysis.normalized))
                         and self._only_in_name(analysis, self._own_terms[entry.id], self._subjects[named[0]]))
            )):
                return entry.id
        return None

    def _terms_by_token(self, analysis: Analysis) -> list[frozenset[str]]:
        """The terms each word of the message stands for on its own, word by word."""
        return [frozenset(self.analyzer.analyze(token, normalized=True).terms) for token in analysis.tokens]

    def _only_in_name(self, analysis: Analysis, own: frozenset[str], subject: frozenset[str]) -> bool:
        """Does every word of *own* in the message follow a word of *subject* ("the winding technique")?"""
        terms = self._terms_by_token(analysis)
        at = [i for i, t in enumerate(terms) if t & own]
        return bool(at) and all(i > 0 and terms[i - 1] & subject for i in at)

    def veto(self, analysis: Analysis) -> NotCovered | None:
        """The not-covered topic one of whose keywords occurs in the message, if any."""
        found = self._vetoes.found(Stemmed.join(analysis.words))
        if found:
            everyday = [(x, y) for _, x, y in self.everyday_senses.where(Stemmed.join(analysis.tokens))]
            # a keyword in the words of an everyday sense is that sense ("the stroke coach", "bee hives"), and one
            # inside a longer synonym is what the synonym stands for ("a needle with no medicine in it" is dry)
            longer = self.analyzer.phrase_spans(analysis.words)
            hits = self._vetoes.where(Stemmed.join(analysis.words))
            kept = {k for k, a, b in hits if not any(x <= a and b <= y for x, y in everyday)
                    and not any(x <= a and b <= y and y - x > b - a for x, y in longer)
                    and not _treatment_for_the_thing(k, analysis.tokens[a:b])}
            found = [k for k in found if k in kept]
        if found and _WHY_IT_EASES.search(analysis.normalized) and all("feel" in k.split() for k in found):
            return None  # why it feels better after asks how it works, not what to expect afterwards
        if found and _WHO_DOES_IT.search(analysis.normalized):
            professions = " ".join(m.group(0) for m in _PROFESSION_WORD.finditer(analysis.normalized))
            found = [k for k in found if k not in professions]  # who does it, not another treatment
        if found and _SAID_BY.search(analysis.normalized):
            # the one who told it ("my massage therapist says I've got knots"), not another treatment asked about
            sources = " ".join(m.group("who") for m in _SAID_BY.finditer(analysis.normalized))
            found = [k for k in found if k not in sources or k in _SAID_BY.sub(" ", analysis.normalized)]
        if not found:
            return None
        # The most specific keyword wins: "what should I avoid after my session" is about aftercare.
        return self._keyword_topics[max(found, key=lambda keyword: len(keyword.split()))]

    def about_topic(self, analysis: Analysis) -> bool:
        """Is there evidence that the message is about this FAQ's subject at all?

        One of the ``topic_words`` ("dry needling", "trigger point", ...), or of the
        ``shared_topic_words`` ("needle", "pain", ...) in words the FAQ knows; or the treatment
        meant as "it" ("does it hurt?", "how long does it take?") in words the FAQ knows; or
        every word of the message used by one entry's phrasings ("how long is a session"); or
        a near-copy of a FAQ phrasing. Shared verbs ("reset", "release", "work") are not
        evidence: "how do I reset my tv remote" is not about trigger points, and neither is a
        topic word in the company of ``everyday_senses`` ("pine needles", "a fascia board").
        """
        if _TRANSLATES.search(analysis.normalized) and not self._near_copy(analysis.normalized):
            return False  # "what's muscle in french", "how do you say trigger point in spanish"
        words = Stemmed.join(analysis.tokens)
        everyday = self.everyday_senses.where(words)
        if everyday:
            # "why are the needles on my pine tree turning brown": only words outside the everyday
            # sense's phrase can show the subject
            outside = _outside(analysis.tokens, everyday)
            rest = Stemmed.join(outside)
            left = self.analyzer.analyze(" ".join(outside), normalized=True)
            if not (self.topic_words.first(rest) or self.shared_topic_words.first(rest)):
                # ... and a figure of speech with no word of the FAQ in it ("I'm dying to know how it works") is
                # read without its words; one with such a word ("thread the needle", "central heating") is not
                # the subject
                inside = [t for _, start, end in everyday for t in analysis.tokens[start:end]]
                if any(t in self.matcher.idf for t in self.analyzer.analyze(" ".join(inside), normalized=True).terms):
                    return False
                return bool(left.terms) and self._about_in_other_words(left, Stemmed.join(left.tokens))
            words = rest  # the words of the everyday sense are no evidence either way
            analysis = left if left.terms else analysis  # read as _without_everyday_senses reads it
        if self.topic_words.first(words):
            return True
        return self._about_in_other_words(analysis, words)

    def _about_in_other_words(self, analysis: Analysis, words: Stemmed) -> bool:
        """:meth:`about_topic` for a message without a topic word: shared words, "it", one entry's words."""
        if _WORD_REQUEST.search(analysis.normalized):
            # the meaning of an everyday word, unless the FAQ asks it or it is told in one entry's words ("what
            # does referred pain from a knot mean")
            return self._near_copy(analysis.normalized) or self._told_in_one_entry(analysis)
        all_known = all(t in self.matcher.idf or t.isdigit() for t in analysis.terms)  # "2 hz vs 50 hz": numbers say nothing
        shared = self._shared_words(words)
        # ... or with one of the FAQ's own terms for what the body does ("hurts" with "sensitive",
        # "ache" with "knot"), whatever everyday words surround them
        own = {t for t in analysis.terms if t in _BODY_TERMS}.difference(*(self._shared_terms[w] for w in shared))
        said_of_a_body = any(w not in _TOOL_WORDS for w in shared)
        if shared and (all_known or len(set(shared)) >= 2 or (own and said_of_a_body)):
            return True
        if _REFERS_TO_IT.search(analysis.normalized) and (
            all_known or _FEELS_LIKE.search(analysis.normalized) or (shared and self._told_in_one_entry(analysis))
        ):
            return True
        if _FEELS_COMPARED.search(analysis.normalized + " "):
            return True
        # "can it help w a frozen shoulder", "will it help my shoulder after my rotator cuff surgery": whether
        # the treatment helps, hurts or works, said of the body or of pain, whatever the words around it
        if (_IT_HELPS.search(analysis.normalized) or _ASKS_IF_IT_HELPS.search(analysis.normalized)) and (
            shared or "body_part" in analysis.terms
        ):
            return True
        # Told in one entry's words: two terms beyond the question's shape ("how long is a session"), a
        # topic typed alone ("benefits"), or one of the FAQ's own terms asked about in no everyday word of
        # shared_topic_words ("what exactly is a knot", not "what does current mean in electricity").
        # (a word of degree, "the main benefits", tells nothing of whose words these are)
        asked = replace(analysis, terms=tuple(t for t in analysis.terms if t not in _DEGREE))
        content = [t for t in asked.terms if t not in _ASKING]
        keyword = len(analysis.normalized.split()) <= 2
        own_term = (
            bool(content)
            and set(content) <= self.analyzer.canonical_terms - _ASKING_TERMS
            and not shared
            and _QUESTION_START.match(analysis.normalized) is not None
        )
        if (len(content) >= 2 or (keyword and content) or own_term) and self.matcher.explains(asked):
            return True
        return self._near_copy(analysis.normalized)

    def _told_in_one_entry(self, analysis: Analysis) -> bool:
        """Two or more of the question's informative terms, all used by one entry's phrasings, whatever
        other words surround them ("does it raise ur pain threshold")."""
        informative = [t for t in analysis.terms if t in self.matcher.informative and t not in _NO_SUBJECT]
        return len(set(informative)) >= 2 and self.matcher.explains(replace(analysis, terms=tuple(informative)))

    def _without_everyday_senses(self, analysis: Analysis) -> Analysis:
        """*analysis* without the words of an everyday sense ("I'm dead set on trying it", "the stroke coach"):
        they are no evidence for any entry either. Unchanged when nothing else would be left."""
        everyday = self.everyday_senses.where(Stemmed.join(analysis.tokens))
        if not everyday:
            return analysis
        rest = self.analyzer.analyze(" ".join(_outside(analysis.tokens, everyday)), normalized=True)
        return rest if rest.terms else analysis

    def _near_copy(self, normalized: str) -> bool:
        """Is *normalized* a near-copy of one of the FAQ's phrasings?"""
        return process.extractOne(normalized, self._phrasings, scorer=fuzz.ratio, score_cutoff=NEAR_COPY) is not None

    def _shared_words(self, words: Stemmed) -> list[str]:
        """The shared topic words in *words*, each place once: "electrical current" is not also "current"."""
        return _widest(self.shared_topic_words.where(words))

    def _clarify(self, faqs: list[Scored], best: Scored) -> Reply:
        policy = self.policy
        floor = max(policy.clarify_threshold, best.score - policy.suggestion_spread)
        picks = [s for s in faqs if s.score >= floor][: policy.max_suggestions]
        suggestions = tuple(Suggestion(s.target.id, self._faqs[s.target.id].question) for s in picks)
        lines = "\n".join(f"\u2022 {s.question}" for s in suggestions)
        body = f"{self._messages['clarify']}\n{lines}"
        return self.reply("clarify", body, score=best.score, suggestions=suggestions)

    def _not_covered(self, topic_id: str, score: float = 0.0) -> Reply:
        """The referral for a topic the article does not answer, or the clinic's own answer if it wrote one.

        A clinic answer is answered like an entry: kind ``faq``, ``faq_id`` the topic's id.
        """
        if topic_id in self._clinic_answers:
            return self.reply("faq", self._clinic_answers[topic_id], faq_id=topic_id, score=score or 100.0, intent=topic_id)
        body = self._messages["not_covered"] + " " + self._replies["NotCovered", topic_id]
        return self.reply("fallback", body, score=score, intent=topic_id)

    # ------------------------------------------------------------------ conversation

    def answer(self, text: str, context: Context | None = None, *, language: str | None = None) -> Reply:
        """Turn one incoming message into a reply, in the conversation *context* if given.

        The reply's ``context`` is the one to pass with the next message of the
        same conversation. *language* is the sender's interface language when
        the transport knows it (used only for a message too short to tell).
        Never raises for any string.
        """
        return converse(self, text if isinstance(text, str) else "", context, language=language)

    def not_covered(self, topic_id: str) -> Reply:
        """The reply for a topic the FAQ does not cover, by its id (the plain fallback for an unknown id)."""
        if ("NotCovered", topic_id) not in self._replies:
            return self.fallback()  # a context from before a reload that dropped the topic
        return self._not_covered(topic_id)

    def more(self, faq_id: str) -> Reply | None:
        """"Tell me more" after *faq_id*: its related entries to choose from."""
        entry = self._faqs.get(faq_id)
        related = [self._faqs[r] for r in entry.related if r in self._faqs] if entry else []
        if not related:
            return None
        suggestions = tuple(Suggestion(r.id, r.question) for r in related)
        lines = "\n".join(f"\u2022 {s.question}" for s in suggestions)
        intro = self.content.conversation.get("more") or self._messages["clarify"]
        return self.reply("clarify", f"{self.content.fill(intro)}\n{lines}", suggestions=suggestions, intent="more")

    def no_context(self) -> Reply:
        """A follow-up ("why?") with nothing before it to refer to."""
        text = self.content.conversation.get("no_context")
        return self.reply("fallback", self.content.fill(text), intent="no-context") if text else self.fallback()

    @cached_property
    def languages(self) -> LanguageGuesser:
        """Tells messages in the languages of ``faq.yaml``'s ``languages`` section from English."""
        content = self.content
        texts = [t for e in content.faqs for t in (*e.phrasings, e.answer, e.title)]
        texts += [t for s in content.smalltalk for t in (*s.patterns, s.reply)]
        texts += [t for n in content.not_covered for t in (*n.keywords, *n.examples, n.reply)]
        texts += [r.reply for r in content.red_flags]  # not its patterns: some are in other languages
        texts += [w for term, words in content.synonyms.items() for w in (term, *words)]
        texts += [*content.messages.values(), *(p for w in content.worried for p in w.patterns)]
        known = {word for text in texts for word in normalize(text).split()} | english_words()
        return LanguageGuesser((language.id for language in content.languages), known)

    @cached_property
    def worries(self) -> WorryFinder:
        return WorryFinder(self.content.worried)

    def red_flag(self, text: str) -> RedFlag | None:
        """The red flag *text* raises, read sentence by sentence where a question about risk is asked."""
        norm = normalize(text if isinstance(text, str) else "")
        if not norm:
            return None
        return self.red_flags.detect(norm, breaks=_sentence_breaks(text, norm), clauses=_clause_starts(text, norm))

    def emergency(self, flag: RedFlag, *, language: str | None = None) -> Reply:
        """The reply to a red flag; for a message in another *language*, followed by that language's
        reply, which gives the emergency number."""
        body = self._replies["RedFlag", flag.id]
        if language is not None:
            body = f"{body}\n\n{self.in_language(language).body}"
        return self.reply("emergency", body, intent=flag.id)

    def in_language(self, code: str) -> Reply:
        """The reply to a message written in the language *code* (one of the ``languages`` section)."""
        reply = next(language.reply for language in self.content.languages if language.id == code)
        return self.reply("fallback", self.content.fill(reply), intent=f"language-{code}")

    def worry_fits(self, rest: str) -> bool:
        """Is a worry about this subject? What is left of the message once the worry's words are
        taken out must be about dry needling, or use only words the FAQ knows ("I almost backed
        out", "I'm nervous about my first session"), not "... the chicken out of the freezer"."""
        analysis = self.analyzer.analyze(rest)
        return all(t in self.matcher.idf or t.isdigit() for t in analysis.terms) or self.about_topic(analysis)

    def reassure(self, worry: Worried, reply: Reply, rest: str = "") -> Reply:
        """*reply* with the worry's acknowledgement first; the worry's own answer when *reply* had none,
        unless *rest*, the message without the worry, asks a question of its own that the FAQ cannot answer
        ("I'm nervous, should I tell the therapist before?"), or whose "did you mean" list leaves the worry's
        answer out, or talks to the bot ("hi, I'm nervous, what can you do?"): then the honest reply stays."""
        ack = self.content.fill(worry.reply)
        if reply.kind == "emergency":
            return reply
        referred = reply.kind == "fallback" and any(t.id == reply.intent for t in self.content.not_covered)
        asked = bool(_questions(rest)) and (
            reply.kind in ("fallback", "smalltalk")
            or (reply.kind == "clarify" and all(s.faq_id != worry.answer for s in reply.suggestions))
        )
        if reply.kind != "faq" and not referred and not asked:
            reply = self.faq(worry.answer) or reply
        return replace(self.reply(reply.kind, f"{ack}\n\n{reply.body}"), faq_id=reply.faq_id, score=reply.score,
                       suggestions=reply.suggestions, intent=reply.intent or f"worried-{worry.id}")

    def chosen(self, faq_id: str) -> Reply | None:
        """The answer of *faq_id* picked from a list (a button), with the context it leaves."""
        reply = self.faq(faq_id)
        return None if reply is None else replace(reply, context=next_context(self, reply, Context()))
