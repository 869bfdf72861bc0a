"""A scatter of a whole vocabulary: every word a small dot, chosen words large and labelled.

One ScatterPlotItem takes all points in one ``setData`` call (numpy arrays, pxMode,
shared pens and brushes), so panning stays smooth with 100,000 points; hovering a dot
shows its word, clicking one emits ``wordClicked``. Arrows (for analogies) are drawn
as lines with a head.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from viz_app.qt import theme

HIGHLIGHT = "#d62728"
ARROW_COLORS = ("#1f77b4", "#ff7f0e")


class WordScatter(pg.PlotWidget):
    wordClicked = Signal(str)

    def __init__(self, parent=None, object_name: str = "wordScatter"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.showGrid(x=False, y=False)
        self.words: tuple[str, ...] = ()
        self.coords = np.zeros((0, 2), dtype=np.float32)
        self.all_points = pg.ScatterPlotItem(pxMode=True, size=4, hoverable=True, tip=self._tip)
        self.all_points.sigClicked.connect(self._clicked)
        self.highlight = pg.ScatterPlotItem(pxMode=True, size=11)
        self.addItem(self.all_points)
        self.addItem(self.highlight)
        self._labels: list[pg.TextItem] = []
        self._arrows: list[pg.GraphicsObject] = []
        self.apply_theme()

    # --- data ------------------------------------------------------------------------------
    def set_points(self, words, coords: np.ndarray) -> None:
        self.words = tuple(words)
        self.coords = np.asarray(coords, dtype=np.float32)  # (N, 2)
        c = theme.colors()
        self.all_points.setData(
            pos=self.coords,
            data=np.arange(len(self.words)),
            pen=None,
            brush=pg.mkBrush(c["muted"]),
            hoverBrush=pg.mkBrush(HIGHLIGHT),
            hoverSize=9,
        )
        self.plot_item.autoRange()

    def set_highlight(self, indices: list[int], labels: list[str] | None = None) -> None:
        """Mark and label these words (the typed sentence, a clicked word)."""
        for item in self._labels:
            self.removeItem(item)
        self._labels = []
        idx = [i for i in indices if i is not None and 0 <= i < len(self.coords)]
        self.highlight.setData(
            pos=self.coords[idx] if idx else np.zeros((0, 2)), pen=pg.mkPen("#000000"), brush=pg.mkBrush(HIGHLIGHT)
        )
        font = QFont(QApplication.font())
        font.setBold(True)
        shown = set()
        for k, i in enumerate(idx):
            if i in shown:
                continue
            shown.add(i)
            text = labels[k] if labels else self.words[i]
            item = pg.TextItem(text, color=theme.colors()["foreground"], anchor=(0, 1))
            item.setFont(font)
            item.setPos(float(self.coords[i, 0]), float(self.coords[i, 1]))
            self.addItem(item)
            self._labels.append(item)

    def set_arrows(self, pairs: list[tuple[int, int]]) -> None:
        """Arrows from word a to word b, e.g. man -> woman and king -> queen for an analogy."""
        for item in self._arrows:
            self.removeItem(item)
        self._arrows = []
        for n, (a, b) in enumerate(pairs):
            color = ARROW_COLORS[n % len(ARROW_COLORS)]
            start, end = self.coords[a], self.coords[b]
            line = pg.PlotCurveItem(
                x=[start[0], end[0]], y=[start[1], end[1]], pen=pg.mkPen(color, width=theme.line_width(3))
            )
            angle = float(np.degrees(np.arctan2(end[1] - start[1], end[0] - start[0])))
            head = pg.ArrowItem(
                pos=(float(end[0]), float(end[1])),
                angle=180 - angle,
                headLen=16,
                brush=pg.mkBrush(color),
                pen=pg.mkPen(color),
            )
            for item in (line, head):
                self.addItem(item)
                self._arrows.append(item)

    def centre_on(self, index: int, span: float | None = None) -> None:
        x, y = (float(v) for v in self.coords[index])  # numpy float32 would overflow in pyqtgraph's checks
        rng = self.plot_item.viewRange()
        half_w = (span or (rng[0][1] - rng[0][0])) / 2
        half_h = (span or (rng[1][1] - rng[1][0])) / 2
        self.plot_item.setRange(xRange=(x - half_w, x + half_w), yRange=(y - half_h, y + half_h), padding=0)

    # --- interaction -------------------------------------------------------------------------
    def _tip(self, x, y, data) -> str:
        return self.words[int(data)] if 0 <= int(data) < len(self.words) else ""

    def _clicked(self, _item, points, _event=None) -> None:
        if len(points):
            self.wordClicked.emit(self.words[int(points[0].data())])

    def apply_theme(self) -> None:
        c = theme.colors()
        self.setBackground(c["background"])
        font = QFont(QApplication.font())
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(c["foreground"])
            axis.setTextPen(c["foreground"])
            axis.setStyle(tickFont=font)

    def changeEvent(self, event) -> None:
        if hasattr(self, "highlight") and event.type() in (
            QEvent.FontChange,
            QEvent.ApplicationFontChange,
            QEvent.PaletteChange,
        ):
            self.apply_theme()
        super().changeEvent(event)
