"""Why this prediction? One prediction explained four ways, one row each over the input tokens: gradient × input,
integrated gradients, the last layer's attention and attention rollout; with the completeness check of
integrated gradients and a note on why attention and gradients can disagree.

Only draws; the view sends ``viz_app.core.explain.explain_all_job`` and hands its result here.
"""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from viz_app.qt.i18n import tr
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.wrap_label import WrapLabel

METHOD_LABELS = {  # short: a heatmap row label keeps 12 characters; the note below the map names them in full
    "grad-x-input": QT_TR_NOOP("grad × input"),
    "integrated-gradients": QT_TR_NOOP("integ. grad."),
    "attention": QT_TR_NOOP("attention"),
    "rollout": QT_TR_NOOP("rollout"),
}


class ExplainPanel(QWidget):
    """``changed`` when the target (or the [MASK], or what is explained) changes: the view asks again."""

    changed = Signal()

    def __init__(self, parent=None, subjects: tuple[tuple[str, str], ...] = (), masks: bool = False):
        super().__init__(parent)
        self.setObjectName("explainPanel")
        col = QVBoxLayout(self)
        row = QHBoxLayout()
        self.subject = QComboBox(self)
        self.subject.setObjectName("explainSubject")
        for key, label in subjects:
            self.subject.addItem(tr(label), key)
        self.subject.setVisible(len(subjects) > 1)
        self.subject.currentIndexChanged.connect(self._subject_changed)
        row.addWidget(self.subject)
        row.addWidget(QLabel(tr("Explain:"), self))
        self.target = QComboBox(self)
        self.target.setObjectName("explainTarget")
        self.target.setMinimumContentsLength(14)
        self.target.addItem(tr("the top prediction"), None)
        self.target.activated.connect(lambda _i: self.changed.emit())
        row.addWidget(self.target)
        self.mask_label = QLabel(tr("[MASK] number:"), self)
        self.mask = QSpinBox(self)
        self.mask.setObjectName("explainMask")
        self.mask.setRange(1, 20)
        self.mask.valueChanged.connect(lambda _v: self._mask_changed())
        row.addWidget(self.mask_label)
        row.addWidget(self.mask)
        self.mask_label.setVisible(masks)
        self.mask.setVisible(masks)
        self._masks = masks
        row.addStretch(1)
        col.addLayout(row)
        self.caption = WrapLabel(self, "explainCaption")
        col.addWidget(self.caption)
        self.map = Heatmap(self, object_name="explainMap")
        col.addWidget(self.map, 1)
        self.note = WrapLabel(self, "explainNote")
        self.note.setText(
            tr(
                "Rows: gradient × input; integrated gradients (from every token [PAD] to the text); the last "
                "layer's attention from the predicted position (mean of the heads); attention rollout through every "
                "layer. Attention shows where the model looked; the gradients, what would change its answer. The "
                "two can disagree: attention is one step, and the values, Wᴼ, the feed-forward layers and the "
                "residual path all come after it."
            )
        )
        col.addWidget(self.note)
        self.result = None
        self.caption.setText(tr("Type a text: the model's prediction is explained here, token by token."))

    # --- what is asked -------------------------------------------------------------------------
    def subject_key(self) -> str:
        return self.subject.currentData() or ""

    def target_text(self) -> str | None:
        return self.target.currentData()

    def mask_index(self) -> int | None:
        return self.mask.value() - 1 if self._masks and self.mask.isVisible() else None

    def _subject_changed(self) -> None:
        self.target.blockSignals(True)
        self.target.setCurrentIndex(0)
        self.target.blockSignals(False)
        self.mask_label.setVisible(self._masks and self.subject_key() != "sentiment")
        self.mask.setVisible(self._masks and self.subject_key() != "sentiment")
        self.changed.emit()

    def _mask_changed(self) -> None:
        self.target.blockSignals(True)
        self.target.setCurrentIndex(0)  # another [MASK]: its own top guess
        self.target.blockSignals(False)
        self.changed.emit()

    # --- the result ----------------------------------------------------------------------------
    def show_result(self, r) -> None:
        """``r``: a ``viz_app.core.explain.Explanations``."""
        self.result = r
        chosen = self.target_text()
        self.target.blockSignals(True)
        while self.target.count() > 1:
            self.target.removeItem(1)
        for word, p in r.top:
            self.target.addItem(f"{word}  ({p:.3f})", word)
        if chosen is not None:
            k = self.target.findData(chosen)
            if k < 0:
                self.target.addItem(chosen, chosen)
                k = self.target.count() - 1
            self.target.setCurrentIndex(k)
        self.target.blockSignals(False)
        rows = np.stack([np.asarray(e.attributions, np.float64) for e in r.by_method])
        scale = np.abs(rows).max(axis=1, keepdims=True)
        shown = np.divide(rows, scale, out=np.zeros_like(rows), where=scale > 0)
        first = r.by_method[0]
        tokens = list(first.tokens)
        # reverse: positive (the token pushed toward the prediction) is blue, as a head that helped is in the scan
        self.map.set_matrix(
            shown, [tr(METHOD_LABELS.get(e.method, e.method)) for e in r.by_method], tokens, (-1.0, 1.0), "CET-D1",
            reverse=True, value_format="{:+.2f}", colorbar_label=tr("share of the row's largest"),
            cell_labels=len(tokens) <= 16,
        )  # fmt: skip
        ig = next((e for e in r.by_method if e.method == "integrated-gradients"), None)
        check = ""
        if ig is not None and ig.baseline_score is not None and ig.completeness_error is not None:
            check = tr(
                " Integrated gradients add up to {total}; f(input) − f(baseline) = {diff}: within {err} ({steps} "
                "steps; baseline: every token {baseline})."
            ).format(
                total=f"{float(np.sum(ig.attributions)):.3f}", diff=f"{ig.target_score - ig.baseline_score:.3f}",
                err=f"{ig.completeness_error:.1%}", steps=ig.steps,
                baseline="[PAD]" if ig.baseline == "pad" else tr("zero"),
            )  # fmt: skip
        where = ""
        if first.kind == "transformer":
            where = tr(" (output word after “{before}”)").format(
                before=escape(" ".join(first.context[1:]) or "<start>")
            )
        self.caption.setText(
            tr(
                "Why “<b>{target}</b>”{where} (p = {p})? Each row: how much each input token counted, scaled to the "
                "row's largest. Blue: pushed toward “{target}”; red: away from it.{check}"
            ).format(target=escape(first.target), where=where, p=f"{np.exp(first.target_score):.3f}", check=check)
        )
