"""The word-embedding lesson through its real widgets, and the bundled embeddings' quality."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from viz_app.core.embeddings import live
from viz_app.core.embeddings.word_vectors import evaluate_analogies, evaluate_similarity, load_registered
from viz_app.core.lessons import word_embedding as embedding_lesson
from viz_app.core.registry import ModelStore, Registry

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def registry():
    return Registry()


@pytest.mark.parametrize("name", embedding_lesson.MODELS)
def test_bundled_embedding_matches_its_card(registry, name):
    """The card's scores are what the shipped vectors give on tests/data (recomputed here)."""
    status = registry.status(name)
    assert status.status == "ok", status.problems
    wv = load_registered(registry, name)
    assert len(wv.words) == 20000 and wv.dim == 100
    metrics = status.card.metrics
    a = evaluate_analogies(wv, DATA / "analogies.txt")
    s = evaluate_similarity(wv, DATA / "similarity.tsv")
    assert a.top1 == pytest.approx(metrics["analogy"]["top1"], abs=2e-4)
    assert a.top5 == pytest.approx(metrics["analogy"]["top5"], abs=2e-4)
    assert s.spearman == pytest.approx(metrics["similarity"]["spearman"], abs=2e-4)


@pytest.mark.parametrize("name", ["embedding-skipgram", "embedding-cbow"])
def test_prediction_models_answer_queen(registry, name):
    answers = [w for w, _ in load_registered(registry, name).analogy("man", "woman", "king", 3)]
    assert "queen" in answers


def test_all_embeddings_share_one_vocabulary(registry):
    vocabularies = {load_registered(registry, name).words for name in embedding_lesson.MODELS}
    assert len(vocabularies) == 1


def test_lesson_probe_marks_unknown_words():
    result = embedding_lesson.lesson_probe(ModelStore(), "embedding-ppmi-svd", "The king 😀 zzzqqq 我")
    assert result.coords.shape == (20000, 2)
    assert result.sentence.tokens[:2] == ("the", "king")
    assert result.sentence.unknown == ["😀", "zzzqqq", "我"]
    assert np.all(result.sentence.dense[2:] == 0)
    data = result.to_json()
    assert data["sentence"][1]["index"] == result.words.index("king")


def test_ratio_table_from_the_shipped_counts():
    from viz_app.core.embeddings import ratio

    table = ratio.bundled_table(ModelStore())
    result = ratio.ratio_table(table, "king", "queen", ["he", "she", "zzzqqq"])
    p_he_king, p_she_king = result.p1[0], result.p1[1]
    assert 0 < p_he_king < 1 and 0 < p_she_king < 1
    assert result.ratio[0] > result.ratio[1]  # "he" goes with king more than with queen, "she" the other way
    assert result.p1[2] is None and any("zzzqqq" in n for n in result.notes)


def test_default_ratio_pair_shows_the_lectures_pattern():
    """The pair the tab opens on: one ratio large, one small, two near 1, each from dozens of sightings."""
    from viz_app.core.embeddings import ratio

    table = ratio.bundled_table(ModelStore())
    assert table.window == ratio.WINDOW and table.tokens > 5_000_000
    result = ratio.ratio_table(table, *ratio.DEFAULT_PAIR, list(ratio.DEFAULT_PROBES))
    assert result.pattern() == ("large", "small", "near 1", "near 1")
    assert min(result.c1 + result.c2) >= 24
    for p, c, total in ((result.p1, result.c1, result.totals[0]), (result.p2, result.c2, result.totals[1])):
        assert all(abs(x - n / total) < 1e-12 for x, n in zip(p, c, strict=True))  # P(k|w) = X_wk / X_w
    # The lecture's own table reads the same way; in this corpus ice/steam is mostly too rare.
    assert ratio.lecture_table().pattern() == ("large", "small", "near 1", "near 1")
    lecture = ratio.ratio_table(table, ratio.LECTURE["word1"], ratio.LECTURE["word2"], list(ratio.LECTURE["probes"]))
    assert sum(r is None for r in lecture.ratio) >= 2
    assert json.loads(json.dumps(result.to_json()))["rows"][0]["counts"] == [result.c1[0], result.c2[0]]


def test_counts_file_is_small_and_round_trips():
    """The bundled counts stay a few MB; a table keeps its window and token count through its tensors."""
    from viz_app.core.embeddings import cooccurrence, ratio

    table = ratio.bundled_table(ModelStore())
    registry = Registry()
    assert registry.verified_path(ratio.MODEL_NAME, 0).stat().st_size < 8_000_000
    small = cooccurrence.count(np.array([0, 1, 2, 0, -1, 1, 1]), 3, window=10)
    t = ratio.CooccurrenceTable.from_cooccurrence(["a", "b", "c"], small, 10, tokens=6)
    assert t.row_totals.sum() == small.values.sum() and t.tokens == 6
    assert ratio.CooccurrenceTable.from_tensors(t.words, t.tensors()).tokens == 6
    assert len(table.words) == len(table.row_totals) == 20000


def test_cli_with_bundled_names(capsys):
    from viz_app.cli import main

    assert main(["neighbors", "king", "--model", "embedding-skipgram", "--k", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["neighbors"]) == 5
    assert main(["cooccur-ratio", "ice", "steam", "solid", "gas", "water", "fashion", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["k"] for r in rows] == ["solid", "gas", "water", "fashion"]


def test_project_writes_csv(tmp_path, capsys):
    from viz_app.cli import main

    out = tmp_path / "coords.csv"
    assert main(["project", "--model", "embedding-glove", "--method", "pca", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "word,x,y" and len(lines) == 20001


# --- the jobs, called as the worker calls them ------------------------------------------------------


def _cpu(fn, *args, store=None, **kwargs):
    """The context the worker hands ``fn`` on the CPU (``args`` and ``kwargs``: the request's, for ``execute``)."""
    from viz_app.core.jobs import JobContext, Request

    request = Request("t", fn, args, kwargs)
    return JobContext(request=request, device="cpu", models=store if store is not None else ModelStore())


def test_jobs_return_frozen_results_that_record_the_cpu():
    import dataclasses

    from viz_app.core.embeddings import ratio

    store = ModelStore()
    model = "embedding-skipgram"
    result = embedding_lesson.embedding_job(_cpu(embedding_lesson.embedding_job, store=store), model, "the king", "pca")
    assert isinstance(result, embedding_lesson.EmbeddingLessonResult) and result.device == "cpu"
    assert result.coords.shape == (20000, 2) and result.sentence.tokens == ("the", "king")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.device = "cuda"

    near = embedding_lesson.neighbors_job(_cpu(embedding_lesson.neighbors_job, store=store), model, "king")
    assert isinstance(near, embedding_lesson.Neighbors) and near.device == "cpu"
    assert near.word == "king" and [w for w, _ in near.neighbors] == [
        w for w, _ in embedding_lesson.neighbors_probe(store, model, "king", 10)
    ]

    analogy = embedding_lesson.analogy_job(
        _cpu(embedding_lesson.analogy_job, store=store), model, "man", "woman", "king"
    )
    assert isinstance(analogy, embedding_lesson.Analogy) and analogy.device == "cpu"
    assert analogy.words == ("man", "woman", "king") and len(analogy.answers) == 5
    assert "queen" in [w for w, _ in analogy.answers[:3]]
    wv = embedding_lesson.vectors(store, model)
    assert analogy.ids == tuple(wv.words.index(w) for w in ("man", "woman", "king", analogy.answers[0][0]))
    u = wv.vectors[analogy.ids[1]] - wv.vectors[analogy.ids[0]]
    v = wv.vectors[analogy.ids[3]] - wv.vectors[analogy.ids[2]]
    assert analogy.offset_cosine == pytest.approx(float(u @ v / np.linalg.norm(u) / np.linalg.norm(v)), abs=1e-6)

    table = embedding_lesson.ratio_job(
        _cpu(embedding_lesson.ratio_job, store=store), *ratio.DEFAULT_PAIR, list(ratio.DEFAULT_PROBES)
    )
    assert isinstance(table, ratio.RatioTable) and table.device == "cpu"
    assert table.pattern() == ("large", "small", "near 1", "near 1")

    projection = embedding_lesson.projection_job(_cpu(embedding_lesson.projection_job, store=store), model, "pca")
    assert projection.device == "cpu" and projection.coords.shape == (20000, 2)


def test_live_job_trains_on_the_cpu():
    """Driven by ``execute`` as the worker drives it: every snapshot and the result say where it trained."""
    import threading

    from viz_app.core.jobs import execute

    reported = []
    text = "the cat sat on the mat .\nthe dog sat on the log ."
    ctx = _cpu(embedding_lesson.live_job, text, "cbow", 2, threading.Event(), steps=10, every=5, delay_s=0.0)
    ctx.report = reported.append
    outcome = execute(ctx)
    assert outcome.error is None, outcome.details
    snap = outcome.value
    assert isinstance(snap, live.LiveSnapshot) and snap.device == "cpu"
    assert snap.step == snap.steps == 10 and len(snap.losses) == 10 and snap.coords.shape == (len(snap.words), 2)
    assert [p.data.step for p in reported] == [0, 5, 10] and {p.data.device for p in reported} == {"cpu"}


# --- the view ---------------------------------------------------------------------------------


@pytest.fixture
def view(open_lesson):
    return open_lesson("word-embedding", "the king and the queen 😀")


def test_view_shows_the_vocabulary_and_the_sentence(view):
    assert not view.error_banner.isVisible(), view.error_banner.text()
    assert len(view.scatter.words) == 20000
    table = view.onehot_table
    assert table.cell_text(1, 0) == "king" and table.cell_text(1, 1) == str(view.scatter.words.index("king"))
    assert table.cell_text(5, 1) == "unknown"
    assert "Not in the vocabulary: 😀" in view.onehot_note.text()
    # The dense column is not cut off: it takes the width left and its numbers fit in it.
    view.tabs.setCurrentIndex(0)
    fm = table.fontMetrics()
    assert table.horizontalScrollBar().maximum() == 0
    assert all(table.columnWidth(3) >= fm.horizontalAdvance(table.cell_text(r, 3)) for r in range(4))
    assert all(table.cell_text(r, 3).startswith("[") and table.cell_text(r, 3).endswith(", …]") for r in range(4))


def test_view_neighbours_analogy_and_ratio(qtbot, view):
    assert "Red: the words you typed." in view.caption.text()
    view.select_word("king")
    qtbot.waitUntil(lambda: view.neighbor_table.rowCount() == 10, timeout=10000)
    assert "Red: “king” and its 10 nearest neighbours." in view.caption.text()  # red now marks the neighbours
    assert "the words you typed" not in view.caption.text()
    view.run_analogy()  # man : woman :: king : ?
    qtbot.waitUntil(lambda: view.analogy_table.rowCount() == 5, timeout=10000)
    top3 = [view.analogy_table.cell_text(r, 0) for r in range(3)]
    assert "queen" in top3
    assert len(view.scatter._arrows) == 4  # two lines, two heads
    assert "Red: man, woman, king and the answer" in view.caption.text()
    qtbot.waitUntil(lambda: view.ratio_table.rowCount() == 4, timeout=10000)  # counted when the view opens
    assert [view.ratio_table.cell_text(r, 0) for r in range(4)] == ["he", "she", "toys", "thought"]
    assert view.ratio_table.cell_text(0, 1).endswith("large") and "Why boy and girl" in view.ratio_notes.text()
    assert view.lecture_ratio_table.cell_text(0, 1).startswith("8.9,")  # the published numbers, beside the corpus's
    view.ratio_lecture_button.click()
    qtbot.waitUntil(lambda: view.ratio_table.cell_text(2, 0) == "water", timeout=10000)
    assert view.ratio_table.cell_text(0, 2) == "too rare" and "2,030 co-occurrences" in view.ratio_notes.text()


def test_view_switches_models_and_opens_a_file(qtbot, view, tmp_path):
    good = tmp_path / "mine.vec"
    good.write_text("2 3\nking 1 0 0\nqueen 0.9 0.1 0\n")
    view.add_vectors_file(str(good))
    qtbot.waitUntil(lambda: len(view.scatter.words) == 2, timeout=10000)
    bad = tmp_path / "broken.vec"
    bad.write_text("king 1 0 0\nqueen 1 0\n")
    view.add_vectors_file(str(bad))
    qtbot.waitUntil(lambda: view.error_banner.isVisible(), timeout=10000)
    assert "broken.vec:2" in view.error_banner.text()
    view.model_select.setCurrentIndex(view.model_select.findData("embedding-glove"))
    qtbot.waitUntil(lambda: not view.error_banner.isVisible() and len(view.scatter.words) == 20000, timeout=20000)


def test_view_exports_png_svg_csv(view, tmp_path):
    for name in ("map.png", "map.svg", "map.csv"):
        view.export(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "map.csv").read_text().splitlines()[0] == "word,x,y"


def test_side_by_side_maps_are_linked(qtbot, view):
    assert not view.scatter.plot_item.titleLabel.text  # alone, the caption names the model
    view.compare_switch.setChecked(True)
    qtbot.waitUntil(lambda: len(view.compare_scatter.words) == 20000, timeout=20000)
    assert view.compare_scatter.isVisible()
    assert "Skip-gram" in view.scatter.plot_item.titleLabel.text  # side by side, each map is titled
    assert "PPMI" in view.compare_scatter.plot_item.titleLabel.text
    view.compare_scatter.wordClicked.emit("queen")  # a click in the second map selects in both
    qtbot.waitUntil(
        lambda: view.neighbor_table.columnCount() == 4 and view.neighbor_table.rowCount() == 10, timeout=10000
    )
    queen_a = view.scatter.words.index("queen")
    queen_b = view.compare_scatter.words.index("queen")
    assert tuple(view.scatter.highlight.data["x"][:1]) == (view.scatter.coords[queen_a, 0],)
    assert tuple(view.compare_scatter.highlight.data["x"][:1]) == (view.compare_scatter.coords[queen_b, 0],)


def test_view_tsne_in_the_background_and_umap_cancelled(qtbot, view, tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "small.vec"
    path.write_text("\n".join(f"w{i} " + " ".join(f"{x:.4f}" for x in rng.normal(size=10)) for i in range(200)))
    view.add_vectors_file(str(path))
    qtbot.waitUntil(lambda: len(view.scatter.words) == 200, timeout=10000)
    window = view.window()
    view.method_select.setCurrentIndex(view.method_select.findData("tsne"))
    assert view.result is None or view.result.method in ("pca", "tsne")
    qtbot.waitUntil(lambda: view.result is not None and view.result.method == "tsne", timeout=120000)
    assert "by t-SNE" in view.caption.text()
    view.method_select.setCurrentIndex(view.method_select.findData("umap"))
    qtbot.waitUntil(lambda: window.cancel_button.isVisible(), timeout=10000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.method == "pca" and not window.progress.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: not window.service.is_busy("word-embedding:projection"), timeout=15000)


def test_live_training_moves_points_and_can_pause_and_stop(qtbot, view):

    view.tabs.setCurrentIndex(view.tabs.count() - 1)
    assert view.live_loss.height() >= 150  # a loss curve one can read, not a 30-pixel strip
    snapshots = []  # every snapshot the worker sent (a busy machine may deliver them all at once)
    view.service.progressChanged.connect(
        lambda channel, _rid, p: snapshots.append(p.data) if channel.endswith(":live") and p.data else None
    )
    qtbot.mouseClick(view.live_start, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(view.live_scatter.words) > 10, timeout=60000)  # the first job imports torch
    qtbot.waitUntil(lambda: view.live_status.text().startswith("Done"), timeout=90000)  # a busy machine is slow
    first = snapshots[0].coords
    assert snapshots[0].step == 0
    losses = view.live_loss_curve.getData()[1]
    assert len(losses) == 300 and losses[-1] < losses[0]
    assert not np.allclose(first, view.live_scatter.coords), "the points should have moved"
    # Pause is offered while it trains (that it holds training is test_live_training_holds_while_paused); Stop
    # ends it.
    qtbot.mouseClick(view.live_start, Qt.LeftButton)
    qtbot.waitUntil(lambda: "step" in view.live_status.text(), timeout=10000)
    assert view.live_pause.isEnabled()
    view.live_pause.setChecked(True)
    qtbot.mouseClick(view.live_cancel, Qt.LeftButton)
    assert view.live_status.text() == "Stopped."
    qtbot.waitUntil(lambda: not view.service.is_busy("word-embedding:live"), timeout=10000)
    with pytest.raises(ValueError, match="at least two words"):
        live.training_pairs("one\n\n", "cbow")


def test_live_training_holds_while_paused():
    """No step is taken while ``paused()`` says so: the trainer asks again (and sleeps) until it is released."""
    asked = []

    def paused() -> bool:
        asked.append(len(asked))
        return len(asked) <= 5  # held for the first five questions, then released

    gen = live.train_live("the cat sat on the mat . the dog sat on the log .", "cbow", 2, steps=10, every=1,
                          delay_s=0.0, paused=paused)  # fmt: skip
    first = next(gen)  # the starting snapshot comes before any step
    assert first.data.step == 0 and asked == []
    second = next(gen)  # step 1 waits for the release
    assert second.data.step == 1 and len(asked) == 6 and len(second.data.losses) == 1
    rest = list(gen)
    assert [p.data.step for p in rest] == list(range(2, 11)) and len(asked) == 15  # asked once a step after that


def _no_two_overlap(rects) -> bool:
    return not any(a.intersects(b) for k, a in enumerate(rects) for b in rects[k + 1 :])


def test_scatter_labels_never_overlap(qtbot):
    """Crowded words: each label moves to a free side of its dot, or is dropped and shown on hover."""
    from viz_app.qt.widgets.word_scatter import WordScatter

    scatter = WordScatter()
    qtbot.addWidget(scatter)
    scatter.resize(500, 400)
    scatter.show()
    qtbot.waitExposed(scatter)
    rng = np.random.default_rng(0)
    words = [f"word{k}" for k in range(40)]
    coords = np.r_[rng.normal(0, 0.01, (20, 2)), rng.normal(0, 1, (20, 2))]  # 20 dots on one spot
    scatter.set_points(words, coords)
    scatter.set_highlight(list(range(40)))
    qtbot.waitUntil(lambda: len(scatter.label_rects()) + len(scatter.dropped) == 40, timeout=5000)  # laid out
    rects = scatter.label_rects()
    assert _no_two_overlap(rects)
    assert len(rects) + len(scatter.dropped) == 40 and len(rects) >= 4  # the four sides of the crowded spot at least
    assert scatter.dropped and all(scatter._tip(0, 0, i) == words[i] for i in scatter.dropped)
    crowded_before = 20 - sum(i < 20 for i in scatter.dropped)
    scatter.plot_item.setRange(xRange=(-0.03, 0.03), yRange=(-0.03, 0.03), padding=0)  # zoom in: room for more
    qtbot.waitUntil(lambda: 20 - sum(i < 20 for i in scatter.dropped) > crowded_before, timeout=5000)  # relabelled
    assert _no_two_overlap(scatter.label_rects())
    inside = scatter.plot_item.vb.sceneBoundingRect()
    assert all(inside.contains(r) for r in scatter.label_rects())  # no label cut at the plot's edge


def test_typed_word_labels_do_not_overlap_in_the_map(qtbot, open_lesson):
    view = open_lesson("word-embedding", "king queen man woman dog cat")
    qtbot.waitUntil(lambda: len(view.scatter.label_rects()) + len(view.scatter.dropped) == 6, timeout=10000)
    rects = view.scatter.label_rects()
    assert _no_two_overlap(rects) and len(rects) + len(view.scatter.dropped) == 6
