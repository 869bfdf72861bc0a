"""Put the trained LSTM and bigram models into the registry: ``python -m viz_app.core.lstm.register DIR``.

``python -m viz_app.core.lstm.register --bigram DIR [DATA_ROOT]`` counts the Kneser-Ney bigram again from the
card's training files (discount tuned on a dev split of them), scores it on the validation files and writes
bigram.safetensors and its figures into lstm.card.json (register afterwards).

``python -m viz_app.core.lstm.register --int8 DIR [DATA_ROOT]`` stores the LSTM's weights as int8 with a scale
per row (half the size of float16), scores the stored file again on the validation lines and re-registers."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from viz_app.core.lstm.probes import BIGRAM_NAME, LSTM_NAME
from viz_app.core.registry import register


def register_folder(folder: Path) -> list[dict]:
    card = json.loads((folder / "lstm.card.json").read_text(encoding="utf-8"))
    command = re.sub(r"--out \S+", f"--out {folder.as_posix()}", card["training_command"])
    data = (
        f"{', '.join(card['training_files'])}: {card['training_tokens']:,} tokens (lowercase words and "
        f"punctuation, <start>/<end> per line); validation: {', '.join(card['validation_files'])} "
        f"({card['validation_lines']:,} lines, {card['validation_tokens']:,} tokens, {card['validation_words']:,} "
        "words), never trained on"
    )
    licence = "TinyStories: CDLA-Sharing-1.0"
    m = card["metrics"]
    lstm = register(
        folder.parent,
        {
            "name": LSTM_NAME,
            "kind": "lstm-lm",
            "description": f"Word-level LSTM language model: {card['config']['layers']} layer, {card['config']['dim']} "
            f"units, vocabulary {card['config']['vocab_size']:,} (input and output embeddings tied).",
            "parameters": card["parameters"],
            "training_data": data,
            "license": licence,
            "training_command": command,
            "metrics": m,
            "config": card["config"],
            "best_epoch": card["best_epoch"],
            "history": card["history"],
            "training_seconds": card["training_seconds"],
            "device": f"{card['device']} (an NVIDIA H100 lent to the session)"
            if card["device"] == "cuda"
            else card["device"],
            "stored_as": card.get("stored_as", "float16"),
        },
        [folder / "lstm.safetensors", folder / "vocab.txt"],
    )
    bigram = register(
        folder.parent,
        {
            "name": BIGRAM_NAME,
            "kind": "bigram-lm",
            "description": bigram_description(card.get("bigram", {})),
            "parameters": 0,
            "training_data": data,
            "license": licence,
            "training_command": command + "   (written by the same run)"
            if "recount_command" not in card.get("bigram", {})
            else card["bigram"]["recount_command"],
            "metrics": {
                "val_perplexity_per_token": m["bigram_val_perplexity_per_token"],
                "val_perplexity_per_word": m["bigram_val_perplexity_per_word"],
            },
            **({"smoothing": card["bigram"]} if "bigram" in card else {}),
        },
        [folder / "bigram.safetensors", folder / "vocab.txt"],
    )
    return [lstm, bigram]


def bigram_description(record: dict) -> str:
    discount = record.get("discount", 0.75)
    return (
        "Bigram model P(w | previous word) counted from the same text and vocabulary, smoothed by interpolated "
        f"Kneser-Ney (discount {discount:g}, tuned on a dev split of the training lines): an unseen pair gets "
        "the discounted mass times the continuation probability of the next word."
    )


def recount_bigram(folder: Path, data_root: Path) -> dict:
    """Count the Kneser-Ney bigram again from the card's training files with the bundled vocabulary, score it on
    the card's validation files, write bigram.safetensors and the bigram's figures into lstm.card.json.

    The manifest is not touched: run ``python -m viz_app.core.lstm.register DIR`` afterwards to register."""
    import math

    from safetensors.numpy import save_file

    from viz_app.core.lstm import text
    from viz_app.core.lstm.train import bigram_nll, count_bigram

    card_path = folder / "lstm.card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))

    def local(f: str) -> Path:
        return Path(f) if Path(f).exists() else data_root / Path(f).parent.name / Path(f).name

    words = [w for w in (folder / "vocab.txt").read_text(encoding="utf-8").split("\n") if w]
    vocab = text.Vocab(words)
    seqs = text.sequences([local(f) for f in card["training_files"]])
    bigram, record = count_bigram(seqs, vocab, card["config"].get("seed", 0))
    save_file(bigram.tensors(), str(folder / "bigram.safetensors"))
    val_lines = [
        line
        for f in card["validation_files"]
        for line in text.read_text(local(f)).split("\n")
        if text.word_tokens(line)
    ]
    nll, tokens = bigram_nll(bigram, vocab, [text.word_tokens(line) for line in val_lines])
    if tokens != card["validation_tokens"]:
        raise ValueError(f"scored {tokens} validation tokens, the card says {card['validation_tokens']}")
    previous = {k: card["metrics"][k] for k in ("bigram_val_perplexity_per_token", "bigram_val_perplexity_per_word")}
    card["metrics"]["bigram_val_perplexity_per_token"] = round(math.exp(nll / tokens), 2)
    card["metrics"]["bigram_val_perplexity_per_word"] = round(math.exp(nll / card["validation_words"]), 2)
    record["before_kneser_ney"] = card.get("bigram", {}).get(
        "before_kneser_ney", {"smoothing": "0.8 bigram + 0.2 add-one unigram", **previous}
    )
    record["recount_command"] = f"python -m viz_app.core.lstm.register --bigram {folder.as_posix()}"
    card["bigram"] = record
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return {**card["metrics"], "bigram": record}


def store_int8(folder: Path, data_root: Path) -> dict:
    """Re-save lstm.safetensors as int8 (``viz_app.core.quantize``), score it as stored on the card's
    validation files, write the new metrics into lstm.card.json and register again. Returns the metrics."""
    import math

    from safetensors.torch import load_file, save_file

    from viz_app.core.lstm import text
    from viz_app.core.lstm.load import load_lstm_file
    from viz_app.core.lstm.train import TrainConfig, nll_of_sequences
    from viz_app.core.quantize import dequantize, quantize

    card_path = folder / "lstm.card.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    path = folder / "lstm.safetensors"
    save_file(quantize(dequantize(load_file(str(path)))), str(path))
    words = [w for w in (folder / "vocab.txt").read_text(encoding="utf-8").split("\n") if w]
    vocab = text.Vocab(words)
    model = load_lstm_file(path, len(vocab), TrainConfig(**card["config"]))
    files = [
        Path(f) if Path(f).exists() else data_root / Path(f).parent.name / Path(f).name
        for f in card["validation_files"]
    ]
    val_lines = [line for f in files for line in text.read_text(f).split("\n") if text.word_tokens(line)]
    nll, tokens = nll_of_sequences(model, vocab, [text.word_tokens(line) for line in val_lines])
    card["metrics"]["lstm_val_perplexity_per_token"] = round(math.exp(nll / tokens), 2)
    card["metrics"]["lstm_val_perplexity_per_word"] = round(math.exp(nll / card["validation_words"]), 2)
    card["stored_as"] = "int8 with one float32 scale per row (viz_app.core.quantize)"
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    register_folder(folder)
    return card["metrics"]


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1] == "--bigram":
        root = Path(sys.argv[3] if len(sys.argv) > 3 else "../shared/data")
        print(json.dumps(recount_bigram(Path(sys.argv[2]), root), indent=2))
        sys.exit(0)
    if sys.argv[1] == "--int8":
        print(json.dumps(store_int8(Path(sys.argv[2]), Path(sys.argv[3] if len(sys.argv) > 3 else "../shared/data"))))
        sys.exit(0)
    for c in register_folder(Path(sys.argv[1])):
        print(c["name"], [f["path"] for f in c["files"]])
