"""The Transformer translating French to English (or, for Chinese text, writing a couplet's second line):
encoder self-attention, decoder masked self-attention and encoder-decoder (cross) attention per layer and head,
and the decoding time step by time step. Chinese text chooses the couplet writer (``LanguageSwitch``, with a
note); the user can choose the translator back."""

from __future__ import annotations

from html import escape
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core import examples
from viz_app.core.ablation import scan
from viz_app.core.explain import Explanations, explain_all_job
from viz_app.core.lessons import transformer as lesson
from viz_app.core.lm.kv_cache import count_text
from viz_app.core.transformer import probes
from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.language_switch import LanguageSwitch
from viz_app.qt.lessons.transformer.heads_tab import TransformerHeadsTab
from viz_app.qt.widgets.alignment_lines import AlignmentLines
from viz_app.qt.widgets.explain_panel import ExplainPanel
from viz_app.qt.widgets.heatmap import Heatmap, thin
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.probability_bars import probability_text
from viz_app.qt.widgets.side_by_side import SideBySide
from viz_app.qt.widgets.step_player import StepPlayer
from viz_app.qt.widgets.wrap_label import WrapLabel

TABS = (  # English sources, shown through tr()
    QT_TR_NOOP("Encoder"),
    QT_TR_NOOP("Decoder (masked)"),
    QT_TR_NOOP("Cross-attention"),
    QT_TR_NOOP("Step by step"),
)
EXPLAIN_TAB = QT_TR_NOOP("Why this prediction?")


MODELS = (  # (model, title shown through tr())
    (lesson.MODEL, QT_TR_NOOP("French → English (transformer)")),
    (lesson.COUPLET_MODEL, QT_TR_NOOP("couplet writer 對對子 (couplet-transformer)")),
)

# The words the captions use for each side, by task: (source tokens, output tokens), shown through tr().
SIDES = {
    "translate": (QT_TR_NOOP("French token"), QT_TR_NOOP("English word")),
    "couplet": (QT_TR_NOOP("first-line character"), QT_TR_NOOP("second-line character")),
}


class TransformerView(TransformerHeadsTab, LessonView):
    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._step = 0
        self._drawn_tabs: set[int] = set()
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Model:"), self))
        self.model_select = QComboBox(self)
        self.model_select.setObjectName("transformerModel")
        for name, title in MODELS:
            if name in service.store.registry.cards():
                self.model_select.addItem(tr(title), name)
        self.model_select.currentIndexChanged.connect(self._model_changed)
        row.addWidget(self.model_select)
        row.addStretch(1)
        self.body.addLayout(row)
        self.language = LanguageSwitch(self.model_select, lesson.COUPLET_MODEL, by_data=True)
        self.layer_head, top, self.layer_select = self.layer_box(3)
        top.addWidget(QLabel(tr("Head:"), self.layer_head))
        self.head_select = QComboBox(self.layer_head)
        self.head_select.setObjectName("headSelect")
        self.head_select.addItem(tr("average of the heads"), -1)
        for h in range(8):
            self.head_select.addItem(tr("head {head}").format(head=h + 1), h)
        top.addWidget(self.head_select)
        top.addStretch(1)  # stacked above the Try buttons, the boxes keep their own width
        self.layer_select.valueChanged.connect(self._redraw_all)
        self.head_select.currentIndexChanged.connect(self._redraw_all)
        self.examples_box = self.examples_widget(
            "transformerExamples", "translate"
        )  # viz_app.core.examples, with claims
        self.controls = SideBySide(self.layer_head, self.examples_box, self)  # one line where they fit
        self.body.addWidget(self.controls)
        self.output_label = WrapLabel(self, "transformerOutput")  # asks for the lines a long sentence needs
        self.output_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.body.addWidget(self.output_label)
        self.notice = WrapLabel(self, "transformerNotice")
        self.notice.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.notice.hide()
        self.body.addWidget(self.notice)
        self.make_tabs("transformerTabs", tr("this tab as PNG or SVG, or its attention weights as CSV"))
        self.body.addWidget(self.tabs, 1)
        self.maps: dict[str, Heatmap] = {}
        self.captions: dict[str, QLabel] = {}
        for key, title in zip(("encoder", "decoder"), TABS[:2], strict=True):
            page = QWidget(self)
            col = QVBoxLayout(page)
            self.captions[key] = self.rich_label(page, f"{key}Caption")
            col.addWidget(self.captions[key])
            self.maps[key] = Heatmap(page, object_name=f"{key}Map")
            col.addWidget(self.maps[key], 1)
            self.add_tab(page, title)
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.captions["cross"] = self.rich_label(page, "crossCaption")
        col.addWidget(self.captions["cross"])
        splitter = QSplitter(Qt.Vertical, page)
        self.maps["cross"] = Heatmap(page, object_name="crossMap")
        splitter.addWidget(self.maps["cross"])
        self.cross_lines = AlignmentLines(page, object_name="crossLines")
        splitter.addWidget(self.cross_lines)
        splitter.setSizes([360, 200])
        col.addWidget(splitter, 1)
        self.add_tab(page, TABS[2])
        self._build_step_tab()
        self.build_heads_tab()
        self.explain_panel = ExplainPanel(self)
        self.explain_panel.changed.connect(self._heads_changed)
        self.explain_tab = self.add_tab(self.explain_panel, EXPLAIN_TAB)
        self.tabs.currentChanged.connect(self._tab_changed)

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
        self.step_tokens = self.rich_label(page, "stepTokens")
        col.addWidget(self.step_tokens)
        self.step_cache = self.rich_label(page, "stepCache")
        col.addWidget(self.step_cache)
        grid = QGridLayout()
        self.step_cross = Heatmap(page, object_name="stepCross")
        self.step_self = Heatmap(page, object_name="stepSelf")
        self.step_top = NumberTable(page, object_name="stepTop", stretch_column=0)
        grid.addWidget(self.step_cross, 0, 0)
        grid.addWidget(self.step_self, 1, 0)
        grid.addWidget(self.step_top, 0, 1, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid, 1)
        self.add_tab(page, TABS[3])

    # --- requests ---------------------------------------------------------------------------------
    @property
    def model_name(self) -> str:
        return self.model_select.currentData() or lesson.MODEL

    @property
    def task(self) -> str:
        return "couplet" if self.model_name == lesson.COUPLET_MODEL else "translate"

    def model_label(self) -> str:
        return self.model_name

    def _update_examples(self) -> None:
        for button, text in zip(self.example_buttons, examples.texts(self.lesson.id, self.task), strict=True):
            button.setText(text)

    def _model_changed(self) -> None:  # the user chose a model: it stays, whatever is typed
        self._update_examples()
        self.refresh()

    def set_text(self, text: str) -> None:
        if text != self._text and self.language.follow(text):
            self._update_examples()
        super().set_text(text)

    def _tab_changed(self, index: int) -> None:
        """The heads tab asks for its own prediction; back from it, the other tabs ask for the translation."""
        self.show_heads_controls(self.reads_output_word())  # there the Layer and Head boxes change nothing
        if self.reads_output_word() or not isinstance(self.result, probes.Translation):
            self.refresh()
        else:
            self._draw_tab(index)

    def follow_text(self, text: str) -> None:
        self.follow_heads_text(text)

    def tour_action(self) -> list[int]:
        if self.tabs.currentIndex() == self.heads_tab:
            return self.heads_tour_action()
        return []

    def _side(self, k: int) -> str:
        return tr(SIDES[self.task][k])

    def show_empty(self) -> None:
        self.result = None
        self.output_label.setText("")
        self.notice.hide()
        for heat in (*self.maps.values(), self.step_cross, self.step_self):
            heat.set_matrix(np.zeros((0, 0)), [], [], (0, 1))
        self.cross_lines.set_alignment([], [], None)
        self.step_top.set_rows([], [])
        self.step_title.setText("")
        self.step_tokens.setText("")

    def make_request(self, text: str):
        if not text.strip():
            return None
        if self.task == "couplet":
            from viz_app.core.seq2seq.couplet import check_first_line

            check_first_line(text)  # a ValueError is shown on the page
        if self.tabs.currentIndex() == self.heads_tab:
            return self.heads_request(text)
        if self.tabs.currentIndex() == self.explain_tab:
            target = self.explain_panel.target_text()
            return explain_all_job, (self.model_name, text, target, None, None, self.heads_position), {}
        return lesson.transformer_job, (self.model_name, text), {}

    def show_result(self, result) -> None:
        if isinstance(result, scan.AblatedPrediction):
            self.heads_panel.show_prediction(result)
            return
        if isinstance(result, Explanations):
            self.explain_panel.show_result(result)
            return
        translation: probes.Translation = result
        self.known_translation = ((self.model_name, self.text), translation)
        self.show_translation_line(translation)
        self._step = min(self._step, max(0, len(translation.output_tokens) - 1))
        self._redraw_all()

    def show_translation_line(self, translation: probes.Translation) -> None:
        """The notes and the line "typed → translated" above the tabs."""
        notes = [self.language.note] if self.language.note else []
        unknown = [t for t, s in zip(translation.typed, translation.source_tokens, strict=True) if s == "<unk>"]
        if unknown:
            notes.append(
                (
                    tr("Not among the couplet writer's characters, read as &lt;unk&gt;: {words}.")
                    if translation.task == "couplet"
                    else tr("Not in the model's (French) vocabulary, read as &lt;unk&gt;: {words}.")
                ).format(words=", ".join(escape(w) for w in unknown[:10]))
            )
        if translation.truncated:
            notes.append(
                tr("Only the first {n} tokens are read; {more} more were cut.").format(
                    n=probes.MAX_SOURCE_TOKENS, more=translation.truncated
                )
            )
        self.show_notes(self.notice, notes)
        size = self.font().pointSizeF() * 1.5
        joiner = "" if translation.task == "couplet" else " "
        self.output_label.setText(
            f"<span style='font-size:{size:.0f}pt'>{escape(joiner.join(translation.typed))} → <b>{escape(translation.output)}</b></span>"
        )
        self.layer_select.setMaximum(translation.encoder_attention.shape[0])

    def _redraw_all(self, *_args) -> None:
        self._drawn_tabs = set()
        self._draw_tab(self.tabs.currentIndex())

    def _pick(self, weights: np.ndarray) -> np.ndarray:
        """(L, H, R, C) -> the chosen layer's chosen head (or the heads' average)."""
        layer = min(self.layer_select.value() - 1, weights.shape[0] - 1)
        head = self.head_select.currentData()
        return weights[layer].mean(axis=0) if head == -1 else weights[layer, head]

    def _which(self) -> str:
        head = self.head_select.currentData()
        if head == -1:
            return tr("layer {layer}, average of the heads").format(layer=self.layer_select.value())
        return tr("layer {layer}, head {head}").format(layer=self.layer_select.value(), head=head + 1)

    def _draw_tab(self, index: int) -> None:
        if not isinstance(self.result, probes.Translation) or index in self._drawn_tabs or index == self.heads_tab:
            return
        self._drawn_tabs.add(index)
        translation = self.result
        src, out, dec_in = (
            thin(translation.source_tokens),
            thin(translation.output_tokens),
            thin(translation.decoder_input_tokens),
        )
        if index == 0:
            self.captions["encoder"].setText(
                tr(
                    "Encoder self-attention, {which}: each {source} (row) looks at every {source} (column), all at "
                    "once."
                ).format(which=self._which(), source=self._side(0))
            )
            self.maps["encoder"].set_matrix(
                self._pick(translation.encoder_attention), src, src, (0.0, 1.0), colorbar_label=tr("attention")
            )
        elif index == 1:
            self.captions["decoder"].setText(
                tr(
                    "Decoder masked self-attention, {which}: the row that predicts each {output} sees only "
                    "&lt;start&gt; and the outputs before it; the cells above the diagonal are exactly 0."
                ).format(which=self._which(), output=self._side(1))
            )
            self.maps["decoder"].set_matrix(
                self._pick(translation.decoder_attention), out, dec_in, (0.0, 1.0), colorbar_label=tr("attention")
            )
        elif index == 2:
            caption = tr(
                "Encoder-decoder attention, {which}: for each {output} (row), the weights over the encoder's "
                "{source}s (columns)."
            ).format(which=self._which(), output=self._side(1), source=self._side(0))
            if translation.task == "couplet":
                caption += " " + self._couplet_figures()
            self.captions["cross"].setText(caption)
            matrix = self._pick(translation.cross_attention)
            self.maps["cross"].set_matrix(matrix, out, src, (0.0, 1.0), colorbar_label=tr("attention"))
            self.cross_lines.set_alignment(list(translation.source_tokens), list(translation.output_tokens), matrix)
        else:
            self._draw_step()

    def _couplet_figures(self) -> str:
        """The card's measured alignment: in a parallel couplet character i answers character i."""
        metrics = self.service.store.registry.card(lesson.COUPLET_MODEL).metrics
        best = metrics.get("cross_attention_same_position_best_head")
        if not best or "attention_uniform" not in metrics:
            return ""
        return tr(
            "In a couplet character i answers character i: on the validation couplets, head {head} of layer {layer} "
            "gives {same}% of a character's attention to the same position (uniform: {uniform}%)."
        ).format(
            head=best["head"],
            layer=best["layer"],
            same=f"{100 * best['weight']:.0f}",
            uniform=f"{100 * metrics['attention_uniform']:.0f}",
        )

    # --- decoding steps ------------------------------------------------------------------------------
    def _select_step(self, step: int) -> None:
        if not isinstance(self.result, probes.Translation) or not self.result.output_tokens:
            self.player.stop()
            return
        self._step = max(0, min(step, len(self.result.output_tokens) - 1))
        self._drawn_tabs.discard(3)
        if self.tabs.currentIndex() == 3:
            self._draw_tab(3)

    def _draw_step(self) -> None:
        translation = self.result
        if not translation.output_tokens:
            self.step_title.setText(tr("The decoder said &lt;end&gt; at once: nothing to step through."))
            return
        t = self._step
        c = theme.colors()
        self.player.show_position(t, len(translation.output_tokens))
        have = ["<start>", *translation.output_tokens[:t]]
        joiner = "" if translation.task == "couplet" else " "
        self.step_title.setText(
            tr("<b>Step {t} of {steps}</b>: the decoder reads “{words}” and outputs <b>{word}</b> (p = {p}).").format(
                t=t + 1,
                steps=len(translation.output_tokens),
                words=escape(have[0] + " " + joiner.join(have[1:])),
                word=escape(translation.output_tokens[t]),
                p=f"{translation.probabilities[t]:.3f}",
            )
        )
        words = []
        for k, w in enumerate(translation.output_tokens):
            if k < t:
                words.append(f"<b>{escape(w)}</b>")
            elif k == t:
                words.append(f"<b style='color:#ff7f0e'>{escape(w)}</b>")
            else:
                words.append(f"<span style='color:{c['muted']}'>{escape(w)}</span>")
        self.step_tokens.setText(
            tr("Output so far: &lt;start&gt; {words} (grey: not decoded yet)").format(words=joiner.join(words))
        )
        if translation.work:
            with_cache, without = translation.work[t]
            total_with = sum(a for a, _ in translation.work)
            total_without = sum(b for _, b in translation.work)
            self.step_cache.setText(
                tr(
                    "<b>Key/value cache</b>: per layer the decoder keeps the keys and values of the positions read so "
                    "far ({n} at this step, one row more at each; the lower map is the new query against them) and those of the {m} {source}s (cross-attention: made once, at step 1). This step: "
                    "{a} multiply-adds with the cache, {b} recomputing; the whole output: {ta} against {tb} ({saved} "
                    "of the work saved)."
                ).format(
                    n=t + 1,
                    m=len(translation.source_tokens),
                    source=self._side(0),
                    a=count_text(with_cache),
                    b=count_text(without),
                    ta=count_text(total_with),
                    tb=count_text(total_without),
                    saved=f"{1 - total_with / max(1, total_without):.0%}",
                )  # fmt: skip
            )
        layer = self.layer_select.value() - 1
        heads = [tr("head {head}").format(head=h + 1) for h in range(translation.cross_attention.shape[1])]
        self.step_cross.set_matrix(
            translation.cross_attention[layer, :, t, :], heads, list(translation.source_tokens), (0.0, 1.0),
            colorbar_label=tr("layer {layer}: each head's attention to the {source}s at step {t}").format(layer=layer + 1, source=self._side(0), t=t + 1),
        )  # fmt: skip
        self.step_self.set_matrix(
            translation.decoder_attention[layer, :, t, : t + 1], heads, have, (0.0, 1.0),
            colorbar_label=tr("layer {layer}: masked self-attention over the outputs so far").format(layer=layer + 1),
        )  # fmt: skip
        self.step_top.set_rows(
            [tr("next character") if translation.task == "couplet" else tr("next word"), tr("probability")],
            [[w, probability_text(p)] for w, p in translation.top[t]],
        )

    # --- export -----------------------------------------------------------------------------------------
    def export(self, path: str) -> None:
        import csv

        from viz_app.qt.export import export_widget

        if Path(path).suffix.lower() != ".csv":
            export_widget(self.tabs.currentWidget(), path)
            return
        if self.result is None:
            raise ValueError(tr("nothing to export yet"))
        if isinstance(self.result, scan.AblatedPrediction):
            with open(path, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(self.heads_csv_rows(self.result))
            return
        if isinstance(self.result, Explanations):
            with open(path, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(self.result.csv_rows())
            return
        translation = self.result
        kinds = (
            ("encoder", translation.encoder_attention, translation.source_tokens, translation.source_tokens),
            ("decoder", translation.decoder_attention, translation.output_tokens, translation.decoder_input_tokens),
            ("cross", translation.cross_attention, translation.output_tokens, translation.source_tokens),
        )
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["attention", "layer", "head", "query", "key", "weight"])
            for name, weights, rows, cols in kinds:
                for layer, per_layer in enumerate(weights):
                    for head, m in enumerate(per_layer):
                        for i, r in enumerate(rows):
                            out.writerows(
                                [name, layer + 1, head + 1, r, cols[j], f"{m[i, j]:.6g}"] for j in range(len(cols))
                            )
