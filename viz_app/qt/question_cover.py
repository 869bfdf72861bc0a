"""Predict, then reveal: a tour step that asks a question covers the open tab with a "?" until the presenter's
next key, so the class guesses before it sees the model's answer. Optionally the model's own top candidates
are listed first, in alphabetical order (their order by probability would give the answer away)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viz_app.qt.i18n import tr


def candidates(result, k: int) -> list[str]:
    """Up to ``k`` answers the model itself considers, from the result on screen: the first [MASK]'s guesses,
    the next-token candidates. [] when the result offers none (the question is then asked without choices)."""
    if k <= 0 or result is None:
        return []
    masks = getattr(result, "masks", None)
    if masks:
        words = [str(t) for t, _p in masks[0].predictions[:k]]
    elif getattr(result, "top", None):
        words = [str(entry[0]) for entry in result.top[:k]]
    else:
        return []
    return sorted({w.strip() for w in words if w.strip()}, key=str.lower)


class QuestionCover(QWidget):
    """Drawn over ``target`` (it follows its size) until removed."""

    def __init__(self, target: QWidget, prompt: str, choices: list[str]):
        super().__init__(target)
        self.setObjectName("questionCover")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.setStyleSheet("#questionCover { background: palette(window); }")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.mark = QLabel("?", self)
        self.mark.setObjectName("questionMark")
        self.mark.setAlignment(Qt.AlignCenter)
        font = self.mark.font()
        font.setPointSizeF(font.pointSizeF() * 6)
        font.setBold(True)
        self.mark.setFont(font)
        layout.addWidget(self.mark)
        self.prompt = QLabel(prompt, self)
        self.prompt.setObjectName("questionPrompt")
        self.prompt.setAlignment(Qt.AlignCenter)
        self.prompt.setWordWrap(True)
        font = self.prompt.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.prompt.setFont(font)
        layout.addWidget(self.prompt)
        self.choices = QLabel(self)
        self.choices.setObjectName("questionChoices")
        self.choices.setAlignment(Qt.AlignCenter)
        self.choices.setWordWrap(True)
        self.choices.setFont(font)
        layout.addWidget(self.choices)
        self.hint = QLabel(tr("Think, then press → (Page Down) to reveal the model's answer."), self)
        self.hint.setObjectName("questionHint")
        self.hint.setAlignment(Qt.AlignCenter)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.set_choices(choices)
        self._follower = _Follow(self)
        target.installEventFilter(self._follower)
        self.setGeometry(target.rect())
        self.raise_()
        self.show()

    def set_choices(self, choices: list[str]) -> None:
        self.choices.setText(tr("Choices: {words}").format(words="  ·  ".join(choices)) if choices else "")
        self.choices.setVisible(bool(choices))


class _Follow(QObject):
    def __init__(self, cover: QuestionCover):
        super().__init__(cover)
        self.cover = cover

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Resize:
            self.cover.setGeometry(obj.rect())
            self.cover.raise_()
        return False
