"""Seq2Seq and attention: translate French to English (or chat, or answer the first line of a Chinese couplet)
with encoder-decoders trained here, and watch the attention alignments, the decoding step by step (with what-if
forcing), beam search as a tree, and the same sentence with and without attention.

Chinese input chooses the couplet model by itself (once, when the text turns Chinese; a note says so); the user
can pick another model and keeps it while typing. Latin text after that goes back to the model chosen before.

The page is put together from one module per tab (``alignment_tab``, ``step_tab``, ``beam_tab``, ``compare_tab``);
the numbers come from the worker's jobs in :mod:`viz_app.core.lessons.seq2seq`. A keystroke asks only for what
the open tab shows (the trace; the beam or the other translator too on their tabs); opening another tab asks
for its part then."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from viz_app.core import examples
from viz_app.core.lessons import seq2seq as lesson
from viz_app.core.lessons.seq2seq import Seq2SeqResult, seq2seq_lesson_job, seq2seq_part_job
from viz_app.qt import theme
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.seq2seq.alignment_tab import AlignmentTab
from viz_app.qt.lessons.seq2seq.beam_tab import BeamTab
from viz_app.qt.lessons.seq2seq.common import BIN_ORDER, MODEL_CHOICES, TAB_PARTS, TABS, joined
from viz_app.qt.lessons.seq2seq.compare_tab import CompareTab
from viz_app.qt.lessons.seq2seq.step_tab import StepTab

__all__ = ["BIN_ORDER", "MODEL_CHOICES", "TABS", "Seq2SeqResult", "Seq2SeqView", "seq2seq_lesson_job"]


class Seq2SeqView(AlignmentTab, StepTab, BeamTab, CompareTab, LessonView):
    def __init__(self, lesson_def, service, parent=None, initial_tab: int = 0, initial_model: str | None = None):
        super().__init__(lesson_def, service, parent)
        self._forced: tuple[str, ...] = ()
        self._step = 0
        self._drawn_tabs: set[int] = set()
        self._chinese = False  # the last non-empty text was Chinese
        self._auto_from: str | None = None  # the model the couplet model replaced when Chinese text chose it
        self._part_asked: dict[str, object] = {}  # part -> the trace of the result it was asked for

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
        part = TAB_PARTS.get(self.tabs.currentIndex())  # the open tab's part comes with the trace
        parts = (part,) if part else ()
        return seq2seq_lesson_job, (self.model_name, text, self._forced, self.beam_width.value(), parts), {}

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
        typed = escape(joined(trace, trace.typed))
        self.output_label.setText(
            f"<span style='font-size:{size:.0f}pt'>{typed} → <b>{escape(headline)}</b>"
            f"</span>&nbsp;&nbsp;<span style='color:{c['muted']}'>{what}</span>"
        )
        self._step = min(self._step, max(0, len(trace.steps) - 1))
        self._drawn_tabs = set()
        self._draw_tab(self.tabs.currentIndex())

    _joined = staticmethod(joined)

    def _draw_tab(self, index: int) -> None:
        if self.result is None or index in self._drawn_tabs:
            return
        part = TAB_PARTS.get(index)
        if part in self.result.missing:
            self._ask_part(part)
        self._drawn_tabs.add(index)
        if index == 0:
            self._draw_alignment()
        elif index == 1:
            self._draw_step()
        elif index == 2:
            self._draw_beam()
        else:
            self._draw_compare()

    def _ask_part(self, part: str) -> None:
        """Ask the worker for the shown result's ``part`` (its tab is open); it is drawn when it comes, if the
        result on screen is still the one it belongs to."""
        asked = self.result
        if self.busy(part) and self._part_asked.get(part) is asked.trace:
            return
        self._part_asked[part] = asked.trace
        self.ask(
            part, seq2seq_part_job, asked, part, label=self._request_label,
            on_result=lambda value, _s, p=part, a=asked: self._part_arrived(p, a, value), on_failed=self._part_failed,
        )  # fmt: skip

    def _part_arrived(self, part: str, asked: Seq2SeqResult, value: Seq2SeqResult) -> None:
        if self.result is None or self.result.trace is not asked.trace:
            return  # a newer text or model is on screen: this part was for an older one
        self.result = replace(
            self.result, **{part: getattr(value, part)}, missing=tuple(p for p in self.result.missing if p != part)
        )
        index = next(k for k, p in TAB_PARTS.items() if p == part)
        self._drawn_tabs.discard(index)
        if self.tabs.currentIndex() == index:
            self._draw_tab(index)
        self._mark_drawn()

    def _part_failed(self, message: str) -> None:
        self.show_error(message)
        self._mark_drawn()

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
