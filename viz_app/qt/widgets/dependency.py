"""Parallel vs sequential, drawn: an RNN (each state waits for the one before), self-attention (every
output reads every input at once) and a stacked 1-D CNN (a unit in a higher layer sees a longer span;
click a unit to highlight the input words it can see)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.core.lessons.transformer import cnn_span
from viz_app.qt import theme
from viz_app.qt.i18n import tr

HIGHLIGHT = "#ff7f0e"
CNN_LAYERS = 4
KERNEL = 3


class DependencyDiagram(QWidget):
    unitChosen = Signal(int, int)  # CNN layer (1-based), position

    def __init__(self, parent=None, object_name: str = "dependencyDiagram"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.tokens: list[str] = []
        self.chosen: tuple[int, int] = (CNN_LAYERS, 0)
        self._units: dict[tuple[int, int], QRectF] = {}

    def set_tokens(self, tokens: list[str]) -> None:
        self.tokens = list(tokens)
        layer, pos = self.chosen
        self.chosen = (layer, min(pos, max(0, len(tokens) - 1)) if tokens else 0)
        if tokens and self.chosen == (CNN_LAYERS, 0):
            self.chosen = (CNN_LAYERS, len(tokens) // 2)
        self.update()

    def choose(self, layer: int, position: int) -> None:
        self.chosen = (layer, position)
        self.update()
        self.unitChosen.emit(layer, position)

    def span(self) -> tuple[int, int]:
        layer, pos = self.chosen
        return cnn_span(layer, pos, len(self.tokens), KERNEL)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return QSize(700, QFontMetrics(self.font()).height() * 30)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        # Three panels of six lines: a panel's name and note, its boxes and its words; the CNN's four layers.
        return QSize(300, QFontMetrics(self.font()).height() * 18 + 16)

    def label_width(self) -> float:
        """The width of the left column that names each panel (its note wraps in it)."""
        fm = QFontMetrics(self.font())
        names = max(fm.horizontalAdvance(tr("self-attention")), fm.horizontalAdvance(tr("1-D CNN")))
        return max(names, min(self.width() * 0.2, fm.averageCharWidth() * 18)) + 24

    def _xs(self, n: int, left: float) -> list[float]:
        right = self.width() - 12
        step = (right - left) / max(n, 1)
        return [left + step * (k + 0.5) for k in range(n)]

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor(c["background"]))
        fm = QFontMetrics(self.font())
        lh = fm.height()
        fg, muted, accent = QColor(c["foreground"]), QColor(c["muted"]), QColor(c["accent"])
        n = len(self.tokens)
        if not n:
            painter.end()
            return
        self_attention, cnn = tr("self-attention"), tr("1-D CNN")
        left = self.label_width()
        xs = self._xs(n, left)
        slot = (xs[1] - xs[0]) if n > 1 else 80
        box_w = min(slot * 0.8, fm.horizontalAdvance("h99") + 12)
        panel = (self.height() - 16) / 3

        def box(x, y, text, pen, fill=None):
            rect = QRectF(x - box_w / 2, y - lh * 0.7, box_w, lh * 1.4)
            painter.setPen(pen)
            painter.setBrush(QColor(fill) if fill else QColor(c["background"]))
            painter.drawRoundedRect(rect, 4, 4)
            painter.drawText(rect, Qt.AlignCenter, text)
            return rect

        def words(y, highlight=range(0)):
            for k, (x, t) in enumerate(zip(xs, self.tokens, strict=True)):
                painter.setPen(QColor(HIGHLIGHT) if k in highlight else fg)
                text = fm.elidedText(t, Qt.ElideRight, int(slot - 4))
                painter.drawText(QRectF(x - slot / 2, y - lh / 2, slot, lh), Qt.AlignCenter, text)

        def arrow(p0: QPointF, p1: QPointF, pen: QPen):
            painter.setPen(pen)
            painter.drawLine(p0, p1)
            d = p1 - p0
            length = max((d.x() ** 2 + d.y() ** 2) ** 0.5, 1e-6)
            ux, uy = d.x() / length, d.y() / length
            tip = QPolygonF(
                [
                    p1,
                    QPointF(p1.x() - 7 * ux + 3.5 * uy, p1.y() - 7 * uy - 3.5 * ux),
                    QPointF(p1.x() - 7 * ux - 3.5 * uy, p1.y() - 7 * uy + 3.5 * ux),
                ]
            )
            painter.setBrush(pen.color())
            painter.drawPolygon(tip)

        # 1. RNN: a chain.
        top = 8
        painter.setPen(fg)
        painter.drawText(QRectF(4, top, left, lh), Qt.AlignLeft, "RNN")
        painter.setPen(muted)
        painter.drawText(
            QRectF(4, top + lh, left - 8, panel - lh), Qt.TextWordWrap, tr("{n} steps, one after another").format(n=n)
        )
        y_words, y_states = top + panel - lh, top + panel * 0.45
        words(y_words)
        for k, x in enumerate(xs):
            rect = box(x, y_states, f"h{k + 1}", QPen(fg))
            arrow(QPointF(x, y_words - lh * 0.6), QPointF(x, rect.bottom()), QPen(muted, theme.line_width(1)))
            if k:
                arrow(
                    QPointF(xs[k - 1] + box_w / 2, y_states),
                    QPointF(rect.left(), y_states),
                    QPen(accent, theme.line_width(2)),
                )
        # 2. Self-attention: everything at once.
        top += panel
        painter.setPen(fg)
        painter.drawText(QRectF(4, top, left, lh), Qt.AlignLeft, self_attention)
        painter.setPen(muted)
        painter.drawText(QRectF(4, top + lh, left - 8, panel - lh), Qt.TextWordWrap, tr("1 step: b1 … bn in parallel"))
        y_words, y_out = top + panel - lh, top + panel * 0.45
        words(y_words)
        pen = QPen(QColor(c["accent"]), theme.line_width(1))
        color = QColor(c["accent"])
        color.setAlphaF(0.35)
        pen.setColor(color)
        painter.setPen(pen)
        for x_out in xs:
            for x_in in xs:
                painter.drawLine(QPointF(x_in, y_words - lh * 0.6), QPointF(x_out, y_out + lh * 0.7))
        for k, x in enumerate(xs):
            box(x, y_out, f"b{k + 1}", QPen(fg))
        # 3. Stacked 1-D CNN with kernel 3.
        top += panel
        painter.setPen(fg)
        painter.drawText(QRectF(4, top, left, lh), Qt.AlignLeft, cnn)
        painter.setPen(muted)
        lo, hi = self.span()
        painter.drawText(
            QRectF(4, top + lh, left - 8, panel - lh),
            Qt.TextWordWrap,
            tr("kernel {kernel}; click a unit: layer {layer} sees {n} words").format(
                kernel=KERNEL, layer=self.chosen[0], n=hi - lo + 1
            ),
        )
        y_words = top + panel - lh
        gap = (panel - 2 * lh) / (CNN_LAYERS + 0.5)
        words(y_words, range(lo, hi + 1))
        self._units = {}
        chosen_layer, chosen_pos = self.chosen
        for layer in range(1, CNN_LAYERS + 1):
            y = y_words - gap * layer
            for k, x in enumerate(xs):
                # The units that feed the chosen one: within reach of it, one layer down at a time.
                feeds = layer <= chosen_layer and abs(k - chosen_pos) <= (chosen_layer - layer) * (KERNEL - 1) // 2
                r = min(box_w, gap * 0.8) / 2
                rect = QRectF(x - r, y - r * 0.6, 2 * r, 1.2 * r)
                self._units[(layer, k)] = rect
                painter.setPen(
                    QPen(QColor(HIGHLIGHT) if feeds else muted, theme.line_width(2 if (layer, k) == self.chosen else 1))
                )
                painter.setBrush(QColor(HIGHLIGHT) if (layer, k) == self.chosen else QColor(c["background"]))
                painter.drawRect(rect)
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        for (layer, k), rect in self._units.items():
            if rect.adjusted(-3, -3, 3, 3).contains(event.position()):
                self.choose(layer, k)
                return
