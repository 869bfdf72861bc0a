"""BERT, GPT, and generative vs discriminative: a tiny BERT and a tiny GPT trained here (or your own local
Hugging Face models) on the sentence you type.

Each tab asks the worker for its own result (``viz_app.core.lm.lesson``): fill-mask predictions, the
next-token distribution under temperature / top-k / top-p with streamed generation, the attention of
every layer and head, the logit lens, contextual embeddings, the two models side by side, and the
fine-tuned sentiment classifier."""

from __future__ import annotations

from html import escape
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lm import lesson as lm_lesson
from viz_app.core.lm import poem, probes
from viz_app.core.messages import user_text
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.lessons.language_switch import LanguageSwitch
from viz_app.qt.widgets.attention_panels import HeadToggles, open_large
from viz_app.qt.widgets.head_view import HeadView
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.matrix_grid import MatrixGrid
from viz_app.qt.widgets.number_table import ColorLegend, ShadedTable
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars
from viz_app.qt.widgets.word_scatter import WordScatter
from viz_app.qt.widgets.word_strip import WordStrip
from viz_app.qt.widgets.wrap_label import WrapLabel

MAX_LABELLED = 48
USER_MODELS: list[str] = []  # local Hugging Face folders opened this session (File > Open model folder…)


SENSE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")  # contextual points by sense
UNLABELLED_COLOUR = "#7f7f7f"


def thin(tokens, most: int = MAX_LABELLED) -> list[str]:
    stride = max(1, -(-len(tokens) // most))
    return [t if k % stride == 0 else "" for k, t in enumerate(tokens)]


# --- the sentiment classifiers (BERT's Fine-tuning tab, the generative page) -------------------------

CLASSIFIER_TITLES = {
    lm_lesson.BOW: QT_TR_NOOP("(a) Bag of words + logistic regression"),
    lm_lesson.SENTIMENT: QT_TR_NOOP("(b) BERT, only its last block fine-tuned"),
    lm_lesson.WHOLE: QT_TR_NOOP("(c) BERT, every layer fine-tuned"),
}
CLASSIFIER_NOTES = {
    lm_lesson.BOW: QT_TR_NOOP(
        "No BERT at all: the text's words and word pairs, weighted by TF-IDF (the bag of words of the Document "
        "embedding lesson), each with a weight learned from the reviews. Word order beyond pairs is lost."
    ),
    lm_lesson.SENTIMENT: QT_TR_NOOP(
        "The lecture's recipe: the pre-trained BERT stays as it was, except its last block and a small new layer "
        "on [CLS], trained on the labelled reviews."
    ),
    lm_lesson.WHOLE: QT_TR_NOOP(
        "Every weight of the pre-trained BERT adjusted, with the new layer on [CLS], on the labelled reviews and "
        "short sentences cut from them."
    ),
}
POSITIVE_COLOUR, NEGATIVE_COLOUR, UNSURE_COLOUR = "#2ca02c", "#d62728", "#7f7f7f"


def _percent(x) -> str:
    return f"{100 * float(x):.1f}%"


def card_line(metrics: dict | None) -> str:
    """The held-out accuracies of a classifier's card, as one line."""
    m = metrics or {}
    parts = []
    if "test_accuracy" in m:
        parts.append(tr("{p} of {n} reviews").format(p=_percent(m["test_accuracy"]), n=m.get("test_count", "?")))
    if "short_sentence_accuracy" in m:
        parts.append(
            tr("{p} of {n} short sentences").format(
                p=_percent(m["short_sentence_accuracy"]), n=m.get("short_sentence_count", "?")
            )
        )
    if "typed_review_accuracy" in m:
        parts.append(
            tr("{p} of {n} typed reviews").format(
                p=_percent(m["typed_review_accuracy"]), n=m.get("typed_review_count", "?")
            )
        )
    if not parts:
        return tr("its card has no held-out accuracy")
    return tr("Right on held-out text: {figures}").format(figures=" · ".join(parts))


def verdict_html(r: lm_lesson.Classified) -> str:
    """The label in its colour; near 50/50 a grey "uncertain"; text the model cannot read: it cannot tell."""
    p = r.probs.get(r.label, 0.0)
    if r.verdict == "unreadable":
        text = tr("cannot tell: the model does not know these words")
        return f"<span style='color:{UNSURE_COLOUR}'>{escape(text)}</span>"
    if r.verdict == "uncertain":
        text = tr("uncertain ({label} {p})").format(label=core_label(r.label), p=f"{p:.2f}")
        return f"<span style='color:{UNSURE_COLOUR}'>{escape(text)}</span>"
    colour = POSITIVE_COLOUR if r.label == "positive" else NEGATIVE_COLOUR
    return f"<span style='color:{colour}'>{escape(core_label(r.label))} {p:.2f}</span>"


def sentiment_csv_rows(rows: list[lm_lesson.Classified]) -> list[list]:
    out = [["model", "shown as", "label", "probability", "unknown", "read", "held-out accuracy (reviews)",
            "held-out accuracy (short sentences)"]]  # fmt: skip
    for r in rows:
        m = r.metrics or {}
        for k, v in r.probs.items():
            out.append([r.model, r.verdict, k, f"{v:.6g}", r.unknown, r.read, m.get("test_accuracy", ""),
                        m.get("short_sentence_accuracy", "")])  # fmt: skip
    return out


class SentimentPanel(QWidget):
    """One classifier's column: its title, what it is, its card's held-out accuracies, its verdict and bars."""

    def __init__(self, parent, name: str):
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"sentimentPanel-{name}")
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.title = WrapLabel(self, "sentimentTitle", Qt.AutoText)
        self.title.setTextFormat(Qt.RichText)
        col.addWidget(self.title)
        self.verdict = WrapLabel(self, "sentimentLabel", Qt.AutoText)
        self.verdict.setTextFormat(Qt.RichText)
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.verdict.setFont(font)
        col.addWidget(self.verdict)
        self.bars = ProbabilityBars(self, "sentimentBars")
        col.addWidget(self.bars)
        self.evidence = WrapLabel(self, "sentimentEvidence", Qt.AutoText)
        self.evidence.setTextFormat(Qt.RichText)
        col.addWidget(self.evidence)
        self.card = WrapLabel(self, "sentimentCard", Qt.AutoText)
        col.addWidget(self.card)
        self.note = WrapLabel(self, "sentimentNote", Qt.AutoText)
        col.addWidget(self.note)
        col.addStretch(1)
        self.show_result(None, False)

    def show_result(self, r: lm_lesson.Classified | None, featured: bool) -> None:
        title = escape(tr(CLASSIFIER_TITLES.get(self.name, self.name)))
        if featured:
            title += (
                "<br><small>" + escape(tr("the best by held-out accuracy: the generative page uses it")) + "</small>"
            )
        self.title.setText(f"<b>{title}</b>")
        self.note.setText(tr(CLASSIFIER_NOTES[self.name]) if self.name in CLASSIFIER_NOTES else self.name)
        if r is None:
            self.card.setText(tr("{model} is not bundled").format(model=self.name))
            self.verdict.setText("")
            self.bars.set_bars([])
            self.evidence.setText("")
            return
        self.card.setText(card_line(r.metrics))
        self.verdict.setText(verdict_html(r))
        self.bars.set_bars([Bar(core_label(k), v) for k, v in r.probs.items()], tr("probability of each label"))
        if r.evidence:
            parts = [
                f"<span style='color:{POSITIVE_COLOUR if v > 0 else NEGATIVE_COLOUR}'>{escape(t)} "
                f"{'+' if v > 0 else '−'}{abs(v):.2f}</span>"
                for t, v in r.evidence
            ]
            self.evidence.setText(
                tr("Pushed most (towards positive +, negative −): {terms}").format(terms=", ".join(parts))
            )
        elif r.verdict == "unreadable" and r.model == lm_lesson.BOW:
            self.evidence.setText(tr("None of these words is in its vocabulary."))
        else:
            self.evidence.setText("")


def _bundled_models(service) -> set[str]:
    """The models of the registry the service runs (the bundled one in the app)."""
    try:
        return set(service.store.registry.cards())
    except (AttributeError, OSError, ValueError):
        return set()


class _ModelLesson(LessonView):
    """What the BERT and GPT views share: the model chooser, the attention tab, the comparison tab."""

    TABS: tuple[str, ...] = ()  # English sources (QT_TR_NOOP), shown through tr()
    DEFAULT_MODEL = ""
    CHINESE_MODEL = ""  # offered (and chosen for Chinese text) when it is bundled

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Model:"), self))
        self.model_select = QComboBox(self)
        self.model_select.setObjectName("lmModel")
        self.model_select.addItem(self.DEFAULT_MODEL)
        if self.CHINESE_MODEL and self.CHINESE_MODEL in _bundled_models(service):
            self.model_select.addItem(self.CHINESE_MODEL)
        for folder in USER_MODELS:
            self.model_select.addItem(folder)
        self.language = LanguageSwitch(self.model_select, self.CHINESE_MODEL)
        self.model_select.setToolTip(tr("the model trained here, or a Hugging Face folder you opened (File menu)"))
        self.model_select.currentIndexChanged.connect(lambda _i: self.refresh())
        top.addWidget(self.model_select, 1)
        self.top_row = top
        self.body.addLayout(top)
        self.notice = self.rich_label(self, "lmNotice")
        self.notice.hide()
        self.body.addWidget(self.notice)
        self.make_tabs(f"{lesson_def.id}Tabs")
        self.body.addWidget(self.tabs, 1)

    # --- shared pieces -------------------------------------------------------------------------
    def _partner(self, english: str, chinese: str) -> str:
        """The other model of the BERT vs GPT comparison: the one reading the same tokens as the chosen model
        (a Tang-poem model is compared with the other Tang-poem model, which must be bundled)."""
        if self.model_name != self.CHINESE_MODEL:
            return english
        if chinese not in _bundled_models(self.service):
            raise ValueError(
                tr("The comparison needs {model} (the other Tang-poem model), which is not bundled yet.").format(
                    model=chinese
                )
            )
        return chinese

    @property
    def model_name(self) -> str:
        return self.model_select.currentText() or self.DEFAULT_MODEL

    def model_label(self) -> str:
        return Path(self.model_name).name if "/" in self.model_name else self.model_name

    def add_user_model(self, folder: str) -> None:
        if self.model_select.findText(folder) < 0:
            self.model_select.addItem(folder)
        self.model_select.setCurrentText(folder)

    def show_notice(self, notes: list[str]) -> None:
        self.show_notes(self.notice, notes)

    def cut_note(self, cut: int) -> list[str]:
        return [tr("The text is longer than the model's context: {n} tokens were cut.").format(n=cut)] if cut else []

    @staticmethod
    def unknown_note(n: int) -> list[str]:
        """A note when the tokenizer wrote [UNK] ``n`` times (Chinese, emoji, rare symbols: not in its 8,000 entries)."""
        if not n:
            return []
        return [
            tr(
                "{n} of the tokens are [UNK]: characters this model's vocabulary does not have (it was trained on "
                "English stories and reviews), such as Chinese or emoji. The numbers below are still the model's own."
            ).format(n=n)
        ]

    def _build_attention_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.layer_select = self.spin(row, page, tr("Layer:"), "lmLayer", 1, 4, 1)
        self.layer_select.valueChanged.connect(lambda _v: self._draw_attention())
        self.head_toggles = HeadToggles(page, object_prefix="lmHead")
        self.head_toggles.toggled.connect(lambda h, on: self.head_view.set_head_enabled(h, on))
        row.addWidget(self.head_toggles, 1)
        col.addLayout(row)
        self.attention_caption = self.rich_label(page, "lmAttentionCaption")
        col.addWidget(self.attention_caption)
        splitter = QSplitter(Qt.Horizontal, page)
        self.head_view = HeadView(page, "lmHeadView")
        scroll = QScrollArea(page)
        scroll.setWidget(self.head_view)
        scroll.setWidgetResizable(True)
        splitter.addWidget(scroll)
        right = QSplitter(Qt.Vertical, page)
        self.grid = MatrixGrid(page, "lmGrid")
        self.grid.cellChosen.connect(self._grid_chosen)
        right.addWidget(self.grid)
        self.grid_large = Heatmap(page, object_name="lmGridLarge")
        right.addWidget(self.grid_large)
        splitter.addWidget(right)
        right.setSizes([230, 400])
        splitter.setSizes([450, 450])
        col.addWidget(splitter, 1)
        self.add_tab(page, QT_TR_NOOP("Attention"))

    def _draw_attention(self) -> None:
        r = self.result
        if not isinstance(r, lm_lesson.AttentionView):
            return
        layers, heads = r.attention.shape[:2]
        self.layer_select.setMaximum(layers)
        layer = min(self.layer_select.value(), layers) - 1
        self.head_toggles.show_count(heads)
        mask_note = (
            tr(
                "The GPT's causal mask: a token never looks at the tokens after it, so the upper triangle of every "
                "map is empty."
            )
            if r.kind == "gpt"
            else tr("BERT reads in both directions: every token looks at every other one.")
        )
        self.attention_caption.setText(
            tr(
                "{model}, layer {layer}: each token on the left attends to the tokens on the "
                "right, one colour per head (hover a token to isolate it)."
            ).format(model=escape(self.model_label()), layer=layer + 1)
            + " "
            + mask_note
            + " "
            + tr("Right: all {layers} layers × {heads} heads; click one to open it large.").format(
                layers=layers, heads=heads
            )
        )
        self.head_view.set_attention(r.tokens, r.attention[layer])
        self.grid.set_matrices(
            r.attention,
            [tr("layer {layer}").format(layer=i + 1) for i in range(layers)],
            [f"h{j + 1}" for j in range(heads)],
        )
        chosen = self.grid.selected if self.grid.selected else (layer, 0)
        self._grid_chosen(*chosen)

    def _grid_chosen(self, layer: int, head: int) -> None:
        r = self.result
        if isinstance(r, lm_lesson.AttentionView):
            open_large(self.grid, self.grid_large, r.attention, thin(r.tokens), layer, head)

    def _build_compare_tab(self, title: str) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.compare_caption = self.rich_label(page, "compareCaption")
        col.addWidget(self.compare_caption)
        grid = QGridLayout()
        self.bert_mask_map = Heatmap(page, object_name="bertMask")
        self.gpt_mask_map = Heatmap(page, object_name="gptMask")
        self.bert_guess = ProbabilityBars(page, "bertGuess")
        self.gpt_guess = ProbabilityBars(page, "gptGuess")
        grid.addWidget(self.bert_mask_map, 0, 0)
        grid.addWidget(self.gpt_mask_map, 0, 1)
        grid.addWidget(self.bert_guess, 1, 0)
        grid.addWidget(self.gpt_guess, 1, 1)
        self.bert_mask_map.setMinimumHeight(240)
        self.gpt_mask_map.setMinimumHeight(240)
        grid.setRowStretch(0, 3)
        col.addLayout(grid, 1)
        self.compare_table = QTableWidget(page)
        self.compare_table.setObjectName("compareTable")
        rows = lm_lesson.COMPARISON
        self.compare_table.setColumnCount(2)
        self.compare_table.setRowCount(len(rows) - 1)
        self.compare_table.setHorizontalHeaderLabels(list(rows[0][1:]))  # BERT, GPT
        self.compare_table.setVerticalHeaderLabels([core_label(r[0]) for r in rows[1:]])
        for i, r in enumerate(rows[1:]):
            for j, text in enumerate(r[1:]):
                self.compare_table.setItem(i, j, QTableWidgetItem(core_label(text)))
        self.compare_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.compare_table.setWordWrap(True)
        self.compare_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.compare_table.resizeRowsToContents()
        col.addWidget(self.compare_table)
        self.add_tab(page, title)

    def _draw_compare(self, r: lm_lesson.Comparison) -> None:
        table = self.compare_table
        table.resizeRowsToContents()
        rows_height = sum(table.rowHeight(i) for i in range(table.rowCount()))
        table.setFixedHeight(rows_height + table.horizontalHeader().height() + 4)
        self.compare_caption.setText(
            tr(
                "The same sentence through both models. Their last layer's attention (mean of the heads): BERT's "
                "matrix is full, GPT's is lower-triangular (causal mask). Their objectives on the same word, "
                "“<b>{word}</b>”: BERT sees it as [MASK] with the words on both sides; GPT sees only the "
                "words before it and predicts the next one."
            ).format(word=escape(r.masked_word))
            + "<br>"
            + tr("BERT reads: “{bert}”. GPT reads: “{gpt}”.").format(bert=escape(r.bert_input), gpt=escape(r.gpt_input))
        )
        bt, gt = thin(r.bert_tokens), thin(r.gpt_tokens)
        self.bert_mask_map.set_matrix(
            r.bert_attention, bt, bt, (0.0, 1.0), "viridis", colorbar_label=tr("BERT attention")
        )
        self.gpt_mask_map.set_matrix(r.gpt_attention, gt, gt, (0.0, 1.0), "viridis", colorbar_label=tr("GPT attention"))
        self.bert_guess.set_bars([Bar(t, p) for t, p in r.bert_guesses], tr("BERT: the masked word is…"))
        self.gpt_guess.set_bars([Bar(t, p) for t, p in r.gpt_guesses], tr("GPT: the next word is…"))

    # --- requests --------------------------------------------------------------------------------
    def _tab_changed(self, _index: int) -> None:
        self.refresh()

    def show_result(self, result) -> None:
        notes = self.cut_note(getattr(result, "cut", 0)) + self.unknown_note(
            sum(1 for t in getattr(result, "tokens", None) or [] if t == "[UNK]")
        )
        if self.language.note:
            notes.insert(0, self.language.note)
        if getattr(result, "masks_left_out", 0):
            notes.append(tr("The classifiers read your text without its [MASK]s (a review has none)."))
        self.show_notice(notes)
        if isinstance(result, lm_lesson.AttentionView):
            self._draw_attention()
        elif isinstance(result, lm_lesson.Comparison):
            self._draw_compare(result)
        else:
            self.show_tab_result(result)

    def show_tab_result(self, result) -> None:
        raise NotImplementedError

    def csv_rows(self) -> list[list]:
        r = self.result
        if r is None:
            raise ValueError(tr("nothing to export yet"))
        if isinstance(r, lm_lesson.AttentionView):
            rows = [["layer", "head", "query", "key", "weight"]]
            for layer, per_layer in enumerate(r.attention):
                for head, m in enumerate(per_layer):
                    for i, q in enumerate(r.tokens):
                        rows += [[layer + 1, head + 1, q, r.tokens[j], f"{m[i, j]:.6g}"] for j in range(len(m))]
            return rows
        if isinstance(r, lm_lesson.Comparison):
            rows = [["model", "guess", "probability"]]
            rows += [["bert", t, f"{p:.6g}"] for t, p in r.bert_guesses]
            rows += [["gpt", t, f"{p:.6g}"] for t, p in r.gpt_guesses]
            return rows
        return self.tab_csv_rows(r)

    def tab_csv_rows(self, r) -> list[list]:
        raise ValueError(tr("nothing to export yet"))


class BertView(_ModelLesson):
    TABS = (
        QT_TR_NOOP("Fill-mask"),
        QT_TR_NOOP("Attention"),
        QT_TR_NOOP("Contextual embeddings"),
        QT_TR_NOOP("Fine-tuning"),
        QT_TR_NOOP("BERT vs GPT"),
    )
    DEFAULT_MODEL = lm_lesson.BERT
    CHINESE_MODEL = lm_lesson.BERT_TANG

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._build_fill_tab()
        self._build_attention_tab()
        self._build_contextual_tab()
        self._build_finetune_tab()
        self._build_compare_tab(self.TABS[4])
        self.tabs.currentChanged.connect(self._tab_changed)

    CONTEXT_EDITOR_WIDTH = 1200  # below this lesson width the sentence list folds away until asked for

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if not self._ctx_edit_chosen:
            wide = self.width() >= self.CONTEXT_EDITOR_WIDTH
            if self.ctx_edit_button.isChecked() != wide:
                self.ctx_edit_button.setChecked(wide)

    def _build_fill_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.insert_mask = QPushButton(tr("Insert [MASK]"), page)
        self.insert_mask.setObjectName("insertMask")
        self.insert_mask.setToolTip(tr("put [MASK] at the cursor in the text box"))
        self.insert_mask.clicked.connect(lambda: self.insertRequested.emit(" [MASK] "))
        row.addWidget(self.insert_mask)
        self.fill_caption = self.rich_label(page, "fillCaption")
        row.addWidget(self.fill_caption, 1)
        col.addLayout(row)
        self.word_strip = WordStrip(page, "fillWords")
        self.word_strip.wordDoubleClicked.connect(self._mask_word)
        col.addWidget(self.word_strip)
        self.fill_area = QWidget(page)
        self.fill_layout = QGridLayout(self.fill_area)
        self.fill_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(page)
        scroll.setObjectName("fillScroll")
        scroll.setWidget(self.fill_area)
        scroll.setWidgetResizable(True)
        col.addWidget(scroll, 1)
        self.fill_bars: list[ProbabilityBars] = []
        self.add_tab(page, self.TABS[0])

    def _mask_word(self, start: int, end: int) -> None:
        self.textRequested.emit(self.text[:start] + "[MASK]" + self.text[end:])

    def _choose(self, mask_index: int, row: int) -> None:
        r = self.result
        if isinstance(r, probes.FillMask) and mask_index < len(r.masks):
            word = r.masks[mask_index].predictions[row][0]
            self.textRequested.emit(probes.replace_mask(self.text, mask_index, word))

    def _build_contextual_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Word:"), page))
        self.ctx_word = QLineEdit(lm_lesson.AMBIGUOUS_WORD, page)
        self.ctx_word.setObjectName("contextWord")
        self.ctx_word.setMaximumWidth(140)
        self.ctx_word.editingFinished.connect(self.refresh)
        row.addWidget(self.ctx_word)
        row.addWidget(QLabel(tr("BERT layer:"), page))
        self.ctx_layer = QSpinBox(page)
        self.ctx_layer.setObjectName("contextLayer")
        self.ctx_layer.setRange(0, 4)
        self.ctx_layer.setValue(lm_lesson.CONTEXT_LAYER)
        self.ctx_layer.setToolTip(tr("0 = the embedding layer (before any attention)"))
        self.ctx_layer.valueChanged.connect(lambda _v: self.refresh())
        row.addWidget(self.ctx_layer)
        self.ctx_caption = self.rich_label(page, "contextCaption")
        row.addWidget(self.ctx_caption, 1)
        col.addLayout(row)
        split = QSplitter(Qt.Horizontal, page)
        self.ctx_sentences = QPlainTextEdit(page)
        self.ctx_sentences.setObjectName("contextSentences")
        self.ctx_sentences.setPlainText("\n".join(lm_lesson.AMBIGUOUS_SENTENCES))
        self.ctx_sentences.setToolTip(
            tr("one sentence per line, its sense after “|” (the points take the colour of their sense); press Update")
        )
        left = QWidget(page)
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.ctx_sentences, 1)
        update = QPushButton(tr("Update"), page)
        update.setObjectName("contextUpdate")
        update.clicked.connect(self.refresh)
        lcol.addWidget(update)
        split.addWidget(left)
        self.ctx_editor = left
        # In a narrow window the sentence list folds away (the points' labels show the sentences), so the
        # scatter and the two cosine maps keep the width to be read; this button brings it back.
        self.ctx_edit_button = QPushButton(tr("Sentences…"), page)
        # No object name on purpose: a tour step or the lesson's default state must not pin it open; it follows
        # the lesson's width until the user clicks it.
        self.ctx_edit_button.setCheckable(True)
        self.ctx_edit_button.setChecked(True)
        self.ctx_edit_button.setToolTip(tr("show or hide the list of sentences (one per line, its sense after “|”)"))
        self.ctx_edit_button.toggled.connect(left.setVisible)
        self._ctx_edit_chosen = False
        self.ctx_edit_button.clicked.connect(lambda _checked: setattr(self, "_ctx_edit_chosen", True))
        row.insertWidget(0, self.ctx_edit_button)
        self.ctx_scatter = WordScatter(page, "contextScatter")
        split.addWidget(self.ctx_scatter)
        maps = QSplitter(Qt.Vertical, page)
        self.ctx_bert_cos = Heatmap(page, object_name="contextBertCosine")
        self.ctx_static_cos = Heatmap(page, object_name="contextStaticCosine")
        maps.addWidget(self.ctx_bert_cos)
        maps.addWidget(self.ctx_static_cos)
        maps.setStretchFactor(0, 3)  # BERT's matrix is the one to read; the static one is all ones
        maps.setStretchFactor(1, 2)
        split.addWidget(maps)
        split.setSizes([260, 360, 300])
        col.addWidget(split, 1)
        self.add_tab(page, self.TABS[2])

    def _build_finetune_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.ft_caption = self.rich_label(page, "finetuneCaption")
        self.ft_caption.setText(
            tr(
                "<b>Pre-train, then fine-tune.</b> The BERT of this lesson was pre-trained on plain text (masked "
                "words, next sentences), then fine-tuned on labelled movie reviews (positive / negative). Three "
                "classifiers read what you type, side by side; each shows its accuracy on reviews and sentences it "
                "never saw in training (from its model card)."
            )
        )
        col.addWidget(self.ft_caption)
        grid = QGridLayout()
        self.ft_panels: dict[str, SentimentPanel] = {}
        for k, name in enumerate(lm_lesson.CLASSIFIERS):
            panel = SentimentPanel(page, name)
            grid.addWidget(panel, 0, k, Qt.AlignTop)
            grid.setColumnStretch(k, 1)
            self.ft_panels[name] = panel
        col.addLayout(grid)
        col.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("finetuneScroll")
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.add_tab(scroll, self.TABS[3])

    # --- requests -------------------------------------------------------------------------------
    def make_request(self, text: str):
        self.language.follow(text)
        tab = self.tabs.currentIndex()
        if tab == 2:
            sentences = self.ctx_sentences.toPlainText().split("\n")
            return (
                lm_lesson.contextual_job,
                (self.model_name, sentences, self.ctx_word.text(), self.ctx_layer.value()),
                {},
            )
        if not text.strip():
            self.result = None
            self.show_notice(
                [tr("Type an English sentence: the models were trained on children's stories (TinyStories).")]
            )
            self.word_strip.set_text("")
            return None
        if tab == 0:
            self.word_strip.set_text(text)
            return lm_lesson.fill_mask_job, (self.model_name, text, 10), {}
        if tab == 1:
            return lm_lesson.attention_job, (self.model_name, text), {}
        if tab == 3:
            return lm_lesson.compare_classifiers_job, (text,), {}
        return lm_lesson.compare_job, (self.model_name, self._partner(lm_lesson.GPT, lm_lesson.GPT_TANG), text), {}

    def show_tab_result(self, r) -> None:
        if isinstance(r, probes.FillMask):
            self._draw_fill(r)
        elif isinstance(r, lm_lesson.Contextual):
            self._draw_contextual(r)
        elif isinstance(r, lm_lesson.SentimentComparison):
            self._draw_sentiment(r)

    def _draw_fill(self, r: probes.FillMask) -> None:
        for bars in self.fill_bars:
            bars.setParent(None)
            bars.deleteLater()
        self.fill_bars = []
        if not r.masks:
            self.fill_caption.setText(
                tr(
                    "No [MASK] in your text yet: press <b>Insert [MASK]</b> (it goes where the cursor is in the text "
                    "box) or double-click a word below to mask it. BERT then predicts the hidden word from the words on "
                    "<i>both</i> sides."
                )
            )
            return
        self.fill_caption.setText(
            tr(
                "{n} [MASK]: BERT's top {top} guesses for each, from the words on both "
                "sides at once. Click a guess to put it into the sentence."
            ).format(n=len(r.masks), top=len(r.masks[0].predictions))
        )
        for k, m in enumerate(r.masks):
            context = " ".join(r.tokens[max(1, m.position - 3) : m.position + 4])
            bars = ProbabilityBars(self.fill_area, f"fillBars{k}")
            bars.clickable = True
            bars.set_bars(
                [
                    Bar(t, p, tip=tr("{token}: probability {p} (click to use it)").format(token=t, p=f"{p:.6f}"))
                    for t, p in m.predictions
                ],
                tr("[MASK] {k}, token {position}: … {context} …").format(k=k + 1, position=m.position, context=context),
            )
            bars.rowClicked.connect(lambda row, k=k: self._choose(k, row))
            self.fill_layout.addWidget(bars, k // 2, k % 2)
            self.fill_bars.append(bars)

    def _draw_contextual(self, r: lm_lesson.Contextual) -> None:
        self.ctx_layer.blockSignals(True)
        self.ctx_layer.setMaximum(r.layers)
        self.ctx_layer.setValue(r.layer)
        self.ctx_layer.blockSignals(False)
        notes = (
            [
                tr("Left out (no “{word}”): {sentences}").format(
                    word=escape(r.word), sentences="; ".join(escape(s) for s in r.missing)
                )
            ]
            if r.missing
            else []
        )
        self.show_notice(notes)
        senses = r.sense_names
        colour = {s: SENSE_COLOURS[k % len(SENSE_COLOURS)] for k, s in enumerate(senses)}
        caption = tr(
            "“{word}” in {n} sentences: BERT's vector at layer {layer} (middle, PCA to 2D) depends on the sentence; "
            "the skip-gram vector is the same in all (bottom right)."
        ).format(word=escape(r.word), n=len(r.sentences), layer=r.layer)
        if senses:
            legend = " ".join(f"<span style='color:{colour[s]}'>■ {escape(s)}</span>" for s in senses)
            if None in r.senses:
                unlabelled = tr("no sense given")
                legend += f" <span style='color:{UNLABELLED_COLOUR}'>■ {unlabelled}</span>"
            caption += "<br>" + legend
        shown = r.separation[r.layer] if r.layer < len(r.separation) else None
        if shown is not None:
            by_layer = ", ".join(
                f"{k}: {w - a:+.2f}" if k != r.layer else f"<b>{k}: {w - a:+.2f}</b>"
                for k, (w, a) in enumerate(r.separation)
            )
            caption += " " + tr(
                "Mean cosine within a sense <b>{within}</b>, across senses <b>{across}</b> (layer {layer}); "
                "within − across by layer: {by_layer}."
            ).format(
                within=f"{shown[0]:.2f}",
                across=f"{shown[1]:.2f}",
                layer=r.layer,
                by_layer=by_layer,
            )
        elif not senses:
            caption += " " + tr("Put a sense after “|” at the end of each sentence to colour the points by sense.")
        self.ctx_caption.setText(caption)
        labels = [f"{k + 1}: {lab}" for k, lab in enumerate(r.labels or r.sentences)]
        colours = [colour.get(s, UNLABELLED_COLOUR) for s in r.senses] if r.senses else None
        self.ctx_scatter.set_points(labels, r.coords)
        self.ctx_scatter.set_highlight(list(range(len(labels))), labels, colours)
        self.ctx_scatter.fit_labels()
        names = [f"{k + 1} {s}" if s else str(k + 1) for k, s in enumerate(r.senses or [None] * len(r.sentences))]
        # Columns by number only (the rows name the senses): level labels leave the small maps their height.
        numbers = [str(k + 1) for k in range(len(names))]
        self.ctx_bert_cos.set_matrix(
            r.bert_cosine, names, numbers, (-1.0, 1.0), "CET-D1", colorbar_label=tr("BERT cosine")
        )
        if r.static_cosine is not None:
            self.ctx_static_cos.set_matrix(
                r.static_cosine, names, numbers, (-1.0, 1.0), "CET-D1", colorbar_label=tr("skip-gram cosine (static)")
            )
        else:
            self.ctx_static_cos.set_matrix(np.zeros((1, 1)), [""], [""], (-1.0, 1.0), "CET-D1",
                                           colorbar_label=tr("“{word}” has no skip-gram vector").format(word=r.word))  # fmt: skip

    def _draw_sentiment(self, r: lm_lesson.SentimentComparison) -> None:
        shown = {row.model: row for row in r.rows}
        for name, panel in self.ft_panels.items():
            panel.show_result(shown.get(name), name == r.featured)

    def tab_csv_rows(self, r) -> list[list]:
        if isinstance(r, probes.FillMask):
            rows = [["mask", "position", "prediction", "probability"]]
            for k, m in enumerate(r.masks):
                rows += [[k + 1, m.position, t, f"{p:.6g}"] for t, p in m.predictions]
            return rows
        if isinstance(r, lm_lesson.Contextual):
            return [["sentence", "x", "y"]] + [
                [s, f"{x:.6g}", f"{y:.6g}"] for s, (x, y) in zip(r.sentences, r.coords, strict=True)
            ]
        if isinstance(r, lm_lesson.SentimentComparison):
            return sentiment_csv_rows(r.rows)
        raise ValueError(tr("nothing to export yet"))


class GptView(_ModelLesson):
    TABS = (
        QT_TR_NOOP("Next token"),
        QT_TR_NOOP("Attention"),
        QT_TR_NOOP("Logit lens"),
        QT_TR_NOOP("GPT vs BERT"),
    )
    DEFAULT_MODEL = lm_lesson.GPT
    CHINESE_MODEL = lm_lesson.GPT_TANG

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._build_next_tab()
        self._build_attention_tab()
        self._build_lens_tab()
        self._build_compare_tab(self.TABS[3])
        self.tabs.currentChanged.connect(self._tab_changed)
        self._generate_id = -1
        self._append = False
        service.progressChanged.connect(self._on_generate_progress)
        service.resultReady.connect(self._on_generate_done)
        service.jobCancelled.connect(lambda ch, rid: self._generation_stopped(ch, rid))
        service.jobFailed.connect(lambda ch, rid, msg: self._generation_stopped(ch, rid, msg))

    def _build_next_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.temperature = self.spin(row, page, tr("Temperature:"), "temperature", 0.05, 5.0, 1.0, step=0.1)
        self.top_k = self.spin(row, page, tr("Top-k:"), "topK", 0, 1000, 0, special=tr("off"))
        self.top_p = self.spin(row, page, tr("Top-p:"), "topP", 0.01, 1.0, 1.0, step=0.05)
        self.seed = self.spin(row, page, tr("Seed:"), "seed", 0, 999999, 0)
        for w in (self.temperature, self.top_k, self.top_p):
            w.valueChanged.connect(lambda _v: self.refresh())
        row.addStretch(1)
        col.addLayout(row)
        row = QHBoxLayout()
        self.next_button = QPushButton(tr("Next token"), page)
        self.next_button.setObjectName("nextToken")
        self.next_button.setToolTip(tr("sample one token with these settings and add it to the text"))
        self.next_button.clicked.connect(self.sample_next)
        row.addWidget(self.next_button)
        self.generate_button = QPushButton(tr("Generate"), page)
        self.generate_button.setObjectName("generate")
        self.generate_button.clicked.connect(self.start_generation)
        row.addWidget(self.generate_button)
        self.max_new = self.spin(row, page, tr("up to"), "maxNew", 1, 500, 40)
        row.addWidget(QLabel(tr("tokens"), page))
        self.stop_button = QPushButton(tr("Stop"), page)
        self.stop_button.setObjectName("stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(lambda: self.service.cancel(f"{self.lesson.id}:generate"))
        row.addWidget(self.stop_button)
        self.use_button = QPushButton(tr("Use as text"), page)
        self.use_button.setObjectName("useGenerated")
        self.use_button.setToolTip(tr("put the generated text into the text box (to see its attention)"))
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(lambda: self.textRequested.emit(self.generation.text))
        row.addWidget(self.use_button)
        row.addStretch(1)
        col.addLayout(row)
        # Poems in a form (the Tang-poem GPT only): 五言/七言 絕句/律詩, and 藏頭詩 (one given character per line).
        self.form_row = QWidget(page)
        form = QHBoxLayout(self.form_row)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(QLabel(tr("Poem form:"), self.form_row))
        self.form_select = QComboBox(self.form_row)
        self.form_select.setObjectName("poemForm")
        self.form_select.addItem(tr("free (no form)"), "")
        for name in ("5x4", "7x4", "5x8", "7x8"):
            f = poem.get_form(name)
            self.form_select.addItem(f"{f.title} ({name})", name)
        self.form_select.setToolTip(
            tr("the sampler keeps the line length and the punctuation of the form: every other token is greyed out")
        )
        form.addWidget(self.form_select)
        form.addWidget(QLabel(tr("藏頭 (acrostic):"), self.form_row))
        self.acrostic = QLineEdit(self.form_row)
        self.acrostic.setObjectName("acrostic")
        self.acrostic.setPlaceholderText(tr("4 or 8 characters, one per line"))
        self.acrostic.setMaxLength(8)
        form.addWidget(self.acrostic)
        form.addStretch(1)
        col.addWidget(self.form_row)
        self.form_row.setVisible(False)
        self.model_select.currentIndexChanged.connect(lambda _i: self._show_form_row())
        self.next_caption = self.rich_label(page, "nextCaption")
        col.addWidget(self.next_caption)
        split = QSplitter(Qt.Horizontal, page)
        self.next_bars = ProbabilityBars(page, "nextBars")
        scroll = QScrollArea(page)
        scroll.setWidget(self.next_bars)
        scroll.setWidgetResizable(True)
        split.addWidget(scroll)
        self.generated = self.rich_label(page, "generatedText")
        self.generated.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        gen_scroll = QScrollArea(page)
        gen_scroll.setWidget(self.generated)
        gen_scroll.setWidgetResizable(True)
        split.addWidget(gen_scroll)
        split.setSizes([460, 440])
        col.addWidget(split, 1)
        self.generated.setText(
            tr(
                "Press <b>Generate</b>: the GPT writes up to that many tokens, one at a time, each drawn from the "
                "distribution on the left (the same seed gives the same text). <b>Next token</b> draws one and adds it "
                "to your text."
            )
        )
        self.generation: lm_lesson.Generation | None = None
        self.add_tab(page, self.TABS[0])

    def _build_lens_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.lens_caption = self.rich_label(page, "lensCaption")
        col.addWidget(self.lens_caption)
        self.lens_legend = ColorLegend(page, "0", "1", tr("probability of the guess:"))
        col.addWidget(self.lens_legend)
        self.lens_table = ShadedTable(page, "lensTable")
        col.addWidget(self.lens_table, 1)
        self.add_tab(page, self.TABS[2])

    def sampling(self) -> probes.Sampling:
        return probes.Sampling(self.temperature.value(), self.top_k.value(), self.top_p.value())

    def make_request(self, text: str):
        self.language.follow(text)
        self._show_form_row()
        tab = self.tabs.currentIndex()
        if tab == 0:
            return lm_lesson.next_token_job, (self.model_name, text, self.sampling(), 20), {}
        if not text.strip():
            self.result = None
            self.show_notice([tr("Type some English text: the GPT was trained on children's stories (TinyStories).")])
            return None
        if tab == 1:
            return lm_lesson.attention_job, (self.model_name, text), {}
        if tab == 2:
            return lm_lesson.logit_lens_job, (self.model_name, text), {}
        return lm_lesson.compare_job, (self._partner(lm_lesson.BERT, lm_lesson.BERT_TANG), self.model_name, text), {}

    def show_tab_result(self, r) -> None:
        if isinstance(r, probes.NextToken):
            self._draw_next(r)
        elif isinstance(r, lm_lesson.LensView):
            self._draw_lens(r)

    def _draw_next(self, r: probes.NextToken) -> None:
        s = self.sampling()
        limits = []
        if s.top_k:
            limits.append(f"top-k {s.top_k}")
        if s.top_p < 1:
            limits.append(f"top-p {s.top_p:.2f}")
        temperature = f"{s.temperature:.2f}"
        if limits:
            both = tr("{first} and {second}").format(first=limits[0], second=limits[-1])
            sampling = tr("Orange: the probability sampling uses at temperature {temperature} after {limits}.").format(
                temperature=temperature, limits=limits[0] if len(limits) == 1 else both
            )
        else:
            sampling = tr("Orange: the probability sampling uses at temperature {temperature}.").format(
                temperature=temperature
            )
        self.next_caption.setText(
            tr(
                "What the GPT predicts after “…{context}”: the 20 likeliest next tokens. Blue: the model's probability."
            ).format(context=escape(" ".join(r.tokens[-6:])))
            + " "
            + sampling
            + " "
            + tr("Grey rows can no longer be picked; {n} of the vocabulary still can.").format(n=r.candidates)
        )
        self.next_bars.set_bars(
            [
                Bar(
                    t,
                    p,
                    q,
                    not ok,
                    (
                        tr("{token}: model {p}, sampling {q}")
                        if ok
                        else tr("{token}: model {p}, sampling {q} (filtered out)")
                    ).format(token=t, p=f"{p:.6f}", q=f"{q:.6f}"),
                )
                for t, p, q, ok in r.top
            ]
        )

    def sample_next(self) -> None:
        """One sampled token, added to the text (the distribution redraws for the longer text)."""
        self._start(1)

    def start_generation(self) -> None:
        self._start(self.max_new.value())

    def _start(self, n: int) -> None:
        try:
            self.sampling().check()
        except ValueError as exc:
            self.show_error(tr_core(user_text(exc)))
            return
        self._append = n == 1
        form = self.poem_form()
        if form and n > 1:  # a whole poem in its form (Next token stays one free token)
            self._generate_id = self.service.submit(
                f"{self.lesson.id}:generate", poem.poem_stream_job, self.model_name, self.text, form,
                self.acrostic.text().strip(), self.sampling(), self.seed.value(),
                label=tr("{model} writing a poem").format(model=self.model_label()),
            )  # fmt: skip
        else:
            self._generate_id = self.service.submit(
                f"{self.lesson.id}:generate", lm_lesson.generate_job, self.model_name, self.text, n, self.sampling(),
                self.seed.value(), label=tr("{model} generating").format(model=self.model_label()),
            )  # fmt: skip
        self.generate_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.stop_button.setEnabled(True)

    def tour_action(self) -> list[int]:
        """With a poem form chosen on the Next token tab, a tour step writes the poem (its seed and acrostic are
        the step's controls), as Generate would."""
        if self.tabs.currentIndex() == 0 and self.poem_form():
            self.start_generation()
            return [self._generate_id] if self._generate_id != -1 else []
        return []

    def _show_form_row(self) -> None:
        self.form_row.setVisible(self.model_name == lm_lesson.GPT_TANG)

    def poem_form(self) -> str:
        """The chosen poem form ("5x4", ...), or "" for free text (always "" for a model that is not gpt-tang)."""
        return self.form_select.currentData() or "" if self.form_row.isVisibleTo(self) else ""

    def _draw_poem_step(self, gen: poem.GeneratedPoem) -> None:
        """The bars of the poem's last step: the model's likeliest tokens, those the form removed greyed out."""
        if not gen.steps:
            return
        step = gen.steps[-1]
        self.next_caption.setText(
            tr(
                "{title}: at position {position} the form permits {permitted} tokens; it removed {removed} of the "
                "model's probability. Blue: the model's probability; orange: what sampling drew from; grey: removed "
                "by the form (or by top-k / top-p)."
            ).format(
                title=escape(gen.title),
                position=step.position + 1,
                permitted=f"{step.permitted:,}",
                removed=f"{step.removed_mass:.1%}",
            )
        )
        self.next_bars.set_bars(
            [
                Bar(
                    row.token,
                    row.prob,
                    row.sampling_prob,
                    not row.allowed,
                    (
                        tr("{token}: model {p}, sampling {q}")
                        if row.allowed
                        else tr("{token}: model {p}, sampling {q} (filtered out)")
                    ).format(token=row.token, p=f"{row.prob:.6f}", q=f"{row.sampling_prob:.6f}"),
                )
                for row in step.top
            ]
        )

    def _show_generation(self, gen) -> None:
        if isinstance(gen, poem.GeneratedPoem):
            self._draw_poem_step(gen)
        self.generation = gen
        pieces = "".join(
            f"<span style='background:rgba(31,119,180,{0.15 + 0.6 * s.prob:.2f})' title='p = {s.prob:.4f}'>"
            f"{escape(s.text)}</span><sub>{s.prob:.2f}</sub> "
            for s in gen.steps
        )
        drawn = tr("each new token with the probability it was drawn with:")
        if isinstance(gen, poem.GeneratedPoem):  # a poem line by line, large enough for the back of the room
            head = "<p style='font-size:x-large'><b>" + "<br>".join(escape(line) for line in gen.lines) + "</b></p>"
        else:
            head = f"<p><b>{escape(gen.text)}</b></p>"
        self.generated.setText(f"{head}<p>{drawn}<br>{pieces}</p>")

    def _on_generate_progress(self, channel: str, request_id: int, progress) -> None:
        if channel == f"{self.lesson.id}:generate" and request_id == self._generate_id and progress.data is not None:
            self._show_generation(progress.data)

    def _on_generate_done(self, channel: str, request_id: int, value, _elapsed: float) -> None:
        if channel != f"{self.lesson.id}:generate" or request_id != self._generate_id:
            return
        self._generate_id = -1
        self._show_generation(value)
        self._buttons_idle()
        self.use_button.setEnabled(bool(value.steps))
        if self._append and value.steps:
            self.textRequested.emit(value.text)

    def _generation_stopped(self, channel: str, request_id: int, message: str = "") -> None:
        if channel != f"{self.lesson.id}:generate" or request_id != self._generate_id:
            return
        self._generate_id = -1
        self._buttons_idle()
        self.use_button.setEnabled(self.generation is not None and bool(self.generation.steps))
        if message:
            self.show_error(message)

    def _buttons_idle(self) -> None:
        self.generate_button.setEnabled(True)
        self.next_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def pending(self) -> bool:
        return super().pending() or self._generate_id != -1

    def _draw_lens(self, r: lm_lesson.LensView) -> None:
        self.lens_caption.setText(
            tr(
                "The logit lens: the GPT's output layer read off every layer's hidden state. Each column is a position "
                "(the token it has just read), each row a layer from the embeddings (top) to the last layer (bottom, "
                "the model's real prediction); each cell is that layer's best guess for the <i>next</i> token, shaded by "
                "its probability. Watch the guess form layer by layer."
            )
        )
        tip = tr("after layer {layer}, position {position} ({token}): next = {guess}, p = {p}")
        self.lens_table.set_cells(
            r.tokens,
            [tr("embeddings")] + [tr("layer {layer}").format(layer=k) for k in range(1, len(r.guesses))],
            r.guesses,
            [
                [
                    tip.format(layer=i, position=j, token=r.tokens[j], guess=g, p=f"{p:.4f}")
                    for j, (g, p) in enumerate(row)
                ]
                for i, row in enumerate(r.guesses)
            ],
        )
        if r.tokens:  # the last position is the guess for the token after the text: keep it in view
            self.lens_table.scrollToItem(self.lens_table.item(len(r.guesses) - 1, len(r.tokens) - 1))

    def tab_csv_rows(self, r) -> list[list]:
        if isinstance(r, probes.NextToken):
            return [["token", "model_probability", "sampling_probability", "can_be_picked"]] + [
                [t, f"{p:.6g}", f"{q:.6g}", ok] for t, p, q, ok in r.top
            ]
        if isinstance(r, lm_lesson.LensView):
            rows = [["layer", "position", "token", "guess", "probability"]]
            for i, row in enumerate(r.guesses):
                rows += [[i, j, r.tokens[j], g, f"{p:.6g}"] for j, (g, p) in enumerate(row)]
            return rows
        raise ValueError(tr("nothing to export yet"))


class GenerativeView(LessonView):
    """The lecture's first comparison on one page: a discriminative model labels the text, a generative
    model writes more of it."""

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        examples, self.example_buttons = self.example_row()  # viz_app.core.examples, with their claims
        self.body.addLayout(examples)
        self.notice = self.rich_label(self, "generativeNotice")
        self.notice.hide()
        self.body.addWidget(self.notice)
        self.make_tabs("generativeTabs")
        self.body.addWidget(self.tabs, 1)
        page = QWidget(self)
        grid = QGridLayout(page)
        self.disc_caption = self.rich_label(page, "discriminativeCaption")
        self._caption_for(None)
        grid.addWidget(self.disc_caption, 0, 0)
        self.gen_caption = self.rich_label(page, "generativeCaption")
        self.gen_caption.setText(
            tr(
                "<b>Generative</b>: generates new data. The GPT continues your text word by word, sampling each next "
                "word from its predicted distribution."
            )
        )
        grid.addWidget(self.gen_caption, 0, 1)
        self.label = QLabel(page)
        self.label.setObjectName("generativeLabel")
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.label.setFont(font)
        grid.addWidget(self.label, 1, 0)
        self.bars = ProbabilityBars(page, "generativeBars")
        grid.addWidget(self.bars, 2, 0)
        row = QHBoxLayout()
        self.generate_button = QPushButton(tr("Generate"), page)
        self.generate_button.setObjectName("generativeGenerate")
        self.generate_button.clicked.connect(self.start_generation)
        row.addWidget(self.generate_button)
        self.seed = self.spin(row, page, tr("Seed:"), "generativeSeed", 0, 999999, 0)
        row.addStretch(1)
        grid.addLayout(row, 1, 1)
        self.continuation = self.rich_label(page, "generativeText")
        self.continuation.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        grid.addWidget(self.continuation, 2, 1)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.add_tab(page, QT_TR_NOOP("Label vs generate"))
        self._generate_id = -1
        service.progressChanged.connect(self._on_progress)
        service.resultReady.connect(self._on_done)
        # Its own name: the base class's _on_failed handles the page's main channel (a failure there must show).
        service.jobFailed.connect(self._on_generate_failed)
        service.jobCancelled.connect(lambda ch, rid: self._on_generate_failed(ch, rid, ""))

    def featured(self) -> str:
        """The classifier this page labels with: the best of the bundled ones by their cards."""
        try:
            return lm_lesson.featured_classifier(self.service.store.registry)
        except (ValueError, OSError, KeyError):
            return lm_lesson.SENTIMENT

    def _caption_for(self, r: lm_lesson.Classified | None) -> None:
        name = r.model if r is not None else self.featured()
        title = tr(CLASSIFIER_TITLES[name]) if name in CLASSIFIER_TITLES else name
        self.disc_caption.setText(
            tr(
                "<b>Discriminative</b>: predicts a label for the input: is your text a positive or a negative review? "
                "Labelled here by {title} ({model}), the best of the three classifiers on the BERT lesson's "
                "Fine-tuning tab by held-out accuracy. {figures}"
            ).format(
                title=escape(title), model=escape(name), figures=escape(card_line(r.metrics)) if r is not None else ""
            )
        )

    def model_label(self) -> str:
        return f"{self.featured()} + {lm_lesson.GPT}"

    def make_request(self, text: str):
        if not text.strip():
            self.label.setText("")
            self.bars.set_bars([])
            self.continuation.setText(tr("Type a review, or the start of a story."))
            return None
        return lm_lesson.classify_job, (lm_lesson.FEATURED, text), {}

    def show_result(self, r: lm_lesson.Classified) -> None:
        self._caption_for(r)
        self.label.setText(verdict_html(r))
        self.bars.set_bars([Bar(core_label(k), v) for k, v in r.probs.items()], tr("probability of each label"))
        if r.model != lm_lesson.BOW:
            notes = _ModelLesson.unknown_note(r.unknown)
        else:  # with no known word the bars are only the model's bias (its intercept)
            notes = [tr("None of these words is in its vocabulary.")] if r.verdict == "unreadable" else []
        self.show_notes(self.notice, notes)
        self.start_generation()  # the text changed: the GPT writes a new continuation of it

    generation_text: str | None = None

    def start_generation(self) -> None:
        if not self.text.strip():
            return
        self.generate_button.setEnabled(False)
        self.generation_text = ""
        self._generate_id = self.service.submit(
            f"{self.lesson.id}:generate", lm_lesson.generate_job, lm_lesson.GPT, self.text, 30, probes.Sampling(1.0, 40, 1.0),
            self.seed.value(), label=tr("{model} generating").format(model=lm_lesson.GPT),
        )  # fmt: skip

    def pending(self) -> bool:
        return super().pending() or self._generate_id != -1

    def _on_progress(self, channel, request_id, progress) -> None:
        if channel == f"{self.lesson.id}:generate" and request_id == self._generate_id and progress.data is not None:
            self.continuation.setText(f"<p style='font-size:large'>{escape(progress.data.text)}</p>")

    def _on_done(self, channel, request_id, value, _elapsed) -> None:
        if channel == f"{self.lesson.id}:generate" and request_id == self._generate_id:
            self._generate_id = -1
            self.generation_text = value.text
            self.continuation.setText(f"<p style='font-size:large'>{escape(value.text)}</p>")
            self.generate_button.setEnabled(True)

    def _on_generate_failed(self, channel, request_id, message) -> None:
        if channel == f"{self.lesson.id}:generate" and request_id == self._generate_id:
            self._generate_id = -1
            self.generate_button.setEnabled(True)
            if message:
                self.show_error(message)

    def csv_rows(self) -> list[list]:
        if self.result is None:
            raise ValueError(tr("nothing to export yet"))
        rows = [["label", "probability"]] + [[k, f"{v:.6g}"] for k, v in self.result.probs.items()]
        return rows + [["generated", self.generation_text or ""]]
