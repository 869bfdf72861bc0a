"""Predict, then reveal: a question step of the lecture tour covers the answer until the next key."""

from __future__ import annotations

import pytest

from viz_app.core import tours


@pytest.fixture
def window(make_window):
    return make_window


def _question_steps(tour) -> list[int]:
    return [k for k, s in enumerate(tour.steps) if s.question is not None]


def test_the_lecture_tour_asks_before_it_shows_the_four_answers():
    tour = tours.load(tours.bundled_tour_path("lecture"))
    asked = {tour.steps[k].lesson for k in _question_steps(tour)}
    assert asked == {"bert", "gpt", "self-attention", "attention"}
    for k in _question_steps(tour):
        q = tour.steps[k].question
        assert q.prompt and q.prompt_in("zh_TW") != q.prompt  # asked in both interface languages
        assert tour.steps[k].claims  # the answer revealed is checked against the bundled models (test_claims)


def test_a_question_step_hides_the_answer_until_the_next_key(window, qtbot):
    w = window()
    tour = tours.load(tours.bundled_tour_path("lecture"))
    k = next(i for i in _question_steps(tour) if tour.steps[i].lesson == "bert")
    w.start_lecture_tour()
    w.tour.go(k)
    step = tour.steps[k]
    cover = w.tour.cover
    assert cover is not None and cover.isVisible()
    view = w.current_view()
    assert cover.parent() is view.tabs.currentWidget()
    assert cover.geometry() == view.tabs.currentWidget().rect()
    assert step.question.prompt in w.tour_bar.caption.text()
    qtbot.waitUntil(lambda: not view.pending() and cover.choices.isVisible(), timeout=60000)
    guesses = [t.strip() for t, _p in view.result.masks[0].predictions[: step.question.choices]]
    shown = cover.choices.text()
    assert all(g in shown for g in guesses if g)  # the model's own top candidates, offered first
    w.tour.next()  # reveals: the same step, the cover gone, the caption back
    assert w.tour.index == k and w.tour.cover is None
    assert step.question.prompt not in w.tour_bar.caption.text()
    w.tour.next()  # moves on
    assert w.tour.index == k + 1
    w.tour.previous()  # going back asks again
    assert w.tour.index == k and w.tour.cover is not None
    w.tour.stop()
    assert w.tour.cover is None


def test_bad_questions_in_a_tour_file_say_what_is_wrong():
    for bad, says in (
        ("why?", "must be an object"),
        ({"choices": 3}, 'no "prompt"'),
        ({"prompt": "x", "choices": 99}, "from 0 to 10"),
        ({"prompt": "x", "prompt_zh_TW": 3}, "must be a string"),
    ):
        with pytest.raises(tours.TourError, match=says):
            tours.parse({"steps": [{"lesson": "bert", "question": bad}]})
    tour = tours.parse({"steps": [{"lesson": "bert", "question": {"prompt": "Which?", "choices": 2}}]})
    assert tours.parse(tour.to_json()).steps[0].question == tour.steps[0].question
