"""PCA, t-SNE and UMAP: fixed seeds, progress, cancellation (in-process and in a child process)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from viz_app.core.embeddings import projection
from viz_app.core.jobs import JobCancelled


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=10, size=(3, 20))
    return np.vstack([c + rng.normal(size=(100, 20)) for c in centres]).astype(np.float32)  # (300, 20)


def test_pca_matches_numpy_svd(blobs):
    p = projection.pca(blobs)
    centred = blobs - blobs.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    assert np.allclose(np.abs(p.coords), np.abs(centred @ vt[:2].T), atol=1e-3)
    assert p.explained[0] == pytest.approx(s[0] ** 2 / (s**2).sum(), rel=1e-4)


def test_tsne_is_reproducible_reports_progress_and_separates_blobs(blobs):
    seen = []
    a = projection.tsne(blobs, seed=1, report=lambda f, m="": seen.append(f))
    b = projection.tsne(blobs, seed=1)
    assert np.allclose(a.coords, b.coords)
    fractions = [f for f in seen if f is not None]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0, abs=0.02)
    labels = np.repeat([0, 1, 2], 100)
    centres = np.stack([a.coords[labels == k].mean(0) for k in range(3)])
    spread = max(a.coords[labels == k].std() for k in range(3))
    assert min(np.linalg.norm(centres[i] - centres[j]) for i in range(3) for j in range(i + 1, 3)) > 2 * spread


def test_tsne_stops_when_cancelled(blobs):
    calls = {"n": 0}

    def cancelled():
        calls["n"] += 1
        return calls["n"] > 5

    with pytest.raises(JobCancelled):
        projection.tsne(blobs, cancelled=cancelled)


def test_umap_runs_with_a_seed_and_stops_when_cancelled(blobs):
    a = projection.umap(blobs, seed=0)
    assert a.coords.shape == (300, 2) and np.isfinite(a.coords).all()
    with pytest.raises(JobCancelled):
        projection.umap(blobs, cancelled=lambda: True)


def test_child_process_relays_progress_and_is_terminated_on_cancel(blobs):
    seen = []
    result = projection.in_subprocess("tsne", blobs, report=lambda f, m="": seen.append(m))
    assert result.coords.shape == (300, 2) and any("t-SNE" in m for m in seen)
    start = time.monotonic()
    with pytest.raises(JobCancelled):
        projection.in_subprocess("umap", blobs, cancelled=lambda: time.monotonic() - start > 0.5)
    assert time.monotonic() - start < 10


def test_projection_csv_quotes_odd_words():
    p = projection.Projection("pca", np.array([[1.0, 2.0], [3.0, 4.5]], dtype=np.float32))
    assert p.to_csv(["a,b", 'say "hi"']).splitlines() == ["word,x,y", '"a,b",1,2', '"say ""hi""",3,4.5']
