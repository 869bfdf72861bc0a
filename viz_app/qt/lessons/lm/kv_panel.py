"""The GPT lesson's KV-cache tab: generation one time step at a time, with the key/value cache shown.

Left: at the chosen step, the new token's query against the cached key of every earlier token (one row per
head, the attention weights). Right: the cache itself (the chosen head's keys, one row per token), which grows
by one row per step. Below: the multiply-adds of the step with and without the cache, and the tokens per second
measured both ways. The panel only draws (``viz_app.core.lm.kv_trace.KVTrace``); the view asks.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QSplitter, QVBoxLayout, QWidget

from viz_app.core.lm.kv_cache import count_text
from viz_app.core.lm.kv_trace import KVTrace
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.heatmap import Heatmap, thin
from viz_app.qt.widgets.wrap_label import WrapLabel


def _spin(row, parent, label: str, name: str, lo: int, hi: int, value: int) -> QSpinBox:
    row.addWidget(QLabel(label, parent))
    box = QSpinBox(parent)
    box.setObjectName(name)
    box.setRange(lo, hi)
    box.setValue(value)
    row.addWidget(box)
    return box


class KVCachePanel(QWidget):
    runRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("kvPanel")
        col = QVBoxLayout(self)
        row = QHBoxLayout()
        self.run_button = QPushButton(tr("Generate step by step"), self)
        self.run_button.setObjectName("kvRun")
        self.run_button.setToolTip(tr("generate with the key/value cache (the seed and sampling of the first tab)"))
        self.run_button.clicked.connect(self.runRequested.emit)
        row.addWidget(self.run_button)
        self.max_new = _spin(row, self, tr("tokens:"), "kvMaxNew", 1, 200, 30)
        self.step = _spin(row, self, tr("Time step:"), "kvStep", 1, 1, 1)
        self.play_button = QPushButton(tr("Play"), self)
        self.play_button.setObjectName("kvPlay")
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self._play)
        row.addWidget(self.play_button)
        self.layer = _spin(row, self, tr("Layer:"), "kvLayer", 1, 4, 1)
        self.head = _spin(row, self, tr("Head (cache):"), "kvHead", 1, 8, 1)
        row.addStretch(1)
        col.addLayout(row)
        for box in (self.step, self.layer, self.head):
            box.valueChanged.connect(lambda _v: self.draw())
        self.caption = WrapLabel(self, "kvCaption")
        col.addWidget(self.caption)
        split = QSplitter(Qt.Horizontal, self)
        self.qk_map = Heatmap(self, object_name="kvQueryKeys")
        self.cache_map = Heatmap(self, object_name="kvCacheKeys")
        split.addWidget(self.qk_map)
        split.addWidget(self.cache_map)
        split.setSizes([520, 380])
        col.addWidget(split, 1)
        self.work = WrapLabel(self, "kvWork")
        col.addWidget(self.work)
        self.timer = QTimer(self)
        self.timer.setInterval(500)
        self.timer.timeout.connect(self._advance)
        self.trace: KVTrace | None = None
        self.caption.setText(
            tr(
                "Press <b>Generate step by step</b>: at each time step the GPT reads only the newest token; the keys "
                "and values of the tokens before it come from the cache."
            )
        )

    def set_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)

    def show_trace(self, trace: KVTrace, follow: bool = True) -> None:
        """Draw ``trace``; ``follow``: jump to its last step (while it is being generated)."""
        self.trace = trace
        if not trace.steps:
            return
        layers, heads = trace.steps[0].weights.shape[:2]
        self.layer.setMaximum(layers)
        self.head.setMaximum(heads)
        self.step.blockSignals(True)
        self.step.setMaximum(len(trace.steps))
        if follow:
            self.step.setValue(len(trace.steps))
        self.step.blockSignals(False)
        self.draw()

    def _play(self, on: bool) -> None:
        if on:
            if self.trace is not None and self.step.value() >= len(self.trace.steps):
                self.step.setValue(1)
            self.timer.start()
        else:
            self.timer.stop()

    def _advance(self) -> None:
        if self.trace is None or self.step.value() >= len(self.trace.steps):
            self.play_button.setChecked(False)
            return
        self.step.setValue(self.step.value() + 1)

    def draw(self) -> None:
        t = self.trace
        if t is None or not t.steps:
            return
        i = min(self.step.value(), len(t.steps)) - 1
        s = t.steps[i]
        layer = min(self.layer.value(), s.weights.shape[0]) - 1
        head = min(self.head.value(), s.weights.shape[1]) - 1
        heads = s.weights.shape[1]
        reading = s.window[-1] if s.window else ""
        keys = thin(list(s.window) if s.window else [str(k + 1) for k in range(s.length)])
        self.qk_map.set_matrix(
            s.weights[layer], [f"h{h + 1}" for h in range(heads)], keys, (0.0, 1.0), "viridis",
            colorbar_label=tr("attention weight"), cell_labels=s.length <= 24,
        )  # fmt: skip
        slid = any(not x.grew for x in t.steps[1:])
        if not slid and t.keys.shape[2] >= s.length:
            cache = t.keys[layer, head, : s.length]  # the rows cached by this step: the table grows row by row
            reach = max(1e-6, float(abs(t.keys[layer, head]).max()))
            self.cache_map.set_matrix(
                cache, keys, [str(d + 1) for d in range(cache.shape[1])], (-reach, reach), "CET-D1",
                colorbar_label=tr("key value"), cell_labels=False,
            )  # fmt: skip
        how = (
            tr("one new row per layer was added to the cache")
            if s.grew
            else tr("the cache was built from the whole window (the first step, or the window slid past the context)")
        )
        self.caption.setText(
            tr(
                "Time step {step}: the GPT reads “{token}” (position {length}). Left: its query q (layer {layer}, "
                "every head) against the {length} cached keys k, softmaxed: where it looks. It then picks "
                "“<b>{picked}</b>” (p = {p}); {how}. Right: the cache of layer {layer}, head {head}: one key "
                "vector per token read so far."
            ).format(
                step=i + 1,
                token=escape(reading),
                length=s.length,
                layer=layer + 1,
                picked=escape(s.token),
                p=f"{s.prob:.3f}",
                how=how,
                head=head + 1,
            )  # fmt: skip
        )
        speed = (
            tr("Measured on {device}: {fast} tokens/s with the cache, {slow} without ({ratio}× faster).").format(
                device=t.device,
                fast=f"{t.tokens_per_second:.0f}",
                slow=f"{t.tokens_per_second_without:.0f}",
                ratio=f"{t.tokens_per_second / t.tokens_per_second_without:.1f}",
            )  # fmt: skip
            if t.tokens_per_second and t.tokens_per_second_without
            else tr("(tokens per second: measured when the generation ends)")
        )
        self.work.setText(
            tr(
                "Work at this step: {with_cache} multiply-adds with the cache, {without} recomputing the window. "
                "The whole text ({n} steps): {total_with} with, {total_without} without ({saved} of the work saved)."
            ).format(
                with_cache=count_text(s.multiply_adds),
                without=count_text(s.multiply_adds_without),
                n=len(t.steps),
                total_with=count_text(t.multiply_adds),
                total_without=count_text(t.multiply_adds_without),
                saved=f"{1 - t.multiply_adds / max(1, t.multiply_adds_without):.0%}",
            )  # fmt: skip
            + " "
            + speed
        )
