"""A word-wrapped label that asks its layout for the height its text needs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel


class WrapLabel(QLabel):
    """A word-wrapped rich-text label whose minimum height is what its text needs at its width, so a
    layout short of room scrolls (the lesson sits in a scroll area) rather than draw it over its
    neighbours (a plain QLabel's minimum is one line, whatever its text)."""

    def __init__(self, parent=None, object_name: str = "", text_format=Qt.RichText):
        super().__init__(parent)
        if object_name:
            self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(text_format)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)

    def needed_height(self, width: int | None = None) -> int:
        """The height the text needs at ``width`` (default: the label's own), measured on an unshown twin:
        QLabel's own heightForWidth never answers less than the minimum height already set."""
        if not self.text():
            return 0
        twin = QLabel()
        twin.setFont(self.font())
        twin.setTextFormat(self.textFormat())
        twin.setWordWrap(True)
        twin.setContentsMargins(self.contentsMargins())
        twin.setStyleSheet(self.styleSheet())  # a note strip's padding
        twin.setText(self.text())
        return twin.heightForWidth(self.width() if width is None else width)

    def _fit(self) -> None:
        # Before its first layout a label is a few pixels wide: one word a line would ask for far too much.
        need = self.needed_height() if self.width() >= 8 * self.fontMetrics().averageCharWidth() else 0
        if need != self.minimumHeight():
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        super().setText(text)
        self._fit()

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802 - Qt naming
        super().setStyleSheet(sheet)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit()
