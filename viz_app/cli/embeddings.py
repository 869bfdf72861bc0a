"""The word-embedding subcommands: neighbours, analogies, vectors, evaluations, the GloVe ratio table, projections and training."""

from __future__ import annotations

import sys
from pathlib import Path

from viz_app.cli._common import (
    EXIT_OK,
    ProgressBar,
    UsageError,
    print_json,
    run_with_progress,
)


def add_parsers(sub) -> None:
    model_help = "a bundled embedding (viz-app models) or a path to a word2vec/GloVe vectors file"
    p = sub.add_parser("neighbors", help="a word's nearest neighbours by cosine")
    p.add_argument("word")
    p.add_argument("--model", required=True, help=model_help)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("analogy", help="A is to B as C is to ?")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("c")
    p.add_argument("--model", required=True, help=model_help)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("embed", help="the vectors of words (unknown words are listed, not an error)")
    p.add_argument("words", nargs="+")
    p.add_argument("--model", required=True, help=model_help)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("evaluate-analogies", help="top-1 / top-5 accuracy on a word2vec-format analogy file")
    p.add_argument("file")
    p.add_argument("--model", required=True, help=model_help)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("evaluate-similarity", help="Spearman correlation on a word1<TAB>word2<TAB>score file")
    p.add_argument("file")
    p.add_argument("--model", required=True, help=model_help)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("cooccur-ratio", help="the GloVe table: P(k|w1), P(k|w2) and their ratio, from the corpus")
    p.add_argument("word1")
    p.add_argument("word2")
    p.add_argument("probes", nargs="+")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("project", help="2D coordinates of a whole embedding, as CSV")
    p.add_argument("--model", required=True, help=model_help)
    p.add_argument("--method", default="pca", choices=("pca", "tsne", "umap"))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)

    p = sub.add_parser("train-embeddings", help="train word embeddings on a plain-text corpus")
    p.add_argument("--method", nargs="+", required=True, choices=("ppmi-svd", "glove", "cbow", "skipgram"))
    p.add_argument("--corpus", nargs="*", default=[], help="text files, or folders of .txt/.raw files")
    p.add_argument(
        "--english-data",
        default=None,
        help="the shared data folder: use the project's selection of English corpora in it",
    )
    p.add_argument("--out", required=True)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--epochs", type=int, default=None, help="default: 5 (CBOW, skip-gram), 50 (GloVe)")
    p.add_argument("--window", type=int, default=None, help="default: 5 (10 for GloVe)")
    p.add_argument("--vocab-size", type=int, default=20000)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))
    p.add_argument("--eval-dir", default=None, help="folder with analogies.txt and similarity.tsv to score with")

    p = sub.add_parser("count-cooccurrences", help="count a corpus's co-occurrences for the GloVe ratio table")
    p.add_argument("--corpus", nargs="*", default=[])
    p.add_argument("--english-data", default=None)
    p.add_argument("--out", required=True)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--vocab-size", type=int, default=20000)
    p.add_argument("--min-count", type=int, default=5)


def _vectors(args):
    """The --model embedding; an unknown name or a malformed file is bad input (status 2)."""
    from viz_app.core.embeddings import word_vectors

    try:
        return word_vectors.resolve(args.model)
    except (LookupError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def _positive_k(args) -> int:
    if args.k < 1:
        raise UsageError("--k must be at least 1")
    return args.k


def _word_query(fn, *words):
    try:
        return fn(*words)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None


def _evaluate(args, fn) -> int:
    wv = _vectors(args)
    try:
        report = fn(wv, args.file)
    except ValueError as exc:  # a malformed evaluation file: its line is named
        raise UsageError(str(exc)) from None
    data = report.to_json()
    if args.json:
        print_json(data)
    else:
        print(", ".join(f"{k}: {v}" for k, v in data.items() if k != "categories"))
    return EXIT_OK


def cmd_neighbors(args) -> int:
    """A word's (or, for the Tang-poem character models, a character's) nearest neighbours; an unknown one, or
    several characters given to a character model, is bad input (status 2) with a message saying why."""
    k = _positive_k(args)
    wv = _vectors(args)
    word = args.word.strip()
    neighbors = _word_query(lambda w: wv.neighbors(w, k), word)
    if args.json:
        print_json({"word": word, "neighbors": [[w, round(c, 6)] for w, c in neighbors]})
    else:
        for w, c in neighbors:
            print(f"{c:8.4f}  {w}")
    return EXIT_OK


def cmd_analogy(args) -> int:
    k = _positive_k(args)
    wv = _vectors(args)
    answers = _word_query(lambda a, b, c: wv.analogy(a, b, c, k), args.a, args.b, args.c)
    if args.json:
        print_json({"a": args.a, "b": args.b, "c": args.c, "answers": [[w, round(c, 6)] for w, c in answers]})
    else:
        print(f"{args.a} : {args.b} :: {args.c} : ?")
        for w, c in answers:
            print(f"{c:8.4f}  {w}")
    return EXIT_OK


def cmd_embed(args) -> int:
    wv = _vectors(args)
    vectors, unknown = wv.embed(args.words)
    if args.json:
        print_json({"vectors": vectors, "unknown": unknown, "dim": wv.dim})
    else:
        for w, v in vectors.items():
            print(w, " ".join(f"{x:.4f}" for x in v))
        if unknown:
            print("unknown:", " ".join(unknown))
    return EXIT_OK


def cmd_evaluate_analogies(args) -> int:
    from viz_app.core.embeddings.word_vectors import evaluate_analogies

    return _evaluate(args, evaluate_analogies)


def cmd_evaluate_similarity(args) -> int:
    from viz_app.core.embeddings.word_vectors import evaluate_similarity

    return _evaluate(args, evaluate_similarity)


def cmd_cooccur_ratio(args) -> int:
    from viz_app.core.embeddings import ratio
    from viz_app.core.registry import ModelStore

    table = ratio.bundled_table(ModelStore())
    try:
        result = ratio.ratio_table(table, args.word1.lower(), args.word2.lower(), [p.lower() for p in args.probes])
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    if args.json:
        print_json(result.to_json())
    else:

        def fmt(x):
            return "too rare" if x is None else f"{x:.3g}"

        print(f"{'k':14} {'P(k|' + result.word1 + ')':>14} {'P(k|' + result.word2 + ')':>14} {'ratio':>10}")
        for k, a, b, r in zip(result.probes, result.p1, result.p2, result.ratio, strict=True):
            print(f"{k:14} {fmt(a):>14} {fmt(b):>14} {fmt(r):>10}")
        for note in result.notes:
            print(note)
    return EXIT_OK


def cmd_project(args) -> int:

    from viz_app.core.embeddings.projection import pca

    wv = _vectors(args)
    if args.method == "pca":
        projection = pca(wv.vectors)
    else:
        from viz_app.core.embeddings.projection import in_subprocess

        bar = ProgressBar()
        projection = in_subprocess(args.method, wv.vectors, seed=args.seed, report=bar.update)
        bar.close()
    Path(args.out).write_text(projection.to_csv(wv.words), encoding="utf-8")
    print(args.out)
    return EXIT_OK


def cmd_train_embeddings(args) -> int:

    from viz_app.core.embeddings import train

    if args.dim < 2 or args.vocab_size < 10 or (args.epochs is not None and args.epochs < 1):
        raise UsageError("--dim must be at least 2, --vocab-size at least 10 and --epochs at least 1")
    try:
        files = train.corpus_files(args.corpus, args.english_data)
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    if args.device != "cpu":
        from viz_app.core import devices

        if args.device not in devices.available_devices():
            raise UsageError(f"--device {args.device}: not available on this machine")
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-embeddings"] else ""
    cards = run_with_progress(
        train.run(
            args.method,
            files,
            Path(args.out),
            dim=args.dim,
            epochs=args.epochs,
            seed=args.seed,
            device=args.device,
            vocab_size=args.vocab_size,
            min_count=args.min_count,
            eval_dir=Path(args.eval_dir) if args.eval_dir else None,
            window=args.window,
            command=command,
        )
    )
    for card in cards:
        metrics = card["metrics"]
        summary = ", ".join(f"{k}: {v}" for k, v in metrics.items() if k != "man:woman::king:?")
        print(f"{card['name']}: {card['training_seconds']} s; {summary}")
    return EXIT_OK


def cmd_count_cooccurrences(args) -> int:

    from viz_app.core import corpus
    from viz_app.core.embeddings import ratio, train

    try:
        files = train.corpus_files(args.corpus, args.english_data)
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    encoded = corpus.encode_corpus(files, args.vocab_size, args.min_count)
    encoded.vocabulary.save(out / "vocab.txt")
    print(ratio.write_bundled(encoded, out, args.window))
    return EXIT_OK


COMMANDS = {
    "neighbors": cmd_neighbors,
    "analogy": cmd_analogy,
    "embed": cmd_embed,
    "evaluate-analogies": cmd_evaluate_analogies,
    "evaluate-similarity": cmd_evaluate_similarity,
    "cooccur-ratio": cmd_cooccur_ratio,
    "count-cooccurrences": cmd_count_cooccurrences,
    "project": cmd_project,
    "train-embeddings": cmd_train_embeddings,
}
