"""The "Why this prediction?" tab of the GPT and BERT lessons draws what ``explain_job`` computes."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core.explain import METHODS, explain_job
from viz_app.core.jobs import JobContext, Request
from viz_app.core.registry import ModelStore


@pytest.fixture(scope="module")
def ctx():
    return JobContext(request=Request("t", None, ()), device="cpu", models=ModelStore())


def _open(open_lesson, qtbot, lesson, text):
    view = open_lesson(lesson, text)
    view.select_tab("Why this prediction")
    panel = view.explain_panel
    qtbot.waitUntil(lambda: panel.result is not None and not view.pending(), timeout=60000)
    return view, panel


def test_gpt_explains_its_next_token_and_another_target(open_lesson, qtbot, ctx):
    text = "once upon a time there was a little"
    view, panel = _open(open_lesson, qtbot, "gpt", text)
    r = panel.result
    assert [e.method for e in r.by_method] == list(METHODS)
    top = r.top[0][0]
    assert r.by_method[0].target == top and f"“<b>{top}</b>”" in panel.caption.text()
    for e in r.by_method:
        alone = explain_job(ctx, "gpt-tiny", text, e.method)
        np.testing.assert_allclose(e.attributions, alone.attributions, rtol=1e-3, atol=1e-6)
    ig = r.by_method[1]
    assert ig.completeness_error < 0.02 and f"{ig.completeness_error:.1%}" in panel.caption.text()
    assert panel.map.matrix.shape == (4, len(ig.tokens)) and np.abs(panel.map.matrix).max() <= 1.0 + 1e-6

    second = r.top[1][0]
    panel.target.setCurrentIndex(panel.target.findData(second))
    panel.target.activated.emit(panel.target.currentIndex())
    qtbot.waitUntil(lambda: panel.result.by_method[0].target == second and not view.pending(), timeout=60000)
    assert panel.target_text() == second
    rows = view.tab_csv_rows(view.result)
    assert rows[0] == ["method", "target", "token_index", "token", "attribution"] and len(rows) == 1 + 4 * len(
        ig.tokens
    )


def test_bert_explains_each_mask_and_the_sentiment_label(open_lesson, qtbot):
    view, panel = _open(open_lesson, qtbot, "bert", "the little girl [MASK] to the park with her [MASK] .")
    first = panel.result.by_method[0]
    assert first.tokens[first.position] == "[MASK]"
    panel.mask.setValue(2)
    qtbot.waitUntil(lambda: panel.result.by_method[0].position != first.position and not view.pending(), timeout=60000)
    second = panel.result.by_method[0]
    assert second.tokens[second.position] == "[MASK]" and second.position > first.position

    view.set_text("a wonderful film, i loved every minute of it")
    panel.subject.setCurrentIndex(panel.subject.findData("sentiment"))
    qtbot.waitUntil(lambda: panel.result.by_method[0].kind == "bert-sentiment" and not view.pending(), timeout=60000)
    assert panel.result.by_method[0].target == "positive" and not panel.mask.isVisible()


def test_transformer_explains_each_translated_word(open_lesson, qtbot, ctx):
    view, panel = _open(open_lesson, qtbot, "transformer", "je suis étudiant .")
    assert view.position_select.isVisible()
    first = panel.result.by_method[1]
    assert first.kind == "transformer" and first.tokens == ("je", "suis", "étudiant", ".")
    qtbot.waitUntil(lambda: view.position_select.count() > 2, timeout=30000)
    view.position_select.setCurrentIndex(1)  # the second output word ("am"): its French word counts most
    qtbot.waitUntil(lambda: panel.result.by_method[1].position == 1 and not view.pending(), timeout=60000)
    ig = panel.result.by_method[1]
    expected = explain_job(ctx, "transformer", "je suis étudiant .", "integrated-gradients", position=1)
    np.testing.assert_allclose(ig.attributions, expected.attributions, rtol=1e-3, atol=1e-6)
    assert ig.target == expected.target and ig.tokens[int(np.argmax(ig.attributions))] == "suis"
