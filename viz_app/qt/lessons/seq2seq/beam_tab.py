"""The Beam search tab of the Seq2Seq view: the kept hypotheses of a beam search as a tree, beside greedy
decoding."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from viz_app.core.seq2seq import data
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.seq2seq.common import TABS
from viz_app.qt.widgets.beam_tree import BeamTree


class BeamTab:
    """Mixed into Seq2SeqView (a LessonView): builds and draws its tab from the view's ``result``."""

    def _build_beam_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Beam width:"), page))
        self.beam_width = QSpinBox(page)
        self.beam_width.setObjectName("beamWidth")
        self.beam_width.setRange(1, 10)
        self.beam_width.setValue(3)
        self.beam_width.valueChanged.connect(lambda _v: self.refresh())
        row.addWidget(self.beam_width)
        self.beam_summary = self.rich_label(page, "beamSummary")
        row.addWidget(self.beam_summary, 1)
        col.addLayout(row)
        self.beam_tree = BeamTree(page)
        scroll = QScrollArea(page)
        scroll.setObjectName("beamScroll")
        scroll.setWidget(self.beam_tree)
        scroll.setWidgetResizable(True)
        col.addWidget(scroll, 1)
        self.add_tab(page, TABS[2])

    def _draw_beam(self) -> None:
        beam = self.result.beam
        if beam is None:
            if "beam" in self.result.missing:  # on its way (``_ask_part``): nothing of an older text meanwhile
                self.beam_summary.setText("")
                self.beam_tree.set_tree([], [])
            return
        d = beam.decoded
        out = data.detokenize(d.tokens)
        greedy = data.detokenize(list(beam.greedy_tokens))
        same = list(d.tokens) == list(beam.greedy_tokens)
        self.beam_summary.setText(
            tr(
                "Beam ({width}): <b>{output}</b> (log P = {logp}, per word {per_word}). Greedy: {greedy} (log P = {greedy_logp})."
            ).format(
                width=beam.width,
                output=escape(out),
                logp=f"{d.score:.2f}",
                per_word=f"{d.score / max(1, len(d.tokens) + 1):.2f}",
                greedy=escape(greedy),
                greedy_logp=f"{beam.greedy_score:.2f}",
            )
            + " "
            + (tr("The same words.") if same else tr("<b>Beam search found a different output.</b>"))
            + " "
            + tr(
                "Each step keeps the {width} best partial outputs by total log P; "
                "{dropped} candidates were dropped. Boxed twice: finished (&lt;end&gt;)."
            ).format(width=beam.width, dropped=sum(d.pruned))
        )
        self.beam_tree.set_tree(d.tree, beam.path)
