"""Put trained embeddings into the model registry: ``python -m viz_app.core.embeddings.register DIR``.

Reads the ``*.card.json`` files that ``viz-app train-embeddings`` wrote into DIR (a folder
under resources/models) and adds each model to resources/models/manifest.json with its
files' sha256, so the registry can check them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from viz_app.core.corpus import ENGLISH_SOURCES
from viz_app.core.embeddings.word_vectors import EMBEDDING_KIND
from viz_app.core.registry import register

DESCRIPTIONS = {
    "ppmi-svd": "Counting-based: co-occurrence counts in a window of 5, positive PMI, truncated SVD.",
    "glove": "Counting-based: GloVe's weighted least squares on log co-occurrence counts (window 10, 1/d).",
    "cbow": "Prediction-based: continuous bag of words (predict a word from its context), negative sampling.",
    "skipgram": "Prediction-based: skip-gram (predict the context from a word), negative sampling.",
}


def register_folder(folder: Path) -> list[dict]:
    models_root = folder.parent
    cards = []
    for card_path in sorted(folder.glob("*.card.json")):
        card = json.loads(card_path.read_text(encoding="utf-8"))
        files = sorted({Path(f).parent.name for f in card["corpus_files"]})  # the source folders
        used = sorted({src for src in ENGLISH_SOURCES if any(src.split("/")[0] in f for f in card["corpus_files"])})
        entry = {
            "name": card["name"],
            "kind": EMBEDDING_KIND,
            "description": DESCRIPTIONS[card["method"]],
            "parameters": card["vocabulary"] * card["dim"] * (2 if card["method"] != "ppmi-svd" else 1),
            "training_data": f"{len(card['corpus_files'])} files from ../shared/data ({', '.join(files)}): "
            f"{card['corpus_tokens']:,} tokens, vocabulary of the {card['vocabulary']:,} most frequent lowercase "
            "words",
            "license": "; ".join(f"{src.split('/')[0]}: {ENGLISH_SOURCES[src]}" for src in used),
            "training_command": card["training_command"],
            "metrics": card["metrics"],
            "dim": card["dim"],
            "hyperparameters": card["hyperparameters"],
            "training_seconds": card["training_seconds"],
            "stored_as": "float16",
        }
        cards.append(register(models_root, entry, [folder / f"{card['name']}.safetensors", folder / "vocab.txt"]))
    table = folder / "cooccurrence-counts.safetensors"
    if table.exists():
        from safetensors.numpy import load_file

        from viz_app.core.embeddings import ratio

        tensors = load_file(str(table))
        window = int(tensors["window"][0])
        entry = {
            "name": ratio.MODEL_NAME,
            "kind": "cooccurrence",
            "description": f"Co-occurrence counts of the embeddings' corpus (window {window} on either side) for the "
            f"GloVe ratio table; pairs seen fewer than {ratio.MIN_COUNT} times are left out.",
            "parameters": int(len(tensors["counts"])),
            "training_data": cards[0]["training_data"] if cards else "",
            "license": cards[0]["license"] if cards else "",
            "training_command": f"viz-app count-cooccurrences --english-data ../shared/data --out {folder.as_posix()} "
            f"--window {window}",
            "metrics": {"pairs_stored": int(len(tensors["counts"])), "min_count": ratio.MIN_COUNT, "window": window},
        }
        cards.append(register(models_root, entry, [table, folder / "vocab.txt"]))
    return cards


if __name__ == "__main__":  # pragma: no cover
    for c in register_folder(Path(sys.argv[1])):
        print(c["name"], c["files"])
