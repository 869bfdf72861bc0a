"""A beam search drawn as a tree: one column per output step, the hypotheses kept at that step
(best score on top) with their word and total log-probability, an edge to the hypothesis each one
extends, finished hypotheses (<end>) boxed, and the chosen path highlighted."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.widgets.heatmap import signed

HIGHLIGHT = "#ff7f0e"


class BeamTree(QWidget):
    def __init__(self, parent=None, object_name: str = "beamTree"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.nodes: list = []  # decode.BeamNode
        self.path: set[int] = set()
        self._layout: dict[int, QRectF] = {}
        self._root = QRectF()

    def set_tree(self, nodes, path) -> None:
        self.nodes, self.path = list(nodes), set(path)
        self._relayout()
        self.updateGeometry()
        self.update()

    def _metrics(self):
        fm = QFontMetrics(self.font())
        widest = max((fm.horizontalAdvance(n.word) for n in self.nodes), default=40)
        box_w = max(widest, fm.horizontalAdvance("−00.00")) + 16
        box_h = fm.height() * 2 + 8
        return fm, box_w, box_h, box_w + 36, box_h + 10

    def _relayout(self) -> None:
        fm, box_w, box_h, col_w, row_h = self._metrics()
        self._root = QRectF(8, 8, box_w, box_h)
        by_step: dict[int, list] = {}
        for n in self.nodes:
            by_step.setdefault(n.step, []).append(n)
        self._layout = {}
        for step, nodes in by_step.items():
            for row, n in enumerate(sorted(nodes, key=lambda n: -n.score)):
                self._layout[n.id] = QRectF(8 + (step + 1) * col_w, 8 + row * row_h, box_w, box_h)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        if not self._layout:
            return QSize(300, 120)
        right = max(r.right() for r in self._layout.values())
        bottom = max(r.bottom() for r in self._layout.values())
        return QSize(int(right) + 12, int(bottom) + 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return self.sizeHint()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        self._relayout()
        self.updateGeometry()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor(c["background"]))
        if not self.nodes:
            painter.end()
            return
        fg, muted, accent = QColor(c["foreground"]), QColor(c["muted"]), QColor(HIGHLIGHT)
        for n in self.nodes:  # edges first
            parent = self._root if n.parent == -1 else self._layout[n.parent]
            rect = self._layout[n.id]
            on_path = n.id in self.path
            painter.setPen(QPen(accent if on_path else muted, theme.line_width(3 if on_path else 1)))
            painter.drawLine(QPointF(parent.right(), parent.center().y()), QPointF(rect.left(), rect.center().y()))
        self._box(painter, self._root, "<start>", "0.00", fg, fg, False, False)
        for n in self.nodes:
            on_path = n.id in self.path
            self._box(
                painter,
                self._layout[n.id],
                n.word,
                signed(f"{n.score:.2f}"),  # a log-probability that rounds to 0 reads 0.00, not -0.00
                fg,
                accent if on_path else fg,
                on_path,
                n.finished,
            )
        painter.end()

    def _box(self, painter, rect: QRectF, word: str, score: str, fg, edge, bold: bool, finished: bool) -> None:
        c = theme.colors()
        painter.setBrush(QColor(c["background"]))
        painter.setPen(QPen(edge, theme.line_width(3 if bold else 1), Qt.SolidLine))
        painter.drawRoundedRect(rect, 5, 5)
        if finished:
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 3, 3)
        font = painter.font()
        font.setBold(bold)
        painter.setFont(font)
        half = rect.height() / 2
        painter.setPen(fg)
        painter.drawText(QRectF(rect.left(), rect.top() + 3, rect.width(), half - 2), Qt.AlignCenter, word)
        painter.setPen(QColor(c["muted"]) if not bold else fg)
        painter.drawText(QRectF(rect.left(), rect.top() + half, rect.width(), half - 3), Qt.AlignCenter, score)
        font.setBold(False)
        painter.setFont(font)

    def node_at(self, point) -> int:
        for node_id, rect in self._layout.items():
            if rect.contains(point):
                return node_id
        return -1
