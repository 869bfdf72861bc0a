"""Pieces the attention lessons share: a row of per-head toggles in the heads' colours, and opening one
map of a layer x head grid large."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QCheckBox, QHBoxLayout, QLabel, QWidget

from viz_app.qt.i18n import tr
from viz_app.qt.theme import head_color


class HeadToggles(QWidget):
    """ "Heads shown: [x]■1 [x]■2 …", each box with a swatch of its head's colour."""

    toggled = Signal(int, bool)  # head, shown

    def __init__(self, parent=None, heads: int = 8, object_prefix: str = "headToggle"):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Heads shown:"), self))
        self.boxes: list[QCheckBox] = []
        for h in range(heads):
            box = QCheckBox(f"{h + 1}", self)
            box.setObjectName(f"{object_prefix}{h}")
            box.setChecked(True)
            box.toggled.connect(lambda on, h=h: self.toggled.emit(h, on))
            row.addWidget(box)
            self.boxes.append(box)
        row.addStretch(1)
        self._style_boxes()

    def _style_boxes(self) -> None:
        """Each box with a swatch of its head's colour (the colour of its lines) and its number in bold, at the
        app's font size; the number stays in the text colour, since light head colours (orange, cyan) would
        be hard to read as text on a projector."""
        font = QFont(QApplication.font())
        font.setBold(True)
        side = QFontMetrics(font).height()
        for h, box in enumerate(self.boxes):
            swatch = QPixmap(side, side)
            swatch.fill(QColor(head_color(h)))
            box.setIcon(QIcon(swatch))
            box.setIconSize(QSize(side, side))
            box.setFont(font)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange) and hasattr(self, "boxes"):
            self._style_boxes()

    def show_count(self, heads: int) -> None:
        for h, box in enumerate(self.boxes):
            box.setVisible(h < heads)


def open_large(grid, large, attention: np.ndarray, tokens: list[str], layer: int, head: int) -> bool:
    """Mark (layer, head) in the grid and draw its map in ``large``; False if there is no such map."""
    if attention is None or layer >= attention.shape[0] or head >= attention.shape[1]:
        return False
    grid.selected = (layer, head)
    grid.update()
    large.set_matrix(
        attention[layer, head],
        tokens,
        tokens,
        (0.0, 1.0),
        "viridis",
        colorbar_label=tr("layer {layer}, head {head}").format(layer=layer + 1, head=head + 1),
    )
    return True
