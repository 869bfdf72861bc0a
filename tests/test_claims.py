"""Every claim a tour step or a Try button makes about the screen is checked against the bundled models.

The items are read from the bundled tour and from viz_app.core.examples, so a new step or a new Try
button is checked by construction: one without claims fails unless it says why it makes none.
"""

from __future__ import annotations

import pytest

from viz_app.core import claims, examples, tours

TOUR = tours.load(tours.bundled_tour_path())
TOURS = {name: tours.load(tours.bundled_tour_path(name)) for name in tours.BUNDLED_TOURS}  # the Chinese one too

# Claims that are false with the bundled models today, each owned by the helper fixing the model or the
# example. TEMPORARY: remove the entry when the claim holds (the xfail is strict, so a fixed claim fails here).
KNOWN_FALSE: dict[str, str] = {}


def _items():
    for tour_name, tour in TOURS.items():
        prefix = "tour" if tour_name == "lecture" else f"tour {tour_name}"
        for k, step in enumerate(tour.steps, 1):
            yield f"{prefix} step {k}", step.shown_text, step.claims, step.no_claim_reason
    for lesson_id, group, k, example in examples.all_examples():
        name = f"Try {lesson_id}{'/' + group if group else ''} #{k + 1}"
        yield name, example.text, list(example.claims), example.no_claim_reason


ITEMS = list(_items())


@pytest.fixture(scope="module")
def ctx():
    return claims.context()


def test_every_step_and_example_makes_claims_or_says_why():
    for name, _text, items, reason in ITEMS:
        assert items or reason.strip(), f"{name} has no claims and no no_claim_reason"
        assert not (items and reason), f"{name} has claims and a no_claim_reason"
        for claim in items:
            assert claims.problems(claim) == "", f"{name}: {claims.problems(claim)}"
    assert sum(1 for n, *_ in ITEMS if n.startswith("tour step")) == len(TOUR.steps) >= 30
    assert sum(1 for n, *_ in ITEMS if n.startswith("tour tang step")) == len(TOURS["tang"].steps) >= 8


def test_known_false_names_real_items():
    names = {n for n, *_ in ITEMS}
    assert set(KNOWN_FALSE) <= names


def _params():
    for name, text, items, _reason in ITEMS:
        if not items:
            continue
        marks = [pytest.mark.xfail(reason=KNOWN_FALSE[name], strict=True)] if name in KNOWN_FALSE else []
        yield pytest.param(name, text, items, id=name, marks=marks)


@pytest.mark.parametrize(("name", "text", "items"), list(_params()))
def test_claims_hold_with_the_bundled_models(name, text, items, ctx):
    failed = []
    for claim in items:
        verdict = claims.evaluate(claim, text, ctx)
        if not verdict.ok:
            failed.append(f"{claim['kind']}: {verdict.detail}")
    assert not failed, f"{name} ({text!r}): " + "; ".join(failed)


def test_a_false_claim_is_reported_false(ctx):
    bad = {"kind": "translation_contains", "model": "seq2seq-attention", "words": ["zebra"]}
    assert not claims.evaluate(bad, "je suis étudiant .", ctx).ok
    assert not claims.evaluate({"kind": "sentiment", "label": "negative"}, "a delight, wonderful", ctx).ok
    assert not claims.evaluate({"kind": "toy_rnn_outputs", "outputs": [[1, 1]]}, "1,1; 1,1; 2,2", ctx).ok


def test_malformed_claims_are_refused():
    assert "unknown claim kind" in claims.problems({"kind": "nope"})
    assert "needs" in claims.problems({"kind": "sentiment"})
    with pytest.raises(claims.ClaimError):
        claims.evaluate({"kind": "analogy_top", "a": "man"}, "")


def test_every_lesson_has_a_default_text():
    from viz_app.core import lessons

    for lesson in lessons.LESSONS:
        assert examples.default_text(lesson.id).strip(), lesson.id


def test_every_try_button_on_screen_is_an_example_with_claims(qtbot):
    """A Try button whose sentence is not in viz_app.core.examples would escape the claims above."""
    from PySide6.QtWidgets import QPushButton

    from viz_app.core import lessons
    from viz_app.qt.lessons import view_for
    from viz_app.qt.service import InferenceService

    service = InferenceService()
    try:
        for lesson in lessons.LESSONS:
            view = view_for(lesson, service)
            qtbot.addWidget(view)
            known = {e.text for items in examples.EXAMPLES.get(lesson.id, {}).values() for e in items}
            buttons = [b for b in view.findChildren(QPushButton) if b.objectName().startswith("example")]
            for button in buttons:
                assert button.text() in known, (lesson.id, button.text())
    finally:
        service.shutdown()
