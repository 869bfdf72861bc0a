"""The Step by step tab of the Seq2Seq view: one decoder step at a time (its attention weights, its five most
probable words, the context vector and the decoder state), with what-if forcing of a word."""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.seq2seq.common import TABS, joined, token_labels
from viz_app.qt.widgets.heatmap import Heatmap, TokenAxis, elide_token
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.probability_bars import probability_text
from viz_app.qt.widgets.step_player import StepPlayer


class StepTab:
    """Mixed into Seq2SeqView (a LessonView): builds and draws its tab from the view's ``result``."""

    def _build_step_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.player = StepPlayer(page)
        self.player.stepChosen.connect(self._select_step)
        # The player's parts, by the names the rest of the view (and the tests) use.
        self.back_button, self.forward_button = self.player.back_button, self.player.forward_button
        self.play_button, self.play_timer = self.player.play_button, self.player.timer
        row.addWidget(self.player)
        self.step_title = self.rich_label(page, "stepTitle")
        row.addWidget(self.step_title, 1)
        col.addLayout(row)
        self.partial_output = self.rich_label(page, "partialOutput")
        col.addWidget(self.partial_output)
        grid = QGridLayout()
        self.alpha_plot = pg.PlotWidget(page, axisItems={"bottom": TokenAxis("bottom")})
        self.alpha_plot.setObjectName("alphaPlot")
        self.alpha_plot.setMouseEnabled(x=False, y=False)
        self.alpha_plot.setMenuEnabled(False)
        self.alpha_plot.setLabel("left", tr("αₜ (sums to 1)"))
        grid.addWidget(self.alpha_plot, 0, 0)
        right = QVBoxLayout()
        self.top_title = self.rich_label(page, "topTitle")
        self.top_title.setMinimumWidth(200)
        right.addWidget(self.top_title)
        self.top_table = NumberTable(page, object_name="topWords", stretch_column=0)
        self.top_table.cellDoubleClicked.connect(lambda r, _c: self._force(self.top_table.cell_text(r, 0)))
        right.addWidget(self.top_table, 1)
        force_row = QHBoxLayout()
        force_row.addWidget(QLabel(tr("Force:"), page))
        self.force_edit = QLineEdit(page)
        self.force_edit.setObjectName("forceWord")
        self.force_edit.setPlaceholderText(tr("a word for this step"))
        self.force_edit.returnPressed.connect(lambda: self._force(self.force_edit.text()))
        force_row.addWidget(self.force_edit, 1)
        self.force_button = QPushButton(tr("Force"), page)
        self.force_button.setObjectName("forceButton")
        self.force_button.setToolTip(tr("output this word at this step and let the model decode the rest (what-if)"))
        self.force_button.clicked.connect(lambda: self._force(self.force_edit.text()))
        force_row.addWidget(self.force_button)
        right.addLayout(force_row)
        self.reset_button = QPushButton(tr("Undo forcing"), page)
        self.reset_button.setObjectName("resetForced")
        self.reset_button.setToolTip(tr("let the model choose every word again"))
        self.reset_button.clicked.connect(self._reset_forced)
        right.addWidget(self.reset_button, 0, Qt.AlignRight)
        holder = QWidget(page)
        holder.setLayout(right)
        grid.addWidget(holder, 0, 1)
        self.context_strip = Heatmap(page, object_name="contextStrip")
        self.state_strip = Heatmap(page, object_name="stateStrip")
        grid.addWidget(self.context_strip, 1, 0)
        grid.addWidget(self.state_strip, 1, 1)
        for strip in (self.context_strip, self.state_strip):
            strip.setMinimumHeight(int(4.5 * strip.fontMetrics().height()))  # a strip tall enough to see its colours
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 1)
        col.addLayout(grid, 1)
        self.add_tab(page, TABS[1])

    def _force(self, word: str) -> None:
        word = word.strip().lower()
        if self.result is None or not word:
            return
        trace = self.result.trace
        prefix = tuple(s.word for s in trace.steps[: self._step])
        self._forced = (*prefix, word)
        self.force_edit.clear()
        self.refresh()

    def _reset_forced(self) -> None:
        if self._forced:
            self._forced = ()
            self.refresh()

    def _select_step(self, step: int) -> None:
        if self.result is None:
            self.player.stop()
            return
        steps = self.result.trace.steps
        self._step = max(0, min(step, len(steps) - 1))
        self.alignment_lines.select(self._step if self._step < len(self.result.trace.output_tokens) else -1)
        self._drawn_tabs.discard(1)
        if self.tabs.currentIndex() == 1:
            self._draw_tab(1)

    def _draw_step(self) -> None:
        trace = self.result.trace
        c = theme.colors()
        if not trace.steps:
            return
        t = self._step
        step = trace.steps[t]
        self.player.show_position(t, len(trace.steps))
        said = joined(trace, [s.word for s in trace.steps[:t]])
        before = (
            tr("after “{words}”").format(words=escape(said))
            if said
            else tr("starting from &lt;start&gt; and the context vector")
        )
        title = (
            tr("<b>Step {t} of {steps}</b>: {before}, the decoder outputs <b>{word}</b> (p = {p}, forced by you).")
            if step.forced
            else tr("<b>Step {t} of {steps}</b>: {before}, the decoder outputs <b>{word}</b> (p = {p}).")
        )
        self.step_title.setText(
            title.format(t=t + 1, steps=len(trace.steps), before=before, word=escape(step.word), p=f"{step.prob:.3f}")
        )
        self.reset_button.setEnabled(bool(self._forced))
        words = []
        for k, s in enumerate(trace.steps):
            style = "color:" + c["muted"] if k > t else ""
            text = escape(s.word)
            if s.forced:
                text = f"<u>{text}</u>"
            if k == t:
                text = f"<b style='color:#ff7f0e'>{text}</b>"
            words.append(f"<span style='{style}'>{text}</span>")
        self.partial_output.setText(
            tr("Output: {words}&nbsp;&nbsp;(forced words underlined)").format(words=joined(trace, words))
        )
        self.alpha_plot.clear()
        theme.style_plot(self.alpha_plot)
        src = list(trace.source_tokens)
        x = np.arange(len(src))
        if step.alpha is not None:
            self.alpha_plot.addItem(pg.BarGraphItem(x=x, height=step.alpha, width=0.7, brush=c["accent"]))
            self.alpha_plot.setTitle(tr("α<sub>{t}</sub> over the source words").format(t=t + 1), color=c["foreground"])
            for k, a in enumerate(step.alpha):
                if a < 0.05:  # small weights stay unlabelled (the bars overlap their labels otherwise)
                    continue
                label = pg.TextItem(f"{a:.2f}", anchor=(0.5, 1.0), color=c["foreground"])
                label.setPos(k, float(a))
                self.alpha_plot.addItem(label)
        else:
            # No weights to draw: the plot says so in its middle, and has no α axis to suggest there are some.
            self.alpha_plot.setTitle(tr("no attention: only h<sup>M</sup>"), color=c["foreground"])
            note = pg.TextItem(
                html=f"<div style='color:{c['muted']}; text-align:center'>"
                + tr("This model has no attention weights: every step reads the same context vector hᴹ, the "
                     "encoder's last state (below).")
                + "</div>",
                anchor=(0.5, 0.5),
            )  # fmt: skip
            note.setTextWidth(max(160.0, self.alpha_plot.width() * 0.8))
            note.setPos(max(len(src) - 1, 0) / 2, 0.55)
            self.alpha_plot.addItem(note)
        self.alpha_plot.getAxis("left").setVisible(step.alpha is not None)
        # Each source word whole under its bar (only a word over 12 characters shortened, named in full on
        # hover), turned upright when the words are wider than their bars.
        token_labels(self.alpha_plot, [(k, elide_token(w), w) for k, w in enumerate(src)], len(src))
        self.alpha_plot.setYRange(0, 1.1)
        self.alpha_plot.setXRange(-0.6, max(len(src) - 0.4, 0.6))
        self.top_title.setText(
            tr("The {n} most probable words at step {t} (double-click one to force it):").format(
                n=len(step.top), t=t + 1
            )
        )
        self.top_table.set_rows([tr("word"), tr("probability")], [[w, probability_text(p)] for w, p in step.top])
        dim = len(step.context)
        lim_c = max(float(np.abs(step.context).max()), 1e-6)
        title_c = tr("context vector cᵗ = Σ αₜⁱ hⁱ") if step.alpha is not None else tr("context vector hᴹ (fixed)")
        self.context_strip.set_matrix(
            step.context[None, :], [f"c{t + 1}"], [""] * dim, (-lim_c, lim_c), colormap="CET-D1",
            colorbar_label=title_c + " " + tr("({n} numbers)").format(n=dim), cell_labels=False,
        )  # fmt: skip
        lim_s = max(float(np.abs(step.state).max()), 1e-6)
        self.state_strip.set_matrix(
            step.state[None, :], [f"s{t + 1}"], [""] * dim, (-lim_s, lim_s), colormap="CET-D1",
            colorbar_label=tr("decoder state sₜ ({n} numbers)").format(n=dim), cell_labels=False,
        )  # fmt: skip
