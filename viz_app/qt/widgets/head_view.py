"""Attention of one layer drawn as lines between the tokens and themselves: each token twice, in a
column on the left (the one attending, the query) and on the right (the one attended to, the key),
a line per head in the head's own colour, as opaque as its weight. Heads can be switched off;
hovering a token on the left shows only its lines."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme

HEAD_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
MIN_WEIGHT = 0.03


def head_color(head: int) -> str:
    return HEAD_COLORS[head % len(HEAD_COLORS)]


class HeadView(QWidget):
    tokenHovered = Signal(int)  # -1 when the pointer leaves the tokens

    def __init__(self, parent=None, object_name: str = "headView"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.tokens: list[str] = []
        self.keys: list[str] = []
        self.weights = np.zeros((0, 0, 0), np.float32)  # (heads, T, T')
        self.enabled: list[bool] = []
        self.focus = -1  # the query token whose lines alone are drawn

    def set_attention(self, tokens: list[str], weights: np.ndarray, keys: list[str] | None = None) -> None:
        self.tokens = list(tokens)
        self.keys = list(keys) if keys is not None else list(tokens)
        self.weights = np.asarray(weights, np.float32)
        if len(self.enabled) != self.weights.shape[0]:
            self.enabled = [True] * self.weights.shape[0]
        self.focus = -1 if self.focus >= len(self.tokens) else self.focus
        self.updateGeometry()
        self.update()

    def set_head_enabled(self, head: int, on: bool) -> None:
        if 0 <= head < len(self.enabled):
            self.enabled[head] = on
            self.update()

    def _row_height(self) -> float:
        return QFontMetrics(self.font()).height() + 4

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        rows = max(len(self.tokens), len(self.keys), 2)
        return QSize(420, int(rows * self._row_height()) + 16)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return self.sizeHint()

    def _columns(self):
        fm = QFontMetrics(self.font())
        width = max((fm.horizontalAdvance(t) for t in self.tokens + self.keys), default=40) + 12
        return 8, width, self.width() - 8 - width, width  # left x, left width, right x, right width

    def token_at(self, point) -> int:
        left_x, width, _right_x, _ = self._columns()
        k = int((point.y() - 8) // self._row_height())
        if left_x <= point.x() <= left_x + width and 0 <= k < len(self.tokens):
            return k
        return -1

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor(c["background"]))
        row_h = self._row_height()
        left_x, width, right_x, right_w = self._columns()

        def y(k):
            return 8 + (k + 0.5) * row_h

        heads = self.weights.shape[0] if self.weights.ndim == 3 else 0
        active = [h for h in range(heads) if self.enabled[h]]
        # Long inputs: only the stronger lines (hovering a token still shows its own).
        floor = MIN_WEIGHT if len(self.tokens) <= 64 or self.focus >= 0 else 0.1
        for h in active:
            color = QColor(head_color(h))
            for i in range(self.weights.shape[1]):
                if self.focus >= 0 and i != self.focus:
                    continue
                for j in range(self.weights.shape[2]):
                    w = float(self.weights[h, i, j])
                    if w < floor:
                        continue
                    color.setAlphaF(min(1.0, 0.1 + 0.9 * w) / max(1.0, len(active) ** 0.5))
                    painter.setPen(QPen(color, theme.line_width(1 + 3 * w)))
                    painter.drawLine(QPointF(left_x + width, y(i)), QPointF(right_x, y(j)))
        fg = QColor(c["foreground"])
        for k, token in enumerate(self.tokens):
            painter.setPen(QColor("#ff7f0e") if k == self.focus else fg)
            rect = QRectF(left_x, y(k) - row_h / 2, width - 6, row_h)
            painter.drawText(rect, Qt.AlignRight | Qt.AlignVCenter, token)
        painter.setPen(fg)
        for k, token in enumerate(self.keys):
            rect = QRectF(right_x + 6, y(k) - row_h / 2, right_w - 6, row_h)
            painter.drawText(rect, Qt.AlignLeft | Qt.AlignVCenter, token)
        painter.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt naming
        k = self.token_at(event.position())
        if k != self.focus:
            self.focus = k
            self.tokenHovered.emit(k)
            self.update()

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if self.focus != -1:
            self.focus = -1
            self.tokenHovered.emit(-1)
            self.update()
        super().leaveEvent(event)
