"""The Transformer lesson's "Switch heads off" tab, on the bundled translator and couplet writer: what the tab
shows is what the core computes (``viz_app.core.ablation.scan``)."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core.ablation import scan
from viz_app.core.jobs import JobContext, Request
from viz_app.core.registry import ModelStore

FRENCH = "je suis étudiant ."
COUPLET = "白日依山盡"


@pytest.fixture(scope="module")
def ctx():
    return JobContext(request=Request("t", None, ()), device="cpu", models=ModelStore())


def _open_heads_tab(view, qtbot):
    view.select_tab("Switch heads off")
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    panel = view.heads_panel
    qtbot.waitUntil(lambda: panel.prediction is not None, timeout=30000)
    return panel


def _scan(ctx, *args):
    job = scan.head_scan_job(ctx, *args)
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value


def _row(panel, label: str) -> int:
    return panel.rows.index(label)


def test_a_cross_attention_head_off_changes_the_translated_word_as_the_core_says(open_lesson, qtbot, ctx):
    view = open_lesson("transformer", FRENCH)
    panel = _open_heads_tab(view, qtbot)
    assert view.model_name == "transformer"
    p = panel.prediction
    assert p.kind == "transformer" and p.position == 0 and not p.heads_off and p.delta_logprob == 0.0
    assert p.rows == tuple(f"{k} {n}" for k in ("encoder", "decoder", "cross") for n in (1, 2, 3))
    assert len(panel.buttons) == 9 and all(len(line) == p.heads == 8 for line in panel.buttons)
    words = [view.position_select.itemText(k) for k in range(view.position_select.count())]
    translation = view.known_translation[1]
    assert words == [f"{k + 1}: {w}" for k, w in enumerate([*translation.output_tokens, "<end>"])]
    assert p.target == translation.output_tokens[0] and "output word 1" in panel.caption.text()
    assert view.position_select.isVisible() and not view.layer_select.isVisible()  # in the Layer box's place

    cross = _row(panel, "cross 1")
    panel.buttons[cross][2].click()  # cross 1, head 3 off
    qtbot.waitUntil(lambda: panel.prediction.heads_off == ((cross, 2),), timeout=30000)
    expected = scan.ablated_prediction_job(ctx, "transformer", FRENCH, ((cross, 2),), "zero", None, 0)
    assert panel.prediction.logprob == pytest.approx(expected.logprob, abs=1e-5)
    assert panel.prediction.delta_logprob == pytest.approx(expected.delta_logprob, abs=1e-5)
    assert "1 of 72 heads" in panel.caption.text()

    view.position_select.setCurrentIndex(2)  # the third output word, given the two before it
    qtbot.waitUntil(lambda: panel.prediction.position == 2, timeout=30000)
    assert panel.prediction.target == translation.output_tokens[2] != expected.target
    assert panel.prediction.context == ("<start>", *translation.output_tokens[:2])
    at_2 = scan.ablated_prediction_job(ctx, "transformer", FRENCH, ((cross, 2),), "zero", None, 2)
    assert panel.prediction.logprob == pytest.approx(at_2.logprob, abs=1e-5)
    assert "output word 3" in panel.caption.text()

    view.position_select.setCurrentIndex(view.position_select.count() - 1)  # the <end> prediction
    qtbot.waitUntil(lambda: panel.prediction.target == "<end>", timeout=30000)

    rows = view.heads_csv_rows(panel.prediction)
    assert rows[0][:4] == ["heads_off", "mode", "position", "target"] and rows[1][:2] == ["cross 1:h3", "zero"]
    assert float(rows[1][-1]) == pytest.approx(panel.prediction.delta_logprob, rel=1e-4, abs=1e-9)

    view.select_tab("Encoder")  # back on another tab: the translation again
    qtbot.waitUntil(lambda: not view.pending(), timeout=30000)
    assert view.result.output_tokens == translation.output_tokens
    assert view.layer_select.isVisible() and not view.position_select.isVisible()


def test_the_scan_fills_every_head_and_matches_the_core(open_lesson, qtbot, ctx, tmp_path):
    view = open_lesson("transformer", FRENCH)
    panel = _open_heads_tab(view, qtbot)
    view.position_select.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.prediction.position == 1 and not view.pending(), timeout=30000)
    assert panel.map.isHidden()
    ids = view.tour_action()  # on this tab: the scan
    assert ids and not panel.scan_button.isEnabled() and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: panel.scan_result is not None, timeout=120000)
    s = panel.scan_result
    assert s.delta.shape == (9, 8) and np.isfinite(s.delta).all() and s.position == 1
    expected = _scan(ctx, "transformer", FRENCH, "zero", None, 1)
    np.testing.assert_allclose(s.delta, expected.delta, atol=1e-5)
    assert not panel.map.isHidden() and panel.scan_button.isEnabled()

    path = tmp_path / "heads.csv"
    view.export(str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("heads_off,mode,position,target") and len(lines) == 2

    view.position_select.setCurrentIndex(0)  # another prediction: the map of the old one is not shown
    qtbot.waitUntil(lambda: panel.prediction.position == 0, timeout=30000)
    assert panel.scan_result is None and panel.map.isHidden()

    panel.scan_button.click()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: panel.scan_button.isEnabled(), timeout=30000)


def test_the_couplet_writer_has_its_heads_too(open_lesson, qtbot, ctx):
    view = open_lesson("transformer", FRENCH)
    panel = _open_heads_tab(view, qtbot)
    panel.buttons[8][7].click()  # cross 3, head 8 of the translator: the couplet writer has no such head
    qtbot.waitUntil(lambda: panel.prediction.heads_off == ((8, 7),), timeout=30000)
    view.set_text(COUPLET)
    assert view.model_name == "couplet-transformer"  # Chinese text chooses the couplet writer
    qtbot.waitUntil(lambda: not view.pending() and panel.prediction.model == "couplet-transformer", timeout=30000)
    assert not view.error_banner.isVisible() and not panel.heads_off()
    p = panel.prediction
    assert p.model == "couplet-transformer" and p.position == 0
    assert p.rows == tuple(f"{k} {n}" for k in ("encoder", "decoder", "cross") for n in (1, 2))
    assert len(panel.buttons) == 6 and all(len(line) == 8 for line in panel.buttons)
    characters = view.known_translation[1].output_tokens
    assert view.position_select.count() == len(characters) + 1 and p.target == characters[0]

    cross = _row(panel, "cross 2")
    panel.buttons[cross][0].click()
    view.position_select.setCurrentIndex(1)
    qtbot.waitUntil(
        lambda: panel.prediction.heads_off == ((cross, 0),) and panel.prediction.position == 1, timeout=30000
    )
    expected = scan.ablated_prediction_job(ctx, "couplet-transformer", COUPLET, ((cross, 0),), "zero", None, 1)
    assert panel.prediction.target == characters[1] == expected.target
    assert panel.prediction.logprob == pytest.approx(expected.logprob, abs=1e-5)

    view.heads_tour_action()
    qtbot.waitUntil(lambda: panel.scan_result is not None, timeout=120000)
    assert panel.scan_result.delta.shape == (6, 8) and np.isfinite(panel.scan_result.delta).all()
    np.testing.assert_allclose(
        panel.scan_result.delta, _scan(ctx, "couplet-transformer", COUPLET, "zero", None, 1).delta, atol=1e-5
    )


def test_a_new_sentence_on_the_tab_reads_its_own_first_word(open_lesson, qtbot):
    view = open_lesson("transformer", FRENCH)
    panel = _open_heads_tab(view, qtbot)
    view.position_select.setCurrentIndex(3)
    qtbot.waitUntil(lambda: panel.prediction.position == 3, timeout=30000)
    view.set_text("il fait beau aujourd'hui .")
    qtbot.waitUntil(lambda: not view.pending() and panel.prediction.context == ("<start>",), timeout=30000)
    translation = view.known_translation[1]
    assert view.known_translation[0] == ("transformer", "il fait beau aujourd'hui .")
    assert view.position_select.count() == len(translation.output_tokens) + 1
    assert view.position_select.currentIndex() == 0 and panel.prediction.target == translation.output_tokens[0]
    assert "il fait beau" in view.output_label.text()


def test_the_step_tab_counts_the_work_the_decoder_cache_saves(open_lesson, qtbot):
    from viz_app.core.transformer import probes

    view = open_lesson("transformer", "je suis étudiant .")
    view.select_tab("Step by step")
    r = view.result
    assert isinstance(r, probes.Translation) and len(r.work) == len(r.output_tokens)
    assert r.work[0][0] == r.work[0][1]  # step 1: nothing cached yet
    assert all(a < b for a, b in r.work[1:])  # later: only the newest position is computed
    view._select_step(2)
    assert "Key/value cache" in view.step_cache.text() and "(3 at this step" in view.step_cache.text()
