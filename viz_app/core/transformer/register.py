"""Put a trained Transformer into the registry:
``python -m viz_app.core.transformer.register TRAINED_DIR NAME [BUNDLE_DIR]``.

Copies TRAINED_DIR's vocabularies and card (written by ``viz-app train-transformer``) into BUNDLE_DIR
(default resources/models/transformer), stores the weights there as int8 with per-row scales
(``viz_app.core.quantize``), then scores the bundled files on the Seq2Seq lesson's validation split
(greedy decoding, sacrebleu, BLEU by source length) and records the card with those results.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from viz_app.core.registry import register


def register_model(folder: Path, name: str, metrics: dict | None = None, **fields) -> dict:
    """Register the trained Transformer in ``folder`` (its card written by the trainer); ``fields`` replace the
    French -> English translator's task, what, data and licence (the couplet writer passes its own)."""
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    cfg, mc = card["config"], card["model_config"]
    shape = (
        f"Transformer encoder-decoder, {mc['encoder_layers']}+{mc['decoder_layers']} layers, {mc['heads']} heads, "
        f"d_model {mc['d_model']}, sinusoidal positional encoding"
    )
    entry = {
        "name": name,
        "kind": "transformer",
        "description": f"{shape}; {fields.pop('what', 'French -> English.')}",
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
    entry.update(fields)
    return register(
        folder.parent,
        entry,
        [folder / f"{name}.safetensors", folder / f"{name}.source_vocab.txt", folder / f"{name}.target_vocab.txt"],
    )


def bundle(trained: Path, name: str, folder: Path, data_root: str = "../shared/data") -> dict:
    import shutil

    from viz_app.core.seq2seq.register import evaluate_card, store_int8

    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".source_vocab.txt", ".target_vocab.txt", ".card.json"):
        shutil.copy(trained / f"{name}{suffix}", folder / f"{name}{suffix}")
    store_int8(trained / f"{name}.safetensors", folder / f"{name}.safetensors")
    register_model(folder, name)  # registered first, so that it can be loaded to be scored
    metrics = evaluate_card(folder, name, data_root)
    return register_model(folder, name, metrics)


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[3] if len(sys.argv) > 3 else "resources/models/transformer")
    print(json.dumps(bundle(Path(sys.argv[1]), sys.argv[2], target)["metrics"], ensure_ascii=False, indent=1))
