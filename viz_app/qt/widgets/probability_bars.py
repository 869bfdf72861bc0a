"""Horizontal probability bars, one row per candidate token: the label, a bar as long as the
probability, and the number. A row can carry a second, thinner bar (the probability after
temperature / top-k / top-p) and can be greyed out (sampling can no longer pick it). Clicking a row
emits its index; hovering shows the exact numbers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from viz_app.qt import theme
from viz_app.qt.widgets.heatmap import elide_token


def probability_text(p: float, digits: int = 4) -> str:
    """A probability as it is shown: ``digits`` decimals, or scientific notation where those would read 0
    (1.2e-05, not 0.0000)."""
    return f"{p:.{digits}f}" if p == 0 or abs(p) >= 10.0**-digits else f"{p:.1e}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0..1
    second: float | None = None  # a second probability drawn under the first (e.g. after sampling filters)
    greyed: bool = False
    tip: str = ""


class ProbabilityBars(QWidget):
    rowClicked = Signal(int)

    def __init__(self, parent=None, object_name: str = "probabilityBars", title: str = ""):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.bars: list[Bar] = []
        self.title = title
        self.scale_to_max = False  # bars relative to the largest value instead of to 1
        self.clickable = False

    def set_bars(self, bars: list[Bar], title: str | None = None) -> None:
        self.bars = list(bars)
        if title is not None:
            self.title = title
        self.setCursor(Qt.PointingHandCursor if self.clickable and self.bars else Qt.ArrowCursor)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> float:
        return QFontMetrics(self.font()).height() + 6

    def _top(self) -> float:
        return self._row_height() + 4 if self.title else 4

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(360, int(self._top() + max(1, len(self.bars)) * self._row_height() + 6))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(200, self.sizeHint().height())

    def row_at(self, y: float) -> int:
        k = int((y - self._top()) // self._row_height())
        return k if 0 <= k < len(self.bars) and y >= self._top() else -1

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor(c["background"]))
        fm = QFontMetrics(self.font())
        fg, muted, accent = QColor(c["foreground"]), QColor(c["muted"]), QColor(c["accent"])
        if self.title:
            p.setPen(fg)
            p.drawText(QRectF(6, 2, self.width() - 12, self._row_height()), Qt.AlignLeft | Qt.AlignVCenter, self.title)
        if not self.bars:
            return
        # The whole token (shortened only past 12 characters; hovering names it in full), unless the widget is
        # too narrow to leave the bars half of it.
        label_w = min(max(fm.horizontalAdvance(elide_token(b.label)) for b in self.bars) + 12, self.width() * 0.5)
        number_w = fm.horizontalAdvance("0.0000") + 10
        left, right = label_w + 6, self.width() - number_w - 6
        top_value = max(max(b.value for b in self.bars), 1e-9) if self.scale_to_max else 1.0
        h = self._row_height()
        for k, bar in enumerate(self.bars):
            y = self._top() + k * h
            colour = muted if bar.greyed else fg
            p.setPen(colour)
            label = fm.elidedText(elide_token(bar.label), Qt.ElideRight, int(label_w - 8))
            p.drawText(QRectF(4, y, label_w - 8, h), Qt.AlignRight | Qt.AlignVCenter, label)
            width = max(0.0, (right - left) * min(1.0, bar.value / top_value))
            fill = QColor(muted if bar.greyed else accent)
            if bar.greyed:
                fill.setAlpha(110)
            main_h = h - 8 if bar.second is None else (h - 8) * 0.6
            p.fillRect(QRectF(left, y + 4, width, main_h), fill)
            if bar.second is not None:
                second = QColor("#ff7f0e")
                w2 = max(0.0, (right - left) * min(1.0, bar.second / top_value))
                p.fillRect(QRectF(left, y + 4 + main_h + 1, w2, (h - 8) * 0.4 - 1), second)
            p.setPen(colour)
            p.drawText(QRectF(right + 4, y, number_w, h), Qt.AlignLeft | Qt.AlignVCenter, probability_text(bar.value))

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt naming
        k = self.row_at(event.position().y())
        if k >= 0:
            b = self.bars[k]
            tip = b.tip or f"{b.label}: {probability_text(b.value, 6)}"
            if b.label not in tip:  # a shortened label is named in full
                tip = f"{b.label}\n{tip}"
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        k = self.row_at(event.position().y())
        if k >= 0 and self.clickable:
            self.rowClicked.emit(k)
