"""Translation probes shared by the GUI, the CLI and the tests.

A bundled model of kind "seq2seq" has three files: the weights, the source vocabulary and
the target vocabulary; its shape is in the card's "config".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from viz_app.core.devices import move_loaded
from viz_app.core.seq2seq import data

MAX_SOURCE_TOKENS = 40


@dataclass
class LoadedSeq2Seq:
    model: object
    source: data.Vocab
    target: data.Vocab
    attention: bool
    task: str = "translate"  # or "chat"
    device: str = "cpu"  # where the model is now (``on_device``)
    # The last greedy output (word ids), the guess the step-by-step decoding checks first (a keystroke seldom
    # changes the whole output).
    last_output: list = field(default_factory=list)


def _words(path) -> list[str]:
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w]


def load(registry, name: str) -> LoadedSeq2Seq:
    from safetensors.torch import load_file

    from viz_app.core.quantize import dequantize
    from viz_app.core.seq2seq.model import Seq2Seq, Seq2SeqConfig

    card = registry.card(name)
    if card.kind != "seq2seq":
        raise ValueError(f"model {name!r} is a {card.kind}, not an encoder-decoder")
    cfg = card.extra["config"]
    source = data.Vocab(_words(registry.verified_path(name, 1)))
    target = data.Vocab(_words(registry.verified_path(name, 2)))
    model = Seq2Seq(
        Seq2SeqConfig(
            len(source),
            len(target),
            cfg["dim"],
            cfg["attention"],
            bidirectional=cfg.get("bidirectional", False),
            context_input=cfg.get("context_input", True),
            scaled=cfg.get("scaled", False),
        )
    )
    model.load_state_dict(dequantize(load_file(str(registry.verified_path(name, 0)))))
    model.eval()
    return LoadedSeq2Seq(model, source, target, cfg["attention"], cfg.get("task", "translate"))


def on_device(lm: LoadedSeq2Seq, device: str | None) -> LoadedSeq2Seq:
    """The loaded model moved to ``device`` (None: where it is); the lessons' jobs pass the worker's device."""
    return move_loaded(lm, device)


def _device(lm: LoadedSeq2Seq):
    """Where the model's weights are: inputs are made there (a model moved by another job included)."""
    return next(lm.model.parameters()).device


def banned_words(lm: LoadedSeq2Seq) -> tuple[int, ...]:
    """The chatbot and the couplet writer never answer with <unk> (the chatbot's small vocabulary would make it
    say "<unk>" often; a line of a couplet is characters); the translator may, to show that a word was beyond its
    vocabulary."""
    return (lm.target.unk,) if lm.task in ("chat", "couplet") else ()


# How the chatbot's reply is chosen (measured on tests/data/chatbot_prompts.txt: the card's "on_topic" counts).
# Beam search keeps WIDTH hypotheses, never repeats a trigram, ranks finished replies by log P / ((5 + n) / 6)
# ** ALPHA, and then re-ranks them by [log P(reply | prompt) - ANTI_LM * log P(reply | a generic prompt)] per
# word, the anti-language-model form of Li et al. (2016)'s maximum mutual information: it demotes the replies
# the model gives to anything ("you are welcome.", "what is your name?") in favour of ones that fit the prompt.
CHAT_WIDTH = 10
CHAT_ALPHA = 1.0
CHAT_NO_REPEAT = 3
CHAT_ANTI_LM = 0.3
GENERIC_PROMPTS = ("yes .", "ok .", "i see .", "really ?", "what ?")  # log P(reply | generic): their mean


@dataclass(frozen=True)
class RankedReply:
    """A reply picked from the beam's finished hypotheses; ``candidates`` in the order of the re-ranked score."""

    tokens: tuple[str, ...]
    attention: np.ndarray | None  # (N + 1, M) teacher-forced weights of the chosen reply (its <end> included)
    candidates: tuple[dict, ...]  # {"reply", "log_p", "log_p_generic", "score"} for each finished hypothesis
    width: int = CHAT_WIDTH

    @property
    def output(self) -> str:
        return data.detokenize(list(self.tokens))

    def to_json(self) -> dict:
        return {
            "output": self.output,
            "output_tokens": list(self.tokens),
            "width": self.width,
            "candidates": list(self.candidates),
        }


def sequence_log_probs(lm: LoadedSeq2Seq, sources: list[list[int]], replies: list[list[int]]) -> np.ndarray:
    """(S, R): log P(reply r, <end> | source s) under teacher forcing, every pair in one padded batch."""
    import torch

    pairs = [(src, rep) for src in sources for rep in replies]
    m = max(len(src) for src, _ in pairs)
    n = max(len(rep) for _, rep in pairs) + 1
    src = torch.zeros(len(pairs), m, dtype=torch.long)
    tgt_in = torch.zeros(len(pairs), n, dtype=torch.long)
    tgt_out = torch.zeros(len(pairs), n, dtype=torch.long)
    for i, (a, b) in enumerate(pairs):
        src[i, : len(a)] = torch.tensor(a)
        tgt_in[i, : len(b) + 1] = torch.tensor([lm.target.start, *b])
        tgt_out[i, : len(b) + 1] = torch.tensor([*b, lm.target.end])
    device = _device(lm)
    src, tgt_in, tgt_out = src.to(device), tgt_in.to(device), tgt_out.to(device)
    with torch.no_grad():
        states, final, mask = lm.model.encode(src)
        logits, _, _ = lm.model.decode(tgt_in, states, final, mask)  # the GRU is causal: padding after a reply
        banned = list(banned_words(lm))  # changes nothing before it
        if banned:
            logits[:, :, banned] = float("-inf")
        logp = torch.log_softmax(logits, dim=-1).gather(-1, tgt_out.unsqueeze(-1))[..., 0]  # (S*R, n)
        logp = logp.masked_fill(tgt_out == 0, 0.0).sum(1)
    return logp.cpu().numpy().astype(np.float64).reshape(len(sources), len(replies))


def sequence_log_prob(lm: LoadedSeq2Seq, src_ids: list[int], words: list[int]):
    """(log P(words, <end> | source) under teacher forcing, attention rows (N + 1, M) or None)."""
    import torch

    device = _device(lm)
    with torch.no_grad():
        states, final, mask = lm.model.encode(torch.tensor([src_ids], device=device))
        logits, alpha, _ = lm.model.decode(
            torch.tensor([[lm.target.start, *words]], device=device), states, final, mask
        )
        logits = logits[0].clone()
        banned = list(banned_words(lm))
        if banned:
            logits[:, banned] = float("-inf")
        logp = torch.log_softmax(logits, dim=-1).cpu()
        total = float(sum(logp[i, w] for i, w in enumerate([*words, lm.target.end])))
    return total, None if alpha is None else alpha[0].cpu().numpy().copy()


def ranked_reply(
    lm: LoadedSeq2Seq,
    src_ids: list[int],
    width: int = CHAT_WIDTH,
    alpha: float = CHAT_ALPHA,
    no_repeat_ngram: int = CHAT_NO_REPEAT,
    anti_lm: float = CHAT_ANTI_LM,
) -> RankedReply:
    """Beam search with a length penalty and no repeated n-grams, then anti-LM re-ranking (see CHAT_*)."""
    from viz_app.core.seq2seq.decode import beam

    if not 1 <= width <= 20:
        raise ValueError("the beam width must be between 1 and 20")
    nbest: list = []
    beam(
        lm.model,
        src_ids,
        lm.target,
        width,
        banned=banned_words(lm),
        alpha=alpha,
        no_repeat_ngram=no_repeat_ngram,
        nbest=nbest,
    )
    generic = [lm.source.encode(data.source_tokens(t, lm.task)) for t in GENERIC_PROMPTS]
    table = sequence_log_probs(lm, [src_ids, *generic], [list(h.words) for h in nbest])  # (1 + G, R)
    rows = []
    for k, h in enumerate(nbest):
        log_p, log_g = float(table[0, k]), float(table[1:, k].mean()) if anti_lm else 0.0
        score = (log_p - anti_lm * log_g) / (len(h.words) + 1)
        rows.append((score, h, log_p, log_g))
    rows.sort(key=lambda r: r[0], reverse=True)
    best = rows[0][1]
    _, attention = sequence_log_prob(lm, src_ids, list(best.words))
    candidates = tuple(
        {
            "reply": data.detokenize([lm.target.words[w] for w in h.words]),
            "log_p": round(log_p, 4),
            "log_p_generic": round(log_g, 4),
            "score": round(score, 4),
        }
        for score, h, log_p, log_g in rows
    )
    return RankedReply(tuple(lm.target.words[w] for w in best.words), attention, candidates, width)


@dataclass(frozen=True)
class Translation:
    source_tokens: tuple[str, ...]  # as the model sees them (<unk> for unknown words)
    output_tokens: tuple[str, ...]
    output: str
    attention: np.ndarray | None  # (N, M): for each output token (and <end>), weights over the source tokens
    truncated: int

    def to_json(self) -> dict:
        att = None if self.attention is None else np.round(self.attention[: len(self.output_tokens)], 6).tolist()
        return {
            "source_tokens": list(self.source_tokens),
            "output_tokens": list(self.output_tokens),
            "output": self.output,
            "attention": att,
            "cut_tokens": self.truncated,
        }


def translate(
    store, name: str, text: str, beam_width: int = 1, ranked: bool | None = None, device: str | None = None
) -> Translation:
    """Translate (or answer) with a bundled encoder-decoder: a GRU Seq2Seq model, or the Transformer
    (greedy only; its "attention" here is the last decoder layer's cross-attention averaged over heads).
    ``ranked``: the chatbot's best decoding (:func:`ranked_reply`) instead of greedy or plain beam search; by
    default (None) the chatbot answers so unless a beam width is given, and a translator decodes greedily.
    ``device``: where the model runs ("cpu", "cuda", ...; None: where it is)."""
    from viz_app.core.seq2seq.decode import beam, greedy

    if store.registry.card(name).kind == "transformer":
        if beam_width > 1 or ranked:
            raise ValueError("beam search is available for the RNN translators; the Transformer decodes greedily")
        from viz_app.core.transformer import probes as transformer_probes

        tr = transformer_probes.translate(store, name, text, device=device)
        attention = tr.cross_attention[-1].mean(axis=0) if tr.output_tokens else np.zeros((0, 0), np.float32)
        return Translation(tr.source_tokens, tr.output_tokens, tr.output, attention, tr.truncated)
    lm = on_device(store.get(name, load), device)
    toks = data.source_tokens(text, lm.task)
    cut = max(0, len(toks) - MAX_SOURCE_TOKENS)
    toks = toks[:MAX_SOURCE_TOKENS]
    if not toks:  # nothing to translate: no output words, and no attention rows (null without attention)
        return Translation((), (), "", np.zeros((0, 0), np.float32) if lm.attention else None, 0)
    ids = lm.source.encode(toks)
    banned = banned_words(lm)
    if ranked is None:
        ranked = lm.task == "chat" and beam_width <= 1
    if ranked:
        reply = ranked_reply(lm, ids)
        return Translation(tuple(lm.source.shown(toks)), reply.tokens, reply.output, reply.attention, cut)
    if beam_width <= 1:
        out = greedy(lm.model, ids, lm.target, banned=banned)
    else:
        out = beam(lm.model, ids, lm.target, beam_width, banned=banned)
    return Translation(tuple(lm.source.shown(toks)), tuple(out.tokens), data.detokenize(out.tokens), out.attention, cut)


def bleu_on_pairs(store, name: str, pairs_path: str, beam_width: int = 1) -> tuple[float, int]:
    import sacrebleu

    pairs = data.read_pairs(pairs_path)
    hyps = [translate(store, name, src, beam_width).output for src, _ in pairs]
    refs = [data.detokenize(data.english_tokens(ref)) for _, ref in pairs]
    return sacrebleu.corpus_bleu(hyps, [refs]).score, len(pairs)


LENGTH_BINS = ((1, 3), (4, 6), (7, 9), (10, 10_000))


def evaluate(store, name: str, pairs: list[tuple[str, str]], beam_width: int = 1) -> dict:
    """BLEU on ``pairs`` (source, reference), overall and by source length in words (1-3, 4-6, 7-9, 10+)."""
    import sacrebleu

    hyps, refs, lengths = [], [], []
    for src, ref in pairs:
        hyps.append(translate(store, name, src, beam_width).output)
        refs.append(data.detokenize(data.english_tokens(ref)))
        lengths.append(len([t for t in data.tokens(src) if any(ch.isalnum() for ch in t)]))
    out = {"bleu": round(sacrebleu.corpus_bleu(hyps, [refs]).score, 2), "n": len(pairs), "by_source_length": {}}
    for lo, hi in LENGTH_BINS:
        idx = [i for i, n in enumerate(lengths) if lo <= n <= hi]
        label = f"{lo}-{hi}" if hi < 10_000 else f"{lo}+"
        if idx:
            score = sacrebleu.corpus_bleu([hyps[i] for i in idx], [[refs[i] for i in idx]]).score
            out["by_source_length"][label] = {"bleu": round(score, 2), "n": len(idx)}
    return out
