"""Geometry of views checked in the gallery at a classroom projector's 1024x768, at 1x and in presentation
mode (1.5x fonts), with the tour's caption above the lesson: nothing drawn over anything else, no text cut.

What is measured: widgets' rectangles in the lesson's coordinates (no two of a view's parts overlap), a
label's width against the width its text needs (``sizeHint``), a word-wrapped label's height against the
height its text needs at its width, and the nodes a diagram paints against the diagram's own rectangle."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from viz_app.core import tours

TOUR = tours.load(tours.bundled_tour_path())


def settle(qtbot, window, view, timeout=120000):
    qtbot.waitUntil(lambda: view.drawn and not view.pending() and not window.tour.pending(), timeout=timeout)
    for _ in range(5):
        QApplication.processEvents()


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def overlaps(view, widgets: dict) -> list[str]:
    """Each pair of the visible ``widgets`` (name -> widget) whose rectangles in ``view`` intersect."""
    shown = [(name, rect_in(w, view)) for name, w in widgets.items() if w.isVisible()]
    out = []
    for i, (a, ra) in enumerate(shown):
        for b, rb in shown[i + 1 :]:
            if ra.intersects(rb):
                out.append(f"{a} {ra.getRect()} overlaps {b} {rb.getRect()}")
    return out


def clipped_text(widgets) -> list[str]:
    """Visible labels and buttons narrower than their text, and word-wrapped labels shorter than it."""
    out = []
    for w in widgets:
        if not w.isVisible() or not (isinstance(w, (QLabel, QAbstractButton)) and w.text()):
            continue
        name = w.objectName() or w.text()[:30]
        if isinstance(w, QLabel) and w.wordWrap():
            need = w.needed_height() if hasattr(w, "needed_height") else w.heightForWidth(w.width())
            if need > w.height():
                out.append(f"{name}: needs {need} px of height, has {w.height()}")
        elif w.sizeHint().width() > w.width():
            out.append(f"{name}: needs {w.sizeHint().width()} px of width, has {w.width()}")
    return out


def open_step(window, qtbot, lesson_id: str, predicate) -> object:
    """Start the lecture tour at the first step of ``lesson_id`` whose controls satisfy ``predicate``."""
    k = next(k for k, s in enumerate(TOUR.steps) if s.lesson == lesson_id and predicate(s.controls or {}))
    window.tour.start(TOUR, at=k)
    view = window.current_view()
    settle(qtbot, window, view)
    return view


@pytest.fixture(params=[False, True], ids=["1x", "presentation"])
def projector(request, make_window, qtbot):
    """A 1024x768 window, in presentation mode (1.5x fonts) for the second parameter."""
    window = make_window(lesson="bow")
    window.resize(1024, 768)
    if request.param:
        window.set_presentation(True, full_screen=False)
        window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.height() == 768)
    yield window
    window.tour.stop()


# --- the toy RNN ---------------------------------------------------------------------------------------------


def rnn_parts(view) -> dict:
    return {
        "inputs": view.left_box,
        "stepper prev": view.prev_button,
        "stepper next": view.next_button,
        "step label": view.step_label,
        "forward diagram": view.forward_diagram,
        "backward diagram": view.backward_diagram,
        "forward equation": view.equation,
        "backward equation": view.backward_equation,
        "bi-directional output": view.both_equation,
        "steps table": view.steps_table,
        "order note": view.order_note,
    }


def diagram_problems(diagram) -> list[str]:
    """Nodes outside the diagram, over its title, or over one another."""
    if not diagram.isVisible():
        return []
    title, _r, _pos = diagram.layout_nodes()
    rects = [(f"{kind}{i + 1}", r) for kind, rs in diagram.node_rects().items() for i, r in enumerate(rs)]
    box = diagram.rect().toRectF()
    out = [f"{diagram.objectName()}: node {n} {r.getRect()} outside {box.getRect()}" for n, r in rects
           if not box.contains(r)]  # fmt: skip
    out += [f"{diagram.objectName()}: node {n} under the title" for n, r in rects if r.top() < title.bottom()]
    for i, (a, ra) in enumerate(rects):
        out += [f"{diagram.objectName()}: nodes {a} and {b} overlap" for b, rb in rects[i + 1 :] if ra.intersects(rb)]
    return out


@pytest.mark.parametrize("bidirectional", [False, True], ids=["one-way", "bi-directional"])
def test_toy_rnn_tour_steps_lay_out_without_overlap_or_cut_text(projector, qtbot, bidirectional):
    """The toy RNN's tour steps under the tour caption: the diagrams, their equations, the table and the notes
    side by side or stacked, none over another, every label and button showing its whole text, the nodes
    inside their diagram, and (at this size) the whole lesson without a scroll bar."""
    window = projector
    view = open_step(window, qtbot, "rnn-toy", lambda c: bool(c.get("bidirectionalSwitch")) == bidirectional)
    assert view.bidirectional.isChecked() == bidirectional
    assert view.backward_diagram.isVisible() == bidirectional == view.both_equation.isVisible()
    problems = overlaps(view, rnn_parts(view))
    problems += clipped_text(view.findChildren(QWidget))
    problems += diagram_problems(view.forward_diagram) + diagram_problems(view.backward_diagram)
    for diagram in (view.forward_diagram, view.backward_diagram):
        if diagram.isVisible():
            title, _r, _pos = diagram.layout_nodes()
            if title.height() < diagram.title_height(diagram.width()):
                problems.append(f"{diagram.objectName()}: the title is cut")
    holder = window._holder(view)
    if holder.horizontalScrollBar().isVisible() or holder.verticalScrollBar().isVisible():
        problems.append(f"scrolls: lesson needs {view.minimumSizeHint().toTuple()}, has {holder.viewport().size()}")
    assert not problems, "\n".join(problems)
    # The equation under the diagram is the arithmetic of the step shown, with the model's own output.
    t = view.step_slider.value()
    y = view.result.forward.outputs[t - 1]
    assert f"h₁ + h₂ = {y[0]:g}" in view.equation.text() and view.forward_diagram.values["y"].tolist() == list(y)


def test_toy_rnn_wrapped_labels_ask_for_the_height_their_text_needs(make_window, qtbot):
    """A long note in a narrow column asks for several lines (so the layout scrolls rather than draws it over
    its neighbours), and asks for less again when the column widens (the measure does not ratchet up)."""
    from viz_app.qt.widgets.wrap_label import WrapLabel

    window = make_window(lesson="rnn-toy", text="1,1; 1,1; 2,2")
    view = window.current_view()
    settle(qtbot, window, view)
    label = WrapLabel(None, "probe")  # the order note's text, on its own
    qtbot.addWidget(label)
    label.setText(view.order_note.text())
    label.show()
    one_line = label.fontMetrics().height()
    narrow = label.needed_height(200)
    assert narrow >= 3 * one_line
    label.resize(200, 40)
    QApplication.processEvents()
    assert label.minimumHeight() == narrow
    label.resize(4000, narrow)
    QApplication.processEvents()
    assert label.minimumHeight() == label.needed_height() < narrow
    assert label.needed_height() <= 2 * one_line


# --- self-attention ------------------------------------------------------------------------------------------


def open_lesson_in(window, qtbot, lesson_id: str, text: str):
    window.select_lesson(lesson_id)
    window.set_input_text(text)
    window.flush_input()
    view = window.current_view()
    settle(qtbot, window, view)
    return view


def show_tab(window, qtbot, view, k: int) -> None:
    view.tabs.setCurrentIndex(k)
    settle(qtbot, window, view)


def test_self_attention_notes_the_english_model_only_where_its_numbers_are(projector, qtbot):
    """ "Thinking Machines" is read by bert-tiny: the note says so under the tabs that show bert-tiny's numbers,
    not under Positions (a sinusoid table no model computed) or Vision (the SAGAN); the Layer and Head boxes
    are greyed out where they change nothing; and the tab bar stays where it is as the note comes and goes."""
    from viz_app.qt.lessons.self_attention.view import MODEL_FREE_TABS, NO_LAYER_HEAD_TABS

    window = projector
    view = open_lesson_in(window, qtbot, "self-attention", "Thinking Machines")
    assert view.result.model == "bert-tiny"
    bar_y = set()
    for k in range(view.tabs.count()):
        show_tab(window, qtbot, view, k)
        assert view.notice.isVisible() == (k not in MODEL_FREE_TABS), view.tabs.tabText(k)
        assert view.layer_head.isEnabled() == (k not in NO_LAYER_HEAD_TABS)
        bar_y.add(rect_in(view.tabs.tabBar(), view).y())
        if view.notice.isVisible():
            assert "bert-tiny" in view.notice.text()
            assert rect_in(view.notice, view).top() >= rect_in(view.tabs, view).bottom()  # under the page
    assert len(bar_y) == 1
    assert {4: "Positions", 6: "Vision", 7: "Learn"} == {k: view.tabs.tabBar().tabData(k) for k in MODEL_FREE_TABS}


def test_every_self_attention_tab_fits_1024x768_whole(projector, qtbot):
    """At 1024x768, at 1x and in presentation mode: no tab makes the lesson scroll (the Vision tab's digit
    grid was cut below the window), the controls above the tabs do not overlap and show their whole text,
    every generated digit and the large one lie inside their panel, and the Neuron view's score table shows
    every column whole."""
    window = projector
    view = open_lesson_in(window, qtbot, "self-attention", "Thinking Machines")
    holder = window._holder(view)
    problems = []
    for k in range(view.tabs.count()):
        show_tab(window, qtbot, view, k)
        name = view.tabs.tabBar().tabData(k)
        if holder.verticalScrollBar().isVisible() or holder.horizontalScrollBar().isVisible():
            problems.append(
                f"{name}: the lesson scrolls ({view.minimumSizeHint().toTuple()} in {holder.viewport().size()})"
            )
        parts = {"layer/head": view.layer_head, "examples": view.examples_box, "tabs": view.tabs, "note": view.notice}
        problems += [f"{name}: {p}" for p in overlaps(view, parts)]
        problems += [f"{name}: {p}" for p in clipped_text(view.controls.findChildren(QWidget))]
    show_tab(window, qtbot, view, 6)
    digits = view.digits
    qtbot.waitUntil(lambda: len(digits.images) > 0, timeout=60000)
    box = digits.rect().toRectF()
    for i in range(len(digits.images)):
        if not box.contains(digits.thumb_rect(i)):
            problems.append(f"digit {i} at {digits.thumb_rect(i).getRect()} outside {box.getRect()}")
    if not box.contains(digits.big_rect()):
        problems.append(f"the large digit {digits.big_rect().getRect()} outside {box.getRect()}")
    show_tab(window, qtbot, view, 3)
    table = view.neuron_scores
    assert table.columnCount() == 4 and table.rowCount() == len(view.result.encoded.tokens)
    if table.horizontalScrollBar().isVisible():
        problems.append("the score table scrolls sideways")
    header = table.horizontalHeader()
    for j in range(table.columnCount()):
        if header.sectionViewportPosition(j) + header.sectionSize(j) > table.viewport().width():
            problems.append(f"score column {j} is cut at the table's edge")
        if j and header.sectionSize(j) < max(table.sizeHintForColumn(j), header.sectionSizeHint(j)):
            problems.append(f"score column {j} is narrower than its numbers")
    assert not problems, "\n".join(problems)


def test_self_attention_tour_steps_fit_under_the_caption(projector, qtbot):
    """Each self-attention step of the lecture tour, under the tour's caption at 1024x768: the lesson does not
    scroll (a drawing taller than its tab scrolls inside the tab), so the note about the model is on screen."""
    window = projector
    problems = []
    for k, step in enumerate(TOUR.steps):
        if step.lesson != "self-attention":
            continue
        if window.tour.active:
            window.tour.go(k)
        else:
            window.tour.start(TOUR, at=k)
        view = window.current_view()
        settle(qtbot, window, view)
        holder = window._holder(view)
        if holder.verticalScrollBar().isVisible() or holder.horizontalScrollBar().isVisible():
            problems.append(f"step {k + 1}: the lesson scrolls ({view.minimumSizeHint().toTuple()})")
        seen = QRect(QPoint(0, 0), holder.viewport().size())
        if view.notice.isVisible() and not seen.contains(rect_in(view.notice, holder.viewport())):
            problems.append(f"step {k + 1}: the note is off screen")
    assert not problems, "\n".join(problems)


# --- the Transformer -----------------------------------------------------------------------------------------


def test_transformer_controls_share_a_line_where_they_fit_and_nothing_overlaps(projector, qtbot):
    """At 1024x768 the Layer/Head boxes and the Try buttons share one line at 1x (one more line for the
    attention maps) and stack in presentation mode, where one line cannot hold them; either way the controls,
    the translation, the note and the tabs do not overlap, no control's text is cut and no tab scrolls."""
    window = projector
    view = open_lesson_in(window, qtbot, "transformer", "je suis étudiant .")
    controls = view.controls
    fits = controls.width() >= controls.one_line_width()
    assert controls.stacked() == (not fits)
    if not window.presenting:
        assert fits and not controls.stacked()
    holder = window._holder(view)
    problems = []
    for k in range(view.tabs.count()):
        show_tab(window, qtbot, view, k)
        name = view.tabs.tabBar().tabData(k)
        parts = {
            "layer/head": view.layer_head,
            "examples": view.examples_box,
            "translation": view.output_label,
            "note": view.notice,
            "tabs": view.tabs,
        }
        problems += [f"{name}: {p}" for p in overlaps(view, parts)]
        problems += [f"{name}: {p}" for p in clipped_text([*controls.findChildren(QWidget), view.output_label])]
        if holder.verticalScrollBar().isVisible() or holder.horizontalScrollBar().isVisible():
            problems.append(f"{name}: the lesson scrolls")
    assert not problems, "\n".join(problems)
