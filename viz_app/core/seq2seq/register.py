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


def register_model(
    folder: Path, name: str, metrics: dict | None = None, extra: dict | None = None, stored_as: str = "float16"
) -> dict:
    card = json.loads((folder / f"{name}.card.json").read_text(encoding="utf-8"))
    cfg = card["config"]
    chat = cfg.get("task") == "chat"
    if chat:
        data_note = (
            f"{card['pairs_file']} (DailyDialog, Li et al. 2017, a 2,624-dialogue subset): "
            f"{card['train_pairs']:,} (turn, reply) pairs; validation: {card['validation_pairs']:,} pairs from the "
            "dialogues that hash into a fixed 5% (whole dialogues, never trained on)"
        )
        licence = (
            "CC BY-NC-SA 4.0 (DailyDialog): non-commercial, share-alike; this model is shared under the same terms"
        )
    else:
        data_note = (
            f"{card['pairs_file']} (Tatoeba via manythings): {card['train_pairs']:,} training pairs; "
            f"validation: {card['validation_pairs']:,} pairs whose French sentence hashes into a fixed 5% (never "
            "trained on)"
        )
        licence = "CC-BY 2.0 FR (Tatoeba)"
    entry = {
        "name": name,
        "kind": "seq2seq",
        "description": (
            "GRU encoder-decoder with attention"
            if cfg["attention"]
            else "GRU encoder-decoder without attention (the decoder sees only the final context vector)"
        )
        + f", {cfg['dim']} units; "
        + ("a chatbot: an English utterance -> a reply." if chat else "French -> English."),
        "task": cfg.get("task", "translate"),
        "parameters": card["parameters"],
        "training_data": data_note,
        "license": licence,
        "training_command": re.sub(r"--out \S+", f"--out {folder.as_posix()}", card["training_command"]),
        "metrics": metrics or {},
        "config": cfg,
        "best_epoch": card["best_epoch"],
        "history": card["history"],
        "training_seconds": card["training_seconds"],
        "device": card["device"],
        "stored_as": stored_as,
        **(extra or {}),
    }
    return register(
        folder.parent,
        entry,
        [folder / f"{name}.safetensors", folder / f"{name}.source_vocab.txt", folder / f"{name}.target_vocab.txt"],
    )


def store_int8(source: Path, target: Path) -> None:
    """Re-save trained float16 weights as int8 with per-row scales (``viz_app.core.quantize``)."""
    from safetensors.torch import load_file, save_file

    from viz_app.core.quantize import quantize

    save_file(quantize(load_file(str(source))), str(target))


if __name__ == "__main__":  # pragma: no cover
    metrics = json.loads(Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else None
    print(register_model(Path(sys.argv[1]), sys.argv[2], metrics)["files"])
