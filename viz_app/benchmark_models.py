"""The benchmark's measurements of the embeddings and the LSTM on the shared corpora, without a window: t-SNE
as the lesson runs it, scoring the LSTM validation file, and the skip-gram beside gensim's (``benchmark``
puts them in its report)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np


def measure_tsne(points: int = 10_000) -> dict:
    """t-SNE of the first ``points`` skip-gram vectors, as the lesson runs it (a child process), with the
    longest wait between two progress reports."""
    from viz_app.core.embeddings.projection import in_subprocess
    from viz_app.core.embeddings.word_vectors import load_registered
    from viz_app.core.registry import Registry

    vectors = load_registered(Registry(), "embedding-skipgram").vectors[:points]
    stamps: list[float] = []
    start = time.perf_counter()
    in_subprocess("tsne", vectors, report=lambda f, m="": stamps.append(time.perf_counter()))
    total = time.perf_counter() - start
    marks = [start, *stamps, start + total]
    return {
        "points": points,
        "seconds": round(total, 1),
        "progress_reports": len(stamps),
        "longest_gap_between_reports_s": round(max(b - a for a, b in zip(marks, marks[1:], strict=False)), 1),
    }


def measure_scoring(data_root: str = "../shared/data") -> dict:
    """Time to score the LSTM's validation split (the whole file) with the LSTM and with the bigram model."""
    from viz_app.core.lstm import probes
    from viz_app.core.registry import ModelStore

    path = Path(data_root) / "tinystories" / "tinystories_valid_first.txt"
    if not path.exists():
        return {"skipped": f"needs {path}"}
    content = path.read_text(encoding="utf-8")
    store = ModelStore()
    out = {}
    for name in (probes.LSTM_NAME, probes.BIGRAM_NAME):
        probes.get(store, name)  # loading is not part of the timing
        start = time.perf_counter()
        result = probes.score(store, name, content, limit=False)
        out[name] = {
            "seconds": round(time.perf_counter() - start, 2),
            "tokens": len(result.tokens),
            "words": result.words,
            "perplexity_per_token": round(result.perplexity, 2),
            "perplexity_per_word": round(float(np.exp(result.nll_nats / result.words)), 2),
        }
    return out


def compare_with_gensim(data_root: str = "../shared/data") -> dict:
    """The bundled skip-gram next to gensim's Word2Vec (skip-gram) trained here on the same corpus,
    vocabulary, dimension, window, negatives, subsampling and epochs. gensim is a benchmark-only tool."""
    import numpy as np

    try:
        from gensim.models import Word2Vec
    except ImportError:
        return {"skipped": "gensim is not installed (pip install gensim)"}
    from viz_app.core import corpus
    from viz_app.core.embeddings.word_vectors import (
        WordVectors,
        evaluate_analogies,
        evaluate_similarity,
        load_registered,
    )
    from viz_app.core.registry import Registry

    here = Path(__file__).resolve().parent.parent / "tests" / "data"
    if not (Path(data_root) / "gutenberg").is_dir() or not here.is_dir():
        return {"skipped": f"needs the corpus in {data_root} and a source checkout's tests/data"}
    registry = Registry()
    ours = load_registered(registry, "embedding-skipgram")
    params = registry.card("embedding-skipgram").extra.get("hyperparameters", {})
    encoded = corpus.encode_corpus(corpus.english_corpus_paths(data_root))
    words = encoded.vocabulary.words
    if tuple(words) != ours.words:
        return {"skipped": "the corpus here gives another vocabulary than the bundled model's"}
    sentences, current = [], []
    for i in encoded.ids.tolist():
        if i < 0:
            sentences.append(current)
            current = []
        else:
            current.append(words[i])
    start = time.perf_counter()
    model = Word2Vec(
        sentences,
        vector_size=ours.dim,
        window=params.get("window", 5),
        negative=params.get("negative", 5),
        sample=params.get("sample", 1e-3),
        epochs=params.get("epochs", 5),
        sg=1,
        min_count=1,
        workers=os.cpu_count() or 1,
        seed=0,
    )
    seconds = time.perf_counter() - start
    theirs = WordVectors.from_arrays(words, np.stack([model.wv[w] for w in words]))
    report = {}
    for name, wv in (("viz_app_skipgram", ours), ("gensim_skipgram", theirs)):
        a = evaluate_analogies(wv, here / "analogies.txt")
        s = evaluate_similarity(wv, here / "similarity.tsv")
        report[name] = {
            "analogy_top1": round(a.top1, 4),
            "analogy_top5": round(a.top5, 4),
            "similarity_spearman": round(s.spearman, 4),
        }
    report["gensim_training_s"] = round(seconds, 1)
    report["ratio_to_gensim"] = {
        k: round(report["viz_app_skipgram"][k] / report["gensim_skipgram"][k], 3)
        for k in ("analogy_top1", "analogy_top5", "similarity_spearman")
    }
    return report


def measure_kv_cache(tokens: int = 100, repeats: int = 3) -> dict:
    """The bundled GPTs generating ``tokens`` tokens (top-k 40, past the end-of-text token so both ways run the
    same steps) with the key/value cache and recomputing every window: tokens per second (best of ``repeats``),
    and the multiply-adds both ways, on the CPU and on a GPU when there is one."""
    import torch

    from viz_app.core.lm import kv_cache, probes
    from viz_app.core.registry import Registry

    sampling = probes.Sampling(1.0, 40)
    out: dict = {}
    for name, prompt in (("gpt-tiny", "once upon a time"), ("gpt-tang", "床前明月光，")):
        lm = probes.load(Registry(), name)
        row: dict = {}
        c = lm.model.config
        counts = kv_cache.generation_multiply_adds(c, len(lm.start_ids), len(lm.encode(prompt)), tokens)
        row["multiply_adds_with_cache"] = counts["with_cache"]
        row["multiply_adds_without_cache"] = counts["without_cache"]
        for device in ["cpu"] + (["cuda"] if torch.cuda.is_available() else []):
            lm.to(device)
            for cached in (True, False):
                kv_cache.timed_generation(lm, prompt, 5, cached, sampling, 0, stop=False)  # warm-up
                best = max(
                    kv_cache.timed_generation(lm, prompt, tokens, cached, sampling, seed, stop=False)[
                        1
                    ].tokens_per_second
                    for seed in range(repeats)
                )
                row[f"{device}_tokens_per_s_{'with' if cached else 'without'}_cache"] = round(best, 1)
            row[f"{device}_speedup"] = round(
                row[f"{device}_tokens_per_s_with_cache"] / row[f"{device}_tokens_per_s_without_cache"], 2
            )
        lm.to("cpu")
        out[name] = row
    return out


def measure_head_scan() -> dict:
    """'Which heads matter?': the time of a full scan (every head switched off alone) per model and mode."""
    from viz_app.core.ablation import scan
    from viz_app.core.jobs import JobContext, Request, finish
    from viz_app.core.registry import ModelStore

    ctx = JobContext(request=Request("benchmark", None, ()), device="cpu", models=ModelStore())
    cases = {
        "gpt-tiny": ("once upon a time there was a little", 0),
        "bert-tiny": ("the little girl [MASK] to the park.", 0),
        "transformer": ("je suis étudiant .", 1),
        "gpt-tang": ("床前明月光，疑是地上", 0),
    }
    out: dict = {}
    for name, (text, position) in cases.items():
        for mode in ("zero", "mean"):
            start = time.perf_counter()
            result = finish(scan.head_scan_job(ctx, name, text, mode, None, position))
            out[f"{name}_{mode}"] = {"heads": int(result.delta.size), "seconds": round(time.perf_counter() - start, 3)}
    return out


def measure_transformer_cache(repeats: int = 20) -> dict:
    """The French-English Transformer decoding a 10-word sentence greedily, with its decoder's key/value cache
    (``decode.greedy``) and recomputing the whole prefix at every step: median milliseconds per sentence."""
    import torch

    from viz_app.core.registry import Registry
    from viz_app.core.seq2seq import data
    from viz_app.core.transformer import probes
    from viz_app.core.transformer.decode import greedy

    tl = probes.load(Registry(), "transformer")
    ids = tl.source.encode(data.source_tokens("nous sommes allés au cinéma hier soir avec mes amis .", tl.task))
    model = tl.model.eval()

    def recomputed():
        with torch.no_grad():
            memory, mask = model.encode(torch.tensor([ids]))
            out = [tl.target.start]
            for _ in range(2 * len(ids) + 2):
                logits = model.decode(torch.tensor([out]), memory, mask, last_only=True)[0, -1]
                word = int(logits.argmax())
                if word == tl.target.end:
                    break
                out.append(word)
            return out[1:]

    def cached():
        with torch.no_grad():
            return greedy(model, ids, tl.target, 2 * len(ids) + 2)[0]

    if cached() != recomputed():
        raise AssertionError("the cached and recomputed decodings differ")
    out = {}
    for label, fn in (("with_cache", cached), ("without_cache", recomputed)):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(1000 * (time.perf_counter() - start))
        out[f"{label}_ms_median"] = round(float(np.median(times)), 2)
    out["output_words"] = len(cached())
    return out


def measure_guess_check(repeats: int = 20) -> dict:
    """The Transformer and Seq2Seq lessons' jobs check the model's last output first (one pass over it) and
    decode step by step only from where it stops being right. Their median milliseconds for a 20-word French
    sentence and a couplet line when that guess is right (the same text again: a keystroke that does not change
    the output), when it is another sentence's output (a keystroke that changes it), and with no guess."""
    from types import SimpleNamespace

    from viz_app.core.lessons import seq2seq as s2s
    from viz_app.core.lessons.transformer import transformer_job
    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.seq2seq import probes as s2s_probes
    from viz_app.core.transformer import probes as tr_probes

    french = "nous sommes allés au cinéma hier soir avec mes amis et nous avons mangé une pizza dans le restaurant ."
    other = "je suis étudiant ."
    jobs = {
        "transformer": (tr_probes.load, lambda ctx, text: transformer_job(ctx, "transformer", text), french, other),
        "couplet-transformer": (
            tr_probes.load, lambda ctx, text: transformer_job(ctx, "couplet-transformer", text), "白日依山盡", "白日依山盡山",
        ),
        "seq2seq-attention": (
            s2s_probes.load, lambda ctx, text: s2s.seq2seq_lesson_job(ctx, s2s.ATTENTION_MODEL, text, (), 3, ()), french,
            other,
        ),
        "couplet": (
            s2s_probes.load, lambda ctx, text: s2s.seq2seq_lesson_job(ctx, s2s.COUPLET_MODEL, text, (), 3, ()), "白日依山盡",
            "白日依山盡山",
        ),
    }  # fmt: skip
    bundled = Registry().cards()
    out: dict = {}
    for name, (load, job, text, before) in jobs.items():
        if name not in bundled:
            out[name] = f"{name} not bundled"
            continue
        ctx = SimpleNamespace(models=ModelStore(), device="cpu")
        job(ctx, text)  # load once
        lm = ctx.models.get(name, load)
        times: dict[str, list[float]] = {"right_guess": [], "wrong_guess": [], "no_guess": []}
        for _ in range(repeats):
            for case in times:
                if case == "wrong_guess":
                    job(ctx, before)
                elif case == "no_guess":
                    lm.last_output = []
                else:
                    job(ctx, text)
                start = time.perf_counter()
                job(ctx, text)
                times[case].append(1000 * (time.perf_counter() - start))
        out[name] = {f"{case}_ms_median": round(float(np.median(t)), 1) for case, t in times.items()}
    return out


def _rss_mb() -> float:
    """This process's resident memory now (Linux /proc; the peak from resource elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_learn(minutes: float = 10.0, seeds: int = 3) -> dict:
    """The Learn tab's reverse task with the default settings: steps per second, the steps and seconds of
    training until the test accuracy reaches 95% (``seeds`` seeds), and the memory of a ``minutes``-long run in
    chunks of 10 steps as the tab asks for them (the process's RSS and the kept history, sampled every chunk)."""
    from viz_app.core.jobs import JobContext, Request, finish
    from viz_app.core.learn.trainer import LearnConfig, Trainer
    from viz_app.core.lessons import learn
    from viz_app.core.registry import ModelStore

    out: dict = {"to_95": []}
    for seed in range(seeds):
        t = Trainer(LearnConfig(seed=seed))
        start = time.perf_counter()
        while t.evaluate().snapshot.accuracy < 0.95 and t.step < 2000:
            t.run(5)
        out["to_95"].append({"seed": seed, "steps": t.step, "seconds": round(time.perf_counter() - start, 2)})
    t = Trainer(LearnConfig())
    start = time.perf_counter()
    t.run(200)
    out["steps_per_s"] = round(200 / (time.perf_counter() - start), 1)
    ctx = JobContext(request=Request("benchmark", None, ()), device="cpu", models=ModelStore())
    key = "benchmark-learn"
    finish(learn.learn_chunk_job(ctx, key, LearnConfig(), 0, reset=True))
    rss, history, chunk_s = [], [], []
    deadline = time.perf_counter() + 60 * minutes
    while time.perf_counter() < deadline:
        c0 = time.perf_counter()
        chunk = finish(learn.learn_chunk_job(ctx, key, LearnConfig(), 10))
        chunk_s.append(time.perf_counter() - c0)
        rss.append(_rss_mb())
        history.append(chunk.history_bytes)
    learn.forget(key)
    out["long_run"] = {
        "minutes": minutes, "steps": int(chunk.step), "chunks": len(chunk_s),
        "chunk_of_10_ms_median": round(1000 * float(np.median(chunk_s)), 1),
        "rss_mb_first_chunk": round(rss[0], 1), "rss_mb_after_1_min": round(rss[min(len(rss) - 1, int(60 / max(1e-3, np.median(chunk_s))))], 1),
        "rss_mb_last": round(rss[-1], 1), "rss_mb_max": round(max(rss), 1),
        "history_kb_last": round(history[-1] / 1024, 1), "history_kb_max": round(max(history) / 1024, 1),
    }  # fmt: skip
    return out
