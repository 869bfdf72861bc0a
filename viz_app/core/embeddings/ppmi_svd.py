"""Counting-based embedding: co-occurrence counts -> positive PMI -> truncated SVD.

PPMI(i, j) = max(0, log P(i, j) / (P(i) P_a(j))), with the context distribution
smoothed by alpha = 0.75 (Levy, Goldberg & Dagan 2015). The vectors are
U_d * sqrt(S_d) from a randomised truncated SVD (torch.svd_lowrank).
"""

from __future__ import annotations

import numpy as np

from viz_app.core.embeddings.cooccurrence import Cooccurrence


def ppmi(co: Cooccurrence, alpha: float = 0.75) -> Cooccurrence:
    row_sum = np.bincount(co.rows, weights=co.values, minlength=co.size)  # (V,)
    col_sum = np.bincount(co.cols, weights=co.values, minlength=co.size) ** alpha  # (V,) smoothed
    total = co.values.sum()
    pmi = np.log(co.values * (col_sum.sum() / total) * total / (row_sum[co.rows] * col_sum[co.cols]))
    keep = pmi > 0
    return Cooccurrence(rows=co.rows[keep], cols=co.cols[keep], values=pmi[keep], size=co.size)


def svd_vectors(matrix: Cooccurrence, dim: int = 100, seed: int = 0, niter: int = 6) -> np.ndarray:
    import torch

    torch.manual_seed(seed)
    indices = torch.from_numpy(np.vstack([matrix.rows, matrix.cols]).astype(np.int64))
    sparse = torch.sparse_coo_tensor(
        indices, torch.from_numpy(matrix.values.astype(np.float32)), (matrix.size, matrix.size), check_invariants=False
    ).coalesce()  # (V, V)
    u, s, _ = torch.svd_lowrank(sparse, q=dim + 20, niter=niter)  # u (V, q), s (q,)
    vectors = u[:, :dim] * s[:dim].sqrt()  # (V, dim) eigenvalue weighting p = 0.5
    return vectors.numpy().astype(np.float32)
