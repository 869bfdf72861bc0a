"""The main window and both lessons, driven through the real widgets with qtbot."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QTreeWidget

from viz_app.core import lessons as catalogue
from viz_app.core.settings import Settings
from viz_app.qt.lessons.placeholder import PlaceholderView


def wait_drawn(qtbot, view):
    qtbot.waitUntil(lambda: view.drawn, timeout=10000)


def type_text(qtbot, window, text: str):
    box = window.findChild(QPlainTextEdit, "sentenceInput")
    box.clear()
    view = window.current_view()
    before = view.request_id
    for i, line in enumerate(text.split("\n")):  # QTest cannot type "\n": press Return instead
        if i:
            qtbot.keyClick(box, Qt.Key_Return)
        qtbot.keyClicks(box, line)
    # The result arrives after the debounce delay, without any click.
    qtbot.waitUntil(lambda: view.request_id != before and view.text == box.toPlainText(), timeout=5000)
    qtbot.waitUntil(lambda: view.result is not None and view.request_id == view.last_request_drawn, timeout=5000)


def test_layout_follows_the_lecture(make_window):
    window = make_window()
    tree = window.findChild(QTreeWidget, "lessonList")
    chapters = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert chapters == [f"{i}. {c}" for i, c in enumerate(catalogue.CHAPTERS, start=1)]
    assert window.findChild(QPlainTextEdit, "sentenceInput") is not None
    assert window.findChild(QLabel, "statusDevice").text().startswith("Device:")
    assert "Bag of words" in window.explanation.toPlainText()


def test_every_lesson_is_ready_and_opens_its_own_view(make_window):
    assert all(x.ready for x in catalogue.LESSONS)
    window = make_window()
    for lesson in catalogue.LESSONS:
        window.select_lesson(lesson.id)
        assert not isinstance(window.current_view(), PlaceholderView), lesson.id
        assert window.explanation.toPlainText().strip()


def test_bow_typing_updates_counts_and_similarity(qtbot, make_window):
    window = make_window(lesson="bow", text="")
    view = window.current_view()
    type_text(qtbot, window, "the cat sat on the mat\nthe dog sat\ndog bites man\nman bites dog")
    table = view.findChild(type(view.count_tables[0]), "counts1")
    assert (table.cell_text(0, 0), table.cell_text(0, 1)) == ("the", "2")
    assert view.heatmap.matrix.shape == (4, 4)
    assert view.heatmap.matrix[2, 3] == pytest.approx(1.0)  # identical bags: cosine 1
    note = view.findChild(QLabel, "orderNote").text()
    assert "identical vectors" in note and "documents 3 and 4" in note


def test_bow_metric_switch(qtbot, make_window):
    window = make_window(lesson="bow", text="a a\na b")
    view = window.current_view()
    wait_drawn(qtbot, view)
    combo = view.metric_select
    with qtbot.waitSignal(view.resultShown, timeout=5000):
        combo.setCurrentIndex(combo.findData("dot"))
    assert view.heatmap.matrix.tolist() == [[4.0, 2.0], [2.0, 2.0]]
    with qtbot.waitSignal(view.resultShown, timeout=5000):
        combo.setCurrentIndex(combo.findData("euclidean"))
    assert view.heatmap.matrix[0, 1] == pytest.approx(2**0.5, rel=1e-6)
    assert "Euclidean" in view.heatmap.caption


@pytest.mark.parametrize("text", ["", "   \n  ", "😀🎉 ok", "我愛你 你愛我", "x" * 50_000, "word " * 20_000])
def test_bow_odd_input_never_breaks(qtbot, make_window, text):
    window = make_window(lesson="bow", text=text)
    view = window.current_view()
    wait_drawn(qtbot, view)
    assert not view.error_banner.isVisible()


def test_bow_huge_vocabulary_is_capped_on_screen(qtbot, make_window):
    text = " ".join(f"w{i}" for i in range(30_000)) + "\nw1 w2"
    window = make_window(lesson="bow", text=text)
    view = window.current_view()
    wait_drawn(qtbot, view)
    assert view.count_tables[0].rowCount() == 1000
    assert "top 1000 of 30000" in view.count_tables[0].title.text()
    assert view.result.user.documents[0].counts[-1] == ("w29999", 1)  # the numbers themselves are complete


def test_rnn_toy_lecture_example(qtbot, make_window):
    window = make_window(lesson="rnn-toy", text="1,1; 1,1; 2,2")
    view = window.current_view()
    wait_drawn(qtbot, view)
    steps = view.steps_table
    assert [steps.cell_text(r, 4) for r in range(3)] == ["[4, 4]", "[12, 12]", "[32, 32]"]
    assert [steps.cell_text(r, 2) for r in range(3)] == ["[0, 0]", "[2, 2]", "[6, 6]"]
    assert "y₁ = y₂ = h₁ + h₂ = 32" in view.equation.text()
    # Step back through time: the diagram shows step 1's memory (0) and output (4).
    qtbot.mouseClick(view.prev_button, Qt.LeftButton)
    qtbot.mouseClick(view.prev_button, Qt.LeftButton)
    assert view.step_label.text() == "t = 1 of 3"
    assert view.forward_diagram.values["a"].tolist() == [0, 0]
    assert view.forward_diagram.values["y"].tolist() == [4, 4]
    assert not view.prev_button.isEnabled()


def test_rnn_toy_reordering_changes_the_output(qtbot, make_window):
    window = make_window(lesson="rnn-toy", text="1,1; 1,1; 2,2")
    view = window.current_view()
    wait_drawn(qtbot, view)
    assert "[8, 8], [20, 20], [44, 44]" in view.order_note.text()
    with qtbot.waitSignal(view.resultShown, timeout=5000):
        qtbot.mouseClick(view.reverse_button, Qt.LeftButton)
    assert [view.steps_table.cell_text(r, 4) for r in range(3)] == ["[8, 8]", "[20, 20]", "[44, 44]"]


def test_rnn_toy_bidirectional_and_table_edits(qtbot, make_window):
    window = make_window(lesson="rnn-toy", text="1,1; 1,1; 2,2")
    view = window.current_view()
    wait_drawn(qtbot, view)
    assert not view.backward_diagram.isVisible()
    with qtbot.waitSignal(view.resultShown, timeout=5000):
        view.bidirectional.setChecked(True)
    assert view.backward_diagram.isVisible()
    headers = [view.steps_table.horizontalHeaderItem(c).text() for c in range(view.steps_table.columnCount())]
    assert headers[-1] == "bi-directional y"
    assert [view.steps_table.cell_text(r, 7) for r in range(3)] == ["[48, 48]", "[32, 32]", "[40, 40]"]
    # A cell that is not a number gives a message; fixing it clears the message.
    with qtbot.waitSignal(view.resultShown, timeout=5000):
        view.inputs_table.item(0, 0).setText("abc")
    assert view.error_banner.isVisible() and "t=1" in view.error_banner.text()
    with qtbot.waitSignal(view.resultShown, timeout=5000):
        view.inputs_table.item(0, 0).setText("3")
    assert not view.error_banner.isVisible()
    assert view.result.inputs[0].tolist() == [3, 1]


def test_rnn_toy_words_in_the_input_keep_the_table(qtbot, make_window):
    window = make_window(lesson="rnn-toy", text="dog bites man")
    view = window.current_view()
    wait_drawn(qtbot, view)
    assert "reads numbers" in view.input_hint.text()
    assert view.result.to_json()["outputs"] == [[4, 4], [12, 12], [32, 32]]


def test_a_broken_model_file_is_named_and_other_lessons_work(qtbot, make_window, resources_copy):
    weights = resources_copy / "models" / "rnn_toy.safetensors"
    weights.write_bytes(weights.read_bytes()[:64])
    window = make_window(lesson="rnn-toy", text="1,1")
    view = window.current_view()
    wait_drawn(qtbot, view)
    assert view.error_banner.isVisible()
    assert str(weights) in view.error_banner.text() and "corrupt" in view.error_banner.text()
    window.select_lesson("bow")
    bow_view = window.current_view()
    wait_drawn(qtbot, bow_view)
    assert not bow_view.error_banner.isVisible() and bow_view.result is not None


def test_font_scale_theme_lesson_and_geometry_persist(qtbot, make_window, config_dir):
    settings = Settings()
    window = make_window(settings)
    app = QApplication.instance()
    base = app.font().pointSizeF()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    box = window.findChild(QPlainTextEdit, "sentenceInput")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Equal, Qt.ControlModifier)
    qtbot.keyClick(box, Qt.Key_Equal, Qt.ControlModifier)
    assert app.font().pointSizeF() == pytest.approx(base * 1.21, rel=0.02)
    qtbot.keyClick(box, Qt.Key_Minus, Qt.ControlModifier)
    assert app.font().pointSizeF() == pytest.approx(base * 1.1, rel=0.02)
    window.dark_action.setChecked(True)
    window.select_lesson("rnn-toy")
    window.resize(700, 500)  # within the offscreen screen (800 x 600)
    window.close()
    saved = json.loads((config_dir / "settings.json").read_text())
    assert saved["font_scale"] == pytest.approx(1.1) and saved["theme"] == "dark" and saved["lesson"] == "rnn-toy"
    again = make_window(Settings())
    assert again.current_lesson_id == "rnn-toy"
    assert again.dark_action.isChecked()
    assert again.size().width() == 700 and again.size().height() == 500
    assert app.font().pointSizeF() == pytest.approx(base * 1.1, rel=0.02)
    again.set_font_scale(1.0)
    again.dark_action.setChecked(False)


def test_broken_settings_file_is_set_aside(qtbot, make_window, config_dir):
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").write_text("{broken")
    settings = Settings()
    assert "broken" in settings.notice
    assert (config_dir / "settings.json.broken").exists()
    window = make_window(settings)
    assert window.current_lesson_id == "bow"


def test_device_menu(qtbot, make_window):
    window = make_window()
    names = [a.data() for a in window.device_menu.actions()]
    assert names == ["auto", "cpu"]
    window._on_devices_found(["cpu", "cuda"])  # what the worker reports on a machine with a GPU
    assert [a.data() for a in window.device_menu.actions()] == ["auto", "cpu", "cuda"]
    window._on_devices_found(["cpu"])
    assert [a.data() for a in window.device_menu.actions()] == ["auto", "cpu"]
    with qtbot.waitSignal(window.service.devicesFound, timeout=60000):
        window.probe_devices()
    window.device_actions["cpu"].trigger()
    assert window.service.device == "cpu"
    assert window.status_device.text() == "Device: CPU"


def test_export_png_and_json(qtbot, make_window, tmp_path):
    window = make_window(lesson="bow", text="dog bites man\nman bites dog")
    view = window.current_view()
    wait_drawn(qtbot, view)
    png = tmp_path / "view.png"
    assert window.export_png(str(png)) and png.stat().st_size > 1000
    assert view.export_json()["matrix"][0][1] == pytest.approx(1.0)


def test_rnn_toy_step_highlight_follows_the_slider(qtbot, make_window):
    window = make_window(lesson="rnn-toy", text="1,1; 1,1; 2,2")
    view = window.current_view()
    wait_drawn(qtbot, view)
    for step in (3, 1, 2):
        view.step_slider.setValue(step)
        bold = [view.steps_table.item(r, 0).font().bold() for r in range(3)]
        assert bold == [r + 1 == step for r in range(3)]


def test_the_window_paints_before_torch_is_loaded(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", VIZ_APP_CONFIG_DIR=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "viz_app", "--first-paint-probe"], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("first-paint "))
    assert line.endswith("torch-loaded=False")


def test_progress_bar_and_cancel_for_a_long_job(qtbot, make_window):
    import time

    from viz_app.core.jobs import Progress

    window = make_window(lesson="bow", text="a b")
    wait_drawn(qtbot, window.current_view())
    steps = []

    def long_job(ctx):
        for i in range(1000):
            steps.append(i)
            time.sleep(0.005)
            yield Progress(i / 1000, f"training step {i}")
        return "finished"

    window.service.submit("bow", long_job)
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.cancel_button.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=5000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.service.is_busy("bow"), timeout=5000)
    assert not window.progress.isVisible()
    assert len(steps) < 1000


def test_rnn_toy_reads_vectors_typed_in_the_input(qtbot, make_window):
    window = make_window(lesson="rnn-toy", text="")
    view = window.current_view()
    wait_drawn(qtbot, view)
    type_text(qtbot, window, "2,2; 1,1; 1,1")
    qtbot.waitUntil(lambda: view.result.inputs.tolist() == [[2, 2], [1, 1], [1, 1]], timeout=5000)
    assert [view.steps_table.cell_text(r, 4) for r in range(3)] == ["[8, 8]", "[20, 20]", "[44, 44]"]
    assert "typed in the input" in view.input_hint.text()
