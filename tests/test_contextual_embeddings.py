"""BERT's Contextual embeddings tab: "fly" by sense, with the separation the caption reports, on bert-tiny."""

from __future__ import annotations

import numpy as np
import pytest

from viz_app.core import claims
from viz_app.core.lessons import lm as lesson


@pytest.fixture(scope="module")
def ctx():
    return claims.context()


def test_sense_after_a_bar_and_the_word_in_its_sentence():
    assert lesson.parse_sense("a fly sat on the food. | insect") == ("a fly sat on the food.", "insect")
    assert lesson.parse_sense("  birds fly south.  ") == ("birds fly south.", None)
    assert lesson.parse_sense("the fly | ") == ("the fly", None)
    assert lesson.context_label("the eagle began to fly away.", "fly") == "began to FLY away."
    assert lesson.context_label("fly, fly away", "fly", 1) == "fly, FLY away"


def test_default_sentences_separate_by_sense_at_the_default_layer(ctx):
    r = lesson.contextual_job(ctx, lesson.BERT, list(lesson.AMBIGUOUS_SENTENCES), "fly", lesson.CONTEXT_LAYER)
    assert r.layer == lesson.CONTEXT_LAYER and r.sense_names == ["flying", "insect"]
    assert r.senses == ["flying"] * 3 + ["insect"] * 3
    assert all("FLY" in label for label in r.labels)
    assert len(r.separation) == r.layers + 1
    # The figures on screen are the mean cosines of the matrix on screen.
    cos = r.bert_cosine
    within = np.mean([cos[a, b] for a in range(6) for b in range(a + 1, 6) if (a < 3) == (b < 3)])
    across = np.mean([cos[a, b] for a in range(3) for b in range(3, 6)])
    assert r.separation[r.layer] == pytest.approx((within, across), abs=1e-5)
    gaps = [w - a for w, a in r.separation]
    assert gaps[r.layer] == max(gaps) and gaps[r.layer] > 0.3  # the layer shown is the clearest one
    # PCA's first axis puts the two senses on opposite sides.
    assert max(r.coords[:3, 0]) < min(r.coords[3:, 0]) or min(r.coords[:3, 0]) > max(r.coords[3:, 0])


def test_unlabelled_sentences_are_plotted_but_not_counted(ctx):
    lines = [*lesson.AMBIGUOUS_SENTENCES[:2], "birds fly south in the winter.", lesson.AMBIGUOUS_SENTENCES[3]]
    r = lesson.contextual_job(ctx, lesson.BERT, lines, "fly", 2)
    assert r.senses == ["flying", "flying", None, "insect"] and len(r.coords) == 4
    assert len(r.separation) == r.layers + 1
    plain = lesson.contextual_job(ctx, lesson.BERT, [lesson.parse_sense(s)[0] for s in lines], "fly", 2)
    assert plain.separation == [] and plain.sense_names == []  # no senses given: no separation claimed
    assert np.allclose(plain.bert_cosine, r.bert_cosine)


def test_contextual_claims_can_fail(ctx):
    too_much = {"kind": "contextual_senses_separate", "word": "fly", "min_gap": 0.9}
    assert not claims.evaluate(too_much, "", ctx).ok
    wrong_figure = {"kind": "contextual_senses_separate", "word": "fly", "min_gap": 0.1, "within": 0.5}
    assert not claims.evaluate(wrong_figure, "", ctx).ok
    at_layer_1 = {"kind": "contextual_senses_separate", "word": "fly", "min_gap": 0.0, "layer": 1, "best_layer": True}
    assert not claims.evaluate(at_layer_1, "", ctx).ok


def test_ratio_claims_can_fail(ctx):
    swapped = {"kind": "ratio_pattern", "word1": "girl", "word2": "boy", "large": ["he"], "small": ["she"]}
    assert not claims.evaluate(swapped, "", ctx).ok
    common = {"kind": "ratio_too_rare", "word1": "boy", "word2": "girl", "probes": ["he", "she"], "at_least": 1}
    assert not claims.evaluate(common, "", ctx).ok
    other_pair = {"kind": "ratio_pattern", "source": "lecture", "word1": "boy", "word2": "girl", "large": ["he"]}
    assert not claims.evaluate(other_pair, "", ctx).ok


def test_the_tab_colours_by_sense_and_labels_each_point(qtbot, open_lesson):
    view = open_lesson("bert", "the little girl [MASK] to the park with her [MASK] .")
    view.drawn = False
    view.select_tab("contextual")
    qtbot.waitUntil(lambda: view.drawn and isinstance(view.result, lesson.Contextual), timeout=30000)
    assert view.ctx_layer.value() == lesson.CONTEXT_LAYER
    r = view.result
    scatter = view.ctx_scatter
    texts = [item.toPlainText() for item in scatter._labels]
    assert texts == [f"{k + 1}: {label}" for k, label in enumerate(r.labels)]
    brushes = {b.color().name() for b in scatter.highlight.data["brush"]}
    assert len(brushes) == 2  # one colour per sense
    w, a = r.separation[r.layer]
    caption = view.ctx_caption.text()
    assert f"{w:.2f}" in caption and f"{a:.2f}" in caption and "flying" in caption and "insect" in caption
    rects = scatter.label_rects()  # on a small window a label may be dropped: its dot still names it on hover
    assert len(rects) + len(scatter.dropped) == 6 and len(rects) >= 4
    assert not any(p.intersects(q) for k, p in enumerate(rects) for q in rects[k + 1 :])
    assert all(scatter._tip(0, 0, i) == scatter.words[i] for i in scatter.dropped)
