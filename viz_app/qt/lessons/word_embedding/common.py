"""Helpers shared by the word-embedding lesson's modules: model titles, table fitting, compact pickers."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import QComboBox

from viz_app.core.lessons import word_embedding as core
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.widgets.number_table import NumberTable


def fit_rows(table: NumberTable, most: int) -> None:
    """Make a short table exactly as tall as its rows (up to ``most``; more rows scroll)."""
    rows = min(table.rowCount(), most)
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(rows))
    if table.horizontalHeader().length() > table.width() - 2 * table.frameWidth():  # it will scroll sideways
        height += table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height)


# The Chinese models' names, for translation (the core keeps them in English: core.CHINESE_MODEL_LABELS).
CHINESE_LABELS = (
    QT_TR_NOOP("Tang poems: skip-gram (characters, prediction)"),
    QT_TR_NOOP("Tang poems: PPMI + SVD (characters, counting)"),
)


def model_title(name: str) -> str:
    """A bundled model's name in the interface's language; a file's path as it is."""
    if name in core.MODEL_LABELS:
        return core_label(core.MODEL_LABELS[name])
    if name in core.CHINESE_MODEL_LABELS:
        return tr(core.CHINESE_MODEL_LABELS[name])
    return name


REFIT_EVENTS = (QEvent.Resize, QEvent.FontChange, QEvent.Show, QEvent.StyleChange)
DENSE_SHOWN = 3  # the first few numbers of each dense vector (the heatmap below shows all)


def compact(combo: QComboBox, chars: int = 20) -> None:
    """A model picker as wide as ``chars`` characters, not as its longest entry (the Tang models' titles would
    push the lesson past a 1024-pixel screen at 1.5x fonts); the list it opens shows every title whole, and
    the chosen one is named in full on hover."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.setToolTip(combo.currentText())
    combo.currentTextChanged.connect(combo.setToolTip)
