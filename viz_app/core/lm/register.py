"""Put a trained BERT, GPT or sentiment head into the registry, measured from the files as bundled:

    python -m viz_app.core.lm.register gpt TRAIN_DIR BUNDLE_DIR [--name gpt-tiny] [--data ../shared/data]
    python -m viz_app.core.lm.register bert TRAIN_DIR BUNDLE_DIR [--name bert-tiny]
    python -m viz_app.core.lm.register sentiment TRAIN_DIR BUNDLE_DIR [--name bert-sentiment] [--base bert-tiny]

The weights are stored as int8 with per-row scales (``viz_app.core.quantize``) in BUNDLE_DIR/lm/, beside
the shared tokenizer.json; the card's metrics are computed again from those int8 files on the held-out text
(TinyStories validation lines; IMDB test reviews), so what the card says is what the app runs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

from viz_app.core.registry import register

FOLDER = "lm"
LICENSE = "TinyStories: CDLA-Sharing-1.0; weights trained by this project"


def _command(card: dict, folder: Path) -> str:
    return re.sub(r"--out \S+", f"--out {folder.as_posix()}", card.get("training_command", ""))


def _store(trained: Path, root: Path, name: str) -> Path:
    from viz_app.core.seq2seq.register import store_int8

    target = root / FOLDER / f"{name}.safetensors"
    target.parent.mkdir(parents=True, exist_ok=True)
    store_int8(trained, target)
    return target


def _tokenizer(train_dir: Path, root: Path) -> Path:
    target = root / FOLDER / "tokenizer.json"
    source = train_dir / "tokenizer.json"
    if target.exists() and target.read_bytes() != source.read_bytes():
        raise ValueError(f"{source} differs from the bundled {target}: both models must share one tokenizer")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _device(card: dict) -> str:
    device = card.get("device", "cpu")
    return f"{device} (an NVIDIA H100 lent to the session)" if device == "cuda" else device


def register_language_model(kind: str, train_dir: Path, root: Path, name: str, data_root: Path) -> dict:
    from viz_app.core.lm import data, probes, train
    from viz_app.core.lm.model import LMConfig, load_weights
    from viz_app.core.lm.tokenizer import WordPieces

    card = json.loads((train_dir / f"{kind}.card.json").read_text(encoding="utf-8"))
    weights = _store(train_dir / f"{kind}.safetensors", root, name)
    tok_path = _tokenizer(train_dir, root)
    tok = WordPieces.load(tok_path)
    config = LMConfig(**card["model_config"])
    model = load_weights(weights, config)
    val_lines = data.lines(
        [Path(p) if Path(p).exists() else data_root / Path(p).name for p in card["validation_files"]]
    )
    if kind == "gpt":
        nll, count = train.line_nll(model, tok, val_lines)
        words = train.words_in(val_lines)
        import math

        metrics = {
            "val_perplexity_per_token": round(math.exp(nll / count), 2),
            "val_perplexity_per_word": round(math.exp(nll / words), 2),
            "validation_tokens": count,
            "validation_words": words,
        }
        lm = probes.OwnModel(name, model, tok)
        metrics["sample (seed 0, top-k 40)"] = probes.join_generated(
            lm, "once upon a time", list(probes.generate(lm, "once upon a time", 30, probes.Sampling(1.0, 40, 1.0), 0))
        )
        description = (
            f"Tiny GPT: {config.layers} Transformer blocks, {config.heads} heads, d_model {config.d_model}, causal "
            "mask, learned positions; pre-trained on next-token prediction."
        )
    else:
        import numpy as np

        chunks = train.bert_chunks(tok, val_lines, card["config"]["seq_len"] // 2)
        pairs = train.bert_pairs(chunks, card["config"]["seq_len"], np.random.default_rng(99))
        scores = train.bert_scores(model, tok, pairs)
        metrics = {
            "val_masked_top1": round(scores["mlm_top1"], 4),
            "val_masked_top5": round(scores["mlm_top5"], 4),
            "val_nsp_accuracy": round(scores["nsp_accuracy"], 4),
            "val_masked_tokens": scores["masked_tokens"],
            "val_pairs": scores["pairs"],
        }
        lm = probes.OwnModel(name, model, tok)
        example = probes.fill_mask(lm, "the little girl [MASK] to the park.", 3)
        metrics["the little girl [MASK] to the park."] = [t for t, _ in example.masks[0].predictions]
        description = (
            f"Tiny BERT: {config.layers} Transformer blocks, {config.heads} heads, d_model {config.d_model}, "
            "bidirectional; pre-trained with masked LM (15%: 80/10/10) and next sentence prediction."
        )
    entry = {
        "name": name,
        "kind": kind,
        "description": description,
        "parameters": card["parameters"],
        "training_data": ", ".join(card["training_files"])
        + (f" + {card['extra_training_texts']} IMDB training reviews" if card.get("extra_training_texts") else "")
        + f"; {card['training_tokens']:,} tokens; held out: {', '.join(card['validation_files'])}",
        "license": LICENSE
        + ("; IMDB reviews: no licence stated (research use)" if card.get("extra_training_texts") else ""),
        "training_command": _command(card, train_dir),
        "metrics": metrics,
        "config": card["config"],
        "model_config": card["model_config"],
        "steps_completed": card["steps_completed"],
        "best": card["best"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": _device(card),
        "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize)",
    }
    return register(root, entry, [weights, tok_path])


def register_sentiment(train_dir: Path, root: Path, name: str, base: str, data_root: Path) -> dict:
    import numpy as np

    from viz_app.core.lm import data, finetune
    from viz_app.core.registry import Registry

    card = json.loads((train_dir / f"{name}.card.json").read_text(encoding="utf-8"))
    weights = _store(train_dir / f"{name}.safetensors", root, name)
    registry = Registry(root)
    base_card = registry.card(base)
    from viz_app.core.lm.model import LMConfig, load_weights
    from viz_app.core.lm.tokenizer import WordPieces

    tok = WordPieces.load(registry.verified_path(base, 1))
    model = load_weights(registry.verified_path(base, 0), LMConfig(**base_card.extra["model_config"]), [weights])
    _, test = data.imdb_splits(data_root / "imdb")
    rows = [finetune.review_ids(tok, t, card["config"]["max_tokens"]) for t, _ in test]
    accuracy = float((finetune.predict(model, rows).argmax(1) == np.asarray([y for _, y in test])).mean())
    entry = {
        "name": name,
        "kind": "bert-sentiment",
        "base": base,
        "description": f"{base} fine-tuned for sentiment (negative / positive): its last block, the pooler and a "
        "new two-way head on [CLS] trained on IMDB reviews, the rest frozen.",
        "parameters": card["trainable_parameters"],
        "training_data": f"IMDB (imdb_small_3000.csv): {card['train_reviews']} reviews for training, "
        f"{card['dev_reviews']} held out to pick the epoch; test: imdb_small_1000_b.csv minus the 71 shared reviews",
        "license": "IMDB reviews (Maas et al. 2011): no licence stated in the source files (research use)",
        "training_command": _command(card, train_dir),
        "metrics": {
            "test_accuracy": round(accuracy, 4),
            "test_reviews": len(test),
            "dev_accuracy_before_finetuning": card["dev_accuracy_before_finetuning"],
        },
        "config": card["config"],
        "trained_tensors": card["trained_tensors"],
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": _device(card),
        "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize)",
    }
    return register(root, entry, [weights])


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("gpt", "bert", "sentiment"))
    parser.add_argument("train_dir")
    parser.add_argument("bundle_dir")
    parser.add_argument("--name", default=None)
    parser.add_argument("--base", default="bert-tiny")
    parser.add_argument("--data", default="../shared/data")
    args = parser.parse_args()
    names = {"gpt": "gpt-tiny", "bert": "bert-tiny", "sentiment": "bert-sentiment"}
    name = args.name or names[args.kind]
    if args.kind == "sentiment":
        result = register_sentiment(Path(args.train_dir), Path(args.bundle_dir), name, args.base, Path(args.data))
    else:
        result = register_language_model(args.kind, Path(args.train_dir), Path(args.bundle_dir), name, Path(args.data))
    print(json.dumps(result["metrics"], ensure_ascii=False))
