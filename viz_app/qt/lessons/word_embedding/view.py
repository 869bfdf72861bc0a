"""Word embedding: one-hot vs dense, the vocabulary in 2D, nearest neighbours and analogies.

The view composes the map (one model's, or two side by side) with one mixin per tab: ``onehot_tab``,
``analogy_tab`` (neighbours and analogies), ``ratio_tab`` and ``live_tab``. The jobs it asks for live in
``viz_app.core.lessons.word_embedding``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.embeddings.projection import Projection
from viz_app.core.lessons import word_embedding as core
from viz_app.core.lessons.word_embedding import embedding_job
from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.word_embedding.analogy_tab import NeighborsAnalogyTabs
from viz_app.qt.lessons.word_embedding.common import REFIT_EVENTS, compact, fit_rows, model_title
from viz_app.qt.lessons.word_embedding.live_tab import LiveTab
from viz_app.qt.lessons.word_embedding.onehot_tab import OneHotTab
from viz_app.qt.lessons.word_embedding.ratio_tab import RatioTab
from viz_app.qt.widgets.word_scatter import WordScatter
from viz_app.qt.widgets.wrap_label import WrapLabel


class WordEmbeddingView(OneHotTab, NeighborsAnalogyTabs, RatioTab, LiveTab, LessonView):
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
        compact(self.model_select)
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
        compact(self.compare_select)
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

        self._build_onehot_tab()
        self._build_neighbors_tab()
        self._build_analogy_tab()
        self._build_ratio_tab()
        self._build_live_tab()
        self._fit_tab_titles()

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

    def eventFilter(self, watched, event) -> bool:
        if watched is getattr(self, "onehot_table", None) and event.type() == QEvent.Resize:
            self._fit_dense_column()
        elif watched in getattr(self, "_fitted_tables", ()) and event.type() in REFIT_EVENTS:
            # rows grow with the font (presentation mode, 1.5x): refit once the table has taken the change
            QTimer.singleShot(0, watched, lambda t=watched: fit_rows(t, 8))  # dropped if the table is gone
        return super().eventFilter(watched, event)

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
            self._show_neighbor_result(kind, value)
        elif kind == "live":
            self._show_live_result(value)
        elif kind == "projection":
            self.refresh()  # now cached: the main request draws it
        elif kind == "compare":
            self.compare_scatter.set_points(value.words, value.coords)
            self.compare_scatter.set_highlight([i for i in value.sentence.ids if i is not None])
        elif kind == "analogy":
            self._show_analogy(value)
        elif kind == "ratio":
            self._show_ratio(value)

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
