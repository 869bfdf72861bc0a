"""A labelled heatmap: pyqtgraph ImageItem in a PlotItem, token labels as ticks, a colour bar.

Built like pyqtgraph's MatrixDisplayExample: row-major float32 data, explicit
levels, and each cell's number written on it while the matrix is small enough
to read.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from viz_app.qt import theme
from viz_app.qt.i18n import tr

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)

MAX_CELL_LABELS = 400  # write numbers into cells up to 20 x 20


def _short(label: str, width: int = 18) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


class Heatmap(pg.GraphicsLayoutWidget):
    cellClicked = Signal(int, int)  # row, column

    def __init__(self, parent=None, object_name: str = "heatmap"):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setAspectLocked(False)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get("viridis"), interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self._texts: list[pg.TextItem] = []
        self.caption = ""
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._hovered)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
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
        self.row_labels, self.col_labels = list(row_labels), list(col_labels)
        lo, hi = float(levels[0]), float(levels[1])
        if not hi > lo:
            hi = lo + 1.0
        cmap = pg.colormap.get(theme.resolve_colormap(colormap))  # a fresh copy: reverse() works in place
        if reverse:
            cmap.reverse()
        self.colorbar.setColorMap(cmap)
        self.colorbar.setLevels((lo, hi))
        self.image.setImage(data, levels=(lo, hi), autoLevels=False)
        self.image.setLookupTable(cmap.getLookupTable(nPts=256))
        rows, cols = data.shape
        self.plot.getAxis("left").setTicks([[(i + 0.5, _short(t)) for i, t in enumerate(row_labels)]])
        self.caption = colorbar_label
        readable = cell_labels and rows * cols <= MAX_CELL_LABELS and cols <= 25
        cells = rows * cols if readable else 0  # numbers in the cells only while they fit
        while len(self._texts) < cells:  # text items are reused between updates
            item = pg.TextItem("", anchor=(0.5, 0.5))
            self.plot.addItem(item)
            self._texts.append(item)
        lut = cmap.getLookupTable(nPts=256)
        for k, item in enumerate(self._texts):
            if k >= cells:
                item.setVisible(False)
                continue
            i, j = divmod(k, cols)
            value = float(data[i, j])
            frac = min(1.0, max(0.0, (value - lo) / (hi - lo)))
            r, g, b = lut[int(frac * 255)][:3]
            dark_cell = 0.299 * r + 0.587 * g + 0.114 * b < 140
            item.setText(value_format.format(value), color="#ffffff" if dark_cell else "#000000")
            item.setPos(j + 0.5, i + 0.5)
            item.setVisible(True)
        self.plot.setRange(xRange=(0, max(cols, 1)), yRange=(0, max(rows, 1)), padding=0)
        self._cells_shown = cells
        self._apply_fonts()

    def _fit_labels(self) -> None:
        """Column labels shortened to the width of a column, and the numbers in the cells shown only
        while they fit in them (both follow the widget's size and the font)."""
        rows, cols = self.matrix.shape
        fm = QFontMetrics(QFont(QApplication.font()))
        # From the widget's own size: the view box is laid out only after this widget's resize event.
        left = self.plot.getAxis("left").width()
        bar = self.colorbar.axis.width() + 40
        title = fm.height() * 2 if self.caption else fm.height()
        width = self.width() - left - bar - 20
        height = self.height() - self.plot.getAxis("bottom").height() - title - 20
        col_px = width / cols if cols and width > 0 else 1e9
        row_px = height / rows if rows and height > 0 else 1e9
        chars = max(2, min(12, int(col_px / max(1, fm.averageCharWidth() + 1)) - 1))
        # Too many columns or rows for one label each: label every n-th (hovering names every cell).
        col_stride = max(1, int(np.ceil((fm.horizontalAdvance("ab…") + 6) / col_px)))
        row_stride = max(1, int(np.ceil(fm.height() / row_px)))
        self.plot.getAxis("bottom").setTicks(
            [[(j + 0.5, _short(t, chars)) for j, t in enumerate(self.col_labels) if t and j % col_stride == 0]]
        )
        self.plot.getAxis("left").setTicks(
            [[(i + 0.5, _short(t)) for i, t in enumerate(self.row_labels) if t and i % row_stride == 0]]
        )
        fits = col_px >= fm.horizontalAdvance("0.00") + 10 and row_px >= fm.height()
        for k, item in enumerate(self._texts):
            item.setVisible(fits and k < getattr(self, "_cells_shown", 0))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if hasattr(self, "colorbar"):
            self._fit_labels()

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        point = self.plot.vb.mapSceneToView(scene_pos)
        row, col = int(np.floor(point.y())), int(np.floor(point.x()))
        if 0 <= row < self.matrix.shape[0] and 0 <= col < self.matrix.shape[1]:
            return row, col
        return None

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
        return f"{r} · {c}: {float(self.matrix[row, col]):.4g}"

    def _hovered(self, scene_pos) -> None:
        from PySide6.QtWidgets import QToolTip

        cell = self.cell_at(scene_pos)
        if cell is None:
            QToolTip.hideText()
            return
        global_pos = self.mapToGlobal(self.mapFromScene(scene_pos))
        QToolTip.showText(global_pos, self.hover_text(*cell), self)

    def _clicked(self, event) -> None:
        point = self.plot.vb.mapSceneToView(event.scenePos())
        row, col = int(np.floor(point.y())), int(np.floor(point.x()))
        if 0 <= row < self.matrix.shape[0] and 0 <= col < self.matrix.shape[1]:
            self.cellClicked.emit(row, col)

    def apply_theme(self) -> None:
        c = theme.colors()
        self.setBackground(c["background"])
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(c["foreground"])
            axis.setTextPen(c["foreground"])
        self.colorbar.axis.setPen(c["foreground"])
        self.colorbar.axis.setTextPen(c["foreground"])
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Fonts follow the app (Ctrl+= / Ctrl+-); axes are sized for them explicitly, since
        pyqtgraph would otherwise only widen an axis after a repaint and never narrow it."""
        font = QFont(QApplication.font())
        fm = QFontMetrics(font)
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        for axis in (left, bottom, self.colorbar.axis):
            axis.setStyle(tickFont=font)
        widest = max((fm.horizontalAdvance(_short(t)) for t in self.row_labels), default=fm.horizontalAdvance("0"))
        left.setWidth(widest + 14)
        bottom.setHeight(fm.height() + 10)
        self.colorbar.axis.setWidth(fm.horizontalAdvance("-0.00") + 14)
        c = theme.colors()
        self.plot.setTitle(self.caption, color=c["foreground"], size=f"{font.pointSizeF():.1f}pt")
        for item in self._texts:
            item.setFont(font)
        self._fit_labels()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        ready = hasattr(self, "colorbar")  # Qt sends events while __init__ is still running
        if ready and event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange, QEvent.PaletteChange):
            self.apply_theme()
        super().changeEvent(event)
