"""Put a trained Transformer into the registry:
``python -m viz_app.core.transformer.register DIR NAME [METRICS_JSON]``.

Reads DIR/NAME.card.json (written by ``viz-app train-transformer``), stores the weights as int8 with
per-row scales (``viz_app.core.quantize``) and records the card with the given evaluation results.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from viz_app.core.registry import register


def register_model(folder: Path, name: str, metrics: dict | None = None) -> dict:
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    cfg, mc = card["config"], card["model_config"]
    entry = {
        "name": name,
        "kind": "transformer",
        "description": (
            f"Transformer encoder-decoder, {mc['encoder_layers']}+{mc['decoder_layers']} layers, {mc['heads']} heads, "
            f"d_model {mc['d_model']}, sinusoidal positional encoding; French -> English."
        ),
        "task": "translate",
        "parameters": card["parameters"],
        "training_data": f"{card['pairs_file']} (Tatoeba via manythings): {card['train_pairs']:,} training pairs; "
        f"validation: {card['validation_pairs']:,} pairs whose French sentence hashes into a fixed 5% (the Seq2Seq "
        "lesson's split, never trained on)",
        "license": "CC-BY 2.0 FR (Tatoeba)",
        "training_command": re.sub(r"--out \S+", f"--out {folder.as_posix()}", card["training_command"]),
        "metrics": metrics or {},
        "config": cfg,
        "model_config": mc,
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": card["device"],
        "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize)",
    }
    return register(
        folder.parent,
        entry,
        [folder / f"{name}.safetensors", folder / f"{name}.source_vocab.txt", folder / f"{name}.target_vocab.txt"],
    )


if __name__ == "__main__":  # pragma: no cover
    metrics = json.loads(Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else None
    print(register_model(Path(sys.argv[1]), sys.argv[2], metrics)["files"])
