"""A model picker that follows the language of the typed text: Chinese text selects the lesson's Chinese model
(the Tang-poem models) with a note that says so, and English text after it goes back to the model the user had.
It acts only when the text's language changes, never on every keystroke, so a user who picks another model
keeps it while typing."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from viz_app.core.language import is_chinese
from viz_app.qt.i18n import tr


class LanguageSwitch:
    def __init__(self, combo: QComboBox, chinese: str, by_data: bool = False):
        """``chinese``: the Chinese model's name (an item's text, or its data with ``by_data``)."""
        self.combo, self.chinese, self.by_data = combo, chinese, by_data
        self._language: str | None = None  # of the last text seen: "zh", "other" or None (no letters yet)
        self._before: str | None = None  # the model the switch replaced, to go back to
        self.note = ""

    def _current(self) -> str:
        return self.combo.currentData() if self.by_data else self.combo.currentText()

    def _find(self, name: str) -> int:
        return self.combo.findData(name) if self.by_data else self.combo.findText(name)

    def _select(self, name: str) -> None:
        index = self._find(name)
        if index >= 0 and index != self.combo.currentIndex():
            blocked = self.combo.blockSignals(True)  # the caller is already computing with the new choice
            self.combo.setCurrentIndex(index)
            self.combo.blockSignals(blocked)

    def follow(self, text: str) -> bool:
        """Look at the text; switch the picker when its language changed. Returns whether it switched."""
        if self._find(self.chinese) < 0:
            return False
        language = "zh" if is_chinese(text) else ("other" if any(ch.isalpha() for ch in text) else None)
        if language is None or language == self._language:
            if self._before is not None and self._current() != self.chinese:
                self._before, self.note = None, ""  # the user chose another model since: theirs now
            return False
        self._language = language
        current = self._current()
        if language == "zh" and current != self.chinese:
            self._before = current
            self._select(self.chinese)
            self.note = tr(
                "Chinese text: switched to {model} (trained on Tang poems). Choose {other} in the model list to "
                "switch back."
            ).format(model=self.chinese, other=self.combo.itemText(self._find(current)))
            return True
        if language == "other" and current == self.chinese and self._before is not None:
            self._select(self._before)
            self._before, self.note = None, ""
            return True
        return False
