"""Draw the app's icon with QPainter: ``python -m viz_app.packaging.make_icon``.

The picture is attention in its simplest form: three words below, three above, and lines between
them as wide as the weight, on a rounded blue square. Written to ``resources/icons/`` as
``viz-app.png`` (256 px, the Linux desktop icon), ``viz-app.ico`` (Windows) and ``viz-app.icns``
(macOS), the last two where this Qt has the image plugin for them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "icons"

# weights[i][j]: how strongly upper word i attends to lower word j (rows sum to 1)
WEIGHTS = ((0.70, 0.20, 0.10), (0.15, 0.60, 0.25), (0.05, 0.30, 0.65))


def draw(size: int = 256):
    """The icon as a QImage of ``size`` x ``size`` pixels with a transparent background."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPen

    image = QImage(size, size, QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.scale(size / 256, size / 256)  # drawn on a 256-unit grid

    tile = QRectF(12, 12, 232, 232)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0.0, QColor("#2b8ad6"))
    gradient.setColorAt(1.0, QColor("#174f80"))
    painter.setPen(Qt.NoPen)
    painter.setBrush(QBrush(gradient))
    painter.drawRoundedRect(tile, 48, 48)

    xs = (68.0, 128.0, 188.0)
    upper_y, lower_y, radius = 74.0, 182.0, 19.0
    for i, row in enumerate(WEIGHTS):
        for j, weight in enumerate(row):
            pen = QPen(QColor(255, 255, 255, int(70 + 170 * weight)), 2 + 20 * weight)
            pen.setCapStyle(Qt.RoundCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(xs[i], upper_y), QPointF(xs[j], lower_y))

    painter.setPen(QPen(QColor("#174f80"), 5))
    painter.setBrush(QColor("#ffffff"))
    for x in xs:
        painter.drawEllipse(QPointF(x, upper_y), radius, radius)
    painter.setBrush(QColor("#ffb454"))  # the words read in, in the app's warm accent
    for x in xs:
        painter.drawEllipse(QPointF(x, lower_y), radius, radius)
    painter.end()
    return image


def write_icons(folder: Path = ICON_DIR) -> list[Path]:
    """Write the PNG (always) and the .ico and .icns (where Qt can write them); returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImageWriter

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - image plugins need one
    folder.mkdir(parents=True, exist_ok=True)
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    written = []
    png = folder / "viz-app.png"
    if not draw(256).save(str(png), "PNG"):
        raise RuntimeError(f"could not write {png}")
    written.append(png)
    for suffix, fmt, size in (("ico", "ico", 256), ("icns", "icns", 512)):
        path = folder / f"viz-app.{suffix}"
        if fmt in formats and draw(size).save(str(path), fmt.upper()):
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw the viz-app icon into resources/icons/.")
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="folder to write into")
    args = parser.parse_args(argv)
    for path in write_icons(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
