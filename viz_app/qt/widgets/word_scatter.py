"""A scatter of a whole vocabulary: every word a small dot, chosen words large and labelled.

One ScatterPlotItem takes all points in one ``setData`` call (numpy arrays, pxMode,
shared pens and brushes), so panning stays smooth with 100,000 points; hovering a dot
shows its word, clicking one emits ``wordClicked``. Arrows (for analogies) are drawn
as lines with a head.

Labels never overlap: each is tried above-right of its dot, then below-right, above-left,
below-left, right, left, above and below (in screen pixels, again after every zoom, pan or
resize); a label that fits nowhere is hidden, and hovering its dot still shows its word.
Labels sit on a translucent patch of the background and keep off the other chosen dots.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from viz_app.qt import theme

HIGHLIGHT = "#d62728"
# Where a label may sit around its dot, as TextItem anchors: above-right, below-right, above-left, below-left,
# then right, left, above and below.
LABEL_ANCHORS = ((0.0, 1.0), (0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (-0.1, 0.5), (1.1, 0.5), (0.5, 1.2), (0.5, -0.2))
LABEL_Z, ARROW_Z = 10, 20  # arrows over labels over dots
DOT_PX = 7  # half the size of a chosen dot, in pixels: labels keep off the other chosen dots
ARROW_COLORS = ("#1f77b4", "#ff7f0e")


class WordScatter(pg.PlotWidget):
    wordClicked = Signal(str)

    def __init__(self, parent=None, object_name: str = "wordScatter"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.showGrid(x=False, y=False)
        self.words: tuple[str, ...] = ()
        self.coords = np.zeros((0, 2), dtype=np.float32)
        self.all_points = pg.ScatterPlotItem(pxMode=True, size=4, hoverable=True, tip=self._tip)
        self.all_points.sigClicked.connect(self._clicked)
        self.highlight = pg.ScatterPlotItem(pxMode=True, size=11, hoverable=True, tip=self._tip)
        self.highlight.sigClicked.connect(self._clicked)
        self.addItem(self.all_points)
        self.addItem(self.highlight)
        self._labels: list[pg.TextItem] = []  # the labels shown (the first of the pool)
        self._label_pool: list[pg.TextItem] = []
        self._label_styles: list[tuple | None] = []  # the colours and font each pooled label was given
        self._label_points: list[int] = []  # the word index each label belongs to
        self.dropped: list[int] = []  # words whose label fits nowhere (hover their dot for the word)
        self._arrows: list[pg.GraphicsObject] = []
        self._arrow_pairs: list[tuple[int, int]] = []
        self.plot_item.vb.sigRangeChanged.connect(self._layout_labels)
        self.plot_item.vb.sigResized.connect(self._layout_labels)
        self.apply_theme()

    # --- data ------------------------------------------------------------------------------
    def set_points(self, words, coords: np.ndarray) -> None:
        for item in self._labels:  # labels of the old points
            item.setVisible(False)
        self._labels, self._label_points = [], []
        self.highlight.setData(pos=np.zeros((0, 2)))
        self.words = tuple(words)
        self.coords = np.asarray(coords, dtype=np.float32)  # (N, 2)
        c = theme.colors()
        self.all_points.setData(
            pos=self.coords,
            data=np.arange(len(self.words)),
            pen=None,
            brush=pg.mkBrush(c["muted"]),
            hoverBrush=pg.mkBrush(c["foreground"]),  # not red: red marks the chosen words
            hoverSize=9,
        )
        self.plot_item.autoRange()

    def set_highlight(
        self, indices: list[int], labels: list[str] | None = None, colors: list[str] | None = None
    ) -> None:
        """Mark and label these words (the typed sentence, a clicked word); ``colors``: one per index."""
        self._label_points = []
        keep = [k for k, i in enumerate(indices) if i is not None and 0 <= i < len(self.coords)]
        idx = [indices[k] for k in keep]
        brushes = [pg.mkBrush(colors[k]) for k in keep] if colors else pg.mkBrush(HIGHLIGHT)
        self.highlight.setData(
            pos=self.coords[idx] if idx else np.zeros((0, 2)),
            data=np.asarray(idx, dtype=np.int64),
            pen=pg.mkPen("#000000"),
            brush=brushes,
        )
        shown = {}  # point -> its label, each point labelled once
        for k, i in zip(keep, idx, strict=True):
            shown.setdefault(i, labels[k] if labels else self.words[i])
        items = self._label_items(len(shown))
        for item, (i, text) in zip(items, shown.items(), strict=False):
            if item.toPlainText() != text:
                item.setText(text)
            item.setPos(float(self.coords[i, 0]), float(self.coords[i, 1]))
            item.setVisible(True)
        for item in self._label_pool[len(shown) :]:
            item.setVisible(False)
        self._labels = items
        self._label_points = list(shown)
        self._layout_labels()

    def _label_items(self, n: int) -> list[pg.TextItem]:
        """``n`` label items from the pool (made once and reused: making and adding a label costs a keystroke
        about half a millisecond), in the theme's colours and the app's bold font."""
        c = theme.colors()
        font = QFont(QApplication.font())
        font.setBold(True)
        style = (c["foreground"], c["background"], font.toString())
        while len(self._label_pool) < n:
            item = pg.TextItem("", anchor=LABEL_ANCHORS[0])
            item.setZValue(LABEL_Z)
            item.setVisible(False)
            self.addItem(item)
            self._label_pool.append(item)
            self._label_styles.append(None)
        for k in range(n):
            if self._label_styles[k] != style:
                item = self._label_pool[k]
                patch = pg.mkColor(c["background"])
                patch.setAlpha(170)
                item.fill = pg.mkBrush(patch)
                item.setColor(c["foreground"])
                item.setFont(font)
                self._label_styles[k] = style
        return self._label_pool[:n]

    def label_rects(self) -> list[QRectF]:
        """The scene rectangles of the labels shown (for the no-overlap test)."""
        return [item.mapRectToScene(item.boundingRect()) for item in self._labels if item.isVisible()]

    def fit_labels(self) -> None:
        """Widen the view so that every label can sit inside it (for a few labelled points, not a vocabulary)."""
        if not self._labels:
            return
        self.plot_item.autoRange()
        vb = self.plot_item.vb
        px, py = vb.viewPixelSize()  # data units per screen pixel
        if not (np.isfinite(px) and np.isfinite(py)) or px <= 0 or py <= 0:
            return
        widest = max(item.boundingRect().width() for item in self._labels) * px
        tallest = max(item.boundingRect().height() for item in self._labels) * py
        pts = self.coords[self._label_points]
        (x0, x1), (y0, y1) = vb.viewRange()
        x0, x1 = min(x0, float(pts[:, 0].min()) - 0.1 * widest), max(x1, float(pts[:, 0].max()) + widest)
        y0, y1 = min(y0, float(pts[:, 1].min()) - tallest), max(y1, float(pts[:, 1].max()) + tallest)
        self.plot_item.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.02)

    @staticmethod
    def _clear_of_dot(w: float, h: float) -> list[tuple[float, float]]:
        """LABEL_ANCHORS moved a few pixels off the dot, so that no label's patch covers its own dot."""
        gap = DOT_PX * 0.8
        out = []
        for ax, ay in LABEL_ANCHORS:
            ax = ax - gap / w if ax <= 0 else ax + gap / w if ax >= 1 else ax
            ay = ay - gap / h if ay <= 0 else ay + gap / h if ay >= 1 else ay
            out.append((ax, ay))
        return out

    def _layout_labels(self, *_args) -> None:
        """Put each label where it overlaps no label placed before it, inside the plot if it can be; hide it if no
        place is free."""
        vb = self.plot_item.vb
        inside = vb.sceneBoundingRect()
        placed: list[QRectF] = []
        self.dropped = []
        dots = {}
        for i in self._label_points:
            if i < len(self.coords):
                c = vb.mapViewToScene(QPointF(float(self.coords[i, 0]), float(self.coords[i, 1])))
                dots[i] = QRectF(c.x() - DOT_PX, c.y() - DOT_PX, 2 * DOT_PX, 2 * DOT_PX)
        arrows = [
            (vb.mapViewToScene(QPointF(*map(float, self.coords[a]))), vb.mapViewToScene(QPointF(*map(float, self.coords[b]))))
            for a, b in self._arrow_pairs
            if a < len(self.coords) and b < len(self.coords)
        ]  # fmt: skip
        for item, i in zip(self._labels, self._label_points, strict=True):
            if i >= len(self.coords):
                continue
            others = [r for j, r in dots.items() if j != i]
            size = item.boundingRect()
            w, h = size.width(), size.height()
            at = vb.mapViewToScene(QPointF(float(self.coords[i, 0]), float(self.coords[i, 1])))
            rects = [(a, QRectF(at.x() - a[0] * w, at.y() - a[1] * h, w, h)) for a in self._clear_of_dot(w, h)]
            free = [(a, r) for a, r in rects if not any(r.intersects(other) for other in placed)]
            clear = [(a, r) for a, r in free if not any(r.intersects(d) for d in others)]
            # Best of all clear of the analogy arrows too (an arrow drawn through "queen" hides the word).
            unarrowed = [(a, r) for a, r in clear if not any(_crosses(r, seg) for seg in arrows)]
            free = unarrowed + [x for x in clear if x not in unarrowed] + [x for x in free if x not in clear]
            # Inside the plot, else dropped (a label cut at the plot's edge would show a wrong word).
            chosen = next(((a, r) for a, r in free if inside.contains(r)), None)
            if chosen is None:
                item.setVisible(False)
                self.dropped.append(i)
                continue
            placed.append(chosen[1])
            item.setAnchor(chosen[0])
            item.setVisible(True)

    def set_arrows(self, pairs: list[tuple[int, int]]) -> None:
        """Arrows from word a to word b, e.g. man -> woman and king -> queen for an analogy."""
        for item in self._arrows:
            self.removeItem(item)
        self._arrows = []
        self._arrow_pairs = list(pairs)
        for n, (a, b) in enumerate(pairs):
            color = ARROW_COLORS[n % len(ARROW_COLORS)]
            start, end = self.coords[a], self.coords[b]
            line = pg.PlotCurveItem(
                x=[start[0], end[0]], y=[start[1], end[1]], pen=pg.mkPen(color, width=theme.line_width(3))
            )
            angle = float(np.degrees(np.arctan2(end[1] - start[1], end[0] - start[0])))
            head = pg.ArrowItem(
                pos=(float(end[0]), float(end[1])),
                angle=180 - angle,
                headLen=16,
                brush=pg.mkBrush(color),
                pen=pg.mkPen(color),
            )
            for item in (line, head):
                item.setZValue(ARROW_Z)
                self.addItem(item)
                self._arrows.append(item)
        self._layout_labels()

    def zoom_to(self, indices: list[int], room: float = 0.6) -> None:
        """Show these points large: their bounding box with ``room`` of its size added on every side."""
        pts = self.coords[[i for i in indices if 0 <= i < len(self.coords)]]
        if not len(pts):
            return
        lo, hi = pts.min(0), pts.max(0)
        span = np.maximum(hi - lo, 0.05 * (self.coords.max(0) - self.coords.min(0)) + 1e-9)
        lo, hi = lo - room * span, hi + room * span
        self.plot_item.setRange(xRange=(float(lo[0]), float(hi[0])), yRange=(float(lo[1]), float(hi[1])), padding=0)

    def centre_on(self, index: int, span: float | None = None) -> None:
        x, y = (float(v) for v in self.coords[index])  # numpy float32 would overflow in pyqtgraph's checks
        rng = self.plot_item.viewRange()
        half_w = (span or (rng[0][1] - rng[0][0])) / 2
        half_h = (span or (rng[1][1] - rng[1][0])) / 2
        self.plot_item.setRange(xRange=(x - half_w, x + half_w), yRange=(y - half_h, y + half_h), padding=0)

    # --- interaction -------------------------------------------------------------------------
    def _tip(self, x, y, data) -> str:
        return self.words[int(data)] if 0 <= int(data) < len(self.words) else ""

    def _clicked(self, _item, points, _event=None) -> None:
        if len(points):
            self.wordClicked.emit(self.words[int(points[0].data())])

    def apply_theme(self) -> None:
        c = theme.colors()
        self.setBackground(c["background"])
        font = QFont(QApplication.font())
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(c["foreground"])
            axis.setTextPen(c["foreground"])
            axis.setStyle(tickFont=font)

    def changeEvent(self, event) -> None:
        if hasattr(self, "highlight") and event.type() in (
            QEvent.FontChange,
            QEvent.ApplicationFontChange,
            QEvent.PaletteChange,
        ):
            self.apply_theme()
        super().changeEvent(event)


def _crosses(rect: QRectF, segment) -> bool:
    """Whether the segment (two scene points) passes through the rectangle (sampled along its length)."""
    (p, q) = segment
    steps = 24
    return any(
        rect.contains(QPointF(p.x() + (q.x() - p.x()) * k / steps, p.y() + (q.y() - p.y()) * k / steps))
        for k in range(1, steps)
    )
