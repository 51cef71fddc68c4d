#!/usr/bin/env python3
"""Dry needling FAQ bot: command line.

    python bot.py chat                 talk to the bot in the console
    python bot.py ask "question"       one reply (--json for the machine-readable contract)
    python bot.py eval FILE            measure answer quality on a labelled question set
    python bot.py run                  run the Telegram bot (needs TELEGRAM_BOT_TOKEN)
    python bot.py check [PATH]         check a FAQ file before it goes live
    python bot.py report               what patients asked that the bot could not answer
    python bot.py teach GROUP ENTRY-ID teach the bot from a group of the report (see --help)
    python bot.py init DIR             put a copy of the FAQ in DIR for the clinic to keep and edit
    python bot.py backup FILE          copy the question log safely, even while the bot runs
    python bot.py --version

Every command reads the FAQ from --faq PATH, else $BOT_FAQ, else the faq.yaml shipped with the code.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import logging
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import storage
from curation import Curator, Outcome
from intents import Content, ContentError, Engine, Problem, Reply, load_content, read_yaml
from intents.content import with_safety_of
from intents.checker import check_file, summary
from intents.conversation import Conversations
from intents.conversation_eval import evaluate_conversations, format_conversation_report, parse_conversations
from intents.evaluation import evaluate, format_report, parse_questions
from intents.live import LiveFaq
from intents.review import format_groups, format_totals, review
from intents.upgrade import missing_sections
from redaction import vocabulary_for

__version__ = "0.2.0"

HERE = Path(__file__).resolve().parent
DEFAULT_FAQ = HERE / "faq.yaml"  # the FAQ shipped with this version
QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit", ":q"})

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A problem to report in one or more plain lines, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def display_path(path: str | Path) -> str:
    """*path* relative to the working directory when it lies below it (shorter, and no machine paths)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def faq_path(args: argparse.Namespace, env: Mapping[str, str] = os.environ) -> Path:
    """The FAQ every command uses: ``--faq``, else ``BOT_FAQ``, else the one shipped with the code."""
    chosen = getattr(args, "faq", None) or env.get("BOT_FAQ", "").strip()
    return Path(chosen) if chosen else DEFAULT_FAQ


def shipped_safety(path: str | Path) -> Content | None:
    """The shipped FAQ, whose emergency checks apply on top of a clinic's own copy (``None`` for the shipped file)."""
    if Path(path).resolve() == DEFAULT_FAQ.resolve():
        return None
    try:
        return load_content(DEFAULT_FAQ)
    except ContentError:
        return None


def load_engine(path: str | Path) -> Engine:
    try:
        content = load_content(display_path(path))
    except ContentError as exc:
        raise CliError(str(exc)) from None
    baseline = shipped_safety(path)
    return Engine(with_safety_of(content, baseline) if baseline else content)


# --------------------------------------------------------------------------- commands


def load_live(path: str | Path) -> LiveFaq:
    try:
        return LiveFaq(display_path(path), baseline=shipped_safety(path))
    except ContentError as exc:
        raise CliError(str(exc)) from None


def log_settings(faq: str | Path) -> storage.LogSettings:
    """Where the unanswered-question log is: ``BOT_DATA_DIR``, else the ``data`` folder next to the FAQ file."""
    try:
        return storage.LogSettings.from_env(default_dir=Path(faq).resolve().parent / "data")
    except ValueError as exc:
        raise CliError(str(exc)) from None


def open_log(faq: str | Path = DEFAULT_FAQ, content: Callable[[], Content | None] = lambda: None) -> storage.UnansweredLog:
    """The unanswered-question log; questions keep only words of the FAQ *content* gives (or common
    English). A data folder that cannot be used turns the log off with one warning."""
    try:
        return storage.UnansweredLog(log_settings(faq), vocabulary=lambda: vocabulary_for(content()))
    except (ValueError, storage.SchemaError) as exc:
        raise CliError(str(exc)) from None


def cmd_chat(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    faq = load_live(faq_path(args))
    # A refused reload is reported once, on stderr (LiveFaq logs it), never between the replies on stdout;
    # so is a data folder that cannot be used.
    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    log = open_log(faq_path(args), lambda: faq.engine.content)
    conversations = Conversations()  # one conversation: "why?", "the first one" refer to earlier lines
    interactive = stdin.isatty()
    if interactive:
        print(faq.engine.message("welcome").text, file=stdout)
        print("(type quit to leave)\n", file=stdout)
    try:
        while True:
            if interactive:
                stdout.write("you> ")
                stdout.flush()
            line = stdin.readline()
            if not line:
                break
            question = line.strip()
            if question.lower() in QUIT_WORDS:
                break
            if not question:
                continue
            faq.refresh_if_changed()
            reply = console_command(faq.engine, question)
            if reply is None:
                reply = conversations.answer(faq.engine, CONSOLE, question, language=CONSOLE_LANGUAGE)
                log.record(question, reply)
            elif question.split()[0].lower() == "/start":
                conversations.reset(CONSOLE)
            print(_format_console(reply), file=stdout, flush=True)
    except KeyboardInterrupt:
        print(file=stdout)
    finally:
        log.close()
    return EXIT_OK


#: The console's one conversation, and its interface language (none: the text alone decides).
CONSOLE, CONSOLE_LANGUAGE = "console", None

CONSOLE_COMMANDS = {"/start": "welcome", "/help": "help", "/about": "about"}


def console_command(engine: Engine, line: str) -> Reply | None:
    """The Telegram commands, for the console: /start, /help, /about, /disclaimer, /topics."""
    command = line.split()[0].lower()
    if command in CONSOLE_COMMANDS:
        return engine.message(CONSOLE_COMMANDS[command])
    if command == "/disclaimer":
        return engine.reply("info", "")
    if command == "/topics":
        titles = "\n".join(f"\u2022 {entry.title}" for entry in engine.content.faqs)
        return engine.reply("info", f"I can explain these topics; ask about any of them:\n{titles}")
    return None


def _format_console(reply: Reply) -> str:
    return f"bot> {reply.text}\n"


def cmd_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    engine = load_engine(faq_path(args))
    if args.conversation:
        return ask_conversations(engine, stdin, stdout)
    questions: Iterable[str] = [" ".join(args.question)] if args.question else (line.rstrip("\r\n") for line in stdin)
    for question in questions:
        reply = engine.answer(question)
        if args.json:
            print(json.dumps(reply.to_dict(), ensure_ascii=False), file=stdout, flush=True)
        else:
            print(reply.text, file=stdout, flush=True)
            if not args.question:
                print(file=stdout)
    return EXIT_OK


def ask_conversations(engine: Engine, stdin: TextIO, stdout: TextIO) -> int:
    """``ask --json --conversation``: each stdin line ``{"chat": id, "text": ...}`` answered in its chat's context."""
    conversations = Conversations()
    failed = False
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(item.get("chat"), (str, int)):
            failed = True
            problem = f'line {number}: expected a JSON object like {{"chat": "a", "text": "what is dry needling"}}'
            print(json.dumps({"error": problem}), file=stdout, flush=True)
            print(problem, file=sys.stderr)
            continue
        reply = conversations.answer(engine, str(item["chat"]), item["text"])
        print(json.dumps(reply.to_dict(), ensure_ascii=False), file=stdout, flush=True)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_eval(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    engine = load_engine(faq_path(args))
    try:
        data, positions = read_yaml(args.file)
        conversations, questions = None, None
        if isinstance(data, list) and data and isinstance(data[0], dict) and "turns" in data[0]:
            conversations = parse_conversations(
                data, known_ids=[e.id for e in engine.content.faqs], path=str(args.file), positions=positions
            )
        else:
            questions = parse_questions(
                data, known_ids=[e.id for e in engine.content.faqs], path=str(args.file), positions=positions
            )
    except ContentError as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if questions is None:
        return eval_conversations(args, engine, conversations, stdout)
    report = evaluate(engine, questions)
    print(format_report(report, show_misses=not args.quiet), file=stdout)
    metrics = report.metrics
    failures = []
    for name, value, limit, worse in (
        ("in-scope top-1 accuracy", metrics["in_scope_top1"], args.min_accuracy, lambda v, lim: v < lim),
        ("out-of-scope rejection", metrics["out_of_scope_rejection"], args.min_rejection, lambda v, lim: v < lim),
        ("smalltalk recall", metrics["smalltalk_recall"], args.min_smalltalk, lambda v, lim: v < lim),
        ("emergency recall", metrics["emergency_recall"], args.min_emergency, lambda v, lim: v < lim),
        ("confidently wrong", metrics["confidently_wrong"], args.max_wrong, lambda v, lim: v > lim),
        ("false emergencies", metrics["false_emergencies"], args.max_false_emergencies, lambda v, lim: v > lim),
        ("missing disclaimer", metrics["missing_disclaimer"], args.max_missing_disclaimer, lambda v, lim: v > lim),
        ("clarified rate", metrics["clarified_rate"], args.max_clarified, lambda v, lim: v > lim),
        ("confidently wrong rate", metrics["confidently_wrong_rate"], args.max_wrong_rate, lambda v, lim: v > lim),
        ("out-of-scope answered", metrics["out_of_scope_answered"], args.max_answered, lambda v, lim: v > lim),
        ("out-of-scope 'did you mean'", metrics["out_of_scope_suggested"], args.max_suggested, lambda v, lim: v > lim),
        ("raw placeholders", metrics["raw_placeholders"], args.max_raw_placeholders, lambda v, lim: v > lim),
    ):
        if limit is not None and worse(value, limit):
            failures.append(f"FAIL: {name} is {value:g}, limit {limit:g}")
    for failure in failures:
        print(failure, file=stdout)
    return EXIT_FAILED if failures else EXIT_OK


def eval_conversations(args: argparse.Namespace, engine: Engine, conversations, stdout: TextIO) -> int:
    report = evaluate_conversations(engine, conversations, stateless=args.stateless)
    print(format_conversation_report(report, show_misses=not args.quiet), file=stdout)
    failures = []
    if args.min_followup is not None and report.rate("follow-up") < args.min_followup:
        failures.append(f"FAIL: follow-up top-1 is {report.rate('follow-up'):g}, limit {args.min_followup:g}")
    if args.max_wrong is not None and report.confidently_wrong > args.max_wrong:
        failures.append(f"FAIL: confidently wrong is {report.confidently_wrong}, limit {args.max_wrong}")
    if args.max_missing_disclaimer is not None and report.missing_disclaimer > args.max_missing_disclaimer:
        failures.append(f"FAIL: missing disclaimer is {report.missing_disclaimer}, limit {args.max_missing_disclaimer}")
    for failure in failures:
        print(failure, file=stdout)
    return EXIT_FAILED if failures else EXIT_OK


def cmd_check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    chosen = Path(args.path) if args.path else faq_path(args)
    path = display_path(chosen)
    problems = check_file(path)
    for problem in problems:
        print(problem, file=stdout)
    lacking = compare_with_shipped(chosen)  # also when the file has errors: a new version's rules may be why
    if lacking:
        print(f"Compared with the FAQ shipped with version {__version__} ({len(lacking)} to review; take over what you want "
              "from the faq.yaml that comes with the code):", file=stdout)
        for problem in lacking:
            print(problem, file=stdout)
    print(summary(problems, path), file=stdout)  # always the last line
    return EXIT_FAILED if any(p.severity == "error" for p in problems) else EXIT_OK


def compare_with_shipped(path: Path) -> list[Problem]:
    """Sections the shipped FAQ has that the clinic's own file lacks (nothing when *path* is the shipped file)."""
    try:
        if path.resolve() == DEFAULT_FAQ.resolve():
            return []
        clinic, _ = read_yaml(path)
        shipped, _ = read_yaml(DEFAULT_FAQ)
    except (ContentError, OSError):
        return []
    return missing_sections(clinic, shipped, path=display_path(path), shipped_name=__version__)


NEXT_STEPS = """\
Wrote {faq} (a copy of the FAQ shipped with version {version}). It is the clinic's file now:
upgrading the bot never touches it.

Next steps:
  1. Edit {faq}: at least the clinic section (phone: the front desk's number).
  2. Check it:                 BOT_FAQ={faq} python bot.py check
  3. Use it: put this line in the bot's environment (the env file of the service):
         BOT_FAQ={faq}
  4. After each upgrade, run the check again: it names what the new version's FAQ has that this file lacks.
See "Going live" in README.md for the service user, the data directory, backups and upgrades."""


def cmd_init(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    directory = Path(args.directory)
    target = directory / "faq.yaml"
    if directory.exists() and not directory.is_dir():
        raise CliError(f"cannot write {target}: {directory} is a file, not a folder")
    if target.exists():
        raise CliError(f"{target} already exists; init never overwrites the clinic's FAQ. Check it with: BOT_FAQ={target} python bot.py check")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as out:
            out.write(DEFAULT_FAQ.read_text(encoding="utf-8"))
        shutil.copymode(DEFAULT_FAQ, target)
    except FileExistsError:
        raise CliError(f"{target} already exists; init never overwrites the clinic's FAQ") from None
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror}") from None
    print(NEXT_STEPS.format(faq=target.resolve(), version=__version__), file=stdout)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    source = log_settings(faq_path(args)).database
    target = Path(args.file)
    if target.is_dir():
        raise CliError(f"{target} is a directory; give the name of the backup file, for example {target / 'unanswered.sqlite3'}")
    if not target.parent.is_dir():
        raise CliError(f"the folder {target.parent} does not exist; create it first (mode 0700: the log is private)")
    try:
        result = storage.backup(source, target)
    except FileNotFoundError:
        raise CliError(f"there is no question log at {source} (is BOT_DATA_DIR set as for the bot?)") from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    except (sqlite3.Error, OSError) as exc:
        raise CliError(f"backup failed, nothing was written to {target}: {exc}", EXIT_FAILED) from None
    print(f"Backed up {source} to {target}: {result.questions} unanswered questions, {result.days} days of counts, "
          f"schema {result.schema}.", file=stdout)
    return EXIT_OK


def cmd_report(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    engine = load_engine(faq_path(args))
    settings = log_settings(faq_path(args))
    database = display_path(settings.database)
    if not settings.enabled:
        raise CliError("The unanswered-question log is off (BOT_LOG_UNANSWERED=0): there is nothing to report.")
    if settings.directory.exists() and not settings.directory.is_dir():
        raise CliError(f"the unanswered-question log cannot be read: BOT_DATA_DIR {settings.directory} is not a directory")
    if not settings.database.exists():
        print(f"No unanswered questions recorded yet: {database} does not exist.", file=stdout)
        print("If the bot runs from another folder, set BOT_DATA_DIR to its data folder.", file=stdout)
        return EXIT_OK
    log = open_log(faq_path(args), lambda: engine.content)
    if log.problem:
        raise CliError(log.problem)
    try:
        curator = Curator(faq_path(args), log, data_dir=settings.directory)
        everything, _ = curator.all_groups(engine, days=args.days)
        groups = curator.groups(engine, days=args.days)
        hits = curator.topic_hits(engine, days=args.days)
        kinds, topics = log.totals(days=args.days)
        now = log.clock()
    finally:
        log.close()
    if args.csv:
        writer = csv.writer(stdout)
        writer.writerow(["group", "count", "example", "not_covered_topic", "nearest_faq", "nearest_score"])
        for item in groups:
            group = item.group
            writer.writerow([item.number, group.count, group.example, group.topic or "", group.nearest or "", group.nearest_score])
        return EXIT_OK
    start, end = (time.strftime("%Y-%m-%d %H:%M", time.gmtime(t)) for t in (now - args.days * 86400, now))
    questions = sum(item.group.count for item in groups)
    print(f"Unanswered questions in {database}, {start} to {end} UTC (last {args.days} days):", file=stdout)
    print(f"{questions} questions in {len(groups)} groups", end="", file=stdout)
    hidden = len(everything) - len(groups)
    print(f" ({hidden} more already taught or dismissed)" if hidden else "", file=stdout)
    for line in format_groups([item.group for item in groups], numbers=[item.number for item in groups]):
        print(line, file=stdout)
    print(format_topic_hits(hits), file=stdout)
    for line in format_totals(kinds, topics):
        print(line, file=stdout)
    if groups:
        print(
            "Teach from a group: python bot.py teach NUMBER ENTRY-ID | teach NUMBER --not-covered TOPIC"
            ' | teach NUMBER --answer "..." | teach NUMBER --dismiss',
            file=stdout,
        )
    return EXIT_OK


def format_topic_hits(hits: Sequence[tuple[str, int, bool]], *, top: int = 5) -> str:
    """Which not-covered topics patients reach most: the ones worth a clinic answer first."""
    parts = [f"{topic} {count}" + (" (answered by the clinic now)" if answered else "") for topic, count, answered in hits[:top]]
    return "Not-covered topics patients hit most: " + (", ".join(parts) or "none")


def cmd_teach(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    engine = load_engine(faq_path(args))
    settings = log_settings(faq_path(args))
    log = open_log(faq_path(args), lambda: engine.content) if settings.enabled and settings.database.exists() else None
    try:
        curator = Curator(faq_path(args), log, data_dir=settings.directory)
        outcome = teach(curator, engine, args)
    finally:
        if log is not None:
            log.close()
    print(outcome.text, file=stdout)
    return EXIT_OK if outcome.changed else EXIT_FAILED


def teach(curator: Curator, engine: Engine, args: argparse.Namespace) -> Outcome:
    """Turn ``teach``'s arguments into one :class:`Curator` action."""
    group = question = None
    target = (args.target or "").strip()
    if target.isdigit():
        if curator.log is None:
            raise CliError("There is no unanswered-question log to take group numbers from (see 'python bot.py report').")
        group = curator.find(engine, number=int(target), days=args.days)
        if group is None:
            raise CliError(
                f"There is no group {target} to review in the last {args.days} days. Run 'python bot.py report' "
                "for the numbers (groups already taught or dismissed are not shown)."
            )
    elif target:
        question = target
    example = question or (group.group.example if group else None)
    if args.not_covered and args.not_covered not in {t.id for t in engine.content.not_covered}:
        raise CliError(f"There is no not-covered topic '{args.not_covered}'. " + _known(args.not_covered, [t.id for t in engine.content.not_covered]))
    if args.dismiss:
        if group is None:
            raise CliError("--dismiss needs a group number from 'python bot.py report'.")
        return curator.dismiss(group)
    if args.answer is not None:
        topic = args.not_covered or (group.group.topic if group else None)
        if topic is None:
            raise CliError("--answer is for a not-covered topic: add --not-covered TOPIC (or use a group that reached one).")
        keyword = args.keyword or (example if example and (group is None or group.group.topic != topic) else None)
        return curator.set_answer(topic, args.answer, group, keyword=keyword)
    if args.not_covered:
        keyword = args.keyword or example
        if not keyword:
            raise CliError("--not-covered needs a group number, a question in quotes, or --keyword WORDS.")
        return curator.add_keyword(args.not_covered, keyword, group)
    if args.entry:
        if engine.entry(args.entry) is None:
            raise CliError(f"There is no FAQ entry '{args.entry}'. " + _known(args.entry, [e.id for e in engine.content.faqs]))
        if not example:
            raise CliError("Say what to add: a group number from 'python bot.py report', or the question in quotes.")
        return curator.add_alternate(args.entry, example, group)
    raise CliError(
        "Say what to do: teach NUMBER ENTRY-ID, teach \"question\" ENTRY-ID, teach NUMBER --not-covered TOPIC, "
        "teach NUMBER --answer \"...\", or teach NUMBER --dismiss."
    )


def _known(wrong: str, ids: Sequence[str]) -> str:
    word = wrong.lower()
    close = difflib.get_close_matches(word, ids, n=1) or [
        i for i in ids if any(len(part) > 2 and (word.startswith(part) or part.startswith(word)) for part in i.split("-"))
    ]
    hint = f"Did you mean '{close[0]}'? " if close else ""
    return hint + "Known: " + ", ".join(ids)


def cmd_run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    import telegram_bot  # only this command needs Telegram

    try:
        settings = telegram_bot.Settings.from_env(webhook_url=args.webhook_url, listen=args.listen, port=args.port)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    telegram_bot.configure_logging(settings.token)  # first, so that an upgrade of the log is logged too
    faq = load_live(faq_path(args))
    data = log_settings(faq_path(args))
    log = open_log(faq_path(args), lambda: faq.engine.content)  # a broken data folder is one warning in the log
    curator = Curator(faq.path, log, data_dir=data.directory, reload=faq.reload)
    try:
        return telegram_bot.run(settings, source=faq, recorder=log, curator=curator)
    finally:
        log.close()


# --------------------------------------------------------------------------- parsing


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description="Dry needling FAQ bot.")
    parser.add_argument("--version", action="version", version=f"dn-faq-bot {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--faq", default=None, metavar="PATH", help="FAQ file to use (default: $BOT_FAQ, else the shipped faq.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = sub.add_parser("chat", parents=[common], help="talk to the bot in the console")
    chat.set_defaults(func=cmd_chat)

    ask = sub.add_parser("ask", parents=[common], help="answer questions (argument, or one per line on stdin)")
    ask.add_argument("question", nargs="*", help="the question; omit to read one question per line from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument(
        "--conversation", action="store_true",
        help='with --json: stdin lines are {"chat": ID, "text": ...}, each answered in the context of its chat',
    )
    ask.set_defaults(func=cmd_ask)

    ev = sub.add_parser("eval", parents=[common], help="measure answer quality on a labelled question file")
    ev.add_argument("file", help="YAML list of {q: ..., expect: ...} items")
    ev.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    ev.add_argument("--stateless", action="store_true", help="conversation files: answer every turn without context")
    ev.add_argument("--min-followup", type=float, metavar="X", help="conversation files: fail if follow-up top-1 is below X")
    ev.add_argument("--min-accuracy", type=float, metavar="X", help="fail if in-scope top-1 accuracy is below X (0-1)")
    ev.add_argument("--min-rejection", type=float, metavar="X", help="fail if out-of-scope rejection is below X")
    ev.add_argument("--min-smalltalk", type=float, metavar="X", help="fail if smalltalk recall is below X")
    ev.add_argument("--min-emergency", type=float, metavar="X", help="fail if emergency recall is below X")
    ev.add_argument("--max-wrong", type=int, metavar="N", help="fail if more than N answers are confidently wrong")
    ev.add_argument("--max-false-emergencies", type=int, metavar="N", help="fail on more than N false emergencies")
    ev.add_argument("--max-missing-disclaimer", type=int, metavar="N", help="fail if more than N replies lack the disclaimer")
    ev.add_argument("--max-clarified", type=float, metavar="X", help="fail if more than this share of in-scope questions get 'did you mean'")
    ev.add_argument("--max-wrong-rate", type=float, metavar="X", help="fail if more than this share of all questions are confidently wrong")
    ev.add_argument("--max-answered", type=float, metavar="X", help="fail if more than this share of out-of-scope messages get an FAQ answer")
    ev.add_argument("--max-suggested", type=float, metavar="X", help="fail if more than this share of out-of-scope messages get 'did you mean'")
    ev.add_argument("--max-raw-placeholders", type=int, metavar="N", help="fail if more than N replies show a {placeholder} or [to-do]")
    ev.set_defaults(func=cmd_eval)

    check = sub.add_parser("check", parents=[common], help="check a FAQ file: schema, collisions, reading level")
    check.add_argument("path", nargs="?", help="the FAQ file (default: faq.yaml)")
    check.set_defaults(func=cmd_check)

    report = sub.add_parser("report", parents=[common], help="unanswered questions grouped by similarity")
    report.add_argument("--days", type=int, default=30, metavar="N", help="look back N days (default 30)")
    report.add_argument("--csv", action="store_true", help="CSV for a spreadsheet")
    report.set_defaults(func=cmd_report)

    teach_ = sub.add_parser(
        "teach", parents=[common], help="teach the bot from a group of 'report' (or a question), or dismiss the group",
        description="Teach the bot from what it could not answer. GROUP is a number from 'report'; instead of a "
        "number you may give the question in quotes. The FAQ file keeps every comment and line it had; "
        "the change is checked like 'check' and refused if it has an error.",
    )
    teach_.add_argument("target", nargs="?", metavar="GROUP", help="a group number from 'report', or a question in quotes")
    teach_.add_argument("entry", nargs="?", metavar="ENTRY-ID", help="add the group's question to this FAQ entry's alternates")
    teach_.add_argument("--not-covered", metavar="TOPIC", help="add the question as a keyword of this not-covered topic")
    teach_.add_argument("--keyword", metavar="WORDS", help="with --not-covered: the keyword to add (default: the question)")
    teach_.add_argument("--answer", metavar="TEXT", help="the clinic's own answer for the not-covered topic")
    teach_.add_argument("--dismiss", action="store_true", help="hide the group from later reports")
    teach_.add_argument("--days", type=int, default=30, metavar="N", help="the report's period (default 30)")
    teach_.set_defaults(func=cmd_teach)

    run = sub.add_parser("run", parents=[common], help="run the Telegram bot (long polling, or a webhook)")
    run.add_argument("--webhook-url", metavar="URL", help="public HTTPS URL Telegram posts updates to (default $TELEGRAM_WEBHOOK_URL; needs TELEGRAM_WEBHOOK_SECRET)")
    run.add_argument("--listen", default=None, metavar="ADDR", help="address the webhook server listens on (default $BOT_LISTEN, else 127.0.0.1)")
    run.add_argument("--port", type=int, default=None, metavar="PORT", help="port the webhook server listens on (default $BOT_PORT, else 8443)")
    run.set_defaults(func=cmd_run)

    init = sub.add_parser("init", help="copy the shipped FAQ into DIR for the clinic to keep (never overwrites)")
    init.add_argument("directory", metavar="DIR", help="folder for the clinic's faq.yaml, for example /var/lib/dn-faq-bot")
    init.set_defaults(func=cmd_init)

    backup = sub.add_parser("backup", help="copy the question log to FILE, safely while the bot runs")
    backup.add_argument("file", metavar="FILE", help="the backup file to write (replaced if it exists)")
    backup.set_defaults(func=cmd_backup)
    return parser


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    if stdin is None:
        # A stray invalid byte on stdin becomes U+FFFD instead of ending the whole run.
        if isinstance(sys.stdin, io.TextIOWrapper):
            sys.stdin.reconfigure(errors="replace")
        stdin = sys.stdin
    try:
        return args.func(args, stdin, stdout or sys.stdout)
    except CliError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
