"""Character embeddings of the Tang poems: the Word embedding lab's Chinese models.

``embedding-tang-skipgram`` (prediction-based, :mod:`word2vec`'s skip-gram) and ``embedding-tang-ppmi``
(counting-based, :mod:`ppmi_svd`) are trained by the English embeddings' own code (:func:`train.run_encoded`)
on the training poems of :func:`viz_app.core.lm.tang.load_split` (split by poem hash; the validation poems are
never trained on).

Tokenisation: one token per character. The punctuation ，。？！； is not a word to embed: it is dropped, and each
poem is one unit, as a paragraph is for the English embeddings: a window reaches across the line ends inside a
poem (the two lines of a couplet answer each other, 對仗) but never into the next poem. The vocabulary is every
character seen at least ``MIN_COUNT`` times in the training poems, most frequent first.

The cards' metrics are measured on the stored (int8) vectors: the nearest neighbours of ``PROBES``; the analogy
questions of ``resources/eval/tang_analogies.tsv`` (written by :func:`write_analogies` from ``ANALOGY_PAIRS``),
top-1 / top-5 with the three question characters excluded, beside the baseline that answers with the nearest
neighbour of c; and, on the validation poems, how often the character at the same place in a couplet's second
line is among the 10 nearest neighbours of the first line's character, beside the baseline that guesses the 10
most frequent characters.

``python -m viz_app.core.embeddings.tang train --out resources/models/embeddings/tang --threads 1``
trains both and writes their files and cards; ``... register resources/models/embeddings/tang`` adds them to
``resources/models/manifest.json``; ``... analogies`` writes the analogy file again.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from viz_app.core.corpus import BOUNDARY, EncodedCorpus, build_vocabulary

MIN_COUNT = 5
METHODS = ("skipgram", "ppmi-svd")
MODEL_NAMES = {"skipgram": "embedding-tang-skipgram", "ppmi-svd": "embedding-tang-ppmi"}
EPOCHS = 10  # skip-gram: the poems are a quarter of the English corpus's size, so twice word2vec's 5 epochs
PROBES = "春月山風花水"
NEIGHBOURS = 8
HIT_AT = 10
PUNCTUATION = "，。？！；"
DATA_NAME = "../shared/data/zh_tw_tang_poems/tang_regular_verse.tsv"
ANALOGY_NAME = "tang_analogies.tsv"  # in resources/eval
LICENSE = "chinese-poetry/chinese-poetry (the corpus's source): MIT; the poems (Tang dynasty) are in the public domain"
DESCRIPTIONS = {
    "skipgram": "Prediction-based, one vector per character of the Tang poems: skip-gram (predict the characters "
    "around a character, window 5 inside one poem), negative sampling.",
    "ppmi-svd": "Counting-based, one vector per character of the Tang poems: co-occurrence counts in a window of 5 "
    "inside one poem, positive PMI, truncated SVD.",
}

# Analogy pairs a teacher would accept (a : b :: c : d, both pairs of one relation). Two-pair relations give 4
# questions (either pair first, either direction), three-pair relations 6 (every ordered choice of two pairs).
ANALOGY_PAIRS = {
    "seasons": [("春", "秋"), ("夏", "冬")],  # the opposite season
    "directions": [("東", "西"), ("南", "北")],  # the opposite compass point
    "colours": [("紅", "綠"), ("白", "黑")],  # contrasting colours
    "numbers": [("一", "二"), ("三", "四"), ("五", "六")],  # the next number
    "nature-pairs": [("天", "地"), ("日", "月"), ("山", "水")],  # heaven/earth, sun/moon, mountain/water
    "men-women": [("男", "女"), ("父", "母"), ("夫", "婦")],  # man/woman, father/mother, husband/wife
}


def analogy_path() -> Path:
    from viz_app.core.resources import resources_dir

    return resources_dir() / "eval" / ANALOGY_NAME


# --- the corpus ------------------------------------------------------------------------------------------------


def poem_characters(text: str) -> list[str]:
    """A poem's characters, its punctuation and whitespace dropped."""
    return [ch for ch in text if ch not in PUNCTUATION and not ch.isspace()]


def encode_poems(texts, min_count: int = MIN_COUNT) -> EncodedCorpus:
    """Characters of each poem, BOUNDARY after each poem; characters seen fewer than ``min_count`` times left
    out (the windows close over the gap, as the English corpus closes over rare words)."""
    units = [poem_characters(t) for t in texts]
    counter = Counter(ch for unit in units for ch in unit)
    vocab = build_vocabulary(counter, max_size=len(counter) + 1, min_count=min_count)
    index = vocab.index
    chunks = [np.asarray([index[ch] for ch in unit if ch in index] + [BOUNDARY], dtype=np.int32) for unit in units]
    chunks = [c for c in chunks if len(c) > 1]
    ids = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
    return EncodedCorpus(ids=ids, vocabulary=vocab, tokens_total=sum(counter.values()), paths=(DATA_NAME,))


def couplet_pairs(texts) -> list[tuple[str, str]]:
    """(character of a couplet's first line, the character at the same place in its second line), for every
    couplet whose two lines are equally long; identical characters skipped."""
    from viz_app.core.lm.tang import poem_lines

    pairs = []
    for text in texts:
        lines = [poem_characters(line) for line in poem_lines(text)]
        for i in range(0, len(lines) - 1, 2):
            a, b = lines[i], lines[i + 1]
            if len(a) == len(b):
                pairs += [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return pairs


# --- the analogy questions -------------------------------------------------------------------------------------


def analogy_questions() -> list[tuple[str, tuple[str, str, str, str]]]:
    out = []
    for category, pairs in ANALOGY_PAIRS.items():
        if len(pairs) == 2:
            (a, b), (c, d) = pairs
            for q in ((a, b, c, d), (c, d, a, b), (b, a, d, c), (d, c, b, a)):
                out.append((category, q))
        else:
            for i, (a, b) in enumerate(pairs):
                for j, (c, d) in enumerate(pairs):
                    if i != j:
                        out.append((category, (a, b, c, d)))
    return out


def write_analogies(path: Path, train_texts) -> int:
    """The analogy file, in word2vec's format (": category" lines, then a<TAB>b<TAB>c<TAB>d), with comment lines
    saying how it was written and how often each pair occurs in the training poems."""
    counts = Counter(ch for t in train_texts for ch in poem_characters(t))
    parallel = Counter(frozenset(p) for p in couplet_pairs(train_texts))
    questions = analogy_questions()
    lines = [
        "# Tang-poem character analogies a : b :: c : d, in word2vec's format (': category' lines, then "
        "a<TAB>b<TAB>c<TAB>d lines).",
        "# Written by this project's developer (an AI assistant) on 2026-12-02, before any model was scored on them: "
        "pairs a teacher would accept (opposite seasons, opposite compass points, contrasting colours, the next "
        "number, heaven/earth-type pairs, men/women), each relation's pairs combined into questions "
        "(ANALOGY_PAIRS in viz_app/core/embeddings/tang.py; `python -m viz_app.core.embeddings.tang analogies` "
        "writes this file).",
        "# Under each category: how often each character occurs in the training poems, and in how many couplets "
        "the two stand at the same place of the two lines (parallel, 對仗).",
    ]
    by_category: dict[str, list] = {}
    for category, q in questions:
        by_category.setdefault(category, []).append(q)
    for category, qs in by_category.items():
        lines.append(f": {category}")
        facts = [
            f"{a} {counts[a]:,}, {b} {counts[b]:,}, parallel {parallel[frozenset((a, b))]:,}"
            for a, b in ANALOGY_PAIRS[category]
        ]
        lines.append("# " + "; ".join(facts))
        lines += ["\t".join(q) for q in qs]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(questions)


# --- the cards' metrics ----------------------------------------------------------------------------------------


def analogy_metrics(wv, path: Path | None = None) -> dict:
    """Top-1 / top-5 (3CosAdd, a, b, c excluded) per category and in all, each question's top 5, and the
    baselines: the nearest neighbour of c (a, b, c excluded), and chance."""
    from viz_app.core.embeddings.word_vectors import evaluate_analogies, read_analogies

    path = path or analogy_path()
    report = evaluate_analogies(wv, path)
    questions, near1, near5 = [], 0, 0
    for category, (a, b, c, d) in read_analogies(path):
        if any(wv.lookup(w) is None for w in (a, b, c, d)):
            questions.append({"category": category, "question": f"{a}:{b}::{c}:?", "expected": d, "skipped": True})
            continue
        answers = [w for w, _ in wv.analogy(a, b, c, 5)]
        scores = wv.unit @ wv.unit[wv.require(c)]  # (V,) the baseline: what stands nearest to c
        scores[[wv.require(w) for w in (a, b, c)]] = -np.inf
        nearest = [wv.words[i] for i in np.argsort(-scores, kind="stable")[:5]]
        near1 += nearest[0] == d
        near5 += d in nearest
        questions.append(
            {
                "category": category,
                "question": f"{a}:{b}::{c}:?",
                "expected": d,
                "top5": answers,
                "top1_right": answers[0] == d,
                "in_top5": d in answers,
            }
        )
    n = max(report.n, 1)
    size = len(wv.words)
    out = {
        "file": "resources/eval/tang_analogies.tsv",
        "top1": round(report.top1, 4),
        "top5": round(report.top5, 4),
        "n": report.n,
        "skipped": report.skipped,
        "categories": {
            k: {"top1": round(v["top1"], 4), "top5": round(v["top5"], 4), "n": v["n"]}
            for k, v in report.categories.items()
        },
        "baseline_nearest_to_c": {"top1": round(near1 / n, 4), "top5": round(near5 / n, 4)},
        "baseline_chance": {"top1": round(1 / max(size - 3, 1), 6), "top5": round(min(5 / max(size - 3, 1), 1), 6)},
        "questions": questions,
    }
    out["verdict"] = analogy_verdict(out)
    return out


def analogy_verdict(a: dict) -> str:
    """The analogy figures in a sentence, for the card: whether they mostly fail, beside the baseline."""
    n = a["n"]
    if not n:
        return "no analogy question could be asked: their characters are not in the vocabulary"
    hits1, hits5 = round(a["top1"] * n), round(a["top5"] * n)
    base = a["baseline_nearest_to_c"]
    head = "The analogies mostly fail" if hits1 * 2 < n else "Most analogies succeed"
    text = (
        f"{head}: the expected character comes first in {hits1} of {n} questions and among the first 5 in "
        f"{hits5} of {n}; answering with the character nearest to c gives {round(base['top1'] * n)} and "
        f"{round(base['top5'] * n)}."
    )
    work = [k for k, v in a["categories"].items() if v["n"] and v["top5"] >= 0.75]
    never = [k for k, v in a["categories"].items() if v["n"] and v["top5"] == 0]
    if work:
        text += f" Answered within the first 5 in at least 3 of every 4 questions: {', '.join(work)}."
    if never:
        text += f" Never within the first 5: {', '.join(never)}."
    return text


def couplet_metrics(wv, validation_texts, counts_order: list[str]) -> dict:
    """On the validation poems: for each (x, y) at the same place of a couplet's two lines, whether y is among
    the HIT_AT nearest neighbours of x; the baseline guesses the HIT_AT most frequent training characters."""
    pairs = [(x, y) for x, y in couplet_pairs(validation_texts)]
    known = [(wv.lookup(x), wv.lookup(y)) for x, y in pairs]
    known = [(i, j) for i, j in known if i is not None and j is not None]
    if not known:
        return {"pairs": 0}
    xs = np.asarray([i for i, _ in known])
    ys = np.asarray([j for _, j in known])
    hit_at = min(HIT_AT, len(wv.words) - 1)
    unique = np.unique(xs)
    top: dict[int, set] = {}
    for start in range(0, len(unique), 512):
        chunk = unique[start : start + 512]
        scores = wv.unit[chunk] @ wv.unit.T  # (n, V)
        scores[np.arange(len(chunk)), chunk] = -np.inf
        best = np.argpartition(-scores, hit_at - 1, axis=1)[:, :hit_at]
        for i, row in zip(chunk, best, strict=True):
            top[int(i)] = set(int(j) for j in row)
    hits = sum(int(j) in top[int(i)] for i, j in zip(xs, ys, strict=True))
    frequent = [wv.lookup(w) for w in counts_order[: hit_at + 1]]
    base = 0
    for i, j in zip(xs, ys, strict=True):
        guesses = [k for k in frequent if k != i][:hit_at]
        base += int(j) in guesses
    return {
        "pairs": len(known),
        "pairs_with_unknown_character": len(pairs) - len(known),
        f"hit_at_{HIT_AT}": round(hits / len(known), 4),
        f"baseline_most_frequent_hit_at_{HIT_AT}": round(base / len(known), 4),
        f"baseline_chance_hit_at_{HIT_AT}": round(HIT_AT / (len(wv.words) - 1), 4),
        "verdict": ("above" if hits > base else "not above")
        + f" the baseline that guesses the {hit_at} most frequent characters",
        "note": f"validation poems only: for every pair of characters at the same place of a couplet's two lines "
        f"(對仗), is the second among the first's {HIT_AT} nearest neighbours (cosine)?",
    }


def card_metrics(words, vectors, validation_texts, analogy_file: Path | None = None) -> dict:
    from viz_app.core.embeddings.word_vectors import WordVectors

    wv = WordVectors.from_arrays(words, vectors)
    out = {
        "neighbours": {
            ch: [[w, round(c, 4)] for w, c in wv.neighbors(ch, NEIGHBOURS)]
            for ch in PROBES
            if wv.lookup(ch) is not None
        }
    }
    analogy_file = analogy_file or analogy_path()
    if Path(analogy_file).exists():
        out["analogy"] = analogy_metrics(wv, analogy_file)
    val_chars = [ch for t in validation_texts for ch in poem_characters(t)]
    out["validation_characters"] = len(val_chars)
    out["validation_characters_outside_vocabulary"] = round(
        sum(wv.lookup(ch) is None for ch in val_chars) / max(1, len(val_chars)), 4
    )
    out["couplets"] = couplet_metrics(wv, validation_texts, list(words))
    return out


# --- training and registration ---------------------------------------------------------------------------------


def train(
    out: Path,
    methods=METHODS,
    poems_path=None,
    dim: int = 100,
    epochs: int = EPOCHS,
    seed: int = 0,
    min_count: int = MIN_COUNT,
    window: int | None = None,
    device: str = "cpu",
    command: str = "",
    analogy_file: Path | None = None,
):
    """Generator: trains ``methods`` on the training poems; returns the cards (also written into ``out``)."""
    from viz_app.core.embeddings import train as train_mod
    from viz_app.core.jobs import Progress
    from viz_app.core.lm import tang

    yield Progress(None, "reading the Tang poems")
    split = tang.load_split(poems_path) if poems_path else tang.load_split()
    encoded = encode_poems([p.text for p in split.train], min_count)
    validation = [p.text for p in split.validation]
    fields = {
        "corpus_files": [DATA_NAME],
        "training_poems": len(split.train),
        "validation_poems": len(split.validation),
        "split": split.to_json()["rule"],
        "tokenisation": "one token per character; the punctuation ，。？！； dropped; windows never cross from one "
        "poem into the next",
    }
    return (
        yield from train_mod.run_encoded(
            list(methods),
            encoded,
            Path(out),
            MODEL_NAMES,
            lambda words, vectors: card_metrics(words, vectors, validation, analogy_file),
            fields,
            dim=dim,
            epochs=epochs,
            seed=seed,
            device=device,
            window=window,
            command=command,
        )
    )


def rescore_folder(folder: Path, poems_path=None, analogy_file: Path | None = None) -> list[dict]:
    """Measure the metrics of the stored files in ``folder`` again and write them into their cards (the training
    itself is not repeated)."""
    from safetensors.numpy import load_file

    from viz_app.core.lm import tang as tang_lm
    from viz_app.core.quantize import dequantize_numpy

    folder = Path(folder)
    split = tang_lm.load_split(poems_path) if poems_path else tang_lm.load_split()
    validation = [p.text for p in split.validation]
    words = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
    words = words[:-1] if words and words[-1] == "" else words
    cards = []
    for card_path in sorted(folder.glob("embedding-tang-*.card.json")):
        card = json.loads(card_path.read_text(encoding="utf-8"))
        vectors = dequantize_numpy(load_file(str(folder / f"{card['name']}.safetensors")))["vectors"]
        card["metrics"] = card_metrics(words, vectors, validation, analogy_file)
        card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        cards.append(card)
    return cards


def register_folder(folder: Path) -> list[dict]:
    """Add the ``*.card.json`` models of ``folder`` (under resources/models) to the manifest."""
    from viz_app.core.embeddings.word_vectors import EMBEDDING_KIND
    from viz_app.core.registry import register

    folder = Path(folder)
    models_root = folder.parent.parent if folder.parent.name == "embeddings" else folder.parent
    cards = []
    for card_path in sorted(folder.glob("embedding-tang-*.card.json")):
        card = json.loads(card_path.read_text(encoding="utf-8"))
        entry = {
            "name": card["name"],
            "kind": EMBEDDING_KIND,
            "description": DESCRIPTIONS[card["method"]],
            "parameters": card["vocabulary"] * card["dim"] * (2 if card["method"] != "ppmi-svd" else 1),
            "training_data": f"the {card['training_poems']:,} training poems of {DATA_NAME} (split by poem hash, "
            f"viz_app.core.lm.tang.load_split; its {card['validation_poems']:,} validation poems never trained on): "
            f"{card['corpus_tokens']:,} characters, vocabulary of the {card['vocabulary']:,} characters seen at "
            f"least {card['min_count_in_vocabulary']} times; {card['tokenisation']}",
            "license": LICENSE,
            "training_command": card["training_command"],
            "metrics": card["metrics"],
            "dim": card["dim"],
            "hyperparameters": card["hyperparameters"],
            "training_seconds": card["training_seconds"],
            "stored_as": "int8 with one float32 scale per row (viz_app.core.quantize)",
            "language": "zh_TW",
            "unit": "character",
        }
        files = [folder / f"{card['name']}.safetensors", folder / "vocab.txt"]
        cards.append(register(models_root, entry, files))
    return cards


def main(argv=None) -> int:  # pragma: no cover - the commands' real runs are recorded on the cards
    import argparse

    parser = argparse.ArgumentParser(prog="python -m viz_app.core.embeddings.tang")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train the Tang-poem character embeddings")
    p.add_argument("--out", required=True)
    p.add_argument("--method", nargs="+", default=list(METHODS), choices=METHODS)
    p.add_argument("--poems", default=None, help="the corpus TSV (default: ../shared/data/zh_tw_tang_poems/...)")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--window", type=int, default=None, help="default 5")
    p.add_argument("--min-count", type=int, default=MIN_COUNT)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="torch threads (1 beside other training runs)")
    p = sub.add_parser("register", help="add the trained models of a folder to resources/models/manifest.json")
    p.add_argument("folder")
    p = sub.add_parser("rescore", help="measure the cards' metrics again from the stored files of a folder")
    p.add_argument("folder")
    p = sub.add_parser("analogies", help="write resources/eval/tang_analogies.tsv")
    p.add_argument("--out", default=None, help="default: resources/eval/tang_analogies.tsv")
    args = parser.parse_args(argv)
    if args.command == "train":
        if args.threads:
            import torch

            torch.set_num_threads(args.threads)
        command = "python -m viz_app.core.embeddings.tang " + " ".join(sys.argv[1:] if argv is None else argv)
        gen = train(
            Path(args.out),
            args.method,
            args.poems,
            dim=args.dim,
            epochs=args.epochs,
            seed=args.seed,
            min_count=args.min_count,
            window=args.window,
            command=command,
        )
        while True:
            try:
                p = next(gen)
            except StopIteration as stop:
                cards = stop.value
                break
            print(p.message, flush=True)
        for card in cards:
            a = card["metrics"].get("analogy", {})
            print(f"{card['name']}: {card['training_seconds']} s; analogy top-1 {a.get('top1')} top-5 {a.get('top5')}")
    elif args.command == "rescore":
        for card in rescore_folder(Path(args.folder)):
            print(card["name"], card["metrics"]["analogy"]["verdict"])
    elif args.command == "register":
        for card in register_folder(Path(args.folder)):
            print(card["name"], [f["path"] for f in card["files"]])
    else:
        from viz_app.core.lm import tang

        out = Path(args.out) if args.out else analogy_path()
        n = write_analogies(out, [p.text for p in tang.load_split().train])
        print(f"{out}: {n} questions")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
