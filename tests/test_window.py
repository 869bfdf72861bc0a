"""The main window at a classroom projector: room for the lesson at 1024x768, a status bar that tells the
truth about what is on screen, export files and folders, and a clear message where Qt cannot start."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel

from viz_app.core import lessons as catalogue
from viz_app.core.jobs import Progress
from viz_app.core.settings import Settings
from viz_app.qt import i18n

REPO = Path(__file__).resolve().parent.parent


def settle(qtbot, view, timeout=120000):
    qtbot.waitUntil(lambda: view.drawn and not view.pending(), timeout=timeout)
    for _ in range(3):
        QApplication.processEvents()


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


# --- 1024x768: the lesson gets the room --------------------------------------------------------------------


@pytest.mark.parametrize("font_scale", [1.0, 1.5])
def test_every_lesson_and_tab_fits_a_1024x768_projector(make_window, qtbot, font_scale):
    """No horizontal scroll bar, and the Export button inside the window and the lesson's visible area, for
    every lesson and every tab at 1024x768, at 1x and at the 1.5x fonts of presentation mode."""
    settings = Settings(persistent=False)
    settings.set("font_scale", font_scale)
    window = make_window(settings=settings)
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.compact and not window.lesson_list.isVisible() and not window.explanation.isVisible()
    for key in ("lessons", "explanation"):
        button = window.panel_buttons[key]
        assert button.isVisible() and window.rect().contains(rect_in(button, window))
    problems = []
    try:
        for lesson in catalogue.LESSONS:
            window.select_lesson(lesson.id)
            window.flush_input()
            view = window.current_view()
            settle(qtbot, view)
            tabs = getattr(view, "tabs", None)
            for k in range(tabs.count() if tabs is not None else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(k)
                settle(qtbot, view)
                where = f"{lesson.id} / {tabs.tabText(k) if tabs is not None else '-'} at {font_scale}x"
                holder = window._holder(view)
                if holder.horizontalScrollBar().isVisible():
                    problems.append(
                        f"{where}: horizontal scroll bar (lesson needs {view.minimumSizeHint().width()} px, "
                        f"has {holder.viewport().width()} px)"
                    )
                button = getattr(view, "export_button", None)
                if button is None:
                    continue
                place = rect_in(button, window)
                seen = QRect(holder.viewport().mapTo(window, QPoint(0, 0)), holder.viewport().size())
                if not (button.isVisible() and window.rect().contains(place) and seen.contains(place)):
                    problems.append(f"{where}: Export button at {place.getRect()}, outside {seen.getRect()}")
    finally:
        window.set_font_scale(1.0)
    assert not problems, "\n".join(problems)


def test_the_side_panels_fold_away_in_a_narrow_window_behind_visible_buttons(make_window, qtbot):
    window = make_window(lesson="bow", text="dog bites man\nman bites dog")
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.width() == 1920)
    assert not window.compact and window.lesson_list.isVisible() and window.explanation.isVisible()
    assert window.panel_buttons["lessons"].isChecked()

    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.compact)
    assert not window.lesson_list.isVisible() and not window.explanation.isVisible()
    assert not window.panel_buttons["lessons"].isChecked()
    assert "Ctrl+1" in window.panel_buttons["lessons"].toolTip()  # the button says how else to open it
    assert "Ctrl+2" in window.panel_buttons["explanation"].toolTip()

    window.panel_buttons["lessons"].click()  # open the list over the lesson's room ...
    assert window.lesson_list.isVisible() and window.panel_buttons["lessons"].isChecked()
    item = window._items["lstm"]
    window.lesson_list.itemClicked.emit(item, 0)  # ... pick a lesson: the list folds away again
    window.select_lesson("lstm")
    assert window.current_lesson_id == "lstm" and not window.lesson_list.isVisible()
    window.panel_actions["explanation"].trigger()  # Ctrl+2 works too
    assert window.explanation.isVisible()

    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not window.compact)
    assert window.lesson_list.isVisible() and window.explanation.isVisible()
    window.panel_actions["lessons"].trigger()  # hidden by choice in a wide window: it stays hidden ...
    window.resize(1024, 768)  # (with one panel beside it, the lesson has room enough at 1024)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert not window.compact and window.explanation.isVisible()
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.compact)
    assert not window.explanation.isVisible()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not window.compact)
    assert not window.lesson_list.isVisible() and window.explanation.isVisible()  # ... and the other returns


def test_presentation_mode_keeps_the_panel_buttons(make_window, qtbot):
    window = make_window(lesson="bow", text="dog bites man")
    window.set_presentation(True, full_screen=False)
    assert not window.lesson_list.isVisible() and window.panel_buttons["lessons"].isVisible()
    window.panel_actions["explanation"].trigger()
    assert window.explanation.isVisible()
    window.set_presentation(False)
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not window.compact)
    assert window.lesson_list.isVisible() and window.explanation.isVisible()


# --- the status bar tells the truth --------------------------------------------------------------------------


def test_status_bar_names_the_model_that_computed_the_shown_numbers(make_window, qtbot):
    from viz_app.qt.lessons.self_attention.view import ENGLISH_MODEL

    window = make_window(lesson="self-attention", text="the animal did not cross the street because it was tired")
    view = window.current_view()
    settle(qtbot, view)
    assert view.result.model == ENGLISH_MODEL  # English: the job computed BERT's numbers ...
    assert window.status_model.text() == f"Model: {ENGLISH_MODEL}"  # ... and the status bar says so
    window.set_input_text("je suis étudiant .")
    window.flush_input()
    qtbot.waitUntil(lambda: view.result is not None and view.result.model != ENGLISH_MODEL, timeout=30000)
    settle(qtbot, view)
    assert window.status_model.text() == f"Model: {view.result.model}"
    device = window.service.result_device("self-attention")
    assert device == window.service.device and view.shown_device == device
    assert window.status_device.text().startswith(f"Device: {device.upper()}")


def test_another_lessons_progress_does_not_linger(make_window, qtbot):
    window = make_window(lesson="word-embedding", text="king queen")
    gate = threading.Event()

    def training(ctx):
        yield Progress(1.0, "skipgram step 300/300, loss 1.234")
        gate.wait(20)
        return 1

    channel = "word-embedding:live"
    with qtbot.waitSignal(window.service.progressChanged, timeout=20000):
        rid = window.service.submit(channel, training, label="live training").request_id
    assert "skipgram step 300/300" in window.statusBar().currentMessage()
    window.select_lesson("bow")  # still running, but not this lesson's
    assert window.statusBar().currentMessage() == "" and not window.progress.isVisible()
    with qtbot.waitSignal(window.service.resultReady, timeout=20000, check_params_cb=lambda *a: a[1] == rid):
        gate.set()
    assert window.statusBar().currentMessage() == ""
    # While a lesson is open, another lesson's progress does not reach the status bar at all.
    gate.clear()
    with qtbot.waitSignal(window.service.progressChanged, timeout=20000):
        rid = window.service.submit(channel, training, label="live training").request_id
    assert "skipgram" not in window.statusBar().currentMessage()
    window.select_lesson("word-embedding")
    with qtbot.waitSignal(window.service.resultReady, timeout=20000, check_params_cb=lambda *a: a[1] == rid):
        gate.set()
    assert "skipgram" not in window.statusBar().currentMessage()  # its job is over: the message goes with it


def test_unknown_token_warnings_go_when_the_text_is_cleared(make_window, qtbot):
    """In every lesson: a warning about words or characters the model cannot read ([UNK], <unk>) does not
    stay on screen once the text box is emptied."""
    window = make_window(lesson="bow", text="")

    def warnings(view):
        words = ("[UNK]", "<unk>", "&lt;unk&gt;")
        return [
            w.objectName() for w in view.findChildren(QLabel) if w.isVisible() and any(x in w.text() for x in words)
        ]

    warned = {}
    for lesson in catalogue.LESSONS:
        window.select_lesson(lesson.id)
        view = window.current_view()
        window.set_input_text("😀 我愛你 ✨ the film")
        window.flush_input()
        settle(qtbot, view)
        warned[lesson.id] = warnings(view)
        window.set_input_text("")
        window.flush_input()
        settle(qtbot, view)
        assert not warnings(view), f"{lesson.id}: {warnings(view)} still shown for an empty text box"
    assert any(warned.values()), "no lesson warned about [UNK] at all"


def test_switching_language_keeps_each_views_choices_and_translates_the_status_bar(make_window, qtbot):
    window = make_window(lesson="bow", text="a a\na b")
    bow = window.current_view()
    settle(qtbot, bow)
    bow.metric_select.setCurrentIndex(bow.metric_select.findData("euclidean"))
    settle(qtbot, bow)
    window.select_lesson("lstm")
    lstm = window.current_view()
    settle(qtbot, lstm)
    lstm.tabs.setCurrentIndex(2)
    try:
        window.set_language("zh_TW")
        assert window.current_lesson_id == "lstm"
        lstm = window.current_view()
        assert lstm.tabs.currentIndex() == 2  # the open tab stays open
        settle(qtbot, lstm)
        assert "自動" in window.status_device.text() and "(auto)" not in window.status_device.text()
        assert window.status_device.text() != "Device: CPU (auto)"
        assert "Model:" not in window.status_model.text()
        window.select_lesson("bow")
        bow = window.current_view()
        settle(qtbot, bow)
        assert bow.metric == "euclidean"  # Euclidean stays Euclidean
        assert bow.heatmap.matrix[0, 1] == pytest.approx(2**0.5, rel=1e-6)
        window.resize(1920, 1080)
        qtbot.waitUntil(lambda: not window.compact)
        shown = window.lesson_list.isVisible()
        qtbot.keyClick(window.input, Qt.Key_1, Qt.ControlModifier)  # Ctrl+1 still works after the menus' rebuild
        assert window.lesson_list.isVisible() != shown
        assert window.panel_buttons["lessons"].actions() == [window.panel_actions["lessons"]]
    finally:
        window.set_language("en")
    assert window.current_view().metric == "euclidean"
    assert window.status_device.text().startswith("Device: ")
    qtbot.keyClick(window.input, Qt.Key_2, Qt.ControlModifier)
    assert not window.explanation.isVisible()


def test_every_device_name_is_named_for_the_translators():
    from viz_app.core import devices
    from viz_app.qt.main_window import DEVICE_LABELS

    assert set(DEVICE_LABELS) == set(devices.LABELS.values())


# --- export ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_json_export_follows_the_umask(make_window, qtbot, tmp_path, umask):
    window = make_window(lesson="bow", text="dog bites man\nman bites dog")
    settle(qtbot, window.current_view())
    path = tmp_path / "numbers.json"
    before = os.umask(umask)
    try:
        assert window.export_json(str(path))
    finally:
        os.umask(before)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o640)  # a file that is there keeps its mode when written again
    assert window.export_json(str(path))
    assert path.stat().st_mode & 0o777 == 0o640


def test_export_dialog_opens_in_pictures_or_documents_then_in_the_last_folder(
    make_window, qtbot, tmp_path, monkeypatch, config_dir
):
    from PySide6.QtWidgets import QFileDialog

    home = tmp_path / "home"
    (home / "Pictures").mkdir(parents=True)
    (home / "Documents").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)  # the folder the app was started in: never offered
    chosen = tmp_path / "class" / "slides"
    chosen.mkdir(parents=True)
    asked = []

    def fake_dialog(_parent, _title, proposed, _filters):
        asked.append(Path(proposed))
        return str(chosen / Path(proposed).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    settings = Settings()
    window = make_window(settings=settings, lesson="lstm", text="the cat sat on the mat .")
    view = window.current_view()
    settle(qtbot, view)
    window._export_json()
    assert asked[-1].parent == home / "Documents"  # numbers: Documents
    assert (chosen / asked[-1].name).is_file()
    view.ask_export()  # the lesson's own Export… button: the folder used last time
    assert asked[-1].parent == chosen and (chosen / asked[-1].name).is_file()
    window.save_settings()
    assert Settings().get("export_folder") == str(chosen)  # remembered for the next run

    settings2 = Settings(persistent=False)
    window2 = make_window(settings=settings2, lesson="lstm", text="the cat sat on the mat .")
    settle(qtbot, window2.current_view())
    window2.current_view().ask_export()
    assert asked[-1].parent == home / "Pictures"  # an image, nothing used yet: Pictures


# --- first run: a missing X11 library is named ----------------------------------------------------------------


def test_package_names_follow_debian_naming():
    from viz_app.qt.app import package_for

    assert package_for("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert package_for("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert package_for("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert package_for("libEGL.so.1") == "libegl1"
    assert package_for("libglib-2.0.so.0") == "libglib2.0-0"


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("cc"), reason="needs Linux and cc")
def test_a_missing_xcb_library_is_named_with_its_apt_line_and_exit_status_2(tmp_path):
    """A stand-in xcb plugin that needs a library the system lacks: viz-app names that library (not
    libxcb-cursor0, as Qt would) and the apt-get line, and exits with status 2 instead of a core dump."""
    lib = tmp_path / "libviz-test-missing.so"
    (tmp_path / "dep.c").write_text("int viz_test_dep(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text(
        "int viz_test_dep(void);\nint viz_test_plugin(void) { return viz_test_dep(); }\n"
    )
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-Wl,-soname,libviz-test-missing.so.7", "-o", str(lib), str(tmp_path / "dep.c")],
        check=True,
    )
    plugins = tmp_path / "platforms"
    plugins.mkdir()
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", str(plugins / "libqxcb.so"), str(tmp_path / "plugin.c"), "-L", str(tmp_path)]
        + ["-lviz-test-missing"],
        check=True,
    )
    lib.unlink()  # now the plugin needs a library that is nowhere
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(plugins), DISPLAY=":97")
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "viz_app"], env=env, capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 2, done.stderr
    assert "libviz-test-missing.so.7" in done.stderr
    assert "sudo apt-get install libviz-test-missing7" in done.stderr
    assert "xcb-cursor0" not in done.stderr


def test_no_display_is_said_plainly(monkeypatch):
    from viz_app.qt import app

    monkeypatch.setattr(app.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr(app, "xcb_plugin", lambda: "")
    assert "no display" in app.platform_problem()
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.platform_problem() == ""


def test_the_quick_start_points_at_the_system_libraries_before_the_launch():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert quick.index("apt-get install") < quick.index("viz-app\n")
    assert "libxcb-icccm4" in quick and "System libraries (Linux)" in quick
    assert "4 to 5 minutes" not in readme


@pytest.fixture(autouse=True)
def english_again():
    yield
    if i18n.current() != "en":
        i18n.install("en")
