"""The LSTM lesson's Chain rule tab: P(text) as a product of P(word | words before it) under the LSTM and the
bigram model, with notes on the <end> factor and on smoothing."""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from viz_app.core.lm.branches import Step
from viz_app.core.lstm import probes, text
from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.lstm.axes import _signed, follow_width, set_word_axis
from viz_app.qt.widgets.heatmap import TokenAxis
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.probability_bars import probability_text
from viz_app.qt.widgets.token_text import ProbabilityText, legend_html
from viz_app.qt.widgets.wrap_label import WrapLabel

LSTM_COLOUR, BIGRAM_COLOUR = "#1f77b4", "#e8710a"


class ChainTab:
    """Part of ``LstmView``: the Chain rule tab's widgets and drawing (its methods use the view's own widgets)."""

    def _build_chain_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.chain_summary = WrapLabel(self, "chainSummary", Qt.AutoText)
        self.chain_summary.setTextFormat(Qt.RichText)
        col.addWidget(self.chain_summary)
        self.include_end = QCheckBox(
            tr("Include the last factor P(<end> | …): the probability that the text stops here")
        )
        self.include_end.setObjectName("includeEnd")
        self.include_end.toggled.connect(self._redraw_chain)
        col.addWidget(self.include_end)
        notes_host = QWidget(self)
        notes = QHBoxLayout(notes_host)
        notes.setContentsMargins(0, 0, 0, 0)
        self.end_note = QLabel(self)
        self.end_note.setObjectName("endNote")
        self.smoothing_note = QLabel(self)
        self.smoothing_note.setObjectName("smoothingNote")
        for note in (self.end_note, self.smoothing_note):
            note.setWordWrap(True)
            note.setTextFormat(Qt.RichText)
            note.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            notes.addWidget(note, 1)
        # The notes scroll where the window is short, so that the plot keeps its room.
        self.notes_scroll = QScrollArea(self)
        self.notes_scroll.setObjectName("chainNotes")
        self.notes_scroll.setWidgetResizable(True)
        self.notes_scroll.setFrameShape(QFrame.NoFrame)
        self.notes_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.notes_scroll.setWidget(notes_host)
        chain_split = self.chain_split = QSplitter(Qt.Vertical, self)
        chain_split.setChildrenCollapsible(False)
        chain_split.addWidget(self.notes_scroll)
        plot_host = QWidget(self)
        plot_col = QVBoxLayout(plot_host)
        plot_col.setContentsMargins(0, 0, 0, 0)
        plot_col.setSpacing(2)
        # Its minimum is its wrapped height, so the splitter never pushes the plot's words under the table.
        # The text itself, each word on the colour of its probability under the LSTM (as the GPT's branching text).
        self.chain_colours = WrapLabel(self, "chainColours")
        self.chain_colours.setText(legend_html())
        plot_col.addWidget(self.chain_colours)
        self.chain_text = ProbabilityText(self, "chainText")
        self.chain_text.setMaximumHeight(3 * self.fontMetrics().lineSpacing() + 24)
        plot_col.addWidget(self.chain_text)
        self.chain_legend = WrapLabel(self, "chainLegend")
        plot_col.addWidget(self.chain_legend)
        self.chain_plot = pg.PlotWidget(self, axisItems={"bottom": TokenAxis("bottom")})
        self.chain_plot.setObjectName("chainPlot")
        follow_width(self.chain_plot)
        self.chain_plot.setMinimumHeight(160)
        plot_col.addWidget(self.chain_plot, 1)
        chain_split.addWidget(plot_host)
        self.chain_table = NumberTable(self, object_name="chainTable")
        self.chain_text.tokenClicked.connect(self.chain_table.selectRow)  # a word clicked: its row in the table
        chain_split.addWidget(self.chain_table)
        self.chain_table.setMinimumHeight(90)
        chain_split.setSizes([170, 300, 170])
        chain_split.setStretchFactor(1, 1)
        col.addWidget(chain_split, 1)
        self.add_tab(page, QT_TR_NOOP("Chain rule"))

    def _show_chain(self, lstm, bigram, pairs) -> None:
        self._chain = (lstm, bigram, pairs)
        self._redraw_chain()

    def _redraw_chain(self, *_args) -> None:
        chain = getattr(self, "_chain", None)
        if chain is None:
            return
        lstm, bigram, (explanations, unseen, ends) = chain
        if not lstm.tokens:
            self.chain_summary.setText(tr("Type a sentence to see its probability word by word."))
            for label in (self.end_note, self.smoothing_note):
                label.setText("")
            self.chain_table.set_rows([], [])
            self.chain_text.set_tokens("", ())
            self.chain_plot.clear()
            return
        with_end = self.include_end.isChecked()
        self.chain_summary.setText(self._chain_summary(lstm, bigram, with_end))
        self.end_note.setText(self._end_note(lstm, bigram, with_end, ends))
        self.smoothing_note.setText(self._smoothing_note(unseen))
        self._fit_notes()
        rows = []
        for k, token in enumerate(lstm.tokens):
            alts = ", ".join(f"{w} {p:.2f}" for w, p in lstm.alternatives[k]) if lstm.alternatives else ""
            shown = token
            if token == text.END:
                shown = tr("<end> (the text stops here)") if with_end else tr("<end> (left out)")
            e = explanations[k]
            rows.append(
                [
                    shown,
                    self._table_number(lstm.probs[k]),
                    self._table_number(bigram.probs[k]),
                    f"{e.pair_count:,}",
                    alts,
                ]
            )
        self.chain_table.set_rows(
            [
                tr("word"),
                tr("P under the LSTM"),
                tr("P under the bigram"),
                tr("count of (previous word, word) in training"),
                tr("LSTM's top 5 there"),
            ],
            rows,
        )
        self.chain_text.set_tokens(
            "",
            [Step(-1, tok, p, h, tuple((-1, w, q) for w, q in alts), True) for tok, p, h, alts in
             zip(lstm.tokens, lstm.probs, lstm.entropies or (0.0,) * len(lstm.tokens), lstm.alternatives, strict=False)],
        )  # fmt: skip
        self.chain_plot.clear()
        x = np.arange(len(lstm.tokens))
        is_end = np.array([t == text.END for t in lstm.tokens])
        for offset, probs, colour in ((-0.2, lstm.probs, LSTM_COLOUR), (0.2, bigram.probs, BIGRAM_COLOUR)):
            heights = np.asarray(probs, dtype=float)
            words = ~is_end
            self.chain_plot.addItem(
                pg.BarGraphItem(x=x[words] + offset, height=heights[words], width=0.4, brush=colour)
            )
            if is_end.any():  # <end>: the same colour, hatched when it is left out of the product
                brush = QBrush(QColor(colour), Qt.SolidPattern if with_end else Qt.BDiagPattern)
                self.chain_plot.addItem(
                    pg.BarGraphItem(
                        x=x[is_end] + offset, height=heights[is_end], width=0.4, brush=brush, pen=pg.mkPen(colour)
                    )
                )
        for k in np.flatnonzero(is_end):
            self.chain_plot.addItem(
                pg.InfiniteLine(
                    pos=k - 0.5, angle=90, pen=pg.mkPen(theme.colors()["foreground"], width=1, style=Qt.DashLine)
                )
            )
        self.chain_plot.setXRange(-0.6, len(lstm.tokens) - 0.4, padding=0)
        self.chain_plot.setYRange(0, 1)
        set_word_axis(self.chain_plot, lstm.tokens)

    def _fit_notes(self) -> None:
        """The notes pane as tall as its text, up to 30% of the tab (it scrolls beyond); the plot gets the rest."""
        sizes = self.chain_split.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        width = max(200, self.notes_scroll.viewport().width())
        need = max(note.heightForWidth(width // 2 - 8) for note in (self.end_note, self.smoothing_note)) + 8
        notes = int(min(max(need, 60), 0.3 * total))
        rest = total - notes
        self.chain_split.setSizes([notes, int(rest * 0.7), rest - int(rest * 0.7)])

    @staticmethod
    def _table_number(p: float) -> str:
        return probability_text(p)

    @staticmethod
    def _number(p: float) -> str:
        return f"{p:.3g}" if p >= 0.001 else f"{p:.1e}"

    def _chain_summary(self, lstm, bigram, with_end: bool) -> str:
        first = " · ".join(f"P({escape(t)} | …)" for t in lstm.tokens[:3] if t != text.END)
        end_factor = (
            "<b><span style='text-decoration: underline'>P(&lt;end&gt; | …)</span></b>"
            if with_end
            else "<s>P(&lt;end&gt; | …)</s> " + tr("(left out)")
        )
        a, b = lstm.log_probability(with_end), bigram.log_probability(with_end)
        n = len(lstm.included(with_end))
        ppl_a, ppl_b = lstm.perplexity_of(with_end), bigram.perplexity_of(with_end)
        diff = a - b
        if diff > 0:
            times = f"{math.exp(diff):,.0f}" if diff < 30 else f"e<sup>{diff:.0f}</sup>"
            verdict = tr(
                "The LSTM, which reads every word before, gives this text {times} times the bigram's probability."
            )
        elif diff < 0:
            times = f"{math.exp(-diff):,.0f}" if -diff < 30 else f"e<sup>{-diff:.0f}</sup>"
            verdict = tr("Here the bigram gives this text {times} times the LSTM's probability.")
        else:
            times, verdict = "1", tr("Both models give this text the same probability.")
        return (
            tr("P(text)")
            + f" = {first} · … · {end_factor}<br>"
            + tr(
                "<b>LSTM</b>: log P = {lstm_logp} nats over {n} factors (perplexity {lstm_ppl} per factor). "
                "<b>Bigram</b> (only the previous word): log P = {bigram_logp} nats (perplexity {bigram_ppl})."
            ).format(
                lstm_logp=_signed(a),
                n=n,
                lstm_ppl=f"{ppl_a:.1f}" if ppl_a is not None else "–",
                bigram_logp=_signed(b),
                bigram_ppl=f"{ppl_b:.1f}" if ppl_b is not None else "–",
            )
            + " <b>"
            + verdict.format(times=times)
            + "</b>"
        )

    def _end_note(self, lstm, bigram, with_end: bool, ends: dict) -> str:
        k = max(j for j, t in enumerate(lstm.tokens) if t == text.END)  # the last line's <end>
        p_lstm, p_bigram = lstm.probs[k], bigram.probs[k]
        numbers = tr("P(<end>) here: LSTM {lstm}, bigram {bigram}.").format(
            lstm=self._number(p_lstm), bigram=self._number(p_bigram)
        )
        numbers = escape(numbers)
        stated = tr(
            "<b>&lt;end&gt; is a factor like any word</b>: the probability that the text stops here. Of the "
            "{lines} paragraphs the models learnt from, {stop} end with . ! ? or a quote mark and only {word} "
            "right after a word."
        ).format(lines=f"{ends['lines']:,}", stop=f"{ends['after_stop']:,}", word=f"{ends['after_word']:,}")
        if lstm.truncated:
            stated += " " + tr(
                "(The text was cut after {n} tokens: its last factor is the <end> after the cut.)"
            ).format(n=probes.MAX_TOKENS).replace("<end>", "&lt;end&gt;")
        if probes.lines_without_full_stop(lstm):
            cost = tr(
                "<b>This text stops without a full stop</b>, where the stories almost never stop: both models make "
                "&lt;end&gt; nearly impossible there. This one factor costs the LSTM {lstm} nats and the bigram "
                "{bigram}, and can decide which model wins. Add the full stop, or leave &lt;end&gt; out, to compare "
                "the words."
            ).format(lstm=f"{-math.log(max(p_lstm, 1e-300)):.1f}", bigram=f"{-math.log(max(p_bigram, 1e-300)):.1f}")
            c = theme.colors()
            style = f"color:{c.get('warn_fg', '#664d03')}; background-color:{c.get('warn_bg', '#fff3cd')}"
            return f"<span style='{style}'>{cost}</span><br>{stated} {numbers}"  # the warning first: it must be seen
        return (
            f"{stated} {numbers} "
            + tr("The LSTM also knows how far into a story the text is; the bigram sees only the last token.")
            + ("" if with_end else " " + tr("Left out: the product covers the words alone."))
        )

    def _smoothing_note(self, unseen) -> str:
        if unseen is None:
            return tr("<b>Smoothing</b>: every pair of words in this text was seen in training.")
        v, w, e, in_text = unseen
        v, w = escape(v), escape(w)
        head = (
            tr(
                "<b>Smoothing</b>: the pair “{v} {w}” of this text never occurs in the training text (count 0), "
                "yet the bigram gives"
            )
            if in_text
            else tr(
                "<b>Smoothing</b>: had the text said “{v} {w}” (a pair never seen in training, count 0), "
                "the bigram would still give"
            )
        ).format(v=v, w=w)
        body = tr(
            "P({w} | {v}) = D · N({v} •) / c({v}) · P<sub>cont</sub>({w}) = {d} × {followers} / {count} × "
            "{cont} = <b>{p}</b>. Kneser-Ney takes D = {d} from each pair counted after “{v}” ({count} times, "
            "{followers} different next words) and shares it by the continuation probability: “{w}” followed "
            "{n_cont} different words ({n_pairs} distinct pairs in all)."
        ).format(
            v=v,
            w=w,
            d=f"{e.discount:g}",
            followers=f"{e.followers:,}",
            count=f"{e.prev_count:,}",
            cont=self._number(e.continuation),
            p=self._number(e.probability),
            n_cont=f"{e.continuation_count:,}",
            n_pairs=f"{e.continuation_total:,}",
        )
        if e.prev_count == 0:
            return tr(
                "<b>Smoothing</b>: “{v}” was never followed by a word in training, so P({w} | {v}) is the "
                "continuation probability alone: <b>{p}</b> (“{w}” came after {n_cont} different words)."
            ).format(v=v, w=w, p=self._number(e.probability), n_cont=f"{e.continuation_count:,}")
        return f"{head} {body}"
