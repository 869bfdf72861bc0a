"""The self-attention and Transformer lessons with the bundled Transformer."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from viz_app.core.lessons import transformer as lesson
from viz_app.core.registry import ModelStore
from viz_app.core.transformer import probes


@pytest.fixture(scope="module")
def store():
    store = ModelStore()
    if lesson.MODEL not in store.registry.cards():
        pytest.skip("the Transformer is not bundled yet")
    return store


def test_the_lessons_z_is_the_models_own(store):
    """Z for a head, concatenated over heads and times W^O, is exactly the layer's attention output."""
    import torch

    text = "le chat dort sur le canapé ."
    lm = store.get(lesson.MODEL, probes.load)
    cfg = lm.model.config
    for layer in range(cfg.encoder_layers):
        zs = [probes.head_numbers(store, lesson.MODEL, text, layer, h) for h in range(cfg.heads)]
        h0 = zs[0]
        e = np.exp(h0.scaled - h0.scaled.max(1, keepdims=True))
        assert np.allclose(e / e.sum(1, keepdims=True) @ h0.v, h0.z, atol=1e-4)
        concat = np.concatenate([h.z for h in zs], axis=1)
        assert np.allclose(concat, h0.concat, atol=1e-5)
        block = lm.model.encoder[layer].self_attn
        assert np.allclose(concat @ h0.w_o + block.w_o.bias.detach().numpy(), h0.output, atol=1e-4)
    # The recorded first-layer output is what the model's own forward pass gives.
    with torch.no_grad():
        ids = torch.tensor([lm.source.encode(list(h0.tokens))])
        x = lm.model.embed(lm.model.src_embed, ids)
        mask = (ids != 0)[:, None, None, :]
        own = lm.model.encoder[0].self_attn(x, x, mask)[0].numpy()
    first = probes.head_numbers(store, lesson.MODEL, text, 0, 0)
    assert np.allclose(own, first.output, atol=1e-5)


def test_translation_attention_shapes_and_masks(store):
    tr = probes.translate(store, lesson.MODEL, "je suis étudiant .")
    layers, heads = tr.encoder_attention.shape[:2]
    n, m = len(tr.output_tokens), len(tr.source_tokens)
    assert tr.cross_attention.shape == (layers, heads, n, m)
    assert tr.decoder_attention.shape == (layers, heads, n, n)
    assert np.all(tr.decoder_attention[..., np.triu(np.ones((n, n), bool), 1)] == 0.0)
    for a in (tr.encoder_attention, tr.decoder_attention, tr.cross_attention):
        assert np.allclose(a.sum(-1), 1.0, atol=1e-5)


def test_positional_table_and_dependencies():
    t = lesson.positional_table(20, 16)
    assert t.encoding.shape == (20, 16) and np.allclose(np.diag(t.dot), 8.0)  # sin^2 + cos^2 per pair
    assert lesson.sequential_steps(7, "rnn") == 7 and lesson.sequential_steps(7, "attention") == 1
    assert lesson.rnn_dependencies(3) == [[], [0], [1]]
    assert lesson.cnn_span(1, 5, 10) == (4, 6) and lesson.cnn_span(3, 5, 10) == (2, 8)
    assert lesson.cnn_span(4, 0, 10) == (0, 4)


def test_self_attention_job_on_cpu_records_the_device(store):
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons.self_attention import ENGLISH_MODEL, SelfAttentionResult, self_attention_job

    ctx = JobContext(request=Request("t", self_attention_job), device="cpu", models=store)
    result = self_attention_job(ctx, "le chat dort sur le canapé .", 1, 2)
    assert isinstance(result, SelfAttentionResult) and result.device == "cpu" and result.model == lesson.MODEL
    assert result.head.layer == 1 and result.head.head == 2 and result.head.weights.shape == (7, 7)
    assert np.allclose(result.encoded.attention[1, 2], result.head.weights)
    assert result.encoded.record == {}  # no torch tensors (perhaps on a GPU) in the result, only numpy
    empty = self_attention_job(ctx, "", 0, 0)
    assert empty.head is None and empty.device == "cpu"
    if ENGLISH_MODEL in store.registry.cards():  # English: the tiny BERT's numbers, on the same device
        english = self_attention_job(ctx, "Thinking Machines", 0, 0)
        assert english.model == ENGLISH_MODEL and english.device == "cpu" and english.encoded.tokens[0] == "[CLS]"


def _open(open_lesson, lesson_id, text):
    from viz_app.core import lessons

    if not lessons.lesson(lesson_id).ready:
        pytest.skip("lesson not enabled")
    return open_lesson(lesson_id, text)


def test_self_attention_view(open_lesson, qtbot, tmp_path):
    view = _open(open_lesson, "self-attention", "le chat dort sur le canapé .")
    h = view.result.head
    assert view.maps["weights"].matrix.shape == (7, 7)
    assert np.allclose(view.maps["weights"].matrix, h.weights)
    assert view.maps["weights"].hover_text(0, 1).startswith("le · chat: ")
    view.select_tab("heads")
    assert view.head_view.weights.shape[0] == view.result.encoded.attention.shape[1]
    view.head_boxes[0].setChecked(False)
    assert view.head_view.enabled[0] is False
    view.select_tab("all")
    assert len(view.grid._images) == view.result.encoded.attention.shape[0]
    view.grid.cellChosen.emit(1, 2)
    assert np.allclose(view.grid_large.matrix, view.result.encoded.attention[1, 2])
    view.select_tab("neuron")
    view.query_select.setCurrentIndex(2)
    assert view.neuron_scores.cell_text(0, 0) == "le"
    view.select_tab("positions")
    assert view.pe_map.matrix.shape[1] == 256
    view.export(str(tmp_path / "pe.csv"))
    assert next(csv.reader(open(tmp_path / "pe.csv", encoding="utf-8")))[0] == "position"
    view.select_tab("parallel")
    assert view.diagram.tokens == list(view.result.encoded.tokens)
    view.diagram.choose(1, 3)
    assert view.diagram.span() == (2, 4)
    before = view.last_request_drawn
    view.head_select.setValue(3)
    qtbot.waitUntil(lambda: view.last_request_drawn != before, timeout=30000)
    assert view.result.head.head == 2


def test_self_attention_handles_english_and_long_input(open_lesson):
    view = _open(open_lesson, "self-attention", "Thinking Machines")  # English: the bundled BERT's numbers
    assert view.result.model == "bert-tiny" and "bert-tiny" in view.notice.text()
    assert view.result.encoded.tokens[0] == "[CLS]" and not view.error_banner.isVisible()
    view = _open(open_lesson, "self-attention", "le chat dort Machines")  # one unknown word: still French
    assert view.result.model != "bert-tiny" and "not in its vocabulary" in view.notice.text()
    view = _open(open_lesson, "self-attention", "je " * 600)
    assert "cut" in view.notice.text()


def test_transformer_view_steps(open_lesson, qtbot, tmp_path):
    view = _open(open_lesson, "transformer", "je suis étudiant .")
    tr = view.result
    assert "→" in view.output_label.text()
    view.select_tab("cross")
    assert view.maps["cross"].matrix.shape == (len(tr.output_tokens), len(tr.source_tokens))
    view.select_tab("step")
    assert "Step 1 of" in view.step_title.text()
    view.forward_button.click()
    assert "Step 2 of" in view.step_title.text()
    assert view.step_self.matrix.shape == (tr.decoder_attention.shape[1], 2)
    view.export(str(tmp_path / "t.csv"))
    rows = list(csv.reader(open(tmp_path / "t.csv", encoding="utf-8")))
    assert rows[0] == ["attention", "layer", "head", "query", "key", "weight"] and len(rows) > 10
    view.export(str(tmp_path / "t.png"))
