"""The LSTM lesson's Gates tab: a heatmap per gate (units x words), one unit's curves, and the cell equations of
the chosen step with its numbers."""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.lstm.axes import factor, follow_width, num3, set_word_axis
from viz_app.qt.widgets.heatmap import Heatmap, TokenAxis
from viz_app.qt.widgets.number_table import NumberTable
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
GATE_COLOURS = (("i", "#1f77b4"), ("f", "#2ca02c"), ("o", "#e8710a"), ("c", "#d62728"))
CURVE_NAMES = {  # English sources, shown through tr()
    "i": QT_TR_NOOP("input gate i"),
    "f": QT_TR_NOOP("forget gate f"),
    "o": QT_TR_NOOP("output gate o"),
    "c": QT_TR_NOOP("cell state c"),
}


class GatesTab:
    """Part of ``LstmView``: the Gates tab's widgets and drawing (its methods use the view's own widgets)."""

    def _build_gates_tab(self) -> None:
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
        # A line per gate, and one scatter for every step's dot (four scatters cost a keystroke 3 ms more).
        self.unit_curves = {
            gate: pg.PlotCurveItem(pen=pg.mkPen(color, width=2), name=gate) for gate, color in GATE_COLOURS
        }
        for curve in self.unit_curves.values():
            self.unit_plot.addItem(curve)
        self.unit_dots = pg.ScatterPlotItem(size=5, pen=None)
        self.unit_plot.addItem(self.unit_dots)
        # One brush per gate, made once: pyqtgraph draws a symbol once per brush it has not seen.
        self._dot_brushes = [pg.mkBrush(color) for _gate, color in GATE_COLOURS]
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

    def _shown_maps(self) -> tuple[str, ...]:
        index = self.map_group.currentIndex()
        return MAP_GROUPS[index] if 0 <= index < len(MAP_GROUPS) else MAP_GROUPS[0]

    def _show_map_group(self, index: int) -> None:
        shown = MAP_GROUPS[index] if 0 <= index < len(MAP_GROUPS) else MAP_GROUPS[0]
        for gate, heat in self.maps.items():
            heat.setVisible(gate in shown)
        self._draw_maps(shown)  # the maps hidden at the last result are drawn now that they are shown

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
        # Only the maps on screen are drawn (a keystroke redraws three, not six); the others when they are shown.
        self._maps_drawn: set[str] = set()
        self._draw_maps(self._shown_maps())
        self._step = min(self._step, len(gates.tokens) - 1)
        self._select_unit(self.unit_select.value())

    def _draw_maps(self, shown) -> None:
        gates = getattr(self, "_gates", None)
        if gates is None:
            return
        labels = list(gates.tokens)  # whole words: the map turns or thins them to fit, never cuts them
        row_labels = [str(u) if k % 8 == 0 else "" for k, u in enumerate(self._rows)]
        for gate, heat in self.maps.items():
            if gate not in shown or gate in self._maps_drawn:
                continue
            self._maps_drawn.add(gate)
            values = gates.gates[gate][:, self._rows].T  # (units shown, T)
            if gate in ("i", "f", "o"):
                levels, cmap = (0.0, 1.0), "viridis"
            else:
                lim = max(float(np.abs(values).max()), 1e-6)
                levels, cmap = (-lim, lim), "CET-D1"
            heat.set_matrix(
                values,
                row_labels,
                labels,
                levels,
                colormap=cmap,
                colorbar_label=tr(GATE_TITLES[gate]),
                cell_labels=False,
            )

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
        self.unit_dots.setData(
            np.tile(steps, len(GATE_COLOURS)),
            np.concatenate([gates.gates[gate][:, unit] for gate, _color in GATE_COLOURS]),
            brush=[brush for brush in self._dot_brushes for _ in steps],
        )
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
