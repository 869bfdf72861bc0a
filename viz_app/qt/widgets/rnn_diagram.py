"""The lecture's toy RNN drawn as a network, with the values of one time step on its nodes.

Everything is sized from the font and the room there is: the title wraps onto a second line when the
widget is narrow, the nodes shrink to what their numbers need, and the minimum size is what that needs,
so the layout around it never has to squeeze the drawing under the text below it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from viz_app.qt import theme
from viz_app.qt.widgets.number_table import format_number

# Node fill colours: input, memory, hidden, output (readable in both themes with dark text).
FILL = {"x": "#ffe08a", "a": "#9cc9f5", "h": "#a6e3a1", "y": "#f9b97a"}
NAMES = {"x": ("x₁", "x₂"), "a": ("a₁", "a₂"), "h": ("h₁", "h₂"), "y": ("y₁", "y₂")}
ROWS_IN_RADII = 7.6  # the height of the node area, in node radii: three rows of circles and the gaps
WIDTH_IN_RADII = 11.0  # the memory squares sit at 10% and 90% of the width, the others between
TITLE_FLAGS = int(Qt.AlignHCenter | Qt.AlignTop | Qt.TextWordWrap)


class RnnDiagram(QWidget):
    def __init__(self, title: str, parent=None, object_name: str = "rnnDiagram"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.title = title
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.values: dict[str, np.ndarray] | None = None  # x, a, h, y for the shown step
        self.step_label = ""

    def set_step(self, step_label: str, x, a, h, y) -> None:
        self.step_label = step_label
        self.values = {k: np.asarray(v, dtype=float) for k, v in (("x", x), ("a", a), ("h", h), ("y", y))}
        self.updateGeometry()  # longer numbers need larger nodes
        self.update()

    def clear(self) -> None:
        self.values = None
        self.updateGeometry()
        self.update()

    # --- geometry -----------------------------------------------------------------------------
    def heading(self) -> str:
        return f"{self.title}  {self.step_label}".strip()

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(QFont(self.font()))

    def text_radius(self) -> float:
        """The smallest node radius that holds its number (at least two digits) with a margin."""
        fm = self._metrics()
        texts = ["88"]
        if self.values is not None:
            texts += [format_number(v) for values in self.values.values() for v in values]
        widest = max(fm.horizontalAdvance(t) for t in texts)
        return max(fm.height() * 0.7, widest / 2 + 4)

    def title_height(self, width: float) -> float:
        fm = self._metrics()
        rect = fm.boundingRect(QRectF(0, 0, max(width, 1.0), 10000), TITLE_FLAGS, self.heading())
        return rect.height() + fm.height() * 0.2

    def label_width(self) -> float:
        return self._metrics().horizontalAdvance("a₂ ") + 4

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        fm = self._metrics()
        r = self.text_radius()
        width = max(WIDTH_IN_RADII * r + 2 * self.label_width(), fm.horizontalAdvance(self.title) + 8)
        title = min(self.title_height(width), 2 * fm.height() * 1.1 + 4)  # the heading wraps to two lines
        height = title + ROWS_IN_RADII * r + fm.height() + 4
        return QSize(int(np.ceil(width)), int(np.ceil(height)))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        small = self.minimumSizeHint()
        return QSize(int(small.width() * 1.6), int(small.height() * 1.4))

    def layout_nodes(self) -> tuple[QRectF, float, dict[str, list[QPointF]]]:
        """(the title's rectangle, the node radius, the centre of every node) for the widget's size."""
        fm = self._metrics()
        w, h = float(self.width()), float(self.height())
        title = QRectF(0, 0, w, self.title_height(w))
        top = title.bottom() + 2
        below = fm.height() + 2  # the a labels under the squares
        room = max(h - top - below, 1.0)
        fit = min(room / ROWS_IN_RADII, (w - 2 * self.label_width()) / WIDTH_IN_RADII)
        r = max(self.text_radius(), min(fit, max(fm.height() * 1.25, 0.075 * min(w, h))))
        y_row = top + r
        x_row = top + room - r
        span = x_row - y_row

        def row(yc: float, xs: tuple[float, float]) -> list[QPointF]:
            return [QPointF(w * xf, yc) for xf in xs]

        return (
            title,
            r,
            {
                "y": row(y_row, (0.38, 0.66)),
                "h": row(y_row + 0.45 * span, (0.38, 0.66)),
                "x": row(x_row, (0.38, 0.66)),
                "a": row(y_row + 0.72 * span, (0.10, 0.90)),
            },
        )

    def node_rects(self) -> dict[str, list[QRectF]]:
        """Where each node is drawn (the squares of the memory a are flatter than the circles)."""
        _title, r, pos = self.layout_nodes()
        out = {}
        for kind, points in pos.items():
            ry = r * 0.8 if kind == "a" else r
            out[kind] = [QRectF(p.x() - r, p.y() - ry, 2 * r, 2 * ry) for p in points]
        return out

    # --- drawing ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        c = theme.colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setFont(QFont(self.font()))
        fm = self._metrics()
        fg = QColor(c["foreground"])
        title, radius, pos = self.layout_nodes()
        p.setPen(fg)
        p.drawText(title, TITLE_FLAGS, self.heading())
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
        rects = self.node_rects()
        for kind, points in pos.items():
            for i, centre in enumerate(points):
                p.setPen(QPen(QColor("#303030"), 1.4))
                p.setBrush(QColor(FILL[kind]))
                if kind == "a":
                    p.drawRect(rects[kind][i])
                else:
                    p.drawEllipse(centre, radius, radius)
                value = "" if self.values is None else format_number(self.values[kind][i])
                p.setPen(QColor("#000000"))
                p.drawText(
                    QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), Qt.AlignCenter, value
                )
                p.setPen(fg)
                if kind == "a":
                    below = QRectF(centre.x() - radius, rects[kind][i].bottom() + 1, 2 * radius, fm.height())
                    p.drawText(below, Qt.AlignHCenter, NAMES[kind][i])
                else:
                    beside = QRectF(centre.x() + radius + 3, centre.y() - fm.height(), self.label_width(), fm.height())
                    p.drawText(beside, Qt.AlignLeft, NAMES[kind][i])
        p.end()
