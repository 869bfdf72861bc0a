"""Claims about word embeddings, the bag of words, the toy RNN and the LSTM."""

from __future__ import annotations

import math

import numpy as np

from viz_app.core.claims.base import Verdict, cos, kind, matches, vectors


@kind("similarity_order", "model", "closer", "farther")
def _similarity_order(claim, text, ctx) -> Verdict:
    wv = vectors(ctx, claim["model"])
    (a, b), (c, d) = claim["closer"], claim["farther"]
    rows = [wv.vectors[wv.require(w)] for w in (a, b, c, d)]
    near, far = cos(rows[0], rows[1]), cos(rows[2], rows[3])
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
    return Verdict(matches(got, claim["any_of"]), f"top {top} next words: {got}")
