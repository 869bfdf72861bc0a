"""The inference service: one background worker thread that owns the models and runs jobs.

The window never calls a model itself. A lesson ``submit``s a request on its
channel and gets a :class:`RequestHandle` back; the worker runs it (see
``viz_app.core.jobs``) and the handle's own signals (``started``, ``progress``,
``result``, ``failed``, ``cancelled``) bring it back on the main thread, as
superqt's workers own their signals: a view connects to the requests it made and
never filters anybody else's. Staleness lives here, in one place. Every request
gets an increasing id, and the latest on a channel wins:

* a request that is superseded before it runs is dropped from the queue;
* a request that is superseded while it runs is told to cancel (its flag is set);
* a superseded request's handle stays silent: nothing of it reaches a widget.

The service's own signals (``resultReady``, ``jobFailed``, ...) repeat every latest
request's end for the observers of the whole app (the status bar, the tour player,
the gallery). Errors come back as ``failed`` with a readable message; the app keeps working.
If a job fails on the GPU, the service says so, switches to the CPU and reruns it.
On quit, ``shutdown`` cancels everything and waits for the worker to finish.
"""

from __future__ import annotations

import logging
import weakref

from PySide6.QtCore import QObject, QThread, Signal, Slot

from viz_app.core import devices
from viz_app.core.jobs import Outcome, Progress, Request, RequestQueue, execute_with_fallback
from viz_app.core.registry import ModelStore
from viz_app.qt import gc_guard
from viz_app.qt.i18n import tr_core

log = logging.getLogger(__name__)

# Every worker ever started, so tests can fail when one is left running (as napari's conftest does).
LIVE_WORKERS: weakref.WeakSet[QThread] = weakref.WeakSet()

WARM_UP_CHANNEL = "_devices"


class _WorkerSignals(QObject):
    """Signals live on their own QObject (as in superqt) so they stay on the main thread."""

    finished = Signal(object)  # Outcome
    progress = Signal(object, object)  # Request, Progress
    started = Signal(object)  # Request
    fellBack = Signal(object, str)  # Request, message


class RequestHandle(QObject):
    """One request, as its asker sees it. Exactly one of ``result``, ``failed`` or ``cancelled`` is emitted, and
    only while the request is its channel's latest; ``finished`` follows it. A handle superseded by a newer
    request on its channel, or forgotten by its asker, emits nothing more."""

    started = Signal(str)  # the label shown in the status bar
    progress = Signal(object)  # Progress
    result = Signal(object, float)  # the value, and the seconds it took
    failed = Signal(str)  # a readable message
    cancelled = Signal()
    finished = Signal()  # after any of the three

    def __init__(self, service: InferenceService, request: Request):
        super().__init__()
        self._service = service
        self.channel = request.channel
        self.request_id = request.request_id
        self.label = request.label
        self.done = False  # ended (with a result, an error or a cancellation), superseded or forgotten
        self.value = None
        self.error: str | None = None
        self.device = ""  # where the result was computed (the CPU after a GPU fallback)
        self.elapsed_s: float | None = None

    @property
    def pending(self) -> bool:
        return not self.done

    def cancel(self) -> None:
        """Cancel this request if it is still its channel's latest (``cancelled`` is emitted at once)."""
        if not self.done and self._service.is_latest(self.channel, self.request_id):
            self._service.cancel(self.channel)

    def forget(self) -> None:
        """Let the request run on, but emit nothing more (its asker has moved on)."""
        self.done = True

    def _end(self, signal, *args) -> None:
        if self.done:
            return
        self.done = True
        signal.emit(*args)
        self.finished.emit()


class _Worker(QThread):
    def __init__(self, queue: RequestQueue, store: ModelStore, signals: _WorkerSignals):
        super().__init__()
        self.setObjectName("inferenceWorker")
        self.queue = queue
        self.store = store
        self.signals = signals
        self.device = devices.CPU  # the concrete device jobs run on; set from the main thread
        self.current: Request | None = None

    def run(self) -> None:
        while True:
            request = self.queue.take()
            if request is None:
                return
            self.current = request
            self.signals.started.emit(request)
            outcome = self._run_one(request)
            self.current = None
            self.signals.finished.emit(outcome)

    def _run_one(self, request: Request) -> Outcome:
        def fall_back(message: str) -> None:
            self.device = devices.CPU
            self.store.clear()  # models may hold tensors on the failed device
            self.signals.fellBack.emit(request, message)

        with devices.cpu_threads(self.device):  # a GPU fallback reruns on the CPU with the default threads
            return execute_with_fallback(
                request,
                self.device,
                self.store,
                report=lambda p: self.signals.progress.emit(request, p),
                on_fallback=fall_back,
            )


class InferenceService(QObject):
    resultReady = Signal(str, int, object, float)  # channel, request id, value, elapsed seconds
    jobFailed = Signal(str, int, str)  # channel, request id, message
    progressChanged = Signal(str, int, object)  # channel, request id, Progress
    jobStarted = Signal(str, int, str)  # channel, request id, label
    jobCancelled = Signal(str, int)
    devicesFound = Signal(list)  # concrete devices available, e.g. ["cpu", "cuda"]
    deviceChanged = Signal(str)  # the concrete device now in use
    notice = Signal(str)  # something the user should read (e.g. a GPU fallback)
    userModelAdded = Signal(str)  # a local Hugging Face folder opened this session (File > Open model folder…)

    def __init__(self, store: ModelStore | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.queue = RequestQueue()
        self.store = store or ModelStore()
        self._signals = _WorkerSignals()
        self._signals.finished.connect(self._on_finished)
        self._signals.progress.connect(self._on_progress)
        self._signals.started.connect(self._on_started)
        self._signals.fellBack.connect(self._on_fell_back)
        self._worker = _Worker(self.queue, self.store, self._signals)
        self._latest: dict[str, int] = {}
        self._handles: dict[int, RequestHandle] = {}  # request id -> handle, until its request ends
        self._running: dict[str, Request] = {}
        self._result_device: dict[str, str] = {}  # where each channel's latest result was computed
        self.user_models: list[str] = []  # local Hugging Face folders opened this session, in order
        self.available: list[str] | None = None  # unknown until torch has loaded on the worker
        self.choice = devices.AUTO
        self._stopped = False
        LIVE_WORKERS.add(self._worker)
        # Garbage cycles holding widgets must be collected on this (the GUI) thread, not the worker's.
        gc_guard.install()
        self._worker.start()

    # --- requests -------------------------------------------------------------------------
    def submit(self, channel: str, fn, *args, label: str = "", **kwargs) -> RequestHandle:
        """Queue ``fn(ctx, *args, **kwargs)`` on the worker; returns the request's handle (its ``request_id``
        increases with every request). A newer request on ``channel`` supersedes this one."""
        request = Request(channel=channel, fn=fn, args=args, kwargs=kwargs, label=label)
        request.request_id = -1 if self._stopped else self.queue.next_id()
        handle = RequestHandle(self, request)
        if self._stopped:
            handle.done = True
            return handle
        self._supersede(channel)
        self._latest[channel] = request.request_id
        self._handles[request.request_id] = handle
        self._cancel_running(channel)  # superseded while running: it stops at its next check
        dropped = self.queue.put(request)  # a pending request on this channel is dropped, never run
        if dropped is not None:
            self._handles.pop(dropped.request_id, None)
        return handle

    def _supersede(self, channel: str) -> None:
        latest = self._handles.get(self._latest.get(channel, -1))
        if latest is not None:
            latest.done = True  # silent from now on

    def cancel(self, channel: str) -> None:
        """Cancel the channel's pending and running requests; nothing of them reaches a widget.

        ``cancelled`` (of the latest request's handle) and ``jobCancelled`` are emitted at once, if anything was
        cancelled."""
        pending = self.queue.cancel_channel(channel)
        running = self._running.get(channel) or (
            self._worker.current if self._worker.current and self._worker.current.channel == channel else None
        )
        self._cancel_running(channel)
        latest = self._latest.get(channel, -1)
        self._latest[channel] = -1
        handle = self._handles.get(latest)  # read before a pending request's handle is dropped: it may be it
        if pending is not None:
            self._handles.pop(pending.request_id, None)
        if (pending is not None or running is not None) and latest != -1:
            if handle is not None:
                handle._end(handle.cancelled)
            self.jobCancelled.emit(channel, latest)
        elif handle is not None:
            handle.done = True

    def _cancel_running(self, channel: str) -> None:
        # The worker's own record is current even before its "started" signal has arrived here.
        for running in (self._running.get(channel), self._worker.current):
            if running is not None and running.channel == channel:
                running.cancel()

    def is_latest(self, channel: str, request_id: int) -> bool:
        return self._latest.get(channel) == request_id

    def is_busy(self, channel: str) -> bool:
        return channel in self._running

    def result_device(self, channel: str) -> str:
        """The device the channel's latest result was computed on (the CPU after a GPU fallback); "" before
        any. Set before ``resultReady`` is emitted, so a slot of that signal reads the result's own."""
        return self._result_device.get(channel, "")

    def add_user_model(self, folder: str) -> None:
        """Offer ``folder`` (a Hugging Face model folder) to the lessons that can read one, from now on."""
        if folder not in self.user_models:
            self.user_models.append(folder)
        self.userModelAdded.emit(folder)

    # --- devices ----------------------------------------------------------------------------
    def probe_devices(self) -> None:
        """Import torch on the worker and find the devices (the window has painted by then)."""
        self.submit(WARM_UP_CHANNEL, devices.warm_up, label="torch")

    def set_device(self, choice: str) -> str:
        """Apply a menu choice (auto/cpu/cuda/mps); returns the concrete device used."""
        self.choice = choice
        device = devices.resolve(choice, self.available or [devices.CPU])
        if device != self._worker.device:
            self._worker.device = device
            self.store.clear()
        self.deviceChanged.emit(device)
        return device

    @property
    def device(self) -> str:
        return self._worker.device

    # --- slots (main thread) ---------------------------------------------------------------
    @Slot(object)
    def _on_started(self, request: Request) -> None:
        self._running[request.channel] = request
        if self.is_latest(request.channel, request.request_id):
            handle = self._handles.get(request.request_id)
            if handle is not None and not handle.done:
                handle.started.emit(request.label)
            self.jobStarted.emit(request.channel, request.request_id, request.label)

    @Slot(object, object)
    def _on_progress(self, request: Request, progress: Progress) -> None:
        if self.is_latest(request.channel, request.request_id) and not request.cancelled:
            handle = self._handles.get(request.request_id)
            if handle is not None and not handle.done:
                handle.progress.emit(progress)
            self.progressChanged.emit(request.channel, request.request_id, progress)

    @Slot(object, str)
    def _on_fell_back(self, request: Request, message: str) -> None:
        log.warning(message)
        self.notice.emit(message)
        self.deviceChanged.emit(devices.CPU)

    @Slot(object)
    def _on_finished(self, outcome: Outcome) -> None:
        request = outcome.request
        if self._running.get(request.channel) is request:
            del self._running[request.channel]
        handle = self._handles.pop(request.request_id, None)
        if request.channel == WARM_UP_CHANNEL:
            self._on_warm_up(outcome)
            return
        if not self.is_latest(request.channel, request.request_id):
            return  # stale: a newer request on this channel exists
        handle = handle or RequestHandle(self, request)  # none for a warm-up or after shutdown: a silent one
        handle.device, handle.elapsed_s = outcome.device, outcome.elapsed_s
        if outcome.cancelled:
            handle._end(handle.cancelled)
            self.jobCancelled.emit(request.channel, request.request_id)
        elif outcome.error is not None:
            log.info("job %s failed: %s\n%s", request.channel, outcome.error, outcome.details)
            handle.error = tr_core(outcome.error)
            handle._end(handle.failed, handle.error)
            self.jobFailed.emit(request.channel, request.request_id, handle.error)
        else:
            self._result_device[request.channel] = outcome.device
            handle.value = outcome.value
            handle._end(handle.result, outcome.value, outcome.elapsed_s)
            self.resultReady.emit(request.channel, request.request_id, outcome.value, outcome.elapsed_s)

    def _on_warm_up(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self.available = [devices.CPU]
            self.notice.emit(f"torch could not be loaded ({outcome.error}); lessons that need it will fail.")
        else:
            self.available = list(outcome.value)
        self.devicesFound.emit(list(self.available))
        self.set_device(self.choice)

    # --- shutdown ----------------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Cancel pending and running jobs and wait for the worker; True if it stopped in time."""
        if self._stopped:
            return True
        self._stopped = True
        for handle in self._handles.values():
            handle.done = True  # nothing reaches a widget after shutdown
        self._handles.clear()
        for request in self.queue.close():
            request.cancel()
        for request in list(self._running.values()):
            request.cancel()
        current = self._worker.current
        if current is not None:
            current.cancel()
        stopped = self._worker.wait(timeout_ms)
        if not stopped:
            log.error("the inference worker did not stop within %d ms", timeout_ms)
        return stopped
