"""The lecture's toy RNN drawn as a network, with the values of one time step on its nodes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.number_table import format_number

# Node fill colours: input, memory, hidden, output (readable in both themes with dark text).
FILL = {"x": "#ffe08a", "a": "#9cc9f5", "h": "#a6e3a1", "y": "#f9b97a"}


class RnnDiagram(QWidget):
    def __init__(self, title: str, parent=None, object_name: str = "rnnDiagram"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.title = title
        self.setMinimumSize(200, 230)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.values: dict[str, np.ndarray] | None = None  # x, a, h, y for the shown step
        self.step_label = ""

    def set_step(self, step_label: str, x, a, h, y) -> None:
        self.step_label = step_label
        self.values = {k: np.asarray(v, dtype=float) for k, v in (("x", x), ("a", a), ("h", h), ("y", y))}
        self.update()

    def clear(self) -> None:
        self.values = None
        self.update()

    def _positions(self, w: float, h: float) -> dict[str, list[QPointF]]:
        top = 0.16 * h

        def row(y_frac: float, xs: tuple[float, float]) -> list[QPointF]:
            return [QPointF(w * xf, top + (h - top) * y_frac) for xf in xs]

        return {
            "y": row(0.06, (0.38, 0.66)),
            "h": row(0.40, (0.38, 0.66)),
            "x": row(0.84, (0.38, 0.66)),
            "a": row(0.66, (0.10, 0.90)),
        }

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        w, h = float(self.width()), float(self.height())
        font = QFont(self.font())
        p.setFont(font)
        fm = p.fontMetrics()
        fg = QColor(c["foreground"])
        p.setPen(fg)
        p.drawText(
            QRectF(0, 0, w, fm.height() * 1.2), Qt.AlignHCenter | Qt.AlignVCenter, f"{self.title}  {self.step_label}"
        )
        pos = self._positions(w, h)
        radius = max(fm.height() * 1.25, min(w, h) * 0.075)
        edge = QPen(QColor(c["muted"]), theme.line_width(1.6))
        p.setPen(edge)
        for src in ("x", "a"):
            for s in pos[src]:
                for t in pos["h"]:
                    p.drawLine(s, t)
        for s in pos["h"]:
            for t in pos["y"]:
                p.drawLine(s, t)
        # The hidden values are copied into the memory cells after the step (dashed).
        store = QPen(QColor(c["accent"]), theme.line_width(1.8), Qt.DashLine)
        p.setPen(store)
        for hn, an in zip(pos["h"], pos["a"], strict=True):
            p.drawLine(hn, an)
        names = {"x": ("x₁", "x₂"), "a": ("a₁", "a₂"), "h": ("h₁", "h₂"), "y": ("y₁", "y₂")}
        for kind, points in pos.items():
            for i, centre in enumerate(points):
                p.setPen(QPen(QColor("#303030"), 1.4))
                p.setBrush(QColor(FILL[kind]))
                if kind == "a":
                    p.drawRect(QRectF(centre.x() - radius, centre.y() - radius * 0.8, 2 * radius, 1.6 * radius))
                else:
                    p.drawEllipse(centre, radius, radius)
                value = "" if self.values is None else format_number(self.values[kind][i])
                p.setPen(QColor("#000000"))
                p.drawText(
                    QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), Qt.AlignCenter, value
                )
                p.setPen(fg)
                label_rect = QRectF(
                    centre.x() + radius + 3, centre.y() - fm.height(), fm.horizontalAdvance("a₁ ") + 4, fm.height()
                )
                if kind == "a":
                    label_rect = QRectF(centre.x() - radius, centre.y() + radius * 0.85, 2 * radius, fm.height())
                    p.drawText(label_rect, Qt.AlignHCenter, names[kind][i])
                else:
                    p.drawText(label_rect, Qt.AlignLeft, names[kind][i])
        p.setPen(QColor(c["muted"]))
        p.drawText(
            QRectF(0, h - fm.height() * 1.2, w, fm.height() * 1.2),
            Qt.AlignHCenter,
            tr("all weights 1 · no bias · linear · dashed: memory ← h"),
        )
        p.end()
