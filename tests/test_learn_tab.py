"""The self-attention lesson's Learn tab: Start trains chunk after chunk, Pause stops asking, Reset clears."""

from __future__ import annotations

import numpy as np

TEXT = "le chat dort sur le canapé ."


def _learn_view(open_lesson, qtbot):
    from viz_app.qt.lessons.self_attention.view import LEARN_TAB_INDEX

    view = open_lesson("self-attention", TEXT)
    view.tabs.setCurrentIndex(LEARN_TAB_INDEX)
    assert view.tabs.tabBar().tabData(LEARN_TAB_INDEX) == "Learn" and LEARN_TAB_INDEX == view.tabs.count() - 1
    panel = view.learn_panel
    panel.width_box.setValue(32)  # a smaller model than the default: quicker chunks
    panel.heads_box.setValue(2)
    return view, panel


def test_start_pause_step_reset(open_lesson, qtbot):
    view, panel = _learn_view(open_lesson, qtbot)
    assert "n − 1 − i" in panel.hint.text()
    panel.start_button.click()
    assert panel.running and view.busy("learn") and not view.pending()  # live training is a background request
    qtbot.waitUntil(lambda: panel.chunks_drawn >= 3, timeout=60000)
    from viz_app.qt.lessons.self_attention.learn_tab import CHUNK

    chunk = panel.chunk
    assert chunk.step >= 3 * CHUNK and chunk.step % CHUNK == 0
    xs, ys = panel.loss_curve.getData()
    assert len(xs) == chunk.step and np.isfinite(ys).all()
    assert len(panel.acc_curve.getData()[0]) == len(chunk.snapshot_steps) > 1
    assert panel.grid._images and len(panel.grid._images) == 2 and len(panel.grid._images[0]) == 2
    assert panel.large.matrix.shape == (12, 12)
    assert "layer 1:" in panel.scores_label.text() and "Predicted answer" in panel.predictions_label.text()
    assert panel.slider.maximum() == len(chunk.snapshot_steps) - 1 == panel.slider.value()
    status = view.window().status_model.text()  # the status bar names the model being trained, not bert-tiny
    sentence_model = view.result_model(view.result)
    assert "tiny Transformer" in status and sentence_model not in status and not view.notice.isVisible()
    view.tabs.setCurrentIndex(0)
    assert sentence_model in view.window().status_model.text()
    view.tabs.setCurrentIndex(view.tabs.count() - 1)

    panel.pause_button.click()  # stop asking: the chunk under way ends, no next one
    qtbot.waitUntil(lambda: not view.busy("learn"), timeout=30000)
    paused_at = panel.chunk.step
    qtbot.waitUntil(lambda: panel.chunk.step == paused_at)  # the last chunk drawn; nothing asked after it
    assert not view.busy("learn") and not panel.running

    panel.slider.setValue(0)  # replay: the heads at step 0
    assert panel.snapshot_label.text() == "step 0"
    assert not panel._follow

    panel.step_button.click()
    qtbot.waitUntil(lambda: panel.chunk.step == paused_at + 10, timeout=30000)
    rows = panel.csv_rows()
    assert rows[0][:4] == ["step", "train_loss", "test_loss", "test_accuracy"] and rows[1][0] == 0

    panel.reset_button.click()
    assert len(panel.loss_curve.getData()[0] if panel.loss_curve.getData()[0] is not None else []) == 0
    qtbot.waitUntil(lambda: panel.chunk is not None and not view.busy("learn"), timeout=30000)
    assert panel.chunk.step == 0 and panel.slider.maximum() == 0 and len(panel.chunk.losses) == 0


def test_a_bad_setting_shows_its_message(open_lesson, qtbot):
    view, panel = _learn_view(open_lesson, qtbot)
    panel.width_box.setValue(36)
    panel.heads_box.setValue(8)  # 36 is no multiple of 8
    panel.start_button.click()
    qtbot.waitUntil(lambda: view.error_banner.isVisible(), timeout=30000)
    assert "multiple" in view.error_banner.text() and not panel.running
    assert panel.start_button.isEnabled()


def test_the_tour_action_trains_one_long_chunk(open_lesson, qtbot):
    view, panel = _learn_view(open_lesson, qtbot)
    ids = view.tour_action()
    assert len(ids) == 1
    qtbot.waitUntil(lambda: panel.chunk is not None and panel.chunk.step > 0, timeout=60000)
    assert not panel.running and not view.busy("learn")


def test_the_trained_model_opens_in_the_other_tabs_and_is_saved(open_lesson, qtbot, tmp_path):
    import json

    view, panel = _learn_view(open_lesson, qtbot)
    assert not panel.open_button.isEnabled()
    panel.step_button.click()
    qtbot.waitUntil(lambda: panel.chunk is not None and panel.chunk.step > 0 and not view.busy("learn"), timeout=60000)
    panel.open_button.click()
    window = view.window()
    qtbot.waitUntil(lambda: view.result is not None and view.result.model.startswith("learn-"), timeout=30000)
    assert view.tabs.currentIndex() == 1 and view.back_button.isVisible()
    assert window.input.toPlainText() == " ".join(t for t in panel.chunk.tokens if t != "<pad>")
    assert view.result.encoded.tokens == tuple(panel.chunk.tokens)
    # the learned model's attention on its test input is the one the Learn tab drew for it (same weights)
    np.testing.assert_allclose(view.result.encoded.attention, panel.chunk.attention, atol=2e-3)  # float16 kept
    assert "learn-reverse" in window.status_model.text()
    view.set_text("le chat dort")  # not its tokens: a clear message, and the way back
    qtbot.waitUntil(lambda: view.error_banner.isVisible(), timeout=30000)
    assert "task's tokens" in view.error_banner.text()
    view.back_button.click()
    qtbot.waitUntil(lambda: view.result is not None and not view.result.model.startswith("learn-"), timeout=30000)
    assert not view.back_button.isVisible()

    panel._save(str(tmp_path))
    qtbot.waitUntil(lambda: any(tmp_path.glob("*.json")), timeout=30000)
    card = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    assert card["task"] == "reverse" and card["step"] == panel.chunk.step and any(tmp_path.glob("*.safetensors"))


def test_quitting_while_it_trains_stops_the_worker_cleanly(open_lesson, qtbot):
    import time

    view, panel = _learn_view(open_lesson, qtbot)
    panel.start_button.click()
    qtbot.waitUntil(lambda: panel.chunks_drawn >= 1 and view.busy("learn"), timeout=60000)
    started = time.monotonic()
    assert view.service.shutdown(timeout_ms=10000)  # what the window does on quit, training under way
    assert time.monotonic() - started < 10
