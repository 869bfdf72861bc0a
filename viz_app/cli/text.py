"""The bag-of-words and toy-RNN subcommands."""

from __future__ import annotations

from viz_app.cli._common import (
    EXIT_OK,
    UsageError,
    print_json,
)


def add_parsers(sub) -> None:
    from viz_app.core.documents.bag_of_words import METRICS

    p = sub.add_parser("bow", help="bag-of-words counts and pairwise document similarity")
    p.add_argument("documents", nargs="+", help="one argument per document")
    p.add_argument("--metric", choices=METRICS, default="cosine")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rnn-toy", help="the lecture's toy RNN (all weights 1) on input vectors")
    p.add_argument("vectors", help='input vectors, e.g. "1,1;1,1;2,2"')
    p.add_argument("--bidirectional", action="store_true")
    p.add_argument("--json", action="store_true")


def cmd_bow(args) -> int:
    from viz_app.core.documents import bag_of_words

    result = bag_of_words.analyze(args.documents, args.metric)
    if args.json:
        print_json(result.to_json())
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
    from viz_app.core.registry import ModelStore
    from viz_app.core.rnn import toy as toy_rnn

    try:
        vectors = toy_rnn.parse_vectors(args.vectors)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    result = toy_rnn.run_bundled(ModelStore(), vectors, bidirectional=args.bidirectional)
    data = result.to_json()
    if args.json:
        print_json(data)
    else:
        print("outputs:", data["outputs"])
        print("memory: ", data["memory"])
    return EXIT_OK


COMMANDS = {
    "bow": cmd_bow,
    "rnn-toy": cmd_rnn_toy,
}
