"""Projecting vectors to 2D for the scatter views.

PCA is exact and instant (the top eigenvectors of the centred data's covariance).
t-SNE (openTSNE) and UMAP (umap-learn) take from seconds to a minute or two; they
report progress and stop when cancelled, and always use a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.messages import msg


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
        raise ValueError(msg("PCA needs at least two vectors"))
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


def threading_current():
    import threading

    return threading.current_thread()


def _no_report(fraction, message=""):
    return None


def tsne(
    vectors: np.ndarray,
    seed: int = 0,
    perplexity: float = 30.0,
    report=_no_report,
    cancelled=lambda: False,
    n_jobs: int | None = None,
) -> Projection:
    """t-SNE (openTSNE, FFT-accelerated): exaggerated phase of 250 steps, then 500 more.

    ``report(fraction, message)`` is called every 10 steps; when ``cancelled()`` turns true the
    optimisation stops at the next report and JobCancelled is raised.
    """
    import os

    from openTSNE import TSNEEmbedding, affinity, initialization
    from openTSNE.tsne import OptimizationInterrupt

    from viz_app.core.jobs import JobCancelled

    x = np.asarray(vectors, dtype=np.float64)  # (N, D)
    if x.shape[0] < 10:
        raise ValueError(msg("t-SNE needs at least 10 vectors"))
    n_jobs = n_jobs or os.cpu_count() or 1
    perplexity = min(perplexity, (x.shape[0] - 1) / 3)
    report(None, f"t-SNE: finding each of {x.shape[0]:,} points' nearest neighbours")
    affinities = affinity.PerplexityBasedNN(x, perplexity=perplexity, n_jobs=n_jobs, random_state=seed)
    if cancelled():
        raise JobCancelled()
    init = initialization.pca(x, random_state=seed)
    embedding = TSNEEmbedding(init, affinities, n_jobs=n_jobs, random_state=seed)
    phases = ((250, {"exaggeration": 12, "momentum": 0.5}, "early exaggeration"), (500, {"momentum": 0.8}, "refining"))
    done, total = 0, sum(n for n, _, _ in phases)
    for n_iter, params, name in phases:

        def callback(iteration, error, _embedding, done=done, name=name):
            report(
                0.1 + 0.9 * (done + iteration) / total,
                f"t-SNE {name}: step {done + iteration} of {total}, KL divergence {error:.3f}",
            )
            return bool(cancelled())

        try:
            embedding = embedding.optimize(
                n_iter=n_iter, callbacks=callback, callbacks_every_iters=10, propagate_exception=True, **params
            )
        except OptimizationInterrupt:
            raise JobCancelled() from None
        done += n_iter
    return Projection("tsne", np.asarray(embedding, dtype=np.float32))


class _UmapProgress:
    """Stands in for stdout while UMAP runs: in UMAP's thread, "k / 200 epochs" becomes a fraction and a
    cancellation stops UMAP; text from any other thread goes on to the real stdout."""

    def __init__(self, report, cancelled, stdout):
        import re
        import threading

        self.report, self.cancelled, self.stdout = report, cancelled, stdout
        self.thread = threading.current_thread()
        self.pattern = re.compile(r"(\d+)\s*/\s*(\d+)")

    def write(self, text: str) -> int:
        import threading

        from viz_app.core.jobs import JobCancelled

        if threading.current_thread() is not self.thread:
            return self.stdout.write(text) if self.stdout is not None else len(text)
        if self.cancelled():
            raise JobCancelled()
        found = self.pattern.findall(text)
        if found and "epoch" in text.lower():
            k, n = (int(v) for v in found[-1])
            if n:
                self.report(0.5 + 0.5 * k / n, f"UMAP: epoch {k} of {n}")
        return len(text)

    def flush(self) -> None:
        if self.stdout is not None and threading_current() is not self.thread:
            self.stdout.flush()


def umap(vectors: np.ndarray, seed: int = 0, report=_no_report, cancelled=lambda: False) -> Projection:
    """UMAP (umap-learn) with a fixed seed. Its optimisation epochs report progress and can be cancelled;
    the neighbour search before them (and, on the first run, the compilation of UMAP's code) cannot."""
    import contextlib
    import warnings

    x = np.asarray(vectors, dtype=np.float32)
    if x.shape[0] < 10:
        raise ValueError(msg("UMAP needs at least 10 vectors"))
    report(None, "UMAP: loading, and finding each point's nearest neighbours (the first run also compiles)")
    import sys

    import umap as umap_learn

    stream = _UmapProgress(report, cancelled, sys.stdout)
    reducer = umap_learn.UMAP(
        n_components=2, random_state=seed, n_jobs=1, verbose=True, tqdm_kwds={"file": stream, "mininterval": 0.25}
    )
    with contextlib.redirect_stdout(stream), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coords = reducer.fit_transform(x)
    return Projection("umap", np.asarray(coords, dtype=np.float32))


# --- running the slow projections in a child process ------------------------------------------
# t-SNE's neighbour search and UMAP's (with its first-run compilation) cannot be interrupted from
# Python. Run in a child process, they stop at once when cancelled (the child is terminated), and
# quitting the app never waits for them.


def _exit_when_parent_dies(lifeline) -> None:
    """In the child: a thread that ends the process as soon as the parent is gone. The parent holds the
    other end of ``lifeline`` and never writes to it; when the parent exits or is killed (even with SIGKILL)
    the operating system closes that end and ``recv`` raises EOFError here. With the child gone, the last
    holder of multiprocessing's resource-tracker pipe is gone too, and the tracker ends as well."""
    import os
    import threading

    def watch():
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(0)

    threading.Thread(target=watch, name="viz-app-parent-watch", daemon=True).start()


def _child(method: str, vectors: np.ndarray, seed: int, messages, lifeline=None) -> None:
    if lifeline is not None:
        _exit_when_parent_dies(lifeline)

    def report(fraction, message=""):
        messages.put(("progress", fraction, message))

    try:
        fn = tsne if method == "tsne" else umap
        result = fn(vectors, seed=seed, report=report)
        messages.put(("done", result.coords, None))
    except Exception as exc:  # noqa: BLE001 - sent to the parent as a message
        messages.put(("error", f"{type(exc).__name__}: {exc}", None))


def in_subprocess(
    method: str, vectors: np.ndarray, seed: int = 0, report=_no_report, cancelled=lambda: False
) -> Projection:
    """Compute t-SNE or UMAP in a child process, relaying its progress; terminate it when cancelled."""
    import multiprocessing
    import queue

    from viz_app.core.jobs import JobCancelled

    if method not in ("tsne", "umap"):
        raise ValueError(f"{method!r} does not run in a child process")
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    lifeline, keep = context.Pipe(duplex=False)  # the child reads; this process holds the write end
    child = context.Process(
        target=_child,
        args=(method, np.asarray(vectors, dtype=np.float32), seed, messages, lifeline),
        daemon=True,
        name=f"viz-app-{method}",
    )
    report(None, f"{method}: starting")
    child.start()
    lifeline.close()  # only the child holds the read end now
    try:
        while True:
            if cancelled():
                raise JobCancelled()
            try:
                kind, payload, message = messages.get(timeout=0.1)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        f"the {method} process stopped unexpectedly (exit code {child.exitcode})"
                    ) from None
                continue
            if kind == "progress":
                report(payload, message)
            elif kind == "error":
                raise RuntimeError(payload)
            else:
                return Projection(method, np.asarray(payload, dtype=np.float32))
    finally:
        if child.is_alive():
            child.terminate()
        child.join(5)
        keep.close()
