"""Seq2Seq and attention: translate French to English (or chat, or answer the first line of a Chinese couplet)
with encoder-decoders trained here, and watch the attention alignments, the decoding step by step (with what-if
forcing), beam search as a tree, and the same sentence with and without attention.

Chinese input chooses the couplet model by itself (once, when the text turns Chinese; a note says so); the user
can pick another model and keeps it while typing. Latin text after that goes back to the model chosen before."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core import examples
from viz_app.core.lessons import seq2seq as lesson
from viz_app.core.seq2seq import data
from viz_app.qt import theme
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.widgets.alignment_lines import AlignmentLines
from viz_app.qt.widgets.beam_tree import BeamTree
from viz_app.qt.widgets.heatmap import LABEL_GAP, Heatmap, TokenAxis, elide_token
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.probability_bars import probability_text
from viz_app.qt.widgets.step_player import StepPlayer

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
BIN_ORDER = ("1-3", "4-6", "7-9", "10+")


def _token_labels(plot: pg.PlotWidget, labels: list[tuple[float, str, str]], slots: int) -> None:
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


@dataclass(frozen=True)
class Seq2SeqResult:
    trace: lesson.StepTrace
    beam: lesson.BeamResult | None
    comparison: lesson.Comparison | None
    reply: object = None  # the chatbot's re-ranked reply (probes.RankedReply), not with forced words
    couplet_attention: dict | None = None  # the couplet model's card figures (lesson.couplet_attention)

    def to_json(self) -> dict:
        return {
            "decoding": self.trace.to_json(),
            "beam": None if self.beam is None else self.beam.to_json(),
            "comparison": None if self.comparison is None else self.comparison.to_json(),
            "reply": None if self.reply is None else self.reply.to_json(),
        }


def seq2seq_lesson_job(ctx, model: str, text: str, forced: tuple[str, ...], width: int) -> Seq2SeqResult:
    store = ctx.models
    trace = lesson.decode_steps(store, model, text, forced)
    plain = None if forced else trace  # without forcing, the step-by-step run is the greedy translation
    beam = lesson.beam_tree(store, model, text, width, greedy_run=plain)
    known = {model: plain.as_translation()} if plain is not None else {}
    comparison = lesson.compare(store, text, known=known) if trace.task == "translate" else None
    reply = lesson.best_reply(store, model, text) if trace.task == "chat" and not forced else None
    figures = lesson.couplet_attention(store.registry, model) if trace.task == "couplet" else None
    return Seq2SeqResult(trace, beam, comparison, reply, figures)


class Seq2SeqView(LessonView):
    def __init__(self, lesson_def, service, parent=None, initial_tab: int = 0, initial_model: str | None = None):
        super().__init__(lesson_def, service, parent)
        self._forced: tuple[str, ...] = ()
        self._step = 0
        self._drawn_tabs: set[int] = set()
        self._chinese = False  # the last non-empty text was Chinese
        self._auto_from: str | None = None  # the model the couplet model replaced when Chinese text chose it

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Model:"), self))
        self.model_select = QComboBox(self)
        self.model_select.setObjectName("seq2seqModel")
        for name, title in MODEL_CHOICES:
            self.model_select.addItem(tr(title), name)
        if initial_model is not None and self.model_select.findData(initial_model) >= 0:
            self.model_select.setCurrentIndex(self.model_select.findData(initial_model))
        self.model_select.currentIndexChanged.connect(self._model_changed)
        top.addWidget(self.model_select)
        top.addStretch(1)
        self.body.addLayout(top)
        examples, self.example_buttons = self.example_row(group="translate")  # viz_app.core.examples
        self.body.addLayout(examples)
        self.output_label = self.rich_label(self, "seq2seqOutput")
        self.body.addWidget(self.output_label)
        self.notice = self.rich_label(self, "seq2seqNotice")
        self.notice.hide()
        self.body.addWidget(self.notice)

        self.make_tabs("seq2seqTabs")
        self.body.addWidget(self.tabs, 1)
        self._build_alignment_tab()
        self._build_step_tab()
        self._build_beam_tab()
        self._build_compare_tab()
        self.tabs.setCurrentIndex(initial_tab)
        self.tabs.currentChanged.connect(self._draw_tab)
        self._update_examples()

    # --- building ----------------------------------------------------------------------------
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

    def _build_compare_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        side = QHBoxLayout()
        self.compare_boxes = []
        for k, (_name, title) in enumerate(MODEL_CHOICES[:2]):
            box = self.rich_label(page, f"compareBox{k}")
            box.setMinimumWidth(160)
            box.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            box.setToolTip(tr(title))
            side.addWidget(box, 1)
            self.compare_boxes.append(box)
        col.addLayout(side)
        self.compare_text = self.rich_label(page, "compareText")
        col.addWidget(self.compare_text)
        self.bleu_plot = pg.PlotWidget(page, axisItems={"bottom": TokenAxis("bottom")})
        self.bleu_plot.setObjectName("bleuByLength")
        self.bleu_plot.setMouseEnabled(x=False, y=False)
        self.bleu_plot.setMenuEnabled(False)
        self.bleu_plot.setLabel("left", "BLEU")
        self.bleu_plot.setLabel("bottom", tr("source sentence length (words)"))
        col.addWidget(self.bleu_plot, 1)
        self.add_tab(page, TABS[3])

    # --- requests ----------------------------------------------------------------------------
    @property
    def model_name(self) -> str:
        return self.model_select.currentData()

    def model_label(self) -> str:
        return self.model_name

    def _model_changed(self) -> None:  # the user (or a tour step) chose a model: it stays, whatever is typed
        self._auto_from = None
        self._forced = ()
        self._update_examples()
        self.refresh()

    @property
    def task(self) -> str:
        return {lesson.CHAT_MODEL: "chat", lesson.COUPLET_MODEL: "couplet"}.get(self.model_name, "translate")

    @property
    def auto_selected(self) -> bool:
        """True while the couplet model is on because Chinese text chose it (the page says so)."""
        return self._auto_from is not None and self.model_name == lesson.COUPLET_MODEL

    def _update_examples(self) -> None:
        for button, text in zip(self.example_buttons, examples.texts(self.lesson.id, self.task), strict=True):
            button.setText(text)
        self.force_edit.setPlaceholderText(
            tr("a character for this step") if self.task == "couplet" else tr("a word for this step")
        )

    def _select_quietly(self, name: str) -> None:
        """Choose ``name`` in the model picker without counting it as the user's choice."""
        index = self.model_select.findData(name)
        if index < 0 or index == self.model_select.currentIndex():
            return
        self.model_select.blockSignals(True)
        self.model_select.setCurrentIndex(index)
        self.model_select.blockSignals(False)
        self._update_examples()

    def _follow_language(self, text: str) -> None:
        """Chinese text chooses the couplet model when the text turns Chinese (not on every keystroke, so a
        model the user picks afterwards stays); Latin text after that gives back the model it replaced. An
        empty text changes nothing."""
        if not text.strip():
            return
        chinese = lesson.is_chinese(text)
        if chinese and not self._chinese and self.model_name != lesson.COUPLET_MODEL:
            self._auto_from = self.model_name
            self._select_quietly(lesson.COUPLET_MODEL)
        elif not chinese and self._chinese and self.auto_selected:
            previous, self._auto_from = self._auto_from, None
            self._select_quietly(previous)
        self._chinese = chinese

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._forced = ()
            self._follow_language(text)
        super().set_text(text)

    def make_request(self, text: str):
        if not text.strip():
            self._clear()
            return None
        return seq2seq_lesson_job, (self.model_name, text, self._forced, self.beam_width.value()), {}

    def _clear(self) -> None:
        self.result = None
        self._drawn_tabs = set()
        self.output_label.setText("")
        self.notice.hide()
        self.alignment_caption.setText(tr("Type a sentence to see which source words each output word looks at."))
        self.alignment_map.set_matrix(np.zeros((0, 0)), [], [], (0, 1))
        self.alignment_lines.set_alignment([], [], None)
        self.step_title.setText("")
        self.partial_output.setText("")
        self.alpha_plot.clear()
        self.top_table.set_rows([], [])
        self.context_strip.set_matrix(np.zeros((0, 0)), [], [], (0, 1))
        self.state_strip.set_matrix(np.zeros((0, 0)), [], [], (0, 1))
        self.beam_summary.setText("")
        self.beam_tree.set_tree([], [])
        self.compare_text.setText("")
        for box in self.compare_boxes:
            box.setText("")
            box.setStyleSheet("")
        self.bleu_plot.clear()
        self.clear_error()

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

    # --- drawing -----------------------------------------------------------------------------
    def show_result(self, result: Seq2SeqResult) -> None:
        trace = result.trace
        notes = []
        if trace.hint:
            notes.append(escape(tr_core(trace.hint)))
        if trace.length_note:
            notes.append(escape(tr_core(trace.length_note)))
        shown = result.reply.tokens if result.reply is not None else trace.output_tokens
        missing = (
            None if self._forced else lesson.missing_expected_words(self._text or "", trace.model, trace.task, shown)
        )
        if missing:
            words = ", ".join("“" + escape(w).replace("/", "” / “") + "”" for w in missing)
            notes.append(
                (
                    tr("The chatbot falls short on this example: a fitting reply has {words}; this one does not.")
                    if trace.task == "chat"
                    else tr("The couplet model falls short on this example: a fitting second line has {words}.")
                    if trace.task == "couplet"
                    else tr(
                        "This model falls short on this example: a right translation has {words}; this one does "
                        "not (a small model, trained on short sentences). Compare the models in the "
                        "<i>With vs without attention</i> tab."
                    )
                ).format(words=words)
            )
        if trace.unknown:
            notes.append(
                tr("Not in the model's vocabulary, so the encoder reads &lt;unk&gt; for: {words}.").format(
                    words=", ".join(escape(w) for w in trace.unknown[:10])
                )
            )
        if trace.truncated:
            notes.append(
                tr("Only the first {n} tokens are read; {more} more were cut.").format(
                    n=len(trace.source_tokens), more=trace.truncated
                )
            )
        if self.auto_selected and trace.task == "couplet":
            notes.append(
                tr(
                    "Chinese input: the couplet model is chosen (a couplet's first line → its second line). "
                    "Choose another model above to switch back."
                )
            )
        if self._forced:
            what_if = (
                tr(
                    "What-if: the first word is forced ({words}); the model decoded the rest. "
                    "<i>Undo forcing</i> in the step-by-step tab goes back."
                )
                if len(self._forced) == 1
                else tr(
                    "What-if: the first {n} words are forced ({words}); the model decoded the rest. "
                    "<i>Undo forcing</i> in the step-by-step tab goes back."
                )
            )
            notes.append(what_if.format(n=len(self._forced), words=escape(" ".join(self._forced))))
        self.show_notes(self.notice, notes)
        c = theme.colors()
        what = (
            tr("(Reply, greedy; log P = {logp})")
            if trace.task == "chat"
            else tr("(Second line, greedy; log P = {logp})")
            if trace.task == "couplet"
            else tr("(Translation, greedy; log P = {logp})")
        ).format(logp=f"{trace.log_prob:.2f}")
        size = self.font().pointSizeF() * 1.5
        headline = trace.output
        if result.reply is not None:  # the chatbot: the re-ranked reply first, the greedy one the tabs follow
            headline = result.reply.output
            what = tr(
                "(Reply: beam search of {width}, no repeated trigram, re-ranked against replies to generic "
                "prompts. Greedy, followed in the tabs: “{greedy}”, log P = {logp})"
            ).format(width=result.reply.width, greedy=escape(trace.output), logp=f"{trace.log_prob:.2f}")
        typed = escape(self._joined(trace, trace.typed))
        self.output_label.setText(
            f"<span style='font-size:{size:.0f}pt'>{typed} → <b>{escape(headline)}</b>"
            f"</span>&nbsp;&nbsp;<span style='color:{c['muted']}'>{what}</span>"
        )
        self._step = min(self._step, max(0, len(trace.steps) - 1))
        self._drawn_tabs = set()
        self._draw_tab(self.tabs.currentIndex())

    @staticmethod
    def _joined(trace, tokens) -> str:
        """Tokens as the page writes them: characters side by side for the couplet model, words spaced."""
        return "".join(tokens) if trace.task == "couplet" else " ".join(tokens)

    def _draw_tab(self, index: int) -> None:
        if self.result is None or index in self._drawn_tabs:
            return
        self._drawn_tabs.add(index)
        if index == 0:
            self._draw_alignment()
        elif index == 1:
            self._draw_step()
        elif index == 2:
            self._draw_beam()
        else:
            self._draw_compare()

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
        said = self._joined(trace, [s.word for s in trace.steps[:t]])
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
            tr("Output: {words}&nbsp;&nbsp;(forced words underlined)").format(words=self._joined(trace, words))
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
        _token_labels(self.alpha_plot, [(k, elide_token(w), w) for k, w in enumerate(src)], len(src))
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

    def _draw_beam(self) -> None:
        beam = self.result.beam
        if beam is None:
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

    def _draw_compare(self) -> None:
        comparison = self.result.comparison
        c = theme.colors()
        self.bleu_plot.clear()
        theme.style_plot(self.bleu_plot)
        if comparison is None:
            for box in self.compare_boxes:
                box.setText("")
                box.setStyleSheet("")
            self.compare_text.setText(
                tr(
                    "The comparison is between the two translators (with and without attention): choose a "
                    "French → English model above."
                )
            )
            return
        size = self.font().pointSizeF() * 1.3
        for box, (name, title) in zip(self.compare_boxes, MODEL_CHOICES[:2], strict=True):
            box.setStyleSheet(f"border:1px solid {c['muted']}; border-radius:4px; padding:6px;")
            title = tr(title)
            if name in comparison.errors:
                box.setText(f"<b>{escape(title)}</b><br>{escape(comparison.errors[name])}")
                continue
            translation = comparison.translations[name]
            bleu = comparison.bleu.get(name)
            score = (
                tr("validation BLEU {bleu}").format(bleu=f"{bleu:.1f}")
                if bleu is not None
                else tr("no BLEU in its card")
            )
            box.setText(
                f"<b>{escape(title)}</b> <span style='color:{c['muted']}'>({score})</span><br>"
                f"<span style='font-size:{size:.0f}pt'>{escape(translation.output)}</span>"
            )
        explained = tr(
            "Without attention the decoder must get everything from one fixed "
            "context vector. BLEU by source length on the validation split, from the model cards (greedy "
            "decoding):"
        )
        colours = ("#1f77b4", "#ff7f0e")
        # The key sits above the chart in the text's own size (a legend inside the plot covers the bars).
        key = "&nbsp;&nbsp; ".join(
            f"<span style='color:{colour}; font-weight:bold'>■ {escape(tr(title))}</span>"
            for colour, (_name, title) in zip(colours, MODEL_CHOICES[:2], strict=True)
        )
        self.compare_text.setText(f"<span style='color:{c['muted']}'>{explained}</span><br>{key}")
        bins = [b for b in BIN_ORDER if any(b in comparison.bleu_by_length.get(m, {}) for m, _ in MODEL_CHOICES)]
        for (name, title), color, shift in zip(MODEL_CHOICES[:2], colours, (-0.2, 0.2), strict=True):
            per_bin = comparison.bleu_by_length.get(name, {})
            heights = [per_bin.get(b, {}).get("bleu", 0.0) for b in bins]
            x = np.arange(len(bins)) + shift
            self.bleu_plot.addItem(pg.BarGraphItem(x=x, height=heights, width=0.38, brush=color, name=tr(title)))
            for xi, h in zip(x, heights, strict=True):
                label = pg.TextItem(f"{h:.1f}", anchor=(0.5, 1.0), color=c["foreground"])
                label.setPos(float(xi), float(h))
                self.bleu_plot.addItem(label)
        ticks = []
        for i, b in enumerate(bins):
            n = max((comparison.bleu_by_length.get(m, {}).get(b, {}).get("n", 0) for m, _ in MODEL_CHOICES[:2]))
            text = tr("{bin} words (n={n})").format(bin=b, n=n)
            ticks.append((i, text, text))
        _token_labels(self.bleu_plot, ticks, len(bins))
        top = max([v.get("bleu", 0) for m in comparison.bleu_by_length.values() for v in m.values()] + [10])
        self.bleu_plot.setYRange(0, top * 1.15)

    # --- export ------------------------------------------------------------------------------
    def export_json(self) -> dict | None:
        return None if self.result is None else self.result.to_json()

    def export(self, path: str) -> None:
        """The current tab as PNG/SVG, or the numbers behind it as CSV (by the file's extension)."""
        import csv

        from viz_app.qt.export import export_widget

        if Path(path).suffix.lower() != ".csv":
            export_widget(self.tabs.currentWidget(), path)
            return
        if self.result is None:
            raise ValueError(tr("nothing to export yet"))
        trace, tab = self.result.trace, self.tabs.currentIndex()
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            if tab == 0:
                matrix = trace.attention_matrix()
                if matrix is None:
                    raise ValueError(tr("this model has no attention to export"))
                out.writerow(["output \\ source", *trace.source_tokens])
                for word, row in zip(trace.output_tokens, matrix, strict=True):
                    out.writerow([word, *(f"{v:.6g}" for v in row)])
            elif tab == 1:
                out.writerow(["step", "word", "probability", "forced", "top_words"])
                for k, s in enumerate(trace.steps, start=1):
                    top = " ".join(f"{w}:{p:.4g}" for w, p in s.top)
                    out.writerow([k, s.word, f"{s.prob:.6g}", s.forced, top])
            elif tab == 2:
                if self.result.beam is None:
                    raise ValueError(tr("nothing to export yet"))
                chosen = set(self.result.beam.path)
                out.writerow(["id", "parent", "step", "word", "logp", "score", "finished", "chosen"])
                for n in self.result.beam.decoded.tree:
                    out.writerow(
                        [n.id, n.parent, n.step, n.word, f"{n.logp:.6g}", f"{n.score:.6g}", n.finished, n.id in chosen]
                    )
            else:
                comparison = self.result.comparison
                if comparison is None:
                    raise ValueError(tr("the comparison is for the translators"))
                out.writerow(["model", "source_length", "bleu", "n"])
                for name, bins in comparison.bleu_by_length.items():
                    for b, v in bins.items():
                        out.writerow([name, b, v.get("bleu"), v.get("n")])
