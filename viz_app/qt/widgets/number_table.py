"""Read-only tables: labelled numbers (word counts, vectors, step-by-step values), and words shaded by a value."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


def format_number(value) -> str:
    if isinstance(value, str):
        return value
    f = float(value)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return f"{f:.4g}"


class NumberTable(QTableWidget):
    def __init__(self, parent=None, object_name: str = "numberTable", stretch_column: int | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.stretch_column = stretch_column  # this column takes the width left over (words elide)
        self._state: tuple | None = None
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Rows as tall as the font needs, no taller (more numbers on screen)."""
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_rows()

    def set_rows(self, headers: list[str], rows: list[list], row_headers: list[str] | None = None) -> None:
        """Show ``rows`` under ``headers``; unchanged cells and headers are left alone (typing stays fast)."""
        texts = [[format_number(v) for v in row] for row in rows]
        state = (list(headers), texts, None if row_headers is None else list(row_headers))
        if state == self._state:
            return
        old_headers = self._state[0] if self._state else None
        old_texts = self._state[1] if self._state else []
        self._state = state
        self.setUpdatesEnabled(False)
        # With "resize to contents" on, every changed cell re-measures its whole column (about 2 ms a cell
        # for a 64-row table): size the columns once, after filling.
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Fixed)
        if self.columnCount() != len(headers):
            self.setColumnCount(len(headers))
        if self.rowCount() != len(rows):
            self.setRowCount(len(rows))
        if headers != old_headers:
            self.setHorizontalHeaderLabels(headers)
        if row_headers is not None:
            self.verticalHeader().setVisible(True)
            self.setVerticalHeaderLabels(row_headers)
        left, right = Qt.AlignLeft | Qt.AlignVCenter, Qt.AlignRight | Qt.AlignVCenter
        for i, row in enumerate(rows):
            before = old_texts[i] if i < len(old_texts) else ()
            for j, value in enumerate(row):
                text = texts[i][j]
                if j < len(before) and before[j] == text and self.item(i, j) is not None:
                    continue  # as it was (its alignment too: a column keeps its kind)
                item = self.item(i, j)
                if item is None:
                    item = QTableWidgetItem(text)
                    self.setItem(i, j, item)
                else:
                    item.setText(text)
                item.setTextAlignment(left if isinstance(value, str) else right)
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        if self.stretch_column is not None and self.stretch_column < len(headers):
            header.setSectionResizeMode(self.stretch_column, QHeaderView.Stretch)
        self.setUpdatesEnabled(True)

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item is not None else ""


class ShadedTable(QTableWidget):
    """A table of words, each cell shaded by a value in 0..1 through the heatmaps' colour map (the same colours
    as every heatmap and their colour bars), its text in black or white, whichever reads on that shade.

    It fills its panel: while the words fit, the columns and rows share out the whole width and height; when
    they need more room than that, the columns keep their words' widths and the table scrolls. Header words
    longer than 12 characters are shortened, and name themselves in full on hover."""

    def __init__(self, parent=None, object_name: str = "shadedTable", font_scale: float = 1.2):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.setWordWrap(False)
        self.font_scale = font_scale
        self.values = np.zeros((0, 0), np.float32)
        self.full_headers: list[str] = []

    def cell_font(self) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self.font_scale)
        return font

    def set_cells(
        self,
        col_headers: list[str],
        row_headers: list[str],
        cells: list[list[tuple[str, float]]],
        tips: list[list[str]] | None = None,
        colormap: str = "viridis",
    ) -> None:
        """``cells[i][j]`` = (text, value in 0..1) for row ``i``, column ``j``."""
        from viz_app.qt import theme
        from viz_app.qt.widgets.heatmap import elide_token

        lut = theme.lookup_table(colormap)
        self.clear()
        self.setColumnCount(len(col_headers))
        self.setRowCount(len(row_headers))
        self.full_headers = [str(h) for h in col_headers]
        for j, token in enumerate(self.full_headers):
            head = QTableWidgetItem(elide_token(token))
            head.setToolTip(token)
            self.setHorizontalHeaderItem(j, head)
        self.setVerticalHeaderLabels([str(h) for h in row_headers])
        self.verticalHeader().setVisible(True)
        font = self.cell_font()
        values = np.zeros((len(row_headers), len(col_headers)), np.float32)
        for i, row in enumerate(cells):
            for j, (text, value) in enumerate(row):
                v = float(value) if np.isfinite(value) else 0.0
                values[i, j] = v
                rgb = lut[int(round(min(1.0, max(0.0, v)) * 255))][:3]
                item = QTableWidgetItem(str(text))
                item.setFont(font)
                item.setTextAlignment(Qt.AlignCenter)
                item.setBackground(QColor(int(rgb[0]), int(rgb[1]), int(rgb[2])))
                item.setForeground(QColor(theme.text_on(rgb)))
                if tips is not None:
                    item.setToolTip(tips[i][j])
                self.setItem(i, j, item)
        self.values = values
        self._fit()

    def needed_width(self) -> list[int]:
        fm = QFontMetrics(self.cell_font())
        widths = []
        for j in range(self.columnCount()):
            texts = [self.item(i, j).text() for i in range(self.rowCount()) if self.item(i, j) is not None]
            head = self.horizontalHeaderItem(j)
            texts.append(head.text() if head is not None else "")
            widths.append(max(fm.horizontalAdvance(t) for t in texts) + 18)
        return widths

    def _fit(self) -> None:
        header, rows = self.horizontalHeader(), self.verticalHeader()
        widths = self.needed_width()
        room = self.viewport().width()
        if widths and sum(widths) <= room:
            header.setSectionResizeMode(QHeaderView.Stretch)
        else:
            header.setSectionResizeMode(QHeaderView.Interactive)
            for j, w in enumerate(widths):
                header.resizeSection(j, w)
        row_h = QFontMetrics(self.cell_font()).height() + 12
        if self.rowCount() and self.rowCount() * row_h <= self.viewport().height():
            rows.setSectionResizeMode(QHeaderView.Stretch)
        else:
            rows.setSectionResizeMode(QHeaderView.Fixed)
            rows.setDefaultSectionSize(row_h)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and self.rowCount():
            font = self.cell_font()
            for i in range(self.rowCount()):
                for j in range(self.columnCount()):
                    if self.item(i, j) is not None:
                        self.item(i, j).setFont(font)
            self._fit()


class ColorLegend(QWidget):
    """A small colour bar for the colours of :class:`ShadedTable` (and every heatmap): "low ▕gradient▏ high"."""

    def __init__(self, parent=None, low: str = "0", high: str = "1", title: str = "", colormap: str = "viridis"):
        super().__init__(parent)
        self.low, self.high, self.title, self.colormap = low, high, title, colormap
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        fm = QFontMetrics(self.font())
        return QSize(fm.horizontalAdvance(f"{self.title} {self.low} {self.high}") + 200, fm.height() + 8)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        from viz_app.qt import theme

        fm = QFontMetrics(self.font())
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        x, h = 0, self.height()
        for text, bar in ((self.title, False), (self.low, False), ("", True), (self.high, False)):
            if bar:
                lut = theme.lookup_table(self.colormap)
                width, top, height = 160, 4, h - 8
                for k in range(width):
                    r, g, b = lut[int(k / (width - 1) * 255)][:3]
                    p.fillRect(QRectF(x + k, top, 1.0, height), QColor(int(r), int(g), int(b)))
                x += width + 6
            elif text:
                w = fm.horizontalAdvance(text)
                p.drawText(QRectF(x, 0, w + 2, h), Qt.AlignLeft | Qt.AlignVCenter, text)
                x += w + 6
        p.end()
