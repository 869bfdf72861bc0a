"""Saving what a view shows: PNG (at twice the screen's pixels, for slides) or SVG (vector)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from viz_app.qt.i18n import tr


def export_widget(widget: QWidget, path: str, scale: float = 2.0) -> None:
    """Render ``widget`` to ``path``: SVG by its extension, otherwise a PNG ``scale`` times larger."""
    size = widget.size()
    if Path(path).suffix.lower() == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(path)
        # The widget lays its text out at the screen's resolution; an SVG written at QSvgGenerator's default
        # 72 dpi would give every font 3/4 of the size its positions were measured for, so that text runs
        # shrink and a bold word, placed where the wider text ended, drifts right of its line.
        generator.setResolution(max(1, round(widget.logicalDpiX())))
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        painter = QPainter(generator)
        QWidget.render(widget, painter, QPoint(0, 0))  # the widget itself, whatever it overrides
        painter.end()
        return
    if not render_image(widget, scale).save(path):
        raise OSError(tr("could not write {path}").format(path=path))


def render_image(widget: QWidget, scale: float = 1.0) -> QImage:
    """``widget`` drawn into an image with ``scale`` times its pixels (2 for slides), on its own background."""
    size = widget.size()
    image = QImage(QSize(max(1, int(size.width() * scale)), max(1, int(size.height() * scale))), QImage.Format_ARGB32)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    QWidget.render(widget, painter, QPoint(0, 0))  # the widget itself, whatever it overrides
    painter.end()
    return image
