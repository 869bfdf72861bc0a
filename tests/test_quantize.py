"""int8 storage with per-row scales: small files, numbers within half a step of the originals."""

from __future__ import annotations

import numpy as np
import torch

from viz_app.core.quantize import dequantize, dequantize_numpy, quantize


def test_roundtrip_is_within_half_a_step_per_row():
    torch.manual_seed(0)
    state = {"w": torch.randn(300, 64) * torch.linspace(0.01, 5, 300)[:, None], "b": torch.randn(64)}
    saved = quantize(state)
    assert saved["w.int8"].dtype == torch.int8 and saved["b"].dtype == torch.float16
    back = dequantize(saved)
    assert set(back) == {"w", "b"}
    step = state["w"].abs().amax(1) / 127
    assert torch.all((back["w"] - state["w"]).abs() <= step[:, None] / 2 + 1e-6)
    numpy_back = dequantize_numpy({k: v.numpy() for k, v in saved.items()})
    assert np.allclose(numpy_back["w"], back["w"].numpy())


def test_plain_float_files_load_unchanged():
    state = {"w": torch.randn(4, 4).half()}
    assert torch.equal(dequantize(state)["w"], state["w"].float())
