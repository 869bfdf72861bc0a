"""Claims about the generative-vs-discriminative page, BERT and GPT (and the Tang poems' models)."""

from __future__ import annotations

import numpy as np

from viz_app.core.claims.base import Verdict, kind, language_model, matches


@kind("sentiment", "label")
def _sentiment(claim, text, ctx) -> Verdict:
    from viz_app.core.lessons import generative as gen_lesson

    result = gen_lesson.classify_job(ctx, claim.get("model", gen_lesson.FEATURED), text)  # the page's classifier
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

    lm = language_model(ctx, claim.get("model", lesson.GPT))
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
    from viz_app.core.lessons import generative as gen_lesson

    r = gen_lesson.author_job(ctx, text)
    return Verdict(r.verdict == claim["poet"], f"{r.model}: {text!r} shown as {r.verdict} ({r.probs})")


@kind("poem_keeps_form", "model", "form")
def _poem_keeps_form(claim, text, ctx) -> Verdict:
    """gpt-tang writes a poem in ``form`` after the text (as the GPT lesson's Generate with a form chosen): the
    line lengths and marks of the form, and with ``acrostic`` each line opening with its character; every seed
    in ``seeds`` (default 0..2) at the lesson's default sampling (temperature 1, no top-k)."""
    from viz_app.core.lm import poem, probes

    lm = language_model(ctx, claim["model"])
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

    result = probes.attention(language_model(ctx, claim["model"]), text)
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
    result = probes.fill_mask(language_model(ctx, claim.get("model", lesson.BERT)), text, top)
    got = [[w.strip().lower() for w, _ in m.predictions[:top]] for m in result.masks]
    ok = len(got) == len(claim["masks"]) and all(matches(g, want) for g, want in zip(got, claim["masks"], strict=True))
    return Verdict(ok, f"top {top} per mask: {got}")


@kind("next_token_top", "any_of")
def _next_token(claim, text, ctx) -> Verdict:
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    top = int(claim.get("top", 5))
    result = probes.next_token(language_model(ctx, claim.get("model", lesson.GPT)), text, None, top)
    got = [t.strip().lower() for t, *_ in result.top[:top]]
    return Verdict(matches(got, claim["any_of"]), f"top {top} next tokens: {got}")


@kind("logit_lens_final")
def _logit_lens(claim, text, ctx) -> Verdict:
    """The lens's last layer is the model's own prediction, and the first layers guess differently."""
    from viz_app.core.lessons import lm as lesson
    from viz_app.core.lm import probes

    lm = language_model(ctx, claim.get("model", lesson.GPT))
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

    g = probes.attention(language_model(ctx, claim.get("gpt", lesson.GPT)), text)
    b = probes.attention(language_model(ctx, claim.get("bert", lesson.BERT)), text)
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
