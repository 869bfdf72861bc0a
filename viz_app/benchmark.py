"""The benchmark script: start-up and keystroke latency, written as JSON (not a timed test).

    viz-app benchmark --out benchmark.json       (or: python -m viz_app.benchmark)

* first paint: wall time from launching ``python -m viz_app`` to the main window's
  first paint event, over several fresh processes;
* keystroke to updated view: a key is typed into the shared input; we time from
  the moment the debounce timer fires (so the deliberate ~120 ms typing pause is
  not counted) to the lesson view having drawn the new result and repainted,
  over many edits, per lesson. The total including the debounce is reported too.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3),
        "p95": round(p95, 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
    }


def measure_first_paint(starts: int = 5) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    times = []
    for _ in range(starts):
        with tempfile.TemporaryDirectory() as config:
            env["VIZ_APP_CONFIG_DIR"] = config
            start = time.time()
            proc = subprocess.run(
                [sys.executable, "-m", "viz_app", "--first-paint-probe"],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
            )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("first-paint ")), None)
        if proc.returncode != 0 or line is None:
            raise RuntimeError(f"the first-paint probe failed: {proc.stderr.strip()[-400:]}")
        times.append(float(line.split()[1]) - start)
    return {"seconds": _summary(times), "platform": env["QT_QPA_PLATFORM"]}


def measure_bundle(bundle_dir: str | Path, starts: int = 5) -> dict:
    """Start to first paint of a PyInstaller bundle's program (``python -m viz_app.packaging.build``),
    timed as :func:`measure_first_paint` times the source install: fresh processes, each with an empty
    config folder, offscreen unless ``QT_QPA_PLATFORM`` says otherwise. The bundle's own resources are
    used (``VIZ_APP_RESOURCES`` is unset for it). Also says whether torch was loaded before the paint."""
    exe = Path(bundle_dir) / ("viz-app.exe" if sys.platform == "win32" else "viz-app")
    env = {k: v for k, v in os.environ.items() if k != "VIZ_APP_RESOURCES"}
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM", "offscreen")
    times, torch_loaded = [], []
    for _ in range(starts):
        with tempfile.TemporaryDirectory() as config:
            env["VIZ_APP_CONFIG_DIR"] = config
            start = time.time()
            proc = subprocess.run(
                [str(exe), "--first-paint-probe"], capture_output=True, text=True, timeout=120, env=env, cwd=config
            )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("first-paint ")), None)
        if proc.returncode != 0 or line is None:
            raise RuntimeError(f"the bundle's first-paint probe failed: {proc.stderr.strip()[-400:]}")
        times.append(float(line.split()[1]) - start)
        torch_loaded.append("torch-loaded=True" in line)
    return {"seconds": _summary(times), "platform": env["QT_QPA_PLATFORM"], "torch_before_paint": any(torch_loaded)}


TWENTY_WORDS = "once upon a time there was a little girl named lily who loved to play with her big red ball"
TWENTY_FRENCH = "nous sommes allés au cinéma hier soir avec mes amis et nous avons mangé une pizza dans le restaurant ."
# Every lesson at a 20-token input, on the tab it opens on: lesson id -> (text, character typed and deleted).
EVERY_LESSON = {
    "generative": (TWENTY_WORDS, "."),
    "word-embedding": (TWENTY_WORDS, "."),
    "bow": (TWENTY_WORDS, "."),
    "rnn-toy": ("; ".join(["1,1"] * 9 + ["2,2"]), "3"),  # ten 2-d input vectors (20 numbers)
    "lstm": (TWENTY_WORDS, "."),
    "seq2seq": (TWENTY_FRENCH, "."),
    "attention": (TWENTY_FRENCH, "."),
    "self-attention": (TWENTY_FRENCH, "."),
    "transformer": (TWENTY_FRENCH, "."),
    "bert": ("once upon a time there was a little girl named lily who [MASK] to play with her big red ball", "."),
    "gpt": (TWENTY_WORDS, "."),
}


def measure_keystrokes(edits: int = 100, lessons=None) -> dict:
    """Keystroke to updated view for every lesson (or those named in ``lessons``) on the tab it opens on, at a
    20-token input: median and p95 from the debounce firing to the result drawn and the view repainted."""
    results = {}
    for lesson in lessons or EVERY_LESSON:
        text, typed = EVERY_LESSON[lesson]
        results[lesson] = _keystrokes_in(lesson, None, {"excluding_debounce_ms": text}, edits, lambda v: v, typed)
    return results


TEN_FRENCH_WORDS = "nous sommes allés au cinéma hier soir avec mes amis ."


def measure_decoding(repeats: int = 30) -> dict:
    """Greedy and beam-5 decoding of a 10-word French sentence with the bundled attention translator
    (model already loaded), and the whole Seq2Seq lesson job (greedy steps + beam + both translators)."""
    from types import SimpleNamespace

    from viz_app.core.lessons import seq2seq as lesson
    from viz_app.core.lessons.seq2seq import seq2seq_lesson_job
    from viz_app.core.registry import ModelStore
    from viz_app.core.seq2seq import probes

    store = ModelStore()
    probes.translate(store, lesson.ATTENTION_MODEL, TEN_FRENCH_WORDS)  # load once
    probes.translate(store, lesson.PLAIN_MODEL, TEN_FRENCH_WORDS)
    out = {"sentence": TEN_FRENCH_WORDS}
    for label, width in (("greedy_ms", 1), ("beam5_ms", 5)):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            probes.translate(store, lesson.ATTENTION_MODEL, TEN_FRENCH_WORDS, width)
            times.append((time.perf_counter() - t0) * 1000)
        out[label] = _summary(times)
    ctx = SimpleNamespace(models=store)  # the job reads only the model store
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        seq2seq_lesson_job(ctx, lesson.ATTENTION_MODEL, TEN_FRENCH_WORDS, (), 5)
        times.append((time.perf_counter() - t0) * 1000)
    out["lesson_job_beam5_ms"] = _summary(times)
    return out


def _keystrokes_in(lesson_id: str, tab: str | None, texts: dict, edits: int, painted, typed: str = ".") -> dict:
    """For each labelled text: open ``lesson_id`` at ``tab`` with it, then type a character (``typed``) and
    delete it ``edits`` times; each time, from the debounce firing to the new result drawn and
    ``painted(view)`` repainted (milliseconds)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from viz_app.core.settings import Settings
    from viz_app.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(persistent=False))
    window.resize(1280, 800)
    window.show()
    results = {}
    try:
        window.select_lesson(lesson_id)
        view = window.current_view()
        if tab is not None:  # None: the tab the lesson opens on
            view.select_tab(tab)
        for label, text in texts.items():
            window.set_input_text(text)
            window.flush_input()
            _wait(app, lambda v=view: v.drawn and not v.pending(), QEventLoop)
            fired: list[float] = []
            window.debounce.timeout.connect(lambda f=fired: f.append(time.perf_counter()))
            box = window.input
            box.setFocus()
            cursor = box.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            box.setTextCursor(cursor)
            times = []
            for i in range(edits):
                before = view.last_request_drawn
                fired.clear()
                if i % 2:
                    QTest.keyClick(box, Qt.Key_Backspace)
                elif typed == ".":
                    QTest.keyClick(box, Qt.Key_Period)
                else:  # a key event carrying the character (QTest's key clicks take ASCII only)
                    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                        QApplication.sendEvent(box, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, typed))
                _wait(
                    app, lambda v=view, b=before: v.last_request_drawn != b and v.drawn, QEventLoop, 30.0,
                    view.resultShown,
                )  # fmt: skip
                painted(view).repaint()
                times.append((time.perf_counter() - fired[0]) * 1000)
            window.debounce.timeout.disconnect()
            window.debounce.timeout.connect(window._push_text)
            results[label] = _summary(times)
    finally:
        window.service.shutdown()
        window.deleteLater()
        app.processEvents()
    return results


def _not_ready(*names: str) -> str:
    from viz_app.core.registry import Registry

    missing = [n for n in names if n not in Registry().cards()]
    return f"{', '.join(missing)} not bundled" if missing else ""


def measure_model_view(lengths=(32, 128, 512), edits: int = 20) -> dict:
    """Self-attention lesson, "All layers" tab (every layer x head): from a keystroke (after the debounce)
    to the grid repainted with the new maps, for French inputs of 32, 128 and 512 tokens."""
    if _not_ready("transformer"):
        return {"skipped": _not_ready("transformer")}
    words = "le chat noir dort sur le canapé rouge et le chien mange dans la cuisine avec nous".split()
    texts = {f"{n}_tokens_ms": " ".join(words[k % len(words)] for k in range(n - 1)) + " ." for n in lengths}
    return _keystrokes_in("self-attention", "all", texts, edits, lambda v: v.grid)


def measure_lm_views(edits: int = 40) -> dict:
    """BERT's fill-mask tab and GPT's next-token tab: keystroke (after the debounce) to the bars redrawn."""
    if _not_ready("bert-tiny", "gpt-tiny"):
        return {"skipped": _not_ready("bert-tiny", "gpt-tiny")}
    fill = _keystrokes_in(
        "bert", "fill", {"fill_mask_ms": "the little girl [MASK] to the park with her mom"}, edits,
        lambda v: v.fill_area,
    )  # fmt: skip
    nxt = _keystrokes_in(
        "gpt", "next", {"next_token_ms": "once upon a time, there was a little girl named lily. she"}, edits,
        lambda v: v.next_bars,
    )  # fmt: skip
    return {**fill, **nxt}


def measure_generation(tokens: int = 100) -> dict:
    """The bundled GPT generating ``tokens`` tokens (top-k 40) after a short prompt: tokens per second,
    on the CPU and on a GPU when there is one."""
    if _not_ready("gpt-tiny"):
        return {"skipped": _not_ready("gpt-tiny")}
    import torch

    from viz_app.core.lm import probes
    from viz_app.core.registry import Registry

    lm = probes.load(Registry(), "gpt-tiny")
    out = {}
    for device in ["cpu"] + (["cuda"] if torch.cuda.is_available() else []):
        lm.to(device)
        list(probes.generate(lm, "once upon a time", 5, probes.Sampling(1.0, 40), seed=1))  # warm-up
        start = time.perf_counter()
        made = 0
        seed = 0
        while made < tokens:  # an end-of-text token stops a story early: start another one
            made += len(list(probes.generate(lm, "once upon a time", tokens - made, probes.Sampling(1.0, 40), seed)))
            seed += 1
        out[f"{device}_tokens_per_s"] = round(made / (time.perf_counter() - start), 1)
    lm.to("cpu")
    return out


def measure_chinese(edits: int = 40, poems: int = 5) -> dict:
    """The Tang-poem models: keystroke (after the debounce) to the bars redrawn in the GPT's next-token tab and
    BERT's fill-mask tab with Chinese text (the lessons switch to gpt-tang / bert-tang for it), and gpt-tang
    writing 五言絕句 under the form constraint: characters per second, on the CPU and on a GPU when there is one."""
    out: dict = {}
    if not _not_ready("gpt-tang"):
        out |= _keystrokes_in("gpt", "next", {"gpt_tang_next_token_ms": "床前明月光，疑是地上霜。舉頭"}, edits,
                              lambda v: v.next_bars)  # fmt: skip
        import torch

        from viz_app.core.lm import poem, probes
        from viz_app.core.registry import Registry

        lm = probes.load(Registry(), "gpt-tang")
        for device in ["cpu"] + (["cuda"] if torch.cuda.is_available() else []):
            lm.to(device)
            poem.generate(lm, "5x4", seed=99)  # warm-up
            start = time.perf_counter()
            made = sum(
                len(poem.generate(lm, "5x4", "", "", probes.Sampling(1.0, 40), seed).steps) for seed in range(poems)
            )
            out[f"gpt_tang_poem_{device}_tokens_per_s"] = round(made / (time.perf_counter() - start), 1)
        lm.to("cpu")
    else:
        out["gpt_tang"] = _not_ready("gpt-tang")
    if not _not_ready("bert-tang"):
        out |= _keystrokes_in("bert", "fill", {"bert_tang_fill_mask_ms": "床前明月[MASK]，疑是地上霜。"}, edits,
                              lambda v: v.fill_area)  # fmt: skip
    else:
        out["bert_tang"] = _not_ready("bert-tang")
    # The couplet writers: a first line (typing one more character keeps it one line) -> the second line drawn.
    for lesson_id, tab, name, paint in (
        ("seq2seq", "alignment", "couplet", lambda v: v.tabs.currentWidget()),
        ("transformer", "cross", "couplet-transformer", lambda v: v.tabs.currentWidget()),
    ):
        if _not_ready(name):
            out[name] = _not_ready(name)
            continue
        key = f"{name.replace('-', '_')}_{lesson_id}_{tab}_ms"
        out |= _keystrokes_in(lesson_id, tab, {key: "白日依山盡"}, edits, paint, typed="山")
    return out


def measure_projection_and_scatter(points: int = 100_000, frames: int = 40) -> dict:
    """PCA of the bundled vocabulary and of ``points`` x 100 random vectors; then the time to draw
    the first frame of a ``points``-dot scatter and the frame time while panning it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from viz_app.core.embeddings.projection import pca
    from viz_app.core.embeddings.word_vectors import load_registered
    from viz_app.core.registry import Registry

    out: dict = {}
    wv = load_registered(Registry(), "embedding-skipgram")
    start = time.perf_counter()
    pca(wv.vectors)
    out["pca_vocabulary_s"] = round(time.perf_counter() - start, 4)
    out["vocabulary"] = len(wv.words)
    big = np.random.default_rng(0).normal(size=(points, 100)).astype(np.float32)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        coords = pca(big).coords
        runs.append(time.perf_counter() - start)
    out[f"pca_{points}x100_s"] = _summary(runs)

    from viz_app.qt.widgets.word_scatter import WordScatter

    app = QApplication.instance() or QApplication([])
    scatter = WordScatter()
    scatter.resize(1000, 700)
    scatter.show()
    words = [f"w{i}" for i in range(points)]
    start = time.perf_counter()
    scatter.set_points(words, coords)
    scatter.viewport().repaint()  # the scene is drawn in the view's viewport widget
    app.processEvents()
    out["scatter_first_frame_s"] = round(time.perf_counter() - start, 4)
    (x0, x1), (y0, y1) = scatter.plot_item.viewRange()
    step = (x1 - x0) / 100
    frame_times = []
    for k in range(frames):
        start = time.perf_counter()
        scatter.plot_item.setXRange(x0 + k * step, x1 + k * step, padding=0)
        scatter.viewport().repaint()
        frame_times.append((time.perf_counter() - start) * 1000)
    out["pan_frame_ms"] = _summary(frame_times)
    out["pan_fps_median"] = round(1000 / out["pan_frame_ms"]["median"], 1)
    scatter.deleteLater()
    app.processEvents()
    return out


def _wait(app, done, loop_flags, timeout_s: float = 30.0, signal=None) -> None:
    """Run the event loop until ``done()``, as the app's own loop runs: asleep in Qt between events, the GIL
    free for the worker thread (a loop of processEvents calls would keep taking the GIL from the worker and
    slow its job down). ``done`` is checked when ``signal`` fires and every 10 ms."""
    from PySide6.QtCore import QTimer

    if done():
        return
    loop = loop_flags()
    expired = []

    def check() -> None:
        if done():
            loop.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    poll.start()
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(lambda: (expired.append(True), loop.quit()))
    limit.start(int(timeout_s * 1000))
    if signal is not None:
        signal.connect(check)
    try:
        loop.exec()
    finally:
        poll.stop()
        limit.stop()
        if signal is not None:
            signal.disconnect(check)
    if expired and not done():
        raise RuntimeError("the view did not update within 30 s")


def run_benchmark(
    out: str = "benchmark.json", edits: int = 200, starts: int = 5, data_root: str = "../shared/data"
) -> dict:
    from PySide6 import __version__ as pyside_version

    from viz_app import __version__
    from viz_app.benchmark_models import (
        compare_with_gensim,
        measure_guess_check,
        measure_head_scan,
        measure_kv_cache,
        measure_learn,
        measure_scoring,
        measure_transformer_cache,
        measure_tsne,
    )
    from viz_app.qt.main_window import DEBOUNCE_MS

    report = {
        "viz_app": __version__,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "pyside6": pyside_version,
        },
        "first_paint": measure_first_paint(starts),
        "debounce_ms": DEBOUNCE_MS,
        "keystroke_to_view": measure_keystrokes(edits),
        "seq2seq_decoding": measure_decoding(),
        "transformer_model_view": measure_model_view(),
        "bert_gpt_views": measure_lm_views(),
        "gpt_generation": measure_generation(),
        "kv_cache": measure_kv_cache(),
        "transformer_kv_cache": measure_transformer_cache(),
        "decoding_guess_check": measure_guess_check(),
        "learn": measure_learn(),
        "learn_redraw": measure_learn_redraw(),
        "head_scan": measure_head_scan(),
        "chinese_models": measure_chinese(),
        "projection_and_scatter": measure_projection_and_scatter(),
        "tsne": measure_tsne(),
        "scoring_validation": measure_scoring(data_root),
        "skipgram_vs_gensim": compare_with_gensim(data_root),
        "targets": {
            "first_paint_s": 1.0,
            "keystroke_p95_ms_excluding_debounce": 50,
            "pca_100k_s": 0.3,
            "pan_fps": 30,
            "skipgram_vs_gensim_ratio": 0.9,
        },
    }
    Path(out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    print(json.dumps(run_benchmark(*(sys.argv[1:2] or ["benchmark.json"])), indent=2))


def measure_learn_redraw(chunks: int = 20) -> dict:
    """The Learn tab (reverse, defaults): from a chunk's result arriving to the tab redrawn (curves, every
    head's map, the large map, scores), and the chunk's own time on the worker (10 steps and a snapshot)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from viz_app.core.settings import Settings
    from viz_app.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(persistent=False))
    window.resize(1280, 800)
    window.show()
    try:
        window.select_lesson("self-attention")
        view = window.current_view()
        view.select_tab("Learn")
        panel = view.learn_panel
        draws, work = [], []
        original = panel.draw

        def timed(chunk):
            t0 = time.perf_counter()
            original(chunk)
            panel.grab()  # painted, not only laid out
            draws.append(1000 * (time.perf_counter() - t0))
            work.append(1000 * chunk.seconds)

        panel.draw = timed
        for _ in range(chunks):
            done = len(draws)
            panel.step_once()
            _wait(app, lambda d=done: len(draws) > d, QEventLoop)
        return {"redraw_ms": _summary(draws), "chunk_on_worker_ms": _summary(work)}
    finally:
        window.service.shutdown()
        window.close()
