"""Reading the Transformer: attention per layer and head, q/k/v for one head, translation step by step.

A bundled model of kind "transformer" has three files (weights, source vocabulary, target vocabulary)
and its shape in the card's "model_config"; its card's "task" is "translate" (French -> English, words) or
"couplet" (a couplet's first line -> its second, one token per character). Every number returned is one the model computed in its
forward pass (recorded by ``model.MultiHeadAttention``), converted to numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from viz_app.core.devices import move_loaded
from viz_app.core.seq2seq import data

MAX_SOURCE_TOKENS = 512  # the longest positional encoding the bundled model has (its max_len)


@dataclass
class LoadedTransformer:
    model: object
    source: data.Vocab
    target: data.Vocab
    task: str = "translate"  # or "couplet"
    device: str = "cpu"  # where the model is now (``on_device``)
    # The last greedy output (word ids), the guess that ``translate`` checks first: a keystroke seldom changes
    # the whole translation.
    last_output: list = field(default_factory=list)


def _words(path) -> list[str]:
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w]


def load(registry, name: str) -> LoadedTransformer:
    from safetensors.torch import load_file

    from viz_app.core.quantize import dequantize
    from viz_app.core.transformer.model import Transformer, TransformerConfig

    card = registry.card(name)
    if card.kind != "transformer":
        raise ValueError(f"model {name!r} is a {card.kind}, not a Transformer")
    source = data.Vocab(_words(registry.verified_path(name, 1)))
    target = data.Vocab(_words(registry.verified_path(name, 2)))
    cfg = dict(card.extra["model_config"], source_vocab=len(source), target_vocab=len(target))
    model = Transformer(TransformerConfig(**cfg))
    model.load_state_dict(dequantize(load_file(str(registry.verified_path(name, 0)))))
    model.eval()
    return LoadedTransformer(model, source, target, card.extra.get("task", "translate"))


def on_device(lm: LoadedTransformer, device: str | None) -> LoadedTransformer:
    """The loaded model moved to ``device`` (None: where it is); the lessons' jobs pass the worker's device."""
    return move_loaded(lm, device)


def _device(lm: LoadedTransformer):
    return next(lm.model.parameters()).device


def _source(lm: LoadedTransformer, text: str):
    typed = data.source_tokens(text, lm.task)
    cut = max(0, len(typed) - MAX_SOURCE_TOKENS)
    return typed[:MAX_SOURCE_TOKENS], cut


def _np(t) -> np.ndarray:
    return t.detach().cpu().numpy().astype(np.float32)


@dataclass(frozen=True)
class Encoded:
    typed: tuple[str, ...]
    tokens: tuple[str, ...]  # as the model sees them (<unk> for unknown words)
    truncated: int
    attention: np.ndarray  # (layers, heads, T, T) encoder self-attention
    record: dict  # the raw forward-pass record (torch tensors), for q/k/v

    def to_json(self) -> dict:
        return {"tokens": list(self.tokens), "attention": np.round(self.attention, 6).tolist()}


def encode(store, name: str, text: str, device: str | None = None) -> Encoded:
    """Run the encoder on ``text`` and keep every layer's and head's self-attention (on ``device``, or where the
    model is)."""
    import torch

    lm = on_device(store.get(name, load), device)
    typed, cut = _source(lm, text)
    cfg = lm.model.config
    if not typed:
        empty = np.zeros((cfg.encoder_layers, cfg.heads, 0, 0), np.float32)
        return Encoded((), (), 0, empty, {})
    record: dict = {}
    with torch.no_grad():
        lm.model.encode(torch.tensor([lm.source.encode(typed)], device=_device(lm)), record)
    attention = np.stack([_np(layer["self"]["weights"][0]) for layer in record["layers"]])
    return Encoded(tuple(typed), tuple(lm.source.shown(typed)), cut, attention, record)


@dataclass(frozen=True)
class HeadNumbers:
    """One head of one encoder layer, every step of softmax(QK^T / sqrt(d_k)) V with real numbers."""

    tokens: tuple[str, ...]
    layer: int
    head: int
    x: np.ndarray  # (T, D) the layer's input
    w_q: np.ndarray  # (D, d_k) this head's slice of W^Q (x @ w_q + b_q = q)
    w_k: np.ndarray
    w_v: np.ndarray
    q: np.ndarray  # (T, d_k)
    k: np.ndarray
    v: np.ndarray
    scores: np.ndarray  # (T, T) q . k
    scaled: np.ndarray  # scores / sqrt(d_k)
    weights: np.ndarray  # softmax of each row
    z: np.ndarray  # (T, d_k) weights @ v
    concat: np.ndarray  # (T, D) all heads' Z side by side
    w_o: np.ndarray  # (D, D) concat @ w_o + b_o = output
    output: np.ndarray  # (T, D) the attention block's output

    def to_json(self) -> dict:
        def r(a):
            return np.round(a, 6).tolist()

        return {
            "tokens": list(self.tokens),
            "layer": self.layer,
            "head": self.head,
            "q": r(self.q),
            "k": r(self.k),
            "v": r(self.v),
            "scores": r(self.scores),
            "scaled_scores": r(self.scaled),
            "weights": r(self.weights),
            "z": r(self.z),
        }


def head_numbers(store, name: str, text: str, layer: int, head: int, encoded: Encoded | None = None) -> HeadNumbers:
    """``encoded`` (the result of :func:`encode` for the same text) saves running the encoder again."""
    lm = store.get(name, load)
    cfg = lm.model.config
    if not 0 <= layer < cfg.encoder_layers:
        raise ValueError(f"layer must be between 0 and {cfg.encoder_layers - 1}")
    if not 0 <= head < cfg.heads:
        raise ValueError(f"head must be between 0 and {cfg.heads - 1}")
    enc = encoded if encoded is not None else encode(store, name, text)
    if not enc.tokens:
        raise ValueError("type a sentence first")
    rec = enc.record["layers"][layer]["self"]
    x = enc.record["input"][0] if layer == 0 else enc.record["layers"][layer - 1]["output"][0]
    attn = lm.model.encoder[layer].self_attn
    d_k = attn.d_k
    cols = slice(head * d_k, (head + 1) * d_k)
    raw = _np(rec["raw_scores"][0, head])
    return HeadNumbers(
        enc.tokens,
        layer,
        head,
        _np(x),
        _np(attn.w_q.weight[cols].T),
        _np(attn.w_k.weight[cols].T),
        _np(attn.w_v.weight[cols].T),
        _np(rec["q"][0, head]),
        _np(rec["k"][0, head]),
        _np(rec["v"][0, head]),
        raw,
        raw / np.sqrt(d_k),
        _np(rec["weights"][0, head]),
        _np(rec["z"][0, head]),
        _np(rec["concat"][0]),
        _np(attn.w_o.weight.T),
        _np(rec["out"][0]),
    )


def decoder_multiply_adds(c, length: int, source: int) -> tuple[int, int]:
    """Multiply-adds of the decoder's step that reads ``length`` positions (<start> and the words so far) against
    a ``source``-token memory: (with the key/value cache, recomputing the whole prefix). Per layer, for each
    position computed: the masked self-attention's four projections (4 d²) and its scores and weighted sum over
    the positions so far (2 · keys · d); the cross-attention's W^Q and W^O (2 d²) and its scores and sum over the
    memory (2 · source · d); the feed-forward network (2 d d_ff). With the cache only the newest position is
    computed (the earlier ones' keys and values are kept; recomputing, the code scores every position against every
    one and masks the future, as ``viz_app.core.lm.kv_cache`` counts for the GPT) and the memory's keys and values (2 source d² per
    layer) were made once at the first step; without it every step recomputes every position and those keys and
    values. Both end with the output layer on the newest position (d x vocabulary). Norms and softmax left out."""
    d, ff, layers = c.d_model, c.d_ff, c.decoder_layers

    def position(keys: int) -> int:
        return 4 * d * d + 2 * keys * d + 2 * d * d + 2 * source * d + 2 * d * ff

    memory_kv = 2 * source * d * d
    head = d * c.target_vocab
    cached = layers * (position(length) + (memory_kv if length == 1 else 0)) + head
    full = layers * (length * position(length) + memory_kv) + head  # the code scores the whole square, then masks
    return int(cached), int(full)


@dataclass(frozen=True)
class Translation:
    typed: tuple[str, ...]
    source_tokens: tuple[str, ...]
    output_tokens: tuple[str, ...]
    truncated: int
    encoder_attention: np.ndarray  # (L, H, M, M)
    decoder_attention: np.ndarray  # (L, H, N, N): row t (predicting output t) over <start>, y_1 .. y_(t-1)
    cross_attention: np.ndarray  # (L, H, N, M)
    probabilities: tuple[float, ...]  # P(output t | ...) for each output token
    top: tuple[tuple[tuple[str, float], ...], ...]  # the 5 most probable words at each step
    task: str = "translate"  # or "couplet": characters, written side by side
    device: str = "cpu"  # where it was computed
    # per output step, the decoder's multiply-adds (with its key/value cache, recomputing the prefix):
    work: tuple[tuple[int, int], ...] = ()

    @property
    def output(self) -> str:
        if self.task == "couplet":
            return "".join(self.output_tokens)
        return data.detokenize(list(self.output_tokens))

    @property
    def decoder_input_tokens(self) -> list[str]:
        return [data.START, *self.output_tokens[:-1]] if self.output_tokens else []

    def to_json(self) -> dict:
        def r(a):
            return np.round(a, 6).tolist()

        return {
            "source_tokens": list(self.source_tokens),
            "output_tokens": list(self.output_tokens),
            "output": self.output,
            "cut_tokens": self.truncated,
            "decoder_input_tokens": self.decoder_input_tokens,
            "encoder_attention": r(self.encoder_attention),
            "decoder_attention": r(self.decoder_attention),
            "cross_attention": r(self.cross_attention),
        }


def translate(
    store, name: str, text: str, forced: tuple[str, ...] = (), max_len: int = 40, device: str | None = None
) -> Translation:
    """Greedy translation, then one pass of the decoder over the whole output to read its attention (on
    ``device``, or where the model is; the result says where)."""
    import torch

    from viz_app.core.transformer.decode import greedy, greedy_checking

    lm = on_device(store.get(name, load), device)
    cfg = lm.model.config
    typed, cut = _source(lm, text)
    if not typed:
        z = np.zeros((cfg.encoder_layers, cfg.heads, 0, 0), np.float32)
        zd = np.zeros((cfg.decoder_layers, cfg.heads, 0, 0), np.float32)
        return Translation((), (), (), 0, z, zd, zd, (), (), lm.task, lm.device)
    forced_ids = []
    for w in forced:
        if w not in lm.target.index or w in (data.PAD, data.START, data.UNK):
            raise ValueError(f"“{w}” is not a word this model can output")
        forced_ids.append(lm.target.index[w])
    ids = lm.source.encode(typed)
    enc_rec, dec_rec = {}, {}
    if lm.model.training:  # eval() walks every submodule: a few ms a keystroke
        lm.model.eval()
    with torch.no_grad():  # one encoder pass, read out, serves the decoding too
        memory, mask = lm.model.encode(torch.tensor([ids], device=_device(lm)), enc_rec)
    # The couplet writer: a second line as long as the first (and its end mark), never <unk>.
    limit, banned = (2 * len(ids) + 2, (lm.target.unk,)) if lm.task == "couplet" else (max_len, ())
    if forced_ids:
        out, _ = greedy(lm.model, ids, lm.target, limit, forced_ids, banned=banned, memory=memory)
        with torch.no_grad():
            tgt_in = torch.tensor([[lm.target.start, *out]], device=_device(lm))
            logits = lm.model.decode(tgt_in, memory, mask, dec_rec)[0]
    else:  # the last translation checked first, in one pass that is also the read-out when it holds
        out, logits, dec_rec = greedy_checking(lm.model, memory, mask, lm.target, limit, lm.last_output, banned)
        lm.last_output = list(out)
    with torch.no_grad():
        probs = torch.softmax(logits, dim=-1)
    n = len(out)  # rows 0..n-1 predict the output words; row n predicts <end>
    words = tuple(lm.target.words[w] for w in out)
    top = []
    for t in range(n):
        values, index = torch.topk(probs[t], 5)
        top.append(tuple((lm.target.words[int(i)], float(v)) for v, i in zip(values, index, strict=True)))
    return Translation(
        tuple(typed),
        tuple(lm.source.shown(typed)),
        words,
        cut,
        np.stack([_np(layer["self"]["weights"][0]) for layer in enc_rec["layers"]]),
        np.stack([_np(layer["self"]["weights"][0, :, :n, :n]) for layer in dec_rec["layers"]]),
        np.stack([_np(layer["cross"]["weights"][0, :, :n]) for layer in dec_rec["layers"]]),
        tuple(float(probs[t, w]) for t, w in enumerate(out)),
        tuple(top),
        lm.task,
        lm.device,
        tuple(decoder_multiply_adds(cfg, t + 1, len(ids)) for t in range(n)),
    )
