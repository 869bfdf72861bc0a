"""Put trained encoder-decoders into the registry: ``python -m viz_app.core.seq2seq.register DIR NAME [BLEU_JSON]``.

Reads DIR/NAME.card.json (written by ``viz-app train-seq2seq``) and, if given, a JSON file of
evaluation results (BLEU on the validation split, by source length) to put into the card's metrics.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from viz_app.core.registry import register


def register_model(folder: Path, name: str, metrics: dict | None = None, extra: dict | None = None) -> dict:
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    cfg = card["config"]
    entry = {
        "name": name,
        "kind": "seq2seq",
        "description": (
            "GRU encoder-decoder with attention"
            if cfg["attention"]
            else "GRU encoder-decoder without attention (the decoder sees only the final context vector)"
        )
        + f", {cfg['dim']} units; French -> English.",
        "parameters": card["parameters"],
        "training_data": f"{card['pairs_file']} (Tatoeba via manythings): {card['train_pairs']:,} training pairs; "
        f"validation: {card['validation_pairs']:,} pairs whose French sentence hashes into a fixed 5% (never "
        "trained on)",
        "license": "CC-BY 2.0 FR (Tatoeba)",
        "training_command": re.sub(r"--out \S+", f"--out {folder.as_posix()}", card["training_command"]),
        "metrics": metrics or {},
        "config": cfg,
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": card["device"],
        "stored_as": "float16",
        **(extra or {}),
    }
    return register(
        folder.parent,
        entry,
        [folder / f"{name}.safetensors", folder / f"{name}.source_vocab.txt", folder / f"{name}.target_vocab.txt"],
    )


if __name__ == "__main__":  # pragma: no cover
    metrics = json.loads(Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else None
    print(register_model(Path(sys.argv[1]), sys.argv[2], metrics)["files"])
