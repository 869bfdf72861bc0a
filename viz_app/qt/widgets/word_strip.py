"""The typed text as a row of word chips (wrapping onto new lines): double-click a word to ask for it
to be replaced (the fill-mask lesson masks it). Chips whose text is [MASK] are drawn highlighted."""

from __future__ import annotations

import re

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr

WORD = re.compile(r"\[mask\]|<mask>|\w+(?:['’]\w+)*|[^\w\s]", re.I)


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]


class WordStrip(QWidget):
    wordDoubleClicked = Signal(int, int)  # character span (start, end) in the text

    def __init__(self, parent=None, object_name: str = "wordStrip"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.words: list[tuple[str, int, int]] = []
        self.setToolTip(tr("double-click a word to replace it with [MASK]"))

    def set_text(self, text: str) -> None:
        self.words = words_with_spans(text)[:400]
        self.updateGeometry()
        self.update()

    def _rects(self, width: float) -> list[QRectF]:
        fm = QFontMetrics(self.font())
        h = fm.height() + 8
        x, y, rects = 4.0, 4.0, []
        for word, _s, _e in self.words:
            w = fm.horizontalAdvance(word) + 14
            if x + w > width - 4 and x > 4:
                x, y = 4.0, y + h + 4
            rects.append(QRectF(x, y, w, h))
            x += w + 4
        return rects

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        rects = self._rects(max(self.width(), 300))
        bottom = rects[-1].bottom() + 4 if rects else QFontMetrics(self.font()).height() + 16
        return QSize(300, int(bottom))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        rects = self._rects(width)
        return int(rects[-1].bottom() + 4) if rects else QFontMetrics(self.font()).height() + 16

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self.setMinimumHeight(self.heightForWidth(self.width()))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fg, accent = QColor(c["foreground"]), QColor(c["accent"])
        for (word, _s, _e), rect in zip(self.words, self._rects(self.width()), strict=True):
            masked = word.lower() in ("[mask]", "<mask>")
            p.setPen(QPen(accent if masked else QColor(c["muted"]), 1.2))
            fill = QColor(accent)
            fill.setAlpha(60 if masked else 0)
            p.setBrush(fill)
            p.drawRoundedRect(rect, 5, 5)
            p.setPen(fg)
            p.drawText(rect, Qt.AlignCenter, word)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt naming
        pos = event.position()
        for (_w, start, end), rect in zip(self.words, self._rects(self.width()), strict=True):
            if rect.contains(pos):
                self.wordDoubleClicked.emit(start, end)
                return
