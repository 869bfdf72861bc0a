"""Translation probes shared by the GUI, the CLI and the tests.

A bundled model of kind "seq2seq" has three files: the weights, the source vocabulary and
the target vocabulary; its shape is in the card's "config".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.seq2seq import data

MAX_SOURCE_TOKENS = 40


@dataclass
class LoadedSeq2Seq:
    model: object
    source: data.Vocab
    target: data.Vocab
    attention: bool
    task: str = "translate"  # or "chat"


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


def banned_words(lm: LoadedSeq2Seq) -> tuple[int, ...]:
    """The chatbot never answers with <unk> (its small vocabulary would make it say "<unk>" often); the
    translator may, to show that a word was beyond its vocabulary."""
    return (lm.target.unk,) if lm.task == "chat" else ()


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


def translate(store, name: str, text: str, beam_width: int = 1) -> Translation:
    """Translate (or answer) with a bundled encoder-decoder: a GRU Seq2Seq model, or the Transformer
    (greedy only; its "attention" here is the last decoder layer's cross-attention averaged over heads)."""
    from viz_app.core.seq2seq.decode import beam, greedy

    if store.registry.card(name).kind == "transformer":
        if beam_width > 1:
            raise ValueError("beam search is available for the RNN translators; the Transformer decodes greedily")
        from viz_app.core.transformer import probes as transformer_probes

        tr = transformer_probes.translate(store, name, text)
        attention = tr.cross_attention[-1].mean(axis=0) if tr.output_tokens else np.zeros((0, 0), np.float32)
        return Translation(tr.source_tokens, tr.output_tokens, tr.output, attention, tr.truncated)
    lm = store.get(name, load)
    toks = data.source_tokens(text, lm.task)
    cut = max(0, len(toks) - MAX_SOURCE_TOKENS)
    toks = toks[:MAX_SOURCE_TOKENS]
    if not toks:  # nothing to translate: no output words, and no attention rows (null without attention)
        return Translation((), (), "", np.zeros((0, 0), np.float32) if lm.attention else None, 0)
    ids = lm.source.encode(toks)
    banned = banned_words(lm)
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
