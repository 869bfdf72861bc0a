"""Word embedding: one-hot vs dense, the vocabulary in 2D, nearest neighbours and analogies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.embeddings import ratio as ratio_mod
from viz_app.core.embeddings.projection import Projection
from viz_app.core.lessons import word_embedding as core
from viz_app.qt import theme
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.word_scatter import WordScatter
from viz_app.qt.widgets.wrap_label import WrapLabel


def fit_rows(table: NumberTable, most: int) -> None:
    """Make a short table exactly as tall as its rows (up to ``most``; more rows scroll)."""
    rows = min(table.rowCount(), most)
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(rows))
    if table.horizontalHeader().length() > table.width() - 2 * table.frameWidth():  # it will scroll sideways
        height += table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(height)


# The Chinese models' names, for translation (the core keeps them in English: core.CHINESE_MODEL_LABELS).
CHINESE_LABELS = (
    QT_TR_NOOP("Tang poems: skip-gram (characters, prediction)"),
    QT_TR_NOOP("Tang poems: PPMI + SVD (characters, counting)"),
)


def model_title(name: str) -> str:
    """A bundled model's name in the interface's language; a file's path as it is."""
    if name in core.MODEL_LABELS:
        return core_label(core.MODEL_LABELS[name])
    if name in core.CHINESE_MODEL_LABELS:
        return tr(core.CHINESE_MODEL_LABELS[name])
    return name


REFIT_EVENTS = (QEvent.Resize, QEvent.FontChange, QEvent.Show, QEvent.StyleChange)
DENSE_SHOWN = 3  # the first few numbers of each dense vector (the heatmap below shows all)


def embedding_job(ctx, model: str, text: str, method: str):
    return core.lesson_probe(ctx.models, model, text, method)


def neighbors_job(ctx, model: str, word: str):
    return word, core.neighbors_probe(ctx.models, model, word, 10)


def analogy_job(ctx, model: str, a: str, b: str, c: str):
    wv = core.vectors(ctx.models, model)
    answers = wv.analogy(a, b, c, 5)
    ids = (wv.require(a), wv.require(b), wv.require(c), wv.require(answers[0][0]) if answers else None)
    offset_cosine = None
    if ids[3] is not None:  # are the two arrows parallel in the full 100 dimensions?
        u = wv.vectors[ids[1]] - wv.vectors[ids[0]]  # (D,) b - a
        v = wv.vectors[ids[3]] - wv.vectors[ids[2]]  # (D,) answer - c
        offset_cosine = float(u @ v / max(np.linalg.norm(u) * np.linalg.norm(v), 1e-12))
    return (a, b, c), answers, ids, offset_cosine


def live_job(ctx, text: str, method: str, dim: int, paused):
    from viz_app.core.embeddings import live

    return (yield from live.train_live(text, method, dim, paused=paused.is_set, cancelled=lambda: ctx.cancelled))


def ratio_job(ctx, word1: str, word2: str, probes: list[str]):
    from viz_app.core.embeddings import ratio

    return ratio.ratio_table(ratio.bundled_table(ctx.models), word1, word2, probes)


def _compact(combo: QComboBox, chars: int = 20) -> None:
    """A model picker as wide as ``chars`` characters, not as its longest entry (the Tang models' titles would
    push the lesson past a 1024-pixel screen at 1.5x fonts); the list it opens shows every title whole, and
    the chosen one is named in full on hover."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.setToolTip(combo.currentText())
    combo.currentTextChanged.connect(combo.setToolTip)


class WordEmbeddingView(LessonView):
    def __init__(self, lesson, service, parent=None):
        super().__init__(lesson, service, parent)
        self._neighbors: dict[str, list] = {}
        self._projections_asked: set[tuple[str, str]] = set()
        self._text_chinese: bool | None = None  # the language of the text last read (None: none yet)
        self._switched_from: str | None = None  # the English model the lesson left for Chinese text
        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("Model:")))
        self.model_select = QComboBox(self)
        self.model_select.setObjectName("embeddingModel")
        for name in core.ALL_MODELS:
            self.model_select.addItem(model_title(name), name)
        self.model_select.currentIndexChanged.connect(self._model_picked)
        _compact(self.model_select)
        controls.addWidget(self.model_select)
        controls.addWidget(QLabel(tr("Projection:")))
        self.method_select = QComboBox(self)
        self.method_select.setObjectName("projectionMethod")
        for method in core.PROJECTIONS:
            self.method_select.addItem(core.PROJECTION_LABELS[method], method)
        self.method_select.setToolTip(
            tr(
                "PCA is instant; t-SNE and UMAP run in the background (progress and "
                "Cancel in the status bar) and are kept for the rest of the session"
            )
        )
        self.method_select.currentIndexChanged.connect(self._method_changed)
        controls.addWidget(self.method_select)
        self.compare_switch = QCheckBox(tr("Beside:"), self)
        self.compare_switch.setToolTip(tr("show a second model's map beside the first; the two maps are linked"))
        self.compare_switch.setObjectName("compareSwitch")
        self.compare_switch.toggled.connect(self._compare_toggled)
        controls.addWidget(self.compare_switch)
        self.compare_select = QComboBox(self)
        self.compare_select.setObjectName("compareModel")
        for name in core.ALL_MODELS:
            self.compare_select.addItem(model_title(name), name)
        self.compare_select.setCurrentIndex(self.compare_select.findData("embedding-ppmi-svd"))
        _compact(self.compare_select)
        self.compare_select.currentIndexChanged.connect(lambda _i: (self._title_maps(), self._refresh_compare()))
        self.compare_select.setEnabled(False)
        controls.addWidget(self.compare_select)
        controls.addStretch(1)
        self.body.addLayout(controls)
        controls = QHBoxLayout()  # a second row: your own vectors, export, search
        self.open_button = QPushButton(tr("Open vectors file…"), self)
        self.open_button.setObjectName("openVectors")
        self.open_button.setToolTip(tr("word2vec or GloVe vectors: .txt/.vec (with or without a header line) or .bin"))
        self.open_button.clicked.connect(self._ask_vectors_file)
        controls.addWidget(self.open_button)
        self.export_button = QPushButton(tr("Export…"), self)
        self.export_button.setObjectName("exportProjection")
        self.export_button.setToolTip(tr("the map as PNG or SVG, or its coordinates as CSV"))
        self.export_button.clicked.connect(self._ask_export)
        controls.addWidget(self.export_button)
        controls.addStretch(1)
        self.search = QLineEdit(self)
        self.search.setObjectName("wordSearch")
        self.search.setPlaceholderText(tr("Find a word…"))
        self.search.returnPressed.connect(lambda: self.select_word(self.search.text().strip().lower()))
        controls.addWidget(self.search)
        self.body.addLayout(controls)
        self.language_note = WrapLabel(self, "languageNote", Qt.AutoText)  # says when Chinese text chose the model
        self.language_note.hide()
        self.body.addWidget(self.language_note)

        splitter = QSplitter(Qt.Horizontal, self)
        left = QWidget(self)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        self.maps = maps = QSplitter(Qt.Horizontal, self)
        self.scatter = WordScatter(self, object_name="embeddingScatter")
        self.scatter.wordClicked.connect(self.select_word)
        maps.addWidget(self.scatter)
        self.compare_scatter = WordScatter(self, object_name="compareScatter")
        self.compare_scatter.wordClicked.connect(self.select_word)
        self.compare_scatter.hide()
        maps.addWidget(self.compare_scatter)
        left_box.addWidget(maps, 1)
        self.caption = WrapLabel(self, "projectionCaption", Qt.AutoText)
        left_box.addWidget(self.caption)
        splitter.addWidget(left)
        self.map_panel = left

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("embeddingTabs")
        splitter.addWidget(self.tabs)
        splitter.setSizes([560, 420])
        self.body.addWidget(splitter, 1)
        self.tabs.currentChanged.connect(lambda _index: self._fold_map())

        # One-hot vs dense.
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.onehot_note = WrapLabel(self, "oneHotNote", Qt.AutoText)
        col.addWidget(self.onehot_note)
        self.onehot_table = NumberTable(self, object_name="oneHotTable", stretch_column=3)
        self.onehot_table.installEventFilter(self)  # on resize, as many of each dense vector's numbers as fit
        self._dense_rows: list = []
        col.addWidget(self.onehot_table, 1)
        self.dense_map = Heatmap(self, object_name="denseHeatmap")
        col.addWidget(self.dense_map, 2)
        self.add_tab(page, QT_TR_NOOP("One-hot vs dense"))

        # Neighbours.
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.neighbor_title = QLabel(tr("Click a word in the map, or find one, to list its nearest neighbours."), self)
        self.neighbor_title.setObjectName("neighborTitle")
        self.neighbor_title.setWordWrap(True)
        col.addWidget(self.neighbor_title)
        self.neighbor_table = NumberTable(self, object_name="neighborTable", stretch_column=0)
        col.addWidget(self.neighbor_table, 1)
        self.add_tab(page, QT_TR_NOOP("Neighbours"))

        # Analogy.
        page = QWidget(self)
        grid = QGridLayout(page)
        self.analogy_inputs = []
        for k, (name, default) in enumerate((("analogyA", "man"), ("analogyB", "woman"), ("analogyC", "king"))):
            edit = QLineEdit(default, self)
            edit.setObjectName(name)
            edit.returnPressed.connect(self.run_analogy)
            self.analogy_inputs.append(edit)
            grid.addWidget(edit, 0, 2 * k)
            grid.addWidget(QLabel((":", "::", ": ?")[k], self), 0, 2 * k + 1)
        self.analogy_button = QPushButton(tr("Solve"), self)
        self.analogy_button.setObjectName("analogyRun")
        self.analogy_button.clicked.connect(self.run_analogy)
        grid.addWidget(self.analogy_button, 0, 6)
        presets = QHBoxLayout()
        presets.addWidget(QLabel(tr("Try:"), self))
        self.analogy_presets = []
        for key in ("en", "zh", "zh-seasons"):
            a, b, c = core.ANALOGY_PRESETS[key]
            button = QPushButton(f"{a} : {b} :: {c} : ?", self)
            button.setObjectName(f"analogyPreset-{key}")
            button.setToolTip(
                tr("an English example (the English models)")
                if key == "en"
                else tr("a Chinese example (the Tang-poem character models)")
            )
            button.clicked.connect(lambda _=False, k=key: self.try_analogy(k))
            presets.addWidget(button)
            self.analogy_presets.append(button)
        presets.addStretch(1)
        grid.addLayout(presets, 1, 0, 1, 7)
        note = QLabel(
            tr(
                "a is to b as c is to ?  The answer is the word nearest to b − a + c (by cosine), "
                "a, b and c excluded. The arrows show a → b and c → the answer."
            ),
            self,
        )
        note.setWordWrap(True)
        grid.addWidget(note, 2, 0, 1, 7)
        self.analogy_table = NumberTable(self, object_name="analogyTable", stretch_column=0)
        grid.addWidget(self.analogy_table, 3, 0, 1, 7)
        self.analogy_note = WrapLabel(self, "analogyNote", Qt.AutoText)
        grid.addWidget(self.analogy_note, 4, 0, 1, 7)
        grid.setRowStretch(3, 1)
        self.add_tab(page, QT_TR_NOOP("Analogy"))

        # The GloVe ratio table, counted from the training corpus, beside the lecture's published one.
        from viz_app.core.embeddings import ratio

        page = QWidget(self)
        grid = QGridLayout(page)
        self.ratio_inputs = []
        for k, (name, default) in enumerate(
            (("ratioWord1", ratio.DEFAULT_PAIR[0]), ("ratioWord2", ratio.DEFAULT_PAIR[1]))
        ):
            edit = QLineEdit(default, self)
            edit.setObjectName(name)
            edit.editingFinished.connect(self.run_ratio)
            self.ratio_inputs.append(edit)
            grid.addWidget(QLabel((tr("Word 1:"), tr("Word 2:"))[k], self), k, 0)
            grid.addWidget(edit, k, 1)
        self.probe_input = QLineEdit(" ".join(ratio.DEFAULT_PROBES), self)
        self.probe_input.setObjectName("ratioProbes")
        self.probe_input.editingFinished.connect(self.run_ratio)
        grid.addWidget(QLabel(tr("Probe words k:"), self), 2, 0)
        grid.addWidget(self.probe_input, 2, 1)
        self.ratio_button = QPushButton(tr("Count"), self)
        self.ratio_button.setObjectName("ratioRun")
        self.ratio_button.clicked.connect(self.run_ratio)
        grid.addWidget(self.ratio_button, 2, 2)
        pairs = QHBoxLayout()
        self.ratio_default_button = QPushButton(f"{ratio.DEFAULT_PAIR[0]} / {ratio.DEFAULT_PAIR[1]}", self)
        self.ratio_default_button.setToolTip(tr("the pair with which this corpus shows the lecture's pattern"))
        self.ratio_default_button.setObjectName("ratioDefaultPair")
        self.ratio_default_button.clicked.connect(
            lambda: self.set_ratio_words(*ratio.DEFAULT_PAIR, list(ratio.DEFAULT_PROBES))
        )
        pairs.addWidget(self.ratio_default_button)
        self.ratio_lecture_button = QPushButton(
            tr("{word1} / {word2} (the lecture)").format(word1=ratio.LECTURE["word1"], word2=ratio.LECTURE["word2"]),
            self,
        )
        self.ratio_lecture_button.setObjectName("ratioLecturePair")
        self.ratio_lecture_button.clicked.connect(
            lambda: self.set_ratio_words(ratio.LECTURE["word1"], ratio.LECTURE["word2"], list(ratio.LECTURE["probes"]))
        )
        pairs.addWidget(self.ratio_lecture_button)
        pairs.addStretch(1)
        grid.addLayout(pairs, 3, 0, 1, 3)
        self.ratio_title = WrapLabel(self, "ratioTitle", Qt.AutoText)
        bold = self.ratio_title.font()
        bold.setBold(True)
        self.ratio_title.setFont(bold)
        grid.addWidget(self.ratio_title, 4, 0, 1, 3)
        self.ratio_table = NumberTable(self, object_name="ratioTable")
        grid.addWidget(self.ratio_table, 5, 0, 1, 3)
        self.lecture_title = QLabel(
            tr("The lecture's table (the GloVe paper's Table 1, {tokens} words):").format(
                tokens=f"{ratio.LECTURE['tokens']:,}"
            ),
            self,
        )
        self.lecture_title.setObjectName("lectureRatioTitle")
        self.lecture_title.setWordWrap(True)
        self.lecture_title.setFont(bold)
        grid.addWidget(self.lecture_title, 6, 0, 1, 3)
        self.lecture_ratio_table = NumberTable(self, object_name="lectureRatioTable")
        self._fitted_tables = (self.ratio_table, self.lecture_ratio_table)
        for table in self._fitted_tables:
            table.installEventFilter(self)  # as tall as their rows, at any width
        grid.addWidget(self.lecture_ratio_table, 7, 0, 1, 3)
        self._fill_ratio_table(self.lecture_ratio_table, ratio.lecture_table())
        self.ratio_notes = WrapLabel(self, "ratioNotes", Qt.AutoText)
        grid.addWidget(self.ratio_notes, 8, 0, 1, 3)
        self.ratio_notes.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(8, 1)  # the tables keep the height of their rows; the notes take the rest
        outer = QWidget(self)  # the page, with a note above it while a Chinese model is shown
        outer_box = QVBoxLayout(outer)
        outer_box.setContentsMargins(0, 0, 0, 0)
        self.ratio_language_note = WrapLabel(self, "ratioLanguageNote", Qt.AutoText)
        self.ratio_language_note.setText(
            tr(
                "This table is English only: it counts the words of the English corpus behind the English "
                "embeddings and has no counts of the Tang poems' characters, whichever model is chosen."
            )
        )
        self.ratio_language_note.hide()
        outer_box.addWidget(self.ratio_language_note)
        outer_box.addWidget(page, 1)
        scroll = QScrollArea(self)  # on a short screen (a tour's caption above) the page scrolls, never overlaps
        scroll.setObjectName("ratioScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(outer)
        self.add_tab(scroll, QT_TR_NOOP("GloVe ratio"))
        self.run_ratio()  # the table is there whenever the tab is opened

        self._build_live_tab()

    # --- main request -------------------------------------------------------------------------
    @property
    def model(self) -> str:
        return self.model_select.currentData()

    def model_label(self) -> str:
        return self.model

    @property
    def method(self) -> str:
        return self.method_select.currentData() or "pca"

    def make_request(self, text: str):
        self._follow_language(text)
        self._refresh_compare(text)
        self._ensure_projection()
        return embedding_job, (self.model, text, self.method), {}

    # --- Chinese text, Chinese models ---------------------------------------------------------------
    @property
    def chinese(self) -> bool:
        """Whether the model shown has one vector per Chinese character (the Tang-poem models)."""
        return core.is_chinese_model(self.model)

    def _follow_language(self, text: str) -> None:
        """When the text turns (mostly) Chinese while an English model is shown, show the Tang-poem model of the
        same kind, with a note; when it turns back to English, the model the lesson left. Only a change of the
        text's language switches: while it stays Chinese, a model the user picks stays picked."""
        if not text.strip():
            return
        chinese = core.mostly_chinese(text)
        if chinese == self._text_chinese:
            return
        self._text_chinese = chinese
        if chinese and self.model in core.MODELS:
            self._switched_from = self.model
            self._set_model(self.model_select, core.COUNTERPART.get(self.model, core.DEFAULT_CHINESE))
            if self.compare_select.currentData() in core.MODELS:
                other = next(m for m in core.CHINESE_MODELS if m != self.model)
                self._set_model(self.compare_select, other)
            self.show_notes(
                self.language_note,
                [tr("Chinese text: showing the Tang-poem character embeddings; choose another model to switch back.")],
            )
        elif not chinese and self._switched_from and self.chinese:
            self._set_model(self.model_select, self._switched_from)
            if core.is_chinese_model(self.compare_select.currentData() or ""):
                self._set_model(self.compare_select, "embedding-ppmi-svd")
            self._switched_from = None
            self.language_note.hide()
        self._apply_model_language()
        self._title_maps()

    def _set_model(self, select: QComboBox, name: str) -> None:
        index = select.findData(name)
        if index >= 0 and index != select.currentIndex():
            select.blockSignals(True)  # the request being made reads the new model; no second refresh
            select.setCurrentIndex(index)
            select.blockSignals(False)

    def _model_picked(self, _index: int) -> None:
        """The user chose a model: it stays, whatever the text (the note about the automatic choice goes)."""
        self._switched_from = None
        self.language_note.hide()
        self._apply_model_language()
        self._title_maps()
        self.refresh()

    def _apply_model_language(self) -> None:
        """The analogy boxes hold an example the shown model can answer; the ratio tab says it is English only."""
        words = tuple(e.text().strip() for e in self.analogy_inputs)
        presets = core.ANALOGY_PRESETS
        if self.chinese and words == presets["en"]:
            self.set_analogy_words(*presets["zh"])
        elif not self.chinese and words in (presets["zh"], presets["zh-seasons"]):
            self.set_analogy_words(*presets["en"])
        if self.chinese:
            c = theme.colors()
            self.ratio_language_note.setStyleSheet(
                f"background:{c['warn_bg']}; color:{c['warn_fg']}; padding:4px; border-radius:4px;"
            )
        self.ratio_language_note.setVisible(self.chinese)

    def set_analogy_words(self, a: str, b: str, c: str) -> None:
        for edit, word in zip(self.analogy_inputs, (a, b, c), strict=True):
            edit.setText(word)

    def try_analogy(self, key: str) -> None:
        """A preset: its words in the boxes, the model of its language, and the answer."""
        words = core.ANALOGY_PRESETS[key]
        self.set_analogy_words(*words)
        wants_chinese = key != "en"
        if wants_chinese != self.chinese and (self.model in core.ALL_MODELS):
            target = (
                core.COUNTERPART.get(self.model, core.DEFAULT_CHINESE)
                if wants_chinese
                else next((k for k, v in core.COUNTERPART.items() if v == self.model), core.MODELS[0])
            )
            self.model_select.setCurrentIndex(self.model_select.findData(target))  # the user's choice, by a click
        self.run_analogy()

    def _method_changed(self, _index: int) -> None:
        self.refresh()  # shows the projection at once if it is cached, else PCA meanwhile

    def _ensure_projection(self) -> None:
        """Start the slow projection of the current model in the background, once per model and method."""
        key = (self.model, self.method)
        if self.method == "pca" or key in self._projections_asked:
            return
        self._projections_asked.add(key)
        self._side(
            "projection", core.projection_job, self.model, self.method,
            label=tr("{projection} of {model}").format(projection=core.PROJECTION_LABELS[self.method],
                                                       model=self.model),
        )  # fmt: skip

    # --- counting vs prediction, side by side ----------------------------------------------------
    def _compare_toggled(self, on: bool) -> None:
        self.compare_select.setEnabled(on)
        self.compare_scatter.setVisible(on)
        if on:
            half = max(self.maps.width() // 2, 100)
            self.maps.setSizes([half, half])
        self._title_maps()
        self._refresh_compare()

    def _title_maps(self) -> None:
        """Side by side, each map is titled with its model; alone, the caption below names it."""
        on = self.compare_switch.isChecked()
        for scatter, select in ((self.scatter, self.model_select), (self.compare_scatter, self.compare_select)):
            scatter.plot_item.setTitle(
                select.currentText() if on else None, bold=True, color=theme.colors()["foreground"]
            )

    def _refresh_compare(self, text: str | None = None) -> None:
        if not self.compare_switch.isChecked():
            return
        model = self.compare_select.currentData()
        self._side("compare", embedding_job, model, self.text if text is None else text, "pca")

    def show_result(self, result: core.EmbeddingLessonResult) -> None:
        if self.scatter.words is not result.words or self.scatter.coords is not result.coords:
            self.scatter.set_points(result.words, result.coords)
        s = result.sentence
        known = [i for i in s.ids if i is not None]
        self.scatter.set_highlight(known)
        if self.scatter._arrows:  # an analogy's arrows and zoom belong to the analogy, not to the typed words
            self.scatter.set_arrows([])
            self.scatter.plot_item.autoRange()
        if result.method == "tsne":
            explained = " " + tr("t-SNE keeps near neighbours near; distances between far-apart groups mean little.")
        elif result.method == "umap":
            explained = " " + tr("UMAP keeps neighbourhoods and some of the larger structure.")
        elif result.explained:
            explained = " " + tr("The two axes keep {first}% and {second}% of the variance.").format(
                first=f"{100 * result.explained[0]:.1f}", second=f"{100 * result.explained[1]:.1f}"
            )
        else:
            explained = ""
        shown = core.PROJECTION_LABELS.get(result.method, result.method)
        pending = ""
        if result.pending:
            pending = " " + tr("{projection} is being computed (progress in the status bar); PCA meanwhile.").format(
                projection=core.PROJECTION_LABELS[result.pending]
            )
        model = model_title(result.model)
        if core.is_chinese_model(result.model):
            whole = tr("All {words} characters of {model}, projected from {dims} dimensions to 2 by {projection}.")
            red = tr("Red: the characters you typed.")
        else:
            whole = tr("All {words} words of {model}, projected from {dims} dimensions to 2 by {projection}.")
            red = tr("Red: the words you typed.")
        self._caption_base = (
            whole.format(words=f"{len(result.words):,}", model=model, dims=s.dense.shape[1], projection=shown)
            + explained
            + pending
        )
        self._set_red_note(red if known else "")
        self._show_onehot(s)

    def _set_red_note(self, note: str) -> None:
        """The caption under the map, saying what the red dots are now (typed words, neighbours or an analogy)."""
        self._red_note = note
        parts = [getattr(self, "_caption_base", ""), note]
        parts.append(tr("Hover a dot for its word; click it for its neighbours; drag to pan, wheel to zoom."))
        self.caption.setText(" ".join(p for p in parts if p))

    def _show_onehot(self, s: core.SentenceWords) -> None:
        rows = []
        for t, i, vec in zip(s.tokens, s.ids, s.dense, strict=True):
            if i is None:
                rows.append([t, tr("unknown"), "—", tr("not in the vocabulary")])
                continue
            onehot = "0…0 1 0…0"
            dense = "[" + ", ".join(f"{x:.2f}" for x in vec[:DENSE_SHOWN]) + ", …]"
            rows.append([t, str(i), onehot, dense])
        chinese = core.is_chinese_model(self.result.model) if self.result is not None else self.chinese
        headers = [
            tr("character") if chinese else tr("word"),
            tr("index"),
            tr("one-hot"),
            tr("dense"),
        ]
        self.onehot_table.set_rows(headers, rows)
        self._dense_rows = [None if i is None else vec for i, vec in zip(s.ids, s.dense, strict=True)]
        self._fit_dense_column()
        unknown = s.unknown
        if chinese:
            note = tr(
                "One-hot: each character is a vector of {n} numbers, all 0 but a single 1 at the character's "
                "index; every two characters are equally far apart. Dense: {dims} numbers learnt from the Tang "
                "poems, so that characters used alike get similar vectors: a dimension reduction."
            ).format(n=f"{s.vocab_size:,}", dims=s.dense.shape[1])
        else:
            note = tr(
                "One-hot: each word is a vector of {n} numbers, all 0 but a single 1 at the word's "
                "index; every two words are equally far apart. Dense: {dims} numbers learnt from "
                "the corpus, so that words used alike get similar vectors: a dimension reduction."
            ).format(n=f"{s.vocab_size:,}", dims=s.dense.shape[1])
        if unknown:
            words = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            note += " " + tr("Not in the vocabulary: {words}.").format(words=words)
        if s.truncated:
            note += " " + tr("Only the first {n} words are shown ({more} more left out).").format(
                n=len(s.tokens), more=s.truncated
            )
        if not s.tokens:
            note += " " + tr("Type a sentence to see its words.")
        self.onehot_note.setText(note)
        if len(s.tokens):
            lim = float(np.abs(s.dense).max()) or 1.0
            self.dense_map.set_matrix(
                s.dense,
                list(s.tokens),
                [str(d) if d % 20 == 0 else "" for d in range(s.dense.shape[1])],
                (-lim, lim),
                colormap="CET-D1",
                colorbar_label=tr("dense vectors (a row per character)")
                if chinese
                else tr("dense vectors (a row per word)"),
                cell_labels=False,
            )

    def eventFilter(self, watched, event) -> bool:
        if watched is getattr(self, "onehot_table", None) and event.type() == QEvent.Resize:
            self._fit_dense_column()
        elif watched in getattr(self, "_fitted_tables", ()) and event.type() in REFIT_EVENTS:
            # rows grow with the font (presentation mode, 1.5x): refit once the table has taken the change
            QTimer.singleShot(0, watched, lambda t=watched: fit_rows(t, 8))  # dropped if the table is gone
        return super().eventFilter(watched, event)

    def _fit_dense_column(self) -> None:
        """Each dense cell shows the first numbers of the vector that fit the column (at most DENSE_SHOWN), never
        a cut number; the tooltip holds the first ten."""
        table = self.onehot_table
        fm = table.fontMetrics()
        room = table.columnWidth(3) - 12  # the cell's margins
        for n in range(DENSE_SHOWN, 0, -1):
            texts = ["[" + ", ".join(f"{x:.2f}" for x in v[:n]) + ", …]" for v in self._dense_rows if v is not None]
            if all(fm.horizontalAdvance(t) <= room for t in texts):
                break
        for r, vec in enumerate(self._dense_rows):
            item = table.item(r, 3)
            if vec is None or item is None:
                continue
            item.setText("[" + ", ".join(f"{x:.2f}" for x in vec[:n]) + ", …]")
            item.setToolTip("[" + ", ".join(f"{x:.3f}" for x in vec[:10]) + ", …]")

    # --- live training (watch vectors move) ------------------------------------------------------------
    def _build_live_tab(self) -> None:
        import threading

        import pyqtgraph as pg

        from viz_app.core.embeddings import live

        page = QWidget(self)
        grid = QGridLayout(page)
        self.live_text = QPlainTextEdit(self)
        self.live_text.setObjectName("liveText")
        try:
            self.live_text.setPlainText(live.sample_text())
        except OSError:
            self.live_text.setPlaceholderText(tr("Type a few sentences, one per line."))
        self.live_text.setMaximumHeight(90)
        grid.addWidget(self.live_text, 0, 0, 1, 6)
        self.live_method = QComboBox(self)
        self.live_method.setObjectName("liveMethod")
        self.live_method.addItem("Skip-gram", "skipgram")
        self.live_method.addItem("CBOW", "cbow")
        grid.addWidget(self.live_method, 1, 0)
        grid.addWidget(QLabel(tr("dimension"), self), 1, 1)
        self.live_dim = QSpinBox(self)
        self.live_dim.setObjectName("liveDim")
        self.live_dim.setRange(2, 50)
        self.live_dim.setValue(5)
        grid.addWidget(self.live_dim, 1, 2)
        self.live_start = QPushButton(tr("Train"), self)
        self.live_start.setObjectName("liveStart")
        self.live_start.clicked.connect(self.start_live)
        grid.addWidget(self.live_start, 2, 0)
        self.live_pause = QPushButton(tr("Pause"), self)
        self.live_pause.setObjectName("livePause")
        self.live_pause.setCheckable(True)
        self.live_pause.setEnabled(False)
        self._live_paused = threading.Event()
        self.live_pause.toggled.connect(lambda on: self._live_paused.set() if on else self._live_paused.clear())
        grid.addWidget(self.live_pause, 2, 1)
        self.live_cancel = QPushButton(tr("Stop"), self)
        self.live_cancel.setObjectName("liveStop")
        self.live_cancel.setEnabled(False)
        self.live_cancel.clicked.connect(self.stop_live)
        grid.addWidget(self.live_cancel, 2, 2)
        self.live_scatter = WordScatter(self, object_name="liveScatter")
        grid.addWidget(self.live_scatter, 3, 0, 1, 6)
        self.live_loss = pg.PlotWidget(self)
        self.live_loss.setObjectName("liveLoss")
        self.live_loss.setMinimumHeight(150)  # a readable curve even when the page is short
        self.live_loss.setMaximumHeight(240)
        self.live_loss.setLabel("left", tr("loss"))
        self.live_loss.setLabel("bottom", tr("step"))
        self.live_loss_curve = self.live_loss.plot([], [], pen=pg.mkPen("#1f77b4", width=2))
        theme.style_plot(self.live_loss)
        grid.addWidget(self.live_loss, 4, 0, 1, 6)
        self.live_status = QLabel(
            tr(
                "Train a tiny model on the text above and watch its word vectors move: words "
                "used in the same contexts drift together."
            ),
            self,
        )
        self.live_status.setObjectName("liveStatus")
        self.live_status.setWordWrap(True)
        grid.addWidget(self.live_status, 5, 0, 1, 6)
        grid.setRowStretch(3, 1)
        self.add_tab(page, QT_TR_NOOP("Live training"))
        self._fit_tab_titles()

    # Tabs that do not read the map: in a narrow lesson (a 1024-pixel projector) the map folds away while one
    # of them is shown, and the tab gets the whole width for its tables and plots.
    MAPLESS_TABS = ("GloVe ratio", "Live training")
    MAP_FOLD_WIDTH = 1200

    def _fold_map(self) -> None:
        index = self.tabs.currentIndex()
        title = self.tabs.tabBar().tabData(index) if index >= 0 else None
        fold = title in self.MAPLESS_TABS and self.width() < self.MAP_FOLD_WIDTH
        if self.map_panel.isVisibleTo(self) == fold:
            self.map_panel.setVisible(not fold)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fold_map()

    def _fit_tab_titles(self) -> None:
        """All five tabs fit the narrow right pane at 1024x768: the two long titles show a short form and every
        tab carries its full title as a tooltip (with 1.5x fonts the bar still scrolls rather than cut words to
        "An…"). The tab's English source (its data) is unchanged, so tours and ``--tab`` still find it by its
        full title."""
        short = {"One-hot vs dense": tr("One-hot"), "Live training": tr("Training")}
        bar = self.tabs.tabBar()
        for k in range(self.tabs.count()):
            source = bar.tabData(k) or ""
            self.tabs.setTabToolTip(k, tr(source))
            if source in short:
                self.tabs.setTabText(k, short[source])

    def start_live(self) -> None:
        from viz_app.core.embeddings import live

        self._live_paused.clear()
        self.live_pause.setChecked(False)
        self._live_first = True
        self._side(
            "live", live_job, self.live_text.toPlainText(), self.live_method.currentData(), self.live_dim.value(),
            self._live_paused, label=tr("live training"), on_progress=self._on_live_progress,
        )  # fmt: skip
        del live
        self.live_pause.setEnabled(True)
        self.live_cancel.setEnabled(True)

    def stop_live(self) -> None:
        self.stop("live")
        self._live_done(tr("Stopped."))

    def _live_done(self, message: str) -> None:
        self.live_pause.setEnabled(False)
        self.live_pause.setChecked(False)
        self.live_cancel.setEnabled(False)
        self.live_status.setText(message)

    def _on_live_progress(self, progress) -> None:
        if progress.data is None:
            return
        self._draw_live(progress.data)
        self.live_status.setText(progress.message)

    def _draw_live(self, snap) -> None:
        if self._live_first or self.live_scatter.words != snap.words:
            self.live_scatter.set_points(snap.words, snap.coords)
            self.live_scatter.plot_item.enableAutoRange()  # follow the points as they move
            self._live_first = False
        else:
            self.live_scatter.coords = snap.coords
            self.live_scatter.all_points.setData(pos=snap.coords, data=np.arange(len(snap.words)))
        self.live_scatter.set_highlight(list(range(len(snap.words))))  # label every word
        self.live_loss_curve.setData(np.arange(1, len(snap.losses) + 1), np.asarray(snap.losses))

    # --- your own vectors, export ----------------------------------------------------------------
    def add_vectors_file(self, path: str) -> None:
        """Show a word2vec/GloVe file like a bundled model (loaded on the worker; errors name the line)."""
        index = self.model_select.findData(path)
        if index < 0:
            self.model_select.addItem(tr("File: {name}").format(name=Path(path).name), path)
            index = self.model_select.count() - 1
        self.model_select.setCurrentIndex(index)

    def _ask_vectors_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open word vectors"), "", tr("Word vectors (*.txt *.vec *.bin);;All files (*)")
        )
        if path:
            self.add_vectors_file(path)

    def export(self, path: str) -> None:
        """PNG or SVG of the map, or CSV of every word's coordinates, by the file's extension."""
        from viz_app.qt.export import export_widget

        suffix = Path(path).suffix.lower()
        if suffix == ".csv":
            if self.result is None:
                raise ValueError(tr("nothing to export yet"))
            projection = Projection(self.result.method, self.result.coords, self.result.explained)
            Path(path).write_text(projection.to_csv(self.result.words), encoding="utf-8")
        else:  # PNG at twice the screen's pixels, or SVG (Qt's own painter: pyqtgraph's SVG exporter
            # cannot parse the paths Qt 6.11 writes)
            export_widget(self.scatter, path)

    def _ask_export(self) -> None:
        from viz_app.qt import save_dialog  # the last folder used, else Pictures, never the working folder

        path = save_dialog.ask_save_path(
            self,
            tr("Export the map"),
            f"{self.model}-pca.png",
            tr("PNG image (*.png);;SVG image (*.svg);;Coordinates (*.csv)"),
        )
        if path:
            try:
                self.export(path)
            except (OSError, ValueError) as exc:
                self.show_error(tr("Could not export {path}: {error}").format(path=path, error=exc))

    # --- neighbours and analogies --------------------------------------------------------------
    def select_word(self, word: str) -> None:
        """Select a word in every map shown (they are linked) and list its neighbours in each model."""
        if not word:
            return
        self._neighbors = {}
        self._side("neighbors", neighbors_job, self.model, word)
        if self.compare_switch.isChecked():
            self._side("neighbors2", neighbors_job, self.compare_select.currentData(), word)

    def run_analogy(self) -> None:
        a, b, c = (e.text().strip().lower() for e in self.analogy_inputs)
        if not (a and b and c):
            self.show_error(tr("Type three words: a is to b as c is to ?"))
            return
        self._side("analogy", analogy_job, self.model, a, b, c)

    def set_ratio_words(self, word1: str, word2: str, probes: list[str]) -> None:
        for edit, word in zip(self.ratio_inputs, (word1, word2), strict=True):
            edit.setText(word)
        self.probe_input.setText(" ".join(probes))
        self.run_ratio()

    def run_ratio(self) -> None:
        w1, w2 = (e.text().strip().lower() for e in self.ratio_inputs)
        probes = self.probe_input.text().lower().split()
        if not (w1 and w2 and probes):
            self.show_error(tr("Type two words and at least one probe word."))
            return
        asked = (w1, w2, tuple(probes))
        if asked == getattr(self, "_ratio_asked", None) and self.ratio_table.rowCount():
            return  # editingFinished fires on Return and again on leaving the box: count once
        self._ratio_asked = asked
        self._side("ratio", ratio_job, w1, w2, probes)

    # The slow projections and the live training run on in the background: the lesson is drawn without them.
    background_keys = ("projection", "live")

    def _side(self, kind: str, fn, *args, label: str = "", on_progress=None) -> None:
        """A side request of this lesson, its result, error or cancellation handled by kind."""
        self.ask(
            kind, fn, *args, label=label, on_progress=on_progress,
            on_result=lambda value, _elapsed: self._on_side_result(kind, value),
            on_failed=lambda message: self._on_side_failed(kind, message),
            on_cancelled=lambda: self._on_side_cancelled(kind),
        )  # fmt: skip

    def forget_requests(self) -> None:
        """Results of earlier clicks still on their way are dropped (a tour step starts clean)."""
        for kind in ("neighbors", "neighbors2", "analogy", "ratio"):
            if self.asked(kind) is not None:
                self.asked(kind).forget()

    def tour_action(self) -> list[int]:
        """What a click does on the open tab, for a tour step: the neighbours of the first word typed, the
        analogy, the ratio table, the live training. Returns the ids of the requests made (the player waits for them)."""
        before = {kind: self.asked(kind) for kind in ("neighbors", "neighbors2", "analogy", "ratio", "live")}
        tab = self.tabs.currentIndex()
        if tab == 1 and self.result is not None and self.result.sentence.tokens:
            self.select_word(self.result.sentence.tokens[0].lower())
        elif tab == 1 and self.text.split():
            self.select_word(self.text.split()[0].lower())
        elif tab == 2:
            self.run_analogy()
        elif tab == 3:
            self._ratio_asked = None  # count again: the step shows the table fresh
            self.run_ratio()
        elif tab == 4:  # the step trains the tiny model, so the screen shows vectors that moved, not empty axes
            self.start_live()
        return [self.asked(k).request_id for k, h in before.items() if self.asked(k) is not h]

    def _on_side_result(self, kind: str, value) -> None:
        self.clear_error()
        if kind in ("neighbors", "neighbors2"):
            word, neighbors = value
            self._neighbors[kind] = neighbors
            scatter = self.scatter if kind == "neighbors" else self.compare_scatter
            index = scatter.words.index(word) if word in scatter.words else None
            if index is not None:
                scatter.set_highlight([index] + [scatter.words.index(w) for w, _ in neighbors])
                scatter.centre_on(index)
                if kind == "neighbors":
                    self._set_red_note(
                        tr("Red: “{word}” and its {n} nearest neighbours.").format(word=word, n=len(neighbors))
                    )
            self._show_neighbors(word)
            self.tabs.setCurrentIndex(1)
        elif kind == "live":
            self._draw_live(value)
            self._live_done(
                tr("Done: {steps} steps, loss {first} → {last}.").format(
                    steps=value.steps, first=f"{value.losses[0]:.2f}", last=f"{value.losses[-1]:.2f}"
                )
            )
        elif kind == "projection":
            self.refresh()  # now cached: the main request draws it
        elif kind == "compare":
            self.compare_scatter.set_points(value.words, value.coords)
            self.compare_scatter.set_highlight([i for i in value.sentence.ids if i is not None])
        elif kind == "analogy":
            (a, b, c), answers, ids, offset_cosine = value
            self.analogy_table.set_rows([tr("answer"), tr("cosine")], [[w, f"{s:.3f}"] for w, s in answers])
            if offset_cosine is not None:
                self.analogy_note.setText(
                    tr(
                        "In all {dims} dimensions the arrows {a} → {b} and {c} → {answer} have cosine {cosine} "
                        "(1 = parallel). The map flattens them to 2 dimensions, so there they need not look parallel."
                    ).format(
                        dims=self.result.sentence.dense.shape[1] if self.result else 100,
                        a=a,
                        b=b,
                        c=c,
                        answer=answers[0][0],
                        cosine=f"{offset_cosine:.2f}",
                    )
                )
            if ids[3] is not None:
                self.scatter.set_highlight(list(ids), [a, b, c, answers[0][0]])
                self.scatter.set_arrows([(ids[0], ids[1]), (ids[2], ids[3])])
                self.scatter.zoom_to(list(ids))  # the four words large enough for their labels and arrows
                self._set_red_note(
                    tr("Red: {a}, {b}, {c} and the answer {answer}; arrows {a} → {b} and {c} → {answer}.").format(
                        a=a, b=b, c=c, answer=answers[0][0]
                    )
                )
            self.tabs.setCurrentIndex(2)
        elif kind == "ratio":
            self._show_ratio(value)

    def _show_neighbors(self, word: str) -> None:
        first = self._neighbors.get("neighbors", [])
        second = self._neighbors.get("neighbors2") if self.compare_switch.isChecked() else None
        label_a = self.model_select.currentText()
        if second is None:
            self.neighbor_title.setText(
                tr("Nearest neighbours of “{word}” in {model} (cosine similarity):").format(word=word, model=label_a)
            )
            self.neighbor_table.set_rows([tr("word"), tr("cosine")], [[w, f"{c:.3f}"] for w, c in first])
            return
        label_b = self.compare_select.currentText()
        self.neighbor_title.setText(
            tr("Nearest neighbours of “{word}”: {first} beside {second}.").format(
                word=word, first=label_a, second=label_b
            )
        )
        rows = []
        for k in range(max(len(first), len(second))):
            a = first[k] if k < len(first) else ("", None)
            b = second[k] if k < len(second) else ("", None)
            rows.append([a[0], "" if a[1] is None else f"{a[1]:.3f}", b[0], "" if b[1] is None else f"{b[1]:.3f}"])
        self.neighbor_table.set_rows([label_a, tr("cosine"), label_b, tr("cosine")], rows)
        header = self.neighbor_table.horizontalHeader()
        for col in (0, 2):
            header.setSectionResizeMode(col, QHeaderView.Stretch)

    READS = {
        "large": QT_TR_NOOP("{ratio}, large"),
        "small": QT_TR_NOOP("{ratio}, small"),
        "near 1": QT_TR_NOOP("{ratio}, near 1"),
        "between": QT_TR_NOOP("{ratio}"),
    }

    def _fill_ratio_table(self, widget: NumberTable, table) -> None:
        def prob(x, n):
            if x is None:
                return tr("too rare")
            text = f"{x:.1e}"  # one format for the whole column, as in the lecture's table (1.9e-04)
            return tr("{p} ({n}×)").format(p=text, n=f"{n:,}") if n else text

        def reads(x):
            kind = ratio_mod.classify(x)
            return "—" if kind is None else tr(self.READS[kind]).format(ratio=f"{x:.3g}")

        rows = [
            [k, reads(r), prob(a, n1), prob(b, n2)]  # the ratio first: it is the point, and stays in view
            for k, a, b, r, n1, n2 in zip(
                table.probes, table.p1, table.p2, table.ratio, table.c1, table.c2, strict=True
            )
        ]
        widget.set_rows(
            ["k", tr("ratio"), f"P(k | {table.word1})", f"P(k | {table.word2})"],
            rows,
        )
        fit_rows(widget, 8)

    def _show_ratio(self, table) -> None:
        self.ratio_title.setText(
            tr("This corpus ({tokens} words), within {window} words on either side; (n×): times seen:").format(
                tokens=f"{table.tokens:,}", window=table.window
            )
        )
        self.ratio_title.setToolTip(
            tr("All the shared English text: TinyStories, Project Gutenberg books, WikiText-2, Tiny Shakespeare")
        )
        self._fill_ratio_table(self.ratio_table, table)
        notes = [
            tr(
                "A ratio far above 1 marks a word that goes with {word1}, far below 1 one that goes with {word2}, "
                "near 1 one that relates to both or neither: GloVe fits its vectors to these log counts."
            ).format(word1=table.word1, word2=table.word2)
        ]
        lecture = (ratio_mod.LECTURE["word1"], ratio_mod.LECTURE["word2"])
        if (table.word1, table.word2) == lecture and any(x is None for x in table.ratio):
            notes.append(
                tr(
                    "Ice and steam are rare in these stories and classics: “{word2}” has {n} co-occurrences in all, "
                    "so most of the lecture's probe words are seen near it fewer than {min} times. The lecture's "
                    "numbers come from {big} words."
                ).format(
                    word2=table.word2,
                    n=f"{table.totals[1]:,.0f}",
                    min=ratio_mod.MIN_COUNT,
                    big=f"{ratio_mod.LECTURE['tokens']:,}",
                )
            )
        pattern = table.pattern()
        if (
            (table.word1, table.word2) == ratio_mod.DEFAULT_PAIR
            and pattern == ("large", "small", "near 1", "near 1")
            and min(table.c1 + table.c2) >= 24
        ):
            k = table.probes
            notes.append(
                tr(
                    "Why {word1} and {word2}: here they show the lecture's pattern from dozens of sightings or more: "
                    "{k1} goes with {word1} ({r1}), {k2} with {word2} ({r2}), {k3} with both ({r3}), {k4} with "
                    "neither ({r4})."
                ).format(
                    word1=table.word1,
                    word2=table.word2,
                    k1=k[0],
                    k2=k[1],
                    k3=k[2],
                    k4=k[3],
                    r1=f"{table.ratio[0]:.3g}",
                    r2=f"{table.ratio[1]:.3g}",
                    r3=f"{table.ratio[2]:.3g}",
                    r4=f"{table.ratio[3]:.3g}",
                )
            )
        self.ratio_notes.setText(" ".join(notes + [tr_core(n) for n in table.notes[:4]]))

    def _on_side_cancelled(self, kind: str) -> None:
        if kind == "live":
            self._live_done(tr("Stopped."))
        if kind == "projection":
            self._projections_asked.discard((self.model, self.method))
            self.method_select.blockSignals(True)
            self.method_select.setCurrentIndex(self.method_select.findData("pca"))
            self.method_select.blockSignals(False)
            self.caption.setText(self.caption.text() + " " + tr("(The slower projection was cancelled.)"))

    def _on_side_failed(self, kind: str, message: str) -> None:
        if kind == "live":
            self._live_done(message)
        if kind == "projection":
            self._projections_asked.discard((self.model, self.method))
        self.show_error(message)
