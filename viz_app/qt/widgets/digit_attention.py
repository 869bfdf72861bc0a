"""Generated 8x8 digits and, for a chosen image and pixel, where that pixel's self-attention looks.

Left: every generated digit (one row per class); click one. Right: the chosen digit large, and over it
the attention map of the chosen pixel (click a pixel) in orange, as strong as its weight."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr

HIGHLIGHT = QColor("#ff7f0e")


class DigitAttention(QWidget):
    chosen = Signal(int, int)  # image index, pixel index (0..63)

    def __init__(self, parent=None, object_name: str = "digitAttention"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.images = np.zeros((0, 8, 8), np.float32)
        self.labels = np.zeros(0, int)
        self.attention = np.zeros((0, 64, 64), np.float32)
        self.per_row = 6
        self.image_index = 0
        self.pixel = 27  # row 3, column 3

    def set_generated(self, images, labels, attention, per_row: int) -> None:
        self.images, self.labels, self.attention = np.asarray(images), np.asarray(labels), np.asarray(attention)
        self.per_row = per_row
        self.image_index = min(self.image_index, max(0, len(self.images) - 1))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(760, 460)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(400, 300)

    def _layout(self):
        rows = max(1, -(-len(self.images) // self.per_row))
        cell = max(8.0, min((self.height() - 16) / rows, (self.width() * 0.45) / self.per_row))
        big = max(40.0, min(self.height() - 40, self.width() - self.per_row * cell - 40))
        big_left = self.per_row * cell + 24
        return cell, big, big_left

    def thumb_rect(self, k: int) -> QRectF:
        cell, _big, _left = self._layout()
        r, c = divmod(k, self.per_row)
        return QRectF(8 + c * cell, 8 + r * cell, cell - 3, cell - 3)

    def big_rect(self) -> QRectF:
        _cell, big, left = self._layout()
        return QRectF(left, 28, big, big)

    def _draw_digit(self, painter: QPainter, rect: QRectF, image: np.ndarray) -> None:
        px = rect.width() / 8
        for i in range(8):
            for j in range(8):
                v = int(255 * (1.0 - float(image[i, j])))  # ink is dark on white paper
                painter.fillRect(QRectF(rect.left() + j * px, rect.top() + i * px, px + 0.5, px + 0.5), QColor(v, v, v))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(c["background"]))
        if not len(self.images):
            painter.end()
            return
        for k, image in enumerate(self.images):
            rect = self.thumb_rect(k)
            self._draw_digit(painter, rect, image)
            if k == self.image_index:
                painter.setPen(QPen(HIGHLIGHT, 3))
                painter.drawRect(rect.adjusted(-1, -1, 1, 1))
        big = self.big_rect()
        self._draw_digit(painter, big, self.images[self.image_index])
        weights = self.attention[self.image_index, self.pixel]  # (64,)
        top = float(weights.max()) or 1.0
        px = big.width() / 8
        for pos, w in enumerate(weights):
            i, j = divmod(pos, 8)
            color = QColor(HIGHLIGHT)
            color.setAlphaF(min(0.85, 0.85 * float(w) / top))
            painter.fillRect(QRectF(big.left() + j * px, big.top() + i * px, px, px), color)
        qi, qj = divmod(self.pixel, 8)
        painter.setPen(QPen(QColor("#1f77b4"), 3))
        painter.drawRect(QRectF(big.left() + qj * px, big.top() + qi * px, px, px))
        painter.setPen(QColor(c["foreground"]))
        fm = QFontMetrics(self.font())
        painter.drawText(
            QRectF(big.left(), 4, big.width() + 200, fm.height() + 4),
            Qt.AlignLeft,
            tr("digit {digit}: pixel ({row}, {column}) attends to (orange, max {top})").format(
                digit=int(self.labels[self.image_index]), row=qi, column=qj, top=f"{top:.2f}"
            ),
        )
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        point = event.position()
        for k in range(len(self.images)):
            if self.thumb_rect(k).contains(point):
                self.image_index = k
                self.update()
                self.chosen.emit(self.image_index, self.pixel)
                return
        big = self.big_rect()
        if big.contains(point):
            px = big.width() / 8
            self.pixel = int((point.y() - big.top()) // px) * 8 + int((point.x() - big.left()) // px)
            self.update()
            self.chosen.emit(self.image_index, self.pixel)
