"""The LSTM lesson's number formats and word axes: whole words under the plots, the axis following the width."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontMetrics

from viz_app.qt.widgets.heatmap import LABEL_GAP, TokenAxis

MAX_LABEL_CHARS = 12


def _signed(value: float) -> str:
    """Two decimals with a true minus sign (U+2212), never a hyphen that reads as a dash."""
    out = f"{value:.2f}"
    return "\u2212" + out[1:] if out.startswith("-") and out.strip("-0.") else out.lstrip("-")


def num3(value: float) -> str:
    """Three decimals with a true minus sign (U+2212); "-0.000" loses its sign."""
    out = f"{value:.3f}"
    return "\u2212" + out[1:] if out.startswith("-") and out.strip("-0.") else out.lstrip("-")


def factor(value: float) -> str:
    """A number as a factor in an equation: negative ones in brackets, so that "× −0.157" never reads as "− 0.157"."""
    out = num3(value)
    return f"({out})" if out.startswith("\u2212") else out


def short_word(token: str) -> str:
    return token if len(token) <= MAX_LABEL_CHARS else token[: MAX_LABEL_CHARS - 1] + "…"


def word_ticks(tokens, step_px: float, fm: QFontMetrics, gap: int = 8) -> list[tuple[int, str]]:
    """Whole-word tick labels at x = 0, 1, ...: every word whose label fits beside the last one drawn (a word too
    close to its neighbour is skipped, never cut; the tables and hovering name every step)."""
    out, right_edge = [], -1e9
    for k, token in enumerate(tokens):
        label = short_word(token)
        half = fm.horizontalAdvance(label) / 2
        centre = k * step_px
        if centre - half >= right_edge + gap:
            out.append((k, label))
            right_edge = centre + half
    return out


class _OnResize(QObject):
    """Calls ``callback`` after each resize of the widget it watches (axis labels follow the width)."""

    def __init__(self, widget, callback):
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt naming
        if event.type() == QEvent.Resize:
            self._callback()
        return False


def set_word_axis(plot_widget, tokens) -> None:
    """Label a PlotWidget's x axis (one step per token) with whole words through its TokenAxis: every word,
    level while they fit side by side, else upright (one line of text each) where the plot is tall enough to
    give them their height; where upright words would touch, or the plot is too short for them, every word that
    fits after the last one written (hovering and the tables name every step)."""
    plot_widget._word_tokens = list(tokens)
    axis = plot_widget.getAxis("bottom")
    view = plot_widget.getViewBox()
    (x0, x1), _ = view.viewRange()
    width = view.width() if view.width() > 10 else plot_widget.width() - 70
    step_px = width / max(x1 - x0, 1e-9)
    fm = QFontMetrics(axis._font() if isinstance(axis, TokenAxis) else plot_widget.font())
    if not isinstance(axis, TokenAxis):
        axis.setTicks([word_ticks(tokens, step_px, fm)])
        return
    labels = [(float(k), short_word(t), t) for k, t in enumerate(tokens)]
    widths = [fm.horizontalAdvance(text) for _k, text, _t in labels]
    level = all((widths[k] + widths[k + 1]) / 2 + 8 <= step_px for k in range(len(labels) - 1))
    upright_h = max(widths, default=0) + LABEL_GAP + 10
    if not level and plot_widget.height() - upright_h < 6 * fm.height():
        # Too short a plot to give upright words their height: level words, each that fits beside the last.
        kept = {k for k, _text in word_ticks(tokens, step_px, fm)}
        labels = [item for item in labels if int(item[0]) in kept]
        level = True
    elif not level:
        kept, last = [], -1e9
        for item in labels:
            if item[0] * step_px - last >= fm.height() + 1:
                kept.append(item)
                last = item[0] * step_px
        labels = kept
    axis.set_labels(labels, upright=not level)
    axis.setHeight(int((fm.height() if level else max(widths, default=0)) + LABEL_GAP + 10))


def follow_width(plot_widget) -> None:
    plot_widget._word_tokens = []
    _OnResize(plot_widget, lambda: set_word_axis(plot_widget, plot_widget._word_tokens))
