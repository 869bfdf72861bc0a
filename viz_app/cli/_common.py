"""What every ``viz-app`` subcommand shares: exit statuses, the one-line usage error, JSON that is always valid,
the progress bar of long runs, and reading the user's files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: one line on stderr, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(message)


def print_json(obj) -> None:
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


def command_line(name: str) -> str:
    """The command as typed, for a model card's training_command (empty when run another way)."""
    return "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == [name] else ""


def read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc})") from None


def existing_files(paths: list[str]) -> list[Path]:
    out = [Path(p) for p in paths]
    for p in out:
        if not p.is_file():
            raise UsageError(f"{p}: no such file")
    return out
