"""Device choice and the GPU-to-CPU fallback, Qt-free. The CUDA tests run where a GPU is present."""

from __future__ import annotations

import threading

import pytest

from viz_app.core import devices
from viz_app.core.jobs import Request, execute_with_fallback


def test_auto_prefers_cuda_then_mps_then_cpu():
    assert devices.resolve("auto", ["cpu", "cuda", "mps"]) == "cuda"
    assert devices.resolve("auto", ["cpu", "mps"]) == "mps"
    assert devices.resolve("auto", ["cpu"]) == "cpu"
    assert devices.resolve("cuda", ["cpu"]) == "cpu"  # chosen but absent: the CPU
    assert devices.resolve("mps", ["cpu", "mps"]) == "mps"


def test_gpu_failures_are_recognised():
    assert devices.is_gpu_failure(RuntimeError("CUDA error: device-side assert triggered"), "cuda")
    assert devices.is_gpu_failure(RuntimeError("MPS backend out of memory"), "mps")
    assert not devices.is_gpu_failure(ValueError("bad input"), "cuda")
    assert not devices.is_gpu_failure(RuntimeError("CUDA error"), "cpu")


def test_fallback_reruns_on_the_cpu_and_says_so():
    messages = []

    def job(ctx):
        if ctx.device == "cuda":
            raise RuntimeError("CUDA error: an illegal memory access was encountered")
        return ctx.device

    outcome = execute_with_fallback(Request("c", job), "cuda", None, on_fallback=messages.append)
    assert outcome.value == "cpu" and outcome.device == "cpu"
    assert "failed on CUDA" in messages[0]


def test_ordinary_errors_are_not_retried():
    calls = []

    def job(ctx):
        calls.append(ctx.device)
        raise ValueError("empty input")

    outcome = execute_with_fallback(Request("c", job), "cuda", None)
    assert outcome.error == "empty input" and calls == ["cuda"]


def test_smoke_test_on_the_cpu():
    outcome = execute_with_fallback(Request("c", devices.smoke_test), "cpu", None)
    assert outcome.value["matmul"] == [[6.0, 6.0], [22.0, 22.0], [38.0, 38.0]]


def _has_cuda() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except Exception:  # noqa: BLE001
        return False


cuda = pytest.mark.skipif(not _has_cuda(), reason="needs a CUDA GPU")


@cuda
def test_cuda_is_found_and_auto_picks_it():
    available = devices.available_devices()
    assert "cuda" in available
    assert devices.resolve("auto", available) == "cuda"
    assert devices.describe("cuda").startswith("CUDA (")


@cuda
def test_jobs_run_on_cuda_from_a_worker_thread():
    box = {}

    def work():
        box["outcome"] = execute_with_fallback(Request("c", devices.smoke_test), "cuda", None)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    outcome = box["outcome"]
    assert outcome.error is None, outcome.details
    assert outcome.device == "cuda" and outcome.value["device"] == "cuda"
    assert outcome.value["matmul"] == [[6.0, 6.0], [22.0, 22.0], [38.0, 38.0]]


@cuda
def test_a_real_cuda_out_of_memory_falls_back_to_the_cpu():
    import torch

    messages = []

    def job(ctx):
        x = torch.empty(2**42, device=ctx.device) if ctx.device == "cuda" else torch.ones(3)  # 16 TiB on the GPU
        return float(x.sum())

    outcome = execute_with_fallback(Request("c", job), "cuda", None, on_fallback=messages.append)
    assert outcome.device == "cpu" and outcome.value == 3.0
    assert messages and "CUDA" in messages[0]
