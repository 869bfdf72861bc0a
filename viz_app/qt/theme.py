"""Light and dark themes and the app-wide font scale (Ctrl+= / Ctrl+- for a projector)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")
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
_current = {"theme": "light"}


def current_theme() -> str:
    return _current["theme"]


def colors() -> dict[str, str]:
    return PLOT_COLORS[_current["theme"]]


def apply_theme(app: QApplication, name: str) -> None:
    name = name if name in THEMES else "light"
    _current["theme"] = name
    app.setStyle("Fusion")
    if name == "light":
        app.setPalette(app.style().standardPalette())
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
    return font


def style_plot(plot_widget) -> None:
    """Give a pyqtgraph PlotWidget the theme's background and axis colours."""
    c = colors()
    plot_widget.setBackground(c["background"])
    for name in ("left", "bottom"):
        axis = plot_widget.getAxis(name)
        axis.setPen(c["foreground"])
        axis.setTextPen(c["foreground"])
