"""The shared drawing widgets: colour maps that no render can flip for the rest of the app, token axes that show
whole tokens with no tick beside them, the head view filling its panel, the logit lens's shaded table, and SVG
export placing text where the PNG does."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QApplication, QLabel

from viz_app.qt import theme
from viz_app.qt.widgets.head_view import HeadView
from viz_app.qt.widgets.heatmap import MAX_LABEL_CHARS, Heatmap, elide_token, signed
from viz_app.qt.widgets.matrix_grid import MatrixGrid
from viz_app.qt.widgets.number_table import ShadedTable

TOKENS = ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "antidisestablishment", "[SEP]"]


def _shown(qtbot, widget, w: int, h: int):
    qtbot.addWidget(widget)
    widget.resize(w, h)
    widget.show()
    qtbot.waitExposed(widget)
    widget.grab()  # a first paint lays the axes out
    QApplication.processEvents()
    widget.grab()
    return widget


def _bar_lut(heatmap: Heatmap) -> np.ndarray:
    return heatmap.colorbar.colorMap().getLookupTable(nPts=256)


# --- colour maps ---------------------------------------------------------------------------------------


def test_a_reversed_heatmap_leaves_every_other_colour_map_unchanged(qtbot):
    shared_before = pg.colormap.get("viridis").getLookupTable(nPts=256).copy()
    diverging_before = pg.colormap.get("CET-D1").getLookupTable(nPts=256).copy()
    m = np.random.default_rng(0).random((4, 4)).astype(np.float32)
    plain = _shown(qtbot, Heatmap(object_name="plain"), 400, 300)
    plain.set_matrix(m, list("abcd"), list("abcd"), (0.0, 1.0))
    signed_map = _shown(qtbot, Heatmap(object_name="signed"), 400, 300)
    signed_map.set_matrix(m - 0.5, list("abcd"), list("abcd"), (-0.5, 0.5), "CET-D1")
    grid = MatrixGrid()
    qtbot.addWidget(grid)
    plain_lut, signed_lut = plain.image.lut.copy(), signed_map.image.lut.copy()
    distance = _shown(qtbot, Heatmap(object_name="distance"), 400, 300)
    directions = []
    for _ in range(3):  # an odd number of reversed renders used to leave the whole app reversed
        distance.set_matrix(m, list("abcd"), list("abcd"), (0.0, 1.0), reverse=True)
        directions.append((distance.image.lut[0][:3].tolist(), distance.image.lut[-1][:3].tolist()))
        signed_map.set_matrix(m, list("abcd"), list("abcd"), (-1.0, 1.0), "CET-D1", reverse=True)
    # The reversed map runs the same way on every render: high values dark, low values yellow.
    low, high = shared_before[0][:3].tolist(), shared_before[-1][:3].tolist()
    assert directions == [(high, low)] * 3
    # Nothing shared changed: pyqtgraph's cached maps, the other heatmaps, a new heatmap and the head grid.
    assert np.array_equal(pg.colormap.get("viridis").getLookupTable(nPts=256), shared_before)
    assert np.array_equal(pg.colormap.get("CET-D1").getLookupTable(nPts=256), diverging_before)
    plain.set_matrix(m, list("abcd"), list("abcd"), (0.0, 1.0))
    assert np.array_equal(plain.image.lut, plain_lut) and np.array_equal(_bar_lut(plain), plain_lut)
    assert plain_lut[0][:3].tolist() == low and plain_lut[-1][:3].tolist() == high
    fresh = _shown(qtbot, Heatmap(object_name="fresh"), 400, 300)
    fresh.set_matrix(m, list("abcd"), list("abcd"), (0.0, 1.0))
    assert np.array_equal(fresh.image.lut, plain_lut)
    grid.set_matrices(m[None, None], ["layer 1"], ["h1"])
    assert np.array_equal(grid._lut, plain_lut)
    signed_map.set_matrix(m - 0.5, list("abcd"), list("abcd"), (-0.5, 0.5), "CET-D1")
    assert np.array_equal(signed_map.image.lut, signed_lut)


def test_euclidean_bag_of_words_does_not_flip_the_lstm_gates(qtbot, make_window):
    """The issue's repro: Bag of words on Euclidean, then the LSTM gates' colour bars (0 dark, 1 yellow)."""
    window = make_window(lesson="bow", text="the cat sat\nthe dog sat\nsat the cat")
    view = window.current_view()
    qtbot.waitUntil(lambda: view.drawn, timeout=30000)
    low, high = theme.lookup_table("viridis")[[0, -1], :3].tolist()
    for _ in range(3):
        view.drawn = False
        view.metric_select.setCurrentIndex(view.metric_select.findData("euclidean"))
        qtbot.waitUntil(lambda: view.drawn and view.result.user.metric == "euclidean", timeout=30000)
        view.drawn = False
        view.metric_select.setCurrentIndex(view.metric_select.findData("cosine"))
        qtbot.waitUntil(lambda: view.drawn and view.result.user.metric == "cosine", timeout=30000)
    view.drawn = False
    view.metric_select.setCurrentIndex(view.metric_select.findData("euclidean"))
    qtbot.waitUntil(lambda: view.drawn and view.result.user.metric == "euclidean", timeout=30000)
    lut = view.heatmap.image.lut
    assert lut[0][:3].tolist() == high and lut[-1][:3].tolist() == low  # small distance = similar = bright
    window.select_lesson("lstm")
    lstm = window.current_view()
    qtbot.waitUntil(lambda: lstm.drawn, timeout=60000)
    gates = [m for m in lstm.findChildren(Heatmap) if m.isVisibleTo(lstm) and m.levels == (0.0, 1.0)]
    assert gates, "the LSTM lesson shows no 0..1 heatmap"
    for gate in gates:
        bar = _bar_lut(gate)
        assert bar[0][:3].tolist() == low and bar[-1][:3].tolist() == high


# --- token axes --------------------------------------------------------------------------------------------


def _no_overlap(rects) -> bool:
    for a in range(len(rects)):
        for b in range(a + 1, len(rects)):
            if rects[a].intersected(rects[b]).width() > 0.5 and rects[a].intersected(rects[b]).height() > 0.5:
                return False
    return True


@pytest.mark.parametrize("size", [(900, 600), (520, 420)])
def test_heatmap_axes_show_every_whole_token(qtbot, size):
    """Every row and column gets its label, the whole token (shortened only past 12 characters), upright when the
    columns are too narrow; no two labels overlap, all lie inside the widget, and hovering names the full token."""
    n = len(TOKENS)
    heat = _shown(qtbot, Heatmap(), *size)
    heat.set_matrix(np.full((n, n), 0.5, np.float32), TOKENS, TOKENS, (0.0, 1.0))
    heat.grab()
    inside = heat.rect().adjusted(-1, -1, 1, 1)
    for which in ("left", "bottom"):
        labels = heat.axis_labels(which)
        assert [full for _r, _t, full in labels] == TOKENS
        for rect, text, full in labels:
            assert text == (full if len(full) <= MAX_LABEL_CHARS else full[: MAX_LABEL_CHARS - 1] + "…")
            assert inside.contains(rect.toRect()), (which, text, rect, heat.rect())
        assert _no_overlap([r for r, _t, _f in labels]), which
        rect, text, full = labels[TOKENS.index("antidisestablishment")]
        assert text != full and heat.label_at(heat.mapToScene(rect.center().toPoint())) == full
    assert elide_token("antidisestablishment") == "antidisesta…" and elide_token("[MASK]") == "[MASK]"
    # Each row label sits level with its row; each column label under its column.
    vb = heat.plot.vb
    for k, (rect, _t, _f) in enumerate(heat.axis_labels("left")):
        centre = heat.mapFromScene(vb.mapViewToScene(QPointF(0, k + 0.5)))
        assert abs(rect.center().y() - centre.y()) < 2
    for k, (rect, _t, _f) in enumerate(heat.axis_labels("bottom")):
        centre = heat.mapFromScene(vb.mapViewToScene(QPointF(k + 0.5, 0)))
        assert abs(rect.center().x() - centre.x()) < 2


def test_long_inputs_label_every_nth_token_whole_and_apart(qtbot):
    tokens = [f"word{k}" for k in range(200)]
    heat = _shown(qtbot, Heatmap(), 700, 500)
    heat.set_matrix(np.zeros((200, 200), np.float32), tokens, tokens, (0.0, 1.0))
    heat.grab()
    for which in ("left", "bottom"):
        labels = heat.axis_labels(which)
        assert 5 <= len(labels) < 200
        assert all(text == full for _r, text, full in labels)
        assert _no_overlap([r for r, _t, _f in labels])
    assert heat.hover_text(17, 42).startswith("word17 · word42")


def test_no_tick_stands_beside_a_label_and_minus_signs_are_true_minus_signs(qtbot):
    heat = _shown(qtbot, Heatmap(), 500, 400)
    heat.set_matrix(np.array([[0.04, -0.04], [-0.0001, 0.99]], np.float32), [".", "x"], [".", "x"], (-1.0, 1.0))
    assert heat.left_axis.style["tickLength"] == 0 and heat.bottom_axis.style["tickLength"] == 0
    assert heat.colorbar.axis.style["tickLength"] < 0  # the bar's ticks point into the bar, away from the numbers
    texts = [text for text, _colour in heat.cell_numbers()]
    assert texts == ["0.04", "\u22120.04", "0.00", "0.99"]
    assert signed("-1.5") == "\u22121.5" and signed("-0.00") == "0.00"
    assert all(not s.startswith("-") for s in heat.colorbar.axis.tickStrings([-1.0, -0.5, 0.0], 1.0, 0.5))


def test_cell_text_is_black_on_light_cells_and_white_on_dark_ones(qtbot):
    heat = _shown(qtbot, Heatmap(), 500, 400)
    heat.set_matrix(np.array([[0.0, 1.0]], np.float32), ["a"], ["lo", "hi"], (0.0, 1.0))
    dark, light = (colour for _text, colour in heat.cell_numbers())
    assert (dark, light) == ("#ffffff", "#000000")  # viridis: 0 is dark purple, 1 is yellow


# --- head view ---------------------------------------------------------------------------------------------


def _attention(n: int, heads: int = 2) -> np.ndarray:
    w = np.random.default_rng(1).random((heads, n, n)) ** 6
    return (w / w.sum(-1, keepdims=True)).astype(np.float32)


def test_head_view_fills_its_panel_with_two_facing_columns(qtbot):
    tokens = TOKENS[:8]
    view = _shown(qtbot, HeadView(), 900, 640)
    view.set_attention(tokens, _attention(len(tokens)))
    left = [view.token_rect("query", k) for k in range(len(tokens))]
    right = [view.token_rect("key", k) for k in range(len(tokens))]
    span = left[-1].bottom() - left[0].top()
    assert span >= 0.75 * view.height(), (span, view.height())  # not a strip at the top
    assert right[0].left() - left[0].right() >= 0.35 * view.width()
    assert all(abs(a.center().y() - b.center().y()) < 0.5 for a, b in zip(left, right, strict=True))
    assert view.token_font().pointSizeF() > view.font().pointSizeF()  # room to spare: larger tokens
    assert _no_overlap(left) and _no_overlap(right)


def test_head_view_lines_follow_the_weights_and_hover_isolates_a_token(qtbot):
    tokens = TOKENS[:6]
    view = _shown(qtbot, HeadView(), 700, 500)
    att = _attention(len(tokens))
    view.set_attention(tokens, att)
    lines = view.visible_lines()
    assert lines and all(w >= 1 / len(tokens) for _h, _i, _j, w in lines)  # above an even share
    thin, thick = view.line_pen(0, 0.1), view.line_pen(0, 0.9)
    assert thick.widthF() > 2 * thin.widthF() and thick.color().alphaF() > thin.color().alphaF()
    assert thick.widthF() >= 4 and thick.color().alphaF() >= 0.5
    # Hover the third token on the left: only its lines, all of them down to the smallest drawn weight.
    query = view.token_rect("query", 2).center()
    hovered = []
    view.tokenHovered.connect(hovered.append)
    qtbot.mouseMove(view, query.toPoint())
    qtbot.waitUntil(lambda: view.focus == 2)
    assert hovered[-1] == 2
    mine = view.visible_lines()
    assert {i for _h, i, _j, _w in mine} == {2}
    assert len(mine) == int((att[:, 2, :] >= 0.03).sum())
    # Hover the fifth token on the right: only the lines into it.
    qtbot.mouseMove(view, view.token_rect("key", 4).center().toPoint())
    qtbot.waitUntil(lambda: view.key_focus == 4)
    assert view.focus == -1 and {j for _h, _i, j, _w in view.visible_lines()} == {4}
    # A head switched off draws nothing.
    view.set_head_enabled(1, False)
    assert {h for h, _i, _j, _w in view.visible_lines()} <= {0}


def test_head_view_scrolls_a_long_input_instead_of_squeezing_it(qtbot):
    tokens = [f"t{k}" for k in range(120)]
    view = HeadView()
    qtbot.addWidget(view)
    view.set_attention(tokens, _attention(len(tokens), heads=1))
    assert view.minimumSizeHint().height() >= 120 * view.fontMetrics().height()
    view.set_attention(tokens, np.full((1, 120, 120), np.nan, np.float32))  # never NaN on screen
    assert np.isfinite(view.weights).all()


# --- shaded table (the logit lens) ------------------------------------------------------------------------


def _luminance(c: QColor) -> float:
    def lin(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def test_shaded_table_reads_and_fills_its_panel(qtbot):
    table = _shown(qtbot, ShadedTable(), 900, 500)
    probs = np.linspace(0.0, 1.0, 12).reshape(3, 4)
    cells = [[(f"w{i}{j}", float(probs[i, j])) for j in range(4)] for i in range(3)]
    table.set_cells(["once", "upon", "a", "antidisestablishment"], ["embeddings", "layer 1", "layer 2"], cells)
    QApplication.processEvents()
    lut = theme.lookup_table("viridis")
    for i in range(3):
        for j in range(4):
            item = table.item(i, j)
            bg, fg = item.background().color(), item.foreground().color()
            assert bg.getRgb()[:3] == tuple(int(v) for v in lut[round(probs[i, j] * 255)][:3])
            hi, lo = sorted((_luminance(bg), _luminance(fg)), reverse=True)
            assert (hi + 0.05) / (lo + 0.05) >= 4.5, (item.text(), bg.name(), fg.name())  # WCAG AA
    header = table.horizontalHeader()
    assert abs(sum(header.sectionSize(j) for j in range(4)) - table.viewport().width()) <= 4
    assert abs(sum(table.rowHeight(i) for i in range(3)) - table.viewport().height()) <= 4
    assert table.horizontalHeaderItem(3).text() == "antidisesta…"
    assert table.horizontalHeaderItem(3).toolTip() == "antidisestablishment"


# --- bag of words labels -----------------------------------------------------------------------------------


def test_bag_of_words_rows_are_named_not_cut(qtbot, make_window):
    window = make_window(lesson="bow", text="the cat sat on the mat today\ndog bites man")
    view = window.current_view()
    qtbot.waitUntil(lambda: view.drawn, timeout=30000)
    assert view.heatmap.row_labels == ["doc 1", "doc 2"] == view.heatmap.col_labels
    assert "the cat sat on the mat today" in view.count_tables[0].title.text()


# --- SVG export --------------------------------------------------------------------------------------------


def test_svg_text_runs_sit_where_the_png_puts_them(qtbot, tmp_path):
    """A bold word inside a line: in the SVG each run of text must start where the one before it ends, at the
    font size the widget laid it out with (not drift right because the SVG's fonts are 3/4 the size)."""
    from viz_app.qt.export import export_widget

    label = QLabel("Step 1 of 3: the decoder outputs <b>student</b> (p = 0.52), then stops.")
    label.setTextFormat(Qt.RichText)
    _shown(qtbot, label, 600, 60)
    path = tmp_path / "view.svg"
    export_widget(label, str(path))
    svg = path.read_text(encoding="utf-8")
    runs = re.findall(
        r'<text[^>]*x="([\d.]+)"[^>]*font-size="([\d.]+)"[^>]*font-weight="(\d+)"[^>]*>([^<]*)</text>', svg
    )
    assert len(runs) == 3 and runs[1][3] == "student" and runs[1][2] == "700"
    pixel = QFontMetricsF(label.font()).height()
    for (x, size, weight, text), (x_next, *_rest) in zip(runs, runs[1:], strict=False):
        font = QFont(label.font())
        font.setPixelSize(round(float(size)))
        font.setWeight(QFont.Weight(int(weight)))
        end = float(x) + QFontMetricsF(font).horizontalAdvance(text)
        assert abs(end - float(x_next)) < 2.0, (text, end, x_next)
    assert abs(QFontMetricsF(font).height() - pixel) < 2.0


def test_head_toggles_show_each_heads_colour_and_follow_the_app_font(qtbot):
    from viz_app.qt.widgets.attention_panels import HeadToggles

    toggles = HeadToggles(heads=8)
    qtbot.addWidget(toggles)
    for h, box in enumerate(toggles.boxes):
        swatch = box.icon().pixmap(box.iconSize()).toImage()
        assert swatch.pixelColor(swatch.width() // 2, swatch.height() // 2).name() == theme.head_color(h)
    app = QApplication.instance()
    before = QFont(app.font())
    try:
        larger = QFont(before)
        larger.setPointSizeF(before.pointSizeF() * 1.5)
        app.setFont(larger)
        QApplication.processEvents()
        assert all(abs(b.font().pointSizeF() - larger.pointSizeF()) < 0.01 for b in toggles.boxes)
    finally:
        app.setFont(before)
        QApplication.processEvents()


def test_sparse_labels_are_all_kept_when_they_fit(qtbot):
    """A map labelling every 10th of 100 columns (a vector's dimensions) keeps each of those labels."""
    labels = [str(k) if k % 10 == 0 else "" for k in range(100)]
    heat = _shown(qtbot, Heatmap(), 500, 300)
    heat.set_matrix(np.zeros((3, 100), np.float32), ["a", "b", "c"], labels, (0.0, 1.0))
    heat.grab()
    shown = heat.axis_labels("bottom")
    assert [full for _r, _t, full in shown] == [str(k) for k in range(0, 100, 10)]
    assert _no_overlap([r for r, _t, _f in shown])


def test_a_widget_with_its_own_style_sheet_follows_the_font_scale(qtbot):
    """Qt freezes the font of a widget with a style sheet; the font scale (Ctrl+=, presentation mode) polishes
    such widgets again so that a coloured strip grows with the rest."""
    app = QApplication.instance()
    strip = QLabel("note")
    strip.setStyleSheet("background:#fff3cd; padding:6px;")
    _shown(qtbot, strip, 200, 40)
    try:
        theme.apply_font_scale(app, 1.5)
        QApplication.processEvents()
        assert abs(strip.font().pointSizeF() - app.font().pointSizeF()) < 0.01
    finally:
        theme.apply_font_scale(app, 1.0)
        QApplication.processEvents()
    assert abs(strip.font().pointSizeF() - app.font().pointSizeF()) < 0.01


# --- colour bars -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("levels", [(0.0, 1.0), (-0.5, 0.5), (-2.37, 2.37), (0.013, 0.38)])
def test_colour_bar_numbers_never_overlap_at_any_height(qtbot, scale, levels):
    """A colour bar 80 to 600 px tall writes numbers for its height: never two over each other (a whole line
    apart at least, in the real font), all inside the widget, the two ends once there is room for them, more
    numbers on a taller bar, and a "lo … hi" range when even two do not fit."""
    app = QApplication.instance()
    theme.apply_font_scale(app, scale)
    try:
        rng = np.random.default_rng(1)
        heat = _shown(qtbot, Heatmap(), 420, 200)
        line = QFontMetricsF(app.font()).height()
        counts = []
        for height in range(80, 601, 40):
            for rows in (1, 2, 8):
                m = (rng.random((rows, 3)) * (levels[1] - levels[0]) + levels[0]).astype(np.float32)
                heat.set_matrix(m, [f"head {i + 1}" for i in range(rows)], ["a", "b", "c"], levels)
                heat.resize(420, height)
                heat.grab()
                QApplication.processEvents()
                heat.grab()
                drawn = heat.colorbar_labels()
                bar = heat.colorbar.axis.geometry().height()
                assert drawn, (height, rows)
                rects = sorted((r for r, _t in drawn), key=lambda r: r.center().y())
                for a, b in zip(rects, rects[1:], strict=False):
                    assert b.center().y() - a.center().y() >= line, (height, rows, [t for _r, t in drawn])
                    assert not a.intersects(b)
                inside = QRectF(0, 0, heat.width(), heat.height()).adjusted(-1, -1, 1, 1)
                assert all(inside.contains(r) for r in rects), (height, rows, rects)
                texts = [t for _r, t in drawn]
                assert not any(t.startswith("-") for t in texts)
                if bar >= 1.6 * line:
                    assert len(drawn) >= 2 and texts[0] != texts[-1]
                else:
                    assert len(drawn) == 1 and "\u2026" in texts[0]
                if rows == 2:
                    counts.append(len(drawn))
        assert counts[-1] > 2 and counts == sorted(counts)  # a taller bar writes more numbers, never fewer
    finally:
        theme.apply_font_scale(app, 1.0)


def test_seq2seq_plots_name_each_source_word_whole(open_lesson, qtbot):
    """The α plot writes every source word whole under its bar (no "<<<<<<" of elided words), the BLEU plot
    every length bin, through the token axis and never on top of each other."""
    view = open_lesson("seq2seq", "nous sommes allés au cinéma hier soir avec mes amis .")
    view.select_tab("step")
    view.grab()
    src = list(view.result.trace.source_tokens)
    axis = view.alpha_plot.getAxis("bottom")
    assert [full for _p, _t, full in axis.labels] == src
    assert all(text == elide_token(full) for _p, text, full in axis.labels)
    assert [t for _r, t, _f in axis.drawn] == [elide_token(w) for w in src]
    assert _no_overlap([r for r, _t, _f in axis.drawn])
    view.select_tab("with")
    view.grab()
    bleu = view.bleu_plot.getAxis("bottom")
    assert bleu.drawn and all("words (n=" in t for _r, t, _f in bleu.drawn)
    assert _no_overlap([r for r, _t, _f in bleu.drawn])


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_every_row_is_named_while_a_slightly_smaller_font_fits(qtbot, scale):
    """Eight heads: every row label ("head 1" … "head 8") while a row has room for a line of the font made at
    most MIN_LABEL_SCALE smaller (the rule measures the real font, not a rounded-up one), labels never
    overlapping, and only where even that does not fit, evenly spaced ones."""
    from viz_app.qt.widgets.heatmap import MIN_LABEL_SCALE

    app = QApplication.instance()
    theme.apply_font_scale(app, scale)
    try:
        heads = [f"head {i + 1}" for i in range(8)]
        heat = _shown(qtbot, Heatmap(), 600, 200)
        need = QFontMetrics(app.font()).height() + 1
        for height in range(120, 401, 10):
            heat.set_matrix(np.full((8, 4), 0.5, np.float32), heads, list("abcd"), (0.0, 1.0), colorbar_label="t")
            heat.resize(600, height)
            heat.grab()
            QApplication.processEvents()
            heat.grab()
            row_px = heat.plot.vb.geometry().height() / 8
            shown = [full for _r, _t, full in heat.axis_labels("left")]
            assert _no_overlap([r for r, _t, _f in heat.axis_labels("left")]), height
            if row_px >= need * MIN_LABEL_SCALE + 0.5:
                assert shown == heads, (height, row_px, shown)
            else:
                assert shown and shown[0] == "head 1" and len(shown) < 8
    finally:
        theme.apply_font_scale(app, 1.0)


def test_small_probabilities_are_shown_in_scientific_notation():
    """A probability that would read 0.0000 at four decimals is written 1.2e-05 (issue: probabilities shown as 0)."""
    from viz_app.qt.widgets.probability_bars import probability_text

    assert probability_text(0.5) == "0.5000"
    assert probability_text(0.00012) == "0.0001"
    assert probability_text(1.2e-05) == "1.2e-05"
    assert probability_text(3e-9, 6) == "3.0e-09"
    assert probability_text(0.0) == "0.0000"


def test_disabled_controls_look_disabled_in_the_presentation_theme(qtbot):
    """The black-on-white presentation theme keeps a grey for disabled text: a greyed-out Back button must not
    look clickable on the projector."""
    from PySide6.QtGui import QPalette

    app = QApplication.instance()
    before = theme.current_theme()
    try:
        theme.apply_theme(app, "contrast")
        palette = app.palette()
        for role in (QPalette.WindowText, QPalette.ButtonText, QPalette.Text):
            assert palette.color(QPalette.Disabled, role) != palette.color(QPalette.Active, role)
    finally:
        theme.apply_theme(app, before)
