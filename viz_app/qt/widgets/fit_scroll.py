"""A scroll area that gives its widget all the room there is, and scrolls only below its minimum size.

QScrollArea's own ``widgetResizable`` sizes a widget with word-wrapped labels by its
*preferred* height-for-width, so a lesson would scroll even when it fits. This one
uses the widget's minimum size instead: lessons fill the window, and only at large
projector fonts, where the minimum outgrows the window, do scroll bars appear.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class FitScrollArea(QScrollArea):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt naming
        super().setWidget(widget)
        widget.installEventFilter(self)
        self._fit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if obj is self.widget() and event.type() == QEvent.LayoutRequest:
            self._fit()
        return super().eventFilter(obj, event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        area = self.maximumViewportSize()  # the room without scroll bars
        width = max(area.width(), minimum.width())
        if width > area.width():  # a horizontal bar takes height away
            area.setHeight(area.height() - self.horizontalScrollBar().sizeHint().height())
        height = max(area.height(), minimum.height())
        if height > area.height() and width == area.width():
            width = max(area.width() - self.verticalScrollBar().sizeHint().width(), minimum.width())
        if widget.size().width() != width or widget.size().height() != height:
            widget.resize(width, height)
