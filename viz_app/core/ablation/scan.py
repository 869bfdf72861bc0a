"""Which heads matter: one prediction with chosen heads switched off, and every head switched off in turn.

The prediction read is the GPT's next token after the text, the BERT's guess for the text's first [MASK], or
the Transformer's output word at a position of its own (greedy) translation, given the words before it. Its
log-probability with a head off minus without is that head's effect (activation patching for beginners:
the patch is zero or the head's mean over a reference text, see ``viz_app.core.ablation``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from viz_app.core.ablation import ablate, attention_modules, check_mode, head_means
from viz_app.core.jobs import Progress
from viz_app.core.messages import msg

# Reference texts for the "mean" mode, by language: every head's z averaged over their positions.
REFERENCES = {
    "en": (
        "once upon a time there was a little girl named lily. she loved to play outside in the park.",
        "one day her dog found a big red ball under a tree, and they played with it until the sun went down.",
    ),
    "zh": ("白日依山盡，黃河入海流。欲窮千里目，更上一層樓。", "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。"),
    "fr": ("je suis étudiant .", "il fait beau aujourd'hui .", "nous allons à la maison .", "elle est très contente ."),
    "couplet": ("白日依山盡，", "床前明月光，", "春眠不覺曉，", "舉頭望明月，"),
}


@dataclass
class Probe:
    """One prediction to read, again and again with other heads off."""

    kind: str  # "gpt", "bert", "transformer"
    model: object  # the torch module whose heads are switched off
    run: Callable[[], object]  # -> (V,) log-probabilities of the prediction
    context: tuple[str, ...]  # the tokens read (the decoder's input for the Transformer)
    position: int  # where in ``context`` the prediction is made
    word: Callable[[int], str]  # a token id's text
    reference: Callable[[tuple[str, ...]], None]  # runs the model on reference texts (for the means)
    device: str
    language: str  # which of REFERENCES fits


def _lm_probe(ctx, name: str, text: str) -> Probe:
    import torch

    from viz_app.core.lessons.lm import model as loaded
    from viz_app.core.lm import probes

    lm = loaded(ctx, name)
    net = getattr(lm, "model", None)
    if not hasattr(net, "blocks"):
        raise ValueError(msg("switching heads off needs one of the bundled models, not {model}", model=name))
    p, position = probes.predicted_position(lm, text)
    x = torch.tensor([p.ids], device=lm.device)

    def run():
        with torch.no_grad():
            hidden = net(x)[:, position]
            return torch.log_softmax(net.token_logits(hidden)[0].double(), -1).cpu()

    def reference(lines):
        with torch.no_grad():
            for line in lines:
                net(torch.tensor([probes.prepare(lm, line).ids], device=lm.device))

    char = getattr(getattr(lm, "tok", None), "kind", "") == "char"
    return Probe(
        lm.kind, net, run, tuple(p.tokens), position, lm.token_text, reference, lm.device, "zh" if char else "en"
    )


def _transformer_probe(ctx, name: str, text: str, position: int) -> Probe:
    import torch

    from viz_app.core.seq2seq import data
    from viz_app.core.transformer import probes as tprobes
    from viz_app.core.transformer.decode import greedy

    translation = tprobes.translate(ctx.models, name, text, device=ctx.device)
    tl = tprobes.on_device(ctx.models.get(name, tprobes.load), ctx.device)
    dev = next(tl.model.parameters()).device
    if not translation.typed:
        raise ValueError(msg("type a sentence for the model to read"))
    out = [tl.target.index[w] for w in translation.output_tokens]
    position = max(0, min(position, len(out)))  # len(out): the prediction of <end>
    tgt = [tl.target.start, *out[:position]]
    src = torch.tensor([tl.source.encode(list(translation.typed))], device=dev)
    tgt_in = torch.tensor([tgt], device=dev)

    def run():
        with torch.no_grad():
            memory, mask = tl.model.encode(src)
            logits = tl.model.decode(tgt_in, memory, mask, last_only=True)[0, -1]
            return torch.log_softmax(logits.double(), -1).cpu()

    def reference(lines):
        with torch.no_grad():
            for line in lines:
                ids = tl.source.encode(data.source_tokens(line, tl.task)[: tprobes.MAX_SOURCE_TOKENS])
                greedy(tl.model, ids, tl.target, 2 * len(ids) + 2)

    words = tuple(tl.target.words[w] for w in tgt)
    language = "couplet" if tl.task == "couplet" else "fr"
    return Probe(
        "transformer", tl.model, run, words, position, lambda i: tl.target.words[i], reference, tl.device, language
    )


def build_probe(ctx, name: str, text: str, position: int = 0) -> Probe:
    """The prediction that model ``name`` makes on ``text`` (``position``: the Transformer's output word)."""
    kind = ctx.models.registry.card(name).kind if name in ctx.models.registry.cards() else "folder"
    if kind == "transformer":
        return _transformer_probe(ctx, name, text, position)
    return _lm_probe(ctx, name, text)


def _means(probe: Probe, reference: tuple[str, ...] | None):
    """Each head's mean z over the reference texts, computed once per model, texts and device."""
    lines = tuple(reference or REFERENCES[probe.language])
    store = probe.model.__dict__.setdefault("_head_means", {})
    key = (lines, probe.device)
    if key not in store:
        store[key] = head_means(probe.model, lambda: probe.reference(lines))
    return store[key]


def _top(logp, word, k: int = 5) -> tuple[tuple[str, float], ...]:
    values, index = logp.topk(k)
    return tuple((word(int(i)), float(np.exp(float(v)))) for v, i in zip(values, index, strict=True))


@dataclass(frozen=True)
class AblatedPrediction:
    model: str
    kind: str
    mode: str
    heads_off: tuple[tuple[int, int], ...]  # (row, head)
    rows: tuple[str, ...]  # the rows' labels (layers; encoder / decoder / cross for the Transformer)
    heads: int
    context: tuple[str, ...]
    position: int
    target: str  # the token whose probability is followed
    target_id: int
    base_logprob: float  # with every head on
    logprob: float  # with ``heads_off`` off
    base_top: tuple[tuple[str, float], ...]
    top: tuple[tuple[str, float], ...]
    device: str

    @property
    def delta_logprob(self) -> float:
        return self.logprob - self.base_logprob

    def to_json(self) -> dict:
        return {
            "model": self.model, "kind": self.kind, "mode": self.mode,
            "heads_off": [list(h) for h in self.heads_off], "rows": list(self.rows), "heads": self.heads,
            "context": list(self.context), "position": self.position, "target": self.target,
            "base_prob": float(np.exp(self.base_logprob)), "prob": float(np.exp(self.logprob)),
            "base_logprob": self.base_logprob, "logprob": self.logprob, "delta_logprob": self.delta_logprob,
            "base_top": [list(t) for t in self.base_top], "top": [list(t) for t in self.top], "device": self.device,
        }  # fmt: skip


def ablated_prediction_job(
    ctx,
    name: str,
    text: str,
    heads_off: tuple = (),
    mode: str = "zero",
    target_id: int | None = None,
    position: int = 0,
    reference: tuple[str, ...] | None = None,
) -> AblatedPrediction:
    """The prediction with ``heads_off`` switched off, beside the one with every head on. ``target_id``: the
    token to follow (default: the best guess with every head on)."""
    check_mode(mode)
    probe = build_probe(ctx, name, text, position)
    base = probe.run()
    tid = int(base.argmax()) if target_id is None else int(target_id)
    heads_off = tuple(sorted({(int(r), int(h)) for r, h in heads_off}))
    means = _means(probe, reference) if mode == "mean" and heads_off else None
    with ablate(probe.model, heads_off, mode, means):
        logp = probe.run()
    rows = attention_modules(probe.model)
    return AblatedPrediction(
        name, probe.kind, mode, heads_off, tuple(r for r, _ in rows), rows[0][1].heads, probe.context,
        probe.position, probe.word(tid), tid, float(base[tid]), float(logp[tid]), _top(base, probe.word),
        _top(logp, probe.word), probe.device,
    )  # fmt: skip


@dataclass(frozen=True)
class HeadScan:
    model: str
    kind: str
    mode: str
    rows: tuple[str, ...]
    heads: int
    context: tuple[str, ...]
    position: int
    target: str
    target_id: int
    base_logprob: float
    delta: np.ndarray  # (rows, heads): log P(target) with that one head off, minus with every head on
    seconds: float  # the scan's time (every head's pass)
    device: str

    def to_json(self) -> dict:
        return {
            "model": self.model, "kind": self.kind, "mode": self.mode, "rows": list(self.rows),
            "heads": self.heads, "context": list(self.context), "position": self.position, "target": self.target,
            "base_logprob": self.base_logprob, "base_prob": float(np.exp(self.base_logprob)),
            "delta_logprob": self.delta.astype(np.float64).tolist(), "seconds": self.seconds, "device": self.device,
        }  # fmt: skip


def head_scan_job(
    ctx,
    name: str,
    text: str,
    mode: str = "zero",
    target_id: int | None = None,
    position: int = 0,
    reference: tuple[str, ...] | None = None,
):
    """Generator job: each head switched off alone, in turn; yields Progress (data: the (rows, heads) deltas
    so far, NaN where not yet measured) after each, returns a :class:`HeadScan`."""
    check_mode(mode)
    probe = build_probe(ctx, name, text, position)
    t0 = time.perf_counter()
    base = probe.run()
    tid = int(base.argmax()) if target_id is None else int(target_id)
    means = _means(probe, reference) if mode == "mean" else None
    rows = attention_modules(probe.model)
    heads = rows[0][1].heads
    delta = np.full((len(rows), heads), np.nan)
    total = len(rows) * heads
    for r, (label, _) in enumerate(rows):
        for h in range(heads):
            with ablate(probe.model, [(r, h)], mode, means):
                delta[r, h] = float(probe.run()[tid]) - float(base[tid])
            done = r * heads + h + 1
            yield Progress(done / total, msg("head {head} of {row} ({done} of {total})", head=h + 1, row=label,
                                             done=done, total=total), delta.copy())  # fmt: skip
    return HeadScan(
        name, probe.kind, mode, tuple(r for r, _ in rows), heads, probe.context, probe.position, probe.word(tid),
        tid, float(base[tid]), delta, time.perf_counter() - t0, probe.device,
    )  # fmt: skip
