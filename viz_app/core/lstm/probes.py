"""The RNN and LSTM lesson's probes: gates, chain-rule scores, next words, generation.

Shared by the GUI, the CLI and the tests. Models come from the registry through the
worker's ModelStore: kind "lstm-lm" (lstm.safetensors + vocab.txt, its shape in the
card's "config") and kind "bigram-lm" (bigram.safetensors + vocab.txt).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from viz_app.core.devices import move_loaded
from viz_app.core.lstm import text
from viz_app.core.messages import msg
from viz_app.core.tokenize import detokenize

LSTM_NAME, BIGRAM_NAME = "lstm-tinystories", "bigram-tinystories"
MAX_TOKENS = 100  # a longer text is cut, with a notice
GATES = ("i", "f", "g", "o", "c", "h")


@dataclass
class LoadedLm:
    kind: str  # "lstm-lm" or "bigram-lm"
    vocab: text.Vocab
    model: object  # LstmLanguageModel or BigramModel
    device: str = "cpu"  # where an LSTM's weights are now (``on_device``); a bigram is numpy, always on the CPU
    cache: dict = field(default_factory=dict)  # what does not depend on the text (``end_counts``)


def _vocab(registry, name: str) -> text.Vocab:
    words = registry.verified_path(name, 1).read_text(encoding="utf-8").split("\n")
    return text.Vocab([w for w in words if w])


def load(registry, name: str) -> LoadedLm:
    card = registry.card(name)
    vocab = _vocab(registry, name)
    if card.kind == "lstm-lm":
        from viz_app.core.lstm.load import load_lstm_file
        from viz_app.core.lstm.train import TrainConfig

        cfg = card.extra.get("config", {})
        config = TrainConfig(**{k: v for k, v in cfg.items() if k in TrainConfig.__dataclass_fields__})
        return LoadedLm("lstm-lm", vocab, load_lstm_file(registry.verified_path(name, 0), len(vocab), config))
    if card.kind == "bigram-lm":
        from viz_app.core.lstm.bigram import BigramModel

        return LoadedLm("bigram-lm", vocab, BigramModel.from_tensors(registry.load_numpy_tensors(name, 0)))
    raise ValueError(f"model {name!r} is a {card.kind}, not a language model")


def on_device(lm: LoadedLm, device: str | None) -> LoadedLm:
    """The loaded model moved to ``device`` (None: where it is); the lesson's jobs pass the worker's device.
    A bigram model is numpy counts: it stays where it is."""
    return move_loaded(lm, device) if lm.kind == "lstm-lm" else lm


def get(store, name: str, device: str | None = None) -> LoadedLm:
    """The cached model (loaded the first time), on ``device`` when one is given."""
    return on_device(store.get(name, load), device)


def _torch_device(lm: LoadedLm):
    return next(lm.model.parameters()).device


def gate_pass(lm: LoadedLm, ids: list[int], logits: bool = True):
    """The readable LSTM (``model.lstm_layer_steps``, gate by gate) over ``ids`` on the model's device:
    every layer's ``GateTrace`` (tensors on that device) and, when ``logits``, the next-word logits at every
    step (T, V), else None. The same numbers as ``model.run_with_gates``."""
    import torch

    from viz_app.core.lstm.model import lstm_layer_steps

    model = lm.model
    if model.training:  # eval() walks every submodule: a few ms a keystroke
        model.eval()
    device = _torch_device(lm)
    with torch.no_grad():
        x = model.embed(torch.tensor(ids, dtype=torch.long, device=device))  # (T, D)
        traces = []
        for layer in range(model.config.layers):
            w_hh = getattr(model.lstm, f"weight_hh_l{layer}")
            zeros = torch.zeros(w_hh.shape[1], device=device)  # h_0 = c_0 = 0, on the model's device
            trace = lstm_layer_steps(
                x,
                getattr(model.lstm, f"weight_ih_l{layer}"),
                w_hh,
                getattr(model.lstm, f"bias_ih_l{layer}"),
                getattr(model.lstm, f"bias_hh_l{layer}"),
                zeros,
                zeros,
            )
            traces.append(trace)
            x = trace.h  # (T, H) the next layer reads this layer's hidden states
        out = x @ model.embed.weight.T + model.out_bias if logits else None  # (T, V)
    return traces, out


def softmax_rows(logits) -> np.ndarray:
    """P(next | prefix) from a (T, V) tensor of logits (on any device), as float32 numpy on the CPU. Computed
    by numpy: on a busy CPU torch's threaded softmax of a (20, 10000) table takes several times as long."""
    z = logits.detach().cpu().numpy().astype(np.float32, copy=True)
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def top_k(dist: np.ndarray, k: int) -> np.ndarray:
    """The indices of the ``k`` largest entries of ``dist``, largest first (argpartition: no full sort)."""
    k = min(k, dist.shape[-1])
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-dist, k - 1)[:k]
    return part[np.argsort(-dist[part], kind="stable")]


def _tokens(lm: LoadedLm, raw_text: str) -> tuple[list[str], int]:
    tokens = text.word_tokens(" ".join(raw_text.split("\n")))
    cut = max(0, len(tokens) - MAX_TOKENS)
    return tokens[:MAX_TOKENS], cut


@dataclass(frozen=True)
class GateResult:
    tokens: tuple[str, ...]  # as the model sees them: <start>, then words (<unk> for unknown ones)
    typed: tuple[str, ...]  # as typed (for labels)
    layer: int
    layers: int
    gates: dict  # name -> (T, H) float32, T = len(tokens)
    truncated: int

    def to_json(self) -> dict:
        return {
            "tokens": list(self.tokens),
            "layer": self.layer,
            "gates": {k: np.round(v, 6).tolist() for k, v in self.gates.items()},
            "truncated": self.truncated,
        }


def lstm_gates(store, name: str, raw_text: str, layer: int | None = None, device: str | None = None) -> GateResult:
    """The gates of every step of ``raw_text`` (run on ``device``, or where the model is)."""
    return lstm_gates_and_distributions(store, name, raw_text, layer, device, distributions=False)[0]


def lstm_gates_and_distributions(
    store, name: str, raw_text: str, layer: int | None = None, device: str | None = None, distributions: bool = True
) -> tuple[GateResult, np.ndarray | None]:
    """:func:`lstm_gates` and, from the same pass, P(next | prefix) after each of its tokens -> (T, V) numpy
    (None when ``distributions`` is False): the chain rule and the next word need no second run."""
    lm = get(store, name, device)
    if lm.kind != "lstm-lm":
        raise ValueError(f"{name!r} has no gates: it is not an LSTM")
    tokens, cut = _tokens(lm, raw_text)
    shown = [text.START, *lm.vocab.shown(tokens)]
    ids = [lm.vocab.index[text.START], *lm.vocab.encode(tokens)]
    traces, logits = gate_pass(lm, ids, logits=distributions)
    k = len(traces) - 1 if layer is None else layer
    if not 0 <= k < len(traces):
        raise ValueError(f"layer must be between 0 and {len(traces) - 1}")
    trace = traces[k]
    gates = {g: getattr(trace, g).cpu().numpy().astype(np.float32) for g in GATES}
    dist = softmax_rows(logits) if distributions else None
    return GateResult(tuple(shown), (text.START, *tokens), k, len(traces), gates, cut), dist


@dataclass(frozen=True)
class ScoreResult:
    tokens: tuple[str, ...]  # predicted tokens, <end> after each line
    probs: tuple[float, ...]  # P(token | the tokens before it in its line)
    alternatives: tuple[tuple[tuple[str, float], ...], ...]  # the top 5 at each step
    nll_nats: float
    words: int
    truncated: int
    previous: tuple[str, ...] = ()  # the token before each predicted one (<start> at the start of a line)
    entropies: tuple[float, ...] = ()  # bits, of the distribution at each step (with ``alternatives``)

    @property
    def perplexity(self) -> float:
        return math.exp(self.nll_nats / len(self.tokens)) if self.tokens else float("nan")

    def included(self, include_end: bool = True) -> list[int]:
        """The factors of the product: every step, or all but the <end> ones."""
        return [k for k, t in enumerate(self.tokens) if include_end or t != text.END]

    def log_probability(self, include_end: bool = True) -> float:
        """log P (nats) of the text: the sum of log P over the included factors."""
        return float(sum(math.log(max(self.probs[k], 1e-300)) for k in self.included(include_end)))

    def perplexity_of(self, include_end: bool = True) -> float | None:
        """exp(-log P / number of factors) over the included factors; None when there are none."""
        n = len(self.included(include_end))
        return math.exp(-self.log_probability(include_end) / n) if n else None

    def to_json(self, per_token: bool = True) -> dict:
        out = {
            "tokens": len(self.tokens),
            "words": self.words,
            "nll_nats": self.nll_nats,
            "log_probability": -self.nll_nats,
            "perplexity_per_token": self.perplexity if self.tokens else None,  # nothing scored: null, not NaN
        }
        if per_token:
            out["per_token"] = [[t, p] for t, p in zip(self.tokens, self.probs, strict=True)]
        return out


def _distributions(lm: LoadedLm, ids: list[int]) -> np.ndarray:
    """P(next | prefix) after each prefix of ``ids`` -> (len(ids), V)."""
    if lm.kind == "bigram-lm":
        return np.stack([lm.model.distribution(i) for i in ids])
    import torch

    with torch.no_grad():
        logits, _ = lm.model(torch.tensor([ids], device=_torch_device(lm)))  # (1, T, V)
        return torch.softmax(logits[0], dim=-1).cpu().numpy()


def score(
    store,
    name: str,
    raw_text: str,
    alternatives: int = 0,
    limit: bool = True,
    device: str | None = None,
    distributions=None,
) -> ScoreResult:
    """P(w1 | <start>) P(w2 | <start> w1) ... P(<end> | ...) for every line of ``raw_text`` (an LSTM runs on
    ``device``, or where it is). ``distributions(lm, ids) -> (T, V)`` replaces the model's own run (the lesson
    reuses the distributions of its gate pass)."""
    lm = get(store, name, device)
    distributions = distributions or _distributions
    lines = [line for line in raw_text.split("\n") if text.word_tokens(line)]
    tokens_out, probs, alts, nll, words, cut, before, entropies = [], [], [], 0.0, 0, 0, [], []
    budget = MAX_TOKENS if limit else None
    for line in lines:
        toks = text.word_tokens(line)
        if budget is not None:
            if budget <= 0:
                cut += len(toks)
                continue
            cut += max(0, len(toks) - budget)
            toks = toks[:budget]
            budget -= len(toks)
        words += len(line.split())
        ids = [lm.vocab.index[text.START], *lm.vocab.encode(toks)]
        targets = [*ids[1:], lm.vocab.index[text.END]]
        dist = distributions(lm, ids)  # (T, V)
        for step, target in enumerate(targets):
            p = float(dist[step, target])
            nll -= math.log(max(p, 1e-300))
            tokens_out.append(lm.vocab.words[target])
            before.append(lm.vocab.words[ids[step]])
            probs.append(p)
            if alternatives:
                top = top_k(dist[step], alternatives)
                alts.append(tuple((lm.vocab.words[j], float(dist[step, j])) for j in top))
                row = np.asarray(dist[step], dtype=np.float64)
                row = row[row > 0]
                entropies.append(float(-(row * np.log2(row)).sum()))
    return ScoreResult(tuple(tokens_out), tuple(probs), tuple(alts), nll, words, cut, tuple(before), tuple(entropies))


SENTENCE_END = frozenset({".", "!", "?", '"', "'"})


def lines_without_full_stop(result: ScoreResult) -> int:
    """How many lines of a scored text stop (<end>) right after a word rather than after . ! ? or a quote."""
    return sum(
        1 for v, t in zip(result.previous, result.tokens, strict=True) if t == text.END and v not in SENTENCE_END
    )


def bigram_explanations(store, name: str, result: ScoreResult) -> list:
    """For each step of a bigram's ``result``: the counts and the smoothing behind its probability
    (``BigramModel.explain``: c(v, w), c(v), the discount, the continuation probability)."""
    lm = get(store, name)
    if lm.kind != "bigram-lm":
        raise ValueError(f"{name!r} is not a bigram model")
    index = lm.vocab.index
    return [lm.model.explain(index[v], index[w]) for v, w in zip(result.previous, result.tokens, strict=True)]


def next_words(store, name: str, raw_text: str, k: int = 10, device: str | None = None) -> list[tuple[str, float]]:
    """The distribution over the word after the typed text (top k)."""
    lm = get(store, name, device)
    tokens, _ = _tokens(lm, raw_text)
    ids = [lm.vocab.index[text.START], *lm.vocab.encode(tokens)]
    return top_words(lm, _distributions(lm, ids)[-1], k)


def distribution_after(lm: LoadedLm, h_last: np.ndarray) -> np.ndarray:
    """P(next word) from the top layer's last hidden state (D,) -> (V,): one row of the output layer, the
    same product whichever tab asked."""
    import torch

    model = lm.model
    with torch.no_grad():
        h = torch.as_tensor(np.asarray(h_last, dtype=np.float32), device=_torch_device(lm))[None]
        return softmax_rows(h @ model.embed.weight.T + model.out_bias)[0]


def top_words(lm: LoadedLm, dist: np.ndarray, k: int) -> list[tuple[str, float]]:
    """The ``k`` most probable words of one distribution over the vocabulary, with their probabilities."""
    return [(lm.vocab.words[j], float(dist[j])) for j in top_k(dist, k)]


def generate(
    store,
    name: str,
    prompt: str,
    max_new_tokens: int = 20,
    temperature: float = 1.0,
    seed: int = 0,
    device: str | None = None,
):
    """Generator: samples words one by one, yielding (token, probability); returns (text, steps).

    Stops at <end>. <unk> is never sampled (it is not a word one can write). An LSTM runs on ``device``
    (None: where it is)."""
    if temperature <= 0:
        raise ValueError(msg("temperature must be above 0"))
    lm = get(store, name, device)
    rng = np.random.default_rng(seed)
    tokens, _ = _tokens(lm, prompt)
    ids = [lm.vocab.index[text.START], *lm.vocab.encode(tokens)]
    steps = []
    for _ in range(max_new_tokens):
        dist = _distributions(lm, ids)[-1].astype(np.float64)
        dist[lm.vocab.unk] = 0.0
        dist[lm.vocab.index[text.START]] = 0.0
        logits = np.log(np.maximum(dist, 1e-300)) / temperature
        p = np.exp(logits - logits.max())
        p /= p.sum()
        nxt = int(rng.choice(len(p), p=p))
        word = lm.vocab.words[nxt]
        steps.append((word, float(p[nxt])))
        yield word, float(p[nxt])
        if word == text.END:
            break
        ids.append(nxt)
    words = [w for w, _ in steps if w != text.END]
    return detokenize(tokens + words), steps


@dataclass(frozen=True)
class BidirectionalStates:
    tokens: tuple[str, ...]  # the words (no <start>)
    forward: np.ndarray  # (T, H) h_t reading left to right: it has seen words 1..t
    backward: np.ndarray  # (T, H) h_t reading right to left: it has seen words t..T

    def to_json(self) -> dict:
        return {
            "tokens": list(self.tokens),
            "forward": np.round(self.forward, 6).tolist(),
            "backward": np.round(self.backward, 6).tolist(),
        }


def bidirectional_states(store, name: str, raw_text: str, device: str | None = None) -> BidirectionalStates:
    """The forward and backward hidden states of a bi-directional reading of the words (on ``device``, or
    where the model is).

    The bundled model was trained left to right only, so the backward direction here runs the same
    LSTM over the reversed words: it shows what each direction has seen, not a trained backward model.
    """
    lm = get(store, name, device)
    if lm.kind != "lstm-lm":
        raise ValueError(f"{name!r} is not an LSTM")
    tokens, _ = _tokens(lm, raw_text)
    ids = lm.vocab.encode(tokens)
    if not ids:
        empty = np.zeros((0, lm.model.config.dim), dtype=np.float32)
        return BidirectionalStates((), empty, empty)
    forward, _ = gate_pass(lm, ids, logits=False)  # the states only: no next-word logits needed
    backward, _ = gate_pass(lm, ids[::-1], logits=False)
    return BidirectionalStates(
        tuple(lm.vocab.shown(tokens)), forward[-1].h.cpu().numpy(), backward[-1].h.cpu().numpy()[::-1].copy()
    )


def unseen_pair(store, bigram: ScoreResult, explanations: list | None = None):
    """A pair the bigram never counted, to show what smoothing does: the text's own first unseen pair of words,
    else a pair of its words one apart (as if the word between were left out); None if there is none.
    Returns (previous word, word, PairExplanation, whether the pair is in the text)."""
    explanations = explanations if explanations is not None else bigram_explanations(store, BIGRAM_NAME, bigram)
    for v, w, e in zip(bigram.previous, bigram.tokens, explanations, strict=True):
        if e.pair_count == 0 and w != text.END:  # <end> has its own note
            return v, w, e, True
    lm = get(store, BIGRAM_NAME)
    words = [t for t in bigram.tokens if t != text.END]
    for v, w in zip(words[:-2], words[2:], strict=False):
        e = lm.model.explain(lm.vocab.index[v], lm.vocab.index[w])
        if e.pair_count == 0:
            return v, w, e, False
    return None


def end_counts(store) -> dict:
    """How the training paragraphs ended, from the bundled bigram's counts of (previous token, <end>):
    {"lines": all of them, "after_stop": after . ! ? or a quote mark, "after_word": right after a word}.
    Counted once per loaded model (a copy each call)."""
    lm = get(store, BIGRAM_NAME)
    if "end_counts" not in lm.cache:
        lm.cache["end_counts"] = _end_counts(lm)
    return dict(lm.cache["end_counts"])


def _end_counts(lm: LoadedLm) -> dict:
    m = lm.model
    rows = np.repeat(np.arange(m.vocab_size), np.diff(m.indptr))
    at_end = m.cols == lm.vocab.index[text.END]
    before = [lm.vocab.words[int(r)] for r in rows[at_end]]
    counts = m.counts[at_end].astype(np.int64)
    return {
        "lines": int(counts.sum()),
        "after_stop": int(sum(c for w, c in zip(before, counts, strict=True) if w in SENTENCE_END)),
        "after_word": int(sum(c for w, c in zip(before, counts, strict=True) if w[:1].isalnum())),
    }
