"""Training code of the four embeddings, on small corpora made here (the real runs are in the model cards)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from viz_app.core import corpus
from viz_app.core.embeddings import cooccurrence, glove, ppmi_svd, train, word2vec

TEXT = (
    "the king rules the land and the queen rules the sea .\n"
    "the man walks the dog and the woman walks the cat .\n"
    "a boy and a girl play in the park with the dog .\n"
) * 40


@pytest.fixture
def encoded(tmp_path):
    f = tmp_path / "tiny.txt"
    f.write_text(TEXT)
    return corpus.encode_corpus([f], max_size=100, min_count=1)


def test_encoding_marks_paragraph_boundaries(encoded):
    ids = encoded.ids
    assert (ids == corpus.BOUNDARY).sum() == 120  # one per line
    assert encoded.vocabulary.words[0] == "the"
    assert encoded.tokens_total == int((ids >= 0).sum())


def test_cooccurrence_counts_a_tiny_sequence_exactly():
    ids = np.array([0, 1, 2, corpus.BOUNDARY, 1, 2], dtype=np.int32)  # "a b c | b c"
    co = cooccurrence.count(ids, 3, window=2)
    dense = np.zeros((3, 3))
    dense[co.rows, co.cols] = co.values
    assert dense.tolist() == [[0, 1, 1], [1, 0, 2], [1, 2, 0]]  # the boundary stops a-b-c from reaching b-c
    harmonic = cooccurrence.count(ids, 3, window=2, weighting="harmonic")
    h = np.zeros((3, 3))
    h[harmonic.rows, harmonic.cols] = harmonic.values
    assert h[0, 2] == 0.5 and h[1, 2] == 2.0


def test_ppmi_is_positive_and_svd_has_the_asked_dimension(encoded):
    co = cooccurrence.count(encoded.ids, len(encoded.vocabulary.words), 2)
    p = ppmi_svd.ppmi(co)
    assert (p.values > 0).all()
    v = ppmi_svd.svd_vectors(p, dim=4)
    assert v.shape == (len(encoded.vocabulary.words), 4) and np.isfinite(v).all()


def test_glove_weighting_function():
    assert glove.weighting(np.array([0.0, 50.0, 100.0, 500.0]), 100, 0.75).tolist() == pytest.approx(
        [0.0, 0.5**0.75, 1.0, 1.0]
    )


def test_window_pairs_stay_inside_paragraphs():
    seq = np.array([0, 1, 2, corpus.BOUNDARY, 3, 4], dtype=np.int64)
    centres, contexts = word2vec._window_pairs(seq, 5, np.random.default_rng(0))
    segment = np.cumsum(seq == corpus.BOUNDARY)
    assert (segment[centres] == segment[contexts]).all()
    assert (seq[centres] >= 0).all() and (seq[contexts] >= 0).all()


def test_subsampling_keeps_rare_words():
    keep = word2vec.keep_probabilities(np.array([1_000_000, 10]), 1e-3)
    assert keep[1] == 1.0 and keep[0] < 0.1


@pytest.mark.parametrize("method", train.METHODS)
def test_each_method_trains_and_is_deterministic(encoded, method):
    def once():
        gen = train.train_method(method, encoded, dim=8, epochs=2, seed=3)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    v1, params = once()
    v2, _ = once()
    assert v1.shape == (len(encoded.vocabulary.words), 8) and np.isfinite(v1).all()
    assert np.allclose(v1, v2, atol=1e-5), "the same seed must give the same vectors"
    assert isinstance(params, dict)


def test_cli_trains_and_writes_a_card(tmp_path, capsys):
    from viz_app.cli import main

    f = tmp_path / "tiny.txt"
    f.write_text(TEXT)
    out = tmp_path / "out"
    code = main(
        [
            "train-embeddings",
            "--method",
            "skipgram",
            "--corpus",
            str(f),
            "--out",
            str(out),
            "--dim",
            "8",
            "--epochs",
            "1",
            "--min-count",
            "1",
            "--vocab-size",
            "100",
        ]
    )
    assert code == 0
    card = json.loads((out / "embedding-skipgram.card.json").read_text())
    assert card["dim"] == 8 and card["corpus_tokens"] == 40 * 34
    assert (out / "vocab.txt").read_text().split("\n")[0] == "the"
    assert main(["neighbors", "king", "--model", str(out / "nope.vec")]) == 2  # no such file: bad input


def test_cli_training_rejects_a_missing_corpus(tmp_path, capsys):
    from viz_app.cli import main

    assert (
        main(["train-embeddings", "--method", "cbow", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
        == 2
    )
    assert "no such file" in capsys.readouterr().err
