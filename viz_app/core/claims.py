"""Claims: checkable statements about what the screen shows for a tour step or a Try button's example.

Every tour step and every Try example carries a ``claims`` list next to its caption, for example::

    {"kind": "sentiment", "label": "negative"}
    {"kind": "translation_contains", "model": "seq2seq-attention", "words": ["i", "am", ["student"]]}
    {"kind": "lstm_beats_bigram"}

A claim is evaluated against the bundled models by :func:`evaluate` (Qt-free); the test suite evaluates every
claim of every step and every example, so a caption that stops being true with the bundled models fails a
test. ``text`` in a claim overrides the text it is checked on (by default the step's or the example's text).
A step that says nothing about model output has ``"claims": []`` and a ``"no_claim_reason"``.

Each kind is a function ``(claim, text, ctx) -> Verdict`` registered in :data:`KINDS` with :func:`kind`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np


class ClaimError(ValueError):
    """A claim that cannot be evaluated at all (unknown kind, missing field)."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str  # what was computed, for the test's failure message


KINDS: dict[str, Callable] = {}
REQUIRED: dict[str, tuple[str, ...]] = {}


def kind(name: str, *required: str):
    def register(fn):
        KINDS[name] = fn
        REQUIRED[name] = required
        return fn

    return register


def context(store=None):
    """What a job expects as ``ctx``: the model store, on the CPU."""
    from viz_app.core.registry import ModelStore

    return SimpleNamespace(models=store or ModelStore(), device="cpu", cancelled=False, report=lambda p: None)


def problems(claim) -> str:
    """Why ``claim`` is malformed ("" if it is well formed); no model is loaded."""
    if not isinstance(claim, dict):
        return 'a claim is an object with a "kind"'
    name = claim.get("kind")
    if name not in KINDS:
        return f"unknown claim kind {name!r} (known: {', '.join(sorted(KINDS))})"
    missing = [f for f in REQUIRED[name] if f not in claim]
    return f"claim {name!r} needs {', '.join(missing)}" if missing else ""


def evaluate(claim: dict, text: str, ctx=None) -> Verdict:
    problem = problems(claim)
    if problem:
        raise ClaimError(problem)
    ctx = ctx or context()
    return KINDS[claim["kind"]](claim, claim.get("text", text), ctx)


# --- helpers ---------------------------------------------------------------------------------------
def _matches(words: list[str], wanted) -> bool:
    """``wanted``: a word, or a list of alternatives (any of them)."""
    options = [wanted] if isinstance(wanted, str) else list(wanted)
    return any(o.lower() in words for o in options)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12))


def _vectors(ctx, model: str):
    from viz_app.core.lessons import word_embedding as embedding_lesson

    return embedding_lesson.vectors(ctx.models, model)


def _lm(ctx, name: str):
    from viz_app.core.lessons import lm as lesson

    return lesson.model(ctx, name)


def _finite(*arrays) -> bool:
    return all(np.all(np.isfinite(np.asarray(a, dtype=np.float64))) for a in arrays)


# --- generative vs discriminative, BERT, GPT ---------------------------------------------------------
@kind("sentiment", "label")
def _sentiment(claim, text, ctx) -> Verdict:
    from viz_app.core.lessons import lm as lesson

    result = lesson.classify_job(ctx, claim.get("model", lesson.FEATURED), text)  # the page's classifier
    p = result.probs.get(result.label)
    ok = result.verdict == claim["label"]  # shown as that label: not uncertain, not unreadable
    return Verdict(
        ok, f"{result.model}: {text!r} shown as {result.verdict} ({result.label} {p:.2f}, {result.unknown} unknown)"
    )


@kind("generates")
def _generates(claim, text, ctx) -> Verdict:
    """The GPT writes on: at least ``min_words`` new words, as the generative page draws them (seed 0..2)."""
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    lm = _lm(ctx, claim.get("model", lesson.GPT))
    need = int(claim.get("min_chars", claim.get("min_words", 3)))
    outs = []
    for seed in range(3):
        steps = list(probes.generate(lm, text, 30, probes.Sampling(1.0, 40, 1.0), seed))
        outs.append(probes.join_generated(lm, text, steps))
    if "min_chars" in claim:  # Chinese: characters written after the prompt, punctuation aside
        counts = [sum(1 for ch in o[len(text.rstrip()) :] if ch.isalnum()) for o in outs]
    else:
        counts = [len(o.split()) for o in outs]
    return Verdict(min(counts) >= need, f"continuations {outs!r}")


@kind("poet", "poet")
def _poet(claim, text, ctx) -> Verdict:
    """The generative page's poet classifier names ``poet`` (shown as that poet, not unreadable)."""
    from viz_app.core.lessons import lm as lesson

    r = lesson.author_job(ctx, text)
    return Verdict(r.verdict == claim["poet"], f"{r.model}: {text!r} shown as {r.verdict} ({r.probs})")


@kind("poem_keeps_form", "model", "form")
def _poem_keeps_form(claim, text, ctx) -> Verdict:
    """gpt-tang writes a poem in ``form`` after the text (as the GPT lesson's Generate with a form chosen): the
    line lengths and marks of the form, and with ``acrostic`` each line opening with its character; every seed
    in ``seeds`` (default 0..2) at the lesson's default sampling (temperature 1, no top-k)."""
    from viz_app.core.lm import poem, probes

    lm = _lm(ctx, claim["model"])
    acrostic = claim.get("acrostic", "")
    outs, ok = [], True
    for seed in claim.get("seeds", [0, 1, 2]):
        sampling = probes.Sampling(1.0, int(claim.get("top_k", 0)), 1.0)  # the lesson's controls
        out = poem.generate(lm, claim["form"], text, acrostic, sampling, int(seed))
        good = poem.check_form(out.text, claim["form"]).ok and all(
            line.startswith(ch) for line, ch in zip(out.lines, acrostic, strict=False)
        )
        ok = ok and good and out.complete
        outs.append(out.text)
    return Verdict(ok, f"{claim['model']} {claim['form']} {acrostic!r}: {outs}")


@kind("causal_mask", "model")
def _causal_mask(claim, text, ctx) -> Verdict:
    """A GPT's attention on the text: every layer and head puts no weight above the diagonal (a token never
    looks at the tokens after it) and every row sums to 1."""
    from viz_app.core.lm import probes

    result = probes.attention(_lm(ctx, claim["model"]), text)
    above = max(float(np.triu(h, 1).max()) for layer in result.attention for h in layer)
    rows = max(float(np.abs(h.sum(-1) - 1).max()) for layer in result.attention for h in layer)
    return Verdict(
        above == 0.0 and rows < 1e-4, f"largest weight above the diagonal {above}, row sums off by {rows:.1e}"
    )


@kind("fill_mask_top5", "masks")
def _fill_mask(claim, text, ctx) -> Verdict:
    """``masks``: for each [MASK] in order, the words one of which must be among the top ``top`` (5)."""
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    top = int(claim.get("top", 5))
    result = probes.fill_mask(_lm(ctx, claim.get("model", lesson.BERT)), text, top)
    got = [[w.strip().lower() for w, _ in m.predictions[:top]] for m in result.masks]
    ok = len(got) == len(claim["masks"]) and all(_matches(g, want) for g, want in zip(got, claim["masks"], strict=True))
    return Verdict(ok, f"top {top} per mask: {got}")


@kind("next_token_top", "any_of")
def _next_token(claim, text, ctx) -> Verdict:
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    top = int(claim.get("top", 5))
    result = probes.next_token(_lm(ctx, claim.get("model", lesson.GPT)), text, None, top)
    got = [t.strip().lower() for t, *_ in result.top[:top]]
    return Verdict(_matches(got, claim["any_of"]), f"top {top} next tokens: {got}")


@kind("logit_lens_final")
def _logit_lens(claim, text, ctx) -> Verdict:
    """The lens's last layer is the model's own prediction, and the first layers guess differently."""
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    lm = _lm(ctx, claim.get("model", lesson.GPT))
    lens = probes.logit_lens(lm, text)
    nxt = probes.next_token(lm, text, None, 1)
    last = lens.guesses[-1][-1][0]
    changes = len({row[-1][0] for row in lens.guesses})
    ok = last.strip() == nxt.top[0][0].strip() and changes > 1
    return Verdict(ok, f"guesses by layer {[row[-1][0] for row in lens.guesses]}, model's top {nxt.top[0][0]!r}")


@kind("causal_vs_full")
def _causal_vs_full(claim, text, ctx) -> Verdict:
    """GPT's attention puts no weight on later words; BERT's does."""
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    g = probes.attention(_lm(ctx, claim.get("gpt", lesson.GPT)), text)
    b = probes.attention(_lm(ctx, claim.get("bert", lesson.BERT)), text)
    g_future = max(float(np.triu(a, 1).max()) for a in g.attention)
    b_future = max(float(np.triu(a, 1).max()) for a in b.attention)
    return Verdict(
        g_future < 1e-6 < b_future, f"largest weight on a later word: GPT {g_future:.2g}, BERT {b_future:.2g}"
    )


@kind("contextual_separates", "word", "groups")
def _contextual(claim, text, ctx) -> Verdict:
    """BERT's vectors of ``word`` are closer within each group of sentences (by index) than across them."""
    from viz_app.core.lessons import lm as lesson

    sentences = claim.get("sentences", list(lesson.AMBIGUOUS_SENTENCES))
    layer = int(claim.get("layer", lesson.CONTEXT_LAYER))
    result = lesson.contextual_job(ctx, claim.get("model", lesson.BERT), sentences, claim["word"], layer)
    index = {s: k for k, s in enumerate(result.sentences)}
    plain = [lesson.parse_sense(s)[0] for s in sentences]  # a line may end in "| sense"
    groups = [[index[plain[i]] for i in g if plain[i] in index] for g in claim["groups"]]
    within, across = [], []
    for gi, g in enumerate(groups):
        for a in g:
            for b in g:
                if a < b:
                    within.append(result.bert_cosine[a, b])
            for h in groups[gi + 1 :]:
                across += [result.bert_cosine[a, b] for b in h]
    w, x = float(np.mean(within)), float(np.mean(across))
    return Verdict(w > x, f"mean cosine within groups {w:.3f}, across {x:.3f} (layer {layer})")


@kind("contextual_senses_separate", "word", "min_gap")
def _contextual_senses(claim, text, ctx) -> Verdict:
    """The mean cosine of ``word``'s vectors within a sense (the "| sense" of each line) exceeds the mean across
    senses by at least ``min_gap`` at ``layer`` (the tab's default); with ``best_layer``, no other layer
    separates them more. The same numbers the tab's caption prints."""
    from viz_app.core.lessons import lm as lesson

    sentences = claim.get("sentences", list(lesson.AMBIGUOUS_SENTENCES))
    layer = int(claim.get("layer", lesson.CONTEXT_LAYER))
    result = lesson.contextual_job(ctx, claim.get("model", lesson.BERT), sentences, claim["word"], layer)
    if not result.separation or result.separation[layer] is None:
        return Verdict(False, f"fewer than two senses among {result.senses}")
    gaps = [w - a for w, a in result.separation]
    ok = gaps[layer] >= float(claim["min_gap"])
    if claim.get("best_layer"):
        ok = ok and gaps[layer] >= max(gaps)
    w, a = result.separation[layer]
    for key, value in (("within", w), ("across", a)):  # a caption's figures, as printed (two decimals)
        if key in claim:
            ok = ok and abs(value - float(claim[key])) <= 0.005
    shown = ", ".join(f"{k}: {g:+.3f}" for k, g in enumerate(gaps))
    return Verdict(ok, f"layer {layer}: within {w:.3f}, across {a:.3f}; within - across by layer {shown}")


# --- word embedding -------------------------------------------------------------------------------
@kind("similarity_order", "model", "closer", "farther")
def _similarity_order(claim, text, ctx) -> Verdict:
    wv = _vectors(ctx, claim["model"])
    (a, b), (c, d) = claim["closer"], claim["farther"]
    rows = [wv.vectors[wv.require(w)] for w in (a, b, c, d)]
    near, far = _cos(rows[0], rows[1]), _cos(rows[2], rows[3])
    return Verdict(near > far, f"cos({a},{b}) = {near:.3f}, cos({c},{d}) = {far:.3f}")


@kind("ratio_pattern", "word1", "word2")
def _ratio_pattern(claim, text, ctx) -> Verdict:
    """P(k|word1)/P(k|word2) large (≥ ``large_at``, 3) for ``large``, small (≤ 1/3) for ``small``, within a
    factor ``near_within`` (2) of 1 for ``near_one``; every one of them estimated (none "too rare")."""
    from viz_app.core.embeddings import ratio

    large, small, near = claim.get("large", []), claim.get("small", []), claim.get("near_one", [])
    probes_ = [*large, *small, *near]
    if claim.get("source") == "lecture":  # the published table the tab shows beside the corpus's
        table = ratio.lecture_table()
        if (table.word1, table.word2) != (claim["word1"], claim["word2"]) or set(probes_) - set(table.probes):
            return Verdict(False, f"the lecture's table is {table.word1}/{table.word2} with {table.probes}")
    else:
        table = ratio.ratio_table(ratio.bundled_table(ctx.models), claim["word1"], claim["word2"], probes_)
    got = dict(zip(table.probes, table.ratio, strict=True))
    at, within = float(claim.get("large_at", 3.0)), float(claim.get("near_within", 2.0))
    ok = all(got[k] is not None for k in probes_)
    ok = ok and all(got[k] >= at for k in large) and all(got[k] <= 1 / at for k in small)
    ok = ok and all(1 / within <= got[k] <= within for k in near)
    shown = {k: ("too rare" if v is None else round(v, 3)) for k, v in got.items()}
    return Verdict(ok, f"ratios {shown}")


@kind("ratio_too_rare", "word1", "word2", "probes", "at_least")
def _ratio_too_rare(claim, text, ctx) -> Verdict:
    """At least ``at_least`` of ``probes`` are "too rare" for the pair in the bundled counts (a caption saying
    that the lecture's pair cannot be estimated from this corpus)."""
    from viz_app.core.embeddings import ratio

    table = ratio.ratio_table(ratio.bundled_table(ctx.models), claim["word1"], claim["word2"], list(claim["probes"]))
    rare = [k for k, r in zip(table.probes, table.ratio, strict=True) if r is None]
    return Verdict(len(rare) >= int(claim["at_least"]), f"too rare: {rare}")


@kind("neighbours_include", "model", "word", "any_of")
def _neighbours(claim, text, ctx) -> Verdict:
    from viz_app.core.lessons import word_embedding as embedding_lesson

    k = int(claim.get("k", 10))
    got = [w for w, _ in embedding_lesson.neighbors_probe(ctx.models, claim["model"], claim["word"], k)]
    hits = [w for w in got if w in claim["any_of"]]
    return Verdict(len(hits) >= int(claim.get("at_least", 1)), f"top {k} neighbours of {claim['word']}: {got}")


@kind("analogy_top", "model", "a", "b", "c", "expected")
def _analogy(claim, text, ctx) -> Verdict:
    from viz_app.core.lessons import word_embedding as embedding_lesson

    within = int(claim.get("within", 1))
    got = [
        w for w, _ in embedding_lesson.analogy_probe(ctx.models, claim["model"], claim["a"], claim["b"], claim["c"], 5)
    ]
    return Verdict(claim["expected"] in got[:within], f"{claim['c']} - {claim['a']} + {claim['b']} -> {got}")


# --- bag of words, toy RNN, LSTM ------------------------------------------------------------------
@kind("bow_same_vector", "pair")
def _bow_same(claim, text, ctx) -> Verdict:
    from viz_app.core.documents import bag_of_words

    result = bag_of_words.analyze(bag_of_words.split_documents(text), claim.get("metric", "cosine"))
    i, j = claim["pair"]
    same = bool(np.array_equal(result.vectors[i], result.vectors[j]))
    return Verdict(same and (i, j) in result.same_bag_pairs, f"vectors {result.vectors[i]} and {result.vectors[j]}")


@kind("bow_order", "metric", "closer", "farther")
def _bow_order(claim, text, ctx) -> Verdict:
    """Under ``metric``, the ``closer`` pair of documents is more alike than the ``farther`` pair."""
    from viz_app.core.documents import bag_of_words

    result = bag_of_words.analyze(bag_of_words.split_documents(text), claim["metric"])
    (a, b), (c, d) = claim["closer"], claim["farther"]
    near, far = float(result.matrix[a, b]), float(result.matrix[c, d])
    ok = near < far if claim["metric"] == "euclidean" else near > far
    return Verdict(ok, f"{claim['metric']}: {near:.3f} for {a},{b} against {far:.3f} for {c},{d}")


@kind("toy_rnn_outputs", "outputs")
def _toy_outputs(claim, text, ctx) -> Verdict:
    from viz_app.core.rnn import toy as toy_rnn

    result = toy_rnn.run_bundled(ctx.models, toy_rnn.parse_vectors(text), bool(claim.get("bidirectional", False)))
    got = np.asarray(result.forward.outputs if result.bidirectional else result.outputs)
    want = np.asarray(claim["outputs"], dtype=np.float64)
    ok = got.shape == want.shape and np.allclose(got, want)
    return Verdict(ok, f"outputs {got.tolist()}")


@kind("toy_rnn_order_sensitive")
def _toy_order(claim, text, ctx) -> Verdict:
    """The one-directional network's outputs change when the inputs come in the reverse order; with
    ``bidirectional`` the page also shows a backward direction that reads from the end."""
    from viz_app.core.rnn import toy as toy_rnn

    inputs = toy_rnn.parse_vectors(text)
    one_way = toy_rnn.run_bundled(ctx.models, inputs, False)
    fwd, rev = np.asarray(one_way.outputs), np.asarray(one_way.reversed_outputs)
    ok = not np.allclose(fwd, rev)
    if claim.get("bidirectional"):
        ok = ok and toy_rnn.run_bundled(ctx.models, inputs, True).backward is not None
    return Verdict(ok, f"outputs {fwd.tolist()}, inputs reversed {rev.tolist()}")


@kind("toy_rnn_sees_future")
def _toy_future(claim, text, ctx) -> Verdict:
    """With ``bidirectional`` the first output changes when the last input does (it reads from the end too);
    the one-directional network's first output does not."""
    from viz_app.core.rnn import toy as toy_rnn

    inputs = np.asarray(toy_rnn.parse_vectors(text), dtype=np.float64)
    changed = inputs.copy()
    changed[-1] += 1.0
    both = bool(claim.get("bidirectional", True))
    first = toy_rnn.run_bundled(ctx.models, inputs, both).outputs[0]
    again = toy_rnn.run_bundled(ctx.models, changed, both).outputs[0]
    one_way = toy_rnn.run_bundled(ctx.models, changed, False).outputs[0]
    sees = not np.allclose(first, again)
    ok = sees == both and np.allclose(toy_rnn.run_bundled(ctx.models, inputs, False).outputs[0], one_way)
    return Verdict(
        ok, f"first output {np.asarray(first).tolist()}, with the last input + 1: {np.asarray(again).tolist()}"
    )


@kind("lstm_gates_in_range")
def _gates(claim, text, ctx) -> Verdict:
    from viz_app.core.lstm import probes

    result = probes.lstm_gates(ctx.models, claim.get("model", probes.LSTM_NAME), text)
    ranges = {name: (float(np.min(v)), float(np.max(v))) for name, v in result.gates.items() if name in "ifo"}
    ok = len(ranges) == 3 and all(0.0 <= lo and hi <= 1.0 for lo, hi in ranges.values())
    ok = ok and "<unk>" not in result.tokens
    return Verdict(ok, f"gate ranges {ranges}, tokens {list(result.tokens)}")


@kind("lstm_beats_bigram")
def _lstm_beats_bigram(claim, text, ctx) -> Verdict:
    from viz_app.core.lstm import probes

    lstm = probes.score(ctx.models, claim.get("model", probes.LSTM_NAME), text)
    bigram = probes.score(ctx.models, probes.BIGRAM_NAME, text)
    with_end = bool(claim.get("include_end", True))  # the Chain rule tab's switch for the last factor P(<end>)
    a, b = lstm.log_probability(with_end), bigram.log_probability(with_end)
    ok = bool(lstm.tokens) and math.isfinite(a) and math.isfinite(b) and a > b
    return Verdict(ok, f"log P (<end> {'in' if with_end else 'out'}): LSTM {a:.2f}, bigram {b:.2f} on {text!r}")


@kind("bigram_unseen_pair_positive")
def _bigram_unseen_pair(claim, text, ctx) -> Verdict:
    """The Chain rule tab's smoothing note: its pair was never counted (0), yet has P > 0, which is the
    discounted mass times the continuation probability."""
    from viz_app.core.lstm import probes

    bigram = probes.score(ctx.models, probes.BIGRAM_NAME, text)
    found = probes.unseen_pair(ctx.models, bigram)
    if found is None:
        return Verdict(False, f"no unseen pair in or one apart in {text!r}")
    v, w, e, _in_text = found
    ok = e.pair_count == 0 and e.probability > 0 and math.isclose(e.probability, e.backoff_weight * e.continuation)
    return Verdict(ok, f"c({v}, {w}) = {e.pair_count}, P = {e.probability:.3g}")


@kind("lstm_next_top", "any_of")
def _lstm_next(claim, text, ctx) -> Verdict:
    from viz_app.core.lstm import probes

    top = int(claim.get("top", 5))
    got = [w for w, _ in probes.next_words(ctx.models, claim.get("model", probes.LSTM_NAME), text, top)]
    return Verdict(_matches(got, claim["any_of"]), f"top {top} next words: {got}")


# --- seq2seq, attention, transformer ------------------------------------------------------------
def _translation(ctx, model: str, text: str):
    """(output tokens, cross attention (N, M) or None) of ``model`` for ``text``."""
    if ctx.models.registry.card(model).kind == "transformer":
        from viz_app.core.transformer import probes

        t = probes.translate(ctx.models, model, text)
        return [w.lower() for w in t.output_tokens if w != "<end>"], t.cross_attention[-1].mean(0)
    from viz_app.core.lessons import seq2seq as lesson

    trace = lesson.decode_steps(ctx.models, model, text)
    if trace.task == "chat":  # the page's headline is the chatbot's re-ranked reply (lesson.best_reply)
        reply = lesson.best_reply(ctx.models, model, text)
        return [w.lower() for w in reply.tokens], reply.attention[: len(reply.tokens)]
    return [w.lower() for w in trace.output_tokens], trace.attention_matrix()


@kind("translation_lacks", "model", "words")
def _translation_lacks(claim, text, ctx) -> Verdict:
    """The output lacks at least one of ``words`` (an item may be a list of alternatives): where a caption says
    that a model loses part of the sentence."""
    out, _ = _translation(ctx, claim["model"], text)
    missing = [w for w in claim["words"] if not _matches(out, w)]
    return Verdict(bool(missing), f"{claim['model']}: {text!r} -> {' '.join(out)!r}, missing {missing}")


@kind("translation_contains", "model", "words")
def _translation_contains(claim, text, ctx) -> Verdict:
    """The output contains each of ``words`` (an item may be a list of alternatives)."""
    out, _ = _translation(ctx, claim["model"], text)
    missing = [w for w in claim["words"] if not _matches(out, w)]
    return Verdict(not missing, f"{claim['model']}: {text!r} -> {' '.join(out)!r}, missing {missing}")


@kind("alignment_rows_sum_to_one", "model")
def _alignment(claim, text, ctx) -> Verdict:
    out, matrix = _translation(ctx, claim["model"], text)
    if matrix is None or not np.size(matrix):
        return Verdict(False, f"{claim['model']} has no alignment for {text!r}")
    sums = np.asarray(matrix).sum(-1)
    return Verdict(_finite(matrix) and np.allclose(sums, 1.0, atol=1e-4), f"row sums {np.round(sums, 4).tolist()}")


@kind("attention_beats_plain_long")
def _attention_long(claim, text, ctx) -> Verdict:
    """On the longest sentences (the "10+" bin of the cards' BLEU by source length) attention scores higher."""
    from viz_app.core.lessons import seq2seq as lesson

    bin_ = claim.get("bin", "10+")
    _, att = lesson.card_bleu(ctx.models.registry, lesson.ATTENTION_MODEL)
    _, plain = lesson.card_bleu(ctx.models.registry, lesson.PLAIN_MODEL)

    def value(bins):
        v = bins.get(bin_)
        return v.get("bleu") if isinstance(v, dict) else v

    a, p = value(att), value(plain)
    ok = a is not None and p is not None and a > p
    return Verdict(ok, f"BLEU on {bin_}-word sentences: with attention {a}, without {p}")


@kind("self_attention_softmax")
def _self_attention_softmax(claim, text, ctx) -> Verdict:
    """Every row of the encoder's self-attention (each layer and head) sums to 1 and no token is <unk>."""
    from viz_app.core.transformer import probes as tprobes

    model = claim.get("model", "transformer")
    if model == "transformer":
        enc = tprobes.encode(ctx.models, model, text)
        att, tokens = enc.attention, list(enc.tokens)
    else:
        from viz_app.core.lm import probes

        result = probes.attention(_lm(ctx, model), text)
        att, tokens = np.stack(result.attention), result.tokens
    sums = att.sum(-1)
    unknown = [t for t in tokens if t in ("<unk>", "[UNK]")]
    ok = _finite(att) and np.allclose(sums, 1.0, atol=1e-4) and not unknown
    return Verdict(ok, f"{model}: tokens {tokens}, row sums in [{sums.min():.4f}, {sums.max():.4f}]")


@kind("heads_differ")
def _heads_differ(claim, text, ctx) -> Verdict:
    """The heads of one layer attend differently: some pair of heads differs by at least ``by`` (0.1)."""
    from viz_app.core.transformer import probes as tprobes

    enc = tprobes.encode(ctx.models, claim.get("model", "transformer"), text)
    layer = enc.attention[int(claim.get("layer", 0))]
    diff = max(float(np.abs(layer[i] - layer[j]).max()) for i in range(len(layer)) for j in range(i))
    return Verdict(diff >= float(claim.get("by", 0.1)), f"largest difference between two heads {diff:.3f}")


@kind("model_heads", "heads")
def _model_heads(claim, text, ctx) -> Verdict:
    from viz_app.core.transformer import probes as tprobes

    enc = tprobes.encode(ctx.models, claim.get("model", "transformer"), text)
    return Verdict(enc.attention.shape[1] == int(claim["heads"]), f"encoder attention shape {enc.attention.shape}")


@kind("decoder_causal")
def _decoder_causal(claim, text, ctx) -> Verdict:
    from viz_app.core.transformer import probes as tprobes

    t = tprobes.translate(ctx.models, claim.get("model", "transformer"), text)
    future = float(np.triu(t.decoder_attention, 1).max()) if t.decoder_attention.size else 1.0
    return Verdict(future < 1e-6 and len(t.output_tokens) > 1, f"largest weight on a later word {future:.2g}")
