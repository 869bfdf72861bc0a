"""A labelled heatmap: pyqtgraph ImageItem in a PlotItem, token labels on its axes, a colour bar.

Built like pyqtgraph's MatrixDisplayExample: row-major float32 data, explicit
levels, and each cell's number written on it while the matrix is small enough
to read.

The token axes draw their own labels (:class:`TokenAxis`): every label is the whole token (only a token longer
than :data:`MAX_LABEL_CHARS` characters is shortened, and hovering it names it in full), the column labels
turn upright when they are wider than their columns, and no tick marks are drawn, so that a tick beside a
label can never read as a minus sign ("." and a tick and "0.99" looking like ".−0.99").
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from viz_app.qt import theme
from viz_app.qt.i18n import tr

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)

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


def _fitted_font(room: float) -> QFont:
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


def _side_by_side(labelled: list[tuple[int, str, str]], widths: list[int], cell_px: float) -> bool:
    """Whether the labels fit level, side by side, each centred under its column."""
    return all(
        (widths[k] + widths[k + 1]) / 2 + 8 <= (labelled[k + 1][0] - labelled[k][0]) * cell_px
        for k in range(len(labelled) - 1)
    )


def _closest(labelled: list[tuple[int, str, str]]) -> float:
    """The fewest cells between two labelled rows or columns (1 when every one is labelled)."""
    steps = [b[0] - a[0] for a, b in zip(labelled, labelled[1:], strict=False)]
    return float(min(steps, default=1_000_000))


def _spaced(labelled: list[tuple[int, str, str]], cell_px: float, room: float) -> list[tuple[int, str, str]]:
    """The labels kept when each needs ``room`` pixels: the first, then each far enough from the last kept."""
    kept: list[tuple[int, str, str]] = []
    for item in labelled:
        if not kept or (item[0] - kept[-1][0]) * cell_px >= room:
            kept.append(item)
    return kept


def _trimmed(value: float, decimals: int) -> str:
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
        return [((lo + hi) / 2, f"{_trimmed(lo, ends_decimals)} \u2026 {_trimmed(hi, ends_decimals)}")]
    count = min(n_max, BAR_MAX_LABELS)
    raw = span / max(count - 1, 1)
    magnitude = 10.0 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 5.0, 10.0) if m * magnitude >= raw * (1 - 1e-9))
    step_decimals = max(0, -int(np.floor(np.log10(step) + 1e-9)))
    decimals = max(ends_decimals, step_decimals)
    px_per_unit = length_px / span
    labels = [(lo, _trimmed(lo, decimals))]
    if count > 2:
        k = np.ceil(lo / step - 1e-9)
        while k * step < hi:
            v = float(k * step)
            room = max(need, 0.5 * step * px_per_unit)  # no round number crowding an end ("2" under "2.4")
            if (v - lo) * px_per_unit >= room and (hi - v) * px_per_unit >= room:
                labels.append((v, _trimmed(v, step_decimals)))
            k += 1
    labels.append((hi, _trimmed(hi, decimals)))
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


class _Title(pg.LabelItem):
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


def _set_visible(item, on: bool) -> None:
    """Show or hide a text item only when that changes (pyqtgraph re-places a text item on every call)."""
    if item.isVisible() != on:
        item.setVisible(on)


class Heatmap(pg.GraphicsLayoutWidget):
    cellClicked = Signal(int, int)  # row, column

    def __init__(self, parent=None, object_name: str = "heatmap"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.left_axis, self.bottom_axis = TokenAxis("left"), TokenAxis("bottom")
        self.plot = self.addPlot(row=0, col=0, axisItems={"left": self.left_axis, "bottom": self.bottom_axis})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setAspectLocked(False)
        # The title may reach over the colour bar's column: its width never pushes the bar out of the widget.
        self.plot.layout.removeItem(self.plot.titleLabel)
        self.scene().removeItem(self.plot.titleLabel)
        self.plot.titleLabel = _Title(" ", size="11pt", parent=self.plot)
        self.plot.layout.addItem(self.plot.titleLabel, 0, 1)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.cmap = theme.color_map("viridis")  # this heatmap's own map: never pyqtgraph's shared one
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=self.cmap, interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        # The bar's ticks point into the bar, so that no tick stands before a number like a minus sign; its
        # numbers are chosen for its height (colour_bar_labels), never written over each other.
        bar_axis = ColourBarAxis("right")
        self.colorbar.setAxisItems({"right": bar_axis})
        bar_axis.setZValue(0.5)
        bar_axis.unlinkFromView()
        bar_axis.setRange(0.0, 1.0)
        self.colorbar.axis = bar_axis
        self._texts: list[pg.TextItem] = []
        self._shown: list[tuple | None] = []  # each text item's (text, colour, column, row) as last set
        self._wanted: list[tuple] = []  # the cells' numbers of the matrix shown
        self._cmap_key: tuple | None = None
        self._lut = None
        self._font_key = ""
        self.caption = ""
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._hovered)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
        self.levels = (0.0, 1.0)
        self.apply_theme()

    def set_matrix(
        self,
        matrix: np.ndarray,
        row_labels: list[str],
        col_labels: list[str],
        levels: tuple[float, float],
        colormap: str = "viridis",
        reverse: bool = False,
        value_format: str = "{:.2f}",
        colorbar_label: str = "",
        cell_labels: bool = True,
    ) -> None:
        data = np.asarray(matrix, dtype=np.float32)  # (R, C) row-major
        self.matrix = data
        self.row_labels, self.col_labels = [str(t) for t in row_labels], [str(t) for t in col_labels]
        lo, hi = float(levels[0]), float(levels[1])
        if not hi > lo:
            hi = lo + 1.0
        self.levels = (lo, hi)
        key = (theme.resolve_colormap(colormap), bool(reverse))
        if key != self._cmap_key:  # built anew (the same direction on every render) only when it changes
            self.cmap = theme.color_map(colormap, reverse=reverse)
            self._lut = self.cmap.getLookupTable(nPts=256)
            self.colorbar.setColorMap(self.cmap)
            self._cmap_key = key
        lut = self._lut
        self.colorbar.setLevels((lo, hi))
        self.image.setImage(data, levels=(lo, hi), autoLevels=False)
        self.image.setLookupTable(lut)
        rows, cols = data.shape
        self.caption = colorbar_label
        readable = cell_labels and rows * cols <= MAX_CELL_LABELS and cols <= 25
        cells = rows * cols if readable else 0  # numbers in the cells only while they fit
        font = QFont(QApplication.font())
        while len(self._texts) < cells:  # text items are reused between updates
            item = pg.TextItem("", anchor=(0.5, 0.5))
            item.setFont(font)
            self.plot.addItem(item)
            self._texts.append(item)
            self._shown.append(None)
        wanted = []  # each cell's (text, colour, column, row); set on its text item when the numbers are shown
        for k in range(cells):
            i, j = divmod(k, cols)
            value = float(data[i, j])
            frac = min(1.0, max(0.0, (value - lo) / (hi - lo))) if np.isfinite(value) else 0.0
            text = signed(value_format.format(value)) if np.isfinite(value) else "—"  # never "nan" on screen
            wanted.append((text, theme.text_on(lut[int(frac * 255)]), j, i))
        self._wanted = wanted
        self.plot.setRange(xRange=(0, max(cols, 1)), yRange=(0, max(rows, 1)), padding=0)
        self._cells_shown = cells
        self._apply_fonts()

    def _fit_labels(self) -> None:
        """One whole label per labelled column and row while they fit (column labels upright when they are
        wider than the room between them), a smaller font where that is enough, and otherwise only labels far
        enough apart; the numbers in the cells only while they fit (all follow the widget's size and font)."""
        rows, cols = self.matrix.shape
        font = QFont(QApplication.font())
        fm = QFontMetrics(font)
        # From the widget's own size: the view box is laid out only after this widget's resize event.
        left = self.left_axis.minimumWidth()  # as set for the fonts (its geometry may not be laid out yet)
        bar = self.colorbar.axis.width() + 40
        title = fm.height() * 2 if self.caption else fm.height()
        cols_labelled = [(j, elide_token(t), t) for j, t in enumerate(self.col_labels) if t]
        rows_labelled = [(i, elide_token(t), t) for i, t in enumerate(self.row_labels) if t]
        widths = [fm.horizontalAdvance(text) for _j, text, _t in cols_labelled]
        width = self.width() - left - bar - 20
        col_px = width / cols if cols and width > 0 else 1e9
        upright = not _side_by_side(cols_labelled, widths, col_px)
        bottom_h = (max(widths, default=0) if upright else fm.height()) + LABEL_GAP + 6
        if not cols_labelled:  # a strip of numbers (a context vector): no room kept for words it has not got
            bottom_h = 4
        self.bottom_axis.setHeight(int(bottom_h))
        height = self.height() - bottom_h - title - 20
        # Lay the axes out now, so that the choices below and a paint or an export straight after this see the
        # view box's real size.
        self.plot.layout.activate()
        self.ci.layout.activate()
        box = self.plot.vb.geometry()
        if box.width() > 1 and box.height() > 1 and self.isVisible():
            width, height = box.width(), box.height()
            col_px = width / cols if cols else 1e9
            upright = upright or not _side_by_side(cols_labelled, widths, col_px)
        row_px = height / rows if rows and height > 0 else 1e9
        self._choose_bar_labels(height, fm)
        row_font = _fitted_font(_closest(rows_labelled) * row_px)
        col_font = _fitted_font(_closest(cols_labelled) * col_px) if upright else font
        self.left_axis.label_font, self.bottom_axis.label_font = row_font, col_font
        if upright:
            cols_labelled = _spaced(cols_labelled, col_px, QFontMetrics(col_font).height() + 1)
        rows_labelled = _spaced(rows_labelled, row_px, QFontMetrics(row_font).height() + 1)
        self.bottom_axis.set_labels([(j + 0.5, text, t) for j, text, t in cols_labelled], upright=upright)
        self.left_axis.set_labels([(i + 0.5, text, t) for i, text, t in rows_labelled])
        fits = col_px >= fm.horizontalAdvance("\u22120.00") + 10 and row_px >= fm.height()
        self._show_numbers(fits)

    def _show_numbers(self, on: bool) -> None:
        """The numbers in the cells, shown (``on``) or hidden. Only what changed is set on each text item: its
        setText / setColor / setPos each lay its text out again, and most of a redraw's time went there."""
        wanted = self._wanted if on else []
        for k, item in enumerate(self._texts):
            if k < len(wanted):
                shown, previous = wanted[k], self._shown[k]
                if previous is None or previous[:2] != shown[:2]:
                    item.setText(shown[0], color=shown[1])
                if previous is None or previous[2:] != shown[2:]:
                    item.setPos(shown[2] + 0.5, shown[3] + 0.5)
                self._shown[k] = shown
            _set_visible(item, k < len(wanted))

    def cell_numbers(self) -> list[tuple[str, str]]:
        """The numbers written in the cells now, row by row: (text, its colour as "#rrggbb"); empty while they
        do not fit."""
        return [
            (item.textItem.toPlainText(), item.textItem.defaultTextColor().name())
            for item in self._texts
            if item.isVisible()
        ]

    def _choose_bar_labels(self, height: float, fm: QFontMetrics) -> None:
        """The colour bar's numbers for its pixel height, and the bar's axis as wide as the widest of them."""
        axis = self.colorbar.axis
        length = axis.geometry().height() if axis.geometry().height() > 1 else height
        axis.labels = colour_bar_labels(self.levels[0], self.levels[1], length, fm.height())
        axis.setTicks([[(v, "") for v, _t in axis.labels]] if len(axis.labels) > 1 else [[]])
        widest = max((fm.horizontalAdvance(t) for _v, t in axis.labels), default=0)
        self._set_bar_width(int(max(widest, fm.horizontalAdvance("\u22120.00")) + 14))
        overflow = axis.mapRectToScene(axis.mapRectFromParent(axis.geometry())).right() + 2 - self.width()
        if len(axis.labels) == 1 and overflow > 0:
            # A long title leaves the bar no room for the spaced range (a strip of 256 numbers): the range
            # close set, "−4.2…4.2", in as little width as it needs.
            value, text = axis.labels[0]
            text = text.replace(" ", "")
            axis.labels = [(value, text)]
            self._set_bar_width(int(fm.horizontalAdvance(text) + 8))
        axis.picture = None  # pyqtgraph caches the drawing
        axis.update()

    def _set_bar_width(self, width: int) -> None:
        axis = self.colorbar.axis
        if width != int(axis.width()):
            axis.setWidth(width)
            self.colorbar.layout.activate()
            self.plot.layout.activate()
            self.ci.layout.activate()

    def colorbar_labels(self) -> list[tuple[QRectF, str]]:
        """The numbers the colour bar last wrote: (rectangle in this widget's pixels, text)."""
        axis = self.colorbar.axis
        out = []
        for rect, text in axis.drawn:
            scene = axis.mapRectToScene(rect)
            top_left, bottom_right = self.mapFromScene(scene.topLeft()), self.mapFromScene(scene.bottomRight())
            out.append((QRectF(top_left.toPointF(), bottom_right.toPointF()).normalized(), text))
        return out

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if hasattr(self, "colorbar"):
            self._fit_labels()

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        if not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.vb.mapSceneToView(scene_pos)
        row, col = int(np.floor(point.y())), int(np.floor(point.x()))
        if 0 <= row < self.matrix.shape[0] and 0 <= col < self.matrix.shape[1]:
            return row, col
        return None

    def label_at(self, scene_pos) -> str | None:
        """The full token of the axis label under ``scene_pos``, if any."""
        for axis in (self.left_axis, self.bottom_axis):
            found = axis.label_at(axis.mapFromScene(scene_pos))
            if found is not None:
                return found
        return None

    def axis_labels(self, which: str) -> list[tuple[QRectF, str, str]]:
        """The labels the ``"left"`` or ``"bottom"`` axis last drew: (rectangle in this widget's pixels,
        text shown, full token)."""
        axis = self.left_axis if which == "left" else self.bottom_axis
        out = []
        for rect, text, full in axis.drawn:
            scene = axis.mapRectToScene(rect)
            top_left = self.mapFromScene(scene.topLeft())
            bottom_right = self.mapFromScene(scene.bottomRight())
            out.append((QRectF(top_left.toPointF(), bottom_right.toPointF()).normalized(), text, full))
        return out

    def hover_text(self, row: int, col: int) -> str:
        """What the tooltip says over a cell: its row and column labels and its exact value."""
        r = (
            self.row_labels[row]
            if row < len(self.row_labels) and self.row_labels[row]
            else tr("row {row}").format(row=row)
        )
        c = (
            self.col_labels[col]
            if col < len(self.col_labels) and self.col_labels[col]
            else tr("column {column}").format(column=col)
        )
        value = float(self.matrix[row, col])
        return f"{r} · {c}: {signed(f'{value:.4g}') if np.isfinite(value) else '—'}"

    def _hovered(self, scene_pos) -> None:
        from PySide6.QtWidgets import QToolTip

        cell = self.cell_at(scene_pos)
        text = self.hover_text(*cell) if cell is not None else self.label_at(scene_pos)
        if not text:
            QToolTip.hideText()
            return
        global_pos = self.mapToGlobal(self.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, text, self)

    def _clicked(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.cellClicked.emit(*cell)

    def apply_theme(self) -> None:
        c = theme.colors()
        self.setBackground(c["background"])
        for axis in (self.left_axis, self.bottom_axis, self.colorbar.axis):
            axis.setPen(c["foreground"])
            axis.setTextPen(c["foreground"])
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Fonts follow the app (Ctrl+= / Ctrl+-); axes are sized for them explicitly, since
        pyqtgraph would otherwise only widen an axis after a repaint and never narrow it."""
        font = QFont(QApplication.font())
        fm = QFontMetrics(font)
        for axis in (self.left_axis, self.bottom_axis, self.colorbar.axis):
            axis.setStyle(tickFont=font)
        widest = max((fm.horizontalAdvance(elide_token(t)) for t in self.row_labels), default=fm.horizontalAdvance("0"))
        self.left_axis.setWidth(widest + LABEL_GAP + 8)
        c = theme.colors()
        self.plot.setTitle(self.caption, color=c["foreground"], size=f"{font.pointSizeF():.1f}pt")
        # The title may reach over the colour bar's column: its width never pushes the bar out of the widget.
        if font.toString() != self._font_key:  # the cells' font, when the app's has changed
            self._font_key = font.toString()
            for item in self._texts:
                item.setFont(font)
        self._fit_labels()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        ready = hasattr(self, "colorbar")  # Qt sends events while __init__ is still running
        if ready and event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange, QEvent.PaletteChange):
            self.apply_theme()
        super().changeEvent(event)
