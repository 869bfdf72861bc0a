"""The word-embedding lesson's "Live training" tab: a tiny word2vec trained on the user's text, its vectors
moving in the map and its loss falling."""

from __future__ import annotations

import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPlainTextEdit, QPushButton, QSpinBox, QWidget

from viz_app.core.embeddings import live
from viz_app.core.lessons.word_embedding import live_job
from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.widgets.word_scatter import WordScatter


class LiveTab:
    """Mixin of WordEmbeddingView: the live training tab (watch vectors move)."""

    def _build_live_tab(self) -> None:
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

    def start_live(self) -> None:
        self._live_paused.clear()
        self.live_pause.setChecked(False)
        self._live_first = True
        self._side(
            "live", live_job, self.live_text.toPlainText(), self.live_method.currentData(), self.live_dim.value(),
            self._live_paused, label=tr("live training"), on_progress=self._on_live_progress,
        )  # fmt: skip
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

    def _show_live_result(self, snap) -> None:
        """The training's last snapshot: the vectors where they ended, and the loss from first to last step."""
        self._draw_live(snap)
        self._live_done(
            tr("Done: {steps} steps, loss {first} → {last}.").format(
                steps=snap.steps, first=f"{snap.losses[0]:.2f}", last=f"{snap.losses[-1]:.2f}"
            )
        )
