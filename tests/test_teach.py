"""Teaching the bot from its misses: the in-place edit of faq.yaml, the checks, backups, the audit log, reload."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from curation import AUDIT_LOG, BACKUPS, Curator
from intents import Engine
from intents.checker import check_file
from intents.live import LiveFaq
from intents.teach import EditError, add_alternate, add_keyword, set_clinic_answer
from storage import LogSettings, UnansweredLog

from .conftest import FAQ_PATH

SHIPPED = FAQ_PATH.read_text(encoding="utf-8")
ENGINE = Engine.from_file(FAQ_PATH)


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added) between two texts; every other line is byte for byte the same."""
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new.splitlines(keepends=True), autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            removed += matcher.a[a1:a2]
            added += matcher.b[b1:b2]
    return removed, added


# ------------------------------------------------------------------ the edit itself (pure text)


def test_alternate_is_one_added_line_and_nothing_else_moves() -> None:
    edit = add_alternate(SHIPPED, "trigger-point", "what do you call a knot in a muscle")
    removed, added = changed_lines(SHIPPED, edit.text)
    assert removed == []
    assert added == ["      - what do you call a knot in a muscle\n"]
    assert edit.text.splitlines()[edit.line - 1] == added[0].rstrip("\n")
    assert yaml.safe_load(edit.text)["faqs"][[e.id for e in ENGINE.content.faqs].index("trigger-point")]["alternates"][-1] == (
        "what do you call a knot in a muscle"
    )


def test_keyword_goes_into_the_last_line_of_a_wrapped_list() -> None:
    edit = add_keyword(SHIPPED, "cost-insurance", "what does a visit cost")
    removed, added = changed_lines(SHIPPED, edit.text)
    assert len(removed) == len(added) == 1
    assert added[0] == removed[0].replace("]\n", ", what does a visit cost]\n")
    assert edit.text.count("#") == SHIPPED.count("#")  # every comment kept


def test_clinic_answer_is_added_under_the_topic_and_replaced_in_place() -> None:
    first = set_clinic_answer(SHIPPED, "acupuncture", "Both use thin needles. " * 12 + "Ask {front_desk} for more.")
    removed, added = changed_lines(SHIPPED, first.text)
    assert removed == [] and added[0] == "    clinic_answer: >-\n" and len(added) > 2
    topic = next(t for t in yaml.safe_load(first.text)["not_covered"] if t["id"] == "acupuncture")
    assert topic["clinic_answer"] == ("Both use thin needles. " * 12 + "Ask {front_desk} for more.").strip()
    second = set_clinic_answer(first.text, "acupuncture", "Shorter now.")
    removed, added = changed_lines(first.text, second.text)
    assert added == ["      Shorter now.\n"]  # the key line stays; only the old text's lines go
    assert removed and all(line.startswith("      Both use thin needles.") or "Ask {front_desk}" in line for line in removed)
    assert changed_lines(SHIPPED, second.text)[0] == []  # against the shipped file: only additions


@pytest.mark.parametrize(
    "text",
    ["text containing: a colon", "a # hash", "'quoted' start", '"double" start', "yes", "42", "- dash", "[bracket", "{brace}", "ünïcödé, comma"],
)
@pytest.mark.parametrize("where", ["block list", "flow list"])
def test_any_text_reads_back_exactly(text: str, where: str) -> None:
    if where == "block list":
        edit = add_alternate(SHIPPED, "winding", text)
        value = next(e for e in yaml.safe_load(edit.text)["faqs"] if e["id"] == "winding")["alternates"][-1]
    else:
        edit = add_keyword(SHIPPED, "acupuncture", text)
        value = next(t for t in yaml.safe_load(edit.text)["not_covered"] if t["id"] == "acupuncture")["keywords"][-1]
    assert value == text


def test_comments_and_blank_lines_around_the_list_stay_put() -> None:
    text = "faqs:\n  - id: a  # first entry\n    alternates:\n      - one  # a note\n\n  # the next entry\n  - id: b\n    alternates: []\n"
    edit = add_alternate(text, "a", "two")
    assert edit.text == "faqs:\n  - id: a  # first entry\n    alternates:\n      - one  # a note\n      - two\n\n  # the next entry\n  - id: b\n    alternates: []\n"
    assert add_alternate(text, "b", "x").text.endswith("alternates: [x]\n")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: add_alternate(SHIPPED, "no-such-entry", "x"), "there is no FAQ entry 'no-such-entry'"),
        (lambda: add_keyword(SHIPPED, "no-such-topic", "x"), "there is no not-covered topic 'no-such-topic'"),
        (lambda: add_alternate(SHIPPED, "winding", "   "), "empty"),
        (lambda: set_clinic_answer(SHIPPED, "acupuncture", ""), "empty"),
        (lambda: add_alternate("faqs: [unclosed\n", "a", "x"), "not valid YAML"),
    ],
)
def test_impossible_edits_say_why(call, message: str) -> None:
    with pytest.raises(EditError, match=message):
        call()


# ------------------------------------------------------------------ curation: checks, backup, audit, groups, reload


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clinic(tmp_path: Path):
    """A copy of the shipped FAQ, an unanswered-question log with some misses, and a curator over both."""
    faq = tmp_path / "faq.yaml"
    shutil.copyfile(FAQ_PATH, faq)
    data = tmp_path / "data"
    clock = Clock()
    log = UnansweredLog(LogSettings(data), clock=clock)
    loose = ENGINE.reply("fallback", "not in my FAQ")
    for question in ("what do you call a knot in a muscle", "what do you call a knot in the muscle", "can i bring my dog"):
        log.record(question, loose)
    for question in ("how much does it cost", "is it covered by my insurance"):
        reply = ENGINE.answer(question)
        assert reply.intent == "cost-insurance"
        log.record(question, reply)
    live = LiveFaq(faq, interval=3600)
    curator = Curator(faq, log, data_dir=data, reload=live.reload, clock=clock)
    yield faq, log, live, curator
    log.close()


def by_example(curator: Curator, start: str):
    return next(g for g in curator.groups(ENGINE) if g.group.example.startswith(start))


def test_teach_a_group_as_an_alternate(clinic) -> None:
    faq, log, live, curator = clinic
    before = curator.groups(ENGINE)
    group = by_example(curator, "what do you call a knot")
    assert group.group.count == 2
    outcome = curator.add_alternate("trigger-point", group.group.example, group)
    assert outcome.changed, outcome.text
    assert "Added 'what do you call a knot in a muscle' to entry 'trigger-point'" in outcome.text
    new = faq.read_text(encoding="utf-8")
    assert changed_lines(SHIPPED, new) == ([], ["      - what do you call a knot in a muscle\n"])
    # the backup is the file as it was
    (backup,) = (faq.parent / "data" / BACKUPS).iterdir()
    assert backup.read_text(encoding="utf-8") == SHIPPED
    # the running bot answers with the new FAQ at once (the buttons reload; the CLI relies on the watcher)
    reply = live.engine.answer("what do you call a knot in a muscle")
    assert (reply.kind, reply.faq_id, reply.score) == ("faq", "trigger-point", 100.0)
    # the group is gone from the review; the others keep their numbers
    after = curator.groups(ENGINE)
    assert [g.number for g in after] == [g.number for g in before if g.number != group.number]
    # the audit log: time, action, entry, text; no user id
    (line,) = (faq.parent / "data" / AUDIT_LOG).read_text(encoding="utf-8").splitlines()
    stamp, action, entry, text = line.split("\t")
    assert stamp.startswith("2027-01-15T") and (action, entry, text) == ("add-alternate", "trigger-point", "what do you call a knot in a muscle")


def test_a_running_bot_picks_the_change_up_by_itself(clinic) -> None:
    faq, log, _, _ = clinic
    clock = Clock()
    watcher = LiveFaq(faq, interval=3.0, clock=clock)
    curator = Curator(faq, log, data_dir=faq.parent / "data")  # as `bot.py teach` makes it: no reload of its own
    assert curator.add_alternate("winding", "how do you twist the needle on a scar").changed
    clock.now += 3.5
    assert watcher.refresh_if_changed() == []
    assert watcher.engine.answer("how do you twist the needle on a scar").faq_id == "winding"


def test_a_collision_is_refused_with_the_checks_message_and_nothing_changes(clinic) -> None:
    faq, _, live, curator = clinic
    outcome = curator.add_alternate("scar-tissue", "what is a trigger point")
    assert not outcome.changed
    assert outcome.lines[0] == "faq.yaml was not changed: with this change, 'python bot.py check' says:"
    assert "scar-tissue: duplicate phrasing 'what is a trigger point': entry 'trigger-point' already has it" in outcome.text
    assert faq.read_text(encoding="utf-8") == SHIPPED
    assert not (faq.parent / "data" / BACKUPS).exists()
    assert live.engine.answer("what is a trigger point").faq_id == "trigger-point"


def test_a_phrasing_that_belongs_elsewhere_is_refused(clinic) -> None:
    faq, _, _, curator = clinic
    outcome = curator.add_alternate("scar-tissue", "what is a muscle knot exactly")
    assert not outcome.changed
    assert "belongs to entry" in outcome.text and "faq.yaml:" in outcome.text
    assert faq.read_text(encoding="utf-8") == SHIPPED


def test_a_keyword_that_would_silence_an_entry_is_refused(clinic) -> None:
    faq, _, _, curator = clinic
    outcome = curator.add_keyword("cost-insurance", "trigger point")
    assert not outcome.changed
    assert outcome.lines[0] == "faq.yaml was not changed: patients would stop getting these answers:"
    assert "(entry 'trigger-point') would get 'cost-insurance' instead" in outcome.text
    assert faq.read_text(encoding="utf-8") == SHIPPED


def test_an_alternate_the_entry_would_never_get_is_refused(clinic) -> None:
    faq, _, _, curator = clinic
    group = next(g for g in curator.groups(ENGINE) if g.group.topic == "cost-insurance")
    outcome = curator.add_alternate("trigger-point", group.group.example, group)
    assert not outcome.changed
    assert outcome.text.startswith(f"faq.yaml was not changed: '{group.group.example}' would still get the not-covered topic 'cost-insurance'")
    assert faq.read_text(encoding="utf-8") == SHIPPED
    assert curator.find(ENGINE, number=group.number) == group  # still to review


def test_not_covered_keyword_from_a_group(clinic) -> None:
    faq, _, live, curator = clinic
    group = by_example(curator, "can i bring my dog")
    outcome = curator.add_keyword("cost-insurance", group.group.example, group)
    assert outcome.changed, outcome.text
    assert live.engine.answer("can i bring my dog").intent == "cost-insurance"
    assert all(g.number != group.number for g in curator.groups(ENGINE))


def test_dismissed_groups_stay_hidden(clinic) -> None:
    faq, log, _, curator = clinic
    group = by_example(curator, "can i bring my dog")
    outcome = curator.dismiss(group)
    assert outcome.changed and f"Dismissed group #{group.number}" in outcome.text
    assert faq.read_text(encoding="utf-8") == SHIPPED
    log.record("can I bring my dog?", ENGINE.reply("fallback", "x"))  # asked again later
    assert all(not g.group.example.lower().startswith("can i bring my dog") for g in curator.groups(ENGINE))
    assert (faq.parent / "data" / AUDIT_LOG).read_text(encoding="utf-8").split("\t")[1] == "dismiss"


def test_clinic_answer_for_a_topic_group_is_answered_like_an_entry(clinic) -> None:
    faq, _, live, curator = clinic
    hits = curator.topic_hits(ENGINE)
    assert hits[0] == ("cost-insurance", 2, False)
    group = next(g for g in curator.groups(ENGINE) if g.group.topic == "cost-insurance")
    outcome = curator.set_answer("cost-insurance", "A visit costs the same as a normal visit. Ask {front_desk}.", group)
    assert outcome.changed, outcome.text
    reply = live.engine.answer("how much does it cost")
    assert (reply.kind, reply.faq_id) == ("faq", "cost-insurance")
    assert reply.body == f"A visit costs the same as a normal visit. Ask {live.engine.content.clinic.front_desk_text}."
    assert reply.text.endswith(live.engine.disclaimer)
    assert curator.topic_hits(live.engine)[0] == ("cost-insurance", 2, True)
    assert [str(p) for p in check_file(faq) if p.severity == "error"] == []


def test_clinic_answer_is_held_to_the_content_rules(clinic) -> None:
    faq, _, _, curator = clinic
    too_long = curator.set_answer("cost-insurance", " ".join(["word"] * 130) + ".")
    assert not too_long.changed
    assert "cost-insurance: clinic_answer has 130 words; keep it to 120 or fewer" in too_long.text
    placeholder = curator.set_answer("cost-insurance", "Call {front_dsk}.")
    assert not placeholder.changed and "uses unknown placeholder {front_dsk}" in placeholder.text
    hard = curator.set_answer(
        "cost-insurance",
        "Reimbursement eligibility necessitates comprehensive documentation of interdisciplinary physiotherapeutic interventions.",
    )
    assert hard.changed
    assert any("cost-insurance: clinic_answer reads at grade" in w for w in hard.warnings)
    assert any("cost-insurance: warning: clinic_answer reads at grade" in str(p) for p in check_file(faq))


def test_teach_refuses_while_the_file_has_errors(clinic) -> None:
    faq, _, _, curator = clinic
    faq.write_text(SHIPPED.replace("source: Introduction", "source: Nowhere", 1), encoding="utf-8")
    outcome = curator.add_alternate("winding", "how do you twist the needle on a scar")
    assert not outcome.changed and "has errors already; fix them first" in outcome.text
    assert "source 'Nowhere' is not a section of the article" in outcome.text


def test_staff_find_groups_by_number_and_by_button_key(clinic) -> None:
    _, _, _, curator = clinic
    for group in curator.groups(ENGINE):
        assert curator.find(ENGINE, number=group.number) == group
        assert curator.find(ENGINE, key=group.key) == group
    assert curator.find(ENGINE, number=99) is None and curator.find(ENGINE, key=10**9) is None


def test_the_log_keeps_no_commands_numbers_or_emoji(tmp_path: Path) -> None:
    log = UnansweredLog(LogSettings(tmp_path / "data"))
    fallback = ENGINE.reply("fallback", "x")
    for text in ("/foo", "/ask", "42", "3.", "\U0001F44D", "\U0001F600\U0001F600 !!", "does it hurt my dog"):
        log.record(text, fallback)
    assert [row.question for row in log.unanswered()] == ["does it hurt my dog"]
    assert log.totals(days=1)[0] == {"fallback": 7}  # still counted, just not kept as questions
    log.close()



@pytest.mark.parametrize(
    "question",
    ["hi its Carla here, what do you call a knot in a muscle", "my number is 555 9876, what is a knot in a muscle"],
)
def test_a_question_with_blanked_out_details_is_never_written_into_the_faq(clinic, question: str) -> None:
    faq, _, _, curator = clinic
    outcome = curator.add_alternate("trigger-point", question)
    assert not outcome.changed
    assert "blanked-out personal details" in outcome.text and 'teach "' in outcome.text
    assert faq.read_text(encoding="utf-8") == SHIPPED
