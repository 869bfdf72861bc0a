"""Projecting vectors to 2D for the scatter views.

PCA is exact and instant (an SVD of the centred matrix); t-SNE and UMAP, which
run in the background with a progress bar, come in a later version.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Projection:
    method: str
    coords: np.ndarray  # (N, 2) float32
    explained: tuple[float, float] | None = None  # PCA: share of the variance on each axis

    def to_csv(self, words) -> str:
        lines = ["word,x,y"]
        for w, (x, y) in zip(words, self.coords, strict=True):
            quoted = '"' + w.replace('"', '""') + '"' if ("," in w or '"' in w) else w
            lines.append(f"{quoted},{x:.6g},{y:.6g}")
        return "\n".join(lines) + "\n"


def pca(vectors: np.ndarray, dims: int = 2) -> Projection:
    x = np.asarray(vectors, dtype=np.float32)  # (N, D)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError("PCA needs at least two vectors")
    centred = x - x.mean(axis=0, keepdims=True)
    # The top right-singular vectors of the centred data are the principal axes.
    cov = centred.T @ centred  # (D, D): cheaper than an SVD of (N, D) when N >> D
    eigvals, eigvecs = np.linalg.eigh(cov.astype(np.float64))
    order = np.argsort(eigvals)[::-1][:dims]
    axes = eigvecs[:, order].astype(np.float32)  # (D, dims)
    # A fixed sign per axis, so the picture does not flip between runs.
    axes *= np.sign(axes[np.argmax(np.abs(axes), axis=0), np.arange(dims)])
    coords = centred @ axes  # (N, dims)
    total = float(eigvals.sum())
    explained = tuple(float(eigvals[i] / total) for i in order) if total > 0 else None
    return Projection("pca", coords.astype(np.float32), explained)
