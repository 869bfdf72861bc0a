"""``viz-app train-embeddings``: one corpus, one vocabulary, four methods, files the registry reads.

Writes into OUT: ``<name>.safetensors`` (tensor "vectors", (V, dim) int8 with a scale per row, which
is a quarter of float32's size; on 20,000 random word pairs of the skip-gram model, cosines moved by
at most 0.0035 against float16, median 0.0005), ``vocab.txt``
(one word per line, shared by all four models) and ``<name>.card.json`` (the model
card: corpus, token count, vocabulary, dimension, epochs, training time, scores).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

from viz_app.core import corpus as corpus_mod
from viz_app.core.jobs import Progress

METHODS = ("ppmi-svd", "glove", "cbow", "skipgram")
MODEL_NAMES = {
    "ppmi-svd": "embedding-ppmi-svd",
    "glove": "embedding-glove",
    "cbow": "embedding-cbow",
    "skipgram": "embedding-skipgram",
}
ANALOGY_FILE = "analogies.txt"
SIMILARITY_FILE = "similarity.tsv"


def corpus_files(paths: list[str], english_data: str | None) -> list[Path]:
    """Files from --corpus (files, or folders read for *.txt and *.raw) and --english-data."""
    files: list[Path] = []
    if english_data:
        files += corpus_mod.english_corpus_paths(english_data)
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(x for x in path.rglob("*") if x.suffix in (".txt", ".raw") and x.is_file())
            if not found:
                raise ValueError(f"{path}: no .txt or .raw files in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise ValueError(f"{path}: no such file or folder")
    if not files:
        raise ValueError("no corpus: give --corpus PATH... or --english-data DIR")
    return files


def train_method(
    method: str,
    encoded,
    dim: int = 100,
    epochs: int | None = None,
    seed: int = 0,
    device: str = "cpu",
    window: int | None = None,
):
    """Generator: yields Progress, returns (vectors (V, dim) float32, hyper-parameters dict)."""
    from viz_app.core.embeddings import cooccurrence, glove, ppmi_svd, word2vec

    size = len(encoded.vocabulary.words)
    if method == "ppmi-svd":
        win = window or 5
        yield Progress(0.05, "counting co-occurrences")
        co = cooccurrence.count(encoded.ids, size, win)
        yield Progress(0.5, "positive PMI and truncated SVD")
        vectors = ppmi_svd.svd_vectors(ppmi_svd.ppmi(co), dim, seed=seed)
        return vectors, {"window": win, "context_smoothing": 0.75, "svd": "randomised, U*sqrt(S)", "epochs": 0}
    if method == "glove":
        cfg = glove.GloveConfig(
            dim=dim, seed=seed, **({"epochs": epochs} if epochs else {}), **({"window": window} if window else {})
        )
        yield Progress(0.0, "counting co-occurrences (1/d weighting)")
        co = cooccurrence.count(encoded.ids, size, cfg.window, weighting="harmonic")
        vectors = yield from glove.train(co, cfg, device)
        return vectors, asdict(cfg)
    if method in ("cbow", "skipgram"):
        cfg = word2vec.Word2VecConfig(
            method=method,
            dim=dim,
            seed=seed,
            **({"epochs": epochs} if epochs else {}),
            **({"window": window} if window else {}),
        )
        vectors = yield from word2vec.train(encoded.ids, encoded.vocabulary.counts, cfg, device)
        return vectors, {**asdict(cfg), "lr": cfg.start_lr}
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def evaluate(words, vectors, eval_dir: Path) -> dict:
    from viz_app.core.embeddings.word_vectors import WordVectors, evaluate_analogies, evaluate_similarity

    wv = WordVectors.from_arrays(words, vectors)
    out = {}
    if (eval_dir / ANALOGY_FILE).exists():
        a = evaluate_analogies(wv, eval_dir / ANALOGY_FILE)
        out["analogy"] = {
            "top1": round(a.top1, 4),
            "top5": round(a.top5, 4),
            "n": a.n,
            "skipped": a.skipped,
            "categories": {k: round(v["top1"], 4) for k, v in a.categories.items()},
        }
    if (eval_dir / SIMILARITY_FILE).exists():
        s = evaluate_similarity(wv, eval_dir / SIMILARITY_FILE)
        out["similarity"] = {"spearman": round(s.spearman, 4), "n": s.n, "skipped": s.skipped}
    if all(wv.lookup(w) is not None for w in ("man", "woman", "king")):
        out["man:woman::king:?"] = [[w, round(c, 4)] for w, c in wv.analogy("man", "woman", "king", 5)]
    return out


def run(
    methods: list[str],
    files: list[Path],
    out: Path,
    dim: int = 100,
    epochs: int | None = None,
    seed: int = 0,
    device: str = "cpu",
    vocab_size: int = 20000,
    min_count: int = 5,
    eval_dir: Path | None = None,
    window: int | None = None,
    command: str = "",
):
    """Generator: trains each method in turn and writes its files; returns the cards."""
    yield Progress(None, f"reading {len(files)} corpus files")
    encoded = corpus_mod.encode_corpus(files, vocab_size, min_count)
    return (
        yield from run_encoded(
            methods,
            encoded,
            out,
            MODEL_NAMES,
            (lambda words, vectors: evaluate(words, vectors, eval_dir)) if eval_dir else (lambda words, vectors: {}),
            {"corpus_files": [str(f) for f in files]},
            dim=dim,
            epochs=epochs,
            seed=seed,
            device=device,
            window=window,
            command=command,
        )
    )


def run_encoded(
    methods: list[str],
    encoded,
    out: Path,
    names: dict[str, str],
    score,
    card_fields: dict,
    dim: int = 100,
    epochs: int | None = None,
    seed: int = 0,
    device: str = "cpu",
    window: int | None = None,
    command: str = "",
):
    """Generator: trains each method on an encoded corpus (any tokenisation: words, or the Tang poems'
    characters) and writes ``vocab.txt``, ``<name>.safetensors`` (int8 with a scale per row) and
    ``<name>.card.json`` into ``out``; ``score(words, vectors)`` gives the card's metrics from the stored
    vectors, ``card_fields`` the card's corpus description. Returns the cards."""
    from safetensors.numpy import save_file

    from viz_app.core.quantize import dequantize_numpy, quantize_numpy

    out.mkdir(parents=True, exist_ok=True)
    encoded.vocabulary.save(out / "vocab.txt")
    cards = []
    for k, method in enumerate(methods):
        start = time.perf_counter()
        gen = train_method(method, encoded, dim, epochs, seed, device, window)
        while True:
            try:
                p = next(gen)
            except StopIteration as stop:
                vectors, params = stop.value
                break
            frac = None if p.fraction is None else (k + p.fraction) / len(methods)
            yield Progress(frac, f"[{method}] {p.message}")
        seconds = time.perf_counter() - start
        name = names[method]
        packed = quantize_numpy({"vectors": vectors})  # int8 with one scale per row
        save_file(packed, str(out / f"{name}.safetensors"))
        stored = dequantize_numpy(packed)["vectors"]  # score what is shipped
        card = {
            "name": name,
            "method": method,
            "dim": int(vectors.shape[1]),
            "vocabulary": len(encoded.vocabulary.words),
            "min_count_in_vocabulary": int(encoded.vocabulary.counts[-1]),
            **card_fields,
            "corpus_tokens": encoded.tokens_total,
            "corpus_tokens_in_vocabulary": int((encoded.ids >= 0).sum()),
            "hyperparameters": params,
            "seed": seed,
            "device": device,
            "training_seconds": round(seconds, 1),
            "training_command": command,
            "metrics": score(encoded.vocabulary.words, stored),
        }
        (out / f"{name}.card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        cards.append(card)
    return cards


def requantize_bundled(root: Path, eval_dir: Path) -> dict:
    """Store the bundled float16 embeddings as int8 with a scale per row (half the size), score them
    again as stored, and update their cards: ``python -m viz_app.core.embeddings.train ROOT EVAL_DIR``."""
    from safetensors.numpy import load_file, save_file

    from viz_app.core.quantize import dequantize_numpy, quantize_numpy
    from viz_app.core.registry import Registry, register

    root = Path(root)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    changed = {}
    for entry in manifest["models"]:
        if entry["kind"] != "word-embedding" or entry.get("stored_as") != "float16":
            continue
        path = root / entry["files"][0]["path"]
        vectors = dequantize_numpy(load_file(str(path)))["vectors"]
        packed = quantize_numpy({"vectors": vectors})
        save_file(packed, str(path))
        words = (root / entry["files"][1]["path"]).read_text(encoding="utf-8").split("\n")
        words = words[:-1] if words and words[-1] == "" else words
        entry = dict(entry, stored_as="int8 with one float32 scale per row (viz_app.core.quantize)")
        entry["metrics"] = evaluate(words, dequantize_numpy(packed)["vectors"], Path(eval_dir))
        files = [root / f["path"] for f in entry.pop("files")]
        register(root, entry, files)
        card_path = path.with_suffix(".card.json")
        if card_path.exists():
            card = json.loads(card_path.read_text(encoding="utf-8"))
            card["metrics"] = entry["metrics"]
            card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        changed[entry["name"]] = entry["metrics"].get("analogy", {}).get("top1")
    Registry(root).cards()  # the manifest still reads
    return changed


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(json.dumps(requantize_bundled(Path(sys.argv[1]), Path(sys.argv[2]))))
