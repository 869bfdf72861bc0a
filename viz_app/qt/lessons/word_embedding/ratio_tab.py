"""The word-embedding lesson's "GloVe ratio" tab: P(k | word1) / P(k | word2) counted from the training corpus,
beside the lecture's published table."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.embeddings import ratio
from viz_app.core.lessons.word_embedding import ratio_job
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.word_embedding.common import fit_rows
from viz_app.qt.widgets.number_table import NumberTable
from viz_app.qt.widgets.wrap_label import WrapLabel


class RatioTab:
    """Mixin of WordEmbeddingView: the GloVe ratio tab (counted when the view opens)."""

    def _build_ratio_tab(self) -> None:
        # The GloVe ratio table, counted from the training corpus, beside the lecture's published one.
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
            kind = ratio.classify(x)
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
        lecture = (ratio.LECTURE["word1"], ratio.LECTURE["word2"])
        if (table.word1, table.word2) == lecture and any(x is None for x in table.ratio):
            notes.append(
                tr(
                    "Ice and steam are rare in these stories and classics: “{word2}” has {n} co-occurrences in all, "
                    "so most of the lecture's probe words are seen near it fewer than {min} times. The lecture's "
                    "numbers come from {big} words."
                ).format(
                    word2=table.word2,
                    n=f"{table.totals[1]:,.0f}",
                    min=ratio.MIN_COUNT,
                    big=f"{ratio.LECTURE['tokens']:,}",
                )
            )
        pattern = table.pattern()
        if (
            (table.word1, table.word2) == ratio.DEFAULT_PAIR
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
