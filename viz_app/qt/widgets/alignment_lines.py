"""Attention drawn as lines: the source words in a row above, the output words in a row below, and a
line from each output word to each source word as wide and as opaque as its attention weight."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr

MIN_WEIGHT = 0.02  # lighter lines are left out (they would only grey the picture)
HIGHLIGHT = "#ff7f0e"


class AlignmentLines(QWidget):
    def __init__(self, parent=None, object_name: str = "alignmentLines"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.source: list[str] = []
        self.output: list[str] = []
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.selected = -1  # an output row drawn in the highlight colour (the others fade)
        self.top_label, self.bottom_label = tr("source (encoder h¹…hᴹ)"), tr("output (decoder)")

    def set_alignment(self, source: list[str], output: list[str], matrix: np.ndarray | None) -> None:
        self.source, self.output = list(source), list(output)
        self.matrix = np.zeros((len(output), len(source)), np.float32) if matrix is None else np.asarray(matrix)
        self.selected = min(self.selected, len(output) - 1)
        self.update()

    def select(self, row: int) -> None:
        self.selected = row
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        fm = self.fontMetrics()
        return QSize(600, fm.height() * 10)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(200, self.fontMetrics().height() * 6)

    def _positions(self, count: int, left: float, right: float) -> list[float]:
        if count <= 0:
            return []
        step = (right - left) / count
        return [left + step * (k + 0.5) for k in range(count)]

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor(c["background"]))
        fm = QFontMetrics(self.font())
        line_h = fm.height()
        margin = 8
        source, output = tr("source"), tr("output")
        label_w = max(fm.horizontalAdvance(output), fm.horizontalAdvance(source)) + 2 * margin
        left, right = label_w + margin, self.width() - margin
        bottom_y = self.height() - margin - line_h
        fg = QColor(c["foreground"])
        painter.setPen(QColor(c["muted"]))
        painter.drawText(QRectF(margin, margin, label_w, line_h * 1.4), Qt.AlignLeft | Qt.AlignVCenter, source)
        painter.drawText(QRectF(margin, bottom_y - 2, label_w, line_h * 1.4), Qt.AlignLeft | Qt.AlignVCenter, output)
        xs_src = self._positions(len(self.source), left, right)
        xs_out = self._positions(len(self.output), left, right)
        # Lines stop short of the words' boxes by half their width and a gap, so no round cap covers a word.
        words_top, words_bottom = margin + line_h * 1.4, bottom_y - 2
        accent = QColor(c["accent"])
        rows = range(len(self.output))
        # Faded rows first, the selected one on top.
        order = [r for r in rows if r != self.selected] + ([self.selected] if self.selected in rows else [])
        for r in order:
            for j in range(len(self.source)):
                if r >= self.matrix.shape[0] or j >= self.matrix.shape[1]:
                    continue
                w = float(self.matrix[r, j])
                if w < MIN_WEIGHT:
                    continue
                color = QColor(HIGHLIGHT) if r == self.selected else QColor(accent)
                fade = 0.35 if self.selected >= 0 and r != self.selected else 1.0
                color.setAlphaF(max(0.08, min(1.0, (0.15 + 0.85 * w) * fade)))
                width = theme.line_width(1.0 + 9.0 * w)
                painter.setPen(QPen(color, width, Qt.SolidLine, Qt.RoundCap))
                y0, y1 = words_top + width / 2 + 3, words_bottom - width / 2 - 3
                painter.drawLine(QPointF(xs_out[r], y1), QPointF(xs_src[j], y0))
        self._draw_words(painter, self.source, xs_src, margin, line_h, fg, -1)
        self._draw_words(painter, self.output, xs_out, bottom_y - 2, line_h, fg, self.selected)
        painter.end()

    def _draw_words(self, painter, words, xs, y, line_h, fg, selected) -> None:
        fm = QFontMetrics(self.font())
        slot = (xs[1] - xs[0]) if len(xs) > 1 else self.width()
        for k, (word, x) in enumerate(zip(words, xs, strict=True)):
            text = fm.elidedText(word, Qt.ElideRight, int(max(slot - 4, fm.horizontalAdvance("…"))))
            font = painter.font()
            font.setBold(k == selected)
            painter.setFont(font)
            painter.setPen(QColor(HIGHLIGHT) if k == selected else fg)
            painter.drawText(QRectF(x - slot / 2, y, slot, line_h * 1.4), Qt.AlignCenter, text)
            font.setBold(False)
            painter.setFont(font)
