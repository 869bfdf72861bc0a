"""The ``viz-app`` command: the window with no argument, or headless subcommands.

Each subcommand calls the same core function as the GUI and prints one JSON
object with ``--json`` (a short human-readable text without it). Bad arguments
give a one-line error and exit status 2; a failure inside gives a message and
status 1. Qt is imported only by the subcommands that draw.

One module per domain (``app``, ``text``, ``embeddings``, ``lstm``, ``seq2seq``, ``lm``), each with its
``add_parsers(sub)`` and its ``COMMANDS``; ``_common`` holds what they share.
"""

from __future__ import annotations

import argparse
import sys

from viz_app.cli._common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Parser, UsageError, json_safe, print_json

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "UsageError", "build_parser", "json_safe", "main", "print_json"]


def _domains():
    """The domain modules, in the order ``viz-app --help`` lists their subcommands (imported here, not at the top,
    so that the package's shared names load first; each imports only the standard library at its top)."""
    from viz_app.cli import app, embeddings, explain, lm, lm_train, lstm, seq2seq, text

    return [app, text, embeddings, lstm, seq2seq, lm, lm_train, explain]


def build_parser() -> argparse.ArgumentParser:
    from viz_app import __version__

    parser = Parser(prog="viz-app", description="Watch language models work: an offline lecture companion.")
    parser.add_argument("--version", action="version", version=f"viz-app {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for domain in _domains():
        domain.add_parsers(sub)
    return parser


def commands() -> dict:
    """Subcommand name -> its function, over every domain."""
    out: dict = {}
    for domain in _domains():
        out.update(domain.COMMANDS)
    return out


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
        return commands()[args.command](args)
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
