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
from PySide6.QtCore import QEvent, QRectF, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.heatmap_axes import (  # the axes, and helpers the lessons use too
    LABEL_GAP,
    MAX_CELL_LABELS,
    MAX_LABEL_CHARS,
    MIN_LABEL_SCALE,
    ColourBarAxis,
    Title,
    TokenAxis,
    closest_gap,
    colour_bar_labels,
    elide_token,
    fitted_font,
    side_by_side,
    signed,
    spaced,
    thin,
)

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


__all__ = [
    "LABEL_GAP", "MAX_LABEL_CHARS", "MIN_LABEL_SCALE", "Heatmap", "TokenAxis", "colour_bar_labels", "elide_token",
    "signed", "thin",
]  # fmt: skip


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
        self.plot.titleLabel = Title(" ", size="11pt", parent=self.plot)
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
        self._text_colours: list[str] = []
        self._numbers_shown = 0  # the text items visible: the first this many
        self._font_key = ""
        self._title_key: tuple | None = None
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
            self._text_colours = [theme.text_on(colour) for colour in self._lut]  # black or white on each
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
            item.setVisible(False)  # shown by _show_numbers
            self.plot.addItem(item)
            self._texts.append(item)
            self._shown.append(None)
        # Each cell's (text, colour, column, row); set on its text item when the numbers are shown.
        values = data.ravel()[:cells].astype(np.float64)
        finite = np.isfinite(values)
        shade = (np.clip((np.where(finite, values, lo) - lo) / (hi - lo), 0.0, 1.0) * 255).astype(int)
        colours = self._text_colours
        self._wanted = [
            (signed(value_format.format(value)) if ok else "—", colours[level], k % cols, k // cols)  # never "nan"
            for k, (value, ok, level) in enumerate(zip(values.tolist(), finite.tolist(), shade.tolist(), strict=True))
        ]
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
        upright = not side_by_side(cols_labelled, widths, col_px)
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
            upright = upright or not side_by_side(cols_labelled, widths, col_px)
        row_px = height / rows if rows and height > 0 else 1e9
        self._choose_bar_labels(height, fm)
        row_font = fitted_font(closest_gap(rows_labelled) * row_px)
        col_font = fitted_font(closest_gap(cols_labelled) * col_px) if upright else font
        self.left_axis.label_font, self.bottom_axis.label_font = row_font, col_font
        if upright:
            cols_labelled = spaced(cols_labelled, col_px, QFontMetrics(col_font).height() + 1)
        rows_labelled = spaced(rows_labelled, row_px, QFontMetrics(row_font).height() + 1)
        self.bottom_axis.set_labels([(j + 0.5, text, t) for j, text, t in cols_labelled], upright=upright)
        self.left_axis.set_labels([(i + 0.5, text, t) for i, text, t in rows_labelled])
        fits = col_px >= fm.horizontalAdvance("\u22120.00") + 10 and row_px >= fm.height()
        self._show_numbers(fits)

    def _show_numbers(self, on: bool) -> None:
        """The numbers in the cells, shown (``on``) or hidden. Only what changed is set on each text item: its
        setText / setColor / setPos each lay its text out again, and most of a redraw's time went there."""
        wanted = self._wanted if on else []
        for k, shown in enumerate(wanted):
            item, previous = self._texts[k], self._shown[k]
            if previous is None or previous[:2] != shown[:2]:
                item.setText(shown[0], color=shown[1])
            if previous is None or previous[2:] != shown[2:]:
                item.setPos(shown[2] + 0.5, shown[3] + 0.5)
            self._shown[k] = shown
            _set_visible(item, True)
        for item in self._texts[len(wanted) : self._numbers_shown]:  # those shown last time and not now
            _set_visible(item, False)
        self._numbers_shown = len(wanted)

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
        font_changed = font.toString() != self._font_key
        if font_changed:  # the axes' and the cells' font, when the app's has changed
            self._font_key = font.toString()
            for axis in (self.left_axis, self.bottom_axis, self.colorbar.axis):
                axis.setStyle(tickFont=font)
            for item in self._texts:
                item.setFont(font)
        widest = max((fm.horizontalAdvance(elide_token(t)) for t in self.row_labels), default=fm.horizontalAdvance("0"))
        if int(self.left_axis.width()) != widest + LABEL_GAP + 8:
            self.left_axis.setWidth(widest + LABEL_GAP + 8)
        # The title may reach over the colour bar's column: its width never pushes the bar out of the widget. It is
        # set only when it changes (each setting lays the plot out again).
        title = (self.caption, theme.colors()["foreground"], f"{font.pointSizeF():.1f}pt")
        if title != self._title_key:
            self._title_key = title
            self.plot.setTitle(title[0], color=title[1], size=title[2])
        self._fit_labels()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        ready = hasattr(self, "colorbar")  # Qt sends events while __init__ is still running
        if ready and event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange, QEvent.PaletteChange):
            self.apply_theme()
        super().changeEvent(event)
