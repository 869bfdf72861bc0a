"""A read-only table of labelled numbers (word counts, vectors, step-by-step values)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


def format_number(value) -> str:
    if isinstance(value, str):
        return value
    f = float(value)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return f"{f:.4g}"


class NumberTable(QTableWidget):
    def __init__(self, parent=None, object_name: str = "numberTable"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)

    def set_rows(self, headers: list[str], rows: list[list], row_headers: list[str] | None = None) -> None:
        self.setUpdatesEnabled(False)
        self.clear()
        self.setColumnCount(len(headers))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels(headers)
        if row_headers is not None:
            self.verticalHeader().setVisible(True)
            self.setVerticalHeaderLabels(row_headers)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                item = QTableWidgetItem(format_number(value))
                if not isinstance(value, str):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.setItem(i, j, item)
        self.setUpdatesEnabled(True)

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item is not None else ""
