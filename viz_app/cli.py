"""The ``viz-app`` command: the window with no argument, or headless subcommands.

Each subcommand calls the same core function as the GUI and prints one JSON
object with ``--json`` (a short human-readable text without it). Bad arguments
give a one-line error and exit status 2; a failure inside gives a message and
status 1. Qt is imported only by the subcommands that draw.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(message)


def _print_json(obj) -> None:
    """One JSON object on stdout, always valid JSON: a NaN or infinity becomes null (and a note in "notes"
    names where), text that cannot be written as UTF-8 gets U+FFFD."""
    bad: list[str] = []
    clean = json_safe(obj, bad)
    if bad and isinstance(clean, dict):
        clean.setdefault("notes", []).append(
            f"not a finite number, written as null: {', '.join(bad[:5])}{' ...' if len(bad) > 5 else ''}"
        )
    sys.stdout.write(json.dumps(clean, ensure_ascii=False, allow_nan=False) + "\n")


def json_safe(obj, bad: list[str] | None = None, where: str = ""):
    """``obj`` with every non-finite float replaced by None (its path added to ``bad``), numpy scalars and
    arrays as plain numbers and lists, and lone surrogates in strings replaced by U+FFFD."""
    import math

    from viz_app.core.files import replace_undecodable

    bad = [] if bad is None else bad
    if isinstance(obj, bool) or obj is None or isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        if math.isfinite(obj):
            return obj
        bad.append(where or "the value")
        return None
    if isinstance(obj, str):
        return replace_undecodable(obj)[0]
    if isinstance(obj, dict):
        return {json_safe(str(k), bad): json_safe(v, bad, f"{where}.{k}" if where else str(k)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v, bad, f"{where}[{i}]") for i, v in enumerate(obj)]
    if hasattr(obj, "tolist"):  # numpy scalars and arrays
        return json_safe(obj.tolist(), bad, where)
    return obj


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    from viz_app import __version__
    from viz_app.core.bag_of_words import METRICS

    parser = _Parser(prog="viz-app", description="Watch language models work: an offline lecture companion.")
    parser.add_argument("--version", action="version", version=f"viz-app {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("lessons", help="list the lessons and their ids")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("models", help="the bundled models and their status (ok / missing / corrupt)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("bow", help="bag-of-words counts and pairwise document similarity")
    p.add_argument("documents", nargs="+", help="one argument per document")
    p.add_argument("--metric", choices=METRICS, default="cosine")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rnn-toy", help="the lecture's toy RNN (all weights 1) on input vectors")
    p.add_argument("vectors", help='input vectors, e.g. "1,1;1,1;2,2"')
    p.add_argument("--bidirectional", action="store_true")
    p.add_argument("--json", action="store_true")

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

    p = sub.add_parser("lstm-gates", help="the LSTM's gate values for every word of a text")
    p.add_argument("text")
    p.add_argument("--model", default="lstm-tinystories")
    p.add_argument("--layer", type=int, default=None)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("score", help="a language model's log-likelihood of a text (chain rule)")
    p.add_argument("--model", required=True)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--file")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("generate", help="continue a prompt word by word")
    p.add_argument("prompt")
    p.add_argument("--model", default="gpt-tiny", help="gpt-tiny (default), lstm-tinystories, bigram-tinystories")
    p.add_argument("--max-new-tokens", type=int, default=20)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=0, help="GPT models: sample among the k likeliest (0: all)")
    p.add_argument("--top-p", type=float, default=1.0, help="GPT models: the fewest tokens reaching p")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--form",
        default=None,
        help="gpt-tang: a regular-verse form, 5x4 (五言絕句), 7x4 (七言絕句), 5x8 (五言律詩) or 7x8 (七言律詩); the "
        "prompt (may be empty) is the poem's start; --max-new-tokens is then ignored",
    )
    p.add_argument("--acrostic", default=None, help="with --form: 藏頭詩, one character per line to start it")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("train-lstm", help="train the word-level LSTM language model (and the bigram model)")
    p.add_argument("--corpus", nargs="+", required=True, help="text files, or folders of .txt files")
    p.add_argument("--validation", nargs="+", required=True, help="held-out text files to score each epoch")
    p.add_argument("--out", required=True)
    p.add_argument("--vocab-size", type=int, default=10000)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))

    p = sub.add_parser("translate", help="translate French to English (or answer, with the chatbot model)")
    p.add_argument("text", nargs="?", default=None)
    p.add_argument("--file", default=None, help="one sentence per line")
    p.add_argument("--model", default="seq2seq-attention")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("attention", help="every layer's and head's attention weights (Transformer, BERT, GPT)")
    p.add_argument("text")
    p.add_argument("--model", default="transformer")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("qkv", help="q, k, v, scores, weights and z of one encoder head of a Transformer")
    p.add_argument("text")
    p.add_argument("--model", default="transformer")
    p.add_argument("--layer", type=int, default=0)
    p.add_argument("--head", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("bleu", help="BLEU of a translation model on english<TAB>french pairs")
    p.add_argument("--model", required=True)
    p.add_argument("--pairs", required=True)
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("train-transformer", help="train the Transformer translator on english<TAB>french pairs")
    p.add_argument("--pairs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="transformer")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--layers", type=int, default=3, help="encoder layers (and as many decoder layers)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", action="store_true", help="continue from OUT/NAME.checkpoint.pt")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))

    p = sub.add_parser("train-seq2seq", help="train the encoder-decoder on english<TAB>french pairs")
    p.add_argument("--pairs", required=True)
    p.add_argument("--attention", choices=("yes", "no"), default="yes")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default=None, help="file name stem (default: seq2seq-attention / seq2seq-plain)")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))

    from viz_app.core.seq2seq import couplet

    p = sub.add_parser("train-couplet", help="train the couplet writer (對對子) on the Tang poems (resumable)")
    couplet.add_arguments(p)

    p = sub.add_parser("count-cooccurrences", help="count a corpus's co-occurrences for the GloVe ratio table")
    p.add_argument("--corpus", nargs="*", default=[])
    p.add_argument("--english-data", default=None)
    p.add_argument("--out", required=True)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--vocab-size", type=int, default=20000)
    p.add_argument("--min-count", type=int, default=5)

    p = sub.add_parser("screenshot", help="render a lesson offscreen to a PNG")
    p.add_argument("--lesson", default=None, help="required unless --tour and --step say what to show")
    p.add_argument("--text", default=None, help="the text typed into the shared input")
    p.add_argument("--out", required=True)
    p.add_argument("--size", type=_size, default=(1280, 800))
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--font-scale", type=float, default=1.0)
    p.add_argument("--tab", default=None, help="open this tab of the lesson (the start of its title)")
    p.add_argument("--language", choices=("en", "zh_TW"), default="en", help="the interface language")
    p.add_argument("--presentation", action="store_true", help="presentation mode (F11)")
    p.add_argument("--colormap", choices=("viridis", "cividis", "magma"), default="viridis")
    p.add_argument("--tour", default=None, help="a tour file ('lecture' for the bundled tour); needs --step")
    p.add_argument("--step", type=int, default=None, help="show this step (1 = the first) of --tour")

    p = sub.add_parser("self-test", help="load every bundled model and run each lesson once")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("benchmark", help="measure start-up and keystroke latency; writes JSON")
    p.add_argument("--out", default="benchmark.json")
    p.add_argument("--edits", type=int, default=200)
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--data", default="../shared/data", help="the shared corpora, for the gensim comparison")

    from viz_app import cli_lm

    cli_lm.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # t-SNE and UMAP run in child processes, also in a frozen bundle
    argv = sys.argv[1:] if argv is None else list(argv)
    argv = _decodable(argv)
    if not argv:
        from viz_app.qt.app import run_gui

        return run_gui()
    if argv == ["--first-paint-probe"]:  # internal, for the benchmark
        from viz_app.qt.app import run_gui

        return run_gui(exit_after_paint=True)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError("give a subcommand (see viz-app --help), or no argument to open the window")
        from viz_app.cli_lm import COMMANDS as LM_COMMANDS

        return {**COMMANDS, **LM_COMMANDS}[args.command](args)
    except UsageError as exc:
        print(f"viz-app: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a failure inside: a message and status 1
        from viz_app.core.jobs import error_message

        print(f"viz-app: {error_message(exc)}", file=sys.stderr)
        return EXIT_FAILURE


def _decodable(argv: list[str]) -> list[str]:
    """Arguments with bytes that are not UTF-8 (Python hands them over as lone surrogates) replaced by
    U+FFFD, at the boundary, so no probe ever sees them; a note on stderr says so."""
    from viz_app.core.files import replace_undecodable

    out, replaced = [], 0
    for arg in argv:
        arg, n = replace_undecodable(arg)
        out.append(arg)
        replaced += n
    if replaced:
        print(
            f"viz-app: note: {replaced} byte(s) in the arguments were not UTF-8 and were replaced with U+FFFD",
            file=sys.stderr,
        )
    return out


def cmd_lessons(args) -> int:
    from viz_app.core import lessons

    if args.json:
        _print_json({"lessons": lessons.to_json()})
    else:
        for lesson in lessons.LESSONS:
            state = "" if lesson.ready else "  (later version)"
            print(f"{lesson.id:16} {lesson.chapter} / {lesson.title}{state}")
    return EXIT_OK


def cmd_models(args) -> int:
    from viz_app.core.registry import Registry, RegistryError

    registry = Registry()
    try:
        statuses = registry.statuses()
    except RegistryError as exc:
        if args.json:
            _print_json({"models": [], "error": str(exc)})
        print(f"viz-app: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if args.json:
        _print_json({"models_dir": str(registry.root), "models": [s.to_json() for s in statuses]})
    else:
        for s in statuses:
            print(f"{s.card.name:20} {s.card.kind:12} {s.status}")
            for problem in s.problems:
                print(f"    {problem}")
    return EXIT_OK if all(s.status == "ok" for s in statuses) else EXIT_FAILURE


def cmd_bow(args) -> int:
    from viz_app.core import bag_of_words

    result = bag_of_words.analyze(args.documents, args.metric)
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK
    for i, doc in enumerate(result.documents, start=1):
        top = ", ".join(f"({w!r}, {c})" for w, c in doc.counts[:20])
        print(f"document {i}: {top}{' ...' if len(doc.counts) > 20 else ''}")
    print(f"{bag_of_words.METRIC_LABELS[args.metric]}:")
    for row in result.matrix:
        print("  " + "  ".join(f"{v:8.3f}" for v in row))
    for i, j in result.same_bag_pairs:
        print(f"documents {i + 1} and {j + 1} differ only in word order: identical bag-of-words vectors")
    return EXIT_OK


def cmd_rnn_toy(args) -> int:
    from viz_app.core import toy_rnn
    from viz_app.core.registry import ModelStore

    try:
        vectors = toy_rnn.parse_vectors(args.vectors)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    result = toy_rnn.run_bundled(ModelStore(), vectors, bidirectional=args.bidirectional)
    data = result.to_json()
    if args.json:
        _print_json(data)
    else:
        print("outputs:", data["outputs"])
        print("memory: ", data["memory"])
    return EXIT_OK


def _vectors(args):
    """The --model embedding; an unknown name or a malformed file is bad input (status 2)."""
    from viz_app.core import word_vectors

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


def cmd_neighbors(args) -> int:
    """A word's (or, for the Tang-poem character models, a character's) nearest neighbours; an unknown one, or
    several characters given to a character model, is bad input (status 2) with a message saying why."""
    k = _positive_k(args)
    wv = _vectors(args)
    word = args.word.strip()
    neighbors = _word_query(lambda w: wv.neighbors(w, k), word)
    if args.json:
        _print_json({"word": word, "neighbors": [[w, round(c, 6)] for w, c in neighbors]})
    else:
        for w, c in neighbors:
            print(f"{c:8.4f}  {w}")
    return EXIT_OK


def cmd_analogy(args) -> int:
    k = _positive_k(args)
    wv = _vectors(args)
    answers = _word_query(lambda a, b, c: wv.analogy(a, b, c, k), args.a, args.b, args.c)
    if args.json:
        _print_json({"a": args.a, "b": args.b, "c": args.c, "answers": [[w, round(c, 6)] for w, c in answers]})
    else:
        print(f"{args.a} : {args.b} :: {args.c} : ?")
        for w, c in answers:
            print(f"{c:8.4f}  {w}")
    return EXIT_OK


def cmd_embed(args) -> int:
    wv = _vectors(args)
    vectors, unknown = wv.embed(args.words)
    if args.json:
        _print_json({"vectors": vectors, "unknown": unknown, "dim": wv.dim})
    else:
        for w, v in vectors.items():
            print(w, " ".join(f"{x:.4f}" for x in v))
        if unknown:
            print("unknown:", " ".join(unknown))
    return EXIT_OK


def _evaluate(args, fn) -> int:
    wv = _vectors(args)
    try:
        report = fn(wv, args.file)
    except ValueError as exc:  # a malformed evaluation file: its line is named
        raise UsageError(str(exc)) from None
    data = report.to_json()
    if args.json:
        _print_json(data)
    else:
        print(", ".join(f"{k}: {v}" for k, v in data.items() if k != "categories"))
    return EXIT_OK


def cmd_evaluate_analogies(args) -> int:
    from viz_app.core.word_vectors import evaluate_analogies

    return _evaluate(args, evaluate_analogies)


def cmd_evaluate_similarity(args) -> int:
    from viz_app.core.word_vectors import evaluate_similarity

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
        _print_json(result.to_json())
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
    from pathlib import Path

    from viz_app.core.projection import pca

    wv = _vectors(args)
    if args.method == "pca":
        projection = pca(wv.vectors)
    else:
        from viz_app.core.projection import in_subprocess

        bar = ProgressBar()
        projection = in_subprocess(args.method, wv.vectors, seed=args.seed, report=bar.update)
        bar.close()
    Path(args.out).write_text(projection.to_csv(wv.words), encoding="utf-8")
    print(args.out)
    return EXIT_OK


class ProgressBar:
    """A one-line progress bar on stderr."""

    def __init__(self) -> None:
        self.last = ""

    def update(self, fraction: float | None, message: str = "") -> None:
        if fraction is None:
            bar = "[" + "?" * 20 + "]     "
        else:
            filled = int(round(20 * fraction))
            bar = "[" + "#" * filled + "-" * (20 - filled) + f"] {100 * fraction:3.0f}%"
        line = f"{bar} {message}"[:110]
        sys.stderr.write("\r" + line.ljust(len(self.last)))
        sys.stderr.flush()
        self.last = line

    def close(self) -> None:
        if self.last:
            sys.stderr.write("\n")


def run_with_progress(gen):
    """Drive a core generator, drawing its Progress on a ProgressBar; returns its value."""
    bar = ProgressBar()
    while True:
        try:
            p = next(gen)
        except StopIteration as stop:
            bar.close()
            return stop.value
        bar.update(p.fraction, p.message)


def cmd_train_embeddings(args) -> int:
    from pathlib import Path

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


def _language_model(name: str):
    from viz_app.core.registry import Registry

    try:
        card = Registry().card(name)
    except KeyError as exc:  # an unknown name is bad input (2); a broken manifest or card fails (1)
        raise UsageError(str(exc)) from None
    if card.kind not in ("lstm-lm", "bigram-lm"):
        raise UsageError(f"{name!r} is a {card.kind}, not a language model")


def cmd_lstm_gates(args) -> int:
    from viz_app.core.lstm import probes
    from viz_app.core.registry import ModelStore

    _language_model(args.model)
    try:
        result = probes.lstm_gates(ModelStore(), args.model, args.text, args.layer)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json(result.to_json())
    else:
        for t, (i, f, o) in zip(
            result.tokens, zip(result.gates["i"], result.gates["f"], result.gates["o"], strict=True), strict=True
        ):
            print(f"{t:12} mean input gate {i.mean():.3f}  forget gate {f.mean():.3f}  output gate {o.mean():.3f}")
    if result.truncated:
        print(f"viz-app: the text was cut: {result.truncated} tokens past the first 100 left out", file=sys.stderr)
    return EXIT_OK


def cmd_score(args) -> int:
    from pathlib import Path

    from viz_app import cli_lm

    if cli_lm.is_lm(args.model):
        return cli_lm.lm_score(args)

    from viz_app.core.lstm import probes
    from viz_app.core.registry import ModelStore

    _language_model(args.model)
    if args.file:
        try:
            content = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot be read ({exc})") from None
    else:
        content = args.text
    result = probes.score(ModelStore(), args.model, content, limit=False)
    data = result.to_json(per_token=args.text is not None)
    if not result.tokens:
        data["perplexity_per_token"] = None
        data.setdefault("notes", []).append("the text has no words: there is nothing to score (perplexity null)")
    if args.json:
        _print_json(data)
    elif not result.tokens:
        print("the text has no words: nothing to score")
    else:
        print(
            f"{data['tokens']} tokens, {data['words']} words, log-likelihood {-data['nll_nats']:.2f} nats, "
            f"perplexity {data['perplexity_per_token']:.2f} per token"
        )
    return EXIT_OK


def cmd_generate(args) -> int:
    from viz_app import cli_lm
    from viz_app.core.lstm import probes

    if args.form is not None or args.acrostic is not None:  # a Tang poem in a form (viz_app.core.lm.poem)
        from viz_app.core.lm import poem
        from viz_app.core.lm import probes as lm_probes

        if args.form is None:
            raise UsageError("--acrostic needs --form (5x4, 7x4, 5x8 or 7x8)")
        if not cli_lm.is_lm(args.model):
            raise UsageError(f"--form needs a character-level GPT such as gpt-tang, not {args.model}")
        sampling = lm_probes.Sampling(args.temperature, args.top_k, args.top_p)
        lm = cli_lm.load_lm(args.model, "gpt")
        try:
            request = poem.plan(lm, args.form, args.prompt, args.acrostic or "")
            steps = poem.stream(lm, request, sampling, args.seed)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        result = poem.assemble(request, list(steps), sampling, args.seed)
        if args.json:
            _print_json(result.to_json())
        else:
            print("\n".join(result.lines))
        return EXIT_OK
    if cli_lm.is_lm(args.model):
        return cli_lm.lm_generate(args)
    from viz_app.core.registry import ModelStore

    _language_model(args.model)
    if not 1 <= args.max_new_tokens <= 1000 or args.temperature <= 0:
        raise UsageError("--max-new-tokens must be 1..1000 and --temperature above 0")
    gen = probes.generate(ModelStore(), args.model, args.prompt, args.max_new_tokens, args.temperature, args.seed)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            text_out, steps = stop.value
            break
    if args.json:
        _print_json({"text": text_out, "steps": [[t, p] for t, p in steps]})
    else:
        print(text_out)
    return EXIT_OK


def cmd_train_lstm(args) -> int:
    from pathlib import Path

    from viz_app.core.embeddings.train import corpus_files
    from viz_app.core.lstm.train import TrainConfig, train

    try:
        files = corpus_files(args.corpus, None)
        validation = corpus_files(args.validation, None)
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    if args.vocab_size < 10 or args.dim < 2 or args.layers < 1 or args.epochs < 1:
        raise UsageError("--vocab-size, --dim, --layers and --epochs must be positive (vocabulary at least 10)")
    config = TrainConfig(
        vocab_size=args.vocab_size, dim=args.dim, layers=args.layers, epochs=args.epochs, seed=args.seed
    )
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-lstm"] else ""
    card = run_with_progress(train(files, validation, Path(args.out), config, args.device, command))
    print(json.dumps(card["metrics"]))
    return EXIT_OK


def _translator(name: str) -> str:
    from viz_app.core.registry import Registry

    try:
        card = Registry().card(name)
    except KeyError as exc:  # an unknown name is bad input (2); a broken manifest or card fails (1)
        raise UsageError(str(exc)) from None
    if card.kind not in ("seq2seq", "transformer"):
        raise UsageError(f"{name!r} is a {card.kind}, not an encoder-decoder")
    return card.kind


def cmd_translate(args) -> int:
    from pathlib import Path

    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.seq2seq import couplet as couplet_model
    from viz_app.core.seq2seq import probes

    def _check_first_line(text: str, where: str = "") -> None:  # the couplet writer reads one line of Chinese
        try:
            couplet_model.check_first_line(text)
        except ValueError as exc:
            raise UsageError(f"{where}{exc}") from None

    if (args.text is None) == (args.file is None):
        raise UsageError("give the text to translate, or --file PATH (one sentence per line)")
    if not 1 <= args.beam <= 10:
        raise UsageError("--beam must be between 1 and 10")
    if _translator(args.model) == "transformer" and args.beam > 1:
        raise UsageError("the Transformer decodes greedily; --beam is for the RNN translators")
    couplet = (Registry().card(args.model).extra.get("config") or {}).get("task") == "couplet"
    store = ModelStore()
    if args.file is not None:
        try:
            lines = Path(args.file).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot be read ({exc})") from None
        if lines and not lines[-1].strip():
            lines.pop()  # the file's final newline is not one more sentence
        if couplet:  # every non-empty line must be a first line the model can read (an empty one stays empty)
            for i, line in enumerate(lines, start=1):
                if line.strip():
                    _check_first_line(line, f"line {i}: ")
        # One output per line, in order (an empty line gives an empty output, so lines stay matched).
        results = [probes.translate(store, args.model, line, args.beam) for line in lines]
        outputs = [r.output for r in results]
        cuts = [r.truncated for r in results]
        if args.json:
            _print_json({"outputs": outputs, "cut_tokens": cuts})
        else:
            print("\n".join(outputs))
        for i, cut in enumerate(cuts, start=1):
            if cut:
                print(f"viz-app: note: line {i} was cut: {cut} tokens past the model's limit left out", file=sys.stderr)
        return EXIT_OK
    if couplet:
        _check_first_line(args.text)
    result = probes.translate(store, args.model, args.text, args.beam)
    if args.json:
        _print_json(result.to_json())
    else:
        print(result.output)
    if result.truncated:
        print(
            f"viz-app: note: the text was cut: {result.truncated} tokens past the model's limit left out",
            file=sys.stderr,
        )
    return EXIT_OK


def _transformer(name: str) -> None:
    if _translator(name) != "transformer":
        raise UsageError(f"{name!r} is not a Transformer")


def cmd_attention(args) -> int:
    from viz_app import cli_lm
    from viz_app.core.registry import ModelStore
    from viz_app.core.transformer import probes

    if cli_lm.is_lm(args.model):
        return cli_lm.lm_attention(args)

    _transformer(args.model)
    result = probes.translate(ModelStore(), args.model, args.text)
    out = result.to_json()
    out["tokens"] = out["source_tokens"]  # the encoder's self-attention is over the typed tokens
    out["attention"] = out["encoder_attention"]
    if args.json:
        _print_json(out)
    else:
        print(f"{len(result.source_tokens)} source tokens, {len(result.output_tokens)} output tokens: {result.output}")
    return EXIT_OK


def cmd_qkv(args) -> int:
    from viz_app.core.registry import ModelStore
    from viz_app.core.transformer import probes

    _transformer(args.model)
    try:
        result = probes.head_numbers(ModelStore(), args.model, args.text, args.layer, args.head)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json(result.to_json())
    else:
        print(f"layer {args.layer}, head {args.head}: {len(result.tokens)} tokens, d_k {result.q.shape[1]}")
    return EXIT_OK


def cmd_bleu(args) -> int:
    from pathlib import Path

    from viz_app.core.registry import ModelStore
    from viz_app.core.seq2seq import probes

    _translator(args.model)
    if not Path(args.pairs).is_file():
        raise UsageError(f"{args.pairs}: no such file")
    try:
        score, n = probes.bleu_on_pairs(ModelStore(), args.model, args.pairs, args.beam)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json({"bleu": score, "n": n})
    else:
        print(f"BLEU {score:.2f} on {n} pairs")
    return EXIT_OK


def cmd_train_couplet(args) -> int:
    from viz_app.core.seq2seq import couplet

    typed = sys.argv[1:2] == ["train-couplet"]
    try:
        gen = couplet.training(args, "viz-app " + " ".join(sys.argv[1:]) if typed else "viz-app train-couplet")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    couplet.report(gen)
    return EXIT_OK


def cmd_train_seq2seq(args) -> int:
    from pathlib import Path

    from viz_app.core.seq2seq.train import TrainConfig, train

    if not Path(args.pairs).is_file():
        raise UsageError(f"{args.pairs}: no such file")
    if args.epochs < 1 or args.batch < 1 or args.dim < 2:
        raise UsageError("--epochs, --batch and --dim must be positive")
    attention = args.attention == "yes"
    name = args.name or ("seq2seq-attention" if attention else "seq2seq-plain")
    config = TrainConfig(attention=attention, dim=args.dim, epochs=args.epochs, batch=args.batch, seed=args.seed)
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-seq2seq"] else ""
    card = run_with_progress(train(Path(args.pairs), Path(args.out), config, args.device, command, name))
    print(json.dumps({"best_epoch": card["best_epoch"], "history": card["history"]}))
    return EXIT_OK


def cmd_train_transformer(args) -> int:
    from pathlib import Path

    from viz_app.core.transformer.train import TrainConfig, train

    if not Path(args.pairs).is_file():
        raise UsageError(f"{args.pairs}: no such file")
    if min(args.epochs, args.batch, args.heads, args.layers) < 1 or args.d_model % args.heads:
        raise UsageError("--epochs, --batch, --heads and --layers must be positive; --d-model a multiple of --heads")
    config = TrainConfig(
        d_model=args.d_model,
        heads=args.heads,
        encoder_layers=args.layers,
        decoder_layers=args.layers,
        d_ff=4 * args.d_model,
        epochs=args.epochs,
        batch=args.batch,
        seed=args.seed,
    )
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-transformer"] else ""
    try:
        card = run_with_progress(
            train(Path(args.pairs), Path(args.out), config, args.device, command, args.name, args.resume)
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"best_epoch": card["best_epoch"], "history": card["history"]}))
    return EXIT_OK


def cmd_count_cooccurrences(args) -> int:
    from pathlib import Path

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


def cmd_screenshot(args) -> int:
    from viz_app.core import lessons, tours

    tour = None
    if args.tour is not None or args.step is not None:
        if args.tour is None or args.step is None:
            raise UsageError("--tour and --step go together")
        path = tours.bundled_tour_path() if args.tour == "lecture" else Path(args.tour)
        try:
            tour = tours.load(path)
        except tours.TourError as exc:
            raise UsageError(f"--tour: {exc}") from None
        if not 1 <= args.step <= len(tour.steps):
            raise UsageError(f"--step: the tour has steps 1 to {len(tour.steps)}")
        args.lesson = args.lesson or tour.steps[args.step - 1].lesson
    if args.lesson is None:
        raise UsageError("--lesson is required (or --tour with --step)")
    if args.lesson not in lessons.lesson_ids():
        raise UsageError(f"unknown lesson {args.lesson!r}; lessons: {', '.join(lessons.lesson_ids())}")
    if not 0.5 <= args.font_scale <= 3.0:
        raise UsageError("--font-scale must be between 0.5 and 3")
    from viz_app.qt.app import screenshot

    try:
        shown_error = screenshot(
            args.lesson,
            args.text,
            args.out,
            args.size,
            args.theme,
            args.font_scale,
            tab=args.tab,
            language=args.language,
            presentation=args.presentation,
            colormap=args.colormap,
            tour=tour,
            step=(args.step - 1) if tour is not None else None,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if shown_error:
        print(f"viz-app: the lesson shows an error: {shown_error}", file=sys.stderr)
    print(args.out)
    return EXIT_OK


def cmd_self_test(args) -> int:
    from viz_app.core.self_test import run_self_test

    report = run_self_test()
    if args.json:
        _print_json(report)
    else:
        for check in report["checks"]:
            mark = "ok  " if check["ok"] else "FAIL"
            print(f"{mark} {check['name']}: {check['detail']}")
    return EXIT_OK if report["ok"] else EXIT_FAILURE


def cmd_benchmark(args) -> int:
    from viz_app.benchmark import run_benchmark

    report = run_benchmark(args.out, edits=args.edits, starts=args.starts, data_root=args.data)
    _print_json(report)
    return EXIT_OK


COMMANDS = {
    "lessons": cmd_lessons,
    "models": cmd_models,
    "bow": cmd_bow,
    "rnn-toy": cmd_rnn_toy,
    "neighbors": cmd_neighbors,
    "analogy": cmd_analogy,
    "embed": cmd_embed,
    "evaluate-analogies": cmd_evaluate_analogies,
    "evaluate-similarity": cmd_evaluate_similarity,
    "cooccur-ratio": cmd_cooccur_ratio,
    "count-cooccurrences": cmd_count_cooccurrences,
    "train-lstm": cmd_train_lstm,
    "train-seq2seq": cmd_train_seq2seq,
    "train-couplet": cmd_train_couplet,
    "train-transformer": cmd_train_transformer,
    "translate": cmd_translate,
    "bleu": cmd_bleu,
    "attention": cmd_attention,
    "qkv": cmd_qkv,
    "lstm-gates": cmd_lstm_gates,
    "score": cmd_score,
    "generate": cmd_generate,
    "project": cmd_project,
    "train-embeddings": cmd_train_embeddings,
    "screenshot": cmd_screenshot,
    "self-test": cmd_self_test,
    "benchmark": cmd_benchmark,
}
