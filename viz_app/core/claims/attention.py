"""Claims about Seq2Seq, attention, self-attention and the Transformer."""

from __future__ import annotations

import numpy as np

from viz_app.core.claims.base import Verdict, finite, kind, language_model, matches


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
    missing = [w for w in claim["words"] if not matches(out, w)]
    return Verdict(bool(missing), f"{claim['model']}: {text!r} -> {' '.join(out)!r}, missing {missing}")


@kind("translation_contains", "model", "words")
def _translation_contains(claim, text, ctx) -> Verdict:
    """The output contains each of ``words`` (an item may be a list of alternatives)."""
    out, _ = _translation(ctx, claim["model"], text)
    missing = [w for w in claim["words"] if not matches(out, w)]
    return Verdict(not missing, f"{claim['model']}: {text!r} -> {' '.join(out)!r}, missing {missing}")


@kind("alignment_rows_sum_to_one", "model")
def _alignment(claim, text, ctx) -> Verdict:
    out, matrix = _translation(ctx, claim["model"], text)
    if matrix is None or not np.size(matrix):
        return Verdict(False, f"{claim['model']} has no alignment for {text!r}")
    sums = np.asarray(matrix).sum(-1)
    return Verdict(finite(matrix) and np.allclose(sums, 1.0, atol=1e-4), f"row sums {np.round(sums, 4).tolist()}")


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

        result = probes.attention(language_model(ctx, model), text)
        att, tokens = np.stack(result.attention), result.tokens
    sums = att.sum(-1)
    unknown = [t for t in tokens if t in ("<unk>", "[UNK]")]
    ok = finite(att) and np.allclose(sums, 1.0, atol=1e-4) and not unknown
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


@kind("attention_picks", "model", "output", "source")
def _attention_picks(claim, text, ctx) -> Verdict:
    """When the decoder writes ``output``, its attention weight is largest on the source word ``source`` (a
    Seq2Seq model with attention): the answer a predict-then-reveal step asks the class to guess."""
    from viz_app.core.lessons import seq2seq as lesson

    trace = lesson.decode_steps(ctx.models, claim["model"], text)
    out = [w.lower() for w in trace.output_tokens]
    if claim["output"] not in out:
        return Verdict(False, f"{claim['model']}: {text!r} -> {' '.join(out)!r} has no {claim['output']!r}")
    row = np.asarray(trace.attention_matrix())[out.index(claim["output"])]
    picked = trace.source_tokens[int(np.argmax(row))]
    return Verdict(picked == claim["source"], f"{claim['output']!r} attends most to {picked!r} ({row.max():.2f})")


@kind("head_attends", "layer", "head", "from", "to")
def _head_attends(claim, text, ctx) -> Verdict:
    """In encoder layer ``layer`` (0-based) head ``head`` (0-based), the word ``from`` attends most to ``to``, and
    no other head of that layer gives ``to`` more weight from ``from``."""
    from viz_app.core.transformer import probes as tprobes

    enc = tprobes.encode(ctx.models, claim.get("model", "transformer"), text)
    tokens = list(enc.tokens)
    if claim["from"] not in tokens or claim["to"] not in tokens:
        return Verdict(False, f"{claim['from']!r} or {claim['to']!r} not among {tokens}")
    i, j = tokens.index(claim["from"]), tokens.index(claim["to"])
    layer = np.asarray(enc.attention[int(claim["layer"])])
    head = layer[int(claim["head"])]
    top = tokens[int(np.argmax(head[i]))]
    best = int(np.argmax(layer[:, i, j]))
    return Verdict(
        top == claim["to"] and best == int(claim["head"]),
        f"head {claim['head']}: {claim['from']!r} attends most to {top!r} ({head[i, j]:.2f}); "
        f"the head giving {claim['to']!r} most weight is {best}",
    )
