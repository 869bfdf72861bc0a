"""Tour files that are hostile or odd (issue 20 item 8), and tour steps that start from a clean lesson state
(issue 14 item 5): what a step shows never depends on what was shown or typed before it."""

from __future__ import annotations

import json

import pytest

from viz_app.core import examples, tours
from viz_app.core.embeddings import ratio
from viz_app.core.lessons import word_embedding as embedding_lesson
from viz_app.core.registry import ModelStore

# --- hostile tour files (Qt-free) ---------------------------------------------------------------------


def _write(tmp_path, text: str | bytes):
    path = tmp_path / "tour.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _step(**extra) -> str:
    return json.dumps({"format": 1, "steps": [{"lesson": "gpt", **extra}]})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"steps": [{"lesson": "gpt", "tab": ' + "9" * 5000 + "}]}", "cannot be read as a tour"),
        ('{"steps": [{"lesson": "gpt", "controls": {"maxNew": 1e999}}]}', "out of range"),
        (_step(controls={"maxNew": 10**30}), "out of range"),
        ('{"steps": [{"lesson": "gpt", "controls": {"maxNew": NaN}}]}', "not a number a tour can hold"),
        ('{"steps": [{"lesson": "gpt", "controls": {"maxNew": -Infinity}}]}', "not a number a tour can hold"),
        (_step(tab=10**30), "there is no tab"),
        ('{"format": 99, "steps": [{"lesson": "gpt"}]}', "format 99"),
        ('{"format": "one", "steps": [{"lesson": "gpt"}]}', '"format" must be'),
        ('{"format": true, "steps": [{"lesson": "gpt"}]}', '"format" must be'),
        (_step(claims="yes"), '"claims" must be a list'),
        (_step(no_claim_reason=3), '"no_claim_reason" must be a string'),
    ],
    ids=[
        "nested-100000",
        "5000-digits",
        "1e999",
        "10**30",
        "NaN",
        "-Infinity",
        "tab-10**30",
        "format-99",
        "format-text",
        "format-bool",
        "claims-text",
        "reason-number",
    ],
)
def test_a_hostile_tour_file_gives_a_readable_tour_error(tmp_path, text, expected):
    with pytest.raises(tours.TourError) as err:
        tours.load(_write(tmp_path, text))
    message = str(err.value)
    assert expected in message and len(message) < 300


def test_a_tour_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = _write(tmp_path, "\ufeff".encode() + _step(caption="hi").encode())
    tour = tours.load(path)
    assert tour.steps[0].caption == "hi"


def test_deep_text_inside_a_string_is_not_mistaken_for_nesting(tmp_path):
    tour = tours.load(_write(tmp_path, _step(caption="[[[[" * 30 + '\\"{{{{' * 30)))
    assert tour.steps[0].caption.startswith("[[[[")


def test_claims_and_the_reason_for_none_survive_a_round_trip(tmp_path):
    step = tours.Step("bow", "c", "a b", claims=[{"kind": "bow_same_vector", "pair": [0, 1]}])
    quiet = tours.Step("bow", "d", no_claim_reason="a diagram")
    tours.save(tours.Tour("t", [step, quiet]), tmp_path / "t.json")
    again = tours.load(tmp_path / "t.json")
    assert again.steps[0].claims == step.claims and again.steps[1].no_claim_reason == "a diagram"
    assert again.steps[1].claims == []


def test_a_step_without_text_shows_its_lessons_default_text():
    step = tours.Step("word-embedding")
    assert step.shown_text == examples.default_text("word-embedding") != ""
    assert tours.Step("bow", text="").shown_text == ""  # an explicit empty text stays empty


# --- playing steps from a clean state (Qt) ---------------------------------------------------------


def _settle(qtbot, w):
    view = w.current_view()
    qtbot.waitUntil(lambda: view.drawn and not view.pending() and not w.tour.pending(), timeout=90_000)
    return view


def _rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_word_embedding_steps_run_their_tab_and_drop_what_came_before(make_window, qtbot):
    tour = tours.load(tours.bundled_tour_path())
    by_tab = {s.tab: k for k, s in enumerate(tour.steps) if s.lesson == "word-embedding"}
    w = make_window(lesson="word-embedding", text="forgive")
    view = _settle(qtbot, w)
    # What a user (or an earlier step) left: another model, the second map, the neighbours of "forgive",
    # a king/queen ratio table.
    view.model_select.setCurrentIndex(view.model_select.findData("embedding-cbow"))
    view.compare_switch.setChecked(True)
    view.select_word("forgive")
    for edit, value in zip(view.ratio_inputs, ("king", "queen"), strict=True):
        edit.setText(value)
    view.probe_input.setText("crown")
    view.run_ratio()
    _settle(qtbot, w)

    w.tour.start(tour, at=by_tab[3])  # the ratio step sets no text
    view = _settle(qtbot, w)
    assert w.input.toPlainText() == examples.default_text("word-embedding")
    assert view.model_select.currentData() == "embedding-skipgram" and not view.compare_switch.isChecked()
    assert view.tabs.currentIndex() == 3
    step = tour.steps[by_tab[3]]
    want = ratio.ratio_table(
        ratio.bundled_table(ModelStore()),
        step.controls["ratioWord1"],
        step.controls["ratioWord2"],
        step.controls["ratioProbes"].split(),
    )
    rows = _rows(view.ratio_table)
    assert [r[0] for r in rows[: len(want.probes)]] == list(want.probes)  # ice/steam's probes, not "crown"

    w.tour.go(by_tab[1])  # neighbours of the step's word, not of "forgive"
    view = _settle(qtbot, w)
    word = tour.steps[by_tab[1]].shown_text.split()[0]
    model = view.model_select.currentData()
    expected = [x for x, _ in embedding_lesson.neighbors_probe(ModelStore(), model, word, 10)]
    assert [r[0] for r in _rows(view.neighbor_table)] == expected
    assert word in view.neighbor_title.text() and "forgive" not in view.neighbor_title.text()

    view.analogy_inputs[0].setText("paris")  # typed by the user before the analogy step
    w.tour.go(by_tab[2])
    view = _settle(qtbot, w)
    s = tour.steps[by_tab[2]]
    a, b, c = (s.controls[k] for k in ("analogyA", "analogyB", "analogyC"))
    expected = [x for x, _ in embedding_lesson.analogy_probe(ModelStore(), view.model_select.currentData(), a, b, c)]
    assert [r[0] for r in _rows(view.analogy_table)] == expected
    assert view.scatter._arrows  # the analogy's arrows on the map
    assert w.tour.problems == []

    w.tour.go(by_tab[3])  # back to the ratio step: same text, but the analogy's arrows are gone
    _settle(qtbot, w)
    assert view.scatter._arrows == []


def test_a_step_resets_controls_the_user_changed(make_window, qtbot):
    tour = tours.Tour("t", [tours.Step("gpt", "one", tab=0), tours.Step("gpt", "two", tab=0)])
    w = make_window(lesson="gpt")
    w.tour.start(tour)
    view = _settle(qtbot, w)
    default = view.max_new.value()
    view.max_new.setValue(default + 7)
    w.tour.go(1)
    assert view.max_new.value() == default
    assert w.input.toPlainText() == examples.default_text("gpt")


def test_a_step_reopens_the_tab_inside_a_lesson_it_was_built_with(make_window, qtbot):
    """The bag of words keeps Similarity / Document vectors in a tab widget of its own: a step that names no
    tab shows the similarity matrix even after the user opened the vectors; a step may also ask for them."""
    from PySide6.QtWidgets import QTabWidget

    tour = tours.Tour(
        "t",
        [
            tours.Step("bow", "one", text="a b\nb a"),
            tours.Step("bow", "two", text="a b\nb c"),
            tours.Step("bow", "three", text="a b", controls={"bowTabs": 1}),
        ],
    )
    w = make_window(lesson="bow")
    w.tour.start(tour)
    view = _settle(qtbot, w)
    inner = view.findChild(QTabWidget, "bowTabs")
    inner.setCurrentIndex(1)
    w.tour.go(1)
    _settle(qtbot, w)
    assert inner.currentIndex() == 0
    w.tour.go(2)
    _settle(qtbot, w)
    assert inner.currentIndex() == 1 and not w.tour.problems


def test_huge_numbers_in_a_step_are_clamped_or_refused_never_overflow(make_window, qtbot):
    from viz_app.qt import view_state

    w = make_window(lesson="gpt")
    view = _settle(qtbot, w)
    assert view_state.apply(view, {"maxNew": 10**30}) == []
    assert view.max_new.value() == view.max_new.maximum()
    assert view_state.apply(view, {"maxNew": -(10**30)}) == []
    assert view.max_new.value() == view.max_new.minimum()
    for bad in (float("inf"), float("nan"), "many", [1]):
        problems = view_state.apply(view, {"maxNew": bad})
        assert len(problems) == 1 and "maxNew" in problems[0]
    step = tours.Step("gpt", tab=0, controls={"maxNew": 1e11})  # within what a file may hold
    w.tour.start(tours.Tour("t", [step]))
    assert view.max_new.value() == view.max_new.maximum() and w.tour.problems == []
