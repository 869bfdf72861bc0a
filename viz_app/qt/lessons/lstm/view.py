"""RNN and LSTM: a trained LSTM's gates word by word, the cell equations with live numbers, and the
chain rule of sentence probability under the LSTM and a bigram model."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lstm import probes, text
from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.widgets.heatmap import LABEL_GAP, Heatmap, TokenAxis
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.probability_bars import probability_text
from viz_app.qt.widgets.wrap_label import WrapLabel

GATE_TITLES = {  # English sources, shown through tr()
    "i": QT_TR_NOOP("input gate i (what to write)"),
    "f": QT_TR_NOOP("forget gate f (what to keep)"),
    "o": QT_TR_NOOP("output gate o (what to show)"),
    "g": QT_TR_NOOP("candidate g"),
    "c": QT_TR_NOOP("cell state c (the memory)"),
    "h": QT_TR_NOOP("hidden state h"),
}
MAP_GROUPS = (("i", "f", "o"), ("g", "c", "h"), ("i", "f", "o", "g", "c", "h"))
MAP_GROUP_LABELS = (  # English sources, shown through tr()
    QT_TR_NOOP("the gates i, f, o"),
    QT_TR_NOOP("the memory g, c, h"),
    QT_TR_NOOP("all six"),
)
UNITS_SHOWN = 64  # rows of each heatmap: the units that change most over the sentence


def lstm_lesson_job(ctx, raw_text: str):
    store = ctx.models
    gates = probes.lstm_gates(store, probes.LSTM_NAME, raw_text)
    lstm = probes.score(store, probes.LSTM_NAME, raw_text, alternatives=5)
    bigram = probes.score(store, probes.BIGRAM_NAME, raw_text)
    explanations = probes.bigram_explanations(store, probes.BIGRAM_NAME, bigram)
    pairs = (explanations, probes.unseen_pair(store, bigram, explanations), probes.end_counts(store))
    following = probes.next_words(store, probes.LSTM_NAME, raw_text, 10) if raw_text.strip() else []
    both_ways = probes.bidirectional_states(store, probes.LSTM_NAME, raw_text)
    return gates, lstm, bigram, following, both_ways, pairs


GATE_COLOURS = (("i", "#1f77b4"), ("f", "#2ca02c"), ("o", "#e8710a"), ("c", "#d62728"))
CURVE_NAMES = {  # English sources, shown through tr()
    "i": QT_TR_NOOP("input gate i"),
    "f": QT_TR_NOOP("forget gate f"),
    "o": QT_TR_NOOP("output gate o"),
    "c": QT_TR_NOOP("cell state c"),
}
LSTM_COLOUR, BIGRAM_COLOUR = "#1f77b4", "#e8710a"
MAX_LABEL_CHARS = 12


def _signed(value: float) -> str:
    """Two decimals with a true minus sign (U+2212), never a hyphen that reads as a dash."""
    out = f"{value:.2f}"
    return "\u2212" + out[1:] if out.startswith("-") and out.strip("-0.") else out.lstrip("-")


def num3(value: float) -> str:
    """Three decimals with a true minus sign (U+2212); "-0.000" loses its sign."""
    out = f"{value:.3f}"
    return "\u2212" + out[1:] if out.startswith("-") and out.strip("-0.") else out.lstrip("-")


def factor(value: float) -> str:
    """A number as a factor in an equation: negative ones in brackets, so that "× −0.157" never reads as "− 0.157"."""
    out = num3(value)
    return f"({out})" if out.startswith("\u2212") else out


def short_word(token: str) -> str:
    return token if len(token) <= MAX_LABEL_CHARS else token[: MAX_LABEL_CHARS - 1] + "…"


def word_ticks(tokens, step_px: float, fm: QFontMetrics, gap: int = 8) -> list[tuple[int, str]]:
    """Whole-word tick labels at x = 0, 1, ...: every word whose label fits beside the last one drawn (a word too
    close to its neighbour is skipped, never cut; the tables and hovering name every step)."""
    out, right_edge = [], -1e9
    for k, token in enumerate(tokens):
        label = short_word(token)
        half = fm.horizontalAdvance(label) / 2
        centre = k * step_px
        if centre - half >= right_edge + gap:
            out.append((k, label))
            right_edge = centre + half
    return out


class _OnResize(QObject):
    """Calls ``callback`` after each resize of the widget it watches (axis labels follow the width)."""

    def __init__(self, widget, callback):
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt naming
        if event.type() == QEvent.Resize:
            self._callback()
        return False


def set_word_axis(plot_widget, tokens) -> None:
    """Label a PlotWidget's x axis (one step per token) with whole words through its TokenAxis: every word,
    level while they fit side by side, else upright (one line of text each) where the plot is tall enough to
    give them their height; where upright words would touch, or the plot is too short for them, every word that
    fits after the last one written (hovering and the tables name every step)."""
    plot_widget._word_tokens = list(tokens)
    axis = plot_widget.getAxis("bottom")
    view = plot_widget.getViewBox()
    (x0, x1), _ = view.viewRange()
    width = view.width() if view.width() > 10 else plot_widget.width() - 70
    step_px = width / max(x1 - x0, 1e-9)
    fm = QFontMetrics(axis._font() if isinstance(axis, TokenAxis) else plot_widget.font())
    if not isinstance(axis, TokenAxis):
        axis.setTicks([word_ticks(tokens, step_px, fm)])
        return
    labels = [(float(k), short_word(t), t) for k, t in enumerate(tokens)]
    widths = [fm.horizontalAdvance(text) for _k, text, _t in labels]
    level = all((widths[k] + widths[k + 1]) / 2 + 8 <= step_px for k in range(len(labels) - 1))
    upright_h = max(widths, default=0) + LABEL_GAP + 10
    if not level and plot_widget.height() - upright_h < 6 * fm.height():
        # Too short a plot to give upright words their height: level words, each that fits beside the last.
        kept = {k for k, _text in word_ticks(tokens, step_px, fm)}
        labels = [item for item in labels if int(item[0]) in kept]
        level = True
    elif not level:
        kept, last = [], -1e9
        for item in labels:
            if item[0] * step_px - last >= fm.height() + 1:
                kept.append(item)
                last = item[0] * step_px
        labels = kept
    axis.set_labels(labels, upright=not level)
    axis.setHeight(int((fm.height() if level else max(widths, default=0)) + LABEL_GAP + 10))


def follow_width(plot_widget) -> None:
    plot_widget._word_tokens = []
    _OnResize(plot_widget, lambda: set_word_axis(plot_widget, plot_widget._word_tokens))


def generate_job(ctx, prompt: str, max_words: int, temperature: float, seed: int):
    """Sample word by word; after each word yield the text so far and its gates (the maps follow along)."""
    from viz_app.core.jobs import Progress

    store = ctx.models
    gen = probes.generate(store, probes.LSTM_NAME, prompt, max_words, temperature, seed)
    steps = []
    while True:
        try:
            word, p = next(gen)
        except StopIteration as stop:
            return stop.value
        steps.append((word, p))
        sofar = probes.detokenize(text.word_tokens(prompt) + [w for w, _ in steps if w != text.END])
        gates = probes.lstm_gates(store, probes.LSTM_NAME, sofar)
        yield Progress(
            len(steps) / max_words,
            tr("generated {n} of at most {most} words").format(n=len(steps), most=max_words),
            (sofar, list(steps), gates),
        )


class LstmView(LessonView):
    def __init__(self, lesson, service, parent=None):
        super().__init__(lesson, service, parent)
        self._unit, self._step = 0, 0
        self.notice = WrapLabel(self, "lstmNotice", Qt.AutoText)
        self.body.addWidget(self.notice)
        self.make_tabs("lstmTabs")
        self.tabs.currentChanged.connect(self._draw_tab)
        self.body.addWidget(self.tabs, 1)

        # Gates.
        page = QWidget(self)
        col = QVBoxLayout(page)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("Unit:"), self))
        self.unit_select = QSpinBox(self)
        self.unit_select.setObjectName("unitSelect")
        self.unit_select.setRange(0, 255)
        self.unit_select.valueChanged.connect(self._select_unit)
        controls.addWidget(self.unit_select)
        self.gates_hint = WrapLabel(self, "gatesHint", Qt.AutoText)
        self.gates_hint.setText(tr("Click a cell of any map to pick its unit and time step."))
        controls.addWidget(self.gates_hint, 1)
        controls.addWidget(QLabel(tr("Maps:"), self))
        self.map_group = QComboBox(self)  # three maps at a time get twice the room (a projector at 1024x768)
        self.map_group.setObjectName("mapGroup")
        for label in MAP_GROUP_LABELS:
            self.map_group.addItem(tr(label))
        self.map_group.currentIndexChanged.connect(self._show_map_group)
        controls.addWidget(self.map_group)
        col.addLayout(controls)
        splitter = QSplitter(Qt.Vertical, self)
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        self.maps: dict[str, Heatmap] = {}
        for k, gate in enumerate(("i", "f", "o", "g", "c", "h")):
            heat = Heatmap(self, object_name=f"gate-{gate}")
            heat.cellClicked.connect(lambda row, column, heat=heat: self._cell_clicked(heat, row, column))
            self.maps[gate] = heat
            grid.addWidget(heat, k // 3, k % 3)
        self._show_map_group(0)
        splitter.addWidget(grid_host)
        bottom = QWidget(self)
        bottom_row = QHBoxLayout(bottom)
        bottom_row.setContentsMargins(0, 0, 0, 0)
        unit_host = QWidget(self)
        unit_col = QVBoxLayout(unit_host)
        unit_col.setContentsMargins(0, 0, 0, 0)
        unit_col.setSpacing(2)
        self.unit_legend = QLabel(self)  # above the plot, never on the curves
        self.unit_legend.setObjectName("unitLegend")
        self.unit_legend.setTextFormat(Qt.RichText)
        self.unit_legend.setWordWrap(True)
        unit_col.addWidget(self.unit_legend)
        self.unit_plot = pg.PlotWidget(self, axisItems={"bottom": TokenAxis("bottom")})
        self.unit_plot.setObjectName("unitPlot")
        self.unit_curves = {
            gate: self.unit_plot.plot([], [], pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5, name=gate)
            for gate, color in GATE_COLOURS
        }
        for gate, color in GATE_COLOURS:
            self.unit_curves[gate].opts["symbolBrush"] = color
            self.unit_curves[gate].opts["symbolPen"] = color
        follow_width(self.unit_plot)
        unit_col.addWidget(self.unit_plot, 1)
        bottom_row.addWidget(unit_host, 2)
        self.equation = WrapLabel(self, "cellEquation", Qt.AutoText)
        self.equation.setTextFormat(Qt.RichText)
        self.equation.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        # The explanation scrolls where the window is short (presentation fonts at 1024x768), never cut off.
        self.equation_scroll = QScrollArea(self)
        self.equation_scroll.setObjectName("cellEquationScroll")
        self.equation_scroll.setWidgetResizable(True)
        self.equation_scroll.setFrameShape(QFrame.NoFrame)
        self.equation_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.equation_scroll.setWidget(self.equation)
        bottom_row.addWidget(self.equation_scroll, 3)  # the widest: its text is the step's explanation
        self.step_table = NumberTable(self, object_name="stepVectors")
        self.step_table.setToolTip(tr("the chosen step's vectors, for the units shown in the maps"))
        bottom_row.addWidget(self.step_table, 2)
        splitter.addWidget(bottom)
        splitter.setSizes([340, 300])  # the bottom row holds the step explanation: room for it at 1.5x fonts
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        col.addWidget(splitter, 1)
        self.add_tab(page, QT_TR_NOOP("Gates"))

        # Chain rule.
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.chain_summary = WrapLabel(self, "chainSummary", Qt.AutoText)
        self.chain_summary.setTextFormat(Qt.RichText)
        col.addWidget(self.chain_summary)
        self.include_end = QCheckBox(
            tr("Include the last factor P(<end> | …): the probability that the text stops here")
        )
        self.include_end.setObjectName("includeEnd")
        self.include_end.toggled.connect(self._redraw_chain)
        col.addWidget(self.include_end)
        notes_host = QWidget(self)
        notes = QHBoxLayout(notes_host)
        notes.setContentsMargins(0, 0, 0, 0)
        self.end_note = QLabel(self)
        self.end_note.setObjectName("endNote")
        self.smoothing_note = QLabel(self)
        self.smoothing_note.setObjectName("smoothingNote")
        for note in (self.end_note, self.smoothing_note):
            note.setWordWrap(True)
            note.setTextFormat(Qt.RichText)
            note.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            notes.addWidget(note, 1)
        # The notes scroll where the window is short, so that the plot keeps its room.
        self.notes_scroll = QScrollArea(self)
        self.notes_scroll.setObjectName("chainNotes")
        self.notes_scroll.setWidgetResizable(True)
        self.notes_scroll.setFrameShape(QFrame.NoFrame)
        self.notes_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.notes_scroll.setWidget(notes_host)
        chain_split = self.chain_split = QSplitter(Qt.Vertical, self)
        chain_split.setChildrenCollapsible(False)
        chain_split.addWidget(self.notes_scroll)
        plot_host = QWidget(self)
        plot_col = QVBoxLayout(plot_host)
        plot_col.setContentsMargins(0, 0, 0, 0)
        plot_col.setSpacing(2)
        # Its minimum is its wrapped height, so the splitter never pushes the plot's words under the table.
        self.chain_legend = WrapLabel(self, "chainLegend")
        plot_col.addWidget(self.chain_legend)
        self.chain_plot = pg.PlotWidget(self, axisItems={"bottom": TokenAxis("bottom")})
        self.chain_plot.setObjectName("chainPlot")
        follow_width(self.chain_plot)
        self.chain_plot.setMinimumHeight(160)
        plot_col.addWidget(self.chain_plot, 1)
        chain_split.addWidget(plot_host)
        self.chain_table = NumberTable(self, object_name="chainTable")
        chain_split.addWidget(self.chain_table)
        self.chain_table.setMinimumHeight(90)
        chain_split.setSizes([170, 300, 170])
        chain_split.setStretchFactor(1, 1)
        col.addWidget(chain_split, 1)
        self.add_tab(page, QT_TR_NOOP("Chain rule"))

        # Next word.
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.next_title = WrapLabel(self, "nextTitle", Qt.AutoText)
        col.addWidget(self.next_title)
        self.next_table = NumberTable(self, object_name="nextTable", stretch_column=0)
        col.addWidget(self.next_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Temperature:"), self))
        self.temperature = QSlider(Qt.Horizontal, self)
        self.temperature.setObjectName("temperature")
        self.temperature.setRange(1, 30)  # 0.1 .. 3.0
        self.temperature.setValue(10)
        self.temperature_label = QLabel("1.0", self)
        self.temperature.valueChanged.connect(lambda v: self.temperature_label.setText(f"{v / 10:.1f}"))
        row.addWidget(self.temperature, 1)
        row.addWidget(self.temperature_label)
        row.addWidget(QLabel(tr("words:"), self))
        self.max_words = QSpinBox(self)
        self.max_words.setObjectName("maxWords")
        self.max_words.setRange(1, 100)
        self.max_words.setValue(30)
        row.addWidget(self.max_words)
        row.addWidget(QLabel(tr("seed:"), self))
        self.seed = QSpinBox(self)
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 99999)
        row.addWidget(self.seed)
        self.generate_button = QPushButton(tr("Generate"), self)
        self.generate_button.setObjectName("generate")
        self.generate_button.clicked.connect(self.start_generation)
        row.addWidget(self.generate_button)
        self.stop_button = QPushButton(tr("Stop"), self)
        self.stop_button.setObjectName("stopGeneration")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(lambda: self.stop("generate"))
        row.addWidget(self.stop_button)
        col.addLayout(row)
        self.generated = WrapLabel(self, "generatedText", Qt.AutoText)
        self.generated.setTextFormat(Qt.RichText)
        self.generated.setTextInteractionFlags(Qt.TextSelectableByMouse)
        col.addWidget(self.generated)
        self.add_tab(page, QT_TR_NOOP("Next word"))
        # Bi-directional.
        page = QWidget(self)
        col = QVBoxLayout(page)
        explain = QLabel(
            tr(
                "A <b>bi-directional RNN</b> reads the sentence twice: forwards, so that h<sub>t</sub> has seen "
                "words 1…t, and backwards, so that it has seen words t…T. Each word then gets both states "
                "(concatenated): the whole sentence, before and after it. That is why a bi-directional model "
                "<b>cannot generate text</b>: to produce word t it would need the words after t, which do not exist "
                "yet. It suits tasks that have the whole input at once (tagging, classifying, BERT-style models). "
                "<i>Here the backward pass runs the bundled left-to-right LSTM over the reversed words, to show what "
                "each direction has seen; a real bi-directional model trains its own backward LSTM.</i>"
            ),
            self,
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.RichText)
        col.addWidget(explain)
        maps_col = QVBoxLayout()  # one above the other: each map has the whole width, so every word is labelled
        self.forward_map = Heatmap(self, object_name="forwardStates")
        self.backward_map = Heatmap(self, object_name="backwardStates")
        maps_col.addWidget(self.forward_map, 1)
        maps_col.addWidget(self.backward_map, 1)
        col.addLayout(maps_col, 1)
        self.add_tab(page, QT_TR_NOOP("Bi-directional"))
        self._apply_plot_theme()

    def _show_map_group(self, index: int) -> None:
        shown = MAP_GROUPS[index] if 0 <= index < len(MAP_GROUPS) else MAP_GROUPS[0]
        for gate, heat in self.maps.items():
            heat.setVisible(gate in shown)

    def _apply_plot_theme(self) -> None:
        for plot in (self.unit_plot, self.chain_plot):
            theme.style_plot(plot)
            for name in ("left", "bottom"):  # ticks point into the plot: none stands before a number
                plot.getAxis(name).setStyle(tickLength=5)
            set_word_axis(plot, getattr(plot, "_word_tokens", []))  # the word axis's height follows the font
        self.unit_legend.setText(
            "  ".join(
                f"<span style='color:{color}; font-weight:bold'>■ {escape(tr(CURVE_NAMES[gate]))}</span>"
                for gate, color in GATE_COLOURS
            )
        )
        self.chain_legend.setText(
            f"<span style='color:{LSTM_COLOUR}; font-weight:bold'>■ LSTM</span>&nbsp;&nbsp; "
            f"<span style='color:{BIGRAM_COLOUR}; font-weight:bold'>■ "
            + escape(tr("bigram (Kneser-Ney smoothing)"))
            + "</span>&nbsp;&nbsp; "
            + tr("bar height:")
            + " "
            + escape(tr("P(word | words before it)"))
            + "; "
            + escape(tr("after the dashed line: <end>"))
        )

    def model_label(self) -> str:
        return f"{probes.LSTM_NAME} + {probes.BIGRAM_NAME}"

    def export_json(self) -> dict | None:
        if self.result is None:
            return None
        gates, lstm, bigram, following, both_ways, pairs = self.result
        return {
            "gates": gates.to_json(),
            "lstm": lstm.to_json(),
            "bigram": bigram.to_json(),
            "next_words": [[w, p] for w, p in following],
            "bidirectional": both_ways.to_json(),
        }

    def make_request(self, raw_text: str):
        return lstm_lesson_job, (raw_text,), {}

    # --- drawing ---------------------------------------------------------------------------
    def show_result(self, result) -> None:
        gates, lstm, bigram, following, both_ways, pairs = result
        self._apply_plot_theme()  # the theme or the text size may have changed since the last result
        notes = []
        unknown = [t for t, s in zip(gates.typed, gates.tokens, strict=True) if s == text.UNK]
        if unknown:
            notes.append(
                tr("Not in the model's vocabulary, shown as <unk>: {words}.").format(words=", ".join(unknown[:10]))
            )
        if gates.truncated:
            notes.append(
                tr("Only the first {n} tokens are used; {more} more were cut.").format(
                    n=probes.MAX_TOKENS, more=gates.truncated
                )
            )
        if len(gates.tokens) <= 1:
            notes.append(tr("Type a sentence to watch the gates open and close word by word."))
        self.notice.setText(" ".join(notes))
        self.notice.setVisible(bool(notes))
        self._drawn_tabs: set[int] = set()
        self._draw_tab(self.tabs.currentIndex())  # the other tabs are drawn when they are opened

    def _draw_tab(self, index: int) -> None:
        if self.result is None or index in getattr(self, "_drawn_tabs", {index}):
            return
        self._drawn_tabs.add(index)
        gates, lstm, bigram, following, both_ways, pairs = self.result
        if index == 0:
            self._draw_gates(gates)
        elif index == 1:
            self._show_chain(lstm, bigram, pairs)
        elif index == 2:
            self._show_next(gates, following)
        else:
            self._show_both_ways(both_ways)

    def _draw_gates(self, gates) -> None:
        self._gates = gates
        units = gates.gates["h"].shape[1]
        self.unit_select.setMaximum(units - 1)
        # The units whose cell state changes most over this sentence are the most telling to show.
        spread = gates.gates["c"].std(axis=0) if len(gates.tokens) > 1 else np.zeros(units)
        self._rows = np.sort(np.argsort(-spread)[:UNITS_SHOWN])
        # The rows' numbers jump (0, 56, 79, ...): say why, beside the hint.
        self.gates_hint.setText(
            tr(
                "Rows: the {shown} of {units} units whose cell state changes most over this sentence (unit numbers "
                "on the left). Click a cell of any map to pick its unit and time step."
            ).format(shown=len(self._rows), units=units)
        )
        labels = list(gates.tokens)  # whole words: the map turns or thins them to fit, never cuts them
        for gate, heat in self.maps.items():
            values = gates.gates[gate][:, self._rows].T  # (units shown, T)
            if gate in ("i", "f", "o"):
                levels, cmap = (0.0, 1.0), "viridis"
            else:
                lim = max(float(np.abs(values).max()), 1e-6)
                levels, cmap = (-lim, lim), "CET-D1"
            row_labels = [str(u) if k % 8 == 0 else "" for k, u in enumerate(self._rows)]
            heat.set_matrix(
                values,
                row_labels,
                labels,
                levels,
                colormap=cmap,
                colorbar_label=tr(GATE_TITLES[gate]),
                cell_labels=False,
            )
        self._step = min(self._step, len(gates.tokens) - 1)
        self._select_unit(self.unit_select.value())

    def _cell_clicked(self, heat: Heatmap, row: int, column: int) -> None:
        self._step = column
        self.unit_select.setValue(int(self._rows[row]))
        self._select_unit(int(self._rows[row]))

    def _select_unit(self, unit: int) -> None:
        gates = getattr(self, "_gates", None)
        if gates is None:
            return
        self._unit = unit
        steps = np.arange(len(gates.tokens))
        for gate, curve in self.unit_curves.items():
            curve.setData(steps, gates.gates[gate][:, unit])
        self.unit_plot.setXRange(-0.5, len(gates.tokens) - 0.5, padding=0)
        set_word_axis(self.unit_plot, gates.tokens)
        self.unit_plot.setTitle(tr("unit {unit} over time").format(unit=unit), color=theme.colors()["foreground"])
        self._show_equation()

    def _show_equation(self) -> None:
        g = self._gates.gates
        t, u = self._step, self._unit
        rows = [[str(unit), *(num3(g[k][t, unit]) for k in ("i", "f", "o", "g", "c", "h"))] for unit in self._rows]
        self.step_table.set_rows([tr("unit (step {t})").format(t=t), "i", "f", "o", "g", "c", "h"], rows)
        c_prev = g["c"][t - 1, u] if t > 0 else 0.0
        i, f, cand, o, c, h = (float(g[k][t, u]) for k in ("i", "f", "g", "o", "c", "h"))
        word = escape(self._gates.tokens[t])
        self.equation.setText(
            tr("<b>Step {t} (“{word}”), unit {unit}</b>").format(t=t, word=word, unit=u) + "<br>"
            f"c<sub>t</sub> = f<sub>t</sub> · c<sub>t−1</sub> + i<sub>t</sub> · g<sub>t</sub>"
            f" = {factor(f)} × {factor(c_prev)} + {factor(i)} × {factor(cand)} = <b>{num3(c)}</b><br>"
            f"h<sub>t</sub> = o<sub>t</sub> · tanh(c<sub>t</sub>) = {factor(o)} × tanh({num3(c)}) = <b>{num3(h)}</b><br><br>"
            + tr(
                "The forget gate keeps {f}% of the old memory; the input gate writes {i}% of the "
                "candidate; the output gate shows {o}% of the squashed memory."
            ).format(f=f"{100 * f:.0f}", i=f"{100 * i:.0f}", o=f"{100 * o:.0f}")
        )

    def _show_chain(self, lstm, bigram, pairs) -> None:
        self._chain = (lstm, bigram, pairs)
        self._redraw_chain()

    def _redraw_chain(self, *_args) -> None:
        chain = getattr(self, "_chain", None)
        if chain is None:
            return
        lstm, bigram, (explanations, unseen, ends) = chain
        if not lstm.tokens:
            self.chain_summary.setText(tr("Type a sentence to see its probability word by word."))
            for label in (self.end_note, self.smoothing_note):
                label.setText("")
            self.chain_table.set_rows([], [])
            self.chain_plot.clear()
            return
        with_end = self.include_end.isChecked()
        self.chain_summary.setText(self._chain_summary(lstm, bigram, with_end))
        self.end_note.setText(self._end_note(lstm, bigram, with_end, ends))
        self.smoothing_note.setText(self._smoothing_note(unseen))
        self._fit_notes()
        rows = []
        for k, token in enumerate(lstm.tokens):
            alts = ", ".join(f"{w} {p:.2f}" for w, p in lstm.alternatives[k]) if lstm.alternatives else ""
            shown = token
            if token == text.END:
                shown = tr("<end> (the text stops here)") if with_end else tr("<end> (left out)")
            e = explanations[k]
            rows.append(
                [
                    shown,
                    self._table_number(lstm.probs[k]),
                    self._table_number(bigram.probs[k]),
                    f"{e.pair_count:,}",
                    alts,
                ]
            )
        self.chain_table.set_rows(
            [
                tr("word"),
                tr("P under the LSTM"),
                tr("P under the bigram"),
                tr("count of (previous word, word) in training"),
                tr("LSTM's top 5 there"),
            ],
            rows,
        )
        self.chain_plot.clear()
        x = np.arange(len(lstm.tokens))
        is_end = np.array([t == text.END for t in lstm.tokens])
        for offset, probs, colour in ((-0.2, lstm.probs, LSTM_COLOUR), (0.2, bigram.probs, BIGRAM_COLOUR)):
            heights = np.asarray(probs, dtype=float)
            words = ~is_end
            self.chain_plot.addItem(
                pg.BarGraphItem(x=x[words] + offset, height=heights[words], width=0.4, brush=colour)
            )
            if is_end.any():  # <end>: the same colour, hatched when it is left out of the product
                brush = QBrush(QColor(colour), Qt.SolidPattern if with_end else Qt.BDiagPattern)
                self.chain_plot.addItem(
                    pg.BarGraphItem(
                        x=x[is_end] + offset, height=heights[is_end], width=0.4, brush=brush, pen=pg.mkPen(colour)
                    )
                )
        for k in np.flatnonzero(is_end):
            self.chain_plot.addItem(
                pg.InfiniteLine(
                    pos=k - 0.5, angle=90, pen=pg.mkPen(theme.colors()["foreground"], width=1, style=Qt.DashLine)
                )
            )
        self.chain_plot.setXRange(-0.6, len(lstm.tokens) - 0.4, padding=0)
        self.chain_plot.setYRange(0, 1)
        set_word_axis(self.chain_plot, lstm.tokens)

    def _fit_notes(self) -> None:
        """The notes pane as tall as its text, up to 30% of the tab (it scrolls beyond); the plot gets the rest."""
        sizes = self.chain_split.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        width = max(200, self.notes_scroll.viewport().width())
        need = max(note.heightForWidth(width // 2 - 8) for note in (self.end_note, self.smoothing_note)) + 8
        notes = int(min(max(need, 60), 0.3 * total))
        rest = total - notes
        self.chain_split.setSizes([notes, int(rest * 0.7), rest - int(rest * 0.7)])

    @staticmethod
    def _table_number(p: float) -> str:
        return probability_text(p)

    @staticmethod
    def _number(p: float) -> str:
        return f"{p:.3g}" if p >= 0.001 else f"{p:.1e}"

    def _chain_summary(self, lstm, bigram, with_end: bool) -> str:
        first = " · ".join(f"P({escape(t)} | …)" for t in lstm.tokens[:3] if t != text.END)
        end_factor = (
            "<b><span style='text-decoration: underline'>P(&lt;end&gt; | …)</span></b>"
            if with_end
            else "<s>P(&lt;end&gt; | …)</s> " + tr("(left out)")
        )
        a, b = lstm.log_probability(with_end), bigram.log_probability(with_end)
        n = len(lstm.included(with_end))
        ppl_a, ppl_b = lstm.perplexity_of(with_end), bigram.perplexity_of(with_end)
        diff = a - b
        if diff > 0:
            times = f"{math.exp(diff):,.0f}" if diff < 30 else f"e<sup>{diff:.0f}</sup>"
            verdict = tr(
                "The LSTM, which reads every word before, gives this text {times} times the bigram's probability."
            )
        elif diff < 0:
            times = f"{math.exp(-diff):,.0f}" if -diff < 30 else f"e<sup>{-diff:.0f}</sup>"
            verdict = tr("Here the bigram gives this text {times} times the LSTM's probability.")
        else:
            times, verdict = "1", tr("Both models give this text the same probability.")
        return (
            tr("P(text)")
            + f" = {first} · … · {end_factor}<br>"
            + tr(
                "<b>LSTM</b>: log P = {lstm_logp} nats over {n} factors (perplexity {lstm_ppl} per factor). "
                "<b>Bigram</b> (only the previous word): log P = {bigram_logp} nats (perplexity {bigram_ppl})."
            ).format(
                lstm_logp=_signed(a),
                n=n,
                lstm_ppl=f"{ppl_a:.1f}" if ppl_a is not None else "–",
                bigram_logp=_signed(b),
                bigram_ppl=f"{ppl_b:.1f}" if ppl_b is not None else "–",
            )
            + " <b>"
            + verdict.format(times=times)
            + "</b>"
        )

    def _end_note(self, lstm, bigram, with_end: bool, ends: dict) -> str:
        k = max(j for j, t in enumerate(lstm.tokens) if t == text.END)  # the last line's <end>
        p_lstm, p_bigram = lstm.probs[k], bigram.probs[k]
        numbers = tr("P(<end>) here: LSTM {lstm}, bigram {bigram}.").format(
            lstm=self._number(p_lstm), bigram=self._number(p_bigram)
        )
        numbers = escape(numbers)
        stated = tr(
            "<b>&lt;end&gt; is a factor like any word</b>: the probability that the text stops here. Of the "
            "{lines} paragraphs the models learnt from, {stop} end with . ! ? or a quote mark and only {word} "
            "right after a word."
        ).format(lines=f"{ends['lines']:,}", stop=f"{ends['after_stop']:,}", word=f"{ends['after_word']:,}")
        if lstm.truncated:
            stated += " " + tr(
                "(The text was cut after {n} tokens: its last factor is the <end> after the cut.)"
            ).format(n=probes.MAX_TOKENS).replace("<end>", "&lt;end&gt;")
        if probes.lines_without_full_stop(lstm):
            cost = tr(
                "<b>This text stops without a full stop</b>, where the stories almost never stop: both models make "
                "&lt;end&gt; nearly impossible there. This one factor costs the LSTM {lstm} nats and the bigram "
                "{bigram}, and can decide which model wins. Add the full stop, or leave &lt;end&gt; out, to compare "
                "the words."
            ).format(lstm=f"{-math.log(max(p_lstm, 1e-300)):.1f}", bigram=f"{-math.log(max(p_bigram, 1e-300)):.1f}")
            c = theme.colors()
            style = f"color:{c.get('warn_fg', '#664d03')}; background-color:{c.get('warn_bg', '#fff3cd')}"
            return f"<span style='{style}'>{cost}</span><br>{stated} {numbers}"  # the warning first: it must be seen
        return (
            f"{stated} {numbers} "
            + tr("The LSTM also knows how far into a story the text is; the bigram sees only the last token.")
            + ("" if with_end else " " + tr("Left out: the product covers the words alone."))
        )

    def _smoothing_note(self, unseen) -> str:
        if unseen is None:
            return tr("<b>Smoothing</b>: every pair of words in this text was seen in training.")
        v, w, e, in_text = unseen
        v, w = escape(v), escape(w)
        head = (
            tr(
                "<b>Smoothing</b>: the pair “{v} {w}” of this text never occurs in the training text (count 0), "
                "yet the bigram gives"
            )
            if in_text
            else tr(
                "<b>Smoothing</b>: had the text said “{v} {w}” (a pair never seen in training, count 0), "
                "the bigram would still give"
            )
        ).format(v=v, w=w)
        body = tr(
            "P({w} | {v}) = D · N({v} •) / c({v}) · P<sub>cont</sub>({w}) = {d} × {followers} / {count} × "
            "{cont} = <b>{p}</b>. Kneser-Ney takes D = {d} from each pair counted after “{v}” ({count} times, "
            "{followers} different next words) and shares it by the continuation probability: “{w}” followed "
            "{n_cont} different words ({n_pairs} distinct pairs in all)."
        ).format(
            v=v,
            w=w,
            d=f"{e.discount:g}",
            followers=f"{e.followers:,}",
            count=f"{e.prev_count:,}",
            cont=self._number(e.continuation),
            p=self._number(e.probability),
            n_cont=f"{e.continuation_count:,}",
            n_pairs=f"{e.continuation_total:,}",
        )
        if e.prev_count == 0:
            return tr(
                "<b>Smoothing</b>: “{v}” was never followed by a word in training, so P({w} | {v}) is the "
                "continuation probability alone: <b>{p}</b> (“{w}” came after {n_cont} different words)."
            ).format(v=v, w=w, p=self._number(e.probability), n_cont=f"{e.continuation_count:,}")
        return f"{head} {body}"

    # --- export ----------------------------------------------------------------------------------
    def export(self, path: str) -> None:
        """The current tab as PNG/SVG, or the numbers behind it as CSV (by the file's extension)."""
        import csv

        from viz_app.qt.export import export_widget

        if Path(path).suffix.lower() != ".csv":
            export_widget(self.tabs.currentWidget(), path)
            return
        if self.result is None:
            raise ValueError(tr("nothing to export yet"))
        gates, lstm, bigram, following, both, pairs = self.result
        tab = self.tabs.currentIndex()
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            if tab == 0:
                out.writerow(["gate", "step", "token", "unit", "value"])
                for gate, values in gates.gates.items():
                    for t, token in enumerate(gates.tokens):
                        for u, v in enumerate(values[t]):
                            out.writerow([gate, t, token, u, f"{v:.6g}"])
            elif tab == 1:
                out.writerow(["token", "p_lstm", "p_bigram"])
                for t, p1, p2 in zip(lstm.tokens, lstm.probs, bigram.probs, strict=True):
                    out.writerow([t, f"{p1:.6g}", f"{p2:.6g}"])
            elif tab == 2:
                out.writerow(["next_word", "probability"])
                out.writerows([w, f"{p:.6g}"] for w, p in following)
            else:
                out.writerow(["direction", "step", "token", "unit", "value"])
                for name, states in (("forward", both.forward), ("backward", both.backward)):
                    for t, token in enumerate(both.tokens):
                        for u, v in enumerate(states[t]):
                            out.writerow([name, t, token, u, f"{v:.6g}"])

    # --- generation ------------------------------------------------------------------------------
    def start_generation(self) -> None:
        self.ask(
            "generate", generate_job, self.text, self.max_words.value(), self.temperature.value() / 10,
            self.seed.value(), label=tr("{model} generating").format(model=probes.LSTM_NAME),
            on_progress=self._on_generate_progress, on_result=self._on_generate_done,
            on_failed=self._on_generate_stopped, on_cancelled=self._on_generate_stopped,
        )  # fmt: skip
        self.generate_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.generated.setText("…")

    def _show_generated(self, sofar: str, steps) -> None:
        # The probability after each word in brackets, not as a subscript: after "." a subscript reads as "−0.99".
        words = " ".join(
            f"<span title='p = {p:.3f}'>{escape(w)}&nbsp;<small>({p:.2f})</small></span>" for w, p in steps
        )
        self.generated.setText(
            f"<b>{escape(sofar)}</b><br>" + tr("each new word with its probability: {words}").format(words=words)
        )

    def _on_generate_progress(self, progress) -> None:
        if progress.data is None:
            return
        sofar, steps, gates = progress.data
        self._show_generated(sofar, steps)
        self._draw_gates(gates)  # the gate maps follow the words as they are generated

    def _on_generate_done(self, value, _elapsed: float) -> None:
        sofar, steps = value
        self._show_generated(sofar, steps)
        self.generate_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def _on_generate_stopped(self, message: str = "") -> None:
        self.generate_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        if message:
            self.show_error(message)

    def _show_both_ways(self, both) -> None:
        if not both.tokens:
            return
        units = np.sort(np.argsort(-(both.forward.std(0) + both.backward.std(0)))[:UNITS_SHOWN])
        labels = list(both.tokens)
        rows = [str(u) if k % 8 == 0 else "" for k, u in enumerate(units)]
        for heat, states, title in (
            (self.forward_map, both.forward, tr("forward h (has seen words 1…t)")),
            (self.backward_map, both.backward, tr("backward h (has seen words t…T)")),
        ):
            values = states[:, units].T  # (units, T)
            lim = max(float(np.abs(values).max()), 1e-6)
            heat.set_matrix(
                values, rows, labels, (-lim, lim), colormap="CET-D1", colorbar_label=title, cell_labels=False
            )

    def _show_next(self, gates, following) -> None:
        context = " ".join(gates.tokens[-8:])
        self.next_title.setText(
            tr("After “… {context}”, the LSTM expects next:").format(context=context)
            if following
            else tr("Type the start of a sentence to see which word the LSTM expects next.")
        )
        self.next_table.set_rows([tr("next word"), tr("probability")], [[w, probability_text(p)] for w, p in following])
