"""What is explained, per kind of model: the input tokens, their embeddings, the baseline, the target score as a
function of the embeddings, and the attention to read; then :func:`explain_job` runs a method on it.

- GPT: the next token after the text (default its top prediction), from every token of the window, the start
  token included (the last position attends to it, so it can matter);
- BERT: the word at the text's first [MASK] (or the ``mask_index``-th), default its top guess;
- sentiment (bert-sentiment): the label, read at [CLS] through the pooler and the sentiment head (as
  ``probes.classify`` does), default the predicted one;
- Transformer: the output word at ``position`` of its own greedy translation (``len(output)``: the <end>), given
  the words before it (the decoder input held fixed); the source tokens' embeddings are attributed. Its
  "attention" is the last decoder layer's cross-attention row, its "rollout" that row times the encoder's
  rollout (the decoder's own mixing is left out).
Positions hidden from the others by the attention mask ([PAD]) get exactly 0 from every method.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from viz_app.core.explain.attribution import (
    METHODS,
    Explanation,
    attention_row,
    check_method,
    check_steps,
    grad_x_input,
    integrated_gradients,
    replaced_output,
    rollout_matrix,
    rollout_row,
    wide,
)
from viz_app.core.messages import msg


@dataclass
class Subject:
    kind: str
    tokens: tuple[str, ...]
    embedding: object  # the nn.Embedding whose output is attributed
    x: object  # (T, D) the input's token embeddings
    baseline: object  # (T, D)
    baseline_kind: str  # "pad" or "zeros"
    logits: Callable  # embeddings (B, T, D) -> (B, V) scores of the prediction
    attention: Callable[[str], np.ndarray]  # "attention" / "rollout" -> (T,) the row over the input tokens
    position: int
    word: Callable[[int], str]
    device: str
    context: tuple[str, ...] = ()
    target_id: int | None = None
    model: object = field(default=None, repr=False)

    def log_probs(self):
        import torch

        with torch.no_grad():
            return torch.log_softmax(wide(self.logits(self.x[None])), -1)[0].cpu()

    def score(self, target_id: int) -> Callable:
        import torch

        return lambda e: torch.log_softmax(wide(self.logits(e)), -1)[:, target_id]


@contextmanager
def _eval(net):
    was = net.training
    net.eval()
    try:
        yield
    finally:
        net.train(was)


def _baseline(embedding, pad_id, x):
    import torch

    if pad_id is None:
        return torch.zeros_like(x), "zeros"
    return embedding.weight[pad_id].detach().expand_as(x).clone(), "pad"


def lm_subject(lm, ids: list[int], position: int, sentiment: bool = False, target_id: int | None = None) -> Subject:
    """Our BERT / GPT (``probes.OwnModel``) on ``ids`` as they are (start and end tokens included, [PAD]s
    masked out of attention as the model does), read at ``position`` (sentiment: the label, at [CLS])."""
    import torch

    net = lm.model
    dev = next(net.parameters()).device
    x_ids = torch.tensor([list(ids)], device=dev)
    with torch.no_grad():
        x = net.tokens(x_ids)[0]
    baseline, kind = _baseline(net.tokens, getattr(lm.tok, "pad", None), x)
    where = 0 if sentiment else position

    def logits(e):
        with replaced_output(net.tokens, e):
            hidden = net(x_ids.expand(e.shape[0], -1))
        if sentiment:
            return net.sentiment(net.pooled(hidden))
        return net.token_logits(hidden[:, where])

    def attention(method: str) -> np.ndarray:
        record: dict = {}
        with torch.no_grad():
            net(x_ids, record=record)
        layers = [layer["self"]["weights"][0] for layer in record["layers"]]
        return attention_row(layers, where) if method == "attention" else rollout_row(layers, where)

    if sentiment:
        from viz_app.core.lm.probes import LABELS

        word = LABELS.__getitem__
    else:
        word = lm.token_text
    tokens = tuple(lm.token_text(int(i)) for i in ids)
    return Subject(
        "bert-sentiment" if sentiment else lm.kind, tokens, net.tokens, x, baseline, kind, logits, attention, where,
        word, str(lm.device), target_id=target_id, model=net,
    )  # fmt: skip


def _token_id(lm, text: str) -> int:
    """The vocabulary entry whose text is ``text`` (or that ``text`` encodes to, alone)."""
    ids = lm.encode(text.strip()) if text.strip() else []
    if len(ids) == 1 and ids[0] != lm.unk_id:
        return int(ids[0])
    for i in range(lm.vocab_size):
        if lm.token_text(i) == text:
            return i
    raise ValueError(msg("“{word}” is not a word this model can output", word=text))


def _lm_subject_for_text(ctx, name, text, target, mask_index, label) -> Subject:
    from viz_app.core.lessons.lm import model as loaded
    from viz_app.core.lm import probes

    lm = loaded(ctx, name)
    if not hasattr(getattr(lm, "model", None), "blocks"):
        raise ValueError(msg("explaining a prediction needs one of the bundled models, not {model}", model=name))
    if getattr(lm, "has_sentiment", False):
        p = probes.prepare(lm, text)
        tid = None
        if label is not None:
            if label not in probes.LABELS:
                raise ValueError(msg("the label must be one of: {labels}", labels=", ".join(probes.LABELS)))
            tid = probes.LABELS.index(label)
        return lm_subject(lm, p.ids, 0, sentiment=True, target_id=tid)
    p, position = probes.predicted_position(lm, text, mask_index)
    tid = None if target is None else _token_id(lm, target)
    return lm_subject(lm, p.ids, position, target_id=tid)


def _transformer_subject(ctx, name, text, target, position) -> Subject:
    import torch

    from viz_app.core.seq2seq import data
    from viz_app.core.transformer import probes as tprobes

    translation = tprobes.translate(ctx.models, name, text, device=ctx.device)
    tl = tprobes.on_device(ctx.models.get(name, tprobes.load), ctx.device)
    net = tl.model
    dev = next(net.parameters()).device
    if not translation.typed:
        raise ValueError(msg("type a sentence with at least one word"))
    out = [tl.target.index[w] for w in translation.output_tokens]
    position = int(position or 0)
    if not 0 <= position <= len(out):
        raise ValueError(
            msg("the position must be between 0 and {last} (the translation has {n} words, then its end)",
                last=len(out), n=len(out))
        )  # fmt: skip
    tgt = [tl.target.start, *out[:position]]
    src = torch.tensor([tl.source.encode(list(translation.typed))], device=dev)
    tgt_in = torch.tensor([tgt], device=dev)
    with torch.no_grad():
        x = net.src_embed(src)[0]
    baseline, kind = _baseline(net.src_embed, tl.source.pad, x)

    def logits(e):
        with replaced_output(net.src_embed, e):
            memory, mask = net.encode(src.expand(e.shape[0], -1))
        return net.decode(tgt_in.expand(e.shape[0], -1), memory, mask, last_only=True)[:, -1]

    def attention(method: str) -> np.ndarray:
        enc, dec = {}, {}
        with torch.no_grad():
            memory, mask = net.encode(src, enc)
            net.decode(tgt_in, memory, mask, dec)
        cross = attention_row([dec["layers"][-1]["cross"]["weights"][0]], len(tgt) - 1)
        if method == "attention":
            return cross
        return cross @ rollout_matrix([layer["self"]["weights"][0] for layer in enc["layers"]])

    tid = out[position] if position < len(out) else None
    if target is not None:
        if target not in tl.target.index or target in (data.PAD, data.START):
            raise ValueError(msg("“{word}” is not a word this model can output", word=target))
        tid = tl.target.index[target]
    return Subject(
        "transformer", tuple(translation.source_tokens), net.src_embed, x, baseline, kind, logits, attention,
        position, lambda i: tl.target.words[i], str(tl.device), tuple(tl.target.words[w] for w in tgt), tid, net,
    )  # fmt: skip


def build_subject(ctx, name: str, text: str, target=None, mask_index=None, label=None, position=0) -> Subject:
    registry = ctx.models.registry
    kind = registry.card(name).kind if name in registry.cards() else "folder"
    if kind == "transformer":
        return _transformer_subject(ctx, name, text, target, position)
    return _lm_subject_for_text(ctx, name, text, target, mask_index, label)


def explain(subject: Subject, method: str, steps: int | None = None, name: str = "") -> Explanation:
    """``method`` on ``subject``: its target is ``subject.target_id`` or, when None, the top prediction."""
    check_method(method)
    check_steps(steps)
    t0 = time.perf_counter()
    with _eval(subject.model):
        logp = subject.log_probs()
        tid = int(logp.argmax()) if subject.target_id is None else int(subject.target_id)
        f_x, f_base, err, used, baseline = float(logp[tid]), None, None, None, None
        if method == "grad-x-input":
            attr, f_x = grad_x_input(subject.score(tid), subject.x)
        elif method == "integrated-gradients":
            attr, f_x, f_base, used, err = integrated_gradients(subject.score(tid), subject.x, subject.baseline, steps)
            baseline = subject.baseline_kind
        else:
            attr = subject.attention(method)
    return Explanation(
        name, subject.kind, method, subject.tokens, np.asarray(attr, np.float64), subject.word(tid), f_x, f_base,
        err, used, subject.device, subject.position, baseline, subject.context, time.perf_counter() - t0,
    )  # fmt: skip


def explain_job(
    ctx,
    name: str,
    text: str,
    method: str,
    target: str | None = None,
    mask_index: int | None = None,
    label: str | None = None,
    position: int = 0,
    steps: int | None = None,
) -> Explanation:
    """Why model ``name`` predicts what it does on ``text``, by ``method`` (one of ``METHODS``), on ctx.device.
    ``target``: the token (GPT, BERT) or output word (Transformer) to explain, by its text (default the top
    prediction); ``mask_index``: which [MASK] (BERT); ``label``: "negative" / "positive" (sentiment);
    ``position``: the Transformer's output word; ``steps``: integrated gradients' path points (default: 32, doubled
    up to 512 until the attributions add up to f(input) - f(baseline) within 1%)."""
    check_method(method)
    check_steps(steps)
    if not text or not text.strip():
        raise ValueError(msg("type a sentence with at least one word"))
    subject = build_subject(ctx, name, text, target, mask_index, label, position)
    return explain(subject, method, steps, name)


@dataclass(frozen=True)
class Explanations:
    """One prediction explained by every method (the lesson tab's result)."""

    by_method: tuple[Explanation, ...]  # in the order of METHODS
    top: tuple[tuple[str, float], ...]  # the model's likeliest answers here (the targets one may pick)

    def to_json(self) -> dict:
        return {"explanations": [e.to_json() for e in self.by_method], "top": [list(t) for t in self.top]}

    def csv_rows(self) -> list[list]:
        """One row per method and input token (the tabs' CSV export)."""
        rows = [["method", "target", "token_index", "token", "attribution"]]
        for e in self.by_method:
            rows += [
                [e.method, e.target, i, t, f"{float(a):.6g}"]
                for i, (t, a) in enumerate(zip(e.tokens, e.attributions, strict=True))
            ]
        return rows


def explain_all_job(
    ctx, name: str, text: str, target=None, mask_index=None, label=None, position: int = 0
) -> Explanations:
    """``explain_job`` by each of the four methods, on one subject (the model is read once per method)."""
    import torch

    if not text or not text.strip():
        raise ValueError(msg("type a sentence with at least one word"))
    subject = build_subject(ctx, name, text, target, mask_index, label, position)
    out = tuple(explain(subject, method, None, name) for method in METHODS)
    values = subject.log_probs().double()
    best = torch.topk(values, min(5, values.numel()))
    top = tuple((subject.word(int(i)), float(np.exp(float(v)))) for v, i in zip(best.values, best.indices, strict=True))
    return Explanations(out, top)
