"""The word-embedding lesson's "Neighbours" and "Analogy" tabs: a word's nearest neighbours (in one map or in
both, side by side) and a is to b as c is to ?, with its arrows in the map."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons import word_embedding as core
from viz_app.core.lessons.word_embedding import Analogy, Neighbors, analogy_job, neighbors_job
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.wrap_label import WrapLabel


class NeighborsAnalogyTabs:
    """Mixin of WordEmbeddingView: the neighbours and analogy tabs."""

    def _build_neighbors_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.neighbor_title = QLabel(tr("Click a word in the map, or find one, to list its nearest neighbours."), self)
        self.neighbor_title.setObjectName("neighborTitle")
        self.neighbor_title.setWordWrap(True)
        col.addWidget(self.neighbor_title)
        self.neighbor_table = NumberTable(self, object_name="neighborTable", stretch_column=0)
        col.addWidget(self.neighbor_table, 1)
        self.add_tab(page, QT_TR_NOOP("Neighbours"))

    def _build_analogy_tab(self) -> None:
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

    def _show_neighbor_result(self, kind: str, value: Neighbors) -> None:
        """A word's neighbours in the first map ("neighbors") or in the second ("neighbors2")."""
        word, neighbors = value.word, value.neighbors
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

    def _show_analogy(self, value: Analogy) -> None:
        (a, b, c), answers, ids, offset_cosine = value.words, value.answers, value.ids, value.offset_cosine
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
