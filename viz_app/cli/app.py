"""The app-level subcommands: the lessons, the bundled models, screenshots, the self-test and the benchmark."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viz_app.cli._common import (
    EXIT_FAILURE,
    EXIT_OK,
    UsageError,
    print_json,
)


def add_parsers(sub) -> None:
    p = sub.add_parser("lessons", help="list the lessons and their ids")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("models", help="the bundled models and their status (ok / missing / corrupt)")
    p.add_argument("--json", action="store_true")

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


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000 pixels")
    return w, h


def cmd_lessons(args) -> int:
    from viz_app.core import lessons

    if args.json:
        print_json({"lessons": lessons.to_json()})
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
            print_json({"models": [], "error": str(exc)})
        print(f"viz-app: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if args.json:
        print_json({"models_dir": str(registry.root), "models": [s.to_json() for s in statuses]})
    else:
        for s in statuses:
            print(f"{s.card.name:20} {s.card.kind:12} {s.status}")
            for problem in s.problems:
                print(f"    {problem}")
    return EXIT_OK if all(s.status == "ok" for s in statuses) else EXIT_FAILURE


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
        print_json(report)
    else:
        for check in report["checks"]:
            mark = "ok  " if check["ok"] else "FAIL"
            print(f"{mark} {check['name']}: {check['detail']}")
    return EXIT_OK if report["ok"] else EXIT_FAILURE


def cmd_benchmark(args) -> int:
    from viz_app.benchmark import run_benchmark

    report = run_benchmark(args.out, edits=args.edits, starts=args.starts, data_root=args.data)
    print_json(report)
    return EXIT_OK


COMMANDS = {
    "lessons": cmd_lessons,
    "models": cmd_models,
    "screenshot": cmd_screenshot,
    "self-test": cmd_self_test,
    "benchmark": cmd_benchmark,
}
