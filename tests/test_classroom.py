"""Tours, presentation mode, export from the window, About the models, crash safety, colour maps."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from viz_app.core import lessons as catalogue
from viz_app.core import tours
from viz_app.core.settings import Settings
from viz_app.qt import theme


@pytest.fixture
def window(make_window):
    """window(lesson, text) -> a shown main window, by default on the bag of words with the lecture's pair."""
    return lambda lesson="bow", text="dog bites man\nman bites dog": make_window(lesson=lesson, text=text)


# --- the tour file format (Qt-free) --------------------------------------------------------------


def test_tour_files_round_trip_and_bad_files_say_what_is_wrong(tmp_path):
    tour = tours.Tour("mine", [tours.Step("bow", "hello", "a b", None, None, {"metricSelect": "Dot product"})])
    path = tmp_path / "t.json"
    tours.save(tour, path)
    again = tours.load(path)
    assert again.title == "mine" and again.steps[0].controls == {"metricSelect": "Dot product"}
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]  # no temporary file left behind
    cases = {
        "{not json": "not valid JSON (line 1",
        "[]": "one JSON object",
        '{"steps": []}': "non-empty",
        '{"steps": [{"caption": "x"}]}': 'step 1 has no "lesson"',
        '{"steps": [{"lesson": "bow"}, {"lesson": "bow", "tab": [1]}]}': "step 2",
        '{"steps": [{"lesson": "bow", "controls": {"a": [1]}}]}': 'control "a"',
    }
    for text, expected in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(tours.TourError) as err:
            tours.load(path)
        assert expected in str(err.value)
    with pytest.raises(tours.TourError, match="does not exist"):
        tours.load(tmp_path / "missing.json")
    step = tours.Step("bow", model="no-such-model")
    assert "not installed" in tours.step_problem(step, {"bow"}, {"rnn-toy"})
    assert "does not exist" in tours.step_problem(tours.Step("nope"), {"bow"}, set())
    assert tours.step_problem(tours.Step("bert", model=str(tmp_path)), {"bert"}, set()) == ""  # a model folder


def test_the_bundled_tour_walks_the_lecture_in_order():
    tour = tours.load(tours.bundled_tour_path())
    assert 30 <= len(tour.steps) <= 40
    order = [x.id for x in catalogue.LESSONS]
    positions = [order.index(s.lesson) for s in tour.steps]
    assert positions == sorted(positions)  # the lecture's order, never back
    assert {s.lesson for s in tour.steps} == set(order)  # every lesson
    assert tour.steps[0].lesson == "generative" and tour.steps[-1].lesson == "gpt"
    assert all(s.caption and s.captions.get("zh_TW") for s in tour.steps)


# --- playing a tour in the window ----------------------------------------------------------------------


def test_every_step_of_the_lecture_tour_applies_cleanly(window, qtbot):
    w = window()
    assert w.start_lecture_tour() == ""
    assert w.tour_bar.isVisible()
    for k, step in enumerate(w.tour.tour.steps):
        w.tour.go(k)
        assert w.tour.problems == [], (k + 1, w.tour.problems)
        assert w.current_lesson_id == step.lesson
        if step.text is not None:
            assert w.input.toPlainText() == step.text
        tabs = getattr(w.current_view(), "tabs", None)
        if isinstance(step.tab, int):
            assert tabs.currentIndex() == step.tab
    n = len(w.tour.tour.steps)
    assert w.tour.index == n - 1 and f"step {n} of {n}" in w.tour_bar.position.text()
    view = w.current_view()
    qtbot.waitUntil(lambda: view.drawn and not view.pending(), timeout=60000)
    assert not view.error_banner.isVisible()


def test_page_keys_move_and_arrows_stay_in_the_text_box(window, qtbot):
    w = window()
    w.activateWindow()  # window shortcuts need the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    w.start_lecture_tour()
    assert w.tour.index == 0
    w.lesson_list.setFocus()
    qtbot.keyClick(w.lesson_list, Qt.Key_PageDown)
    assert w.tour.index == 1
    qtbot.keyClick(w.lesson_list, Qt.Key_Right)
    assert w.tour.index == 2
    qtbot.keyClick(w.lesson_list, Qt.Key_PageUp)
    assert w.tour.index == 1
    box = w.findChild(QPlainTextEdit, "sentenceInput")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Left)  # moves the cursor, not the tour
    assert w.tour.index == 1
    qtbot.keyClick(box, Qt.Key_PageDown)  # a clicker's key, with the focus in the text box
    assert w.tour.index == 2
    w.tour.stop()
    assert not w.tour_bar.isVisible()
    qtbot.keyClick(w.lesson_list, Qt.Key_PageDown)  # no tour: the key is the list's again
    assert w.tour.index == -1 and not w.tour_bar.isVisible()


def test_a_teacher_records_saves_and_replays_a_tour(window, qtbot, tmp_path):
    w = window("bow", "the cat sat\nthe dog sat")
    view = w.current_view()
    from PySide6.QtWidgets import QComboBox

    metric = view.findChild(QComboBox, "metricSelect")
    metric.setCurrentText("Dot product")
    assert w.add_tour_step("dot products of counts") == 0
    w.select_lesson("rnn-toy")
    assert w.add_tour_step("the toy RNN") == 1
    path = tmp_path / "class.json"
    assert w.save_tour(str(path)) == ""
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [s["lesson"] for s in saved["steps"]] == ["bow", "rnn-toy"]
    assert saved["steps"][0]["controls"]["metricSelect"] == "Dot product"
    metric.setCurrentText("Cosine similarity")
    w.tour.stop()
    assert w.open_tour(str(path)) == ""
    assert w.current_lesson_id == "bow" and metric.currentText() == "Dot product"
    assert w.tour_bar.caption.text().endswith("dot products of counts</span>")


def test_broken_tours_and_missing_models_give_messages_not_crashes(window, qtbot, tmp_path):
    w = window()
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": [', encoding="utf-8")
    message = w.open_tour(str(bad))
    assert "not valid JSON" in message and not w.tour.active
    tour = tmp_path / "missing.json"
    tour.write_text(
        json.dumps(
            {
                "steps": [
                    {"lesson": "bow", "caption": "one"},
                    {"lesson": "gpt", "model": "gpt-huge", "caption": "two"},
                    {"lesson": "no-such-lesson", "caption": "three"},
                    {"lesson": "bow", "caption": "four", "controls": {"noSuchControl": 1}, "tab": 7},
                ]
            }
        ),
        encoding="utf-8",
    )
    assert w.open_tour(str(tour)) == ""
    w.tour.next()
    assert "gpt-huge" in w.tour_bar.problem.text() and w.tour_bar.problem.isVisible()
    assert w.current_lesson_id == "bow"  # the step was not shown
    w.tour.next()
    assert "no-such-lesson" in w.tour_bar.problem.text()
    w.tour.next()
    assert "noSuchControl" in w.tour_bar.problem.text() and w.current_lesson_id == "bow"


# --- presentation mode --------------------------------------------------------------------------------


def test_presentation_mode_hides_the_chrome_and_esc_brings_it_back(window, qtbot):
    w = window()
    size = QApplication.font().pointSizeF()
    w.presentation_action.trigger()  # F11
    assert w.presenting and w.isFullScreen()
    assert not w.lesson_list.isVisible() and not w.explanation.isVisible()
    assert not w.menuBar().isVisible() and not w.statusBar().isVisible()
    assert QApplication.font().pointSizeF() > size * 1.4
    assert theme.current_theme() == "contrast" and theme.line_width(1.0) == 2.0
    w.start_lecture_tour()
    assert w.tour_bar.isVisible()  # the caption stays
    w.leave_presentation_action.trigger()  # Esc
    assert not w.presenting and not w.isFullScreen()
    assert w.lesson_list.isVisible() and w.menuBar().isVisible()
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    assert theme.current_theme() == "light" and theme.line_width(1.0) == 1.0


# --- export from the window -----------------------------------------------------------------------------


def test_export_png_at_two_sizes_svg_csv_json_and_clipboard(window, qtbot, tmp_path):
    w = window("bow")
    view = w.current_view()
    qtbot.waitUntil(lambda: view.drawn and view.result is not None, timeout=30000)
    one, two = tmp_path / "a.png", tmp_path / "b.png"
    assert w.export_png(str(one)) and w.export_png(str(two), 2.0)
    a, b = QImage(str(one)), QImage(str(two))
    assert b.width() == 2 * a.width() and b.height() == 2 * a.height()
    w.export_svg(str(tmp_path / "c.svg"))
    assert "<svg" in (tmp_path / "c.svg").read_text(encoding="utf-8")
    view.export(str(tmp_path / "d.csv"))
    assert (tmp_path / "d.csv").read_text(encoding="utf-8").strip()
    assert w.export_json(str(tmp_path / "e.json"))
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert w.copy_view_image()
    assert not QApplication.clipboard().image().isNull()
    assert w._default_name("png").startswith("bow-dog-bites-man")


# --- About the models -----------------------------------------------------------------------------------


def test_about_the_models_lists_every_card_with_its_numbers(window, qtbot):
    from viz_app.core.registry import Registry

    w = window()
    dialog = w.about_models(modal=False)
    qtbot.addWidget(dialog)
    names = [dialog.list.item(k).text() for k in range(dialog.list.count())]
    assert names == list(Registry().cards())
    assert dialog.select("gpt-tiny")
    html = dialog.card.toPlainText()
    assert "val_perplexity_per_word" in html and "20.85" in html and "viz-app train-gpt" in html
    assert "MB" in dialog.summary.text() and "Licence" in html
    dialog.copy_card()
    assert json.loads(QApplication.clipboard().text())["name"] == "gpt-tiny"


def test_about_the_models_reports_a_broken_manifest(qtbot, resources_copy):
    from viz_app.qt.about_models import AboutModelsDialog

    (resources_copy / "models" / "manifest.json").write_text("{broken", encoding="utf-8")
    dialog = AboutModelsDialog()
    qtbot.addWidget(dialog)
    assert "cannot be read" in dialog.summary.text() and dialog.list.count() == 0


# --- crash safety ---------------------------------------------------------------------------------------


@pytest.mark.qt_no_exception_capture  # the app's own handler is under test, not pytest-qt's
def test_an_uncaught_error_is_logged_shown_and_the_app_goes_on(window, qtbot, config_dir):
    from viz_app.qt.crash import CrashHandler, log_path

    shown = []
    handler = CrashHandler(show_dialog=lambda line, path: shown.append((line, path))).install()
    try:
        w = window()

        def broken_slot():
            raise RuntimeError("a bug in a slot")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
        assert shown[0][0] == "RuntimeError: a bug in a slot"
        assert shown[0][1] == log_path() and log_path().parent == config_dir
        assert "a bug in a slot" in log_path().read_text(encoding="utf-8")
        w.select_lesson("rnn-toy")  # still working
        assert w.current_lesson_id == "rnn-toy"
    finally:
        handler.uninstall()


def test_settings_are_written_atomically_and_a_broken_file_is_set_aside(config_dir):
    s = Settings()
    s.set("language", "zh_TW")
    s.save()
    assert json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))["language"] == "zh_TW"
    assert [p.name for p in config_dir.iterdir()] == ["settings.json"]
    (config_dir / "settings.json").write_text('{"theme": "dark", ', encoding="utf-8")
    again = Settings()
    assert again.get("theme") == "light" and "broken" in again.notice
    assert (config_dir / "settings.json.broken").exists()


# --- colour maps -----------------------------------------------------------------------------------------


def test_the_colour_map_choice_reaches_the_heatmaps_and_is_kept(window, qtbot):
    import numpy as np
    import pyqtgraph as pg

    from viz_app.qt.widgets.heatmap import Heatmap

    w = window()
    view = w.current_view()
    qtbot.waitUntil(lambda: view.drawn and not view.pending(), timeout=30000)
    drawn = [h for h in view.findChildren(Heatmap) if h.matrix is not None]
    assert drawn, "the bag-of-words lesson draws its similarity matrix as a heatmap"

    def stops(cmap):
        return cmap.getStops(mode=pg.ColorMap.BYTE)[1]

    try:
        w.findChild(type(w.presentation_action), "colormap-cividis").trigger()
        assert w.settings.get("colormap") == "cividis"
        assert theme.resolve_colormap("viridis") == "cividis"
        assert theme.resolve_colormap("CET-D1") == "CET-D1"  # diverging maps stay
        cividis = stops(pg.colormap.get("cividis"))
        for heatmap in drawn:  # the heatmaps on screen were redrawn in the new map
            assert np.array_equal(stops(heatmap.cmap), cividis)
    finally:
        w.set_colormap("viridis")


# --- Chinese text and the bundled CJK font ---------------------------------------------------------------


def test_chinese_text_gives_notes_not_errors_in_the_english_lessons(open_lesson):
    text = "我是學生 😀"
    for lesson_id in ("bert", "gpt"):
        view = open_lesson(lesson_id, text)
        assert not view.error_banner.isVisible()
        assert "[UNK]" in view.notice.text() and view.notice.isVisible()
    view = open_lesson("generative", text)  # its featured classifier may be the bag of words, which has no [UNK]
    notice = view.notice.text()
    assert not view.error_banner.isVisible() and ("[UNK]" in notice or "vocabulary" in notice)
    view = open_lesson("self-attention", text)  # neither model reads it: the lesson's own Transformer, with a note
    assert view.result.model != "bert-tiny" and "not in its vocabulary" in view.notice.text()


def test_the_bundled_font_has_every_character_of_the_translation(qtbot):
    from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics

    from viz_app.qt import fonts

    assert fonts.register(QApplication.instance())  # a system CJK font, or the bundled one
    family = fonts.register(QApplication.instance(), force=True)  # the bundled one, as on a bare machine
    assert family == fonts.FAMILY and family in QFontDatabase.families()
    assert QFontInfo(QApplication.font()).family() != family  # the interface keeps its own Latin font
    metrics = QFontMetrics(QFont(family))
    missing = [ch for ch in fonts.characters_needed() if not metrics.inFontUcs4(ord(ch))]
    assert not missing, "rebuild the font: python -m viz_app.qt.fonts (missing " + "".join(missing[:20]) + ")"


def test_the_language_switches_at_run_time_and_back(window, qtbot):
    from viz_app.qt import i18n

    w = window("bert", "the little girl [MASK] to the park .")
    try:
        w.findChild(type(w.presentation_action), "language-zh_TW").trigger()
        assert i18n.current() == "zh_TW" and w.settings.get("language") == "zh_TW"
        titles = [a.text() for a in w.menuBar().actions()]
        assert titles[0].startswith("檔案")
        assert w.prompt.text() == "你的文字："
        view = w.current_view()  # built again, in Chinese
        assert view.tabs.tabText(0) != "Fill-mask" and any("\u4e00" <= ch <= "\u9fff" for ch in view.tabs.tabText(1))
        qtbot.waitUntil(lambda: view.drawn, timeout=30000)
        assert not view.error_banner.isVisible()
        w.start_lecture_tour()
        assert "語言中的生成式 AI" in w.tour_bar.position.text()
    finally:
        w.set_language("en")
    assert i18n.current() == "en" and w.menuBar().actions()[0].text() == "&File"
    assert w.current_view().tabs.tabText(0) == "Label vs generate"  # the tour opened its first lesson


def test_messages_of_the_core_follow_the_interface_language(window, qtbot):
    import pickle

    from viz_app.core.messages import Message, msg, user_text
    from viz_app.core.rnn import toy as toy_rnn
    from viz_app.qt import i18n
    from viz_app.qt.i18n import tr_core

    note = msg("at most {n} time steps (got {got}): the values double every step", n=12, got=40)
    assert note == "at most 12 time steps (got 40): the values double every step"  # the CLI's English
    assert pickle.loads(pickle.dumps(note)).template == note.template
    assert set(i18n.core_templates()) >= {note.template, "PCA needs at least two vectors"}
    with pytest.raises(ValueError) as err:
        toy_rnn.parse_vectors("1,1; 1,x")
    assert isinstance(user_text(err.value), Message)
    w = window("rnn-toy", "1,1")
    try:
        w.set_language("zh_TW")
        assert tr_core(note) == "最多 12 個時間步（收到 40 個）：數值每一步都會加倍"
        assert tr_core("plain text") == "plain text"
        w.select_lesson("bow")
        w.set_input_text("\n".join(f"doc {k}" for k in range(205)))  # more than 200: the core's note
        w.flush_input()
        view = w.current_view()
        qtbot.waitUntil(lambda: view.result is not None and not view.pending(), timeout=30000)
        assert "205 份文件中只比較前 200 份" in view.notes.text()
    finally:
        w.set_language("en")
