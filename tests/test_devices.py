"""Device choice, the GPU-to-CPU fallback, and every lesson job on the chosen device (each reports where it ran,
and its models are there). The CUDA tests run where a GPU is present."""

from __future__ import annotations

import tempfile
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


def test_jobs_on_the_cpu_use_the_inference_threads_and_give_them_back():
    import torch

    before = torch.get_num_threads()
    with devices.cpu_threads("cpu", 1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with devices.cpu_threads("cuda", 1):  # a GPU job leaves the CPU threads alone
        assert torch.get_num_threads() == before
    assert devices.inference_threads() >= 1


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


# --- every lesson's jobs on the chosen device ----------------------------------------------------------------
# One call of each job the lesson table (viz_app.qt.lessons.LESSONS) names: (job, args, kwargs). A job that
# needs an earlier result gets it from a function of the context.


def _trained(ctx) -> str:
    """A Learn session trained for 5 steps on ctx.device (for the jobs that read the model it trains)."""
    from viz_app.core.jobs import finish
    from viz_app.core.lessons import learn

    key = f"device-check-learned-{ctx.device}"
    finish(learn.learn_chunk_job(ctx, key, {"width": 16, "heads": 2, "batch": 8, "test_size": 16}, 5, reset=True))
    return key


def _calls():
    from viz_app.core.lessons import generative as gen
    from viz_app.core.lessons import lm
    from viz_app.core.lessons import lstm as lstm_lesson
    from viz_app.core.lessons import seq2seq as s2s
    from viz_app.core.lm.probes import Sampling

    top40 = Sampling(1.0, 40, 1.0)
    french = "je suis étudiant ."
    live = {"steps": 10, "every": 5, "delay_s": 0.0}
    return {
        "classify_job": (gen.FEATURED, "a wonderful film, I loved it"),
        "author_job": ("床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",),
        "generate_job": (lm.GPT, "once upon a time", 5, top40, 0),
        f"{lm.__name__}:generate_job": (lm.GPT, "once upon a time", 5, top40, 0),
        "embedding_job": ("embedding-skipgram", "the king and the queen", "pca"),
        "neighbors_job": ("embedding-skipgram", "king"),
        "analogy_job": ("embedding-skipgram", "man", "woman", "king"),
        "live_job": ("the cat sat on the mat .\nthe dog sat on the log .", "cbow", 2, None, live),
        "ratio_job": ("boy", "girl", ["he", "she", "toys", "thought"]),
        "projection_job": ("embedding-skipgram", "pca"),
        "bow_lesson_job": ("dog bites man\nman bites dog", "cosine"),
        "toy_rnn_job": (((1, 1), (1, 1), (2, 2)), False),
        "lstm_lesson_job": ("the little girl went to the park with her mom",),
        "lstm_part_job": (
            lambda ctx: lstm_lesson.lstm_lesson_job(ctx, "the little girl went to the park", ()),
            "chain",
        ),
        "lstm:generate_job": ("once upon a time", 5, 1.0, 0),
        "seq2seq_lesson_job": (s2s.ATTENTION_MODEL, french, (), 3),
        "seq2seq_part_job": (lambda ctx: s2s.seq2seq_lesson_job(ctx, s2s.ATTENTION_MODEL, french, (), 3, ()), "beam"),
        "self_attention_job": ("le chat dort sur le canapé .", 1, 2),
        "sagan_job": ([3, 7], 5),
        "transformer_job": ("transformer", french),
        "fill_mask_job": (lm.BERT, "the little girl [MASK] to the park", 10),
        "attention_job": (lm.BERT, "the little girl went to the park"),
        "contextual_job": (lm.BERT, list(lm.AMBIGUOUS_SENTENCES[:2]), lm.AMBIGUOUS_WORD, lm.CONTEXT_LAYER),
        "compare_job": (lm.BERT, lm.GPT, "the little girl went to the park"),
        "viz_app.core.lessons.generative:compare_classifiers_job": ("a wonderful film, I loved it",),
        "next_token_job": (lm.GPT, "once upon a time", top40, 20),
        "logit_lens_job": (lm.GPT, "once upon a time"),
        "viz_app.core.lm.poem:poem_stream_job": (lm.GPT_TANG, "床前", "5x4", "", top40, 0),
        "viz_app.core.lm.kv_trace:kv_cache_job": (lm.GPT, "once upon a time", 5, top40, 0),
        "viz_app.core.lm.branches:typed_job": (lm.GPT, "once upon a time"),
        "learned_attention_job": (_trained, "1 2 3 | 3 2 1", 0, 1),
        "viz_app.core.lessons.learn:save_job": (_trained, lambda _ctx: tempfile.mkdtemp(prefix="viz-learn-")),
        "viz_app.core.lessons.learn:learn_chunk_job": (
            "device-check",
            {"width": 16, "heads": 2, "batch": 8, "test_size": 16},
            5,
            {"reset": True},
        ),
        "viz_app.core.explain:explain_all_job": (lm.BERT, "the little girl [MASK] to the park"),
        "viz_app.core.lm.branches:branch_job": (lm.GPT, "once upon a time", (), 5, "beam", top40, 0),
        "viz_app.core.ablation.scan:ablated_prediction_job": (lm.GPT, "once upon a time", ((0, 1), (2, 3)), "mean"),
        "viz_app.core.ablation.scan:head_scan_job": (lm.GPT, "once upon a time", "zero"),
    }


def _lesson_jobs():
    """(lesson id, job name as the table writes it, key of _calls) for every job of every lesson."""
    from viz_app.qt.lessons import LESSONS

    out = []
    for lesson_id, entry in LESSONS.items():
        for job in entry.jobs:
            key = "lstm:generate_job" if lesson_id == "lstm" and job == "generate_job" else job
            out.append((lesson_id, job, key))
    return out


def test_every_job_of_the_lesson_table_has_a_device_check():
    calls = _calls()
    missing = [(lesson, job) for lesson, job, key in _lesson_jobs() if key not in calls]
    assert not missing


def _torch_modules(obj, depth: int = 0):
    """The torch modules a cached model holds (itself, or its attributes, two levels down)."""
    import torch

    if isinstance(obj, torch.nn.Module):
        yield obj
    elif depth < 2 and hasattr(obj, "__dict__"):
        for value in vars(obj).values():
            yield from _torch_modules(value, depth + 1)


def run_lesson_job(lesson_id: str, job: str, key: str, device: str, store):
    from viz_app.core.jobs import JobContext, Request, execute
    from viz_app.qt.lessons import LESSONS

    entry = LESSONS[lesson_id]
    fn = entry.job_functions()[entry.jobs.index(job)]
    args = list(_calls()[key])
    kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
    ctx = JobContext(request=Request("t", fn), device=device, models=store)
    args = [a(ctx) if callable(a) else a for a in args]
    outcome = execute(JobContext(request=Request("t", fn, tuple(args), kwargs), device=device, models=store))
    assert outcome.error is None, outcome.details
    return outcome


def _check_on(device: str, lesson_id: str, job: str, key: str, store) -> None:
    outcome = run_lesson_job(lesson_id, job, key, device, store)
    value = outcome.value
    assert outcome.device == device
    if hasattr(value, "device"):  # the result says where it was computed
        assert value.device == device, (job, value.device)
    for name in store.names():  # and every torch model the job used is there
        for module in _torch_modules(store.peek(name)):
            wrong = {p.device.type for p in module.parameters()} - {device}
            assert not wrong, (job, name, wrong)


@pytest.mark.parametrize(("lesson_id", "job", "key"), _lesson_jobs(), ids=lambda v: str(v))
def test_each_lesson_job_runs_and_reports_the_cpu(lesson_id, job, key):
    from viz_app.core.registry import ModelStore

    _check_on("cpu", lesson_id, job, key, ModelStore())


@cuda
@pytest.mark.parametrize(("lesson_id", "job", "key"), _lesson_jobs(), ids=lambda v: str(v))
def test_each_lesson_job_runs_on_cuda(lesson_id, job, key):
    from viz_app.core.registry import ModelStore

    _check_on("cuda", lesson_id, job, key, ModelStore())
