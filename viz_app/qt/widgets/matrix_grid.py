"""Many small attention maps at once (every layer x every head), painted as images so that even
512 x 512 maps draw quickly; clicking one emits its (row, column) in the grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr


def to_image(matrix: np.ndarray, lut: np.ndarray, levels: tuple[float, float] = (0.0, 1.0)) -> QImage:
    """(R, C) numbers -> an RGB image through a 256-entry colour table."""
    lo, hi = levels
    idx = np.clip((np.asarray(matrix, np.float32) - lo) / max(hi - lo, 1e-12) * 255, 0, 255).astype(np.uint8)
    rgb = np.ascontiguousarray(lut[idx][..., :3].astype(np.uint8))
    h, w = idx.shape
    image = QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888)
    return image.copy()  # own the pixels (rgb is freed when this returns)


class MatrixGrid(QWidget):
    cellChosen = Signal(int, int)  # grid row (layer), grid column (head)

    def __init__(self, parent=None, object_name: str = "matrixGrid"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMouseTracking(True)
        self._images: list[list[QImage]] = []
        self.row_titles: list[str] = []
        self.col_titles: list[str] = []
        self.selected: tuple[int, int] | None = None
        self._lut = theme.lookup_table("viridis")

    def set_matrices(self, matrices: np.ndarray, row_titles: list[str], col_titles: list[str]) -> None:
        """matrices (rows, cols, T, T') with values in 0..1 (attention weights)."""
        self._lut = theme.lookup_table("viridis")  # the user's sequential map, a private copy
        self._images = [[to_image(m, self._lut) for m in row] for row in matrices]
        self.row_titles, self.col_titles = list(row_titles), list(col_titles)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(640, 280)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(240, 120)

    def _geometry(self):
        fm = QFontMetrics(self.font())
        rows = len(self._images)
        cols = len(self._images[0]) if rows else 0
        left = max((fm.horizontalAdvance(t) for t in self.row_titles), default=0) + 10
        top = fm.height() + 4
        gap = 6
        if not rows or not cols:
            return left, top, 0, rows, cols, gap
        size = min((self.width() - left - gap * cols) / cols, (self.height() - top - gap * rows) / rows)
        return left, top, max(4.0, size), rows, cols, gap

    def cell_rect(self, r: int, c: int) -> QRectF:
        left, top, size, _rows, _cols, gap = self._geometry()
        return QRectF(left + c * (size + gap), top + r * (size + gap), size, size)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        colors = theme.colors()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(colors["background"]))
        left, top, size, rows, cols, gap = self._geometry()
        fg = QColor(colors["foreground"])
        painter.setPen(fg)
        for c in range(cols):
            rect = self.cell_rect(0, c)
            title = self.col_titles[c] if c < len(self.col_titles) else ""
            painter.drawText(QRectF(rect.left(), 0, rect.width(), top), Qt.AlignCenter, title)
        for r in range(rows):
            rect = self.cell_rect(r, 0)
            title = self.row_titles[r] if r < len(self.row_titles) else ""
            painter.drawText(QRectF(0, rect.top(), left - 6, rect.height()), Qt.AlignRight | Qt.AlignVCenter, title)
            for c in range(cols):
                rect = self.cell_rect(r, c)
                painter.drawImage(rect, self._images[r][c])
                if self.selected == (r, c):
                    painter.setPen(QPen(QColor(theme.HIGHLIGHT), 3))
                    painter.drawRect(rect.adjusted(-2, -2, 2, 2))
                    painter.setPen(fg)
        painter.end()

    def cell_at(self, point) -> tuple[int, int] | None:
        for r in range(len(self._images)):
            for c in range(len(self._images[r])):
                if self.cell_rect(r, c).contains(point):
                    return r, c
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        cell = self.cell_at(event.position())
        if cell is not None:
            self.selected = cell
            self.update()
            self.cellChosen.emit(*cell)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt naming
        cell = self.cell_at(event.position())
        if cell is None:
            self.setToolTip("")
            return
        r, c = cell
        rt = self.row_titles[r] if r < len(self.row_titles) else tr("row {row}").format(row=r)
        ct = self.col_titles[c] if c < len(self.col_titles) else tr("column {column}").format(column=c)
        self.setToolTip(tr("{row}, {column}: click to open it large").format(row=rt, column=ct))
