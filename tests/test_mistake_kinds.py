"""One table per kind of mistake the engine must not make.

The messages here were written for these tests; none is copied from the labelled
question sets, which measure unseen wording and must stay unseen.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from intents import Engine

# 1. One shared everyday word is no evidence: no answer and no "did you mean" list.
def _replied(engine: Engine, message: str, kind: str, answer: str | None) -> None:
    """The reply to *message* is of *kind* and names *answer*: an entry, a not-covered topic, or nothing."""
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id or reply.intent) == (kind, answer)


EVERYDAY = [
    "what's the current balance on my checking account",
    "what time is it in central time",
    "what's the point of life",
    "how do i reset my tv remote",
    "how do I release my frozen phone",
    "who is the best doctor in town",
    "can you explain what's wrong with my wrist",
    "how do i thread a needle for hand sewing",
    "best streamers on twitch right now",
    "recipe for pain au chocolat",
    "how do i tie a reef knot",
    "what frequency is channel 5 on",
    "session timed out on my bank app",
    "which technique is best for french braids",
    "how long does it take to boil an egg",
    "does it work with my android phone",
    "what conditions apply to the free trial",
    "how do I change the type of my account",
    "set a reminder for my session at the gym",
    "what benefits come with the premium plan",
    # a topic word in the company that shows its everyday sense
    "my pine needles are dropping all over the carpet",
    "best knitting needles for chunky wool",
    "replace the fascia board above the garage",
    "my cousin keeps needling me about my job",
    "how many pistons does a v8 engine have",
    "what time is trigger point on itv tonight",
    "who is the biggest twitch streamer",
    # a shared word for a tool or a method next to an everyday word the FAQ also uses
    "set up a trigger to turn the heating on at six",
    "which way round do jump leads go on the battery",
    "size 14 needle for my sewing machine",
]


# what an everyday word means, or how to say it in another language
EVERYDAY += ["define the word session", "how do you say current in german", "what does feel me mean"]
EVERYDAY += ["does it feel like rain today", "it feels like a long day"]
# ... a word of the FAQ in an everyday sense is no evidence for the words around it either ("bungee" and
# "jump" beside "losing my nerve"), and one place in a message counts once ("electrical current" is not
# also "current")
EVERYDAY += [
    "i'm losing my nerve about the job interview, should i jump ship",
    "how much electrical current does a kettle use",
    "how do i make my skateboard glide better",
    "what's the quickest muscle car from the seventies",
    "how long should a gym session last",
    "i've got a good feeling about the match tonight",
    "what does fascia mean in architecture",
]
# ... and "it" after a question about something else is that thing ("what's a hang glider and how does it work")
EVERYDAY += [
    "what's a heat pump and how does it work",
    "what is a roth ira and is it worth it",
    "what's underfloor heating and how do i turn it on",
    "how often should i feed my cat, what frequency",
]
# ... and a muscle of the gym ("how many sets and reps to build muscle")
EVERYDAY += ["what's a good split to gain muscle fast", "which muscles do squats train most"]


@pytest.mark.parametrize("message", EVERYDAY)
def test_an_everyday_request_gets_the_plain_fallback(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert reply.kind == "fallback", (reply.kind, reply.faq_id)
    assert reply.suggestions == ()


# ... and a not-covered keyword in the words of an everyday sense is that sense, not the topic ("stroke rate")
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("what is a good stroke rate for rowing", "fallback", None),
        ("i need to pick up my kids at 4, how long is a session?", "faq", "session-length"),
        ("can kids get dry needling?", "fallback", "age"),
        ("how long should a gym session last", "fallback", None),
        ("my brother keeps bee hives and his back aches from lifting, would dry needling help?", "faq", "conditions"),
        # the keyword said of the body stays the topic
        ("can dry needling cause a stroke?", "fallback", "risks-side-effects"),
        ("i had a stroke last year, is dry needling safe for me?", "fallback", "risks-side-effects"),
        # an address that is no clinic's ("change my address"), a thing to be addressed, a flu shot compared with
        ("update the address on my bank account", "fallback", None),
        ("can dry needling address central sensitization", "faq", "central-sensitization"),
        ("how does needling feel compared to a flu jab", "faq", "what-does-it-feel-like"),
    ],
)
def test_a_keyword_in_an_everyday_sense_is_no_referral(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# ... nor does it count for any entry's answer: "dead set on" is not a setting of the stim unit
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("I'm dead set on getting dry needling, how does it work?", "how-does-it-work"),
        ("this knot is driving me crazy, how does needling release it", "trigger-point-release"),
    ],
)
def test_the_words_of_an_everyday_sense_count_for_no_entry(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


# 2. A correctly spelled English word is never read as an FAQ word.
# ... while the treatment asked about in everyday words is evidence: whether "it" helps a part of the
# body or pain, filler words ("always", "actual", "bro"), a question opened by "so" or "ok but".
SUBJECT_IN_EVERYDAY_WORDS = [
    ("can it help my frozen wrist from gardening", "conditions"),
    ("will it help my knee after the ligament op", "conditions"),
    ("could it help with my achy elbow from tennis", "conditions"),
    ("does it usually hurt a lot", "what-does-it-feel-like"),
    ("are the techniques always the same", "techniques"),
    ("so what is the actual benefit", "benefits"),
    # "what is that" after the subject was named in the same sentence; "what kind of treatment is it"
    ("my physio brought up dry needling today, what is that", "what-is-dry-needling"),
    ("what sort of therapy is dry needling", "what-is-dry-needling"),
    ("what can dry needling do for you", "benefits"),
    # a shared word next to one of the FAQ's terms for the body ("ache" with "knot", "needle" with "round and round")
    ("how does a knot by my hip make my knee ache", "trigger-point"),
    ("why did she spin the needle round and round", "winding"),
    # a short form and a filler adverb ("diff", "properly") say what a full word or nothing says
    ("whats the diff between the low and high settings", "estim-frequency"),
    ("does the e-stim work correctly on scars", "electrical-stimulation"),
    # "dose" typed for "does" where a question opens ("what dose" is a dose: a referral, below)
    ("dose it feel like a sting", "what-does-it-feel-like"),
    # what the sentence before told does not change a question about the treatment itself
    ("I had the flu last month. What does it feel like when the needle goes in?", "what-does-it-feel-like"),
    # "that" points at what was told before it, "what is that" at the subject named
    ("My PT said the needle reboots the muscle. What does that mean?", "trigger-point-release"),
    ("My physio mentioned dry needling. What is that?", "what-is-dry-needling"),
    # what is good about it is its benefits; being there a while is how long it takes
    ("what is so good about needling", "benefits"),
    ("will the needling keep me there a while", "session-length"),
    # what a word of the FAQ's own means is still a question for the FAQ
    ("what does pistoning mean", "pistoning"),
    ("what does it mean when my muscle twitches", "local-twitch-response"),
    # what it feels like, compared with something the FAQ never names
    ("does it feel like a wasp sting when it goes in", "what-does-it-feel-like"),
    # the short form staff and patients type for a trigger point
    ("tp release?", "trigger-point-release"),
    # a topic typed as two words, and the words of the who-performs answer
    ("treatment length", "session-length"),
    ("does a physio's scope of practice include dry needling", "who-performs"),
]


@pytest.mark.parametrize(("message", "faq_id"), SUBJECT_IN_EVERYDAY_WORDS)
def test_the_treatment_asked_about_in_everyday_words_gets_its_answer(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


REAL_WORDS = [
    ("i'm scared of needles, does it hurt", "what-does-it-feel-like"),
    ("im so scared, what will it feel like", "what-does-it-feel-like"),
]


@pytest.mark.parametrize(("message", "faq_id"), REAL_WORDS)
def test_a_real_word_is_not_corrected_into_an_faq_word(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


# Asking for it plainly says nothing about which entry: "like I'm five", "in a nutshell", "in layman's terms"
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("explain dry needling like im a 5 year old", "what-is-dry-needling"),  # not the age of patients
        ("how does winding work, in a nutshell", "winding"),
        # how long the answer should be is not how long a session is
        ("can you give me a short description of what dry needling is", "what-is-dry-needling"),
        ("a brief explanation of winding please", "winding"),
        # a pain scale says how much, not what
        ("on a scale of 1 to 10 how much will it hurt", "what-does-it-feel-like"),
    ],
)
def test_asking_for_it_plainly_says_nothing_about_the_entry(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


# ... but a real word one slip from its partner in a two-word name, said with the other word right, is that name
SLIPPED_NAMES = [
    ("what is dry kneeling", "what-is-dry-needling"),
    ("what exactly is a trigger pint", "trigger-point"),
    ("trigger pont in my neck, what is it", "trigger-point"),
    ("what is the whining technique", "winding"),
]


@pytest.mark.parametrize(("message", "faq_id"), SLIPPED_NAMES)
def test_a_slip_in_a_two_word_name_is_read_as_the_name(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


@pytest.mark.parametrize(("word", "not_term"), [("scared", "scar"), ("caring", "car"), ("whether", "weather")])
def test_word_keys_stay_apart(engine: Engine, word: str, not_term: str) -> None:
    assert engine.analyzer.analyze(word).terms != engine.analyzer.analyze(not_term).terms


# 3. Emergencies in other words than the listed phrases, and questions about risk that are not one.
EMERGENCIES = [
    ("I feel like ending it all", "self-harm"),
    ("whats the point of living anymore", "self-harm"),
    ("i just want to go to sleep and never wake up", "self-harm"),
    ("no one would miss me if i was gone", "self-harm"),
    ("i took all of my pills", "self-harm"),
    ("i keep thinking about killing myself", "self-harm"),
    ("i don't want to be around anymore", "self-harm"),
    ("there is so much blood, it is soaking through the bandage", "bleeding"),
    ("the blood keeps coming from the spot on my back", "bleeding"),
    ("still oozing blood after an hour and it won't quit", "bleeding"),
    ("i can't get a full breath since the session", "breathing"),
    ("my breathing is fast and shallow and my lips look blue", "breathing"),
    ("feels like an elephant sitting on my chest", "chest-pain"),
    ("my chest is killing me and it spreads to my arm", "chest-pain"),
    ("my husband just collapsed in the hallway", "fainting"),
    ("she fell and hit her head and isn't responding", "fainting"),
    ("my son is having a fit on the floor", "seizure"),
    ("my dad seized for a minute and now he is confused", "seizure"),
    ("my face is swelling up since the needles", "allergy"),
    ("my tongue feels huge and it's hard to swallow", "allergy"),
    ("throat feels tight and i have hives all over", "allergy"),
    ("can't feel my arm and my speech is weird", "stroke"),
    ("half my face went numb out of nowhere", "stroke"),
    ("my mom is talking funny and her words are jumbled", "stroke"),
    ("worst headache of my life just came on", "stroke"),
    ("my heart is pounding and my left arm hurts", "chest-pain"),
    ("i'm coughing up blood", "bleeding"),
    ("i cant lift my right arm and my smile is crooked", "stroke"),
    ("i suddenly can't see out of one eye", "stroke"),
    ("there's no reason for me to keep living", "self-harm"),
    ("i want it all to be over", "self-harm"),
    ("i've been cutting again", "self-harm"),
    # concepts in everyday words: hopelessness with intent, goodbyes, means, being a burden, not existing
    ("what's the point of going on if nothing ever helps", "self-harm"),
    ("i honestly don't want to wake up tomorrow", "self-harm"),
    ("my kids would be better off if i wasn't around", "self-harm"),
    ("i'm so tired of being a burden on everyone", "self-harm"),
    ("been saving up my sleeping pills just in case", "self-harm"),
    ("i gave away my things this week, won't need them anymore", "self-harm"),
    ("she said she won't need more visits because she won't be around", "self-harm"),
    ("i might as well stop myself, it never gets better", "self-harm"),
    ("a man in the waiting room slumped over and isn't responding", "fainting"),
    ("my dad went limp and won't come round", "fainting"),
    ("her whole body is jerking and she won't answer", "seizure"),
    ("he went stiff and is shaking uncontrollably", "seizure"),
    ("it feels like breathing through a straw", "breathing"),
    ("my gran is wheezing really bad and can't finish a sentence", "breathing"),
    ("soaked through two towels and it is not slowing", "bleeding"),
    ("my face has blown up and my eyes are nearly shut", "allergy"),
    ("my wife is suddenly confused and doesn't know where she is", "stroke"),
    ("head is pounding like never before", "stroke"),
    ("everything went blurry all at once", "stroke"),
    ("i've got the rope sorted and i'm done", "self-harm"),
    ("tying up loose ends today, gave my cat to my sister", "self-harm"),
    ("i'm up on the roof and the edge looks peaceful", "self-harm"),
    ("my son's inhaler isn't doing anything and he's wheezing really bad", "breathing"),
    ("squeezing behind my breastbone and i'm in a cold sweat", "chest-pain"),
    ("she went white as a sheet and slid off the chair", "fainting"),
    ("my brother has epilepsy and this one has gone on over 5 minutes", "seizure"),
    ("my dad suddenly can't walk straight and the room is spinning", "stroke"),
    # typed in a hurry: a word one slip away from an emergency word is read as it
    ("my mum is unconsious in the bathroom", "fainting"),
    ("i think he is having a seizrue", "seizure"),
    ("her tonge is swelling up", "allergy"),
    # a symptom named, not said of a subject: "a full breath", "the worst headache", "my left arm"
    ("since the session i can't take a deep breath and it's getting worse", "breathing"),
    ("my left leg went weak and my face feels droopy", "stroke"),
    ("the woman in the next chair is gasping and can't get words out", "breathing"),
    # more concepts in everyday words
    ("my chest stabs when i breathe and i'm running out of air on the stairs", "breathing"),
    ("he is frothing at the mouth and jerking all over", "seizure"),
    ("my flatmate took a handful of pills and won't wake properly", "self-harm"),
    ("my head feels like it exploded, came on all at once", "stroke"),
    ("i can't see the point of waking up tomorrow", "self-harm"),
    ("his mouth is lopsided and his arm will not work", "stroke"),
    ("i can't see any way out of this", "self-harm"),
    ("i'm going to jump off the building tonight", "self-harm"),
    # a symptom said of a thing still raises the flag when someone asks for help
    ("the shelf collapsed on top of him, please help", "fainting"),
    # a symptom told before or after a question about risk; other languages; more concepts
    ("i'm wheezing badly, could the needling cause this?", 'breathing'),
    ('what are the chances my lung collapsed? it really hurts to breathe in', 'breathing'),
    ('no puedo respirar, por favor', 'breathing'),
    ('dolor en el pecho muy fuerte', 'chest-pain'),
    ('the man in the waiting room is holding his chest', 'chest-pain'),
    ('my daughter cut her foot and it is spurting everywhere', 'bleeding'),
    ('blood keeps oozing out of the needle spot and the bruise is getting bigger', 'bleeding'),
    ('my dad fell in the kitchen and is not making sense', 'fainting'),
    ('found my flatmate on the floor, she is barely conscious', 'fainting'),
    ('my wife is talking but the words make no sense', 'stroke'),
    ('i sold my bike and gave my cat to a neighbour, i will not need them anymore', 'self-harm'),
    ("i've decided to end it this weekend", 'self-harm'),
    ('been thinking of swerving into oncoming traffic', 'self-harm'),
    ('swallowed a whole box of my sleeping pills', 'self-harm'),
    ('gonna kms tonight', 'self-harm'),
    ('this is my last message to anyone, goodbye', 'self-harm'),
    ("for the past twenty minutes there's a heavy pressure in my chest, my session last week was fine", 'chest-pain'),
    ('cant breathe help', 'breathing'),
    ("my grandad went down in the garden and now he can't get up", 'fainting'),
    # hearsay about one's own people is news, not a question about risk
    ("i heard that my mum collapsed at home, what do i do", "fainting"),
    ("i just heard my wife is bleeding a lot", "bleeding"),
    # a symptom going on now, whatever question it comes in
    ("what should i do if my son is having a seizure", "seizure"),
    # the words that made a story of a message do not hide a real one
    ("my husband fell and it is not so funny, he cant get up", "fainting"),
    ("ive had crushing chest pain since last week", "chest-pain"),
    ("just found my dad on the floor", "fainting"),
    ("cnat brethe help", "breathing"),
    ("the doctor said to call if my chest pain got worse and it has", "chest-pain"),
    # someone else's thoughts, new words for them, a plan, the means ready; a joke told as none
    ("my daughter just told me she wants to kill herself", "self-harm"),
    ("been thinking of unaliving myself", "self-harm"),
    ("nobody will have to carry this burden much longer", "self-harm"),
    ("i have a plan, then nobody has to carry the burden", "self-harm"),
    ("i've got my tablets counted out on the table", "self-harm"),
    ("sometimes i think about driving off the bridge", "self-harm"),
    ("haha my lung feels like it popped, not joking, it hurts to breathe", "breathing"),
    # the words of a lung that is not filling, a breath too short to talk, a weight on the chest
    ("my left side of my chest does not rise when i breathe", "breathing"),
    ("he can only get out a few words at a time and stops for breath", "breathing"),
    ("it's like an elephant is sitting on me and it won't shift", "chest-pain"),
    ("his nosebleed has gone on for an hour", "bleeding"),
    ("my mum dropped in the lobby and is not getting up", "fainting"),
    ("the baby is limp and floppy", "fainting"),
    ("he keeps drifting in and out", "fainting"),
    ("her arms and legs are twitching non stop and her eyes look strange", "seizure"),
    ("half of what i see just went black", "stroke"),
    ("my right arm and leg feel like they belong to someone else", "stroke"),
    # the main words in Portuguese, French and German, not whole phrases only
    ("dor muito forte no peito", "chest-pain"),
    ("ela desmaiou no chao", "fainting"),
    ("meu braco esta sangrando muito", "bleeding"),
    ("mon visage gonfle", "allergy"),
    ("seine Zunge schwillt an", "allergy"),
    ("mein Vater ist zusammengebrochen", "fainting"),
    ("sa bouche est de travers", "stroke"),
    ("je ne veux plus vivre, plus envie de vivre", "self-harm"),
    # understatement and slang; a symptom said after "a little"; one told after a question
    ("a bit winded just sitting here and it will not settle", "breathing"),
    ("feels like someone is standing on my chest", "chest-pain"),
    ("my ticker is painful and racing", "chest-pain"),
    ("he cut his leg open and it is pouring", "bleeding"),
    ("she is out cold on the kitchen floor", "fainting"),
    ("full body shaking, jaw clenched, my brother", "seizure"),
    ("i am allergic to peanuts and ate one, now i am itchy all over", "allergy"),
    ("one side of my body feels like it is not mine", "stroke"),
    ("what is the point of any of this, i give up", "self-harm"),
    ("i have made up my mind, tonight's the night", "self-harm"),
    ("i'm not going to be around much longer, thanks for everything", "self-harm"),
    ("What does pistoning feel like? Also my husband just collapsed and isn't talking", "fainting"),
    # Italian, Polish and Dutch; a Polish letter that keeps its mark ("ł")
    ("mio padre non respira", "breathing"),
    ("mio nonno è svenuto", "fainting"),
    ("nie mogę oddychać", "breathing"),
    ("mój syn stracił przytomność", "fainting"),
    ("ik krijg geen lucht", "breathing"),
    ("het bloedt en het houdt niet op", "bleeding"),
    ("plötzlich hängt sein Mundwinkel", "stroke"),
    ("me duele el pecho", "chest-pain"),
    # what the words of a symptom can also be: a rib band tightening, a bleed in Latin words, French "plus"
    # for "pas", a sudden sign in other languages, a person who cannot be got to answer
    ("it feels like a belt tightening round my chest", "chest-pain"),
    ("mein Brustkorb ist wie zugeschnürt", "chest-pain"),
    ("I think the needle spot is haemorrhaging", "bleeding"),
    ("the wound opened up again and it's gushing", "bleeding"),
    ("je ne peux plus respirer", "breathing"),
    ("like drowning, my breath won't come", "breathing"),
    ("my wife is on the floor and I can't get her to respond", "fainting"),
    ("my son is shaking on the ground and won't stop", "seizure"),
    ("de repente no puedo mover la pierna derecha, no puedo mover nada", "stroke"),
    ("worst headache and I'm seeing double since this morning", "stroke"),
    ("honestly what's the point anymore", "self-harm"),
    ("if nothing changes I'm done. I have a plan", "self-harm"),
    ("I've left letters for everyone, this is the last appointment I'll ever need", "self-harm"),
    ("the man in the waiting room just collapsed", "fainting"),
    ("my dad collapses every few minutes", "fainting"),
    ("my bad seizures started again", "seizure"),
    # signs written as what one sees: lips puffing up after a food, a rash climbing after a new medicine, someone
    # floppy or grey and not answering anyone, a clause with its subject left out, a feverish child jerking, a
    # fixed stare with lip smacking, an inhaler doing nothing, hands at the throat, pain running to the jaw with
    # sickness, a chest on fire, blood leaking through, a smile pulled to one side, a useless grip, double
    # vision with unsteady legs, and thoughts of not being missed, not existing, or hurting oneself, said of
    # oneself or of someone else
    ("my lips and eyelids are puffing up after I ate prawns", "allergy"),
    ("started a new medication and the rash is spreading up my neck", "allergy"),
    ("my husband is all floppy and won't wake properly", "fainting"),
    ("grandad is grey and not answering anyone", "fainting"),
    ("dizzy after the needles, just collapsed on the stairs", "fainting"),
    ("my toddler is burning up and jerking all over", "seizure"),
    ("my brother is fitting again on the kitchen floor", "seizure"),
    ("she keeps staring blankly and smacking her lips", "seizure"),
    ("he is twitching all over like a seizure", "seizure"),
    ("my inhaler is doing nothing and my breathing keeps getting worse", "breathing"),
    ("he is clutching at his throat and cannot speak", "breathing"),
    ("my left arm aches, the pain goes into my jaw and I feel sick", "chest-pain"),
    ("his chest feels like it's on fire", "chest-pain"),
    ("the puncture site keeps leaking blood through the plaster", "bleeding"),
    ("her smile is pulling to one side and she's confused", "stroke"),
    ("my grip is useless and my face is drooping on one side", "stroke"),
    ("everything went double and I can't walk straight", "stroke"),
    ("no one would miss me if I was gone", "self-harm"),
    ("I don't think I want to exist anymore", "self-harm"),
    ("my son says he's going to hurt himself tonight", "self-harm"),
    ("I want it all to stop permanently, and I'm not talking about my back", "self-harm"),
    ("I can't see the point of carrying on", "self-harm"),
    # told by what is seen or done, not by the symptom's name: panting, blood through a dressing, a fit
    # after a fall, coming round after shaking, talking as if drunk, a farewell and then silence
    ("my dad is panting hard and can barely get a word out", "breathing"),
    ("I'm getting no air in at all", "breathing"),
    ("the gauze has gone red right through and it's still dripping", "bleeding"),
    ("filled two pads already and it's still coming through", "bleeding"),
    ("the needle spot on my arm is bleeding loads", "bleeding"),
    ("the bleeding just won't clot", "bleeding"),
    ("my wife dropped in the kitchen and she's not with it", "fainting"),
    ("I'm on the kitchen floor, too dizzy to stand", "fainting"),
    ("she fell down and she's jerking", "seizure"),
    ("my arm was shaking and when I came to my tongue was bleeding", "seizure"),
    ("I think my son is having a grand mal", "seizure"),
    ("pretty sure hes seizing rn", "seizure"),
    ("my mum is speaking like she's drunk and she never drinks", "stroke"),
    ("it won't matter, I won't be here to care", "self-harm"),
    ("I won't be a problem for much longer, don't worry", "self-harm"),
    ("he texted that he's sorry and he loves us, now his phone is off", "self-harm"),
    # a breath each time shorter, a heart that hammers with dizziness, pain going to the arm with a short typo,
    # blood in pulses or through clothes, a bruise that keeps growing, someone hard to wake, a body gone rigid
    # and twitching, shaking that cannot be controlled, fits one after another, a lip getting fat, bumpy
    # skin spreading, suddenly understanding nothing, weary of existing, a misspelt wish to disappear
    ("my breaths keep getting shorter and shorter since the appointment", "breathing"),
    ("my heart keeps skipping and racing and the room is going dizzy", "chest-pain"),
    ("ches is so tight and the ache goes to my left arm", "chest-pain"),
    ("blood is coming from the needle spot in pulses", "bleeding"),
    ("been pressing for ages and the blood is through my sleeve now", "bleeding"),
    ("the bruise on my thigh keeps growing and getting tighter", "bleeding"),
    ("my husband is so hard to wake up and only mumbles", "fainting"),
    ("my son went rigid and his hands are twitching", "seizure"),
    ("my legs are shaking and I can't control it", "seizure"),
    ("she has had two fits back to back and has not woken up in between", "seizure"),
    ("my top lip is getting fat since the session", "allergy"),
    ("itchy bumps all over my arms and spreading", "allergy"),
    ("my dad suddenly can't understand a word we say", "stroke"),
    ("honestly I am just tired of existing", "self-harm"),
    ("i just want to dissapear forever", "self-harm"),
    ("I have written letters for everyone tonight", "self-harm"),
    # lungs held in a band, winded by talking, a child grunting for breath, an inhaler used again and again, a
    # weight on the chest; a wound that will not stop without the word blood, a pad soaked again and again;
    # someone down who only groans, sight going dark, fainting again and again; a stare with chewing or a
    # twitching side; no words with a twitching side, a lip hanging to one side, a headache like a gunshot;
    # welts climbing, a lump in the throat growing, lips gone fat; a plan to make it stop, no reason to be here
    ("there's a band around my lungs and nothing gets in", "breathing"),
    ("since the needles by my shoulder blade I get winded just talking", "breathing"),
    ("my daughter is grunting with every breath and her nostrils are flaring", "breathing"),
    ("used my inhaler 6 times already for this attack", "breathing"),
    ("feels like a weight on my chest and I'm queasy", "chest-pain"),
    ("the needle spot is still dripping after pressing on it for 20 minutes", "bleeding"),
    ("the cut on his hand won't stop oozing", "bleeding"),
    ("going through a pad every half hour since this morning", "bleeding"),
    ("my flatmate is on the floor and just groaning", "fainting"),
    ("everything is going dark and I'm so lightheaded", "fainting"),
    ("i keep blacking out, went down once in the hall", "fainting"),
    ("my son zoned out then started chewing and his hand is jerking", "seizure"),
    ("my mum is staring and her whole right side is twitching", "seizure"),
    ("his face and arm are twitching on one side and he can't talk", "stroke"),
    ("my aunt's lip is hanging to one side and she can't raise her arm", "stroke"),
    ("this headache came on like a gunshot, never had one this bad", "stroke"),
    ("my brother can't get his words out", "stroke"),
    ("red welts are climbing up my chest and I'm wheezy", "allergy"),
    ("the lump in my throat is growing and my lips tingle", "allergy"),
    ("my lips feel fat and my voice is going hoarse", "allergy"),
    ("figured out how to make it stop for good", "self-harm"),
    ("there is no reason for me to be here any more", "self-harm"),
    # breath that cannot be taken or will not fill, in any English; a swapped letter in a short word; an emoji
    # that names blood; a body part named; a dressing drenched; nearly fainting with the heart pounding; someone
    # slumped who cannot talk; a throat narrowing; a sudden headache told as a blow, a split or a burst; no
    # reason to stay; "rite side"
    ("no can take air, please help", "breathing"),
    ("my lung won't fill all the way since this morning", "breathing"),
    ("bad chest pian and i can't stand", "chest-pain"),
    ("so much \U0001fa78\U0001fa78 and it won't stop", "bleeding"),
    ("my forearm caught on a nail and is gushing", "bleeding"),
    ("his stitches came open and the bandage is drenched", "bleeding"),
    ("i keep nearly passing out and my heart is hammering", "chest-pain"),
    ("grandpa slumped sideways on the couch and can't talk to us", "stroke"),
    ("my throat is narrowing and my voice is hoarse", "allergy"),
    ("my head suddenly feels like it is splitting open", "stroke"),
    ("headache hit like a bat, came on in a second", "stroke"),
    ("felt like i got hit in the head but nothing hit me", "stroke"),
    ("there's no reason to stay anymore", "self-harm"),
    ("cant talk, rite side hand not working", "stroke"),
    # a laugh that plays it down ("lol probably nothing but ..."), breath that won't come right, "chst"; a sudden
    # headache told as pain in the head, a head grabbed, a bang, a head that suddenly hurts, in Spanish; slurred
    # speech in German; no point in anything anymore
    ("lol probably nothing but i've been wheezing for half an hour and can't finish a sentence", "breathing"),
    ("my breath wont come right, i feel funny", "breathing"),
    ("chst hurts real bad", "chest-pain"),
    ("haha probably just heartburn but there's crushing pressure behind my breastbone", "chest-pain"),
    ("sudden pain in my head like nothing before", "stroke"),
    ("he grabbed his head saying it's the worst pain ever", "stroke"),
    ("my head just went bang and i feel strange", "stroke"),
    ("her head suddenly hurts worse than ever", "stroke"),
    ("tengo un dolor de cabeza horrible, de repente, el peor", "stroke"),
    ("meine Frau spricht plötzlich verwaschen", "stroke"),
    ("honestly is there any point in anything anymore", "self-harm"),
    # a chest getting tighter; Italian, Polish and Russian words; blood told by where it drips; falling over,
    # fitting for minutes or again; words that cannot be found, a stop mid-sentence, a side gone floppy, a shade
    # over the eye; a plan after nothing helps, a farewell, all the pills; swelling played down "a bit lol"
    ("my chest is getting tighter and tighter and i feel sick", "chest-pain"),
    ("mi sento oppresso al petto e sto sudando", "chest-pain"),
    ("z ręki krwawi mocno, leje się", "bleeding"),
    ("it keeps dripping off my chin and it's not slowing down", "bleeding"),
    ("grandad keeps falling over and says he's dizzy", "fainting"),
    ("my son has been fitting for ten minutes", "seizure"),
    ("fitting again, what do i do", "seizure"),
    ("le mie labbra si stanno gonfiando", "allergy"),
    ("dad can't find his words and one side of his mouth has dropped", "stroke"),
    ("she stopped mid sentence and now she's confused", "stroke"),
    ("my left arm just went floppy", "stroke"),
    ("a dark shade came down over half my vision", "stroke"),
    ("tried everything for years, nothing does anything, i've made my plan", "self-harm"),
    ("thanks for everything, you'll never hear from me again, i'm done", "self-harm"),
    ("the pills are right here and i want to take all of them", "self-harm"),
    ("мне трудно дышать", "breathing"),
    ("сильно болит грудь", "chest-pain"),
    ("my tongue is swelling up a bit lol", "allergy"),
    # Dutch and Turkish words for each emergency, and Portuguese ones for not wanting to live
    ("mijn moeder kan niet goed ademhalen", "breathing"),
    ("nefes alamıyorum, yardım edin", "breathing"),
    ("babamın göğsünde ağrı var, kalp krizi mi", "chest-pain"),
    ("parmağımdan kanama durmuyor", "bleeding"),
    ("annem bayıldı ve uyanmıyor", "fainting"),
    ("oğlum nöbet geçiren bir çocuk gibi titriyor", "seizure"),
    ("dudaklarım şişiyor ve kaşınıyor", "allergy"),
    ("babamın ağzı kaydı, konuşması bozuk", "stroke"),
    ("não quero mais continuar a viver", "self-harm"),
    ("yaşamak istemiyorum artık", "self-harm"),
    # Arabic and Chinese words; an airway gone narrow, huffing at rest, a fist in the chest, a nose bleeding for
    # minutes straight, slumping with no answer, twitching in a fever or all over on a pavement, French numbness, a
    # headache come instantly, like lightning or in Polish, not being around for bookings, a thanks before sleep
    # never ended, a laugh before fainting again, speech typed in a hurry
    ('我爸爸突然胸痛', 'chest-pain'),
    ('زوجي لا يستطيع التنفس ولا يستجيب', 'breathing'),
    ("huffing like i ran a marathon and i'm just lying in bed", 'breathing'),
    ('my nose has been bleeding 30 minutes straight', 'bleeding'),
    ("grandpa keeps slumping sideways and we can't get a proper answer out of him", 'fainting'),
    ('my toddler has a high temperature and keeps twitching', 'seizure'),
    ('a man is twitching all over on the sidewalk outside', 'seizure'),
    ("je ne sens plus ma jambe gauche d'un coup", 'stroke'),
    ('my head pain came on instantly, like being struck by lightning', 'stroke'),
    ('Mam najgorszy ból głowy nagle', 'stroke'),
    ("please cancel my bookings, i won't be around for them after this week", 'self-harm'),
    ("thank you for trying to help me, it's time i went to sleep and never come back", 'self-harm'),
    ('lol fainted again in the shower, should i still come in?', 'fainting'),
    ('his wrds are slurry and his arm wnt lift', 'stroke'),
    # a nosebleed gone on, a face-plant with the room spun, a dizzy face and "about to drop", "seizin", Ukrainian
    # shaking with no response, welts with wheezing, "tounge", a face drooping in Chinese, an explosion in the
    # head, future appointments cancelled, a thank-you before going, a note written, Spanish and Polish words
    ("her nosebleed has gone on for ages and she's sweating", 'bleeding'),
    ('i just face planted on the kitchen floor, everything spun', 'fainting'),
    ('😵 about to drop', 'fainting'),
    ('my wife is seizin on the floor', 'seizure'),
    ('мій син трясеться і не реагує', 'fainting'),
    ('she broke out in welts after the patch and is wheezy now', 'allergy'),
    ('my tounge is swelling up fast', 'allergy'),
    ('妈妈脸歪了，说话不清楚', 'stroke'),
    ('felt an explosion in my head a minute ago', 'stroke'),
    ('wanted to say thank you to everyone before i go, you were all so kind', 'self-harm'),
    ("i'm done, i've written my note", 'self-harm'),
    ('tengo ganas de morir', 'self-harm'),
    ('nie chcę już żyć', 'self-harm'),
    ('could you cancel all future appointments for me, i will not be here after friday', 'self-harm'),
]


@pytest.mark.parametrize(("message", "flag"), EMERGENCIES)
def test_an_emergency_in_other_words_is_caught(engine: Engine, message: str, flag: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("emergency", flag)


NOT_EMERGENCIES = [
    "can dry needling make you faint?",
    "could someone have a seizure from e-stim",
    "is it normal to bleed a little after dry needling",
    "does needling ever cause chest pain",
    "what happens if someone passes out during a session",
    "can needling help tight chest muscles",
    "my back seized up last week, can needling help",
    "can dry needling help my headaches",
    "my phone battery is going to die",
    "how do i fold a fitted sheet",
    "my alexa doesn't respond",
    "how do i stop a nosebleed",
    "breathing exercises for sleep",
    "does e-stim change my heart rate",
    "my vision is fine but my neck is stiff, can needling help",
    "is it normal to bleed a tiny bit when the needle comes out",
    # habits, events long over, suppositions, and figures of speech
    "I faint at the sight of needles, should I still try this?",
    "I had seizures as a kid but none since, does that matter?",
    "my mum had a stroke last year and her shoulder is stiff, is dry needling used for that",
    "what if I feel faint during the session, will the therapist stop?",
    "can you bleed a lot from dry needling",
    "I nearly had a heart attack when I saw the needles",
    "my heart races just thinking about it, does it feel like a shot?",
    "my doctor said the chest tightness is just a strained muscle, can needling help it",
    "i want to wake up without this back pain",
    "is the price a burden for most people",
    "has anyone ever passed out from dry needling? i get woozy around needles",
    "had one seizure in 2019 and none since, does that matter for needling",
    "what are the warning signs of a stroke, just in case",
    "lol my husband nearly fainted when he saw the photo of my needles",
    # a symptom said of a thing, or of what nearly happened
    "the cake collapsed when i opened the oven",
    "my old car keeps choking when it is cold",
    "the blue dye bled into my jeans",
    "our router blacked out again during the storm",
    "this humidity is suffocating",
    "my phone won't wake up after the update",
    "i almost passed out when i saw the parking fine",
    "the kids gave me a heart attack jumping off the sofa",
    "our striker choked at the world cup again",
    "my heart skipped a beat when i saw the needles, will it hurt",
    "there is a faint smell of gas in the hallway, who do i call",
    # a risk asked about, for oneself too, and events long over
    "can the e-stim trigger a seizure in someone with epilepsy",
    "is there any chance i will faint during the first session",
    "should i be worried about bleeding if i take aspirin",
    "she had fits as a baby but has been fine for years, can she be needled",
    # the treatment as the subject, hearsay and odds, a story, a memory gone blank, a thing's "seizure",
    # a seizure-free decade, blood named as a thing, "not" that is no "note", a phone not answered
    'can the needles collapse a lung?',
    'how likely is a punctured lung from dry needling, percentage wise?',
    'i read that someone fainted during needling, how common is that?',
    'is there a plan if a patient faints in the clinic?',
    'that stand-up show was so funny i could not breathe',
    'i blacked out on the exam and forgot everything',
    'the building collapse in that film looked fake',
    'my laptop had a seizure during the update',
    'the market had a heart attack this morning',
    'the whole audience went breathless',
    "i'm choking up at the end of this book",
    'my brother has been seizure free for ten years, can he try e-stim?',
    'i fainted once at the dentist, could that happen here?',
    'my son fainted at football last week, the doctor said it was the heat, can he have needling?',
    "years ago i thought about ending it but i'm in a good place now, can i have needling while on antidepressants?",
    'is dry needling better than massage for chest wall pain?',
    "if i'm on blood thinners will i bleed more?",
    'not sure, goodbye',
    'i will not make it in tomorrow, just in case you wonder',
    'the front desk is not answering the phone',
    'can you help me pick between the macbook air and another laptop',
    'read my last message again',
    'i have asthma, can needling near the ribs set off an attack?',
    'i have epilepsy, could the e-stim bring on a seizure?',
    "i have heard of people fainting during needling, is that common",
    "i found my keys on the floor",
    "I took all my meds this morning, can I still have needling?",
    "breathing exercises help my back",
    "my heart held up fine during the session",
    "the words in the article make no sense to me",
    "the therapist was talking about fascia and it makes no sense to me",
    # choking on words or a task, a long-healed scar, a sting long ago, someone else's friend, a supposition
    "i am choking on all these forms, can i send them later",
    "my chest scar from heart surgery is still tight years later, can needling soften it",
    "my face swelled up from a wasp sting last summer, could i react to needles",
    "my coworker said her friend passed out during needling, is that common",
    "suppose i feel faint halfway through, will the therapist stop",
    # a figure of speech, a school task, a translation, a method of breathing, waking early
    "my mum will have a heart attack when she sees the bill",
    "explain what a seizure is, it's for my daughter's homework",
    "what does shortness of breath mean in spanish",
    # ... and a part of an everyday story that only looks like the new words
    "my son is not getting up for school again",
    "my son hurt himself playing football, can needling help his knee?",
    "i have my pills laid out for the week",
    "i want to jump into the sea on holiday",
    "i won't be gone much longer than an hour",
    "the air in the waiting room is not moving, it's stuffy",
    "Cara has a big appointment tomorrow",
    "i was stiff and shaking from the cold after my swim",
    "i've been going to dry needling for weeks and had a little bleeding once, is that normal?",
    "how do you say short of breath in french",
    "can breathing exercises help me relax before needling",
    "i don't want to wake up early for my appointment, any slots after 10?",
    # handing things out, a plant, a profession, a life period long over, the treatment compared, going to rest
    "can I pass out leaflets about dry needling at my gym?",
    "the bleeding hearts in your garden look lovely",
    "my cousin is a heart surgeon and says my neck is tight, can needling help that?",
    "I had a collapsed lung in high school, can I get needled on my back?",
    "does the twitch look like a seizure when it happens?",
    "off to collapse on the couch, bye!",
    # a story before the question it asks about stays a story ("can it help?" is about what was told)
    "my chest is tight from the gym. can dry needling help?",
    # a faint at a needle long over, a plan for a task, a text that cannot be answered
    "my husband fainted when he had his blood taken, is needling ok for him?",
    "i'm done with physio for now, got a plan for home exercises",
    "I just came to ask about dry needling",
    "my son keeps asking how it works and I can't answer him",
    # a thing that gives way, where it is or whatever is said of it; a faint line of any colour
    "my tennis serve collapses under pressure, any tips",
    "the shelf in my garage collapsed last night",
    "is a faint pink line on the test a positive",
    # an injury by accident, a history asked about, a general question in another language, a rash long
    # gone, "faint" and "breath" and "stroke" in their figures of speech, a condition's name, a gym day,
    # fitting in, going on with the treatment, a tired brain, a simile of the twitch, a thing that collapses
    "I hurt myself playing football, can dry needling help?",
    "my wife hurt herself at the gym last week",
    "is dry needling ok if my dad has had a seizure before?",
    "Peut-on s'évanouir pendant le dry needling ?",
    "had hives a year ago from a plaster, is the tape latex-free?",
    "faint chance but are you open on bank holidays",
    "dry needling is not for the faint hearted lol",
    "the view took my breath away on holiday",
    "that was a stroke of genius, thanks",
    "my daughter has a seizure disorder, is needling ok for kids?",
    "chest day tomorrow, will needling help my sore pecs",
    "my son is fitting in well at his new school",
    "gonna go pass out in bed now, thanks bot",
    "what's the point of going on with physio if it doesn't help?",
    "my brain just fried after that meeting",
    "the twitch felt like a tiny seizure, is that normal?",
    "I'm drowning in paperwork today, when are you open?",
    "my stock portfolio collapsed since the election",
    # a needle that went too deep is no cut
    "suppose the needle went too deep, what would I feel?",
    # a feeling too big for words, exercises for a tight muscle, a symptom to keep away, one over now,
    # a campaign's name, hopeless about a body part, a dark time long gone through, a machine's air
    "I could pass out with excitement, first needling on Friday",
    "any good exercises to loosen a tight chest?",
    "do you have leaflets for suicide awareness week?",
    "should I eat first so I don't pass out during needling?",
    "my chest was tight after coughing but it's gone now, can I still come in?",
    "I feel hopeless about my knee, will needling help it bend again?",
    "years ago I struggled with self harm, should my therapist know?",
    "there's no air conditioning in the waiting room",
    # hearsay about a stranger, someone who nearly fainted and went home fine, a muscle likened to a seizure or
    # convulsing under the needle, scars left by self-harm long ago
    "I saw a video about a man who got a collapsed lung from needling, how rare is that?",
    "a man at the gym looked like he was going to faint but the coach sorted him out and he walked out fine, is that common?",
    "my hamstring kicked like it was having a fit, is that the twitch?",
    "why does my calf muscle convulse when the needle goes in?",
    "I have old scars from self harm on my thighs, can needling soften scar tissue?",
    # a habit of the mornings
    "my teenager is so hard to wake up in the mornings, is that normal",
    # faint at the thought of needles, hearsay about a risk, a thing seized; a weight off the chest, a muscle
    # that jerked by itself, pain to be made to stop with needling
    "I get faint just thinking about needling, does that happen to others?",
    "I've heard about collapsed lungs from needling near the ribs, how likely is that?",
    "police seized my neighbour's boat, is that legal?",
    "that's a weight off my chest, thanks",
    "the muscle jerked by itself when the needle went in, is that normal?",
    "I'm planning how to make my back pain stop for good with needling",
    # eyes kept closed by choice; a knot gone for good
    "needles scare me, can I keep my eyes closed during it?",
    "will the knot be gone for good after a few sessions?",
    # a week that collapsed; a seizure last month, and she is all right now
    "my week has been a total collapse, can I move my appointment?",
    "my neighbour had a seizure at the shops last month, she's all right now",
    # a heart attack over a bill; the FAQ's winding (whose stem is "winded's"); a scar from bleeding last year,
    # with "and now"; fainting years ago in German; a friend's husband, a claim about needling; a wish now after
    # a heart attack years ago; what the current or a needle could do; dry needling's French name
    "I'm having a heart attack over the bill, do you do payment plans?",
    "does fascial winding ease the breathing muscles?",
    "I bled heavily during my c-section last year and now have a thick scar, could needling help it?",
    "meine Oma ist vor Jahren ohnmächtig geworden, ist Dry Needling sicher?",
    "my friend's husband bled a lot after his session, is that normal?",
    "my physio friend claims needling gave a patient a seizure, is that true?",
    "my dad had a heart attack two years ago and now wants needling for his knee",
    "could the stim current hurt my heart rhythm?",
    "can a needle near the ribs make breathing hard later?",
    "la puncture sèche pour le dos, ça marche ?",
]


@pytest.mark.parametrize("message", NOT_EMERGENCIES)
def test_a_question_about_risk_or_an_everyday_phrase_is_no_emergency(engine: Engine, message: str) -> None:
    assert engine.answer(message).kind != "emergency"


# 4. Neighbouring entries: an unsure match is answered when the matcher's second opinion, which weighs
# every phrasing of every entry, names the same entry surely enough.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my thigh spasmed when she needled the knot, what was that", "local-twitch-response"),
        ("how can a needle make pain ease off and not get worse", "pain-relief"),
    ],
)
def test_an_unsure_match_is_answered_when_the_second_opinion_agrees(engine: Engine, message: str, faq_id: str) -> None:
    assert (engine.answer(message).kind, engine.answer(message).faq_id) == ("faq", faq_id)
    without = Engine(engine.content, policy=replace(engine.policy, agreed_threshold=101.0))
    assert without.answer(message).kind == "clarify"


def test_the_second_opinion_names_an_entry_only_from_the_faqs_words(engine: Engine) -> None:
    faq_id, likelihood = engine.matcher.second_opinion(engine.analyzer.analyze("pumping one needle in and out of a knot"))
    assert faq_id == "pistoning" and 0.5 < likelihood <= 1.0
    assert engine.matcher.second_opinion(engine.analyzer.analyze("xyzzy plugh")) is None


# How the treatment helps a problem gets the entry that says how it is treated (the conversation
# section's treated_by), while what the problem is keeps the problem's entry.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("how does needling settle an overreacting nervous system", "pain-relief"),
        ("how would dry needling calm my oversensitive nerves", "pain-relief"),
        ("how does the needle fix a knot in my back", "trigger-point-release"),
        # ... asked as yes or no, too
        ("could needling settle down my overreacting nervous system", "pain-relief"),
        ("does needling quiet an oversensitive nervous system", "pain-relief"),
        ("what is central sensitization", "central-sensitization"),
        ("why is my nervous system so sensitive", "central-sensitization"),
        ("what is a trigger point", "trigger-point"),
    ],
)
def test_how_it_helps_a_problem_gets_how_it_is_treated(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# What is asked about comes before its foil ("instead of", "rather than", "is X just Y").
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("why did my physio turn the needle instead of poking it in and out", "winding"),
        ("is winding just a slower pistoning", "winding"),
        ("so is dry needling just jabbing needles into a muscle or is there more", "what-is-dry-needling"),
        ("is a knot just a cramp that stays", "trigger-point"),
        ("what's the difference between scar tissue and skin that is just stiff", "scar-tissue"),
        # what "it" feels like, compared with something: the feeling is asked about
        ("does it feel like having a blood test", "what-does-it-feel-like"),
        ("does it feel like a jab", "what-does-it-feel-like"),
    ],
)
def test_the_subject_comes_before_its_foil(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# Who may do it: a profession named as the one who does the needling is no other treatment.
@pytest.mark.parametrize(
    "message",
    [
        "does my osteopath do dry needling or only the physios",
        "can a chiropractor do dry needling or is it only pts",
        "is it true chiropractors are allowed to do dry needling",
        # who does it, beside whom it is for
        "who can do dry needling",
        "who should do my dry needling",
    ],
)
def test_a_profession_asked_about_as_who_does_it_gets_who_performs(engine: Engine, message: str) -> None:
    assert engine.answer(message).faq_id == "who-performs"


# "How long" asks a duration: an entry that answers none is the less likely ("when you use e-stim" names e-stim)
def test_how_long_asks_the_entry_that_answers_a_duration(engine: Engine) -> None:
    reply = engine.answer("How long will the needles stay in when you use the electric stimulation machine?")
    assert (reply.kind, reply.faq_id) == ("faq", "session-length")


# ... and when unsure, a yes-or-no question whether it helps a problem is what it is used for (helps_with)
@pytest.mark.parametrize(
    "message",
    [
        "my heel has been sore since the half marathon, can needling help?",
        "i get pins and needles in my hand from typing all day, would dry needling help that",
        "I sit at a desk all day and my hips are tight, can dry needling help?",
        # an injury told as "I hurt myself", not as whether the treatment hurts
        "I hurt myself playing football, can dry needling help?",
        # ... and what it can help, asked as a what-question
        "what else can it help with",
        "what sort of things can dry needling fix",
        # ... asked as whether it is the kind of thing dry needling treats
        "my neck is stiff every morning, is that something you would needle",
        "my wrist aches from typing, is dry needling something that might help",
        # ... never answered with what it is or how it works in general (an overview entry)
        "can it help the tight muscles between my ribs",
        # ... also when it is not among the entries offered, if the best guess rests on common words alone
        "could needling help shin splints from running",
        # ... and whom it is for, which is not who does it
        "who is dry needling for",
        "who should get dry needling",
        "who could benefit from needling",
        # ... or whether it is only for some
        "is dry needling just for sports injuries",
        "is needling mainly for backs or other stuff too",
        # ... or what kind of patient it suits
        "what kind of patients do best with dry needling",
        # ... or whether it is helpful, useful, effective for it
        "is dry needling helpful for hip arthritis",
        "is needling effective for plantar fasciitis",  # (held before)
    ],
)
def test_whether_it_helps_a_problem_gets_what_it_is_used_for(engine: Engine, message: str) -> None:
    assert (engine.answer(message).kind, engine.answer(message).faq_id) == ("faq", "conditions")


# ... also after a story told in passing whose words name a not-covered topic ("stroke" is a risk)
@pytest.mark.parametrize(
    "message",
    [
        "my husband had a stroke three years ago and his hand is still tight, could needling help that?",
        "i had chest pains in 2020, it turned out to be a pulled muscle, can dry needling help that sort of thing",
    ],
)
def test_a_help_question_after_a_past_story_gets_what_it_is_used_for(engine: Engine, message: str) -> None:
    assert (engine.answer(message).kind, engine.answer(message).faq_id) == ("faq", "conditions")


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("i had a stroke last year, can needling cause another one?", "risks-side-effects"),
        ("can dry needling help if i get dizzy afterwards", "risks-side-effects"),
    ],
)
def test_a_risk_asked_about_is_still_referred(engine: Engine, message: str, topic: str) -> None:
    assert (engine.answer(message).kind, engine.answer(message).intent) == ("fallback", topic)


@pytest.mark.parametrize("message", ["why does my back feel looser after the needles", "why do my legs feel better after dn"])
def test_why_it_feels_better_afterwards_asks_how_it_works_not_what_to_expect(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert reply.kind in ("faq", "clarify") and reply.intent is None


@pytest.mark.parametrize(
    "message", ["how come my pain feels lower once the needles are out", "why does the pain feel less after e-stim"]
)
def test_pain_that_feels_less_is_pain_relief(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "pain-relief")


def test_what_to_expect_afterwards_is_still_aftercare(engine: Engine) -> None:
    assert engine.answer("how will my back feel after the needles").intent == "aftercare"


def test_how_it_helps_is_still_how_it_works(engine: Engine) -> None:
    assert engine.answer("how can dry needling help a stiff back").faq_id != "conditions"


@pytest.mark.parametrize("message", ["can you recommend a chiropractor", "is dry needling better than chiropractic"])
def test_a_profession_as_another_treatment_is_still_referred(engine: Engine, message: str) -> None:
    assert (engine.answer(message).kind, engine.answer(message).intent) == ("fallback", "other-treatments")


# Two questions with only a comma between them: each is read as a question of its own.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("what is dry needling, is it like getting stabbed with little knives?", "what-is-dry-needling"),
        ("what does dry needling mean, is it a kind of jab?", "what-is-dry-needling"),
        ("how does dry needling work, is it zapping the muscle?", "how-does-it-work"),
        # what was told, then "what kind of treatment is that" after a comma: what the treatment named is
        ("saw dry needling on a poster in the waiting room, what kind of treatment is that?", "what-is-dry-needling"),
    ],
)
def test_two_questions_joined_by_a_comma_are_each_read(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# 4. Neighbouring entries: a question comparing methods belongs to the overview entry.
@pytest.mark.parametrize(
    "message",
    [
        "difference between pistoning and winding",
        "pistoning vs e-stim, which is better for me",
        "how does winding differ from pistoning",
        "is winding gentler than pistoning",
        "which hurts less, e-stim or pistoning",
        # one method set beside the others
        "is there a gentler technique than pistoning",
        "are other methods less painful than winding",
    ],
)
def test_a_comparison_of_methods_gets_the_techniques_answer(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "techniques")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        # a common problem named beside the treatment asks what it is used for
        ("dry needling for shin splints", "faq"),
        # ... and named alone, asked what it is or whether one has it, is a definition or a diagnosis
        ("what is tennis elbow", "fallback"),
        ("is my knee pain arthritis", "fallback"),
        ("what are shin splints", "fallback"),  # (held before)
    ],
)
def test_a_problem_named_is_what_it_is_used_for_only_when_the_treatment_is_asked(
    engine: Engine, message: str, kind: str
) -> None:
    reply = engine.answer(message)
    assert reply.kind == kind
    assert reply.faq_id == ("conditions" if kind == "faq" else None)


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # an apology is no word of the question
        ("sorry, dumb question, but what is dry needling?", "what-is-dry-needling"),
        # a short question about the treatment after an emoji is read on its own
        ("ok deep breath, I'm ready 😅 what is dry needling?", "what-is-dry-needling"),
        # needling, the treatment, is not the needles a not-covered topic asks about
        ("what kinds of needling do you use", "techniques"),
        ("do all patients get the same kind of needling?", "techniques"),
        # how to tell one has it asks what it is, not whether one may have the treatment
        ("How can I tell if I have a trigger point?", "trigger-point"),
        ("how would I know if I have a muscle knot", "trigger-point"),
    ],
)
def test_the_question_is_found_among_words_that_ask_nothing(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # a method the question does not name is no rival of a general entry
        ("my PT wants needling in my rehab plan, why is that worth doing", "benefits"),
        # ... and named in its everyday words it is
        ("whats the point of electrocuting my muscles through the needles", "electrical-stimulation"),
    ],
)
def test_a_method_is_a_rival_only_when_the_question_names_it(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


@pytest.mark.parametrize(
    "message",
    [
        # what the needle brings about, asked how or why
        "why would a thin needle make my muscles feel better",
        "how can such a small needle make a real difference",
        "how does a needle even do something",
        # what it does once it is in
        "what is the needle actually doing once it's in",
        "the needles do what exactly when they're in",
    ],
)
def test_what_the_needle_does_inside_asks_how_it_works(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "how-does-it-work")


@pytest.mark.parametrize(
    "message",
    [
        "my hands are shaking about tomorrow's session, what is it going to feel like",
        "I go pale at the sight of needles, how much does it really hurt",  # (held before)
    ],
)
def test_how_it_feels_asked_after_a_clause_of_nerves_is_read_on_its_own(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "what-does-it-feel-like")


def test_one_method_alone_still_gets_its_own_answer(engine: Engine) -> None:
    assert engine.answer("how does pistoning work exactly").faq_id == "pistoning"
    assert engine.answer("why turn the e-stim up to 20 hz or more").faq_id == "estim-frequency"  # "or more" compares nothing


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # "or" between two answers about one method, whose name holds the overview's word
        ("is the winding method done slowly or fast?", "winding"),
        ("is the pistoning technique painful or not", "pistoning"),
        # the method in lay words, its hyphen dropped
        ("why does my physio do that quick in-out thing with the needle", "pistoning"),
    ],
)
def test_one_method_asked_either_or_gets_its_own_answer(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


@pytest.mark.parametrize(
    "message",
    [
        "would it feel like a flu shot",  # compared with a shot
        "seriously though, on a scale how much will it sting",  # rated on a scale
        "no sugarcoating please, how much does it sting",  # stinging is how it hurts, whatever words surround it
        "do most people find it relaxing?",  # relaxing said of the treatment is how it feels, not a knot let go
        # a run-on story, then what it feels like, with no question mark
        "i passed out at a blood test once so i'm wary, what will the needles feel like",
        # needles stuck in someone are put in, not tissue stuck down
        "is it torture having needles stuck in me",
        # the treatment's own level of pain, not pain relieved
        "what's the pain level during dry needling",
    ],
)
def test_how_it_feels_in_other_words_gets_what_it_feels_like(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "what-does-it-feel-like")


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # improving how far a joint moves asks about stiffness, not about every benefit
        ("will dry needling improve my flexibility", "scar-tissue"),
        ("could the needles increase my range of motion after a fracture", "scar-tissue"),
        ("what can dry needling improve for me", "benefits"),
        # one method asked for a use its own answer tells: that method, not what dry needling helps
        ("would needling with e-stim help my recovery after an operation", "electrical-stimulation"),
        ("is pistoning good for tennis elbow", "conditions"),
    ],
)
def test_what_is_asked_of_a_use_names_the_entry_that_tells_it(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # a story told after the question, past a comma: the question is read on its own
        ("how does it actually work, my sister swears by it", "how-does-it-work"),
        ("why would it help at all, i've tried everything for my back", "how-does-it-work"),
        ("what is this treatment even, my physio put DN on my plan", "what-is-dry-needling"),
    ],
)
def test_a_question_before_a_story_is_read_on_its_own(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


@pytest.mark.parametrize(
    "message",
    [
        # a story told after the question, past a comma
        "what exactly is dry needling, my PT is booking me in for it",
        "what is dry needling, i have my first session friday",
        # a "pt" the front desk calls new is a patient, not a physical therapist
        "fwd from reception: new pt wants a short explanation of what dry needling is before her first visit",
    ],
)
def test_what_it_is_asked_before_a_story_gets_what_it_is(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "what-is-dry-needling")


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # "that" after a sentence that names only a person stands for all the sentence told
        ("my physio pushed one needle in and out of my calf over and over. what's that technique called?", "pistoning"),
        ("my therapist kept twisting the needle round in my scar. what is that method?", "winding"),
    ],
)
def test_that_method_after_a_story_of_it_is_the_method_told(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_a_worry_beside_another_question_keeps_the_honest_reply(engine: Engine) -> None:
    # a question of its own that the FAQ cannot answer gets no entry; words to the bot stay smalltalk
    assert engine.answer("i tend to sweat when i'm nervous, do i tell the therapist?").kind != "faq"
    assert engine.answer("hi there, i'm a bit nervous, what can you do?").kind == "smalltalk"
    # being put to sleep for it is about medicines, which the FAQ does not cover
    assert engine.answer("needles terrify me, could I be sedated first?").intent == "medicines"


def test_a_worry_alone_still_gets_what_it_feels_like(engine: Engine) -> None:
    assert engine.answer("i'm nervous, does the twitch hurt?").faq_id == "what-does-it-feel-like"


def test_a_mark_where_the_needle_went_in_is_referred_as_a_side_effect(engine: Engine) -> None:
    reply = engine.answer("there's a small red mark where the needles went in, is that ok")
    assert (reply.kind, reply.intent) == ("fallback", "risks-side-effects")


def test_in_general_is_no_word_of_any_entry(engine: Engine) -> None:
    # "in general" asks the question as a whole; it points at no entry (it used to point at the benefits)
    reply = engine.answer("in general what does a trigger point do")
    assert (reply.kind, reply.faq_id) == ("faq", "trigger-point")


@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        # whether it helps what a condition left behind is what it is used for
        ("could needling help my weak leg after a stroke", "faq", "conditions"),
        ("can needling help the tight calf i've had since my seizure last year", "faq", "conditions"),
        # ... but whether it is safe, or can cause the condition, is still a risk
        ("is it safe to have dry needling after a stroke", "fallback", "risks-side-effects"),
        ("can dry needling cause a stroke", "fallback", "risks-side-effects"),
    ],
)
def test_help_with_what_a_condition_left_is_what_it_is_used_for(engine: Engine, message: str, kind: str, answer: str) -> None:
    _replied(engine, message, kind, answer)


def test_a_story_told_for_her_is_read_with_the_question(engine: Engine) -> None:
    # "for her" points back at the person the sentence before told of: not a confident benefits answer
    reply = engine.answer("My dad has arthritis in both knees. Is dry needling worth trying for him?")
    assert reply.faq_id != "benefits"


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # whether it is an option for a problem asks whether it helps it ...
        ("I've got shin splints. Is dry needling an option for that?", "conditions"),
        # ... and of one method, whose own answer tells that use, what the method is used for
        ("Is needling with e-stim a good option after an operation?", "electrical-stimulation"),
        # a bare "help?" after a question about the subject asks for help with it
        ("my wife keeps asking what a trigger point is and I can't explain it. Help?", "trigger-point"),
    ],
)
def test_an_option_or_a_cry_for_help_is_read_with_what_it_is_about(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_help_alone_is_still_what_the_bot_can_do(engine: Engine) -> None:
    assert engine.answer("help").intent == "help"
    assert engine.answer("hi! help?").kind == "smalltalk"


def test_an_appointment_typed_short_is_still_the_session(engine: Engine) -> None:
    reply = engine.answer("how long will my appt take")
    assert (reply.kind, reply.faq_id) == ("faq", "session-length")


@pytest.mark.parametrize(
    "message",
    [
        # a guess at what it is, then "what is it": one question, what it is
        "is needling just sticking pins in a knot?? what is it really",
        "is dry needling kind of like a deep massage with needles? what is it exactly",
    ],
)
def test_a_guess_then_what_is_it_asks_what_it_is(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "what-is-dry-needling")


def test_the_twitch_taken_for_a_seizure_is_the_twitch(engine: Engine) -> None:
    reply = engine.answer("my calf jerked so hard during the session i thought it was a seizure lol, why does that happen")
    assert (reply.kind, reply.faq_id) == ("faq", "local-twitch-response")
    assert engine.answer("can dry needling cause a seizure").intent == "risks-side-effects"
    assert engine.answer("i think i am having a seizure").kind == "emergency"


def test_the_needle_relaxing_a_knot_is_still_the_release(engine: Engine) -> None:
    assert engine.answer("how does the needle relax a knot").faq_id == "trigger-point-release"


def test_the_pace_of_the_pulses_is_the_frequency(engine: Engine) -> None:
    reply = engine.answer("the stim was pulsing fast today, last week it was slow, why")
    assert (reply.kind, reply.faq_id) == ("faq", "estim-frequency")


def test_the_one_method_named_is_answered_when_its_answer_holds_the_question(engine: Engine) -> None:
    # e-stim's own answer tells that it boosts blood flow: no "did you mean"
    reply = engine.answer("does the e-stim really boost blood flow?")
    assert (reply.kind, reply.faq_id) == ("faq", "electrical-stimulation")
    # switching a gadget off is no turn of the needle
    assert engine.answer("can i turn them off, the adaptive triggers are stiff").kind != "faq"


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # how it feels, asked of a moment: what it feels like, whatever the moment names
        ("what does it feel like once the needle reaches the knot", "what-does-it-feel-like"),
        ("how does it feel when the needles go in my calf", "what-does-it-feel-like"),
        # ... but what something means at a moment is asked of that thing
        ("what does it mean when the needle is twisted", "winding"),
    ],
)
def test_how_it_feels_at_a_moment_is_what_it_feels_like(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_the_entry_a_question_names_among_three_close_ones_is_answered(engine: Engine) -> None:
    reply = engine.answer("the twitch that happens when you get needled, what is it")
    assert (reply.kind, reply.faq_id) == ("faq", "local-twitch-response")


def test_the_physiology_of_it_is_how_it_works(engine: Engine) -> None:
    assert engine.answer("what's the physiological basis of needling therapy?").faq_id == "how-does-it-work"
    assert engine.answer("what is the physiology of sleep").kind == "fallback"


def test_a_job_started_is_not_the_treatment_starting_to_work(engine: Engine) -> None:
    reply = engine.answer("my neck knots got worse since I started working from home, what is a trigger point")
    assert (reply.kind, reply.faq_id) == ("faq", "trigger-point")
    assert engine.answer("how soon will it start working").intent == "time-to-results"


# 5. A long message: the entries it asks about, each under its title, and what it cannot answer.
LONG = (
    "I'm 47 and I've had back pain since a car accident years ago. I've tried physio, massage and "
    "stretching, and I take ibuprofen most days. My new physical therapist brought up dry needling at "
    "my last visit and I had never heard of it. What is it and will it help my back?"
)


def test_a_long_message_gets_each_answer_under_its_title_and_the_missing_topic(engine: Engine) -> None:
    reply = engine.answer(LONG)
    assert reply.kind == "faq" and reply.faq_id == "what-is-dry-needling"
    for entry_id in ("what-is-dry-needling", "conditions"):
        entry = engine.entry(entry_id)
        assert entry.title in reply.text
        assert engine.faq(entry_id).body in reply.text
    assert reply.intent == "medicines"
    assert reply.text.endswith(engine.disclaimer)


@pytest.mark.parametrize(("message", "topic"), [
    ("I have an immune condition and get tired easily. Would dry needling be ok?", "health-conditions"),
    ("I'm 7 months pregnant and my hips ache. Is dry needling an option?", "health-conditions"),
])
def test_whether_it_suits_them_after_a_health_story_is_referred(engine: Engine, message: str, topic: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("fallback", topic)


def test_the_cause_asked_for_is_of_what_the_sentence_before_told(engine: Engine) -> None:
    reply = engine.answer("I noticed a flicker in my calf during the session. What was the reason?")
    assert (reply.kind, reply.faq_id) == ("faq", "local-twitch-response")


@pytest.mark.parametrize(
    "message",
    [
        "I saw a chiropractor for years and it did nothing. Will dry needling be any different?",
        "I had cupping before and did not like it. Would dry needling be any different?",
    ],
)
def test_any_different_from_another_treatment_told_before_is_referred(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("fallback", "other-treatments")


def test_the_two_things_a_sentence_named_are_what_the_next_asks_about(engine: Engine) -> None:
    # "connected" alone is the e-stim answer's word; "the two" are pH and dry needling
    reply = engine.answer("My friend mentioned pH and dry needling. How are the two connected?")
    assert reply.faq_id != "electrical-stimulation"
    assert reply.faq_id == "trigger-point-release" or "trigger-point-release" in [s.faq_id for s in reply.suggestions]


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # a question and what someone said, typed without a stop between them
        ("what is dry needling my coach said i should try it for my hamstring", "what-is-dry-needling"),
        ("how long does a session take my wife wants to come along", "session-length"),
        # a story and "what is that" typed straight after it
        ("my physio said she wants to try dry needling on my calf next week what is that", "what-is-dry-needling"),
        ("the coach wants me to try dry needling for my calf what is that", "what-is-dry-needling"),
        # ... not a name and "what is it": that asks what the name is
        ("e stim with dry needling what is it", "electrical-stimulation"),
    ],
)
def test_a_run_on_question_and_story_are_read_apart(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_a_question_that_names_the_subject_stands_on_its_own_when_the_story_before_fits_nothing(engine: Engine) -> None:
    message = "My cousin swore it was the strangest sensation. What does it feel like when the needle goes in?"
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "what-does-it-feel-like")


def test_a_long_message_without_an_answer_is_matched_as_one(engine: Engine) -> None:
    reply = engine.answer("I have had a long week at work. My car broke down twice. Can you recommend a mechanic near me?")
    assert reply.kind == "fallback"


# 8. Words that change what is asked: negation, time and outcome point at a not-covered topic.
CHANGED = [
    ("who should not get dry needling?", "who-should-avoid"),
    ("is there anyone who should avoid dry needling", "who-should-avoid"),
    ("what should I do after a treatment?", "aftercare"),
    ("how will I feel after?", "aftercare"),
    ("will i be sore the next day", "aftercare"),
    ("how long does it take to start working?", "time-to-results"),
    ("when will i notice a difference from the needling", "time-to-results"),
    ("what's wrong with my knee, can you tell?", "diagnosis"),
    # what the patient told first is what "for me" asks about
    ("I'm on warfarin. Would dry needling be an option for me?", "health-conditions"),
    ("I'm pregnant. Can I have it?", "health-conditions"),
    ("My needle spot is still tender this morning. How long will that last?", "risks-side-effects"),
    ("would a scan show my trigger points", "diagnosis"),
    ("can you tell if my elbow pain is tennis elbow", "diagnosis"),
    ("what if the needle hits a nerve", "risks-side-effects"),
    ("is there another option if i hate needles", "other-treatments"),
    ("can I use my own tens machine at home with this", "self-treatment"),
    ("will it make my c-section scar look better", "scar-appearance"),
    ("is two sessions of dry needling enough", "number-of-sessions"),
    ("do i have to undress for the needling", "preparation"),
    ("can i take painkillers after dry needling", "aftercare"),
    # a risk to a part of the body, and an age
    ("could the needle nick a blood vessel in my neck", "risks-side-effects"),
    ("how often do people get short of breath from needling near the chest", "risks-side-effects"),
    ("is needling fine for older adults", "age"),
    # the treatment's history or a claim the article does not make; waiting to be needled again
    ("where did dry needling come from originally", "evidence"),
    ("does needling flush toxins out of my body", "evidence"),
    ("how soon can i be needled again", "number-of-sessions"),
    # whether it is a scam, how old one must be, buying the needles: not what a method is
    ("is pistoning a scam", "evidence"),
    ("how old do you have to be for e-stim", "age"),
    ("where can i buy the needles for winding", "self-treatment"),
    ("what dose of advil is ok after needling", "medicines"),
]


@pytest.mark.parametrize(("message", "topic"), CHANGED)
def test_a_word_that_changes_the_question_gets_that_topics_referral(engine: Engine, message: str, topic: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("fallback", None)
    assert reply.intent == topic


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("who does dry needling at your clinic", "who-performs"),
        ("what does it feel like during the treatment", "what-does-it-feel-like"),
        ("how long are the needles left in", "session-length"),
    ],
)
def test_the_plain_question_still_gets_its_entry(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_a_clinic_copy_without_the_new_red_flags_still_catches_emergencies(tmp_path, engine: Engine) -> None:
    """A clinic's FAQ from an older version lacks the emergency signs; the shipped ones still apply."""
    import bot
    from intents import read_yaml as read

    data, _ = read(bot.DEFAULT_FAQ)
    data["red_flags"] = [{"id": "chest-pain", "patterns": ["chest pain"], "reply": "Call {emergency_number} now."}]
    del data["emergency_words"]
    old = tmp_path / "faq.yaml"
    import yaml

    old.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    alone = Engine.from_file(old)
    assert alone.answer("the blood keeps coming and won't stop").kind != "emergency"
    merged = bot.load_engine(old)
    reply = merged.answer("the blood keeps coming and won't stop")
    assert (reply.kind, reply.intent) == ("emergency", "bleeding")
    assert merged.answer("I have chest pain").body == "Call 911 (or your local emergency number) now."
    live = bot.load_live(old)
    assert live.engine.answer("my face is puffing up since the needles").kind == "emergency"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("I almost backed out of my appointment, does it hurt?", "faq"),
        ("I'm nervous about my first session", "faq"),
        # ... told by someone else, or in other words
        ("patient is anxious and asks what it feels like", "faq"),
        ("honestly a nervous wreck before my first needling, what's it like", "faq"),
        ("my dog is scared of thunder, what can i do", "fallback"),
        ("remind me to take the chicken out of the freezer at noon", "fallback"),
        ("i'm worried about my car loan payment", "fallback"),
        ("how do i back out of a tight parking space", "fallback"),
    ],
)
def test_a_worry_is_acknowledged_only_about_this_subject(engine: Engine, message: str, kind: str) -> None:
    reply = engine.answer(message)
    assert reply.kind == kind, reply.text


# The rest of a worried message keeps its sentences: a topic told in the first does not swallow the question
@pytest.mark.parametrize(
    ("message", "faq_id", "topic"),
    [
        ("I'm nervous about my first appointment. What sensations should I expect while the needles are in?",
         "what-does-it-feel-like", "appointments"),
        ("I'm anxious about cost. What does pistoning do?", "pistoning", "cost-insurance"),
        # ... and its clauses: the comma after the worry still ends one
        ("my first visit is on monday and i'm scared, what will the needling feel like", "what-does-it-feel-like",
         "appointments"),
    ],
)
def test_a_worried_message_keeps_its_sentences(engine: Engine, message: str, faq_id: str, topic: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id, reply.intent) == ("faq", faq_id, topic)


def test_a_long_message_uses_the_clinics_own_answer_for_a_topic_it_answered() -> None:
    from intents import parse_content, read_yaml

    from .conftest import FAQ_PATH

    data, _ = read_yaml(FAQ_PATH)
    topic = next(t for t in data["not_covered"] if t["id"] == "cost-insurance")
    topic["clinic_answer"] = "A visit costs the same as a regular physical therapy visit. Call us for your plan."
    engine = Engine(parse_content(data))
    reply = engine.answer("My back has hurt for months and my PT mentioned needles. What is a trigger point? And how much does it cost?")
    assert reply.kind == "faq" and reply.faq_id == "trigger-point"
    assert "A visit costs the same as a regular physical therapy visit." in reply.text
    assert "please contact" not in reply.text.lower()


def _top_level(source: str) -> list[str]:
    """The phrases of a regular expression's source: its top-level alternatives, or those inside the
    one group ``\\b(?:...)`` the whole pattern is wrapped in."""
    if source.startswith("\\b(?:") and source.endswith(")") and len(_top_level(source[2:])) == 1:
        source = source[5:-1]
    parts, depth, current, i = [], 0, "", 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            current += source[i : i + 2]
            i += 2
            continue
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        i += 1
    return [*parts, current]


def test_every_figure_of_speech_phrase_holds_a_word_of_its_quick_gate() -> None:
    """is_no_event tries its long pattern only when one of _NO_EVENT_WORDS occurs: every top-level
    phrase of the pattern must hold one, or a figure of speech would be missed."""
    from intents import safety

    parts = _top_level(safety._NOT_AN_EVENT.pattern)
    assert len(parts) > 20
    assert [p for p in parts if not any(word in p for word in safety._NO_EVENT_WORDS)] == []


def test_every_named_thing_phrase_starts_with_a_word_it_is_tried_at() -> None:
    """_NAMED_THING is tried only where one of _NAMED_STARTS begins: every top-level phrase must begin with one."""
    import re

    from intents import safety

    parts = _top_level(safety._NAMED_THING.pattern)
    assert len(parts) > 15
    missing = []
    for part in parts:
        part = re.sub(r"^\\b", "", part)
        if part.startswith("(?:(?<="):  # a lookbehind group first: what follows it starts the phrase
            part = part[part.index("))") + 2 :]
        options = part[1 : part.index(")")].split("|") if part.startswith("(") else [part]
        missing += [o for o in options if not safety._NAMED_STARTS.match(o.removeprefix("?:"))]
    assert missing == []


def test_named_things_are_marked_as_the_whole_pattern_would_mark_them() -> None:
    from intents import safety
    from intents.text import normalize

    for text in ["my blood pressure is high", "i passed out flyers", "the needle went too deep", "i am done with physio",
                 "the point of going on with sessions", "i hurt myself lifting", "chest day", "took my breath away",
                 "a stroke of luck", "my brain just fried", "choking on jargon", "she is fitting in well",
                 "can i keep my eyes closed", "before my knot is gone for good"]:
        norm = normalize(text)
        every_word = safety._NAMED_THING.sub(lambda m: "_" + m.group(0).replace(" ", " _"), norm)
        assert safety._mark_named(norm) == every_word != norm


# "Is that supposed to happen?" after what the body did asks whether it is normal, not what happens in the body
@pytest.mark.parametrize(
    "message",
    [
        "my calf jumped during the session, is that supposed to happen",
        "my back muscle kicked hard during needling, is it meant to happen",
    ],
)
def test_supposed_to_happen_after_a_twitch_asks_about_the_twitch(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "local-twitch-response")


# 9. Smalltalk with an aside: a greeting, thanks or goodbye that opens or closes a message whose other
# words ask nothing of the FAQ is still smalltalk; a question or an objection in the rest is not.
@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("you're a legend, thanks!", "thanks"),
        ("thanks a lot, that was a weight off my mind", "thanks"),
        ("hi! phew, finally a chat that answers", "greeting"),
        ("bye, off to bed now", "goodbye"),
        ("ok thanks, gonna crash on the couch now", "acknowledgement"),
        # the smalltalk in the middle; whom it is said to; a typing slip in a smalltalk word
        ("phew. thanks so much! sleeping well tonight", "thanks"),
        ("thanks heaps guys", "thanks"),
        ("cheers buddy", "thanks"),
        ("thnak you, realy helpful", "thanks"),
        ("who am I talking to?", "identity"),
        ("hey, how are you today", "greeting"),
    ],
)
def test_smalltalk_with_an_aside_is_smalltalk(engine: Engine, message: str, intent: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("smalltalk", intent)


@pytest.mark.parametrize(
    ("message", "kind", "intent"),
    [
        ("thanks, but that did not answer my question", "fallback", None),
        ("thanks, please add milk to my list", "fallback", None),
        ("hi, what does a session cost", "fallback", "cost-insurance"),
        ("hello, is dry needling the same as acupuncture?", "fallback", "acupuncture"),
        # made of smalltalk words ("talk soon", "start", "is this working"), and asking
        ("how soon does it start working", "fallback", "time-to-results"),
    ],
)
def test_a_question_or_an_objection_beside_smalltalk_is_read_as_one(engine: Engine, message: str, kind: str,
                                                                     intent: str | None) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == (kind, intent)


# 10. Words that say something else where they stand: a greeting's words ("good afternoon"), a machine
# switched on ("turn on"), a hedge ("kind of like"), why it works (how it works), the ways it works (not the
# ways to do it), whether it is worth a try (what it does for you), how often it succeeds (the evidence).
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("Good morning! I'd like a plain definition of dry needling", "faq", "what-is-dry-needling"),
        ("they clipped wires onto the needles and turned it on, what was that?", "faq", "electrical-stimulation"),
        ("she spun the needle round, sort of like a screw, what is that for", "faq", "winding"),
        ("why would a needle in a tight muscle help", "faq", "how-does-it-work"),
        ("what are the main ways needling works on the body", "faq", "how-does-it-work"),
        ("does every therapist needle the same way", "faq", "techniques"),
        ("is needling worth a try for me?", "faq", "benefits"),
        ("what percentage of patients get better with dry needling", "fallback", "evidence"),
    ],
)
def test_a_word_is_read_for_what_it_says_where_it_stands(engine: Engine, message: str, kind: str, answer: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id if kind == "faq" else reply.intent) == (kind, answer)


@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        # how far a joint moves is what stiffness takes away
        ("can the needles help my mobility and stiffness", "scar-tissue"),
        # "good" alone is a courtesy or a level of English; "good for" asks what it helps
        ("my english is not good, what is dry needling?", "what-is-dry-needling"),
        ("is needling good for a sore lower back", "conditions"),
        # what someone meant by what the sentence before told
        ("my physio said needling reboots the knot. what does he mean", "trigger-point-release"),
        # waking a muscle up again is the high e-stim frequencies, not pain retraining
        ("which e-stim setting is for muscle re-education", "estim-frequency"),
        # "kind of" before a deed is a hedge, not a kind; a shoulder's rotator cuff is no rotated needle
        ("my quad kind of jerked for a second while being needled, what was that?", "local-twitch-response"),
        ("could needling help my rotator cuff after the repair", "conditions"),
    ],
)
def test_a_word_names_the_entry_its_sense_belongs_to(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


# 4b. Two close entries, one of which the question names in the subject's own words: that one, when the
# matcher's second opinion names it too. A verb ("release") names nothing.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("twitch thing that happens w needling??", "local-twitch-response"),
        ("what does spinning the needle do to the collagen", "winding"),
        ("how does twisting the needle help collagen fibres line up", "winding"),
    ],
)
def test_of_two_close_entries_the_one_the_question_names_is_answered(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_a_verb_names_no_entry(engine: Engine) -> None:
    reply = engine.answer("after needling my back felt heavy and relaxed all evening, why")
    assert reply.faq_id != "trigger-point-release"


@pytest.mark.parametrize(
    ("message", "kind", "faq_id"),
    [
        # "it" with two of one entry's own terms is about the treatment, whatever word it goes with
        ("does it bump up my pain threshold", "faq", "pain-relief"),
        # ... but a question's shape ("how long does it take") is no such term
        ("how long does it take to boil an egg", "fallback", None),
    ],
)
def test_it_with_one_entrys_own_terms_is_about_the_treatment(engine: Engine, message: str, kind: str, faq_id: str | None) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == (kind, faq_id)


@pytest.mark.parametrize(
    ("message", "kind", "faq_id"),
    [
        # a figure of speech with no word of the FAQ in it is read without its words ...
        ("this knot in my back is killing me, what exactly is a knot?", "faq", "trigger-point"),
        # ... one with such a word is still not the subject
        ("what temperature should the central heating be set to", "fallback", None),
        ("how do you thread the needle on a sewing machine", "fallback", None),
    ],
)
def test_a_figure_of_speech_is_read_without_its_words(engine: Engine, message: str, kind: str, faq_id: str | None) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == (kind, faq_id)


@pytest.mark.parametrize(
    "message",
    [
        # numbers are no unknown words, and "compared with" asks the difference
        "why pick 3 Hz and not 40 Hz",
        "what does low frequency stim do compared with high frequency stim",
    ],
)
def test_settings_in_numbers_or_compared_get_the_frequency_answer(engine: Engine, message: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", "estim-frequency")


def test_a_light_touch_in_other_words_is_central_sensitization(engine: Engine) -> None:
    reply = engine.answer("even the bedsheet brushing my leg hurts, why?")
    assert (reply.kind, reply.faq_id) == ("faq", "central-sensitization")


def test_a_pronoun_question_after_and_with_nothing_to_point_to_is_not_what_dry_needling_is(engine: Engine) -> None:
    reply = engine.answer("what are those tight sore little bands in a muscle called and what are they")
    assert reply.faq_id != "what-is-dry-needling"


def test_ropes_in_a_muscle_are_knots(engine: Engine) -> None:
    reply = engine.answer("what are those tight sore little ropes in my calf called and what are they")
    assert (reply.kind, reply.faq_id) == ("faq", "trigger-point")


@pytest.mark.parametrize(
    ("message", "kind", "faq_id"),
    [
        # an ache or a cramp is how it feels; "felt" is "feel" in the past
        ("will it ache or cramp while the needles are in?", "faq", "what-does-it-feel-like"),
        ("my sister said it felt like a deep ache, is that normal during treatment", "faq", "what-does-it-feel-like"),
        # ... and felting is a craft
        ("where can I buy felting needles", "fallback", None),
    ],
)
def test_an_ache_or_a_cramp_is_how_it_feels(engine: Engine, message: str, kind: str, faq_id: str | None) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == (kind, faq_id)


def test_a_question_said_again_in_other_words_is_read_as_one(engine: Engine) -> None:
    # "like ..." after a question restates it: the frequency of visits, not of the e-stim
    reply = engine.answer("frequency of treatments? like how many times a week")
    assert (reply.kind, reply.intent) == ("fallback", "number-of-sessions")


def test_to_set_something_off_is_no_setting_of_the_machine(engine: Engine) -> None:
    assert engine.answer("what does it mean when a light brush on my skin sets off pain").faq_id == "central-sensitization"
    assert engine.answer("what setting is the e-stim machine on").faq_id == "estim-frequency"


def test_why_it_happens_after_a_risk_asks_about_what_was_named_not_the_treatment(engine: Engine) -> None:
    # "why does it happen?" has no subject of its own: it is not answered on its own beside the risk referral
    reply = engine.answer("does the twitch mean nerve damage? why does it happen?")
    assert reply.faq_id != "trigger-point-release" and reply.kind != "emergency"


# Smalltalk in more words: a question to the bot beside a story, a second guess after "or", filler words
# inside a pattern, a word drawn out, an emoji between clauses; and a question to someone else stays one.
@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("morning! my coffee hasnt kicked in, who am I talking to?", "identity"),
        ("Are you a human or a chatbot?", "identity"),
        ("hey bot, my knees are killing me today, what can you actually do?", "help"),
        ("What sorts of questions can I ask you?", "help"),
        ("heyyy", "greeting"),
        ("thanksss", "thanks"),
        ("byeee", "goodbye"),
        ("Have a great weekend!", "goodbye"),
        ("what a relief, thanks!", "thanks"),
        ("i just wanted to say thanks", "thanks"),
        # a question to the bot asked inside a sentence
        ("hey, curious what you can do", "help"),
        ("just wondering who you are", "identity"),
        # a greeting that asks after the bot in everyday words, or in Spanish
        ("hey hows it going", "greeting"),
        ("how have you been", "greeting"),
        ("hola", "greeting"),
    ],
)
def test_smalltalk_in_more_words_is_smalltalk(engine: Engine, message: str, intent: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("smalltalk", intent)


def test_smalltalk_after_an_emoji_is_smalltalk(engine: Engine) -> None:
    assert engine.answer("haha dying 💀 ok thanks bot").kind == "smalltalk"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("my coworker keeps taking credit for my work, what do I say", "fallback"),
        ("the nerve of my landlord, what are my rights", "fallback"),
        ("I'm dead 💀 my PT said the needles reset the muscle. is that real?", "faq"),
        ("hey, does it hurt?", "faq"),
    ],
)
def test_a_question_that_is_not_to_the_bot_is_no_smalltalk(engine: Engine, message: str, kind: str) -> None:
    assert engine.answer(message).kind == kind


# Questions read as their askers mean them, by kind of mistake: each row is the entry that answers it.
READ_AS_ASKED = [
    # how long it takes, in everyday words: time set aside, a lunch break, lying there for ages
    pytest.param("how much time do I need to set aside for a needling visit", "session-length", id="duration-everyday"),
    pytest.param("will I be on the table for ages with the needles in", "session-length", id="duration-table"),
    pytest.param("is it a quick appointment?", "session-length", id="duration-quick"),
    pytest.param("is a needling session quick enough for my lunch break", "session-length", id="duration-lunch"),
    # a needle with nothing in it is what "dry" means; "do anything" asks how it works; an exclamation first
    # is no evidence either way
    pytest.param("how does a needle with no medicine in it help at all", "how-does-it-work", id="nothing-in-it"),
    pytest.param("why would a needle with no drug in it do anything", "how-does-it-work", id="does-anything"),
    pytest.param("mind blown, how does dry needling work?", "how-does-it-work", id="exclamation-first"),
    # who relays it ("a caller", "on the phone") and when it is asked ("before she books") say nothing
    pytest.param("caller asks what a trigger point is before she books", "trigger-point", id="relayed-before-booking"),
    pytest.param("the caller wants to know how long a session is before booking", "session-length", id="relayed-duration"),
    pytest.param("front desk: someone on the line wants to know what winding is", "winding", id="relayed-on-the-line"),
    pytest.param("a caller wants to know who does the needling before she books in", "who-performs", id="relayed-who"),
    # a short question that names the treatment, after a sentence that only tells
    pytest.param("my shoulder has been awful all week, what even is dry needling?", "what-is-dry-needling", id="after-told"),
    pytest.param("these knots are driving me up the wall, who actually does the needling?", "who-performs", id="after-figure"),
    pytest.param("my neighbour swears by it, how does dry needling work?", "how-does-it-work", id="after-hearsay"),
    # a short question of its own after a comma; "it" stands for the treatment named before, not the muscle;
    # the meaning asked of words one entry uses
    pytest.param("my coach swears by the stuff, what does it feel like?", "what-does-it-feel-like", id="own-question"),
    pytest.param("the e-stim made my calf tap like a drum, what is it doing?", "electrical-stimulation", id="it-is-the-thing"),
    pytest.param("what does referred pain from knots mean", "trigger-point", id="meaning-in-entry-words"),
    # the treatment as "it" inside a sentence, whether to have it, "whos" for "who is"
    pytest.param("dying to know how this even works", "how-does-it-work", id="embedded-how-it-works"),
    pytest.param("so why should i try this", "benefits", id="whether-to-have-it"),
    pytest.param("whos trained to do this", "who-performs", id="whos"),
    # the treatment compared with another feeling
    pytest.param("does the needle feel like a wasp sting", "what-does-it-feel-like", id="compared-feeling"),
    pytest.param("will it feel like I'm being zapped", "what-does-it-feel-like", id="compared-zapped"),
    # the twitch a needle sets off, a scar needling could help, how long the needles stay in: no risk
    pytest.param("does the needle set off a twitch?", "local-twitch-response", id="sets-off-a-twitch"),
    pytest.param("will needling help the scar my surgery left", "scar-tissue", id="scar-it-could-help"),
    pytest.param("how long are the needles left in", "session-length", id="needles-left-in"),
    # "or just a" comparing a thing with a word for it is no request for a diagnosis
    pytest.param("is a muscle knot a real thing or just a saying", "trigger-point", id="or-just-a-saying"),
]


@pytest.mark.parametrize(("message", "faq_id"), READ_AS_ASKED)
def test_a_question_is_read_as_its_asker_means_it(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


def test_pt_who_asks_in_a_forward_is_the_patient(engine: Engine) -> None:
    """In "pt asking ..." the patient asks: no reason to offer who performs it."""
    reply = engine.answer("pt asking if dry needling is something we would do for her sore hip")
    assert reply.faq_id != "who-performs" and all(s.faq_id != "who-performs" for s in reply.suggestions)
    assert engine.answer("pt asks who actually does the needling here").faq_id == "who-performs"


# ... and each row here is the not-covered topic it is referred to.
REFERRED_AS_ASKED = [
    pytest.param("is it safe to get needled before a long flight", "risks-side-effects", id="long-flight"),
    pytest.param("will one session be enough?", "number-of-sessions", id="one-session-enough"),
    pytest.param("can i take my medication before needling", "medicines", id="own-medicine"),
    pytest.param("what should I do before my appointment?", "preparation", id="before-the-visit"),
    pytest.param("what happens if the e-stim unit is faulty?", "risks-side-effects", id="faulty-machine"),
    pytest.param("can needling bring on a migraine?", "risks-side-effects", id="bring-on"),
    pytest.param("could needling leave scars on me", "risks-side-effects", id="leave-scars"),
    pytest.param("how long are the needles you use", "the-needles", id="needle-length"),
    pytest.param("is my back pain a slipped disc or just a strain?", "diagnosis", id="or-just-a-strain"),
]


@pytest.mark.parametrize(("message", "topic"), REFERRED_AS_ASKED)
def test_a_question_is_referred_as_its_asker_means_it(engine: Engine, message: str, topic: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("fallback", topic)


# An idiom asked about, and why a told symptom happens, are no entry's question.
@pytest.mark.parametrize(
    "message",
    ["what does the saying pain in the butt mean", "my shin went tingly during the session but it passed, why does that happen?"],
)
def test_an_idiom_or_a_told_symptom_is_no_entry(engine: Engine, message: str) -> None:
    assert engine.answer(message).kind == "fallback"


# A question after a few words that only open it ("quick question", "real talk") is still read as a question,
# and the second question joined to it by "and" is read on its own.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("real talk what is e stim and why does my leg feel weird with it", "electrical-stimulation"),
        ("be honest how does dry needling work and why does it feel so weird", "how-does-it-work"),
        ("random q what is a twitch response and is it weird", "local-twitch-response"),
    ],
)
def test_a_question_after_an_opening_phrase_is_read_as_one(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# A level turned up or down is no turn of the needle.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my physio says my nervous system is turned up, what does she mean", "central-sensitization"),
        ("how does needling turn it down when pain is loud", "pain-relief"),
    ],
)
def test_a_level_turned_up_or_down_is_no_winding(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# When the clinic has appointments, and a needle breaking, are not-covered topics; an age said of a pain or of
# a time long past is no question about age.
@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("are there any late appointments on thursdays", "appointments"),
        ("has a needle ever broken off in someone", "risks-side-effects"),
    ],
)
def test_availability_and_a_broken_needle_are_referred(engine: Engine, message: str, topic: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.intent) == ("fallback", topic)


@pytest.mark.parametrize(
    "message",
    ["my knee pain is 20 years old, can needling ease it", "when I was a kid I broke my ankle and the scar is tight, can needling help the scar"],
)
def test_an_age_said_of_a_pain_or_a_past_time_is_no_age_question(engine: Engine, message: str) -> None:
    assert engine.answer(message).intent != "age"


# Not knowing what a thing named before is asks what it is; a question in the overview's own words that names
# two methods asks about the methods together; "just for show" asks whether it works, not whom it is for; a
# muscle likened to a fit is the twitch.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my trainer keeps going on about pistoning and honestly i have no idea what that is", "pistoning"),
        ("my PT wants to try e stim next time and I have no idea what that even is", "electrical-stimulation"),
        ("the physio booked me for dry needling, i got no idea what that is lol", "what-is-dry-needling"),
        ("which styles of needling do you do, say the in and out one and the twisting one", "techniques"),
        ("does the e-stim really do anything for healing or is it only for show", "electrical-stimulation"),
        ("my quad kicked like it was having a fit when the needle went in, why", "local-twitch-response"),
    ],
)
def test_what_a_question_asks_decides_its_entry(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# What it does for the one who has it ("help me move better") asks its benefits, not whether it treats a problem.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("can needling help me walk better and feel stronger", "benefits"),
        ("would dry needling help me move more freely", "benefits"),
        ("can dry needling help my back pain", "conditions"),
    ],
)
def test_what_it_does_for_me_is_its_benefits(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# Whether it helps a problem told (yes or no) is what it is used for, even when the best guess is the entry on
# how it relieves pain; how it helps, or pain in general, stays there. A volume turned down is pain relief.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("can it help chronic pain in my whole body", "conditions"),
        ("front desk: she wants to know if dry needling can help her chronic neck pain", "conditions"),
        ("how does needling help chronic pain that moves around my body", "pain-relief"),
        ("can dry needling help with pain", "pain-relief"),
        ("my pain feels stuck on loud, can needles turn the volume down", "pain-relief"),
    ],
)
def test_whether_it_helps_a_told_problem_is_what_it_is_used_for(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# How it feels set beside a jab or a shot; the in-and-out method called stabbing or jabbing; the pulses' speed.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("will it sting worse than a flu shot", "what-does-it-feel-like"),
        ("is the needling less painful than a blood test", "what-does-it-feel-like"),
        ("what's the fast stabbing technique for", "pistoning"),
        ("stabbing method or twisting method, which one is gentler", "techniques"),
        ("why does the stim pound fast some days and do slow thumping on others", "estim-frequency"),
    ],
)
def test_a_thing_in_other_words_gets_its_entry(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# A nervous system told as stuck in overdrive or on high alert is central sensitization; a muscle that kicked
# during the session is the twitch; a streaming site's name is no kick of a muscle.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my physio reckons my nerves are stuck in overdrive, what does she mean", "central-sensitization"),
        ("the doctor says my pain system is cranked up, what is that", "central-sensitization"),
        ("during my session my thigh kicked like a frog, why", "local-twitch-response"),
    ],
)
def test_a_body_told_in_a_figure_gets_its_entry(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


def test_a_streaming_site_is_no_kick_of_a_muscle(engine: Engine) -> None:
    assert engine.answer("is kick or twitch better for new streamers").kind == "fallback"


# A muscle moving with the e-stim is told by the e-stim's answer, which tells of the twitch; a twitch only likened
# to a shock is still the twitch.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my calf kept twitching in time with the e-stim, is that right", "electrical-stimulation"),
        ("why does my thigh keep contracting while the stim is on", "electrical-stimulation"),
        ("my arm jumped like it had been zapped, was that the twitch", "local-twitch-response"),
    ],
)
def test_a_method_told_beside_its_effect_gets_the_method(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# Whether a knot limits movement is the trigger point's answer.
@pytest.mark.parametrize(
    "message", ["can a muscle knot limit how I move", "does a trigger point limit how far my arm goes"]
)
def test_a_knot_limiting_movement_is_the_trigger_point(engine: Engine, message: str) -> None:
    assert engine.answer(message).faq_id == "trigger-point"


# A technique asked for one problem, naming no method, is the one method whose answer names the problem; asked
# about several, the overview answers.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("is there a particular needling technique for old scars", "winding"),
        ("which needling technique suits a tight knot best", "pistoning"),
        ("which techniques do you use for scars and which for knots", "techniques"),
    ],
)
def test_a_technique_asked_for_one_problem_is_its_method(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


# The one method a question names is answered when it is among the close guesses and its answer holds every word
# asked of it.
def test_a_named_method_among_the_close_guesses_is_answered(engine: Engine) -> None:
    assert engine.answer("is the e-stim kind more calming").faq_id == "electrical-stimulation"


# Making the pain less is pain relief; tissue glued or stuck down is scar tissue.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my neck has ached for years, how would needles make the pain less", "pain-relief"),
        ("how can a few needles make it hurt less", "pain-relief"),
        ("everything in my knee feels glued together, can needles loosen that up", "scar-tissue"),
    ],
)
def test_relief_and_stuck_tissue_in_other_words(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


def test_two_methods_side_by_side_are_not_read_as_a_method_and_its_effect(engine: Engine) -> None:
    assert engine.answer("is pistoning the same as winding").faq_id != "winding"


# A stroke of a sport is no stroke; a nurse or a massage therapist asked about as who does it gets who performs it.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("my golf stroke hurts my back, can dry needling help", "conditions"),
        ("do nurses do dry needling", "who-performs"),
        ("can my massage therapist do the needling", "who-performs"),
    ],
)
def test_a_sport_or_a_profession_in_the_question(engine: Engine, message: str, faq_id: str) -> None:
    assert engine.answer(message).faq_id == faq_id


def test_a_health_condition_asked_about_is_referred(engine: Engine) -> None:
    reply = engine.answer("I have lymphedema, can my leg be needled")
    assert (reply.kind, reply.intent) == ("fallback", "health-conditions")


def test_pain_with_no_stimulus_is_central_sensitization(engine: Engine) -> None:
    assert engine.answer("is it possible to hurt without any stimulus").faq_id == "central-sensitization"


def test_the_ways_it_produces_its_effects_is_how_it_works(engine: Engine) -> None:
    assert engine.answer("what are the different ways dry needling produces its effects on muscles").faq_id == (
        "how-does-it-work"
    )


# A word to be put into another language is no question about the subject, even a topic word.
@pytest.mark.parametrize("message", ["how do you say muscle knot in spanish", "translate trigger point to german"])
def test_a_translation_request_gets_the_plain_fallback(engine: Engine, message: str) -> None:
    assert engine.answer(message).kind == "fallback"


# "What kind of" a person is who; "is what kind of treatment" is what it is; "my kind of problem" is the problem.
# Hedges and degrees ("roughly", "typical", "biggest", "main"), durations, what one gains or gets out of it, plain
# words for a beginner, a stim unit, what people come in for, "something that can help", a bare "normal?" after a
# story, coming to one's appointment.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("which kind of clinician will be needling me", "faq", "who-performs"),
        ("dry needling is what kind of treatment?", "faq", "what-is-dry-needling"),
        ("I've had tight shoulders for years. Would dry needling be a good fit for my kind of problem?", "faq",
         "conditions"),
        ("roughly how long does one treatment run", "faq", "session-length"),
        ("what are the biggest benefits", "faq", "benefits"),
        ("so what are the main benefits", "faq", "benefits"),
        ("typical duration of one treatment?", "faq", "session-length"),
        ("only have my lunch hour. is a session short enough?", "faq", "session-length"),
        ("what might i expect to gain from needling", "faq", "benefits"),
        ("what can i expect to get out of the treatment", "faq", "benefits"),
        ("explain dry needling for a total beginner", "faq", "what-is-dry-needling"),
        ("front desk: a caller (retired electrician) asks what frequency the stim unit is set to", "faq", "estim-frequency"),
        ("what do most folks come in for when they have dry needling", "faq", "conditions"),
        ("with the pumping method, does the muscle have to twitch?", "faq", "pistoning"),
        ("is a headache after the needling something people get", "fallback", "risks-side-effects"),
        ("can dry needling help me lose weight", "fallback", "other-treatments"),
        ("I had cancer surgery two years ago. The skin around the scar is tight when I reach up. Is dry needling "
         "something that can help scar tissue like mine?", "faq", "scar-tissue"),
        ("a drop of blood came out where the needle was, it stopped quickly. normal?", "fallback", "risks-side-effects"),
        ("had a cold last week, can I still come to my dry needling appointment?", "fallback", "appointments"),
        # held before: a kind of person that does not do the needling, lessons for beginners
        ("which type of therapist is good for couples counselling", "clarify", None),
        ("guitar chords for beginners", "fallback", None),
    ],
)
def test_what_a_kind_a_duration_or_a_gain_asks_in_other_words(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# A likeness after "what is dry needling," or a guess ("the one where ...") followed by "curious what it actually is"
# asks what it is; "was that the twitch response?" after what happened asks about the
# twitch, whatever the sentence before it told.
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("what is dry needling, like a shot with no medicine?", "what-is-dry-needling"),
        ("is dry needling the one where they put needles in the knots? curious what it actually is", "what-is-dry-needling"),
        ("i need to block off time for the needling, how much?", "session-length"),
        ("my thigh jerked by itself in my session last week, was that the twitch response?", "local-twitch-response"),
    ],
)
def test_a_guess_or_a_name_asked_of_what_was_told(engine: Engine, message: str, faq_id: str) -> None:
    reply = engine.answer(message)
    assert (reply.kind, reply.faq_id) == ("faq", faq_id)


# A guess run on with "or what is it exactly" or "is it like"; a relative clause ("a needle, which hurts, ..."); a
# bare "and how?"; "can you explain why?" after what happened; "weather" typed for "whether"; "reckon"; an
# over-reactive nervous system; electroneedling; the person doing it; a letter's greeting and sign-off; "as your
# clinic does it"; pulses slow or fast. Referrals: still achy days later, a health condition told before "can I
# have ...", a TENS unit at home.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("is dry needling a kind of acupuncture or what is it exactly", "faq", "what-is-dry-needling"),
        ("so what is dry needling is it like cupping or what", "faq", "what-is-dry-needling"),
        ("how can a needle, which stings, take pain away?", "faq", "pain-relief"),
        ("can the needles take away pain, and how?", "faq", "pain-relief"),
        ("my shoulder jerked on its own a few times during needling. can you explain why?", "faq", "local-twitch-response"),
        ("i was wondering weather dry needling helps with scar tissue", "faq", "scar-tissue"),
        ("reckon you could explain how it works?", "faq", "how-does-it-work"),
        ("is there a name for when the nerves are too reactive", "faq", "central-sensitization"),
        ("how many hz for electroneedling", "faq", "estim-frequency"),
        ("will the one giving the needling be a physio or an acupuncturist", "faq", "who-performs"),
        ("my GP mentioned dry needling. What are its main advantages? Kind regards, Tom", "faq", "benefits"),
        ("what is dry needling, as your clinic does it?", "faq", "what-is-dry-needling"),
        ("are the e-stim pulses slow ones or fast ones", "faq", "estim-frequency"),
        ("I had needling on monday and I'm still a bit achy. Is that normal?", "fallback", "risks-side-effects"),
        ("I have a heart pacemaker. Could I get e-stim during my needling?", "fallback", "health-conditions"),
        ("what setting do i put my home tens on", "fallback", "self-treatment"),
    ],
)
def test_a_letter_a_run_on_guess_or_a_told_condition_is_read_as_meant(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# One method set beside "the other one", unnamed, is asked of that method: its answer tells how it compares. Two
# methods named side by side still get the techniques answer (above).
@pytest.mark.parametrize(
    ("message", "faq_id"),
    [
        ("is the pistoning technique quicker than the other one", "pistoning"),
        ("is the winding method gentler than the other one?", "winding"),
    ],
)
def test_one_method_beside_the_other_one_is_that_method(engine: Engine, message: str, faq_id: str) -> None:
    _replied(engine, message, "faq", faq_id)


# A memo's label ("Insurer question:") asks nothing; "how long is it" and "who is going to do it" ask of the
# treatment; a procedure is a session; "I would like to understand", "is it true that" and "does it matter" ask
# nothing of their own; soreness today after needling is a side effect; thanks for an explanation and a wish for
# the day are small talk.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("Insurer question: how long do the needles usually stay in during a session?", "faq", "session-length"),
        ("ok and how long is this", "faq", "session-length"),
        ("who is going to do it", "faq", "who-performs"),
        ("is it a quick procedure", "faq", "session-length"),
        ("does the stim's pulse rate matter much", "faq", "estim-frequency"),
        ("I would like to understand why the stim uses a higher frequency sometimes", "faq", "estim-frequency"),
        ("is it true that a session lasts about fifteen minutes", "faq", "session-length"),  # held before
        ("my arm is sore today after needling, is that ok?", "fallback", "risks-side-effects"),
        ("my back aches today after needling, how long will that go on?", "fallback", "risks-side-effects"),
        ("thanks for the explanation", "smalltalk", "thanks"),
        ("hope you are doing well", "smalltalk", "greeting"),
    ],
)
def test_a_frame_that_asks_nothing_or_a_short_question_of_the_treatment_is_read_as_meant(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# "What is it" asked for in plain words or roughly, after a dash or a comma, is what the treatment is, whatever
# problem the sentence before named; "that technique" after a method told by its movement is that method, and the
# article's words for the piston movement (inserting and withdrawing, like a sewing machine) name it.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("my son's physio is suggesting dry needling for his ankle - what is it, in plain english?", "faq",
         "what-is-dry-needling"),
        ("the PT mentioned dry needling for my shoulder, what is that basically?", "faq", "what-is-dry-needling"),
        ("she kept inserting and withdrawing the needle quickly, what's that method called", "faq", "pistoning"),
    ],
)
def test_what_it_is_roughly_and_that_method_are_read_from_what_was_told(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# A topic word in an everyday sense ("pins and needles", a session with a psychologist) gets the plain fallback,
# and how acne scars or stretch marks look is the scar's appearance, which the FAQ does not cover.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("why do I get pins and needles in my legs on long flights", "fallback", None),
        ("what's a normal length for a therapy session with my psychologist", "fallback", None),
        ("will dry needling help my acne scars go away", "fallback", "scar-appearance"),
        ("do stretch marks respond to needling", "fallback", "scar-appearance"),
    ],
)
def test_an_everyday_sense_or_a_scars_look_is_not_answered_from_the_faq(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# A risk or side effect asked about ("is there a risk of ...", "side effects such as ...") is no emergency, nor a
# stroke decades ago, nor choking on choices, nor self-harm scars years old; the question is then answered or
# referred as any other.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("are there side effects such as feeling short of breath", "fallback", "risks-side-effects"),
        ("my grandad had a stroke decades ago, can needling help his old shoulder?", "faq", "conditions"),
        ("I'm choking on all the options here, which technique is best?", "fallback", None),
        ("my self harm scars are from years ago, can dry needling loosen scar tissue like that?", "faq", "scar-tissue"),
    ],
)
def test_a_risk_asked_or_a_history_long_over_is_no_emergency(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# "physically" asks nothing of its own, and the principle behind it is the science behind it: how it works.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("what is the needle physically doing to my muscle", "faq", "how-does-it-work"),  # held before
        ("what principle is behind it, how does one needle change anything", "faq", "how-does-it-work"),
    ],
)
def test_the_principle_behind_it_asks_how_it_works(engine: Engine, message: str, kind: str, answer: str | None) -> None:
    _replied(engine, message, kind, answer)


# A laugh beside a smalltalk pattern ("lmao ok") and a last letter typed twice ("hii") are still smalltalk; a
# question with "is that ok" in it is not.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("lmao ok", "smalltalk", "acknowledgement"),
        ("hii", "smalltalk", "greeting"),
        ("the spot bled a little then stopped, is that ok?", "fallback", None),  # held before
    ],
)
def test_a_laugh_or_a_doubled_letter_leaves_smalltalk_smalltalk(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)


# The profession of the one who told something ("my acupuncturist told me", "my massage therapist found") is the
# source of what is asked, not another treatment asked about; that treatment named again is still referred.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("my acupuncturist told me my calf has knots, what are knots in a muscle anyway", "faq", "trigger-point"),
        ("my massage therapist found a tight spot in my shoulder. is that the same as a trigger point and what causes"
         " them?", "faq", "trigger-point"),
        ("my massage therapist says massage is better than needling, is it?", "fallback", "other-treatments"),  # held before
    ],
)
def test_the_one_who_told_it_is_no_topic_of_its_own(engine: Engine, message: str, kind: str, answer: str | None) -> None:
    _replied(engine, message, kind, answer)


# The sensation or feeling asked of a moment ("whats the sensation like once ...") is how it feels, whatever the
# moment names.
def test_the_sensation_asked_of_a_moment_is_how_it_feels(engine: Engine) -> None:
    _replied(engine, "whats the sensation like once the therapist pushes it into my calf", "faq", "what-does-it-feel-like")


# The other ways, asked beside one method or beside needling itself, are the list of methods.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("aside from leaving them in, what other ways do you needle", "faq", "techniques"),
        ("apart from pistoning, which other techniques do you use", "faq", "techniques"),  # held before
    ],
)
def test_the_other_ways_beside_one_are_the_methods(engine: Engine, message: str, kind: str, answer: str | None) -> None:
    _replied(engine, message, kind, answer)


# "Is that what you call a knot?" after a comma asks whether what was told is that thing, as "is that a knot?" does.
def test_what_you_call_a_thing_after_a_story_asks_whether_it_is_that_thing(engine: Engine) -> None:
    _replied(engine, "the muscle feels like a rock crushing my neck, is that what therapists mean by a knot?", "faq",
             "trigger-point")


# A figure of speech with a symptom's word: being choked with paperwork, rather dying than sitting through a meeting.
@pytest.mark.parametrize(
    "message",
    [
        "my manager is choking us with paperwork, can i book a lunchtime slot?",  # held before
        "I'd rather die than sit through another meeting",  # held before
    ],
)
def test_a_figure_of_choking_or_dying_is_no_emergency(engine: Engine, message: str) -> None:
    assert engine.answer(message).kind != "emergency"


# A bleed "that won't stop" asked about as what needling could cause is a risk, not bleeding now; how needling
# calms or settles an overreacting nervous system, told or asked after a story, is how it relieves pain; dry
# needling explained to someone who has never had it asks what it is, not who.
@pytest.mark.parametrize(
    ("message", "kind", "answer"),
    [
        ("could the needles cause a bleed that won't stop if i take warfarin?", "fallback", "health-conditions"),
        ("my physio reckons needling can calm an overreacting nervous system - how?", "faq", "pain-relief"),
        ("i was told my nerves are stuck on high alert. how could dry needling settle them?", "faq", "pain-relief"),
        ("explain dry needling to a patient who has never had it", "faq", "what-is-dry-needling"),
    ],
)
def test_a_risk_supposed_calming_asked_how_and_a_newcomer_are_read_as_meant(
    engine: Engine, message: str, kind: str, answer: str | None
) -> None:
    _replied(engine, message, kind, answer)
