"""The command line, run as a real process the way staff and the evaluation tools run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from storage import LogSettings, UnansweredLog

from .conftest import ROOT, minimal_faq

DISCLAIMER_START = "\u2139\ufe0f General information only"


def run(*args: str, stdin: str | bytes | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=60,
    )


def test_ask_one_question_prints_reply_with_disclaimer() -> None:
    result = run("ask", "what is a trigger point?")
    assert result.returncode == 0, result.stderr
    assert "trigger point" in result.stdout.lower()
    assert DISCLAIMER_START in result.stdout


def test_ask_json_is_the_contract() -> None:
    result = run("ask", "--json", "what is a trigger point?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    reply = json.loads(lines[0])
    assert set(reply) == {"kind", "faq_id", "score", "suggestions", "text"}
    assert reply["kind"] == "faq" and reply["faq_id"] == "trigger-point"
    assert isinstance(reply["score"], (int, float))


def test_ask_json_reads_stdin_one_line_per_question() -> None:
    questions = ["what is pistoning", "hi", "", "how much does it cost", "I can't breathe", "needle muscle"]
    result = run("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == len(questions)
    assert [r["kind"] for r in replies[:5]] == ["faq", "smalltalk", "fallback", "fallback", "emergency"]
    for reply in replies:
        assert reply["text"].splitlines()[-2].startswith(DISCLAIMER_START) or DISCLAIMER_START in reply["text"]
        assert (reply["faq_id"] is None) == (reply["kind"] != "faq")
        for suggestion in reply["suggestions"]:
            assert set(suggestion) == {"faq_id", "question"}


def test_ask_survives_invalid_utf8_on_stdin() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "ask", "--json"],
        input=b"what is winding\n\xff\xfe broken \xc3\x28 bytes\n",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    replies = [json.loads(line) for line in completed.stdout.decode("utf-8").splitlines()]
    assert len(replies) == 2
    assert replies[0]["faq_id"] == "winding"


def test_chat_over_a_pipe_answers_each_line_and_stops_at_quit() -> None:
    result = run("chat", stdin="what is a knot?\nthanks\nquit\nwhat is winding?\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(DISCLAIMER_START) == 2  # the line after quit is not answered
    assert "knot" in result.stdout.lower()


def test_chat_ends_cleanly_at_end_of_input() -> None:
    result = run("chat", stdin="hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(DISCLAIMER_START) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["chat"], ["ask", "hi"], ["eval", "tests/data/dev-questions.yaml"]])
def test_missing_faq_file_is_one_clear_line(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run(*command, "--faq", str(missing), stdin="")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"{missing}: file: no such file"]
    assert "Traceback" not in result.stderr


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("clinic:\n  name: x\nfaqs: [unclosed\n", encoding="utf-8")
    result = run("ask", "--faq", str(broken), "hi")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith(f"{broken}:") and "syntax error" in line
    assert "Traceback" not in result.stderr


def test_invalid_faq_names_entry_and_key(tmp_path: Path) -> None:
    data = minimal_faq()
    data["faqs"][1]["answer"] = ""
    path = tmp_path / "faq.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("ask", "--faq", str(path), "hi")
    assert result.returncode == 2
    assert "scar-tissue: 'answer' is empty" in result.stderr
    assert result.stderr.startswith(f"{path}:")


def test_other_faq_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(yaml.safe_dump(minimal_faq(), sort_keys=False), encoding="utf-8")
    result = run("ask", "--json", "--faq", str(path), "hello")
    assert json.loads(result.stdout)["text"] == "Hello from Test Clinic!\n\nGeneral information only, not medical advice."


def test_eval_prints_figures_and_misses(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "- {q: what is a knot, expect: trigger-point}\n"
        "- {q: what is a knot, expect: winding}\n"
        "- {q: how much does it cost, expect: out-of-scope}\n"
        "- {q: hi, expect: smalltalk}\n"
        "- {q: I passed out, expect: emergency}\n",
        encoding="utf-8",
    )
    result = run("eval", str(questions))
    assert result.returncode == 0, result.stderr
    assert "in-scope top-1 accuracy:  0.500  (1/2)" in result.stdout
    assert "confidently wrong:        1" in result.stdout
    assert "emergency recall:         1.000  (1/1)" in result.stdout
    assert "[winding] 'what is a knot': answered trigger-point (wrong)" in result.stdout


def test_eval_thresholds_fail_with_exit_1(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text("- {q: what is a knot, expect: winding}\n", encoding="utf-8")
    failing = run("eval", str(questions), "--min-accuracy", "0.9", "--max-wrong", "0")
    assert failing.returncode == 1
    assert "FAIL: in-scope top-1 accuracy is 0, limit 0.9" in failing.stdout
    assert "FAIL: confidently wrong is 1, limit 0" in failing.stdout
    passing = run("eval", str(questions), "--min-accuracy", "0")
    assert passing.returncode == 0


def test_eval_rejects_unknown_ids_with_file_and_line(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text("- {q: fine, expect: smalltalk}\n- {q: what, expect: no-such-id}\n", encoding="utf-8")
    result = run("eval", str(questions))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{questions}:2: item 2: expects unknown FAQ id no-such-id"


def test_chat_knows_the_bot_commands(tmp_path: Path) -> None:
    result = run("chat", stdin="/topics\n/disclaimer\n/help\n", env={"BOT_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    replies = result.stdout.split("bot> ")[1:]
    assert len(replies) == 3
    assert "What is pistoning?" in replies[0]
    assert replies[1].startswith(DISCLAIMER_START)
    assert "/topics" in replies[2]
    log = UnansweredLog(LogSettings(tmp_path))
    assert log.totals(days=1) == ({}, {})  # commands are not questions: nothing recorded
    log.close()


# ------------------------------------------------------------------ report and teach, as staff run them


def _clinic(tmp_path: Path) -> tuple[Path, Path]:
    """A clinic folder (faq.yaml and its data folder with some misses) and another folder to work from."""
    clinic, elsewhere = tmp_path / "clinic", tmp_path / "elsewhere"
    clinic.mkdir()
    elsewhere.mkdir()
    faq = clinic / "faq.yaml"
    faq.write_text((ROOT / "faq.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    from intents import Engine

    engine = Engine.from_file(faq)
    log = UnansweredLog(LogSettings(clinic / "data"))
    for question in ("what do you call a knot in a muscle", "what do you call a knot in the muscle", "can i bring my dog"):
        log.record(question, engine.reply("fallback", "x"))
    log.record("how much does it cost", engine.answer("how much does it cost"))
    log.close()
    return faq, elsewhere


def run_staff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BOT_DATA_DIR"}
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args], capture_output=True, text=True, cwd=cwd, env={**env, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )


def _number(report: str, example: str) -> str:
    line = next(line for line in report.splitlines() if example in line)
    return line.split()[0].lstrip("#")


def test_report_from_another_folder_names_the_database_and_the_period(tmp_path: Path) -> None:
    faq, elsewhere = _clinic(tmp_path)
    result = run_staff("report", "--faq", str(faq), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Unanswered questions in {faq.parent / 'data' / 'unanswered.sqlite3'}, ")
    assert lines[0].endswith("UTC (last 30 days):")
    assert lines[1] == "4 questions in 3 groups"
    assert lines[2].startswith("#1 ") and "'what do you call a knot in a muscle'" in lines[2]
    assert "Not-covered topics patients hit most: cost-insurance 1" in result.stdout
    assert not (elsewhere / "data").exists()  # nothing made where it was run from


def test_report_without_a_database_says_where_it_looked(tmp_path: Path) -> None:
    result = run_staff("report", "--faq", str(ROOT / "faq.yaml"), cwd=tmp_path, )
    assert result.returncode == 0, result.stderr
    assert "No unanswered questions recorded yet" in result.stdout and "BOT_DATA_DIR" in result.stdout


def test_teach_round_trip_from_the_command_line(tmp_path: Path) -> None:
    faq, elsewhere = _clinic(tmp_path)
    shipped = faq.read_text(encoding="utf-8")
    report = run_staff("report", "--faq", str(faq), cwd=elsewhere).stdout
    knot, dog = _number(report, "knot in a muscle"), _number(report, "bring my dog")
    cost = _number(report, "how much does it cost")

    taught = run_staff("teach", knot, "trigger-point", "--faq", str(faq), cwd=elsewhere)
    assert taught.returncode == 0, taught.stderr
    assert taught.stdout.startswith("Added 'what do you call a knot in a muscle' to entry 'trigger-point'")
    typed = run_staff("teach", "where does the needle go in winding", "winding", "--faq", str(faq), cwd=elsewhere)
    assert typed.returncode == 0, typed.stdout + typed.stderr
    refused = run_staff("teach", "what is a trigger point", "scar-tissue", "--faq", str(faq), cwd=elsewhere)
    assert refused.returncode == 1 and "duplicate phrasing 'what is a trigger point'" in refused.stdout
    dismissed = run_staff("teach", dog, "--dismiss", "--faq", str(faq), cwd=elsewhere)
    assert dismissed.returncode == 0 and f"Dismissed group #{dog}" in dismissed.stdout
    answered = run_staff("teach", cost, "--answer", "Prices are on the sheet at the desk. Ask {front_desk}.", "--faq", str(faq), cwd=elsewhere)
    assert answered.returncode == 0, answered.stdout + answered.stderr

    after = run_staff("report", "--faq", str(faq), cwd=elsewhere).stdout
    assert "0 questions in 0 groups (3 more already taught or dismissed)" in after
    assert "cost-insurance 1 (answered by the clinic now)" in after
    ask = json.loads(run_staff("ask", "--json", "--faq", str(faq), "how much does it cost", cwd=elsewhere).stdout)
    assert (ask["kind"], ask["faq_id"]) == ("faq", "cost-insurance") and ask["text"].startswith("Prices are on the sheet")
    new = faq.read_text(encoding="utf-8").splitlines()
    old = shipped.splitlines()
    assert [line for line in new if line not in old] == [
        "      - what do you call a knot in a muscle",
        "      - where does the needle go in winding",
        "    clinic_answer: >-",
        "      Prices are on the sheet at the desk. Ask {front_desk}.",
    ]
    assert len(new) == len(old) + 4
    assert len(list((faq.parent / "data" / "faq-backups").iterdir())) == 3
    audit = (faq.parent / "data" / "teach-log.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1:3] for line in audit] == [
        ["add-alternate", "trigger-point"], ["add-alternate", "winding"], ["dismiss", "-"], ["clinic-answer", "cost-insurance"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["teach", "99", "trigger-point"], "There is no group 99 to review"),
        (["teach", "1", "trigger-pont"], "There is no FAQ entry 'trigger-pont'. Did you mean 'trigger-point'?"),
        (["teach", "1", "--not-covered", "costs"], "There is no not-covered topic 'costs'. Did you mean 'cost-insurance'?"),
        (["teach", "can i bring my dog", "--dismiss"], "--dismiss needs a group number"),
        (["teach", "--answer", "x"], "--answer is for a not-covered topic"),
        (["teach"], "Say what to do"),
    ],
)
def test_teach_mistakes_get_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    faq, elsewhere = _clinic(tmp_path)
    result = run_staff(*args, "--faq", str(faq), cwd=elsewhere)
    assert result.returncode == 2
    assert result.stderr.startswith(message) and "Traceback" not in result.stderr


def test_ask_conversation_answers_each_chat_in_its_own_context() -> None:
    lines = [
        {"chat": "a", "text": "what is e-stim"},
        {"chat": "b", "text": "what types of dry needling are there"},
        {"chat": "a", "text": "why?"},
        {"chat": 7, "text": "why?"},
        {"chat": "b", "text": "the second one"},
    ]
    result = run("ask", "--json", "--conversation", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["kind"], r["faq_id"]) for r in replies] == [
        ("faq", "electrical-stimulation"),
        ("faq", "techniques"),
        ("faq", "electrical-stimulation"),
        ("fallback", None),
        ("faq", "winding"),
    ]
    assert all(set(r) == {"kind", "faq_id", "score", "suggestions", "text"} for r in replies)


def test_ask_conversation_names_a_bad_line_and_goes_on() -> None:
    stdin = '{"chat": "a", "text": "what is pistoning"}\nwhat is winding\n{"chat": "a"}\n{"chat": "a", "text": "and winding?"}\n'
    result = run("ask", "--json", "--conversation", stdin=stdin)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert "line 2" in out[1]["error"] and "line 3" in out[2]["error"]
    assert out[3]["faq_id"] == "winding"
    assert "Traceback" not in result.stderr and "line 2" in result.stderr


def test_eval_of_a_conversation_file_reports_follow_ups_with_and_without_context(tmp_path: Path) -> None:
    data = [
        {"id": "one", "turns": [{"text": "what is e-stim", "expect": "electrical-stimulation", "followup": False},
                                {"text": "why?", "expect": "electrical-stimulation", "followup": True}]},
        {"id": "two", "turns": [{"text": "does insurance cover it", "expect": "out-of-scope", "followup": False},
                                {"text": "why?", "expect": "out-of-scope", "followup": True}]},
    ]
    path = tmp_path / "conversations.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with_context = run("eval", str(path), "--min-followup", "1")
    assert with_context.returncode == 0, with_context.stdout
    assert "follow-up top-1:          1.000  (2/2)" in with_context.stdout
    stateless = run("eval", str(path), "--stateless", "--min-followup", "1")
    assert stateless.returncode == 1 and "FAIL: follow-up top-1" in stateless.stdout


def test_eval_names_a_bad_conversation_turn(tmp_path: Path) -> None:
    path = tmp_path / "conversations.yaml"
    path.write_text(yaml.safe_dump([{"id": "x", "turns": [{"text": "hi", "expect": "nope", "followup": False}]}]), encoding="utf-8")
    result = run("eval", str(path))
    assert result.returncode == 2
    assert "x: turn 1 needs" in result.stderr and "Traceback" not in result.stderr


def test_console_chat_picks_a_did_you_mean_suggestion_by_number() -> None:
    from intents import Engine

    engine = Engine.from_file(ROOT / "faq.yaml")
    unsure = ["what about the pain part?", "so a deep ache is normal?", "needle muscle"]
    message = next(m for m in unsure if engine.answer(m).kind == "clarify")
    first = engine.answer(message).suggestions[0].faq_id
    result = run("chat", stdin=f"{message}\n1\n")
    assert result.returncode == 0, result.stderr
    said = result.stdout.split("bot> ")[1:]
    assert said[1].rstrip("\n") == engine.faq(first).text
