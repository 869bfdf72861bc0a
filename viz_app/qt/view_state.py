"""A lesson view's choices (open tab, model, layer, head, metric, projection, ...) read and set by name.

Every control a view builds has an ``objectName``; a tour step stores ``{objectName: value}`` for them,
so recording and playing a step needs nothing from the individual views. Values: a combo box stores
its current text, a spin box its number, a check box or toggle button true/false, a line edit its text, a tab
widget inside the lesson the index of its open tab.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSlider,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from viz_app.qt.i18n import tr


def _controls(view: QWidget):
    main_tabs = getattr(view, "tabs", None)  # the lesson's own tabs are the step's "tab", not a control
    for w in view.findChildren(QWidget):
        name = w.objectName()
        if not name or name.startswith("qt_"):
            continue
        if isinstance(w, QTabWidget):  # tabs inside a lesson (the bag of words' Similarity / Document vectors)
            if w is not main_tabs and w.count():
                yield name, w
        elif isinstance(w, QComboBox) and w.count():
            yield name, w
        elif isinstance(w, (QSpinBox, QDoubleSpinBox, QSlider)):
            yield name, w
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            yield name, w
        elif isinstance(w, QLineEdit) and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            if not w.isReadOnly():
                yield name, w


def capture(view: QWidget) -> dict:
    """The view's controls by name (only enabled, named ones), and the open tab's index under "tab"."""
    state: dict = {}
    seen: set[str] = set()
    for name, w in _controls(view):
        if name in seen or not w.isEnabled():
            continue  # two widgets with one name: neither can be set back reliably
        seen.add(name)
        if isinstance(w, QTabWidget):
            state[name] = w.currentIndex()
        elif isinstance(w, QComboBox):
            state[name] = w.currentText()
        elif isinstance(w, QDoubleSpinBox):
            state[name] = round(w.value(), 6)
        elif isinstance(w, (QSpinBox, QSlider)):
            state[name] = w.value()
        elif isinstance(w, QAbstractButton):
            state[name] = w.isChecked()
        elif isinstance(w, QLineEdit):
            state[name] = w.text()
    return state


def open_tab(view, tab) -> str:
    """Open ``tab`` (an index, or the start of its English title). Returns "" or what went wrong."""
    tabs = getattr(view, "tabs", None)
    if tab is None:
        return ""
    if tabs is None:
        return tr("this lesson has no tabs")
    if isinstance(tab, int):
        if 0 <= tab < tabs.count():
            tabs.setCurrentIndex(tab)
            return ""
        return tr("there is no tab {n}").format(n=tab)
    for name in (tab, tr(tab)):
        try:
            view.select_tab(name)
            return ""
        except ValueError:
            continue
    return tr("there is no tab “{name}”").format(name=tab)


def current_tab(view) -> int | None:
    tabs = getattr(view, "tabs", None)
    return tabs.currentIndex() if tabs is not None else None


def choose_model(view: QWidget, model: str) -> bool:
    """Pick ``model`` in the view's model list (the combo box that offers it). False if none offers it."""
    for w in view.findChildren(QComboBox):
        for k in range(w.count()):
            if model in (w.itemText(k), w.itemData(k)):
                w.setCurrentIndex(k)
                return True
    return False


def current_model(view: QWidget) -> str | None:
    """The model chosen in the view's model list, if it has one (the combo box named like "*odel*")."""
    for w in view.findChildren(QComboBox):
        if "model" in w.objectName().lower() and w.count():
            data = w.currentData()
            return data if isinstance(data, str) and data else w.currentText()
    return None


def _number(w, value, whole: bool):
    """``value`` as the widget's number, clamped to its range (a tour may hold any number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(value)
    number = float(value)  # ValueError for text that is no number; inf and nan are caught below
    if not math.isfinite(number):
        raise ValueError(value)
    number = min(max(number, float(w.minimum())), float(w.maximum()))
    return int(round(number)) if whole else number


def apply(view: QWidget, controls: dict) -> list[str]:
    """Set the named controls (those already at the value are left alone, so nothing recomputes for them).
    Returns one line per control that could not be set (missing, or a value that does not fit)."""
    problems = []
    by_name = dict(_controls(view))
    for name, value in controls.items():
        w = by_name.get(name)
        if w is None:
            problems.append(tr("no control “{name}” here").format(name=name))
            continue
        try:
            if isinstance(w, QTabWidget):
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < w.count():
                    raise ValueError(value)
                w.setCurrentIndex(value)
            elif isinstance(w, QComboBox):
                if w.currentText() == str(value):
                    continue
                k = w.findText(str(value))
                if k < 0:
                    k = w.findText(tr(str(value)))  # an English name in a translated interface
                if k < 0:
                    k = w.findData(value)
                if k < 0:
                    raise ValueError(value)
                w.setCurrentIndex(k)
            elif isinstance(w, QDoubleSpinBox):
                number = _number(w, value, whole=False)
                if round(w.value(), 6) != round(number, 6):
                    w.setValue(number)
            elif isinstance(w, (QSpinBox, QSlider)):
                number = _number(w, value, whole=True)
                if w.value() != number:
                    w.setValue(number)
            elif isinstance(w, QAbstractButton):
                if not isinstance(value, (bool, int)) or isinstance(value, int) and value not in (0, 1):
                    raise ValueError(value)
                if w.isChecked() != bool(value):
                    w.setChecked(bool(value))
            elif isinstance(w, QLineEdit):
                if w.text() != str(value):
                    w.setText(str(value)[:10_000])
                    w.editingFinished.emit()
        except (TypeError, ValueError, OverflowError):
            problems.append(tr("“{value}” does not fit “{name}”").format(value=_short(value), name=name))
    return problems


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:20] + "…"


def capture_by_position(view) -> dict:
    """A view's controls as they are (``capture``), with each list's choice by position, which
    is the same in every language, and the open tab."""
    from PySide6.QtWidgets import QComboBox

    controls = capture(view)
    combos = {}
    for name in controls:
        combo = view.findChild(QComboBox, name)
        if combo is not None:
            combos[name] = combo.currentIndex()
    return {
        "controls": {k: v for k, v in controls.items() if k not in combos},
        "combos": combos,
        "tab": current_tab(view),
    }


def restore_by_position(view, state: dict) -> None:
    from PySide6.QtWidgets import QComboBox

    for name, index in state.get("combos", {}).items():
        combo = view.findChild(QComboBox, name)
        if combo is not None and 0 <= index < combo.count():
            combo.setCurrentIndex(index)
    apply(view, state.get("controls", {}))
    if state.get("tab") is not None:
        open_tab(view, state["tab"])
