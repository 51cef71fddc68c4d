"""bot.py check: one broken file per rule, with the exact PATH:LINE output."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import textstat
import yaml

from intents.checker import check_file, reading_grade

from .conftest import FAQ_PATH, ROOT, minimal_faq


def write(tmp_path: Path, data: object, name: str = "faq.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=200), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, *, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def errors(path: Path) -> list[str]:
    return [str(p) for p in check_file(path) if p.severity == "error"]


def test_minimal_file_is_clean(tmp_path: Path) -> None:
    assert errors(write(tmp_path, minimal_faq())) == []


def _set(*keys: object, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


def _delete(*keys: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return change


def _append(*keys: object, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in keys:
            target = target[key]
        target.append(value)
    return change


# (rule, change to a valid FAQ, text on the line the error names, search after this text,
#  text on the line of the first occurrence for duplicates, expected error)
RULES = [
    ("unknown key", _set("faqs", 0, "anwser", value="typo"), "anwser:", None, None,
     "trigger-point: unknown key 'anwser' (known keys: id, question, alternates, answer, source, title, related, covers)"),
    ("missing key", _delete("faqs", 1, "source"), "- id: scar-tissue", None, None, "scar-tissue: missing key 'source'"),
    ("wrong type", _set("faqs", 0, "alternates", value="just one string"), "alternates: just one string", None, None,
     "trigger-point: 'alternates' must be a list of texts, not text"),
    ("empty answer", _set("faqs", 1, "answer", value="   "), "answer:", "id: scar-tissue", None, "scar-tissue: 'answer' is empty"),
    ("duplicate alternate", _append("faqs", 1, "alternates", value="What is a muscle knot?"), "What is a muscle knot?", None,
     "- what is a muscle knot",
     "scar-tissue: duplicate phrasing 'What is a muscle knot?': entry 'trigger-point' already has it (line {first}); remove one of the two"),
    ("answer over the length limit", _set("faqs", 0, "answer", value=" ".join(["word"] * 130)), "answer: word", None, None,
     "trigger-point: answer has 130 words; keep it to 120 or fewer"),
    ("source that is not an article section", _set("faqs", 1, "source", value="Scar"), "source: Scar", None, None,
     "scar-tissue: source 'Scar' is not a section of the article (did you mean 'Scars'?)"),
    ("related entry that does not exist", _set("faqs", 0, "related", value=["scar-tissue", "no-such"]), "- no-such", None, None,
     "trigger-point: related entry 'no-such' does not exist"),
    ("red flag setting that is not yes or no", _set("red_flags", 0, "always", value="yes please"), "always: yes please", None, None,
     "chest-pain: 'always' must be true or false, not text"),
    ("duplicate id", lambda d: (_set("faqs", 1, "id", value="trigger-point")(d), _delete("faqs", 0, "related")(d)),
     "- id: trigger-point", "source: Knots", "- id: trigger-point",
     "trigger-point: duplicate id 'trigger-point' (first used on line {first})"),
]


@pytest.mark.parametrize(("change", "needle", "after", "first", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rule(
    tmp_path: Path, change: Callable[[dict], None], needle: str, after: str | None, first: str | None, expected: str
) -> None:
    data = minimal_faq()
    change(data)
    path = write(tmp_path, data)
    line = line_of(path, needle, after=after)
    first_line = line_of(path, first) if first else None
    assert errors(path) == [f"{path}:{line}: {expected.format(first=first_line)}"]


def test_unknown_placeholder(tmp_path: Path) -> None:
    data = minimal_faq()
    data["messages"]["fallback"] = "Call {front_dsk}."
    path = write(tmp_path, data)
    line = line_of(path, "fallback:")
    assert errors(path)[0].startswith(f"{path}:{line}: messages: 'fallback' uses unknown placeholder {{front_dsk}}")


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("clinic:\n  name: x\nfaqs:\n  - id: a\n    question: [unclosed\n", encoding="utf-8")
    (problem,) = check_file(path)
    assert str(problem).startswith(f"{path}:5: yaml: syntax error: the list opened with '[' on this line is not closed")


def test_repeated_yaml_key(tmp_path: Path) -> None:
    path = write(tmp_path, minimal_faq())
    text = path.read_text(encoding="utf-8").replace("disclaimer: General", "disclaimer: One\ndisclaimer: General", 1)
    path.write_text(text, encoding="utf-8")
    second = line_of(path, "disclaimer: General")
    assert errors(path) == [f"{path}:{second}: top level: key 'disclaimer' repeats the one on line {second - 1}"]


def test_collision_is_an_error_with_both_ids_and_scores(tmp_path: Path) -> None:
    data = minimal_faq()
    data["faqs"][1]["alternates"].append("what is a knot")
    path = write(tmp_path, data)
    found = errors(path)
    prefix = f"{path}:{line_of(path, '- what is a knot')}: scar-tissue: 'what is a knot' belongs to entry 'trigger-point' rather (scores: scar-tissue "
    assert [e for e in found if e.startswith(prefix)] == found[:1], found
    assert ", trigger-point " in found[0]


def test_near_collision_is_a_warning(tmp_path: Path) -> None:
    data = minimal_faq()
    data["faqs"][1]["alternates"].append("what is a knot in a scar")  # as much about knots as scars
    path = write(tmp_path, data)
    line = line_of(path, "what is a knot in a scar")
    notes = [str(p) for p in check_file(path) if p.severity == "note"]
    assert f"{path}:{line}: scar-tissue: note: 'what is a knot in a scar' is close to related entry 'trigger-point' (scores: scar-tissue 66.9, trigger-point 66.8); patients who word it differently may be asked 'did you mean' between the two" in notes
    del data["faqs"][0]["related"]  # no longer known neighbours: now a warning
    path = write(tmp_path, data)
    line = line_of(path, "what is a knot in a scar")
    warnings = [str(p) for p in check_file(path) if p.severity == "warning"]
    assert f"{path}:{line}: scar-tissue: warning: 'what is a knot in a scar' is close to entry 'trigger-point' (scores: scar-tissue 66.9, trigger-point 66.8); patients may be asked 'did you mean'" in warnings
    assert errors(path) == []


def test_few_alternates_and_hard_answers_are_warnings(tmp_path: Path) -> None:
    data = minimal_faq()
    data["faqs"][1]["alternates"] = data["faqs"][1]["alternates"][:3]
    data["faqs"][0]["answer"] = (
        "Myofascial trigger points constitute hyperirritable loci within taut skeletal musculature, "
        "characteristically demonstrating referred nociceptive phenomena upon mechanical stimulation."
    )
    path = write(tmp_path, data)
    warnings = [str(p) for p in check_file(path) if p.severity == "warning"]
    assert f"{path}:{line_of(path, 'alternates:', after='id: scar-tissue')}: scar-tissue: warning: only 3 alternates; 8 or more help patients find this entry" in warnings
    assert any(w.startswith(f"{path}:{line_of(path, 'answer: Myofascial')}: trigger-point: warning: answer reads at grade") for w in warnings)
    assert errors(path) == []


@pytest.mark.parametrize(
    "text",
    [
        "A trigger point is a tight band or knot inside a muscle. You can often feel it with your fingers.",
        "Central sensitization means the brain and spinal cord have become too sensitive to normal signals.",
        "The pulses make the muscle tighten and relax in a steady rhythm, or flicker gently.",
    ],
)
def test_reading_grade_agrees_with_textstat(text: str) -> None:
    assert abs(reading_grade(text) - textstat.flesch_kincaid_grade(text)) <= 1.5


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bot.py"), "check", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_shipped_faq_checks_clean_collisions_included() -> None:
    """0 errors and 0 warnings: a warning always means the staff member just did something."""
    result = run_check(str(FAQ_PATH))
    assert result.returncode == 0, result.stdout
    assert ": OK: 0 errors, 0 warnings" in result.stdout.strip().splitlines()[-1]
    assert all(": note: " in line for line in result.stdout.strip().splitlines()[:-1])


def test_check_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    data = minimal_faq()
    data["faqs"][0]["answer"] = ""
    broken = write(tmp_path, data)
    result = run_check(str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.splitlines()[-1] == f"{broken}: NOT USABLE: 1 error, 0 warnings"
    missing = run_check(str(tmp_path / "missing.yaml"))
    assert missing.returncode == 1
    assert missing.stdout.splitlines()[0] == f"{tmp_path / 'missing.yaml'}: file: no such file"


def test_empty_file_and_bare_key(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert [str(p) for p in check_file(empty)] == [f"{empty}: file: the file is empty"]
    data = minimal_faq()
    path = write(tmp_path, data)
    path.write_text(path.read_text(encoding="utf-8").replace("disclaimer: General information only, not medical advice.", "disclaimer:"), encoding="utf-8")
    assert errors(path) == [f"{path}:{line_of(path, 'disclaimer:')}: disclaimer: 'disclaimer' is empty"]


# ------------------------------------------------------------------ YAML mistakes in plain words

# (mistake, file text, line named, plain message, the parser's words kept on the second line)
YAML_MISTAKES = [
    ("key indented less", "faqs:\n  - id: a\n    question: b\n   answer: c\n", 4,
     "this line is indented differently from the one above it; line it up with 'question:' on line 3 (4 spaces from the left)",
     "expected <block end>"),
    ("key indented more", "faqs:\n  - id: a\n    question: b\n      answer: c\n", 4,
     "this line is indented differently from the one above it; line it up with 'question:' on line 3 (4 spaces from the left)",
     "mapping values are not allowed here"),
    ("key under a list item", "faqs:\n  - id: a\n    alternates:\n      - x\n      question: y\n", 5,
     "this line is indented differently from the one above it; line it up with 'alternates:' on line 3 (4 spaces from the left)",
     "expected <block end>"),
    ("list item out of line", "faqs:\n  - id: a\n    alternates:\n      - x\n    - y\n", 5,
     "this line is indented differently from the one above it; line its '-' up with the '-' on line 4 (6 spaces from the left)",
     "expected <block end>"),
    ("colon in a text", "faqs:\n  - id: a\n    answer: Note: this is it\n", 3,
     "text containing ': ' must be in quotes: put the text after 'answer:' in double quotes",
     "mapping values are not allowed here"),
    ("colon in a continued text", "faqs:\n  - id: a\n    answer:\n      Dry needling is x.\n      Note: y\n", 5,
     "text containing ': ' must be in quotes (this line continues the text above it)", "mapping values are not allowed here"),
    ("tab", "faqs:\n\t- id: a\n", 2, "a tab is used on this line; indent with spaces only", "found character"),
    ("text starting with @", "faqs:\n  - id: a\n    answer: @home it is\n", 3,
     "text cannot start with '@': put the whole text in quotes", "cannot start any token"),
    ("unclosed list", "faqs:\n  - id: a\n    related: [a, b\n    answer: c\n", 3,
     "the list opened with '[' on this line is not closed with ']', or two of its items have no comma between them"
     " (text starting with '[' must be in quotes)", "expected ',' or ']'"),
    ("unclosed quote", "faqs:\n  - id: a\n    answer: \"abc\n    question: x\n", 3,
     "the quoted text that starts on this line has no closing quote mark (inside '...' write an apostrophe twice: '')",
     "found unexpected end of stream"),
    ("apostrophe in single quotes", "faqs:\n  - id: a\n    answer: 'it's fine'\n", 3,
     "the text on this line starts with a quote mark (')", "expected <block end>"),
]


@pytest.mark.parametrize(("text", "line", "message", "words"), [m[1:] for m in YAML_MISTAKES], ids=[m[0] for m in YAML_MISTAKES])
def test_yaml_mistakes_are_explained_in_plain_words(tmp_path: Path, text: str, line: int, message: str, words: str) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(text, encoding="utf-8")
    (problem,) = check_file(path)
    first, second = str(problem).splitlines()
    assert first.startswith(f"{path}:{line}: yaml: syntax error: {message}")
    assert second.startswith("    (the YAML reader says: ") and words in second


def test_text_that_became_keys_says_so(tmp_path: Path) -> None:
    data = minimal_faq()
    data["faqs"][1]["answer"] = {"Needling can help": "loosen stiff scar tissue."}
    path = write(tmp_path, data)
    line = line_of(path, "answer:", after="id: scar-tissue")
    assert errors(path) == [
        f"{path}:{line}: scar-tissue: 'answer' must be text, not a list of keys: a line in it has a colon and a space (': '); "
        "put the whole text in double quotes"
    ]


def test_duplicate_phrasing_is_reported_at_the_later_line(tmp_path: Path) -> None:
    data = minimal_faq()
    entry = data["faqs"][0]
    # 'question' written after 'alternates': the copy in the alternates is the earlier line.
    entry["alternates"][7] = "what is a trigger point"
    data["faqs"][0] = {key: entry[key] for key in ("id", "alternates", "answer", "source", "related", "question")}
    path = write(tmp_path, data)
    earlier, later = line_of(path, "- what is a trigger point"), line_of(path, "question: What is a trigger point?")
    assert earlier < later
    assert errors(path) == [f"{path}:{later}: trigger-point: duplicate phrasing 'What is a trigger point?': this entry already has it "
                            f"(line {earlier}); remove one of the two"]
