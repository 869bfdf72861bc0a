"""Light and dark themes and the app-wide font scale (Ctrl+= / Ctrl+- for a projector)."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark", "contrast")  # "contrast": presentation mode, black on white
# Sequential colour maps for heatmaps: perceptually uniform, readable in greyscale and by colour-blind
# viewers. Diverging maps (CET-D1, blue-white-red) are kept for signed values.
COLORMAPS = (
    ("viridis", QT_TR_NOOP("Viridis")),
    ("cividis", QT_TR_NOOP("Cividis (colour-blind safe)")),
    ("magma", QT_TR_NOOP("Magma")),
)
_DEFAULT_SEQUENTIAL = "viridis"
# One colour per attention head (matplotlib's tab10 order), and the colour that marks the selected or hovered
# token, row or cell in every view.
HEAD_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
HIGHLIGHT = "#ff7f0e"
_BASE_POINT_SIZE: dict[str, float] = {}

# Colours that drawing code (pyqtgraph, custom painters) reads for the current theme.
PLOT_COLORS = {
    "light": {
        "background": "#ffffff",
        "foreground": "#202020",
        "accent": "#1f77b4",
        "muted": "#9a9a9a",
        "warn_bg": "#fff3cd",
        "warn_fg": "#664d03",
        "error_bg": "#f8d7da",
        "error_fg": "#842029",
    },
    "dark": {
        "background": "#1e1f22",
        "foreground": "#e6e6e6",
        "accent": "#6cb4ee",
        "muted": "#7a7a7a",
        "warn_bg": "#4a3b05",
        "warn_fg": "#ffe69c",
        "error_bg": "#58151c",
        "error_fg": "#f5c2c7",
    },
}
PLOT_COLORS["contrast"] = {
    "background": "#ffffff",
    "foreground": "#000000",
    "accent": "#0033cc",
    "muted": "#555555",
    "warn_bg": "#ffe08a",
    "warn_fg": "#000000",
    "error_bg": "#ffc2c2",
    "error_fg": "#000000",
}
_current = {"theme": "light", "colormap": _DEFAULT_SEQUENTIAL, "line_scale": 1.0}


def colormap_choices() -> tuple[tuple[str, str], ...]:
    return COLORMAPS


def colormap() -> str:
    return _current["colormap"]


def set_colormap(name: str) -> None:
    _current["colormap"] = name if name in dict(COLORMAPS) else _DEFAULT_SEQUENTIAL


def resolve_colormap(name: str) -> str:
    """The colour map to draw with: the user's sequential choice stands in for the default one."""
    return _current["colormap"] if name == _DEFAULT_SEQUENTIAL else name


def color_map(name: str = _DEFAULT_SEQUENTIAL, reverse: bool = False):
    """A private pyqtgraph ColorMap for ``name`` (the user's sequential choice standing in for the default one),
    low to high, or high to low with ``reverse``.

    ``pyqtgraph.colormap.get`` hands every caller the same cached object, and ``ColorMap.reverse()`` turns it
    round in place: reversing that object would flip every heatmap of the app (and its own direction would
    alternate between renders). The map returned here is built anew from the cached one's stops, which are
    only read, so that callers may change it as they like."""
    import numpy as np
    import pyqtgraph as pg

    shared = pg.colormap.get(resolve_colormap(name))
    pos, rgba = shared.getStops(mode=pg.ColorMap.BYTE)
    pos, rgba = np.array(pos, dtype=float), np.array(rgba, dtype=np.ubyte)
    if reverse:
        pos, rgba = 1.0 - pos[::-1], rgba[::-1]
    return pg.ColorMap(pos, rgba, name=f"{shared.name}{' reversed' if reverse else ''}")


def lookup_table(name: str = _DEFAULT_SEQUENTIAL, reverse: bool = False, points: int = 256):
    """(points, 3 or 4) uint8 colours of :func:`color_map`, low values first."""
    return color_map(name, reverse).getLookupTable(nPts=points)


def text_on(rgb) -> str:
    """Black or white, whichever contrasts more with a cell of colour ``rgb`` (0..255 each), by the WCAG
    contrast ratio: on any colour one of the two reaches at least 4.58 : 1 (AA asks 4.5 : 1)."""

    def linear(v: float) -> float:
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (float(v) for v in list(rgb)[:3])
    lum = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def head_color(head: int) -> str:
    """The colour of attention head ``head`` (0-based): the same in every lesson, its toggles and its lines."""
    return HEAD_COLORS[head % len(HEAD_COLORS)]


def set_line_scale(scale: float) -> None:
    _current["line_scale"] = float(scale)


def line_width(width: float) -> float:
    """A pen width in the current mode (thicker in presentation mode)."""
    return width * _current["line_scale"]


def current_theme() -> str:
    return _current["theme"]


def colors() -> dict[str, str]:
    return PLOT_COLORS[_current["theme"]]


def apply_theme(app: QApplication, name: str) -> None:
    name = name if name in THEMES else "light"
    _current["theme"] = name
    if app.style().name().lower() != "fusion":
        # Only once: setting a style again cuts every widget with a style sheet (the warning strips, the
        # tables' headers) off later font changes, so that they stayed small in presentation mode.
        app.setStyle("Fusion")
    if name == "light":
        app.setPalette(app.style().standardPalette())
        return
    if name == "contrast":
        p = app.style().standardPalette()
        black, white = QColor("#000000"), QColor("#ffffff")
        for role in (QPalette.Window, QPalette.Base, QPalette.Button, QPalette.ToolTipBase, QPalette.AlternateBase):
            p.setColor(role, white)
        for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText, QPalette.ToolTipText):
            p.setColor(role, black)
        p.setColor(QPalette.Highlight, QColor("#0033cc"))
        p.setColor(QPalette.HighlightedText, white)
        p.setColor(QPalette.Link, QColor("#0033cc"))
        # Setting a role sets it in every colour group: give disabled controls their grey back, or a greyed-out
        # Back / Stop button looks clickable on the projector (#6e6e6e on white: contrast 5.1:1, still legible).
        for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
            p.setColor(QPalette.Disabled, role, QColor("#6e6e6e"))
        app.setPalette(p)
        return
    p = QPalette()
    window, base, text = QColor("#2b2d30"), QColor("#1e1f22"), QColor("#e6e6e6")
    p.setColor(QPalette.Window, window)
    p.setColor(QPalette.WindowText, text)
    p.setColor(QPalette.Base, base)
    p.setColor(QPalette.AlternateBase, QColor("#2f3136"))
    p.setColor(QPalette.ToolTipBase, base)
    p.setColor(QPalette.ToolTipText, text)
    p.setColor(QPalette.Text, text)
    p.setColor(QPalette.Button, window)
    p.setColor(QPalette.ButtonText, text)
    p.setColor(QPalette.BrightText, QColor("#ff6b6b"))
    p.setColor(QPalette.Highlight, QColor("#3574f0"))
    p.setColor(QPalette.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.Link, QColor("#6cb4ee"))
    p.setColor(QPalette.PlaceholderText, QColor("#8c8c8c"))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    app.setPalette(p)


def apply_font_scale(app: QApplication, scale: float) -> QFont:
    """Scale the application font from the size it had at start-up; every widget follows."""
    key = "base"
    if key not in _BASE_POINT_SIZE:
        size = app.font().pointSizeF()
        _BASE_POINT_SIZE[key] = size if size > 0 else 10.0
    font = QFont(app.font())
    font.setPointSizeF(_BASE_POINT_SIZE[key] * scale)
    app.setFont(font)
    # A widget with its own style sheet keeps the font it had when the sheet was applied (the warning strips,
    # coloured labels): polish those again so that they grow and shrink with the rest.
    # Only the widgets of the windows on screen: app.allWidgets() also hands back widgets of closed windows that
    # are being torn down, and polishing one of those crashed the process (seen in the test suite).
    from PySide6.QtWidgets import QWidget

    for root in app.topLevelWidgets():
        if not root.isVisible():
            continue
        for widget in [root, *root.findChildren(QWidget)]:
            if widget.styleSheet():
                widget.style().unpolish(widget)
                widget.style().polish(widget)
    return font


def style_plot(plot_widget) -> None:
    """Give a pyqtgraph PlotWidget the theme's background and axis colours."""
    c = colors()
    plot_widget.setBackground(c["background"])
    for name in ("left", "bottom"):
        axis = plot_widget.getAxis(name)
        axis.setPen(c["foreground"])
        axis.setTextPen(c["foreground"])
