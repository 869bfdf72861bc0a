"""Put the trained LSTM and bigram models into the registry: ``python -m viz_app.core.lstm.register DIR``."""

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
            "stored_as": "float16",
        },
        [folder / "lstm.safetensors", folder / "vocab.txt"],
    )
    bigram = register(
        folder.parent,
        {
            "name": BIGRAM_NAME,
            "kind": "bigram-lm",
            "description": "Bigram model P(w | previous word) counted from the same text and vocabulary, "
            "interpolated with the unigram distribution (0.8 / 0.2).",
            "parameters": 0,
            "training_data": data,
            "license": licence,
            "training_command": command + "   (written by the same run)",
            "metrics": {
                "val_perplexity_per_token": m["bigram_val_perplexity_per_token"],
                "val_perplexity_per_word": m["bigram_val_perplexity_per_word"],
            },
        },
        [folder / "bigram.safetensors", folder / "vocab.txt"],
    )
    return [lstm, bigram]


if __name__ == "__main__":  # pragma: no cover
    for c in register_folder(Path(sys.argv[1])):
        print(c["name"], [f["path"] for f in c["files"]])
