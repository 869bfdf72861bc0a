"""Two groups of controls on one line where the width holds both, else one under the other."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QWidget


class SideBySide(QWidget):
    """Two groups of controls on one line where the width holds both, else the second under the first
    (the Try buttons under the Layer and Head boxes at 1024 px in presentation mode)."""

    def __init__(self, first: QWidget, second: QWidget, parent=None):
        super().__init__(parent)
        self.first, self.second = first, second
        self.box = QBoxLayout(QBoxLayout.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(first)
        self.box.addWidget(second, 1)

    def one_line_width(self) -> int:
        return self.first.sizeHint().width() + self.box.spacing() + self.second.sizeHint().width()

    def stacked(self) -> bool:
        return self.box.direction() == QBoxLayout.TopToBottom

    def _arrange(self) -> None:
        wanted = QBoxLayout.LeftToRight if self.width() >= self.one_line_width() else QBoxLayout.TopToBottom
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
            self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._arrange()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        a, b = self.first.minimumSizeHint(), self.second.minimumSizeHint()
        if self.stacked():
            height = a.height() + self.box.spacing() + b.height()
        else:
            height = max(a.height(), b.height())
        return QSize(max(a.width(), b.width()), height)
