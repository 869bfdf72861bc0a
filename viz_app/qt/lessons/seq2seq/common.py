"""What the Seq2Seq view's modules share: the models it offers, its tabs, and the token labels under a plot."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtGui import QFontMetrics

from viz_app.core.lessons import seq2seq as lesson
from viz_app.qt.widgets.heatmap import LABEL_GAP

MODEL_CHOICES = (  # model, title (an English source, shown through tr())
    (lesson.ATTENTION_MODEL, QT_TR_NOOP("French → English, with attention")),
    (lesson.PLAIN_MODEL, QT_TR_NOOP("French → English, without attention")),
    (lesson.CHAT_MODEL, QT_TR_NOOP("Chatbot (English), with attention")),
    (lesson.COUPLET_MODEL, QT_TR_NOOP("Couplet (Chinese): line 1 → line 2, with attention")),
)
TABS = (  # English sources, shown through tr()
    QT_TR_NOOP("Alignment"),
    QT_TR_NOOP("Step by step"),
    QT_TR_NOOP("Beam search"),
    QT_TR_NOOP("With vs without attention"),
)
TAB_PARTS = {2: "beam", 3: "comparison"}  # the tabs that need a part of the result beyond the trace (lesson.PARTS)
BIN_ORDER = ("1-3", "4-6", "7-9", "10+")


def joined(trace, tokens) -> str:
    """Tokens as the page writes them: characters side by side for the couplet model, words spaced."""
    return "".join(tokens) if trace.task == "couplet" else " ".join(tokens)


def token_labels(plot: pg.PlotWidget, labels: list[tuple[float, str, str]], slots: int) -> None:
    """Write ``labels`` under a plot's bars with its TokenAxis: level while each fits its bar's width, else
    upright, the axis as tall as its labels need."""
    axis = plot.getAxis("bottom")
    fm = QFontMetrics(axis._font())
    widths = [fm.horizontalAdvance(text) for _x, text, _full in labels]
    slot = (max(plot.width(), 200) - 90) / max(1, slots)
    upright = max(widths, default=0) + 8 > slot
    axis.set_labels(labels, upright=upright)
    title = QFontMetrics(axis.label.font()).height() + 2 if axis.label.isVisible() else 0  # the axis's own name
    axis.setHeight(int((max(widths, default=0) if upright else fm.height()) + LABEL_GAP + 8 + title))
