"""Switching heads off, as a tab of a model lesson: a layers x heads grid of toggles, the prediction with those
heads off beside the one with all on, and "Which heads matter" (every head off in turn, as a heatmap).

The panel only draws; the view it belongs to sends the requests (``viz_app.core.ablation.scan``) and hands the
results here. Reusable by the BERT lesson (its [MASK] guess) and the Transformer lesson (a translated word).
"""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.ablation import scan
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars
from viz_app.qt.widgets.wrap_label import WrapLabel

ROW_KINDS = {
    "layer": QT_TR_NOOP("layer {n}"),
    "encoder": QT_TR_NOOP("encoder {n}"),
    "decoder": QT_TR_NOOP("decoder {n}"),
    "cross": QT_TR_NOOP("cross {n}"),
}


def row_label(label: str) -> str:
    """A row of ``viz_app.core.ablation.attention_modules`` ("layer 2", "cross 1"), in the interface's language."""
    kind, _, n = label.partition(" ")
    return tr(ROW_KINDS[kind]).format(n=n) if kind in ROW_KINDS else label


def _scan_hint() -> str:
    return tr("“Which heads matter?” switches each head off alone and draws how much the prediction changes.")


class HeadsPanel(QWidget):
    """The tab's widgets. ``changed`` when a head is toggled or the mode changes (the view asks again);
    ``scanRequested`` / ``cancelRequested`` for the scan's buttons."""

    changed = Signal()
    scanRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("headsPanel")
        col = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("A head switched off:"), self))
        self.mode = QComboBox(self)
        self.mode.setObjectName("ablationMode")
        self.mode.addItem(tr("outputs zero"), "zero")
        self.mode.addItem(tr("outputs its mean over a reference text"), "mean")
        self.mode.setToolTip(
            tr(
                "zero: the head adds nothing (W^O's bias, which belongs to no head, stays); mean: the head adds "
                "what it adds on average, but nothing that depends on this text"
            )
        )
        self.mode.currentIndexChanged.connect(lambda _i: self.changed.emit())
        row.addWidget(self.mode)
        self.all_on = QPushButton(tr("All heads on"), self)
        self.all_on.setObjectName("allHeadsOn")
        self.all_on.clicked.connect(self.switch_all_on)
        row.addWidget(self.all_on)
        row.addStretch(1)
        self.scan_button = QPushButton(tr("Which heads matter?"), self)
        self.scan_button.setObjectName("headScan")
        self.scan_button.setToolTip(tr("switch each head off in turn and measure how the prediction changes"))
        self.scan_button.clicked.connect(self.scanRequested.emit)
        scan_row = QHBoxLayout()  # above the map it draws (one row at the top would not fit 1024 px at 1.5x)
        scan_row.addWidget(self.scan_button)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setObjectName("headScanCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancelRequested.emit)
        scan_row.addWidget(self.cancel_button)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("headScanProgress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        scan_row.addWidget(self.progress)
        scan_row.addStretch(1)
        col.addLayout(row)
        self.caption = WrapLabel(self, "headsCaption")
        col.addWidget(self.caption)
        split = QSplitter(Qt.Horizontal, self)
        left = QWidget(self)
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(QLabel(tr("Click a head to switch it off or on:"), left))
        self.grid_box = QWidget(left)
        self.grid = QGridLayout(self.grid_box)
        self.grid.setSpacing(2)
        left_col.addWidget(self.grid_box)
        self.bars = ProbabilityBars(left, "headsBars")
        left_col.addWidget(self.bars, 1)
        split.addWidget(left)
        right = QWidget(self)
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        self.map = Heatmap(right, object_name="headScanMap")
        self.map.cellClicked.connect(self._map_clicked)
        right_col.addLayout(scan_row)
        right_col.addWidget(self.map, 1)
        self.scan_note = WrapLabel(right, "headScanNote")
        self.scan_note.setText(_scan_hint())
        self.map.hide()  # until a scan has been run for the text shown
        right_col.addWidget(self.scan_note)
        split.addWidget(right)
        split.setSizes([480, 420])
        col.addWidget(split, 1)
        self.buttons: list[list[QPushButton]] = []
        self.rows: tuple[str, ...] = ()
        self.prediction: scan.AblatedPrediction | None = None
        self.scan_result: scan.HeadScan | None = None
        self.caption.setText(tr("Switch heads off to see what they do: the prediction below updates with every click."))

    # --- the toggles ---------------------------------------------------------------------------
    @property
    def mode_name(self) -> str:
        return self.mode.currentData() or "zero"

    def heads_off(self) -> tuple[tuple[int, int], ...]:
        return tuple((r, h) for r, line in enumerate(self.buttons) for h, b in enumerate(line) if b.isChecked())

    def show_shape(self, rows: tuple[str, ...], heads: int) -> None:
        """One button per head, one line per attention block (kept when the shape is the same)."""
        if rows == self.rows and self.buttons and len(self.buttons[0]) == heads:
            return
        for line in self.buttons:
            for b in line:
                b.deleteLater()
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows, self.buttons = rows, []
        for h in range(heads):
            self.grid.addWidget(QLabel(f"h{h + 1}", self.grid_box), 0, h + 1, Qt.AlignCenter)
        for r, label in enumerate(rows):
            self.grid.addWidget(QLabel(row_label(label), self.grid_box), r + 1, 0)
            line = []
            for h in range(heads):
                b = QPushButton(tr("on"), self.grid_box)
                b.setObjectName(f"head_{r}_{h}")
                b.setCheckable(True)
                b.setMinimumWidth(36)
                b.toggled.connect(lambda on, b=b: self._toggled(b, on))
                self.grid.addWidget(b, r + 1, h + 1)
                line.append(b)
            self.buttons.append(line)

    def _toggled(self, button: QPushButton, off: bool) -> None:
        button.setText(tr("off") if off else tr("on"))
        button.setStyleSheet("background:#555; color:#fff;" if off else "")
        self.changed.emit()

    def switch_all_on(self) -> None:
        for line in self.buttons:
            for b in line:
                b.blockSignals(True)
                b.setChecked(False)
                b.setText(tr("on"))
                b.setStyleSheet("")
                b.blockSignals(False)
        self.changed.emit()

    def _map_clicked(self, row: int, head: int) -> None:
        if row < len(self.buttons) and head < len(self.buttons[row]):
            self.buttons[row][head].toggle()

    # --- results -------------------------------------------------------------------------------
    def what(self, r) -> str:
        if r.kind == "gpt":
            return tr("the next token after “…{context}”").format(context=escape(" ".join(r.context[-6:])))
        if r.kind == "bert":
            return tr("the word at [MASK]")
        return tr("output word {n} after “{before}”").format(
            n=r.position + 1, before=escape(" ".join(r.context[1:]) or "<start>")
        )

    def show_prediction(self, r: scan.AblatedPrediction) -> None:
        self.prediction = r
        s = self.scan_result
        if s is not None and (s.model, s.context, s.target_id, s.mode) != (r.model, r.context, r.target_id, r.mode):
            self.scan_result = None  # the map was for another text, model or mode: not shown beside this one
            self.map.hide()
            self.scan_note.setText(_scan_hint())
        self.show_shape(r.rows, r.heads)
        mode = tr("zero") if r.mode == "zero" else tr("its mean over a reference text")
        base, now = float(np.exp(r.base_logprob)), float(np.exp(r.logprob))
        if not r.heads_off:
            self.caption.setText(
                tr(
                    "Prediction: {what}. With every head on, “<b>{target}</b>” has probability {base}. Click a head "
                    "to switch it off and watch the probability change."
                ).format(what=self.what(r), target=escape(r.target), base=f"{base:.4f}")
            )
        else:
            self.caption.setText(
                tr(
                    "Prediction: {what}. With every head on, “<b>{target}</b>” has probability {base}; with {n} of "
                    "{total} heads switched off (each replaced by {mode}) it has {now}: a change of {change} "
                    "(log-probability {delta})."
                ).format(
                    what=self.what(r),
                    target=escape(r.target),
                    base=f"{base:.4f}",
                    n=len(r.heads_off),
                    total=len(r.rows) * r.heads,
                    mode=mode,
                    now=f"{now:.4f}",
                    change=f"{now - base:+.4f}",
                    delta=f"{r.delta_logprob:+.3f}",
                )  # fmt: skip
            )
        before = dict(r.base_top)
        self.bars.set_bars(
            [Bar(t, before.get(t, 0.0), p, False, tr("{token}: all heads on {p}, now {q}").format(
                token=t, p=f"{before.get(t, 0.0):.4f}", q=f"{p:.4f}")) for t, p in r.top],
            tr("blue: every head on; orange: with the heads switched off"),
        )  # fmt: skip

    def scan_started(self) -> None:
        self.scan_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.progress.show()

    def scan_progress(self, progress) -> None:
        if progress.fraction is not None:
            self.progress.setValue(int(100 * progress.fraction))
        if isinstance(progress.data, np.ndarray):
            self.map.show()
            self._draw_map(progress.data, self.rows, partial=True)

    def scan_ended(self) -> None:
        self.scan_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()

    def show_scan(self, r: scan.HeadScan) -> None:
        self.scan_result = r
        self.scan_ended()
        self.map.show()
        self._draw_map(r.delta, r.rows)

    def _draw_map(self, delta: np.ndarray, rows, partial: bool = False) -> None:
        shown = np.nan_to_num(delta, nan=0.0)
        reach = max(1e-3, float(np.abs(shown).max()))
        self.map.set_matrix(
            shown, [row_label(r) for r in rows], [f"h{h + 1}" for h in range(delta.shape[1])], (-reach, reach),
            "CET-D1", value_format="{:+.2f}", colorbar_label=tr("change in log-probability"),
        )  # fmt: skip
        if not partial and self.scan_result is not None:
            r = self.scan_result
            worst = np.unravel_index(int(np.argmin(r.delta)), r.delta.shape)
            self.scan_note.setText(
                tr(
                    "Each head switched off alone ({mode}): the change in the log-probability of “{target}”. Blue: "
                    "the head helped this prediction; red: it worked against it. Most needed: {row}, head {head} "
                    "({delta}). {n} heads in {seconds} s."
                ).format(
                    mode=tr("zero") if r.mode == "zero" else tr("mean"),
                    target=r.target,
                    row=row_label(r.rows[worst[0]]),
                    head=worst[1] + 1,
                    delta=f"{r.delta[worst]:+.3f}",
                    n=r.delta.size,
                    seconds=f"{r.seconds:.1f}",
                )  # fmt: skip
            )
