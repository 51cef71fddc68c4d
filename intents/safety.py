"""Red flags: messages that may describe an emergency.

Checked before anything else, on the whole message. A fixed list of phrases
cannot hold every way a frightened person writes "the blood keeps coming", so
a red flag is raised two ways, both written in ``faq.yaml``:

* ``patterns``: phrases that are enough on their own ("can not breathe").
  ``...`` inside a phrase allows up to eight words in between.
* ``signs``: combinations of concepts. Each concept is a named group of words
  under ``emergency_words`` (``blood``, ``heavy``, ``airway``, ...); a sign
  such as ``[blood, heavy]`` holds when the message has a word or phrase of
  every group it names, anywhere in it ("there is so much blood, it is soaking
  through").

Words are compared by their stems, so "ending it all" meets "end it all" and
"swelling" meets "swell". Matching is never fuzzy, with one exception: a
frightened person types fast, so a word that is no English word ("unconcious",
"siezure", "thraot") is read as the emergency word one typing slip away (one
letter left out, added, changed or two swapped). A correctly spelled word is
never changed, so a guess cannot turn an ordinary question into an emergency. A general question about risks, with
nobody in it having the symptom ("can dry needling make you faint?"), raises
no flag: the not-covered topics refer it to the therapist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .analysis import MAX_TYPO_LOOKUPS, MIN_TYPO_LENGTH, english_words
from .content import RedFlag
from .phrases import PhraseSet, Stemmed, words_of
from .text import normalize, stem

# Choking told of a burden, not a throat ("choking on all the choices", "my boss is choking me with deadlines").
_CHOKED_BY = (
    r"on (all )?(the|these|those|so many) (choices|options|decisions|jargon|information|info)"
    r"|(me|us|everyone) with (deadlines|work|emails|paperwork|meetings|bills|rules)"
)

# A general question about what treatment can cause ("can dry needling cause fainting?") is
# not a report of an emergency, as long as nobody in it is having the symptom.
_GENERAL_QUESTION = re.compile(
    r"^(can|could|does|do|will|would|might|may|is|are|what|how)\b.*"
    r"\b(cause|causes|caused|lead to|make you|make people|give you|trigger|triggers|bring on|brings on|set off|sets off"
    r"|provoke|provokes|induce|induces|risk|risks|chance|possible|common|happen|happens"
    r"|side effects?|normal|ever|anyone|people|someone|somebody|worry|worried|dangerous|safe"
    r"|help|helps|treat|treats|work for|good for|used for|from dry needling|from needling|from the needles?"
    r"|from e stim|from it)\b"
    r"|\b(what happens if|what happens when|what if|what to do if|what do you do if|in case|wants to know"
    r"|wondering (if|whether|what)|asking (if|whether|what))\b"
    # the same question asked of "one" in another language ("kann man beim dry needling ohnmachtig werden")
    r"|^(kann man|kann es|kann das|konnen|peut on|on peut|est ce qu on peut|est ce que (ca|cela|le|la|l) peut|se puede"
    r"|puede (uno|el|la)|es posible|es normal|pode se|pode (o|a)|e possivel|e normal|ist es (normal|moglich)"
    r"|c est normal|si puo|mozna|kan je|kan men)\b"
)
# A supposition ("what if I feel faint during the session?") is a question whoever it is about.
# It holds from where it starts: "i have epilepsy, can needling trigger a seizure?" supposes, "i am wheezing
# badly, could needling cause this?" tells what is happening before it asks.
_SUPPOSING = re.compile(
    r"\b(what if|what happens if|what should i do if|what do i do if|in case|if i ever|has anyone ever|have people ever"
    r"|does anyone ever|set one off|is there (a|any) chance|any chance i|should i (be )?worr(y|ied)"
    # ... or a risk or a side effect asked about ("is there a risk of heavy bleeding if i'm on blood thinners",
    # "are there side effects like feeling breathless")
    r"|(is there|are there|any) (a |any )?(risks?|side effects?) (of|like|such as)"
    r"|could the needles?|can the needles?|could (dry )?needling|could it|(can|could) a needle"
    r"|(can|could) (the|a) (electric |electrical )?(current|electricity|stim|e stim|pulses?|machine)"
    r"|how (likely|common|rare|often|risky)|what are the (odds|chances|risks?)|percentage"
    r"|if (a|an|any) (patient|person|client|customer|athlete)|if (someone|somebody|anyone|a patient)"
    # hearsay about nobody in particular ("i read that someone fainted"), never about one's own people
    r"|i (have )?(read|heard|saw|seen|watched) (that )?(a (story|post|video|thread|news story|report|article) |an (article|account) |stories |something )?"
    r"(about |of |where |that |online about )?(someone|somebody|people|patients|a patient|stories|cases|a (man|woman|guy|lady|girl|runner|person))"
    r"|read (online|somewhere)|heard (somewhere|stories)|(someone|a friend) told me|(i|we) (have )?(read|heard) (about|of)"
    r"|(will|would|am) i (\w+ )?(going to |gonna )?(bleed|faint|pass out|black out|collapse|have a seizure|have a fit)"
    r"|suppose|supposing|hypothetically|imagine if|let us say|lets say"
    # what someone else's friend went through, asked about as a thing that happens ("my neighbor said her
    # friend fainted during dry needling, is that common?")
    r"|((said|told me|mentioned) (that )?(her|his|their) (friend|friends|neighbou?r|coworker|colleague|cousin|boss|client)s?"
    # ... or a friend's friend, or a claim about the treatment ("my coworker claims dry needling gave her a seizure")
    r"|my (friend|neighbou?r|coworker|colleague|boss|cousin|aunt|uncle|sister|brother|mum|mom|dad)s? (friend|neighbou?r"
    r"|coworker|colleague|cousin|boss|aunt|uncle|sister|brother|mum|mom|dad|daughter|son|husband|wife|partner)s?"
    r"|(claims?|claimed|swears|swore|reckons) (that )?(dry needling|needling|it|the needles?|acupuncture|e stim))"
    r"(?=.*\b(is (that|this|it) (even |really )?(common|normal|usual|rare|a thing|true|possible|real)"
    r"|does (that|this|it) (even |really )?happen|can (that|this|it) (really )?happen)))\b"
)
# A question whose subject is the treatment ("can needling trigger a seizure?"), from where it starts,
# with nobody in it affected.
_CAN_IT_CAUSE = re.compile(
    r"\b(can|could|will|would|might|may|does|do) (dry needling|needling|the needles?|a needle|needles|e stim|the e stim"
    r"|the stim|stim|the treatment|treatment|it|this|that) (\w+ )?(cause|trigger|give|make|bring on|set off|lead to"
    r"|collapse|puncture|pierce|damage|happen|result in|end in)\b"
)
# Asking whether the treatment helps ("... can dry needling help a strained chest muscle"), or a figure
# of speech ("I nearly had a heart attack when I saw the needles", "my heart races just thinking about it").
# Every phrase opens at a word: the one \b before them all is tested once at each place in the message,
# not once per phrase (five times quicker on a long paste). The long patterns below are built the same way.
_NOT_AN_EVENT = re.compile(
    r"\b(?:(can|could|does|do|will|would|is|should) (dry needling|needling|it|this|e stim|the needles?)"
    r" (help|treat|work|be used|fix|loosen|soften|release|free up)"
    r"|(is|are) (dry needling|needling|it|this) used for"
    r"|(nearly|almost) (had|have|having|gave me) a heart attack|(giving|give|gave|gives) me a heart attack\b"
    r"|scared to death\b|dying to\b|could kill for\b|(could|would|might|going to|gonna) explode\b"
    r"|heart (sank|sinks|skipped|skips|was in my mouth|in my mouth|in my throat|melted|goes out)\b|broke my heart\b"
    # choking under pressure, a faint line: the words of a performance or a look, not of a body
    rf"|chok(e|ed|es|ing) (at|under|{_CHOKED_BY})\b"
    r"|(will|would|going to|gonna) have a (heart attack|fit|stroke) (if|when)\b"
    r"|(having|had|have|having had) a (heart attack|stroke) (over|about) (?!(here|there)\b)"
    r"|translat\w*|how (do|would) you say\b|(mean|means|say|said|called) in (spanish|french|german|portuguese"
    r"|italian|chinese|japanese|arabic|russian|korean|hindi|dutch|polish|english)\b"
    r"|(school|class) project\b|homework\b|worksheet\b|essay\b"
    r"|a faint (\w+ )?(line|smell|sound|light|glow|hope|memory|mark|trace|outline|noise"
    r"|taste|hint|voice|scar)\b"
    r"|faint (hope|chance|memory|smell|trace|hint|outline|glow|lines?|marks?|scar|praise|idea|recollection|echo"
    r"|of heart)\b|faint hearted\b"
    # the effort of a workout or a laugh
    r"|(left|leaves|leave) me (breathless|gasping|winded)\b|laugh(ed|ing)? so hard\b"
    r"|just thinking about it\b|thinking about (it|the needles|needles|needling|being needled|my appointment|my session|tomorrow)\b"
    # asking about a condition, not having it
    r"|what (is|are) (a|an|the) (difference|warning signs?|signs?|symptoms?)\b|difference between\b"
    r"|warning signs\b|first aid\b|symptoms of\b"
    # (a laugh that plays a symptom down, "lol probably nothing but ...", "closing up a bit lol", is no joke)
    r"|(?<!a bit )(?<!a little )(?<!slightly )(?<!kinda )(?<!kind of )(?<!sort of )"
    r"(lol|lmao|haha|hahaha)\b(?!.*\b(not joking|no joke|not kidding|seriously|for real|but|already|again|twice|i just"
    r"|anymore|any more|swollen|to breathe|bleeding"
    # ... nor one that asks whether what is happening is all right ("lol is it normal that my arm keeps jerking")
    r"|is (it|this|that) normal|am i (still )?(ok|okay|alright|all right))\b)"
    # a feeling, a memory gone blank, a story on a screen, a seizure-free year, what a treatment is good for
    r"|chok(e|ed|es|ing) up\b|(?<!not )\bso funny (that )?i\b|(was|is) (so )?hilarious\b|forgot everything\b"
    r"|mind went blank\b|(make|makes|made|making) (no|any) sense to (me|us)\b|not (make|making) sense to (me|us)\b"
    r"|black(ed|s|ing)? out on (the|that|this|my|a|an|his|her) (test|exam|quiz|name|names|question|questions"
    r"|lyrics|lines|speech|presentation|interview)\b"
    r"|(in|on) (that|the|this) (movie|film|series|episode|novel|documentary)\b|on tv\b"
    r"|(seizure|seizures) free\b|free of seizures\b"
    r"|not answer(ing)? (the|my|his|her|their|your|our) (phone|phones|calls?|texts?|emails?|messages?|door)\b"
    r"|(is|are) (dry needling|needling|it|this|that|e stim|acupuncture) (any )?(better|good|effective|useful|worse)"
    r"( than \w+)? for\b"
    # the treatment compared with a symptom ("does the twitch feel like a seizure?")
    r"|(does|do|did|will|would|is|was|are) ((the |a |that |this )?(twitch|twitches|jump|kick|fasciculations?"
    r"|stim|e stim|needling|needle|needles|treatment|contractions?)|(the |that |this )twitching) (\w+ ){0,6}?like an? "
    r"(mini |small |little |tiny |real |kind of |sort of )?(seizure|convulsion|fit|heart attack|stroke)\b"
    r"|(the|that|this|a) (twitch|twitches|jump|kick|fasciculations?|contractions?) (\w+ ){0,2}?(looked|looks|look|felt"
    r"|feels|feel|seemed|seems|was|is) like an? (mini |small |little |tiny |real |kind of |sort of )?(seizure|convulsion"
    r"|fit|heart attack|stroke)\b"
    # a simile said of a muscle or a thing ("the muscle jumped like it was having a seizure")
    r"|like it (was|is|were|had) (having |doing )?an? (mini |small |little |tiny |real |kind of |sort of )?(seizure|convulsion|fit)\b"
    # going to rest ("off to collapse on the sofa", "gonna pass out in bed now")
    r"|(off to|going to|gonna|about to|time to|ready to|want to|wanna|could|will) (go )?(collapse|pass out|crash|flop)"
    r" (on|in|into) (the |my |our )?(sofa|couch|bed|armchair|recliner)\b"
    # a feeling too big for words ("gonna pass out from excitement")
    r"|(from|with|of) (sheer |pure |all the |the )?(excitement|happiness|joy|boredom|embarrassment|cuteness)\b"
    # exercises asked for a stiff or tight muscle ("best stretches for a tight chest")
    r"|(stretch|stretches|stretching|exercises?|yoga|workouts?|routines?|moves|tips|remedies)"
    r" (for|to (ease|relieve|loosen|open|open up)) (a |an |my |the |your )?(tight|sore|stiff|achy|aching|tense)\b"
    # a symptom to keep away ("what should i eat so i don't feel faint")
    r"|(so (that )?(i|he|she|we|they|you) (do|does|will|would|did) not|to (avoid|prevent|keep from))"
    r" (feel(ing)? |get(ting)? |go(ing)? |be(ing)? )?(faint|fainting|dizzy|lightheaded|light headed|woozy"
    r"|pass(ing)? out|black(ing)? out)\b)"
)
# Every phrase of _NOT_AN_EVENT holds one of these: a message where none starts a word cannot match it.
_NO_EVENT_WORDS = (
    "help", "treat", "work", "used", "fix", "loosen", "soften", "release", "heart", "stroke", "translat", "say",
    "school", "class", "homework", "worksheet", "essay", "mean", "called", "scared", "dying", "kill", "explode", "chok",
    "faint",
    "breathless", "gasping", "winded", "laugh", "thinking", "difference", "sign", "symptom", "first aid", "lol",
    "lmao", "haha", "funny", "hilarious", "forgot", "blank", "sense", "black", "movie", "film", "series",
    "episode", "novel", "documentary", "tv", "free", "answer", "better", "good", "effective", "useful", "worse",
    "twitch", "jump", "kick", "fascicul", "stim", "needl", "contraction", "collapse", "pass out", "crash", "flop",
    "excitement", "happiness", "joy", "boredom", "embarrassment", "cuteness", "stretch", "exercise", "yoga", "workout",
    "routine", "moves", "tips", "remedies", "so that", "so i", "so he", "so she", "so we", "so they", "so you",
    "to avoid", "to prevent", "to keep from", "like it",
)
_NO_EVENT_GATE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _NO_EVENT_WORDS) + ")")
# ... and it asks about what the treatment, or anything, does to people: "what's the point of going
# on if nothing ever helps" asks nothing about a treatment and is no general question.
_ABOUT_SOMETHING = re.compile(
    r"\b(it|this|that|needl\w*|dry|treatment|treatments|therapy|session|sessions|e stim|estim|stim|acupuncture"
    r"|you|anyone|anybody|people|person|someone|somebody|patient|patients)\b"
)
_SOMEONE_AFFECTED = re.compile(
    r"\b(i|me|my|mine|myself|we|us|our|he|him|his|she|her|they|them|their|now|currently|still|right now"
    r"|wife|husband|son|daughter|mom|mum|dad|friend|partner|baby)\b"
)


# A habit or a past event that is over: "I faint at the sight of needles", "I fainted once years ago".
_HABIT_OR_PAST = re.compile(
    r"\b(?:(at the sight of|the sight of|whenever|tend to|every time i see|when i see|if i see|years ago|months ago"
    r"|years back|last year|last month|last time|as an? (kid|child|teen|teenager|toddler|baby|infant|youngster)"
    r"|as (kids|children|teens|teenagers|toddlers|babies)|once (playing|while|when|during|at|in|after|before|as)|when i was (young|little"
    r"|a kid|a child|younger|a teenager|\d+)|in the past|once before|history of|used to|in (19|20)\d\d|none since"
    r"|every night|every morning|most mornings|in the mornings|on school days|was fine|was totally fine|(left|went home|walked out|drove home) (totally |completely |perfectly |just )?(fine|ok|okay)"
    r"|sorted (him|her|them) out|(totally |completely |perfectly |all )?(fine|okay|ok|gone|normal) now|went away|died of|passed away|panic attacks?|last week|the other day|days ago"
    r"|weeks ago|a while ago|a while back|easily|doctor said|the doctor said|turned out|years later|months later"
    r"|last (summer|winter|spring|autumn|fall|christmas)"
    # ... and in other languages ("ich bin vor jahren mal ohnmachtig geworden")
    r"|vor (\w+ )?(jahren|monaten)|als kind|hace (\w+ )?(anos|meses)|de (nino|nina|pequeno|pequena)|il y a (\w+ )?(ans|mois)"
    r"|quand j etais|ha (\w+ )?(anos|meses)|quando (era|eu era) (crianca|pequeno|pequena)|(anni|mesi) fa|da (bambino|bambina)"
    r"|lat temu|jaar geleden"
    r"|(had|got) (a |an )?\w+( \w+)? (in|during) (college|high school|university"
    r"|my (teens|twenties|thirties|20s|30s|youth))"
    r"|back in (college|high school|university|the day)"
    # an occasion with a needle that is over ("my mom fainted when she got her flu shot")
    r"|(when|after|during|at) (i|he|she|they|we) (got|had) (a |an |my |his |her |their |the )?(flu shot|flu jab"
    r"|shots?|jabs?|vaccines?|vaccinations?|injections?|blood tests?|blood drawn|blood taken|ears pierced"
    r"|piercings?|tattoos?))\b"
    r"|(?<!\bat )\bonce (could|can|will|would|is|does|do|and|but|so|i|it|before)\b|(?<!\bat )\bonce$"
    r"|(a|an|one|two|three|four|five|six|a few|few|a couple of|couple of|\d+) (years?|months?|weeks?|days?) ago\b"
    r"|decades ago\b|(many|several|ten|twenty) years ago\b"
    # a history asked about ("is it safe if i have had a stroke before?")
    r"|(have|has|had) had (a |an |one |two |several |a few )?(mini |minor |small |major |big )?(strokes?|seizures?"
    r"|heart attacks?|tias?|fits?) (before|previously|in the past)\b"
    r"|safe (for me |for him |for her |for them )?(if|since|when|after|as|because) (i|he|she|they|we|my \w+) (have|has|had)\b)"
)
# ... unless something is happening now.
_NOW = re.compile(
    r"\b((?<!all )right now|rn|just now|at the moment|currently|tonight|since (the|my|this) (session|treatment|needling|needles|appointment"
    r"|visit)|since (then|yesterday|this morning|an hour|last \w+|this \w+|\w+day|the weekend)|keeps|(?<!\bthat )will not stop"
    r"|(i|he|she|they|we) keep (almost |nearly )?(greying|graying|blacking|passing|fainting|collapsing|keeling|going dizzy|seizing)"
    r"|getting worse|got worse|gotten worse|came back|coming back|is back|help me|please help|hurry"
    r"|for the (last|past) (\w+ )?(minutes?|hours?|half hour)|(\d+|ten|twenty|few|a few) (min|mins|minutes) ago"
    r"|an hour ago|will not (ease|go away|settle|calm)|started (\d+ )?(min|mins|minutes|an hour) ago"
    # ... "and now", unless what follows is a wish or a scar ("had a heart attack last year and now wants needling")
    r"|(and|but) now(?! (he |she |they |i |we |my \w+ )?(wants?|wanting|would like|is looking|am looking|are looking"
    r"|is thinking|am thinking|asks?|asking|is asking|is interested|am interested|(has|have) (a|an|this) (\w+ )?scar)\b)"
    r"|(i am|he is|she is|they are|we are|someone is|somebody is|(my|our) \w+ is) (having(?! a (heart attack|stroke) (over|about)"
    rf" (?!(here|there)\b))|bleeding|wheezing|choking(?! up| (?:{_CHOKED_BY})\b)"
    r"|seizing|fainting|collapsing|gasping|struggling)|(it is|its|it s) (pouring|gushing|spurting|bleeding|dripping))\b"
)
# Even thoughts of self-harm can be long over: "I used to self harm years ago, can needling help the scars".
_LONG_OVER = re.compile(
    r"\bused to\b.*\b(years ago|as a (kid|child|teen|teenager)|when i was)\b"
    r"|\b(years ago|years back|a long time ago|in my teens)\b.*\b(went through|struggled with|dealt with|had a history of)\b"
    r"|\b(went through|struggled with|dealt with)\b.*\b(years ago|years back|a long time ago|in my teens)\b"
    r"|\b(old )?(scars?|scarring|marks) (\w+ ){0,3}?from (self harm|cutting|hurting myself|when i used to)\b"
    r"|\bself harm (scars?|scarring|marks)\b.*\b(years ago|years old|a long time ago|long ago|years back)\b"
    r"|\b(years ago|a long time ago|years back)\b.*\b(much better now|better now|doing well now|in a good place"
    r"|behind me|doing much better|doing a lot better)\b"
)


def is_habit_or_past(normalized: str, *, now_checked: bool = False) -> bool:
    """True for a message about a habit or an event long over, with nothing happening now
    (*now_checked*: the caller has already found nothing happening now).

    >>> is_habit_or_past("i faint at the sight of needles should i still try it")
    True
    >>> is_habit_or_past("i fainted once years ago during a blood test")
    True
    >>> is_habit_or_past("my dad fainted just now")
    False
    """
    return _HABIT_OR_PAST.search(normalized) is not None and (now_checked or _NOW.search(normalized) is None)


def _asks_in_general(normalized: str) -> bool:
    """A question about what things do to people, with nobody in it affected."""
    return (
        _GENERAL_QUESTION.search(normalized) is not None
        and _ABOUT_SOMETHING.search(normalized) is not None
        and _SOMEONE_AFFECTED.search(normalized) is None
    )


def general_from(normalized: str, *, now_checked: bool = False) -> int | None:
    """The word from which a message asks what can happen in general, or ``None``: a symptom
    named before it is told, not asked about.

    >>> general_from("can dry needling cause fainting"), general_from("could someone have a seizure from the e stim")
    (0, 0)
    >>> general_from("i have epilepsy can needling trigger a seizure")
    3
    >>> general_from("my chest feels tight could it be the needles")
    4
    >>> [general_from(m) for m in ("can dry needling cause fainting because i feel faint now",
    ...     "i passed out after the needling", "what is the point of going on if nothing ever helps",
    ...     "my dad fainted just now what if it happens again")]
    [None, None, None, None]
    """
    if not now_checked and _NOW.search(normalized):
        return None
    starts = []
    supposing = _SUPPOSING.search(normalized)
    if supposing:
        starts.append(supposing.start())
    cause = _CAN_IT_CAUSE.search(normalized)
    if cause and not _SOMEONE_AFFECTED.search(normalized, cause.start()):
        starts.append(cause.start())
    if _asks_in_general(normalized):
        starts.append(0)
    return normalized[: min(starts)].count(" ") if starts else None


def is_no_event(normalized: str, *, now_checked: bool = False) -> bool:
    """True for a message that asks whether the treatment helps, or speaks in a figure of speech,
    with nothing happening now. Its long pattern is tried only where a word of its quick gate
    starts a word.

    >>> is_no_event("my gp said my chest tightness was a pulled muscle can dry needling help a strained chest muscle")
    True
    >>> is_no_event("i nearly had a heart attack when i saw the needles")
    True
    >>> is_no_event("can dry needling help my chest hurts right now")
    False
    """
    return (
        _NO_EVENT_GATE.search(normalized) is not None
        and _NOT_AN_EVENT.search(normalized) is not None
        and (now_checked or _NOW.search(normalized) is None)
    )


# A symptom said of a thing, not of anyone ("the sauce has collapsed", "our wifi keeps passing out",
# "this heat is suffocating") is a figure of speech. Only a symptom said as what a subject does or is
# counts (a verb ending in -ed or -ing, or after "is", "has", "keeps" ...): "a full breath" and "the
# worst headache" name a symptom and are read as one. Read backwards from it: the words that link it
# to its subject, at most two words of the subject, and the word that opens the subject. A subject that
# is nobody (no person, no part of a body) is a thing; one that follows "in", "at", "on" ... is only
# where it happened ("the lady in the waiting room is wheezing"), so the symptom stays.
_LINKING = frozenset(stem(w) for w in (
    "is are was were be been being has have had just totally completely keeps kept again literally suddenly "
    "all also then will not would and still really so basically started starting went goes go became becomes "
    "turned turns little bit kinda sorta slightly pretty very super quite somewhat extremely"
).split())
# ... and the present of the verbs that give way ("my golf swing collapses"), not a plural ("my seizures")
_SAID_AS_DONE = re.compile(
    r"(ed|ing)$|^(bled|fell|went|froze|broke|collapses|faints|chokes|seizes|convulses|bleeds|blacks|keels)$"
)
_OPENS_SUBJECT = frozenset("the my our this that his her their your a an".split())
_WHERE = frozenset("in at on from by near next behind of with to into inside outside under over".split())
# "I nearly fainted when I saw the bill": what nearly happened did not.
_HEDGES = frozenset({"nearly", "almost"})
_HEDGED = frozenset(stem(w) for w in "had have faint fainted passed blacked collapsed died choked keeled".split())
# ... unless someone asks for help: then no reading of the words takes the alarm away.
_URGENT = re.compile(r"\b(help me|please help|need help|get help|send help|911|999|112|ambulance|hurry|emergency|right now)\b")


# A symptom's word naming a thing or a time, not the symptom ("blood thinners", "a blood test", "breathing
# exercises", "wake up early"): read as one word.
_NAMED_THING = re.compile(
    r"\b(?:blood (thinners?|pressure|tests?|work|sugar|flow|draws?|types?|donations?|cells?|vessels?|circulation|clots?"
    r"|bank|levels?|count|orange|moon)\b"
    r"|breathing (techniques?|exercises?|apps?|methods?|patterns?|routines?|drills?)\b"
    r"|wake up (early|earlier|at \d+|for|before|in time|on time|so early|that early)\b"
    # choking on words or on a task, not on food
    r"|chok(e|ed|es|ing)(?= on (\w+ ){0,3}?(jargon|paperwork|forms|words|terms|information|info|details|emails"
    r"|homework|deadlines?|bureaucracy|red tape|admin|bills|penalty|shot|kick|putt|free throw|final|exam|test"
    r"|interview|speech|lines)\b)"
    # a plant, a figure of speech, a profession; handing things out
    r"|heart (surgeons?|doctors?|specialists?|surgery|monitors?|shaped|emojis?)\b"
    r"|bleeding (hearts?|edge)\b"
    # done with a task, not with life ("i am done with physio")
    r"|i am (so )?done(?= with (?!(life|living|everything|it|this|that|all|myself|me|people|the world|existing|being)\b))"
    # a gym day, a condition's name, a figure of speech, a sport's stroke, fitting in, going on with the sessions
    r"|chest (day|workouts?|press|presses|fly|flies|exercises?|routine|training)\b"
    r"|drowning in (?!(the )?(water|blood|pool|sea|bath|river|lake|my own|fluid))"
    r"|seizure (disorders?|medications?|meds|history|condition|action plan|plan)\b"
    # seizing a thing ("police seized my neighbor's car"), not a seizure
    r"|seiz(e|ed|es|ing) (my|his|her|their|our|your|the|a|an) (\w+ ){0,2}?(car|cars|truck|van|vehicle|house|phone|passport"
    r"|property|assets|goods|drugs|bike|boat|stuff|things|belongings|money|cash|licence|license|account|land)\b"
    # a needle that went too deep, not a cut
    r"|(?:(?<=\bneedle )|(?<=\bneedles )|(?<=\bit )|(?<=\bthey ))(went|goes|go|going|gone) too deep\b"
    r"|(brain|mind) (just |totally |completely |kind of |basically )?(collapsed|crashed|died|froze|fried|melted|exploded"
    r"|shut down|blacked out|stopped working|passed out)\b"
    r"|breath away\b"
    # a muscle that convulses or seizes up is cramping or twitching, not a person's seizure
    r"|(?:(?<=\bmuscle )|(?<=\bmuscles )|(?<=\bcalf )|(?<=\bthigh )|(?<=\bglute )|(?<=\bglutes )|(?<=\bhamstring )"
    r"|(?<=\bquad )|(?<=\btrap )|(?<=\bback ))(convuls\w*|seiz\w*)"
    r"|fitting (in|into|well|nicely|perfectly|right|me|him|her|us|them|the|a|an|new)\b"
    # ... but fitting for a length of time is a seizure ("she's been fitting for over 5 minutes")
    r"|fitting for\b(?! (over|more than|about|nearly|almost|at least|\d+|one|two|three|four|five|ten|fifteen|twenty|several"
    r"|a (few|couple|while|minute|long)|ages|the (last|past)"
    r"|minutes|hours|so long|too long|long)\b)"
    # a figure of speech, and the FAQ's own method, whose stem is the one of "winded"
    r"|breathe (?<!not breathe )(easy|easier)\b|(fascial )?winding\b"
    # the treatment's name in other languages ("la puncture seche pour mon epaule"), no wound
    r"|(puncture|punctura|puncion|puntura) (seche|seca|secca|a sec)\b"
    r"|stroke (of luck|of genius|of brilliance|of inspiration|of the pen|of midnight|coach|rate|technique)\b"
    r"|(going|carrying|keep|keeping|go|carry) on with (the |my |these |this |more |further )?(sessions?|treatments?"
    r"|therapy|physio|needling|appointments?|visits?|exercises?)\b"
    # an injury by accident, not harm meant ("i hurt myself lifting weights")
    r"|(hurt|injured) (myself|himself|herself|themselves)(?= (playing|lifting|doing|running|training|working out"
    r"|falling|skiing|gardening|moving|carrying|picking|by accident|accidentally|while (lifting|playing|running|training"
    r"|working out|doing|moving|carrying|gardening|skiing|exercising)|at (the )?(gym|work|football|soccer|practice"
    r"|training)|in (the )?(gym|garden|game|match))\b)"
    r"|(suicide|self harm) (prevention|awareness|statistics|rates?|research|training|charity|charities|fundraisers?"
    r"|walk|month|week|day)\b"
    r"|hopeless(?= (about|with|at|when it comes to) (my |the |this |these |that |his |her )?(?!(life|living|everything"
    r"|myself|me|future|it all|anything|things|world|people|everyone|it|this|that)\b))"
    r"|air (conditioning|conditioner|con|fryer|freshener|purifier|pump|mattress|bed|miles|quality|filter)\b"
    # a problem gone for good is cured ("how many treatments before my knot is gone for good"), nobody leaving
    r"|(pain|knots?|aches?|tightness|spasms?|symptoms?|headaches?|stiffness|soreness|tension|problems?|issues?|injury"
    r"|trigger points?) (is |are |will be |would be |to be |be |stays? |being )?gone\b"
    # eyes closed by choice ("can i keep my eyes closed the whole time"), not swollen shut
    r"|(?:(?<=\bmy )|(?<=\bher )|(?<=\bhis )|(?<=\byour )|(?<=\btheir )|(?<=\bour ))eyes (closed|shut)\b(?! up)"
    r"|(?:(?<=\bclose my )|(?<=\bshut my )|(?<=\bclosing my )|(?<=\bclose your )|(?<=\bshut your ))eyes\b"
    r"|pass(ed|es|ing)? out (the |some |a few |free |our |my |your )?(flyers|leaflets|brochures|pamphlets|candy"
    r"|sweets|snacks|papers|cards|business cards|samples|gifts|food|water|tickets|programs|programmes|handouts|forms"
    r"|coupons|menus|information|info)\b)"
)


# Every phrase of _NAMED_THING starts with one of these: it is tried only where one starts a word, so a
# long message is not searched at every letter.
_NAMED_STARTS = re.compile(
    r"\b(?:blood|breathing|breath|wake|chok|heart|bleeding|i am|chest|drowning|seizure|brain|mind|went|goes|go"
    r"|going|gone|fitting|winding|fascial|punct|puncion|puntura|stroke|carrying|carry|keep|keeping|hurt|injured|pass|suicide|self harm|hopeless|air|convuls"
    r"|seiz|eyes|pain|knot|ache|tightness|spasm|symptom|headache|stiffness|soreness|tension|problem|issue|injury|trigger)"
)


def _mark_named(normalized: str) -> str:
    """*normalized* with "_" before each of its _NAMED_THING phrases, so none of their words is a symptom."""
    out, last, end = [], 0, 0
    for start in _NAMED_STARTS.finditer(normalized):
        if start.start() < end:
            continue
        found = _NAMED_THING.match(normalized, start.start())
        if found:
            out += [normalized[last : found.start()], "_" + found.group().replace(" ", " _")]
            last = end = found.end()
    return "".join(out) + normalized[last:] if out else normalized


def _sentence_edges(words: list[str], breaks: tuple[int, ...]) -> list[int]:
    """Where each sentence of *words* starts, and the end: *breaks* are the words that start one."""
    return [0, *(b for b in breaks if 0 < b < len(words)), len(words)]


def _told_apart(words: list[str], breaks: tuple[int, ...], found: dict[int, list[int]]) -> bool:
    """Is a symptom told in a sentence of its own, after the sentence that asks or speaks in a figure?
    ("What's the difference between pistoning and winding? Also my mom just fell over and isn't talking";
    not "my chest is tight from the gym. can needling help?", where the question is about what was told)"""
    edges = _sentence_edges(words, breaks)
    asked = False
    for begin, end in zip(edges, edges[1:]):
        if is_no_event(" ".join(words[begin:end]), now_checked=True):
            asked = True
        elif asked and any(begin <= at < end for ats in found.values() for at in ats):
            return True
    return False


def _spans(words: list[str], breaks: tuple[int, ...], *, now_checked: bool = False) -> list[tuple[int, int]]:
    """The words (from, to) of each sentence's question about what can happen in general."""
    normalized = " ".join(words)
    if not now_checked and _NOW.search(normalized):
        return []
    if _asks_in_general(normalized):
        return [(0, len(words))]  # the whole message asks, and nobody in it is affected
    spans = []
    edges = _sentence_edges(words, breaks)
    for begin, end in zip(edges, edges[1:]):
        start = general_from(" ".join(words[begin:end]), now_checked=True)
        if start is not None:
            spans.append((begin + start, end))
    return spans


class RedFlagDetector:
    """Finds the first red flag (in file order) whose phrase or sign occurs in a message.

    Every phrase and every word of every group is indexed by its words in one index, so a
    message is read once and only tested against the phrases its own words could complete.
    """

    #: The word groups that name someone and parts of a body: a symptom said of anything else is a figure of speech.
    LIVING_GROUPS = ("someone", "body")

    def __init__(self, red_flags: Iterable[RedFlag], words: Mapping[str, Iterable[str]] | None = None) -> None:
        self._flags = list(red_flags)
        self._pattern_flag: dict[str, int] = {}
        for index, flag in enumerate(self._flags):
            for pattern in flag.patterns:
                self._pattern_flag.setdefault(pattern, index)
        self._patterns = PhraseSet(self._pattern_flag)
        self._phrase_groups: dict[str, set[str]] = {}
        for name, phrases in (words or {}).items():
            for phrase in phrases:
                self._phrase_groups.setdefault(phrase, set()).add(name)
        self._group_phrases = PhraseSet(self._phrase_groups)
        # A sign's first group is its symptom ("blood" in [blood, heavy]); the others qualify it.
        self._signs = [(index, frozenset(sign), sign[0]) for index, flag in enumerate(self._flags) for sign in flag.signs]
        groups = words or {}
        self._knows_living = any(name in groups for name in self.LIVING_GROUPS)
        self._living = frozenset(
            stem(w) for name in self.LIVING_GROUPS for phrase in groups.get(name, ()) for w in normalize(phrase).split()
        ) | {"i", "me", "we", "us", "you", "he", "she", "they", "him", "them", "it", "its"}
        phrases = (*self._pattern_flag, *self._phrase_groups)
        self._stems = frozenset(w for p in phrases for w in words_of(p.replace("...", " ")).split())
        # The words a typo may be read as, by length: one slip changes a word's length by one at most.
        self._typo_choices: dict[int, list[str]] = {}
        for w in sorted(w for w in self._stems if len(w) >= MIN_TYPO_LENGTH - 1 and w.isalpha()):
            for size in (len(w) - 1, len(w), len(w) + 1):
                self._typo_choices.setdefault(size, []).append(w)

    def _stemmed(self, normalized: str) -> Stemmed:
        """The message's stems, each misspelt word read as the emergency word one slip away."""
        english = english_words()
        stems = []
        lookups = 0
        for word in normalized.split():
            stemmed = stem(word)
            if (
                len(word) >= MIN_TYPO_LENGTH and word.isalpha() and word not in english
                and stemmed not in self._stems and lookups < MAX_TYPO_LOOKUPS
            ):
                lookups += 1
                choices = self._typo_choices.get(len(stemmed), [])
                near = process.extract(stemmed, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
                if near:  # "tonge" is one slip from "long" and from "tongue": the one it starts like, the longer
                    stemmed = min(near, key=lambda n: (n[1], n[0][0] != stemmed[0], -len(n[0]), n[0]))[0]
            stems.append(stemmed)
        return Stemmed.join(stems)

    def _of_nobody(self, words: list[str], stems: list[str], at: int, clauses: tuple[int, ...] = ()) -> bool:
        """Is the symptom at word *at* said of a thing ("my laptop blacked out"), or what nearly happened?
        A clause that opens with it, its subject left out, is said of the writer ("dizzy since the session,
        just keeled over"): *clauses* are the words that open one."""
        start = max(0, at - 3)
        if any(w in _HEDGES and stems[i + 1] in _HEDGED for i, w in enumerate(stems[start:at], start)):
            return True
        k = at
        while k > 0 and words[k - 1] in ("a", "an", "total", "complete", "utter"):  # "my laptop had a seizure"
            k -= 1
        if not (_SAID_AS_DONE.search(words[at]) or stems[at] in _LINKING or (k > 0 and stems[k - 1] in _LINKING)):
            return False
        j = k - 1
        while j >= 0 and stems[j] in _LINKING:
            j -= 1
        if j + 1 in clauses:
            return False
        j = self._thing_before(stems, j)
        if j is None:
            return False
        if j == 0 or words[j - 1] not in _WHERE:
            return True
        # only where it happened ("the lady in the waiting room is wheezing"): the subject is said before it
        # ("the bridge on my guitar collapsed" is a thing)
        return self._thing_before(stems, j - 2) is not None

    def _thing_before(self, stems: list[str], j: int) -> int | None:
        """Where the subject that ends at word *j* opens ("the", "my" ...), when it is at most two words and
        nobody; ``None`` when it is someone or opens with no such word."""
        subject = []
        while j >= 0 and stems[j] not in _OPENS_SUBJECT and len(subject) < 2:
            subject.append(stems[j])
            j -= 1
        if subject and j >= 0 and stems[j] in _OPENS_SUBJECT and not self._living.intersection(subject):
            return j
        return None

    def detect(self, normalized: str, *, breaks: tuple[int, ...] = (), clauses: tuple[int, ...] = ()) -> RedFlag | None:
        """Return the red flag raised by already-normalised text, if any.

        *breaks* are the words that start a new sentence: a question about what could happen
        reaches to the end of its sentence ("what are the odds my lung collapsed? it hurts to
        breathe" tells a symptom after asking). *clauses* are the words that open a clause (after a
        comma, a dash or a sentence's end).
        """
        normalized = _mark_named(normalized)  # same words, none of them a symptom
        message = self._stemmed(normalized)
        words, stems = normalized.split(), message.text.split()
        literal = not self._knows_living or _URGENT.search(normalized) is not None
        found: dict[int, list[int]] = {}  # flag -> the words that raised it
        for p, at, _ in self._patterns.where(message):
            index = self._pattern_flag[p]
            if literal or self._flags[index].always or not self._of_nobody(words, stems, at, clauses):
                found.setdefault(index, []).append(at)
        present: dict[str, list[int]] = {}  # group -> where its words are
        said_of_someone: dict[str, list[int]] = {}  # group -> its words said of someone
        for phrase, at, _ in self._group_phrases.where(message):
            names = self._phrase_groups[phrase]
            for name in names:
                present.setdefault(name, []).append(at)
            if literal or not self._of_nobody(words, stems, at, clauses):
                for name in names:
                    said_of_someone.setdefault(name, []).append(at)
        for index, sign, symptom in self._signs:
            if sign <= present.keys() and (symptom in said_of_someone or self._flags[index].always):
                # the symptom, and what tells how it is ("how much blood is too much? it has not slowed at all")
                told = said_of_someone.get(symptom, [0])
                found.setdefault(index, []).extend(told + [at for name in sign - {symptom} for at in present[name]])
                break
        if not found:
            return None
        flag = self._flags[min(found)]
        if _NOW.search(normalized) is not None:  # happening now: no reading takes the flag away
            return flag
        if _LONG_OVER.search(normalized):
            return None
        if flag.always:
            return flag
        if is_habit_or_past(normalized, now_checked=True):
            return None
        if is_no_event(normalized, now_checked=True) and not _told_apart(words, breaks, found):
            return None
        spans = _spans(words, breaks, now_checked=True)
        if spans and all(any(a <= at < b for a, b in spans) for ats in found.values() for at in ats):
            return None  # every symptom is in a question about what could happen
        return flag
