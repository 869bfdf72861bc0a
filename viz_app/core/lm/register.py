"""Put a trained BERT, GPT or sentiment head into the registry, measured from the files as bundled:

    python -m viz_app.core.lm.register gpt TRAIN_DIR BUNDLE_DIR [--name gpt-tiny] [--data ../shared/data]
    python -m viz_app.core.lm.register bert TRAIN_DIR BUNDLE_DIR [--name bert-tiny]
    python -m viz_app.core.lm.register sentiment TRAIN_DIR BUNDLE_DIR [--name bert-sentiment] [--base bert-tiny]
    python -m viz_app.core.lm.register bow TRAIN_DIR BUNDLE_DIR [--name bow-sentiment]
    python -m viz_app.core.lm.register remeasure - BUNDLE_DIR --name bert-sentiment   (a bundled classifier's card)
    python -m viz_app.core.lm.register gpt-tang TRAIN_DIR BUNDLE_DIR     (or bert-tang: the Tang-poem models)

The weights are stored as int8 with per-row scales (``viz_app.core.quantize``) in BUNDLE_DIR/lm/, beside
the shared tokenizer.json; the card's metrics are computed again from those int8 files on the held-out text
(TinyStories validation lines; IMDB test reviews), so what the card says is what the app runs. A sentiment
classifier's card carries three held-out figures (``sentiment_sets``): the 929 test reviews, 275 short
sentences cut from them, 120 typed reviews.
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


def _training_record(card: dict) -> dict:
    """What every pre-trained BERT/GPT card keeps of its training run, and how the weights are stored."""
    keys = ("config", "model_config", "steps_completed", "best", "history", "training_seconds")
    return {k: card[k] for k in keys} | {
        "device": _device(card),
        "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize)",
    }


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
        **_training_record(card),
    }
    return register(root, entry, [weights, tok_path])


TANG_LICENSE = "Tang poems (zh_tw_tang_poems): public domain; weights trained by this project"
TANG_PROBES = ("床前明月[MASK]，疑是地上霜。", "白日依山[MASK]，黃河入海流。", "春眠不覺[MASK]，處處聞啼鳥。")


def register_tang(kind: str, train_dir: Path, root: Path, name: str, tsv: Path | None = None) -> dict:
    """gpt-tang or bert-tang into the registry: int8 weights and the character tokenizer in BUNDLE_DIR/lm/, the
    card's figures measured from those files on every validation poem of the fixed split, beside the character
    bigram with interpolated Kneser-Ney smoothing counted from the same training poems."""

    from viz_app.core.lm import probes, tang
    from viz_app.core.lm.model import LMConfig, load_weights

    card = json.loads((train_dir / f"{name}.card.json").read_text(encoding="utf-8"))
    weights = _store(train_dir / f"{name}.safetensors", root, name)
    tok_path = root / FOLDER / f"{name}.tokenizer.json"
    shutil.copyfile(train_dir / "tokenizer.json", tok_path)
    tok = tang.CharTokenizer.load(tok_path)
    config = LMConfig(**card["model_config"])
    model = load_weights(weights, config)
    split = tang.load_split(tsv or tang.DEFAULT_TSV)
    if tang.CharTokenizer.train([p.text for p in split.train]).tokens != tok.tokens:
        raise ValueError(f"{train_dir}: its tokenizer is not the one of these training poems")
    val = [p.text for p in split.validation]
    base = tang.baselines(split, tok)
    lm = probes.OwnModel(name, model, tok)
    if kind == "gpt":
        own = tang.gpt_perplexity(model, tok, val)
        metrics = {
            "val_perplexity_per_character": round(own["perplexity_per_character"], 2),
            "bigram_kn_perplexity_per_character": round(base["bigram_kn"]["perplexity_per_character"], 2),
            "validation_tokens": own["tokens"],
        }
        for prompt in ("床前", "春"):
            steps = list(probes.generate(lm, prompt, 40, probes.Sampling(1.0, 40, 1.0), 0))
            metrics[f"sample {prompt} (seed 0, top-k 40, unconstrained)"] = probes.join_generated(lm, prompt, steps)
        from viz_app.core.lm import poem

        # What the form constraint adds: how many free samples keep a 五言絕句 by themselves.
        metrics["free_samples_keeping_5x4"] = poem.free_form_share(lm, "5x4").to_json()
        description = (
            f"Character-level GPT on Tang poems: {config.layers} Transformer blocks, {config.heads} heads, d_model "
            f"{config.d_model}, causal mask, learned positions; pre-trained on next-character prediction over "
            "[SEP] poem [SEP]."
        )
        evaluation = (
            "every token after the opening [SEP] of each validation poem (characters, punctuation, the closing "
            "[SEP]), the same tokens for the bigram; " + base["bigram_kn"]["note"]
        )
    else:
        own = tang.bert_masked_scores(model, tok, val)
        ref = base["masked_bigram_both_sides"]
        metrics = {
            "val_masked_character_top1": round(own["top1"], 4),
            "val_masked_character_top5": round(own["top5"], 4),
            "bigram_both_sides_top1": round(ref["top1"], 4),
            "bigram_both_sides_top5": round(ref["top5"], 4),
            "masked_characters": own["masked"],
        }
        for text in TANG_PROBES:
            fill = probes.fill_mask(lm, text, 5)
            metrics[text] = [[t, round(p, 4)] for t, p in fill.masks[0].predictions]
        description = (
            f"Character-level BERT on Tang poems: {config.layers} Transformer blocks, {config.heads} heads, d_model "
            f"{config.d_model}, bidirectional; pre-trained with masked characters "
            f"({100 * card['config'].get('mask_rate', 0.15):.0f}%: 80/10/10) and next sentence prediction over the "
            "couplets of a poem" + (", starting from gpt-tang's weights." if card.get("initialised_from") else ".")
        )
        evaluation = ref["note"] + " (the BERT answers the same questions, each masked alone)"
    entry = {
        "name": name,
        "kind": kind,
        "tokenizer": "char",
        "language": "zh",
        "description": description,
        "parameters": card["parameters"],
        "training_data": f"zh_tw_tang_poems/tang_regular_verse.tsv: {split.to_json()['train_poems']:,} training "
        f"poems; {card['training_tokens']:,} tokens; held out: {split.to_json()['validation_poems']:,} validation "
        f"poems ({split.to_json()['rule']})",
        "license": TANG_LICENSE,
        "training_command": _command(card, Path(f"runs/{name}")),
        "metrics": metrics,
        "evaluation": evaluation,
        "vocabulary": len(tok),
        **_training_record(card),
    }
    return register(root, entry, [weights, tok_path])


def bert_predictor(model, tok, max_tokens: int):
    """texts -> (N, 2) probabilities from a BERT with a sentiment head, each text read whole in windows of
    ``max_tokens`` and the windows' probabilities averaged (as the app classifies)."""
    from viz_app.core.lm import finetune

    return lambda texts: finetune.predict_texts(model, tok, texts, max_tokens)


def _sentiment_model(registry, name: str, base: str, weights: Path):
    from viz_app.core.lm.model import LMConfig, load_weights
    from viz_app.core.lm.tokenizer import WordPieces

    base_card = registry.card(base)
    tok = WordPieces.load(registry.verified_path(base, 1))
    model = load_weights(registry.verified_path(base, 0), LMConfig(**base_card.extra["model_config"]), [weights])
    return model, tok


SET_NOTE = (
    "held out, never used for training or for choosing the model: test_accuracy on imdb_small_1000_b.csv minus the "
    "71 reviews it shares with the training file; short_sentence_accuracy on {short}; typed_review_accuracy on short "
    "reviews written for the purpose by this project's developer (an AI assistant), resources/eval/typed_reviews.tsv. A BERT reads "
    "each text whole, in windows of at most max_tokens tokens, its windows' probabilities averaged (as the app does)"
)


def _set_note() -> str:
    from viz_app.core.lm import sentiment_sets

    return SET_NOTE.format(short=sentiment_sets.CUT_RULE + " (resources/eval/imdb_short_sentences.json)")


def _describe_recipe(base: str, recipe: str) -> str:
    if recipe == "whole":
        return (
            f"{base} fine-tuned for sentiment (negative / positive): every weight of the BERT and a new two-way head "
            "on [CLS], trained on IMDB reviews and on short sentences cut from them."
        )
    return (
        f"{base} fine-tuned for sentiment (negative / positive): its last block, the pooler and a new two-way head "
        "on [CLS] trained on IMDB reviews, the rest frozen (the lecture's recipe)."
    )


def register_sentiment(train_dir: Path, root: Path, name: str, base: str, data_root: Path) -> dict:
    from viz_app.core.lm import sentiment_sets
    from viz_app.core.registry import Registry

    card = json.loads((train_dir / f"{name}.card.json").read_text(encoding="utf-8"))
    weights = _store(train_dir / f"{name}.safetensors", root, name)
    model, tok = _sentiment_model(Registry(root), name, base, weights)
    figures = sentiment_sets.accuracies(bert_predictor(model, tok, card["config"]["max_tokens"]), data_root / "imdb")
    recipe = card["config"].get("recipe", "last")
    sentences = card.get("train_sentences", 0)
    entry = {
        "name": name,
        "kind": "bert-sentiment",
        "base": base,
        "description": _describe_recipe(base, recipe),
        "parameters": card["trainable_parameters"],
        "training_data": f"IMDB (imdb_small_3000.csv): {card['train_reviews']} reviews for training"
        + (
            f" and {sentences} short sentences cut from them (kept where a bag-of-words model agrees with the "
            "review's label)"
            if sentences
            else ""
        )  # fmt: skip
        + f", {card['dev_reviews']} reviews held out to pick the epoch"
        + (f" (with {card['dev_sentences']} sentences cut from them)" if card.get("dev_sentences") else "")
        + "; test: imdb_small_1000_b.csv minus the 71 shared reviews",
        "license": "IMDB reviews (Maas et al. 2011): no licence stated in the source files (research use)",
        "training_command": _command(card, train_dir),
        "metrics": figures | {"dev_accuracy_before_finetuning": card["dev_accuracy_before_finetuning"]},
        "evaluation": _set_note(),
        "config": card["config"],
        "trained_tensors": card["trained_tensors"],
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": _device(card),
        "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize)",
    }
    return register(root, entry, [weights])


def register_bow(train_dir: Path, root: Path, name: str, data_root: Path) -> dict:
    from viz_app.core.lm import bow_classifier, sentiment_sets

    card = json.loads((train_dir / f"{name}.card.json").read_text(encoding="utf-8"))
    files = []
    for suffix in (".safetensors", ".json"):
        target = root / FOLDER / f"{name}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(train_dir / f"{name}{suffix}", target)
        files.append(target)
    model = bow_classifier.BowClassifier.load(*files)
    entry = {
        "name": name,
        "kind": "bow-sentiment",
        "description": "Bag of words for sentiment: TF-IDF of the words and word pairs of a review (as in the "
        "Document embedding lesson), then logistic regression (scikit-learn, L2, C picked on a dev split).",
        "parameters": len(model.vocabulary) + 1,
        "training_data": f"IMDB (imdb_small_3000.csv): all {card['train_reviews']} reviews (C picked with "
        f"{card['dev_reviews']} of them held out); {len(model.vocabulary):,} words and word pairs seen in 2 or more "
        "reviews; test: imdb_small_1000_b.csv minus the 71 shared reviews",
        "license": "IMDB reviews (Maas et al. 2011): no licence stated in the source files (research use); "
        "model trained by this project",
        "training_command": _command(card, train_dir) or card.get("training_command", ""),
        "metrics": sentiment_sets.accuracies(model.predict_proba, data_root / "imdb"),
        "evaluation": _set_note(),
        "config": {"C": card["C"], "min_df": card["min_df"], "ngram_range": [1, model.ngram_max], "sublinear_tf": True},
        "c_grid": card["c_grid"],
        "stored_as": "vocabulary and settings in JSON, idf and coefficients in float64 safetensors (no pickle)",
    }
    return register(root, entry, files)


def remeasure(root: Path, name: str, data_root: Path) -> dict:
    """Measure a bundled classifier's card again from its bundled files (three held-out figures)."""
    from viz_app.core.lm import bow_classifier, sentiment_sets
    from viz_app.core.registry import Registry

    registry = Registry(root)
    card = registry.card(name).to_json()
    if card["kind"] == "bow-sentiment":
        predict = bow_classifier.load(registry, name).predict_proba
    elif card["kind"] == "bert-sentiment":
        model, tok = _sentiment_model(registry, name, card["base"], registry.verified_path(name, 0))
        predict = bert_predictor(model, tok, card["config"]["max_tokens"])
    else:
        raise ValueError(f"{name} is a {card['kind']}, not a sentiment classifier")
    card["metrics"] = {k: v for k, v in card["metrics"].items() if k.startswith("dev_")} | sentiment_sets.accuracies(
        predict, data_root / "imdb"
    )
    card["evaluation"] = _set_note()
    if card["kind"] == "bert-sentiment":
        card["description"] = _describe_recipe(card["base"], card["config"].get("recipe", "last"))
    files = [Path(root) / f["path"] for f in card.pop("files")]
    return register(root, card, files)


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("gpt", "bert", "sentiment", "bow", "remeasure", "gpt-tang", "bert-tang"))
    parser.add_argument("train_dir")
    parser.add_argument("bundle_dir")
    parser.add_argument("--name", default=None)
    parser.add_argument("--base", default="bert-tiny")
    parser.add_argument("--data", default="../shared/data")
    args = parser.parse_args()
    names = {"gpt": "gpt-tiny", "bert": "bert-tiny", "sentiment": "bert-sentiment", "bow": "bow-sentiment"}
    name = args.name or names.get(args.kind, "bert-sentiment")
    if args.kind in ("gpt-tang", "bert-tang"):
        result = register_tang(args.kind.split("-")[0], Path(args.train_dir), Path(args.bundle_dir), args.kind)
    elif args.kind == "bow":
        result = register_bow(Path(args.train_dir), Path(args.bundle_dir), name, Path(args.data))
    elif args.kind == "remeasure":
        result = remeasure(Path(args.bundle_dir), name, Path(args.data))
    elif args.kind == "sentiment":
        result = register_sentiment(Path(args.train_dir), Path(args.bundle_dir), name, args.base, Path(args.data))
    else:
        result = register_language_model(args.kind, Path(args.train_dir), Path(args.bundle_dir), name, Path(args.data))
    print(json.dumps(result["metrics"], ensure_ascii=False))
