"""The gallery: every lesson tab and every step of the lecture tour, rendered offscreen at the sizes a
classroom uses, into one folder with an ``index.html`` that shows them side by side.

    python -m viz_app.qt.gallery OUT_DIR [--only LESSON ...] [--configs NAME ...] [--no-tour] [--no-tabs]

One process and one inference service for everything (each model loads once). Each configuration (size,
presentation mode, language) gets a fresh main window, as ``viz-app screenshot`` makes one. A view that
fails or times out is listed in the index with its message; the others go on. Progress goes to stdout.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CONFIGS = {  # name -> (width, height, presentation, language)
    "1920x1080": (1920, 1080, False, "en"),
    "1024x768": (1024, 768, False, "en"),
    "1920x1080-presentation": (1920, 1080, True, "en"),
    "1024x768-presentation": (1024, 768, True, "en"),
    "1024x768-zh_TW": (1024, 768, False, "zh_TW"),
}
TIMEOUT_S = 120.0

# The README's screenshots come from the gallery: README file name -> (configuration, gallery picture).
README_SHOTS = {
    "generative.png": ("1920x1080", "lesson-generative-0"),
    "word-embedding.png": ("1920x1080", "tour-07"),
    "bow.png": ("1920x1080", "lesson-bow-0"),
    "rnn-toy.png": ("1920x1080", "lesson-rnn-toy-0"),
    "lstm.png": ("1920x1080", "lesson-lstm-1"),
    "attention.png": ("1920x1080", "lesson-attention-0"),
    "chatbot.png": ("1920x1080", "tour-19"),
    "seq2seq-step.png": ("1920x1080", "lesson-seq2seq-1"),
    "seq2seq-beam.png": ("1920x1080", "lesson-seq2seq-2"),
    "seq2seq-compare.png": ("1920x1080", "lesson-seq2seq-3"),
    "self-attention-qkv.png": ("1920x1080", "lesson-self-attention-0"),
    "self-attention-grid.png": ("1920x1080", "lesson-self-attention-2"),
    "self-attention-vision.png": ("1920x1080", "lesson-self-attention-6"),
    "transformer-step.png": ("1920x1080", "lesson-transformer-3"),
    "bert-fill-mask.png": ("1920x1080", "lesson-bert-0"),
    "bert-contextual.png": ("1920x1080", "lesson-bert-2"),
    "gpt-next-token.png": ("1920x1080", "lesson-gpt-0"),
    "gpt-logit-lens.png": ("1920x1080", "lesson-gpt-2"),
    "gpt-vs-bert.png": ("1920x1080", "lesson-gpt-3"),
    "gpt-heads-off.png": ("1024x768", "lesson-gpt-5"),
    "gpt-branches.png": ("1024x768", "lesson-gpt-6"),
    "bert-explain.png": ("1024x768", "lesson-bert-6"),
    "self-attention-learn.png": ("1024x768", "lesson-self-attention-7"),
    "tour-step.png": ("1024x768", "tour-18"),
    "presentation.png": ("1024x768-presentation", "tour-20"),
    "zh-tw.png": ("1024x768-zh_TW", "tour-30"),
    "tang-acrostic.png": ("1024x768-zh_TW", "tang-08"),
}


def copy_readme_shots(gallery: Path, dest: Path) -> list[str]:
    """Copy the README's screenshots out of a rendered gallery; returns the names that were not rendered."""
    import shutil

    missing = []
    dest.mkdir(parents=True, exist_ok=True)
    for name, (config, key) in README_SHOTS.items():
        source = Path(gallery) / config / f"{key}.png"
        if source.is_file():
            shutil.copyfile(source, dest / name)
        else:
            missing.append(name)
    return missing


@dataclass(frozen=True)
class Item:
    """One picture per configuration: a lesson's tab, or a step of the tour (``step`` counts from 1)."""

    key: str  # file name stem, e.g. "lesson-bow-0" or "tour-09"
    title: str
    lesson: str
    tab: int | None = None
    step: int | None = None
    tour: str = "lecture"  # which bundled tour a step belongs to
    text: str | None = None  # typed in place of the lesson's default text (the Chinese tabs)
    steps: int | None = None  # a tab that trains (Learn): how many steps its action trains


# The lessons with a Chinese model, and the Chinese text their tabs are rendered with ("zh-lesson-ID-K"): the
# lessons switch to their Tang-poem model for it, so every Chinese view is in the gallery, not only the tour's.
CHINESE_TEXT = {
    "generative": "抱枕無言語，空房獨悄然。",
    "word-embedding": "春 花 月 夜 山",
    "seq2seq": "白日依山盡",
    "attention": "白日依山盡，",
    "self-attention": "舉頭望明月，低頭思故鄉。",
    "transformer": "山中無曆日，",
    "bert": "舉頭望明[MASK]，低頭思故鄉。",
    "gpt": "床前明月光，疑是地上",
}


@dataclass
class Shot:
    item: Item
    config: str
    path: str = ""  # relative to the gallery folder; "" when nothing was saved
    seconds: float = 0.0
    problem: str = ""  # why it failed, or what the view showed instead (an error banner, a tour problem)


@dataclass
class Report:
    shots: list[Shot] = field(default_factory=list)

    @property
    def failed(self) -> list[Shot]:
        return [s for s in self.shots if s.problem]


LEARN_STAGES = (("untrained", 0), ("forming", 25))  # besides the tab's own picture: trained until formed


def lesson_items(service, only=None, chinese: bool = False) -> list[Item]:
    """Every tab of every lesson (``only``: those lesson ids); the views are built (not run) to count them.
    ``chinese``: the tabs of the lessons in CHINESE_TEXT instead, with that text typed ("zh-lesson-ID-K")."""
    from viz_app.core import lessons
    from viz_app.qt.lessons import view_for

    items = []
    prefix = "zh-lesson" if chinese else "lesson"
    for lesson in lessons.LESSONS:
        if only and lesson.id not in only:
            continue
        if chinese and lesson.id not in CHINESE_TEXT:
            continue
        text = CHINESE_TEXT[lesson.id] if chinese else None
        title_of = f"{lesson.title} (中文)" if chinese else lesson.title
        try:
            view = view_for(lesson, service)
        except Exception:  # noqa: BLE001 - listed with one picture, which shows what goes wrong
            items.append(Item(f"{prefix}-{lesson.id}-0", title_of, lesson.id, 0, text=text))
            continue
        tabs = _tab_widget(view)
        count = tabs.count() if tabs is not None else 0
        for k in range(max(count, 1)):
            name = (tabs.tabBar().tabData(k) or tabs.tabText(k)) if count else ""
            title = f"{title_of}: {name}" if name else title_of
            items.append(Item(f"{prefix}-{lesson.id}-{k}", title, lesson.id, k if count else None, text=text))
            if name == "Learn" and not chinese:  # the heads before training and while they form, too
                for stage, steps in LEARN_STAGES:
                    items.append(Item(f"{prefix}-{lesson.id}-{k}-{stage}", f"{title} ({stage})", lesson.id, k,
                                      steps=steps))  # fmt: skip
        view.deleteLater()
    return items


def _tab_widget(view):
    """The lesson's tabs: ``view.tabs``, or the first tab widget inside the view (the bag of words has one)."""
    from PySide6.QtWidgets import QTabWidget

    tabs = getattr(view, "tabs", None)
    return tabs if tabs is not None else view.findChild(QTabWidget)


def tour_items(tour, only=None, name: str = "lecture") -> list[Item]:
    """The steps of a bundled tour: "tour-NN" for the lecture's, "NAME-NN" for another (the Chinese "tang-NN")."""
    prefix = "tour" if name == "lecture" else name
    return [
        Item(f"{prefix}-{k:02d}", f"{tour.title} step {k}: {s.caption[:70]}", s.lesson, step=k, tour=name)
        for k, s in enumerate(tour.steps, 1)
        if not only or s.lesson in only
    ]


def _wait(app, window, view, ids: set, deadline: float) -> str:
    """Process events until the view, its tab's requests and the tour have drawn. "" or a timeout message."""
    from PySide6.QtCore import QEventLoop

    while view.pending() or ids or window.tour.pending() or not view.drawn:
        if time.monotonic() > deadline:
            return "no result within the time limit (the picture shows what was drawn by then)"
        app.processEvents(QEventLoop.AllEvents, 50)
        time.sleep(0.002)
    return ""


def _show_tab(app, window, item: Item, ids: set) -> object:
    """A lesson's tab from a clean state: the lesson's default text and controls, then the tab's action."""
    from viz_app.core import examples
    from viz_app.qt import view_state

    window.tour.stop()
    window.select_lesson(item.lesson)
    view = window.current_view()
    controls = (getattr(view, "default_state", None) or {}).get("controls", {})
    text = item.text if item.text is not None else examples.default_text(item.lesson)
    if item.text is not None:  # the lesson's defaults first: Chinese text then switches it to its Chinese model
        view_state.apply(view, controls)
        window.set_input_text(examples.default_text(item.lesson))  # then the Chinese: the lesson sees it arrive
        window.flush_input()
    if window.input.toPlainText() != text:
        window.set_input_text(text)
    window.flush_input()
    view.forget_requests()
    if item.text is None:
        view_state.apply(view, controls)
    tabs = _tab_widget(view)
    if item.tab is not None and tabs is not None:
        tabs.setCurrentIndex(item.tab)
    window.flush_input()
    view.refresh()  # drawn afresh: nothing from the tab rendered before stays on the map
    deadline = time.monotonic() + TIMEOUT_S
    while view.pending() and time.monotonic() < deadline:  # the tab's action may need the lesson's result
        app.processEvents()
        time.sleep(0.002)
    ids.update(view.tour_action() if item.steps is None else view.tour_action(steps=item.steps))
    return view


def _grab(app, window, path: Path) -> None:
    window.grab()  # a first render lets plots size their axes to the fonts
    for _ in range(3):
        app.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise RuntimeError(f"could not write {path}")


def render(out_dir, items: list[Item], configs=None, tour=None, log=print, service=None) -> Report:
    """Render ``items`` in each of ``configs`` (names in CONFIGS) into ``out_dir``; write index.html.
    ``service``: the inference service to use (one is made, and shut down at the end, if not given)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from viz_app.core.settings import Settings
    from viz_app.qt import i18n, theme
    from viz_app.qt.app import _application
    from viz_app.qt.main_window import MainWindow
    from viz_app.qt.service import InferenceService

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    configs = list(configs or CONFIGS)
    app = _application()
    own_service = service is None
    service = service or InferenceService()
    ids: set = set()

    def settled(_channel, request_id, *_rest):
        ids.discard(request_id)

    service.resultReady.connect(settled)
    service.jobFailed.connect(settled)
    service.jobCancelled.connect(settled)
    report = Report()
    total, done, started = len(items) * len(configs), 0, time.monotonic()
    try:
        for config in configs:
            width, height, presenting, language = CONFIGS[config]
            (out / config).mkdir(exist_ok=True)
            settings = Settings(persistent=False)
            settings.set("language", language)
            settings.set("lesson", items[0].lesson if items else "bow")
            window = MainWindow(settings, service)
            try:
                window.resize(width, height)
                window.show()
                if presenting:
                    window.set_presentation(True, full_screen=False)
                    window.resize(width, height)
                for item in items:
                    done += 1
                    shot = Shot(item, config)
                    t0 = time.monotonic()
                    try:
                        ids.clear()
                        if item.step is not None:
                            this_tour = tour[item.tour] if isinstance(tour, dict) else tour
                            if not window.tour.active or window.tour.tour is not this_tour:
                                window.tour.start(this_tour, at=item.step - 1)
                            else:
                                window.tour.go(item.step - 1)
                            view = window.current_view()
                        else:
                            view = _show_tab(app, window, item, ids)
                        shot.problem = _wait(app, window, view, ids, time.monotonic() + TIMEOUT_S)
                        if item.step is not None and window.tour.problems:
                            shot.problem = " ".join([*window.tour.problems, shot.problem]).strip()
                        if view.error_banner.isVisible():
                            shot.problem = (shot.problem + " shows an error: " + view.error_banner.text()).strip()
                        path = out / config / f"{item.key}.png"
                        _grab(app, window, path)
                        shot.path = f"{config}/{item.key}.png"
                    except Exception as exc:  # noqa: BLE001 - one failing view is listed, not fatal
                        shot.problem = f"{type(exc).__name__}: {exc}"
                    shot.seconds = time.monotonic() - t0
                    report.shots.append(shot)
                    if item.step is not None and shot.path and window.tour.hiding:
                        # a question step: its answer revealed (the presenter's next key), as a picture of its own
                        window.tour.reveal()
                        revealed = Shot(Item(f"{item.key}-revealed", item.title + " (revealed)", item.lesson,
                                             step=item.step, tour=item.tour), config)  # fmt: skip
                        _grab(app, window, out / config / f"{revealed.item.key}.png")
                        revealed.path = f"{config}/{revealed.item.key}.png"
                        report.shots.append(revealed)
                    mark = "FAILED " + shot.problem[:120] if shot.problem else "ok"
                    log(f"[{done}/{total}] {config} {item.key} {shot.seconds:.1f}s {mark}")
                    sys.stdout.flush()
            finally:
                window.tour.stop()
                if window.presenting:
                    window.set_presentation(False)
                window.hide()  # not close(): closing shuts down the service the next window shares
                window.deleteLater()
                app.processEvents()
                if language != "en":
                    i18n.install("en")
                theme.set_colormap("viridis")
    finally:
        for signal in (service.resultReady, service.jobFailed, service.jobCancelled):
            signal.disconnect(settled)
        if own_service:
            service.shutdown()
        write_index(out, report, configs)
    log(f"{len(report.shots)} pictures in {time.monotonic() - started:.0f} s, {len(report.failed)} with problems")
    return report


def write_index(out: Path, report: Report, configs: list[str]) -> Path:
    """index.html: one row per item, one column per configuration, relative paths; problems listed first."""
    rows: dict[str, dict[str, Shot]] = {}
    titles: dict[str, str] = {}
    for shot in report.shots:
        rows.setdefault(shot.item.key, {})[shot.config] = shot
        titles[shot.item.key] = shot.item.title
    e = html.escape
    parts = [
        "<!doctype html><meta charset='utf-8'><title>viz-app gallery</title>",
        "<style>body{font-family:sans-serif;margin:1em} table{border-collapse:collapse} td,th{border:1px solid #ccc;"
        "padding:4px;vertical-align:top} img{width:380px;display:block} .bad{color:#b00020}</style>",
        f"<h1>viz-app gallery</h1><p>{len(report.shots)} pictures, {len(report.failed)} with problems. "
        "Click a picture for its full size.</p>",
    ]
    if report.failed:
        parts.append("<h2>Problems</h2><ul>")
        parts += [
            f"<li class='bad'><b>{e(s.config)} / {e(s.item.key)}</b> ({e(s.item.title)}): {e(s.problem)}</li>"
            for s in report.failed
        ]
        parts.append("</ul>")
    parts.append("<table><tr><th>view</th>" + "".join(f"<th>{e(c)}</th>" for c in configs) + "</tr>")
    for key, shots in rows.items():
        cells = []
        for config in configs:
            shot = shots.get(config)
            if shot is None:
                cells.append("<td></td>")
                continue
            img = f"<a href='{e(shot.path)}'><img src='{e(shot.path)}' alt='{e(key)}'></a>" if shot.path else ""
            note = f"<div class='bad'>{e(shot.problem)}</div>" if shot.problem else ""
            cells.append(f"<td>{img}{note}<small>{shot.seconds:.1f} s</small></td>")
        parts.append(f"<tr><th>{e(titles[key])}<br><small>{e(key)}</small></th>{''.join(cells)}</tr>")
    parts.append("</table>")
    path = out / "index.html"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m viz_app.qt.gallery", description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--only", nargs="*", default=None, help="lesson ids (default: every lesson)")
    parser.add_argument("--configs", nargs="*", default=None, choices=list(CONFIGS), help="default: all")
    parser.add_argument("--no-tour", action="store_true", help="lesson tabs only")
    parser.add_argument("--no-tabs", action="store_true", help="tour steps only")
    parser.add_argument("--no-chinese", action="store_true", help="without the lesson tabs on Chinese text")
    parser.add_argument("--readme", metavar="DIR", help="then copy the README's screenshots into DIR")
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from viz_app.core import tours
    from viz_app.qt.app import _application
    from viz_app.qt.service import InferenceService

    _application()
    service = InferenceService()
    try:
        loaded = {name: tours.load(tours.bundled_tour_path(name)) for name in tours.BUNDLED_TOURS}
        items = [] if args.no_tabs else lesson_items(service, args.only)
        if not args.no_tabs and not args.no_chinese:
            items += lesson_items(service, args.only, chinese=True)
        if not args.no_tour:
            for name, tour in loaded.items():
                items += tour_items(tour, args.only, name)
        report = render(args.out_dir, items, args.configs, loaded, service=service)
    finally:
        service.shutdown()
    print(f"index: {Path(args.out_dir) / 'index.html'}")
    if args.readme:
        missing = copy_readme_shots(Path(args.out_dir), Path(args.readme))
        print(f"README screenshots in {args.readme}" + (f"; not rendered: {', '.join(missing)}" if missing else ""))
    return 1 if report.failed and len(report.failed) == len(report.shots) else 0


if __name__ == "__main__":
    sys.exit(main())
