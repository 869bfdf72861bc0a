"""The self-attention lesson's "Learn" tab: a tiny Transformer trained live on a toy task (reverse, copy, sort,
induction, next character, French to English), its loss and accuracy curves growing and every head's attention
map forming, with a slider to replay the heads from step 0.

Training runs on the worker a chunk of steps at a time (``viz_app.core.lessons.learn.learn_chunk_job``, side
request "learn"); each chunk's result asks for the next until Pause. The trainer lives in the core, keyed by
this panel's session, so pausing and going on again continues exactly where it stopped.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.learn.score import FORMED
from viz_app.core.learn.tasks import DEFAULT_TEXT, HINTS
from viz_app.core.learn.trainer import LearnConfig
from viz_app.core.lessons.learn import LearnChunk, learn_chunk_job, save_job
from viz_app.qt import theme
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.matrix_grid import MatrixGrid
from viz_app.qt.widgets.wrap_label import WrapLabel

LEARN_TAB = QT_TR_NOOP("Learn")
KEY = "learn"  # the view's side request
CHUNK = 10  # steps per request while running (reverse is learned in a few chunks: each one is drawn)
STEP = 10  # steps of one Step click
TOUR_STEPS = 200  # one chunk for a tour step or the gallery: reverse has learned by then
TASKS = (  # (core name, English label shown through tr())
    ("reverse", QT_TR_NOOP("reverse")),
    ("copy", QT_TR_NOOP("copy")),
    ("sort", QT_TR_NOOP("sort")),
    ("induction", QT_TR_NOOP("induction (what came after?)")),
    ("chars", QT_TR_NOOP("next character")),
    ("french", QT_TR_NOOP("French → English")),
)
LOSS_PEN, ACC_PEN, SCORE_PEN = "#1f77b4", "#2ca02c", theme.HIGHLIGHT


class LearnPanel(QWidget):
    """The Learn tab's page. ``view`` (the lesson view) makes the requests (``ask``, ``stop``)."""

    def __init__(self, view, parent=None):
        super().__init__(parent or view)
        self.setObjectName("learnPanel")
        self.view = view
        self.session_key = f"{view.lesson.id}:{id(self)}"
        self.running = False  # asking for chunk after chunk
        self.chunk: LearnChunk | None = None
        self.chunks_drawn = 0
        self._follow = True  # the slider follows the newest snapshot
        self._chosen: tuple[int, int] | None = None  # the head opened large (None: the best one)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)

        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Task:"), self))
        self.task = QComboBox(self)
        self.task.setObjectName("learnTask")
        self.task.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)  # a long name: no wider row
        self.task.setMinimumContentsLength(12)
        for name, label in TASKS:
            self.task.addItem(tr(label), name)
        row.addWidget(self.task)
        self.start_button = self._button(row, tr("Start"), "learnStart", tr("train chunk after chunk until Pause"))
        self.pause_button = self._button(row, tr("Pause"), "learnPause", tr("stop after the chunk under way"))
        self.step_button = self._button(row, tr("Step"), "learnStep", tr("train {n} steps, then wait").format(n=STEP))
        self.reset_button = self._button(row, tr("Reset"), "learnReset", tr("start again from random weights"))
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.pause)
        self.step_button.clicked.connect(self.step_once)
        self.reset_button.clicked.connect(self.reset)
        self.pause_button.setEnabled(False)
        self.status = WrapLabel(self, "learnStatus")  # wraps: the row never outgrows a small window
        self.status.setText(tr("Press Start: the model begins from random weights."))
        row.addStretch(1)
        self.open_button = QPushButton(tr("Open in the other tabs"), self)
        self.open_button.setObjectName("learnOpen")
        self.open_button.setToolTip(
            tr("show this model's q, k, v, heads and neurons on its test input in the lesson's other tabs")
        )
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self.view.open_learned(self.session_key, self.chunk))
        row.addWidget(self.open_button)
        self.save_button = QPushButton(tr("Save…"), self)
        self.save_button.setObjectName("learnSave")
        self.save_button.setToolTip(tr("save the trained model (safetensors and its settings as JSON)"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        row.addWidget(self.save_button)
        col.addLayout(row)

        row = QHBoxLayout()
        d = LearnConfig()
        self.width_box = self._spin(row, tr("Width:"), "learnWidth", 8, 256, d.width, 8)
        self.layers_box = self._spin(row, tr("Layers:"), "learnLayers", 1, 4, d.layers, 1)
        self.heads_box = self._spin(row, tr("Heads:"), "learnHeads", 1, 8, d.heads, 1)
        row.addWidget(QLabel(tr("Learning rate:"), self))
        self.lr_box = QDoubleSpinBox(self)
        self.lr_box.setObjectName("learnLr")
        self.lr_box.setDecimals(4)
        self.lr_box.setRange(0.0001, 0.05)
        self.lr_box.setSingleStep(0.0005)
        self.lr_box.setValue(d.lr)
        row.addWidget(self.lr_box)
        self.batch_box = self._spin(row, tr("Batch:"), "learnBatch", 8, 512, d.batch, 8)
        row.addStretch(1)
        col.addLayout(row)
        col.addWidget(self.status)  # a line of its own: the rows above keep their width at 1.5x fonts
        for box in (self.width_box, self.layers_box, self.heads_box, self.lr_box, self.batch_box):
            box.valueChanged.connect(self._settings_changed)
        self.task.currentIndexChanged.connect(self._settings_changed)

        self.hint = WrapLabel(self, "learnHint")
        col.addWidget(self.hint)

        splitter = QSplitter(Qt.Horizontal, self)
        splitter.setObjectName("learnSplitter")
        plots = QWidget(splitter)
        plots_col = QVBoxLayout(plots)
        plots_col.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = self._plot(plots, "learnLoss", tr("loss"))
        self.loss_plot.setLogMode(y=True)
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen(LOSS_PEN, width=2))
        self.acc_plot = self._plot(plots, "learnAccuracy", tr("accuracy, score"))
        self.acc_plot.setYRange(0, 1.02, padding=0)
        self.acc_plot.addLegend(
            offset=(-4, -4), labelTextColor=theme.colors()["foreground"]
        )  # bottom right: empty once learned
        self.acc_curve = self.acc_plot.plot([], [], pen=pg.mkPen(ACC_PEN, width=2), name=tr("test accuracy"))
        self.score_curve = self.acc_plot.plot([], [], pen=pg.mkPen(SCORE_PEN, width=2), name=tr("best head score"))
        self.replay_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#888888", style=Qt.DashLine))
        self.acc_plot.addItem(self.replay_line)
        plots_col.addWidget(self.loss_plot, 1)
        plots_col.addWidget(self.acc_plot, 1)
        self.grid = MatrixGrid(splitter, object_name="learnGrid")
        self.grid.cellChosen.connect(self._grid_chosen)
        self.large = Heatmap(splitter, object_name="learnLarge")
        self.large.setMinimumSize(120, 120)
        splitter.addWidget(plots)
        splitter.addWidget(self.grid)
        splitter.addWidget(self.large)
        splitter.setSizes([330, 330, 330])
        col.addWidget(splitter, 1)

        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Replay:"), self))
        self.slider = QSlider(Qt.Horizontal, self)
        self.slider.setObjectName("learnReplay")
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._replay)
        row.addWidget(self.slider, 1)
        self.snapshot_label = QLabel(tr("step {step}").format(step=0), self)
        self.snapshot_label.setObjectName("learnSnapshotStep")
        self.snapshot_label.setMinimumWidth(self.snapshot_label.fontMetrics().horizontalAdvance("step 000000") + 8)
        row.addWidget(self.snapshot_label)
        col.addLayout(row)

        self.scores_label = WrapLabel(self, "learnScores")
        col.addWidget(self.scores_label)
        self.predictions_label = WrapLabel(self, "learnPredictions")
        col.addWidget(self.predictions_label)
        self._show_hint()

    # --- building blocks ------------------------------------------------------------------------
    def _button(self, row, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        row.addWidget(button)
        return button

    def _spin(self, row, label: str, name: str, lo: int, hi: int, value: int, step: int) -> QSpinBox:
        row.addWidget(QLabel(label, self))
        box = QSpinBox(self)
        box.setObjectName(name)
        box.setRange(lo, hi)
        box.setSingleStep(step)
        box.setValue(value)
        row.addWidget(box)
        return box

    def _plot(self, parent, name: str, left: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(parent)
        plot.setObjectName(name)
        plot.setMinimumHeight(70)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setLabel("left", left)
        plot.setLabel("bottom", tr("step"))
        theme.style_plot(plot)
        return plot

    # --- the configuration ----------------------------------------------------------------------
    def _save(self, folder: str | None = None) -> None:
        """Save the model trained so far into ``folder`` (asked for when not given)."""
        if folder is None:
            from PySide6.QtWidgets import QFileDialog

            folder = QFileDialog.getExistingDirectory(self, tr("Save the trained model in"))
            if not folder:
                return
        self.view.ask(
            "learnsave", save_job, self.session_key, folder, label=tr("saving the trained model"),
            on_result=lambda paths, _e: self.status.setText(
                tr("Saved: {path}").format(path=escape(str(paths[0])))
            ),
            on_failed=self.view.show_error,
        )  # fmt: skip

    def task_label(self) -> str:
        """The chosen task, as the box shows it."""
        return self.task.currentText()

    def config(self) -> LearnConfig:
        text = self.view.text if len(self.view.text) >= 40 else DEFAULT_TEXT  # the lesson's text when long enough
        return LearnConfig(
            task=self.task.currentData(),
            width=self.width_box.value(),
            layers=self.layers_box.value(),
            heads=self.heads_box.value(),
            lr=round(self.lr_box.value(), 6),
            batch=self.batch_box.value(),
            text=text if self.task.currentData() == "chars" else DEFAULT_TEXT,
        )

    def _settings_changed(self) -> None:
        """Another task or model: the trainer starts again (the job sees the new config) on the next chunk."""
        self._show_hint()
        if not self.running and self.chunk is not None:
            self.status.setText(tr("Settings changed: the next Start or Step begins again from random weights."))

    def _show_hint(self, hint: str = "") -> None:
        if not hint:  # before the first chunk: the core's hint for the chosen task (it reads only the length)
            hint = tr_core(HINTS[self.task.currentData()](LearnConfig()))
        self.hint.setText(
            tr("<b>Watch a Transformer learn.</b> {hint}. Each map: one head, queries down, keys across.").format(
                hint=escape(hint)
            )
        )

    # --- requests ------------------------------------------------------------------------------
    def start(self) -> None:
        self.running = True
        self._follow = True
        self.pause_button.setEnabled(True)
        self.start_button.setEnabled(False)
        self._ask(CHUNK)

    def pause(self) -> None:
        """Stop asking: the chunk under way finishes and is drawn, then training waits."""
        self.running = False
        self.pause_button.setEnabled(False)
        self.start_button.setEnabled(True)
        self.status.setText(tr("Paused at step {step}.").format(step=self.chunk.step if self.chunk else 0))

    def step_once(self) -> None:
        if not self.view.busy(KEY):
            self._ask(STEP)

    def reset(self) -> None:
        self.running = False
        self.view.stop(KEY)
        self.pause_button.setEnabled(False)
        self.start_button.setEnabled(True)
        self.chunk = None
        self._follow, self._chosen = True, None
        self.loss_curve.setData([], [])
        self.acc_curve.setData([], [])
        self.score_curve.setData([], [])
        self.grid.set_matrices(np.zeros((0, 0, 1, 1)), [], [])
        self.large.set_matrix(np.zeros((0, 0)), [], [], (0.0, 1.0))
        self.slider.setRange(0, 0)
        self.scores_label.setText("")
        self.predictions_label.setText("")
        self.status.setText(tr("Reset: the next Start begins from random weights."))
        self._ask(0, reset=True)

    def _ask(self, steps: int, reset: bool = False):
        return self.view.ask(
            KEY, learn_chunk_job, self.session_key, self.config(), steps, reset=reset,
            label=tr("training a tiny Transformer"), on_result=self._chunk_ready, on_failed=self._failed,
            on_progress=self._progress, on_cancelled=self._cancelled,
        )  # fmt: skip

    def tour_action(self, steps: int | None = None) -> list[int]:
        """A tour step or the gallery: ``steps`` (default TOUR_STEPS) steps from random weights in one chunk,
        then paused (the gallery pictures the tab untrained, forming and formed)."""
        self.running = False
        self._follow = True
        handle = self._ask(TOUR_STEPS if steps is None else steps, reset=True)
        return [handle.request_id]

    def _progress(self, progress) -> None:
        self.status.setText(tr_core(progress.message))

    def _failed(self, message: str) -> None:
        self.running = False
        self.pause_button.setEnabled(False)
        self.start_button.setEnabled(True)
        self.status.setText("")
        self.view.show_error(message)

    def _cancelled(self) -> None:
        pass  # Reset (or a newer request) stopped it; what it did is kept by the trainer

    def _chunk_ready(self, chunk: LearnChunk, _elapsed: float) -> None:
        self.view.clear_error()
        self.chunk = chunk
        self.chunks_drawn += 1
        self.open_button.setEnabled(chunk.step > 0)
        self.save_button.setEnabled(chunk.step > 0)
        self.draw(chunk)
        self.view.name_shown_model()
        if self.running:
            self._ask(CHUNK)

    def csv_rows(self) -> list[list]:
        """Every kept snapshot: its step, losses, test accuracy and each head's score."""
        chunk = self.chunk
        if chunk is None:
            raise ValueError(tr("nothing to export yet"))
        layers, heads = chunk.scores.shape
        names = [f"score_l{i + 1}h{j + 1}" for i in range(layers) for j in range(heads)]
        rows = [["step", "train_loss", "test_loss", "test_accuracy", "sequence_accuracy", *names]]
        for k, step in enumerate(chunk.snapshot_steps):
            scores = [f"{v:.6g}" for v in chunk.history_scores[k].ravel()]
            rows.append([int(step), f"{chunk.snapshot_losses[k]:.6g}", f"{chunk.test_losses[k]:.6g}",
                         f"{chunk.accuracies[k]:.6g}", f"{chunk.sequence_accuracies[k]:.6g}", *scores])  # fmt: skip
        return rows

    # --- drawing -------------------------------------------------------------------------------
    def draw(self, chunk: LearnChunk) -> None:
        self._show_hint(tr_core(chunk.hint))
        steps = np.arange(1, len(chunk.losses) + 1)
        losses = np.maximum(chunk.losses, 1e-6)
        # a log scale once the loss spans a decade; before that its axis would have no number to print
        wide = losses.size > 0 and float(losses.max()) > 10 * float(losses.min())
        self.loss_plot.setLogMode(y=wide)
        self.loss_curve.setData(steps, losses)
        self.acc_curve.setData(chunk.snapshot_steps, chunk.accuracies)
        best = (
            np.nanmax(chunk.history_scores.reshape(len(chunk.snapshot_steps), -1), axis=1)
            if chunk.score_kind != "none"
            else None
        )
        if best is not None and np.isfinite(best).all():
            self.score_curve.setData(chunk.snapshot_steps, best)
        else:
            self.score_curve.setData([], [])
        last = len(chunk.snapshot_steps) - 1
        self.slider.blockSignals(True)
        self.slider.setRange(0, last)
        if self._follow:
            self.slider.setValue(last)
        self.slider.blockSignals(False)
        rate = f"{chunk.steps_per_second:.0f}" if chunk.steps_per_second else "—"
        self.status.setText(
            tr("Step {step}: loss {loss}, test accuracy {accuracy} ({rate} steps/s on {device}).").format(
                step=chunk.step, loss=f"{chunk.loss:.3f}", accuracy=f"{100 * chunk.accuracy:.0f}%", rate=rate,
                device=chunk.device.upper(),
            )
        )  # fmt: skip
        self._replay(self.slider.value())
        self._draw_predictions(chunk)

    def _replay(self, index: int) -> None:
        chunk = self.chunk
        if chunk is None or not len(chunk.snapshot_steps):
            return
        index = int(min(max(index, 0), len(chunk.snapshot_steps) - 1))
        self._follow = index == len(chunk.snapshot_steps) - 1
        step = int(chunk.snapshot_steps[index])
        self.snapshot_label.setText(tr("step {step}").format(step=step))
        self.replay_line.setValue(step)
        attention = chunk.history[index].astype(np.float32)
        scores = chunk.history_scores[index]
        layers, heads = attention.shape[:2]
        self.grid.set_matrices(
            attention,
            [tr("layer {layer}").format(layer=i + 1) for i in range(layers)],
            [f"h{j + 1}" for j in range(heads)],
        )
        layer, head = self._chosen or _best(scores)
        if layer >= layers or head >= heads:
            layer, head = _best(scores)
        self.grid.selected = (layer, head)
        self.grid.update()
        tokens = list(chunk.tokens)
        self.large.set_matrix(
            attention[layer, head], tokens, tokens, (0.0, 1.0), "viridis",
            colorbar_label=tr("layer {layer}, head {head}").format(layer=layer + 1, head=head + 1),
            cell_labels=False,
        )  # fmt: skip
        self._draw_scores(chunk, scores, step)

    def _grid_chosen(self, layer: int, head: int) -> None:
        self._chosen = (layer, head)
        self._replay(self.slider.value())

    def _draw_scores(self, chunk: LearnChunk, scores: np.ndarray, step: int) -> None:
        if chunk.score_kind == "none":
            self.scores_label.setText(tr("Head scores: this task has no ideal pattern to compare with."))
            return
        what = tr("diagonal-ness") if chunk.score_kind == "diagonal" else tr("attention on the ideal key")
        layer, head = _best(scores)
        rows = []
        for i, per_layer in enumerate(scores):
            cells = []
            for j, s in enumerate(per_layer):
                text = "—" if not np.isfinite(s) else f"{s:.2f}"
                cells.append(f"<b>h{j + 1} {text}</b>" if (i, j) == (layer, head) else f"h{j + 1} {text}")
            rows.append(tr("layer {layer}:").format(layer=i + 1) + " " + " · ".join(cells))
        best = float(scores[layer, head]) if np.isfinite(scores[layer, head]) else float("nan")
        if chunk.score_kind == "ideal":
            verdict = (
                tr("pattern formed") if best > FORMED else tr("not formed yet (above {t} counts)").format(t=FORMED)
            )
        else:
            verdict = tr("no ideal known: how diagonal the best head is")
        self.scores_label.setText(
            tr("Head scores at step {step} ({what}): {rows}. Best: layer {layer}, head {head}, {score} — {verdict}.").format(
                step=step, what=what, rows="; ".join(rows), layer=layer + 1, head=head + 1, score=f"{best:.2f}",
                verdict=verdict,
            )
        )  # fmt: skip

    def _draw_predictions(self, chunk: LearnChunk) -> None:
        c = theme.colors()
        wrong = c.get("error_fg", "#c62828")
        parts = []
        for _pos, guess, p, expected, _pe in chunk.predictions[:24]:
            cell = f"{escape(_show(guess))} <small>{p:.2f}</small>"
            if guess != expected:
                cell = f"<span style='color:{wrong}'>{cell} ≠ {escape(_show(expected))}</span>"
            parts.append(cell)
        shown = " ".join(escape(_show(t)) for t in chunk.tokens[:40])
        self.predictions_label.setText(
            tr("Test input: {tokens}<br>Predicted answer (probability): {answer}").format(
                tokens=shown, answer=" ".join(parts)
            )
        )


def _show(token: str) -> str:
    return "␣" if token == " " else token


def _best(scores: np.ndarray) -> tuple[int, int]:
    s = np.nan_to_num(np.asarray(scores, np.float64), nan=-1.0)
    layer, head = np.unravel_index(int(np.argmax(s)), s.shape)
    return int(layer), int(head)
