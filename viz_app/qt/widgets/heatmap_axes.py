"""The heatmap's axes and their helpers: token labels that fit (one per row or column, shortened or thinned
out when they do not), true minus signs, the colour bar's round numbers spaced for its height, and a title
that may reach over the colour bar's column."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

MAX_LABELLED = 48  # beyond this many tokens, axis labels thin out (hover still names every cell)


def thin(tokens, most: int = MAX_LABELLED) -> list[str]:
    """Every k-th label kept (the rest empty) so that at most about ``most`` are written on an axis."""
    stride = max(1, -(-len(tokens) // most))
    return [t if k % stride == 0 else "" for k, t in enumerate(tokens)]


MAX_CELL_LABELS = 400  # write numbers into cells up to 20 x 20
MAX_LABEL_CHARS = 12  # a token label longer than this is shortened (its full text shows on hover)
LABEL_GAP = 6  # pixels between a label and the map
MIN_LABEL_SCALE = 0.8  # token labels may shrink this far to fit one per row or column
BAR_LINES_PER_LABEL = 1.6  # a colour bar gives each of its numbers at least this many font heights
BAR_MAX_LABELS = 6  # and spaces its round numbers for about this many however tall it is


def elide_token(token: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The label an axis shows for ``token``: the whole token, or its first ``limit - 1`` characters and "…"."""
    return token if len(token) <= limit else token[: limit - 1] + "…"


def signed(text: str) -> str:
    """A formatted number with a true minus sign (U+2212), never a hyphen that could pass for a dash; a value
    that rounds to zero ("-0.00") loses its sign."""
    if not text.startswith("-"):
        return text
    rest = text[1:]
    return rest if not rest.strip("0.") else "\u2212" + rest


def fitted_font(room: float) -> QFont:
    """The app's font, made smaller (down to MIN_LABEL_SCALE of it) if a line of it is taller than ``room``
    and that is enough to write one label per row or column (if it is not, every n-th label keeps its size)."""
    font = QFont(QApplication.font())
    need = QFontMetrics(font).height() + 1
    size = font.pointSizeF()
    if need * MIN_LABEL_SCALE <= room < need and size > 0:
        # Scaled by the room, then made smaller while its real (whole-pixel) line is still taller than the room:
        # the labels are spaced by that real line height, so a font that rounds up would drop every other one.
        scale = max(MIN_LABEL_SCALE, room / need)
        font.setPointSizeF(size * scale)
        while QFontMetrics(font).height() + 1 > room and scale > MIN_LABEL_SCALE:
            scale = max(MIN_LABEL_SCALE, scale - 0.02)
            font.setPointSizeF(size * scale)
    return font


def side_by_side(labelled: list[tuple[int, str, str]], widths: list[int], cell_px: float) -> bool:
    """Whether the labels fit level, side by side, each centred under its column."""
    return all(
        (widths[k] + widths[k + 1]) / 2 + 8 <= (labelled[k + 1][0] - labelled[k][0]) * cell_px
        for k in range(len(labelled) - 1)
    )


def closest_gap(labelled: list[tuple[int, str, str]]) -> float:
    """The fewest cells between two labelled rows or columns (1 when every one is labelled)."""
    steps = [b[0] - a[0] for a, b in zip(labelled, labelled[1:], strict=False)]
    return float(min(steps, default=1_000_000))


def spaced(labelled: list[tuple[int, str, str]], cell_px: float, room: float) -> list[tuple[int, str, str]]:
    """The labels kept when each needs ``room`` pixels: the first, then each far enough from the last kept."""
    kept: list[tuple[int, str, str]] = []
    for item in labelled:
        if not kept or (item[0] - kept[-1][0]) * cell_px >= room:
            kept.append(item)
    return kept


def trimmed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, trailing zeros dropped, a true minus sign."""
    text = f"{value:.{max(0, decimals)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return signed(text)


def colour_bar_labels(lo: float, hi: float, length_px: float, line_px: float) -> list[tuple[float, str]]:
    """The numbers a colour bar ``length_px`` pixels long writes beside itself, as (value, text), chosen so
    that each has at least :data:`BAR_LINES_PER_LABEL` lines of ``line_px`` pixels: both ends and round
    values between them where there is room; only the two ends on a short bar; and on a bar too short for
    two numbers, one text "lo … hi" at its middle (its caller writes it level, beside the bar)."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or not hi > lo:
        return []
    span = hi - lo
    need = BAR_LINES_PER_LABEL * line_px
    ends_decimals = max(0, 1 - int(np.floor(np.log10(span))))
    n_max = int(length_px // need) + 1 if length_px > 0 else 0
    if n_max < 2:
        return [((lo + hi) / 2, f"{trimmed(lo, ends_decimals)} \u2026 {trimmed(hi, ends_decimals)}")]
    count = min(n_max, BAR_MAX_LABELS)
    raw = span / max(count - 1, 1)
    magnitude = 10.0 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 5.0, 10.0) if m * magnitude >= raw * (1 - 1e-9))
    step_decimals = max(0, -int(np.floor(np.log10(step) + 1e-9)))
    decimals = max(ends_decimals, step_decimals)
    px_per_unit = length_px / span
    labels = [(lo, trimmed(lo, decimals))]
    if count > 2:
        k = np.ceil(lo / step - 1e-9)
        while k * step < hi:
            v = float(k * step)
            room = max(need, 0.5 * step * px_per_unit)  # no round number crowding an end ("2" under "2.4")
            if (v - lo) * px_per_unit >= room and (hi - v) * px_per_unit >= room:
                labels.append((v, trimmed(v, step_decimals)))
            k += 1
    labels.append((hi, trimmed(hi, decimals)))
    return labels


class TokenAxis(pg.AxisItem):
    """A left or bottom axis that writes one label per row or column at the given positions.

    ``drawn`` keeps, after each paint, where each label went (in this axis's coordinates) and its text, for
    hovering and for the geometry tests."""

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.labels: list[tuple[float, str, str]] = []  # (position in the view, text shown, full token)
        self.upright = False  # bottom axis only: labels turned 90° to read bottom to top
        self.drawn: list[tuple[QRectF, str, str]] = []
        self.label_font: QFont | None = None  # the labels' font, when smaller than the tick font
        self.setStyle(tickLength=0, showValues=False)
        self.setTicks([[]])

    def set_labels(self, labels: list[tuple[float, str, str]], upright: bool = False) -> None:
        self.labels = list(labels)
        self.upright = upright and self.orientation == "bottom"
        self.picture = None  # pyqtgraph caches the drawing
        self.update()

    def _font(self) -> QFont:
        return self.label_font or self.style["tickFont"] or QFont(QApplication.font())

    def _pixel(self, value: float) -> float:
        """Where ``value`` (a view coordinate) lies along this axis, in its own coordinates."""
        view = self.linkedView()
        if view is None:
            return 0.0
        point = QPointF(value, 0) if self.orientation == "bottom" else QPointF(0, value)
        local = self.mapFromScene(view.mapViewToScene(point))
        return local.x() if self.orientation == "bottom" else local.y()

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:  # noqa: N802, N803 - pyqtgraph naming
        super().drawPicture(p, axisSpec, tickSpecs, [])
        p.setClipping(False)  # an edge column's label may reach past the axis's ends
        font = self._font()
        fm = QFontMetrics(font)
        p.setFont(font)
        p.setPen(self.textPen())
        h = fm.height()
        bounds = self.boundingRect()
        self.drawn = []
        for pos, text, full in self.labels:
            c = self._pixel(pos)
            w = fm.horizontalAdvance(text)
            if self.orientation == "left":
                rect = QRectF(bounds.right() - LABEL_GAP - w - 2, c - h / 2, w + 2, h)
                p.drawText(rect, int(Qt.AlignRight | Qt.AlignVCenter), text)
            elif self.upright:
                rect = QRectF(c - h / 2, bounds.top() + LABEL_GAP, h, w + 2)
                p.save()
                p.translate(c, bounds.top() + LABEL_GAP)
                p.rotate(-90)  # local x runs up the screen: text from -w to 0 ends at the map
                p.drawText(QRectF(-(w + 2), -h / 2, w + 2, h), int(Qt.AlignRight | Qt.AlignVCenter), text)
                p.restore()
            else:
                rect = QRectF(c - w / 2 - 1, bounds.top() + LABEL_GAP / 2, w + 2, h)
                p.drawText(rect, int(Qt.AlignCenter), text)
            self.drawn.append((rect, text, full))

    def label_at(self, local_pos) -> str | None:
        """The full token under ``local_pos`` (this axis's coordinates), if a label is drawn there."""
        for rect, _text, full in self.drawn:
            if rect.adjusted(-2, -2, 2, 2).contains(local_pos):
                return full
        return None


class Title(pg.LabelItem):
    """A plot title that asks for no width of its own (pyqtgraph's asks for its text's width, which on a
    narrow map with a long title pushes the colour bar out of the widget); its text stays centred."""

    def updateMin(self) -> None:  # noqa: N802 - pyqtgraph naming
        super().updateMin()
        self.setMinimumWidth(0)
        height = self._sizeHint[Qt.SizeHint.MinimumSize][1]
        self._sizeHint[Qt.SizeHint.MinimumSize] = (0, height)
        self._sizeHint[Qt.SizeHint.PreferredSize] = (0, height)
        self.updateGeometry()

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(ev)
        # A title wider than the map: moved right as far as it needs to start inside the plot, not past its left.
        shown = self.itemRect()
        start = -self.pos().x() + 2  # the plot's left edge, in this label's coordinates
        if shown.left() < start:
            self.item.moveBy(start - shown.left(), 0)


class ColourBarAxis(pg.AxisItem):
    """A colour bar's axis: its line and ticks as pyqtgraph draws them, and the numbers ``labels`` (value,
    text; see :func:`colour_bar_labels`) written level, each centred on its value; ``drawn`` keeps where the
    last paint put them (this axis's coordinates), for the geometry tests."""

    def __init__(self, orientation: str = "right"):
        super().__init__(orientation)
        self.labels: list[tuple[float, str]] = []
        self.drawn: list[tuple[QRectF, str]] = []
        # The ticks point into the bar, so that no tick stands before a number like a minus sign.
        self.setStyle(tickLength=-5, showValues=False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph naming
        return [signed(s) for s in super().tickStrings(values, scale, spacing)]

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:  # noqa: N802, N803 - pyqtgraph naming
        super().drawPicture(p, axisSpec, tickSpecs, [])
        p.setClipping(False)  # the end numbers reach half a line past the bar's ends
        font = self.style["tickFont"] or QFont(QApplication.font())
        fm = QFontMetrics(font)
        p.setFont(font)
        p.setPen(self.textPen())
        bounds = self.mapRectFromParent(self.geometry())
        lo, hi = float(self.range[0]), float(self.range[1])
        h = fm.height()
        self.drawn = []
        if not hi > lo:
            return
        for value, text in self.labels:
            y = bounds.top() + (hi - value) / (hi - lo) * bounds.height()
            rect = QRectF(bounds.left() + 4, y - h / 2, fm.horizontalAdvance(text) + 2, h)
            p.drawText(rect, int(Qt.AlignLeft | Qt.AlignVCenter), text)
            self.drawn.append((rect, text))
