"""What the BERT and GPT lessons and commands ask of a language model, computed from the model itself.

A loaded model (:class:`LanguageModel`) is either one of ours (``OwnModel``: the bundled tiny BERT and
GPT) or a local Hugging Face checkpoint (``viz_app.core.lm.hf``); both answer the same questions:
- ``fill_mask``: for each [MASK] in the text, the top predictions with probabilities;
- ``next_token`` / ``generate``: the next-token distribution after the text, reshaped by temperature,
  top-k and top-p (what sampling can still pick), and text generated one token at a time with a seed;
- ``attention``: every layer's and head's attention weights;
- ``logit_lens``: the GPT's best guess after each layer, for every position;
- ``contextual_vectors``: a word's hidden state at a chosen layer in several sentences;
- ``classify``: the fine-tuned sentiment head's label and probabilities;
- ``score``: the log-probability of each token of a text (unrounded).
Inputs longer than the model's context are cut, and every result says how many tokens were cut
(``cut_tokens``), except ``score``, which reads a long text in overlapping windows and cuts nothing.
Probabilities are never rounded in the JSON: a small probability stays small, not 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from viz_app.core.lm.base import MASK_PATTERN, Forward, LanguageModel  # noqa: F401 - part of this module's API
from viz_app.core.lm.own import OwnModel, load  # noqa: F401 - part of this module's API
from viz_app.core.messages import msg

LABELS = ("negative", "positive")


# --- helpers ----------------------------------------------------------------------------------------


def softmax(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.float64)
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@dataclass
class Prepared:
    ids: list[int]  # with the model's start / end tokens
    tokens: list[str]  # plain text of each
    cut: int  # tokens of the text left out because the context is full
    text_start: int  # index in ids of the text's first token


def prepare(lm: LanguageModel, text: str, keep: str = "start") -> Prepared:
    """The model's input for ``text``: start tokens, the text's tokens (cut to the context), end tokens.
    ``keep="end"`` keeps the last tokens (what the next word depends on), "start" the first."""
    body = lm.encode(text)
    room = lm.max_len - len(lm.start_ids) - len(lm.end_ids)
    cut = max(0, len(body) - room)
    if cut:
        body = body[cut:] if keep == "end" else body[:room]
    ids = lm.start_ids + body + lm.end_ids
    return Prepared(ids, [lm.token_text(i) for i in ids], cut, len(lm.start_ids))


def predicted_position(lm: LanguageModel, text: str, mask_index: int | None = None) -> tuple[Prepared, int]:
    """The model's input for ``text`` and the position whose prediction is read: a GPT's last (the next
    token), a BERT's ``mask_index``-th [MASK] (the first by default)."""
    p = prepare(lm, text, keep="end" if lm.kind == "gpt" else "start")
    if lm.kind == "gpt":
        return p, len(p.ids) - 1
    masks = [i for i, t in enumerate(p.ids) if t == lm.mask_id]
    if not masks:
        raise ValueError(msg("put a [MASK] in the text: the BERT's guess for it is what is read"))
    k = 0 if mask_index is None else int(mask_index)
    if not 0 <= k < len(masks):
        raise ValueError(
            msg("the text has {n} [MASK]: the mask index must be between 0 and {last}", n=len(masks),
                last=len(masks) - 1)
        )  # fmt: skip
    return p, masks[k]


# --- fill-mask --------------------------------------------------------------------------------------


@dataclass
class MaskPredictions:
    position: int  # index in tokens
    predictions: list[tuple[str, float]]
    ids: list[int]


@dataclass
class FillMask:
    tokens: list[str]
    masks: list[MaskPredictions]
    cut: int

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "masks": [{"position": m.position, "predictions": [[t, p] for t, p in m.predictions]} for m in self.masks],
            "cut_tokens": self.cut,
        }


def fill_mask(lm: LanguageModel, text: str, top_k: int = 10) -> FillMask:
    """Every [MASK] (also written [mask] or <mask>) in the text, predicted at once from both sides."""
    if lm.kind != "bert" or lm.mask_id is None:
        raise ValueError(msg("{model} predicts the next word, not masked words: use a BERT model", model=lm.name))
    p = prepare(lm, text)
    masks = [i for i, t in enumerate(p.ids) if t == lm.mask_id]
    if not masks:
        return FillMask(p.tokens, [], p.cut)
    logits = lm.logits_at(p.ids, masks)
    found = []
    for row, i in enumerate(masks):
        probs = softmax(logits[row])
        best = np.argsort(-probs)[:top_k]
        found.append(MaskPredictions(i, [(lm.token_text(int(b)), float(probs[b])) for b in best], best.tolist()))
    return FillMask(p.tokens, found, p.cut)


def replace_mask(text: str, index: int, word: str) -> str:
    """The text with its ``index``-th [MASK] replaced by ``word`` (clicking a prediction)."""
    matches = list(MASK_PATTERN.finditer(text))
    if not 0 <= index < len(matches):
        return text
    m = matches[index]
    glue = word.startswith("##")
    word = word[2:] if glue else word
    return text[: m.start()].rstrip() + word + text[m.end() :] if glue else text[: m.start()] + word + text[m.end() :]


# --- next token and generation ----------------------------------------------------------------------


@dataclass
class Sampling:
    temperature: float = 1.0
    top_k: int = 0  # 0: no limit
    top_p: float = 1.0

    def check(self) -> None:
        if not (0.05 <= self.temperature <= 5.0):
            raise ValueError(msg("temperature must be between 0.05 and 5"))
        if self.top_k < 0:
            raise ValueError(msg("top-k must be 0 (no limit) or positive"))
        if not (0.0 < self.top_p <= 1.0):
            raise ValueError(msg("top-p must be in (0, 1]"))


def sampling_distribution(logits: np.ndarray, s: Sampling) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(probabilities after temperature, allowed mask, the renormalised probabilities that sampling
    draws from): top-k keeps the k most likely tokens, top-p the fewest whose
    probabilities add up to at least p; the rest can no longer be picked."""
    s.check()
    tempered = softmax(logits / s.temperature)
    allowed = np.ones_like(tempered, dtype=bool)
    order = np.argsort(-tempered, kind="stable")
    if s.top_k:
        allowed[order[s.top_k :]] = False
    if s.top_p < 1.0:
        cumulative = np.cumsum(tempered[order])
        keep = int(np.searchsorted(cumulative, s.top_p) + 1)  # the fewest tokens reaching p
        allowed[order[keep:]] = False
    final = np.where(allowed, tempered, 0.0)
    final /= final.sum()
    return tempered, allowed, final


@dataclass
class NextToken:
    tokens: list[str]  # the context as the model reads it
    cut: int
    top: list[tuple[str, float, float, bool]]  # (token, model probability, sampling probability, can be picked)
    candidates: int  # how many tokens sampling can pick
    ids: list[int] = field(default_factory=list)  # the top tokens' ids

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "cut_tokens": self.cut,
            "top": [{"token": t, "prob": p, "sampling_prob": q, "allowed": a} for t, p, q, a in self.top],
            "candidates": self.candidates,
        }


def _next_logits(lm: LanguageModel, text: str) -> tuple[Prepared, np.ndarray, Forward]:
    if lm.kind != "gpt":
        raise ValueError(msg("{model} fills in masked words; use a GPT model for the next word", model=lm.name))
    p = prepare(lm, text, keep="end")
    out = lm.forward(p.ids)
    return p, out.logits[-1], out


def next_token(lm: LanguageModel, text: str, sampling: Sampling | None = None, top: int = 20) -> NextToken:
    s = sampling or Sampling()
    p, logits, _ = _next_logits(lm, text)
    tempered, allowed, final = sampling_distribution(logits, s)
    model_probs = softmax(logits)
    best = np.argsort(-tempered, kind="stable")[:top]
    rows = [(lm.token_text(int(b)), float(model_probs[b]), float(final[b]), bool(allowed[b])) for b in best]
    return NextToken(p.tokens, p.cut, rows, int(allowed.sum()), best.tolist())


@dataclass
class GeneratedToken:
    token_id: int
    text: str  # plain
    prob: float  # its probability under the sampling distribution it was drawn from
    model_prob: float  # and under the model's own distribution (temperature 1)


def generate(
    lm: LanguageModel,
    prompt: str,
    max_new_tokens: int,
    sampling: Sampling | None,
    seed: int,
    kv_cache: bool = True,
    stop_at_end: bool = True,
    logits_fn=None,
):
    """Generator of GeneratedToken, one per step; stops early at the end-of-text token (unless not
    ``stop_at_end``). The same prompt, settings and seed give the same tokens. ``kv_cache`` (our GPTs): each
    step runs only the new token against the keys and values kept from the steps before
    (``viz_app.core.lm.kv_cache``); off, every step recomputes the whole window. Both give the same tokens
    and the same probabilities up to float rounding (about 1e-6). A Hugging Face model always recomputes.
    ``logits_fn(window ids) -> (V,) scores`` replaces the model's own (the KV-cache lesson's recording)."""
    from viz_app.core.lm import kv_cache as kv

    s = sampling or Sampling()
    s.check()
    if lm.kind != "gpt":
        raise ValueError(msg("{model} fills in masked words; use a GPT model to generate", model=lm.name))
    if logits_fn is None:
        logits_fn = kv.next_logits_fn(lm, kv_cache)
    rng = np.random.default_rng(seed)
    p = prepare(lm, prompt, keep="end")
    start, body = list(lm.start_ids), list(p.ids[len(lm.start_ids) :])
    room = lm.max_len - len(start)
    for _ in range(max_new_tokens):
        # The window keeps the model's start token and the latest tokens (as the next-word lesson does),
        # so it never begins inside the text with nothing valid to attend to.
        logits = logits_fn(start + body[-room:])
        _, _, final = sampling_distribution(logits, s)
        choice = int(rng.choice(len(final), p=final))
        yield GeneratedToken(choice, lm.token_text(choice), float(final[choice]), float(softmax(logits)[choice]))
        if stop_at_end and choice in lm.end_of_text_ids():
            return
        body.append(choice)


def join_generated(lm: LanguageModel, prompt: str, steps: list[GeneratedToken]) -> str:
    return prompt.rstrip() + _continuation(lm, [s.token_id for s in steps])


def _continuation(lm: LanguageModel, ids: list[int]) -> str:
    ids = [i for i in ids if i not in lm.end_of_text_ids()]
    if not ids:
        return ""
    text = lm.decode(ids)
    if getattr(getattr(lm, "tok", None), "kind", "") == "char":  # Chinese: characters are written without spaces
        return text
    first = lm.token_text(ids[0])
    glue = lm.joins_previous(ids[0]) or first in {".", ",", "!", "?", ";", ":", "'", ")"}
    return text if glue else " " + text


# --- attention, logit lens, vectors ------------------------------------------------------------------


@dataclass
class AttentionResult:
    tokens: list[str]
    attention: list[np.ndarray]  # per layer (H, T, T)
    cut: int

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "attention": [a.astype(np.float64).tolist() for a in self.attention],
            "cut_tokens": self.cut,
        }


def attention(lm: LanguageModel, text: str) -> AttentionResult:
    p = prepare(lm, text, keep="start")
    return AttentionResult(p.tokens, lm.forward(p.ids).attention, p.cut)


@dataclass
class LogitLens:
    tokens: list[str]
    guesses: list[list[tuple[str, float]]]  # [layer][position] -> (best next token, probability); layer 0 = embeddings
    cut: int


def logit_lens(lm: LanguageModel, text: str) -> LogitLens:
    """The GPT's next-token guess after each layer for every position: the output head read off every
    layer's hidden states (the last layer's row is the model's real prediction)."""
    if lm.kind != "gpt":
        raise ValueError(msg("the logit lens reads a next-word model: use a GPT"))
    p = prepare(lm, text, keep="end")
    out = lm.forward(p.ids)
    rows = []
    for k, h in enumerate(out.hidden):
        probs = softmax(lm.layer_logits(h, last=k == len(out.hidden) - 1))
        best = probs.argmax(-1)
        rows.append([(lm.token_text(int(b)), float(probs[i, b])) for i, b in enumerate(best)])
    return LogitLens(p.tokens, rows, p.cut)


def word_positions(lm: LanguageModel, ids: list[int], word: str) -> list[list[int]]:
    """Where ``word`` occurs in ``ids``: the token indices of each occurrence (a word may be several pieces)."""
    target = lm.encode(word)
    if not target or lm.unk_id in target:
        return []
    n = len(target)
    return [list(range(i, i + n)) for i in range(len(ids) - n + 1) if ids[i : i + n] == target]


def contextual_vectors(lm: LanguageModel, sentences: list[str], word: str, layer: int) -> tuple[np.ndarray, list[str]]:
    """The hidden state of ``word`` (the mean over its pieces) at ``layer`` (0 = embeddings) in each
    sentence that contains it; returns (vectors (N, D), the sentences they came from)."""
    if not 0 <= layer <= lm.layers:
        raise ValueError(f"layer must be between 0 and {lm.layers}")
    vectors, used = [], []
    for sentence in sentences:
        p = prepare(lm, sentence)
        places = word_positions(lm, p.ids, word)
        if not places:
            continue
        hidden = lm.forward(p.ids).hidden[layer]
        for where in places:
            vectors.append(hidden[where].mean(0))
            used.append(sentence)
    return (np.stack(vectors) if vectors else np.zeros((0, 0))), used


def classify(lm: LanguageModel, text: str) -> dict:
    if not lm.has_sentiment:
        raise ValueError(msg("{model} has no sentiment head: use bert-sentiment", model=lm.name))
    p = prepare(lm, text)
    probs = lm.sentiment(p.ids)
    return {
        "label": LABELS[int(np.argmax(probs))],
        "probs": {label: float(v) for label, v in zip(LABELS, probs, strict=True)},  # unrounded: never 0 by rounding
        "cut_tokens": p.cut,
        "unknown_tokens": sum(1 for i in p.ids if lm.unk_id is not None and i == lm.unk_id),
    }


def window_log_probs(lm: LanguageModel, ids: list[int], stride: int | None = None) -> tuple[np.ndarray, int]:
    """log P(ids[t] | ids[:t]) for t = 1 .. len(ids) - 1, unrounded. A sequence longer than the model's
    context is read in overlapping windows: each window scores only the tokens the one before it did not,
    each with at least ``max_len - stride`` tokens of context (half a window by default), so every token
    is scored exactly once and none is cut. Returns (the log-probabilities, how many windows were read)."""
    window = lm.max_len
    stride = stride or max(1, window // 2)
    out = np.empty(max(0, len(ids) - 1), dtype=np.float64)
    scored, start, windows = 1, 0, 0  # ids[0] is context only
    while scored < len(ids):
        windows += 1
        end = min(len(ids), start + window + 1)
        chunk = ids[start:end]
        logits = lm.forward(chunk[:-1]).logits.astype(np.float64)
        logits -= logits.max(-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        targets = np.asarray(chunk[1:])
        picked = logp[np.arange(len(targets)), targets]
        first = scored - start - 1  # the predictions before it were scored by an earlier window
        out[scored - 1 : end - 1] = picked[first:]
        scored = end
        start = max(start + 1, end - 1 - (window - stride))
    return out, windows


def score(lm: LanguageModel, text: str) -> dict:
    """Each token's log-probability given those before it (GPT), unrounded, and the perplexity per token.
    A text longer than the context is scored in overlapping windows (:func:`window_log_probs`), never cut."""
    if lm.kind != "gpt":
        raise ValueError(msg("scoring a text needs a next-word model: use a GPT"))
    ids = lm.start_ids + lm.encode(text) + lm.end_of_text_ids()[:1]
    logp, windows = window_log_probs(lm, ids)
    nll = -float(logp.sum())
    n = len(logp)
    return {
        "tokens": [lm.token_text(t) for t in ids[1:]],
        "log_probs": [float(v) for v in logp],
        "probs": [float(math.exp(v)) for v in logp],
        "nll_nats": nll,
        "perplexity_per_token": math.exp(nll / n) if n else None,
        "windows": windows,
        "cut_tokens": 0,
    }


def encoder_numbers(lm: OwnModel, text: str, layer: int, head: int):
    """The self-attention lesson's numbers from our BERT (for English text): every layer's attention as
    ``transformer.probes.Encoded`` and one head's X, W^Q/W^K/W^V slices, q, k, v, scores, weights, Z,
    the heads' concatenation, W^O and the block's attention output as ``transformer.probes.HeadNumbers``."""
    import torch

    from viz_app.core.transformer.probes import Encoded, HeadNumbers

    p = prepare(lm, text)
    layer = max(0, min(layer, lm.layers - 1))
    head = max(0, min(head, lm.heads - 1))
    record: dict = {}
    with torch.no_grad():
        lm.model(torch.tensor([p.ids], device=lm.device), record=record)

    def arr(t):
        return t.detach().float().cpu().numpy()

    attention = np.stack([arr(r["self"]["weights"][0]) for r in record["layers"]])
    tokens = tuple(p.tokens)
    encoded = Encoded(tokens, tokens, p.cut, attention, record)
    rec = record["layers"][layer]["self"]
    x = record["embedding"][0] if layer == 0 else record["layers"][layer - 1]["output"][0]
    attn = lm.model.blocks[layer].self_attn
    cols = slice(head * attn.d_k, (head + 1) * attn.d_k)
    raw = arr(rec["raw_scores"][0, head])
    numbers = HeadNumbers(
        tokens, layer, head, arr(x),
        arr(attn.w_q.weight[cols].T), arr(attn.w_k.weight[cols].T), arr(attn.w_v.weight[cols].T),
        arr(rec["q"][0, head]), arr(rec["k"][0, head]), arr(rec["v"][0, head]),
        raw, raw / np.sqrt(attn.d_k), arr(rec["weights"][0, head]), arr(rec["z"][0, head]),
        arr(rec["concat"][0]), arr(attn.w_o.weight.T), arr(rec["out"][0]),
    )  # fmt: skip
    return encoded, numbers
