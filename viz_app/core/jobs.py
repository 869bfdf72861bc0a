"""What the inference worker runs: jobs, their context, progress and cancellation.

A job is a plain function ``fn(ctx, *args, **kwargs)``. It may return its result
directly, or be a generator that yields :class:`Progress` between steps and
``return``s its result; then progress bars and cancellation come for free, since
:func:`execute` checks the cancel flag between yields. Nothing here knows about Qt:
the Qt service (``viz_app.qt.service``) only moves requests and results across
threads, and the tests drive :func:`execute` and :class:`RequestQueue` directly.
"""

from __future__ import annotations

import inspect
import itertools
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from viz_app.core.messages import Message, user_text


class JobCancelled(Exception):
    """Raised inside a job (by ``ctx.check_cancelled()``) when its request was cancelled."""


@dataclass(frozen=True)
class Progress:
    fraction: float | None  # 0..1, or None when the amount of work is unknown
    message: str = ""
    data: Any = None  # an intermediate result to draw (e.g. a snapshot of vectors while training)


@dataclass
class Request:
    channel: str  # who asked (a lesson id); a newer request on a channel supersedes older ones
    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    request_id: int = 0
    label: str = ""  # model or job name shown in the status bar
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


@dataclass
class JobContext:
    """Handed to every job as its first argument."""

    request: Request
    device: str  # "cpu", "cuda", "mps"
    models: Any  # the worker's ModelStore
    report: Callable[[Progress], None] = lambda p: None

    @property
    def cancelled(self) -> bool:
        return self.request.cancelled

    def check_cancelled(self) -> None:
        if self.request.cancelled:
            raise JobCancelled()

    def progress(self, fraction: float | None, message: str = "") -> None:
        self.check_cancelled()
        self.report(Progress(fraction, message))


@dataclass(frozen=True)
class Outcome:
    """What a finished request produced: a value, an error message, or a cancellation."""

    request: Request
    value: Any = None
    error: str | None = None
    details: str = ""  # traceback, for the log
    exception: BaseException | None = None
    cancelled: bool = False
    elapsed_s: float = 0.0
    device: str = "cpu"


def execute(ctx: JobContext) -> Outcome:
    """Run one request in the calling thread; never raises."""
    req = ctx.request
    start = time.perf_counter()
    try:
        if req.cancelled:
            raise JobCancelled()
        result = req.fn(ctx, *req.args, **req.kwargs)
        if inspect.isgenerator(result):
            result = _drive(result, ctx)
        value = result
    except JobCancelled:
        return Outcome(req, cancelled=True, elapsed_s=time.perf_counter() - start, device=ctx.device)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the user
        return Outcome(
            req,
            error=error_message(exc),
            details=traceback.format_exc(),
            exception=exc,
            elapsed_s=time.perf_counter() - start,
            device=ctx.device,
        )
    return Outcome(req, value=value, elapsed_s=time.perf_counter() - start, device=ctx.device)


def execute_with_fallback(
    request: Request,
    device: str,
    models: Any,
    report: Callable[[Progress], None] = lambda p: None,
    on_fallback: Callable[[str], None] = lambda message: None,
) -> Outcome:
    """Run ``request`` on ``device``; if it fails there with a GPU error, say so and rerun it on the CPU.

    ``on_fallback(message)`` is called before the rerun (the caller switches to the CPU for
    later jobs and tells the user). ``outcome.device`` says where the result was computed.
    """
    from viz_app.core import devices  # torch stays unimported until a job needs it

    outcome = execute(JobContext(request=request, device=device, models=models, report=report))
    if outcome.exception is not None and devices.is_gpu_failure(outcome.exception, device):
        on_fallback(f"The job failed on {device.upper()} ({outcome.error}); running it on the CPU instead.")
        outcome = execute(JobContext(request=request, device=devices.CPU, models=models, report=report))
    return outcome


def _drive(gen, ctx: JobContext):
    while True:
        if ctx.cancelled:
            gen.close()
            raise JobCancelled()
        try:
            item = next(gen)
        except StopIteration as stop:
            return stop.value
        if isinstance(item, Progress):
            ctx.report(item)


def finish(result):
    """A job's result without the worker: a generator job run to its end (its Progress dropped), any other
    value as it is (for the command line, the benchmark and tests)."""
    if not inspect.isgenerator(result):
        return result
    while True:
        try:
            next(result)
        except StopIteration as stop:
            return stop.value


def error_message(exc: BaseException) -> str:
    """One readable line for the user.

    Errors raised on purpose with a message for the user (bad input, a bad model
    file) show just that message; anything unexpected also names its kind.
    """
    message = user_text(exc)
    lines = str(message).strip().splitlines()
    text = lines[0] if lines else ""
    if not text:
        return type(exc).__name__
    if isinstance(exc, (ValueError, LookupError)) or getattr(exc, "user_message", False):
        return message if isinstance(message, Message) and len(lines) == 1 else text
    return f"{type(exc).__name__}: {text}"


class RequestQueue:
    """Pending requests, at most one per channel, served in the order their channels first asked.

    ``put`` replaces a channel's pending request (the old one is dropped, never run).
    """

    def __init__(self) -> None:
        self._pending: OrderedDict[str, Request] = OrderedDict()
        self._cond = threading.Condition()
        self._closed = False
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def put(self, request: Request) -> Request | None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the inference service has shut down")
            dropped = self._pending.pop(request.channel, None)
            self._pending[request.channel] = request
            self._cond.notify()
            return dropped

    def take(self, timeout: float | None = None) -> Request | None:
        """Block until a request is pending; None once closed (or on timeout)."""
        with self._cond:
            end = None if timeout is None else time.monotonic() + timeout
            while not self._pending and not self._closed:
                remaining = None if end is None else end - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
            if self._closed:
                return None
            _, request = self._pending.popitem(last=False)
            return request

    def cancel_channel(self, channel: str) -> Request | None:
        with self._cond:
            return self._pending.pop(channel, None)

    def close(self) -> list[Request]:
        with self._cond:
            self._closed = True
            left = list(self._pending.values())
            self._pending.clear()
            self._cond.notify_all()
            return left

    def __len__(self) -> int:
        with self._cond:
            return len(self._pending)
