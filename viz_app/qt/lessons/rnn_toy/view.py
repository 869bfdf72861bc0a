"""RNN basics: the lecture's toy network, stepped through time, one- or bi-directional."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons.rnn_toy import toy_rnn_job
from viz_app.core.rnn import toy as toy_rnn
from viz_app.qt import theme
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.widgets.number_table import NumberTable, format_number
from viz_app.qt.widgets.rnn_diagram import RnnDiagram
from viz_app.qt.widgets.wrap_label import WrapLabel


def _vec(v) -> str:
    return "[" + ", ".join(format_number(x) for x in v) + "]"


class ToyRnnView(LessonView):
    def __init__(self, lesson, service, parent=None):
        super().__init__(lesson, service, parent)
        self._filling = False
        self._shown_once = False
        grid = QGridLayout()
        self.body.addLayout(grid, 1)

        # Left column: the input vectors and what to do with them (as wide as its buttons need).
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        self.inputs_title = WrapLabel(self, "rnnInputsTitle")
        self.inputs_title.setText(tr("<b>Input sequence</b> (one vector per time step)"))
        left.addWidget(self.inputs_title)
        self.inputs_table = QTableWidget(0, 2, self)
        self.inputs_table.setObjectName("rnnInputs")
        self.inputs_table.setHorizontalHeaderLabels(["x₁", "x₂"])
        self.inputs_table.itemChanged.connect(self._on_table_edited)
        left.addWidget(self.inputs_table)
        buttons = QGridLayout()
        self.add_button = self._button(tr("Add step"), "addStep", self._add_step)
        self.remove_button = self._button(tr("Remove step"), "removeStep", self._remove_step)
        self.reverse_button = self._button(tr("Reverse order"), "reverseOrder", self._reverse)
        self.example_button = self._button(tr("Lecture example"), "lectureExample", self._lecture_example)
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.remove_button, 0, 1)
        buttons.addWidget(self.reverse_button, 1, 0)
        buttons.addWidget(self.example_button, 1, 1)
        left.addLayout(buttons)
        self.bidirectional = QCheckBox(tr("Bi-directional RNN"), self)
        self.bidirectional.setObjectName("bidirectionalSwitch")
        self.bidirectional.toggled.connect(lambda _on: self.refresh())
        left.addWidget(self.bidirectional)
        self.input_hint = WrapLabel(self, "inputHint")
        self.input_hint.setTextFormat(Qt.PlainText)
        left.addWidget(self.input_hint)
        # How the network computes (the legend of the diagrams), where the left column has room.
        self.weights_note = WrapLabel(self, "rnnWeightsNote")
        self.weights_note.setTextFormat(Qt.PlainText)
        self.weights_note.setText(
            tr("h = W·x + W·a, y = W·h, then memory a ← h (dashed) · all weights 1 · no bias · linear")
        )
        left.addWidget(self.weights_note)
        left.addStretch(1)
        self.left_box = QWidget(self)
        self.left_box.setObjectName("rnnLeft")
        self.left_box.setLayout(left)
        self.left_box.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Preferred)
        grid.addWidget(self.left_box, 0, 0, 3, 1)

        # Stepping through time.
        stepper = QHBoxLayout()
        self.prev_button = self._button(tr("◀ Previous step"), "prevStep", lambda: self._move(-1))
        self.next_button = self._button(tr("Next step ▶"), "nextStep", lambda: self._move(1))
        self.step_slider = QSlider(Qt.Horizontal, self)
        self.step_slider.setObjectName("timeStep")
        self.step_slider.setMinimum(1)
        self.step_slider.valueChanged.connect(lambda _v: self._draw_step())
        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        stepper.addWidget(self.prev_button)
        stepper.addWidget(self.step_slider, 1)
        stepper.addWidget(self.next_button)
        stepper.addWidget(self.step_label)
        grid.addLayout(stepper, 0, 1)

        # One column per direction: its network, and under it the arithmetic of the step shown.
        diagrams = QGridLayout()  # a row of networks, and under it a row of equations, tops aligned
        self.forward_diagram = RnnDiagram(tr("Forward"), self, object_name="forwardDiagram")
        self.backward_diagram = RnnDiagram(tr("Backward"), self, object_name="backwardDiagram")
        self.equation = WrapLabel(self, "stepEquation")  # the forward direction's
        self.backward_equation = WrapLabel(self, "backwardEquation")
        for k, (diagram, equation) in enumerate(
            ((self.forward_diagram, self.equation), (self.backward_diagram, self.backward_equation))
        ):
            diagrams.addWidget(diagram, 0, k)
            diagrams.addWidget(equation, 1, k, Qt.AlignTop)
            diagrams.setColumnStretch(k, 1)
        diagrams.setRowStretch(0, 1)
        self._diagrams = diagrams
        grid.addLayout(diagrams, 1, 1)
        self.both_equation = WrapLabel(self, "bidirectionalEquation")
        self.both_equation.hide()
        grid.addWidget(self.both_equation, 2, 1)

        self.steps_table = NumberTable(self, object_name="rnnSteps")
        grid.addWidget(self.steps_table, 3, 0, 1, 2)
        self.order_note = WrapLabel(self, "orderCompare")
        grid.addWidget(self.order_note, 4, 0, 1, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        grid.setColumnStretch(1, 1)
        self._fill_table(toy_rnn.LECTURE_INPUTS)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # --- inputs ---------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Vectors typed in the shared input ("1,1; 1,1; 2,2") replace the table's."""
        if text != self._text:
            try:
                vectors = toy_rnn.parse_vectors(text)
            except ValueError:
                if text.strip():
                    self.input_hint.setText(
                        tr(
                            "The sentence input holds words; this toy network reads numbers. Edit the table, "
                            "or type vectors in the input like 1,1; 1,1; 2,2."
                        )
                    )
                else:
                    self.input_hint.setText(tr("Type vectors like 1,1; 1,1; 2,2 in the input, or edit the table."))
            else:
                self.input_hint.setText(tr("Using the vectors typed in the input."))
                self._fill_table(vectors)
        super().set_text(text)

    def _fill_table(self, vectors) -> None:
        self._filling = True
        self.inputs_table.setRowCount(len(vectors))
        for i, (a, b) in enumerate(np.asarray(vectors, dtype=float)):
            self.inputs_table.setItem(i, 0, QTableWidgetItem(format_number(a)))
            self.inputs_table.setItem(i, 1, QTableWidgetItem(format_number(b)))
        self.inputs_table.setVerticalHeaderLabels([f"t={i + 1}" for i in range(len(vectors))])
        self._filling = False

    def table_vectors(self) -> list[list[str]]:
        rows = []
        for i in range(self.inputs_table.rowCount()):
            row = []
            for j in range(2):
                item = self.inputs_table.item(i, j)
                row.append(item.text().strip() if item is not None else "")
            rows.append(row)
        return rows

    def _parsed_table(self) -> np.ndarray:
        rows = self.table_vectors()
        values = []
        for i, row in enumerate(rows):
            try:
                values.append([float(v) for v in row])
            except ValueError:
                raise ValueError(
                    tr("step t={t}: {a}, {b} are not two numbers").format(t=i + 1, a=repr(row[0]), b=repr(row[1]))
                ) from None
        return toy_rnn.validate_inputs(values)

    def _on_table_edited(self, _item) -> None:
        if not self._filling:
            self.refresh()

    def _add_step(self) -> None:
        vectors = self.table_vectors() + [["1", "1"]]
        self._fill_table([[float(a or 0), float(b or 0)] for a, b in _safe(vectors)])
        self.refresh()

    def _remove_step(self) -> None:
        if self.inputs_table.rowCount() > 1:
            self.inputs_table.removeRow(self.inputs_table.rowCount() - 1)
            self.refresh()

    def _reverse(self) -> None:
        self._fill_table([[float(a), float(b)] for a, b in _safe(self.table_vectors())][::-1])
        self.refresh()

    def _lecture_example(self) -> None:
        self._fill_table(toy_rnn.LECTURE_INPUTS)
        self.refresh()

    # --- requests and results -------------------------------------------------------------
    def model_label(self) -> str:
        return toy_rnn.MODEL_NAME

    def make_request(self, text: str):
        return toy_rnn_job, (self._parsed_table(), self.bidirectional.isChecked()), {}

    def show_result(self, result: toy_rnn.ToyRnnResult) -> None:
        steps = result.inputs.shape[0]
        current = self.step_slider.value() if self._shown_once else steps  # first time: the last step
        self._shown_once = True
        self.step_slider.blockSignals(True)
        self.step_slider.setMaximum(steps)
        self.step_slider.setValue(min(max(current, 1), steps))
        self.step_slider.blockSignals(False)
        self.backward_diagram.setVisible(result.bidirectional)
        self._diagrams.setColumnStretch(1, 1 if result.bidirectional else 0)  # an empty column takes no room
        self._draw_order_note(result)
        self._draw_step()

    def csv_rows(self) -> list[list]:
        """One row per time step: input, memory (forward, and backward when bi-directional), output."""
        r = self.result
        if r is None:
            raise ValueError(tr("this lesson has nothing to export"))
        header = ["step", "x1", "x2", "memory1", "memory2"]
        if r.bidirectional:
            header += ["backward_memory1", "backward_memory2"]
        rows: list[list] = [header + ["y1", "y2"]]
        for t in range(r.inputs.shape[0]):
            row = [t + 1, *r.inputs[t].tolist(), *r.forward.hidden[t].tolist()]
            if r.bidirectional:
                row += r.backward.hidden[t].tolist()
            rows.append(row + r.outputs[t].tolist())
        return rows

    def _move(self, delta: int) -> None:
        self.step_slider.setValue(self.step_slider.value() + delta)

    def _draw_step(self) -> None:
        result: toy_rnn.ToyRnnResult | None = self.result
        if result is None:
            return
        steps = result.inputs.shape[0]
        t = min(max(self.step_slider.value(), 1), steps)
        i = t - 1
        self.step_label.setText(tr("t = {t} of {steps}").format(t=t, steps=steps))
        self.prev_button.setEnabled(t > 1)
        self.next_button.setEnabled(t < steps)
        fwd = result.forward
        self.forward_diagram.set_step(
            tr("· step t={t}").format(t=t), result.inputs[i], fwd.memory_before[i], fwd.hidden[i], fwd.outputs[i]
        )
        self.equation.setText(
            self._equation(tr("forward"), result.inputs[i], fwd.memory_before[i], fwd.hidden[i], fwd.outputs[i])
        )
        if result.backward is not None:
            bwd = result.backward
            self.backward_diagram.set_step(
                tr("· step t={t} (runs from t={steps} down)").format(t=t, steps=steps),
                result.inputs[i],
                bwd.memory_before[i],
                bwd.hidden[i],
                bwd.outputs[i],
            )
            self.backward_equation.setText(
                self._equation(tr("backward"), result.inputs[i], bwd.memory_before[i], bwd.hidden[i], bwd.outputs[i])
            )
            self.both_equation.setText(
                tr(
                    "<b>Bi-directional output</b> y = y<sub>forward</sub> + y<sub>backward</sub> = "
                    "{y}: it sees the whole sequence, before and after t={t}."
                ).format(y=_vec(result.outputs[i]), t=t)
            )
        else:
            self.backward_equation.setText("")
            self.both_equation.setText("")
        self.backward_equation.setVisible(result.backward is not None)
        self.both_equation.setVisible(result.backward is not None)
        self._fill_steps(result, t)

    @staticmethod
    def _equation(name: str, x, a, h, y) -> str:
        """One direction's arithmetic at the step shown: term by term where every weight is 1 (the bundled
        toy network; the formula itself is in the note under the diagrams), else the vectors."""
        total = float(np.sum(x) + np.sum(a))
        if np.allclose(h, total) and np.allclose(y, 2 * total):
            terms = " + ".join(format_number(v) for v in (*x, *a))
            return tr(
                "<b>{name}</b>: h₁ = h₂ = x₁ + x₂ + a₁ + a₂ = {terms} = {total}; y₁ = y₂ = h₁ + h₂ = {double}"
            ).format(name=name, terms=terms, total=format_number(total), double=format_number(2 * total))
        return tr("<b>{name}</b>: h = W·x + W·a = {h}, y = W·h = {y}, then memory a ← {h}").format(
            name=name, h=_vec(h), y=_vec(y)
        )

    def _fill_steps(self, result: toy_rnn.ToyRnnResult, current: int) -> None:
        headers = ["t", tr("input x"), tr("memory a (before)"), tr("hidden h"), tr("output y")]
        rows = []
        for i in range(result.inputs.shape[0]):
            row = [
                str(i + 1),
                _vec(result.inputs[i]),
                _vec(result.forward.memory_before[i]),
                _vec(result.forward.hidden[i]),
                _vec(result.forward.outputs[i]),
            ]
            if result.backward is not None:
                row += [
                    _vec(result.backward.memory_before[i]),
                    _vec(result.backward.hidden[i]),
                    _vec(result.outputs[i]),
                ]
            rows.append(row)
        if result.backward is not None:
            headers[4] = tr("forward y")
            headers += [tr("backward memory"), tr("backward h"), tr("bi-directional y")]
        self.steps_table.set_rows(headers, rows)
        table = self.steps_table  # no taller than its rows: the room left goes to the diagrams
        table.setMaximumHeight(
            table.horizontalHeader().sizeHint().height()
            + table.verticalHeader().length()
            + table.horizontalScrollBar().sizeHint().height()
            + 2 * table.frameWidth()
        )
        muted = QBrush(QColor(theme.colors()["muted"]))
        for r in range(len(rows)):
            # Bold: the step shown above; grey: steps not computed yet at step t (one direction only).
            bold = r + 1 == current
            future = r + 1 > current and result.backward is None
            for col in range(len(headers)):
                item = self.steps_table.item(r, col)
                font = item.font()
                font.setBold(bold)
                item.setFont(font)
                item.setData(Qt.ForegroundRole, muted if future else None)

    def _draw_order_note(self, result: toy_rnn.ToyRnnResult) -> None:
        reversed_inputs = result.inputs[::-1]
        if np.array_equal(reversed_inputs, result.inputs):
            self.order_note.setText(
                tr(
                    "This sequence reads the same backwards, so reversing it changes nothing. "
                    "Change one vector and press <i>Reverse order</i> to see the order matter."
                )
            )
            return
        ours = ", ".join(_vec(v) for v in result.outputs)
        theirs = ", ".join(_vec(v) for v in result.reversed_outputs)
        seq = ", ".join(_vec(v) for v in reversed_inputs)
        self.order_note.setText(
            tr(
                "<b>Changing the sequence order changes the output.</b> The same inputs reversed ({reversed}) give "
                "{theirs} instead of {ours}."
            ).format(reversed=seq, theirs=theirs, ours=ours)
        )


def _safe(rows: list[list[str]]) -> list[list[float]]:
    out = []
    for a, b in rows:
        try:
            out.append([float(a), float(b)])
        except ValueError:
            out.append([0.0, 0.0])
    return out
