"""Weights stored as 8-bit integers with one scale per row, to keep the bundled models small.

A float matrix W (rows x columns) is stored as ``NAME.int8`` = round(W / s) with
s = max|W_row| / 127 per row (``NAME.scale``, float32), so each number is off by at most s/2.
Vectors and small tensors stay float16. :func:`dequantize` turns either form back into float32
tensors with the original names; a file written without quantisation loads unchanged.
"""

from __future__ import annotations

import numpy as np

INT8_SUFFIX = ".int8"
SCALE_SUFFIX = ".scale"
MIN_NUMBERS = 4096  # smaller tensors are not worth quantising


def quantize(state: dict) -> dict:
    """``{name: torch tensor}`` -> tensors to save: int8 + per-row scales for matrices, float16 otherwise."""
    import torch

    out = {}
    for name, value in state.items():
        w = value.detach().float().cpu()
        if w.ndim >= 2 and w.numel() >= MIN_NUMBERS:
            rows = w.reshape(w.shape[0], -1)
            scale = rows.abs().amax(dim=1).clamp(min=1e-12) / 127.0  # (rows,)
            q = torch.round(rows / scale[:, None]).clamp(-127, 127).to(torch.int8)
            out[name + INT8_SUFFIX] = q.reshape(w.shape).contiguous()
            out[name + SCALE_SUFFIX] = scale.contiguous()
        else:
            out[name] = w.half().contiguous()
    return out


def quantize_numpy(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """:func:`quantize` for numpy arrays (the word embeddings are trained and stored without torch)."""
    out = {}
    for name, value in arrays.items():
        w = np.asarray(value, dtype=np.float32)
        if w.ndim >= 2 and w.size >= MIN_NUMBERS:
            rows = w.reshape(w.shape[0], -1)
            scale = np.maximum(np.abs(rows).max(axis=1), 1e-12) / 127.0
            q = np.clip(np.round(rows / scale[:, None]), -127, 127).astype(np.int8)
            out[name + INT8_SUFFIX] = np.ascontiguousarray(q.reshape(w.shape))
            out[name + SCALE_SUFFIX] = scale.astype(np.float32)
        else:
            out[name] = w.astype(np.float16)
    return out


def dequantize(tensors: dict) -> dict:
    """Saved tensors (quantised or not) -> ``{name: float32 tensor}``."""
    out = {}
    for name, value in tensors.items():
        if name.endswith(SCALE_SUFFIX):
            continue
        if name.endswith(INT8_SUFFIX):
            base = name[: -len(INT8_SUFFIX)]
            scale = tensors[base + SCALE_SUFFIX].float()
            shape = (scale.shape[0],) + (1,) * (value.ndim - 1)
            out[base] = value.float() * scale.reshape(shape)
        else:
            out[name] = value.float()
    return out


def dequantize_numpy(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same for numpy arrays (the registry's checks read files without torch)."""
    out = {}
    for name, value in arrays.items():
        if name.endswith(SCALE_SUFFIX):
            continue
        if name.endswith(INT8_SUFFIX):
            base = name[: -len(INT8_SUFFIX)]
            scale = arrays[base + SCALE_SUFFIX].astype(np.float32)
            out[base] = value.astype(np.float32) * scale.reshape((-1,) + (1,) * (value.ndim - 1))
        else:
            out[name] = value.astype(np.float32)
    return out
