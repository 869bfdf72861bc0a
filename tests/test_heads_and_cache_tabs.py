"""The "Switch heads off" tab (GPT and BERT) and the GPT's "KV cache" tab, on the bundled models: what the tabs
show is what the core computes."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core.ablation import scan
from viz_app.core.jobs import JobContext, Request, finish
from viz_app.core.registry import ModelStore

GPT_TEXT = "once upon a time there was a little"
BERT_TEXT = "the little girl [MASK] to the park."


@pytest.fixture(scope="module")
def ctx():
    return JobContext(request=Request("t", None, ()), device="cpu", models=ModelStore())


def _open_tab(view, qtbot, title: str):
    view.select_tab(title)
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)


@pytest.mark.parametrize("lesson,text", [("gpt", GPT_TEXT), ("bert", BERT_TEXT)])
def test_clicking_a_head_switches_it_off_and_the_prediction_follows(open_lesson, qtbot, ctx, lesson, text):
    view = open_lesson(lesson, text)
    _open_tab(view, qtbot, "Switch heads off")
    panel = view.heads_panel
    qtbot.waitUntil(lambda: panel.prediction is not None and not panel.prediction.heads_off, timeout=30000)
    assert panel.prediction.delta_logprob == 0.0 and "Click a head" in panel.caption.text()
    assert len(panel.buttons) == 4 and len(panel.buttons[0]) == panel.prediction.heads

    panel.buttons[1][3].click()  # layer 2, head 4 off
    panel.buttons[2][0].click()  # and layer 3, head 1
    qtbot.waitUntil(lambda: panel.prediction.heads_off == ((1, 3), (2, 0)), timeout=30000)
    assert panel.buttons[1][3].text() == "off" and panel.buttons[0][0].text() == "on"
    expected = scan.ablated_prediction_job(ctx, panel.prediction.model, text, ((1, 3), (2, 0)), "zero")
    assert panel.prediction.logprob == pytest.approx(expected.logprob, abs=1e-5)  # float32 sums on another thread
    assert f"{np.exp(expected.logprob):.4f}" in panel.caption.text()
    assert "2 of 32 heads" in panel.caption.text()

    panel.mode.setCurrentIndex(1)  # each replaced by its mean over the reference text
    qtbot.waitUntil(lambda: panel.prediction.mode == "mean", timeout=30000)
    mean = scan.ablated_prediction_job(ctx, panel.prediction.model, text, ((1, 3), (2, 0)), "mean")
    assert panel.prediction.logprob == pytest.approx(mean.logprob, abs=1e-5)  # float32 sums on another thread

    panel.all_on.click()
    qtbot.waitUntil(lambda: not panel.prediction.heads_off, timeout=30000)
    assert all(b.text() == "on" for line in panel.buttons for b in line)


def test_the_head_scan_draws_every_head_and_can_be_cancelled(open_lesson, qtbot, ctx):
    view = open_lesson("gpt", GPT_TEXT)
    _open_tab(view, qtbot, "Switch heads off")
    panel = view.heads_panel
    assert panel.map.isHidden()  # no scan for this text yet
    panel.scan_button.click()
    qtbot.waitUntil(lambda: panel.scan_result is not None, timeout=60000)
    assert panel.scan_button.isEnabled() and not panel.cancel_button.isEnabled() and not panel.map.isHidden()
    expected = finish(scan.head_scan_job(ctx, "gpt-tiny", GPT_TEXT, "zero"))
    np.testing.assert_allclose(panel.scan_result.delta, expected.delta, atol=1e-5)
    r, h = np.unravel_index(int(np.argmin(expected.delta)), expected.delta.shape)
    assert f"layer {r + 1}, head {h + 1}" in panel.scan_note.text()

    view.set_text(GPT_TEXT + " girl")  # another text: the map of the old one is not shown beside it
    qtbot.waitUntil(lambda: panel.prediction.context[-1] == "girl", timeout=30000)
    assert panel.scan_result is None and panel.map.isHidden()

    panel.scan_button.click()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: panel.scan_button.isEnabled(), timeout=30000)


def test_the_kv_cache_tab_generates_step_by_step(open_lesson, qtbot):
    view = open_lesson("gpt", "once upon a time")
    _open_tab(view, qtbot, "KV cache")
    panel = view.kv_panel
    panel.max_new.setValue(6)
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.trace is not None and panel.trace.tokens_per_second > 0, timeout=60000)
    t = panel.trace
    assert len(t.steps) == 6 and panel.step.maximum() == 6 and panel.run_button.isEnabled()
    assert [s.length for s in t.steps] == list(range(t.steps[0].length, t.steps[0].length + 6))
    assert not t.steps[0].grew and all(s.grew for s in t.steps[1:])  # built once, then one row per step
    assert t.multiply_adds < t.multiply_adds_without
    assert "tokens/s with the cache" in panel.work.text()
    panel.step.setValue(3)
    assert "Time step 3" in panel.caption.text() and t.steps[2].token in panel.caption.text()
