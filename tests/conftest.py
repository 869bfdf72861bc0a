"""Test setup: headless Qt, a private settings folder, and no worker thread left running."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Set before anything imports Qt: tests run headless without the user setting anything.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("VIZ_APP_CONFIG_DIR", tempfile.mkdtemp(prefix="viz-app-test-config-"))

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / "resources" / "models"


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """Fail a test that leaves an inference worker running (as napari's conftest does)."""
    yield
    if "viz_app.qt.service" not in sys.modules:
        return
    from viz_app.qt.service import LIVE_WORKERS

    running = [w for w in list(LIVE_WORKERS) if w.isRunning()]
    for worker in running:  # stop them so one failure does not cascade
        worker.queue.close()
        worker.wait(5000)
    assert not running, f"{len(running)} inference worker thread(s) left running"
    from viz_app.qt import gc_guard

    gc_guard.collect_due()  # tests that never spin the event loop long still collect their garbage


def pytest_collection_modifyitems(config, items):
    """The slow checks (a fresh install, the desktop bundle) may take longer than the default per-test
    timeout; everything else is stopped, with every thread's stack printed, after the default."""
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(2400))


@pytest.fixture(autouse=True)
def torch_threads_kept():
    """A test that changes torch's thread count gets it back afterwards: a leaked count changes every later
    test's floating-point sums (and the suite's speed)."""
    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    yield
    torch = sys.modules.get("torch")
    if torch is not None and before is not None and torch.get_num_threads() != before:
        torch.set_num_threads(before)


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    path = tmp_path / "config"
    monkeypatch.setenv("VIZ_APP_CONFIG_DIR", str(path))
    return path


@pytest.fixture
def resources_copy(tmp_path, monkeypatch):
    """A private copy of resources/ that a test may break; the app is pointed at it."""
    import shutil

    dest = tmp_path / "resources"
    shutil.copytree(REPO / "resources", dest)
    monkeypatch.setenv("VIZ_APP_RESOURCES", str(dest))
    return dest


@pytest.fixture
def make_window(qtbot, config_dir):
    """make_window(settings=None, lesson=None, text=None) -> a shown main window, shut down after the test."""
    from viz_app.core.settings import Settings
    from viz_app.qt.main_window import MainWindow

    windows = []

    def make(settings=None, lesson: str | None = None, text: str | None = None):
        s = settings or Settings(persistent=False)
        if lesson:
            s.set("lesson", lesson)
        if text is not None:
            s.set("text", text)
        window = MainWindow(s)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.presenting:
            window.set_presentation(False)  # the app-wide font and theme go back for the next test
        window.service.shutdown()


@pytest.fixture
def open_lesson(make_window, qtbot):
    """open_lesson(lesson_id, text) -> the lesson's view in a shown main window, after its first result."""

    def open_(lesson_id: str, text: str):
        view = make_window(lesson=lesson_id, text=text).current_view()
        qtbot.waitUntil(lambda: view.drawn, timeout=30000)
        return view

    return open_
