"""A read-only table of labelled numbers (word counts, vectors, step-by-step values)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


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
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                text = texts[i][j]
                item = self.item(i, j)
                if item is None:
                    item = QTableWidgetItem(text)
                    self.setItem(i, j, item)
                elif item.text() != text:
                    item.setText(text)
                align = Qt.AlignLeft | Qt.AlignVCenter if isinstance(value, str) else Qt.AlignRight | Qt.AlignVCenter
                item.setTextAlignment(align)
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        if self.stretch_column is not None and self.stretch_column < len(headers):
            header.setSectionResizeMode(self.stretch_column, QHeaderView.Stretch)
        self.setUpdatesEnabled(True)

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item is not None else ""
