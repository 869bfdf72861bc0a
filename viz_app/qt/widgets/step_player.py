"""Back / Step / Play buttons for walking through a sequence one position at a time (decoding steps).

The owner says where it is with :meth:`show_position` and moves when :attr:`stepChosen` fires;
Play steps forward on a timer until the last position, then stops."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from viz_app.qt.i18n import tr

PLAY_INTERVAL_MS = 900


class StepPlayer(QWidget):
    stepChosen = Signal(int)

    def __init__(self, parent=None, play_tip: str = ""):
        super().__init__(parent)
        self.position, self.count = 0, 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.back_button = QPushButton(tr("◀ Back"), self)
        self.back_button.setObjectName("stepBack")
        self.back_button.clicked.connect(lambda: self.stepChosen.emit(self.position - 1))
        self.forward_button = QPushButton(tr("Step ▶"), self)
        self.forward_button.setObjectName("stepForward")
        self.forward_button.clicked.connect(lambda: self.stepChosen.emit(self.position + 1))
        self.play_button = QPushButton(tr("▶▶ Play"), self)
        self.play_button.setObjectName("stepPlay")
        self.play_button.setToolTip(play_tip or tr("step through the whole output, one word a second"))
        self.play_button.clicked.connect(self.toggle_play)
        self.timer = QTimer(self)
        self.timer.setInterval(PLAY_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        for button in (self.back_button, self.forward_button, self.play_button):
            row.addWidget(button)

    def show_position(self, position: int, count: int) -> None:
        self.position, self.count = position, count
        self.back_button.setEnabled(position > 0)
        self.forward_button.setEnabled(position < count - 1)

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.stop()
            return
        if self.count == 0:
            return
        if self.position >= self.count - 1:
            self.stepChosen.emit(0)
        self.play_button.setText(tr("■ Stop"))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.play_button.setText(tr("▶▶ Play"))

    def _tick(self) -> None:
        if self.position >= self.count - 1:
            self.stop()
            return
        self.stepChosen.emit(self.position + 1)
