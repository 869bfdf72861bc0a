"""The Alignment tab of the Seq2Seq view: the attention matrix (rows: output words, columns: source words) and
the same weights as lines between the two sentences."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from viz_app.qt.i18n import tr
from viz_app.qt.lessons.seq2seq.common import TABS
from viz_app.qt.widgets.alignment_lines import AlignmentLines
from viz_app.qt.widgets.heatmap import Heatmap


class AlignmentTab:
    """Mixed into Seq2SeqView (a LessonView): builds and draws its tab from the view's ``result``."""

    def _build_alignment_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.alignment_caption = self.rich_label(self, "alignmentCaption")
        col.addWidget(self.alignment_caption)
        splitter = QSplitter(Qt.Vertical, page)
        self.alignment_map = Heatmap(page, object_name="alignmentMap")
        self.alignment_map.cellClicked.connect(lambda row, _col: self._select_step(row))
        splitter.addWidget(self.alignment_map)
        self.alignment_lines = AlignmentLines(page)
        splitter.addWidget(self.alignment_lines)
        splitter.setSizes([380, 220])
        col.addWidget(splitter, 1)
        self.add_tab(page, TABS[0])

    def _draw_alignment(self) -> None:
        trace = self.result.trace
        matrix = trace.attention_matrix()
        out = trace.output_tokens
        if matrix is None:
            self.alignment_caption.setText(
                tr(
                    "<b>This model has no attention.</b> Every output word is decoded from the same context vector "
                    "h<sup>M</sup>, the encoder's last state: there is nothing to align. Choose a model with attention."
                )
            )
            self.alignment_map.set_matrix(np.zeros((0, 0)), [], [], (0, 1))
            self.alignment_lines.set_alignment(trace.source_tokens, out, None)
            return
        caption = tr(
            "Row t is α<sub>t</sub>: how much output word t looked at each source word's encoder state h<sup>i</sup> "
            "(c<sup>t</sup> = Σ<sub>i</sub> α<sub>t</sub><sup>i</sup> h<sup>i</sup>). Each row sums to 1. "
            "Click a row to follow that step below and in <i>Step by step</i>."
        )
        if trace.task == "couplet":
            caption += " " + tr(
                "In a couplet the lines run in parallel: character i of the second line answers character i of "
                "the first (日 ↔ 月, 山 ↔ 水), so look for the weights along the diagonal."
            )
            figures = self.result.couplet_attention
            if figures is not None:
                caption += " " + tr(
                    "On the validation couplets this model gives {same}% of a character's attention to the same "
                    "position (uniform attention: {uniform}%) and {mark}% to the first line's ，, whose encoder "
                    "state sums up the whole line."
                ).format(
                    same=f"{100 * figures['same']:.0f}",
                    uniform=f"{100 * figures['uniform']:.0f}",
                    mark=f"{100 * figures['mark']:.0f}",
                )
        self.alignment_caption.setText(caption)
        self.alignment_map.set_matrix(
            matrix, out, list(trace.source_tokens), (0.0, 1.0), colormap="viridis", colorbar_label=tr("attention α")
        )
        self.alignment_lines.set_alignment(trace.source_tokens, out, matrix)
        self.alignment_lines.select(self._step if self._step < len(out) else -1)
