"""Choosing where torch runs: Auto picks CUDA, then MPS (Apple), then the CPU.

torch is imported only inside these functions, which the worker thread calls,
so the window paints before torch has loaded.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

AUTO, CPU, CUDA, MPS = "auto", "cpu", "cuda", "mps"
CHOICES = (AUTO, CPU, CUDA, MPS)
LABELS = {AUTO: "Auto", CPU: "CPU", CUDA: "CUDA (GPU)", MPS: "MPS (Apple GPU)"}


def available_devices() -> list[str]:
    """The concrete devices this machine has, CPU always included."""
    import torch

    found = [CPU]
    try:
        if torch.cuda.is_available():
            found.append(CUDA)
    except Exception:  # noqa: BLE001 - a broken driver means no CUDA, not a crash
        pass
    try:
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            found.append(MPS)
    except Exception:  # noqa: BLE001
        pass
    return found


def resolve(choice: str, available: list[str]) -> str:
    """A menu choice -> the device to use. Unknown or absent choices fall back to the CPU."""
    if choice == AUTO:
        for device in (CUDA, MPS):
            if device in available:
                return device
        return CPU
    return choice if choice in available else CPU


def describe(device: str) -> str:
    """A label for the status bar, with the GPU's name where torch can tell it."""
    if device == CUDA:
        try:
            import torch

            return f"CUDA ({torch.cuda.get_device_name(0)})"
        except Exception:  # noqa: BLE001
            return "CUDA"
    return LABELS.get(device, device)


def is_gpu_failure(exc: BaseException, device: str) -> bool:
    """Whether an exception from a job on ``device`` should make us retry on the CPU."""
    if device == CPU:
        return False
    name = type(exc).__name__
    text = str(exc).lower()
    return (
        "cuda" in text
        or "mps" in text
        or "cublas" in text
        or "cudnn" in text
        or "out of memory" in text
        or "device-side" in text
        or name in {"OutOfMemoryError", "AcceleratorError", "CudaError"}
    )


def inference_threads() -> int:
    """The torch threads a lesson's job uses on the CPU: half the cores (one on a 2-core machine). The lessons'
    models are small: a keystroke's work is a chain of small matrix products, which more threads hand over more
    slowly than they compute (measured here: the LSTM's logits step 24 ms with 2 threads, 3.6 ms with one, while
    the window kept the other core busy), and the window's own thread keeps a core to draw on."""
    return max(1, (os.cpu_count() or 2) // 2)


@contextmanager
def cpu_threads(device: str, threads: int | None = None):
    """Run a job's torch work on the CPU with ``threads`` threads (``inference_threads()`` by default); the
    thread count comes back afterwards. Nothing happens on a GPU, or before torch has been imported."""
    torch = sys.modules.get("torch")
    wanted = threads or inference_threads()
    if device != CPU or torch is None or torch.get_num_threads() == wanted:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(wanted)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def move_loaded(loaded, device: str | None):
    """A loaded model (an object holding its torch module as ``.model`` and its place as ``.device``) moved to
    ``device`` (None: where it is); the lessons' jobs pass the worker's device. Returns it."""
    if device is not None and loaded.device != device:
        loaded.model.to(device)
        loaded.device = device
    return loaded


def warm_up(ctx) -> list[str]:
    """Job run once at start: import torch on the worker and list the devices."""
    return available_devices()


def smoke_test(ctx) -> dict:
    """A tiny torch computation on ``ctx.device``: proves the device works end to end."""
    import torch

    device = torch.device(ctx.device)
    a = torch.arange(12, dtype=torch.float32, device=device).reshape(3, 4)  # (3, 4)
    b = torch.ones(4, 2, device=device)  # (4, 2)
    c = (a @ b).cpu().tolist()  # (3, 2)
    return {"device": ctx.device, "matmul": c}
