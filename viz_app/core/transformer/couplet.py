"""The couplet writer (對對子) as a Transformer: the Transformer lesson's model trained on the Tang poems' couplets
(``viz-app train-transformer --pairs ../shared/data/zh_tw_tang_poems/tang_regular_verse.tsv``), one token per
character, so the lesson's heads, masked decoder and step-by-step decoding work on Chinese.

:func:`evaluate` computes the card's figures from the bundled (int8) files on the validation couplets only, as
``seq2seq.couplet.evaluate`` does for the RNN couplet writer: per-character perplexity of the real second lines
beside the same Kneser-Ney character bigram, the share of greedy outputs with the right length and end mark, and
the encoder-decoder attention on the same character position (per layer, averaged over the heads, and the head
that follows the position most) beside the uniform 1 / length.

``python -m viz_app.core.transformer.couplet TRAINED_DIR [BUNDLE_DIR]`` stores it int8 in BUNDLE_DIR (default
resources/models/transformer), scores it there and registers the card.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from viz_app.core.seq2seq import data
from viz_app.core.seq2seq.couplet import WELL_KNOWN, bigram_baseline, pad_rows, right_shape, where

NAME = "couplet-transformer"


def teacher_forced(lm, pairs, batch: int = 256) -> dict:
    """Per-character NLL of the real second lines (characters and end mark; <end> and unknown characters left
    out) and, per decoder layer and head, the cross-attention weight output character i gives source position i."""
    import torch

    cfg = lm.model.config
    nll, count, unknown = 0.0, 0, 0
    same = np.zeros((cfg.decoder_layers, cfg.heads))
    uniform, rows = 0.0, 0
    for k in range(0, len(pairs), batch):
        part = pairs[k : k + batch]
        src_tok = [data.source_tokens(s, "couplet") for s, _ in part]
        tgt = [lm.target.encode(data.char_tokens(t)) for _, t in part]
        src = pad_rows([lm.source.encode(t) for t in src_tok])
        tgt_in = pad_rows([[lm.target.start, *t] for t in tgt])
        record: dict = {}
        with torch.no_grad():
            memory, mask = lm.model.encode(src)
            logp = torch.log_softmax(lm.model.decode(tgt_in, memory, mask, record), dim=-1).numpy()
        cross = np.stack([layer["cross"]["weights"].numpy() for layer in record["layers"]])  # (L, B, H, N, M)
        for i, ids in enumerate(tgt):
            for t, w in enumerate(ids):
                if w == lm.target.unk:
                    unknown += 1
                    continue
                nll -= float(logp[i, t, w])
                count += 1
            m = len(src_tok[i])
            for t in range(min(len(ids), m)):
                same += cross[:, i, :, t, t]
                uniform += 1.0 / m
                rows += 1
    same /= max(1, rows)
    return {"nll": nll, "characters": count, "unknown": unknown, "same": same, "uniform": uniform / max(1, rows)}


def decode_figures(lm, pairs) -> dict:
    """Greedy outputs (``probes.translate``'s decoding: <unk> banned, at most twice the first line) for every first
    line: the shares with the right length, an end mark at the end and none before, both, the real line's mark."""
    from viz_app.core.transformer.decode import greedy

    n = length = mark = shape = same_mark = 0
    for src, ref in pairs:
        toks = data.source_tokens(src, "couplet")
        ids = lm.source.encode(toks)
        out, _ = greedy(lm.model, ids, lm.target, 2 * len(ids) + 2, banned=(lm.target.unk,))
        words = [lm.target.words[w] for w in out]
        n += 1
        length += len(words) == len(toks)
        mark += bool(words) and words[-1] in "。？！；" and not any(w in data.COUPLET_ENDS for w in words[:-1])
        shape += right_shape(toks, words)
        same_mark += bool(words) and words[-1] == data.char_tokens(ref)[-1]
    return {
        "right_length": round(length / max(1, n), 4),
        "ends_with_end_mark": round(mark / max(1, n), 4),
        "right_length_and_end_mark": round(shape / max(1, n), 4),
        "same_end_mark_as_the_real_line": round(same_mark / max(1, n), 4),
        "n": n,
    }


VALIDATION_NOTE = (
    "couplets (line 1 -> line 2, line 3 -> line 4, ...) of the validation poems of tang.load_split (5% by poem "
    "hash; no validation poem shares a line with a training poem), never trained on. Perplexity: teacher forcing "
    "on the real second lines, per character (characters and end mark; <end> and characters outside the "
    "vocabulary left out), beside a character bigram with interpolated Kneser-Ney counted on the training second "
    "lines, on the same positions. Right length and end mark as for the RNN couplet writer (greedy, <unk> never "
    "output). Cross-attention on the same position: the weight output character i gives source position i (the "
    "first line's ， and the second line's end mark included), teacher-forced, averaged over positions and "
    "couplets, per decoder layer (mean of the heads) and for the head that gives it most, beside the uniform "
    "1 / (first line's length)."
)


def evaluate(store, name: str = NAME, tsv: str | Path | None = None) -> dict:
    from viz_app.core.lm import tang
    from viz_app.core.transformer import probes

    lm = store.get(name, probes.load)
    split = tang.load_split(tsv or tang.DEFAULT_TSV)
    train_pairs, valid_pairs = data.couplet_pairs(split.train), data.couplet_pairs(split.validation)
    forced = teacher_forced(lm, valid_pairs)
    base = bigram_baseline(train_pairs, valid_pairs)
    same = forced["same"]
    layer, head = np.unravel_index(int(np.argmax(same)), same.shape)
    examples = {}
    for line in WELL_KNOWN:
        out = probes.translate(store, name, line)
        examples[line] = {"greedy": out.output, "in_corpus": where(line, train_pairs, valid_pairs)}
    return {
        "validation_couplets": len(valid_pairs),
        "validation_poems": len(split.validation),
        "perplexity_per_character": round(math.exp(forced["nll"] / max(1, forced["characters"])), 2),
        "baseline_bigram_perplexity_per_character": round(math.exp(base["nll"] / max(1, base["characters"])), 2),
        "scored_characters": forced["characters"],
        "unknown_characters_left_out": forced["unknown"],
        "cross_attention_same_position_by_layer": [round(float(v), 4) for v in same.mean(axis=1)],
        "cross_attention_same_position_best_head": {
            "layer": int(layer) + 1,
            "head": int(head) + 1,
            "weight": round(float(same[layer, head]), 4),
        },
        "attention_uniform": round(forced["uniform"], 4),
        "greedy": decode_figures(lm, valid_pairs),
        "examples": examples,
        "validation": VALIDATION_NOTE,
    }


def register_model(folder: Path, name: str, metrics: dict | None = None) -> dict:
    from viz_app.core.transformer.register import register_model as register_transformer

    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    return register_transformer(
        folder,
        name,
        metrics,
        what="a couplet writer (對對子): the first line of a Tang-poem couplet -> its second line, one token per "
        "character.",
        task="couplet",
        training_data=f"{card['pairs_file']} (全唐詩 regular verse, chinese-poetry/chinese-poetry): "
        f"{card['train_pairs']:,} couplets of the training poems of tang.load_split; validation: the "
        f"{card['validation_pairs']:,} couplets of its validation poems (never trained on)",
        license="MIT (chinese-poetry/chinese-poetry); the poems are in the public domain",
    )


def bundle(trained: Path, folder: Path = Path("resources/models/transformer"), name: str = NAME) -> dict:
    import shutil

    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.seq2seq.register import store_int8

    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".source_vocab.txt", ".target_vocab.txt", ".card.json"):
        shutil.copy(trained / f"{name}{suffix}", folder / f"{name}{suffix}")
    store_int8(trained / f"{name}.safetensors", folder / f"{name}.safetensors")
    register_model(folder, name)  # registered first, so that it can be loaded to be scored
    metrics = evaluate(ModelStore(Registry(folder.parent)), name)
    return register_model(folder, name, metrics)


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[2] if len(sys.argv) > 2 else "resources/models/transformer")
    print(json.dumps(bundle(Path(sys.argv[1]), target)["metrics"], ensure_ascii=False, indent=1))
