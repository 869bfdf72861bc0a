"""What the BERT and GPT lessons share: the model chooser (the bundled model, its Chinese partner, local Hugging
Face folders), the attention tab and the comparison tab."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons import lm as lm_lesson
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.lessons.language_switch import LanguageSwitch
from viz_app.qt.widgets.attention_panels import HeadToggles, open_large
from viz_app.qt.widgets.head_view import HeadView
from viz_app.qt.widgets.heatmap import Heatmap, thin
from viz_app.qt.widgets.matrix_grid import MatrixGrid
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars


def bundled_models(service) -> set[str]:
    """The models of the registry the service runs (the bundled one in the app)."""
    try:
        return set(service.store.registry.cards())
    except (AttributeError, OSError, ValueError):
        return set()


class ModelLesson(LessonView):
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
        if self.CHINESE_MODEL and self.CHINESE_MODEL in bundled_models(service):
            self.model_select.addItem(self.CHINESE_MODEL)
        for folder in service.user_models:  # the Hugging Face folders opened this session
            self.model_select.addItem(folder)
        service.userModelAdded.connect(self._while_alive(self.add_user_model))
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
        if chinese not in bundled_models(self.service):
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
