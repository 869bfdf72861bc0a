"""The inference service: stale results dropped, errors reported, GPU fallback, clean shutdown."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import weakref

import pytest

from viz_app.core.jobs import Progress
from viz_app.qt.service import InferenceService


@pytest.fixture
def service(qtbot):
    s = InferenceService()
    yield s
    s.shutdown()


def _drain(qtbot, service, delivered) -> None:
    """Wait until the worker has finished everything submitted so far: one worker runs requests in order, so
    once a request submitted now (on its own channel) is delivered, no earlier one can still arrive. This
    replaces a fixed wait that could only hope nothing more was coming."""
    marker = service.submit("drain", lambda ctx: "drained").request_id
    qtbot.waitUntil(lambda: any(ch == "drain" and rid == marker for ch, rid, _ in delivered), timeout=5000)


def _collect(service):
    delivered, failed = [], []
    service.resultReady.connect(lambda ch, rid, value, _t: delivered.append((ch, rid, value)))
    service.jobFailed.connect(lambda ch, rid, msg: failed.append((ch, rid, msg)))
    return delivered, failed


def test_only_the_latest_of_two_quick_requests_is_delivered(qtbot, service):
    delivered, _ = _collect(service)
    ran = []

    def job(ctx, tag):
        ran.append(tag)
        for _ in range(20):  # long enough that the second request arrives while this one runs
            time.sleep(0.01)
            yield Progress(None)
        return tag

    first = service.submit("lesson", job, "first").request_id
    second = service.submit("lesson", job, "second").request_id
    assert second > first
    qtbot.waitUntil(lambda: any(rid == second for _, rid, _ in delivered), timeout=5000)
    _drain(qtbot, service, delivered)  # anything the first request could still deliver has come by now
    assert [value for ch, _, value in delivered if ch == "lesson"] == ["second"]
    assert ran[-1] == "second" and ran.count("second") == 1  # the first, if it started at all, was not delivered


def test_a_request_superseded_before_it_runs_never_runs(qtbot, service):
    delivered, _ = _collect(service)
    gate = threading.Event()
    ran = []
    service.submit("blocker", lambda ctx: gate.wait(5))
    for i in range(5):
        service.submit("lesson", lambda ctx, i=i: ran.append(i) or i)
    gate.set()
    qtbot.waitUntil(lambda: any(ch == "lesson" for ch, _, _ in delivered), timeout=5000)
    _drain(qtbot, service, delivered)
    assert ran == [4]
    assert [v for ch, _, v in delivered if ch == "lesson"] == [4]


def test_a_failing_job_reports_and_the_next_request_works(qtbot, service):
    delivered, failed = _collect(service)

    def broken(ctx):
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(service.jobFailed, timeout=5000):
        service.submit("lesson", broken)
    assert failed[0][2] == "ZeroDivisionError: division by zero"
    with qtbot.waitSignal(service.resultReady, timeout=5000):
        service.submit("lesson", lambda ctx: "fine")
    assert delivered[-1][2] == "fine"


def test_progress_and_cancel(qtbot, service):
    progress, cancelled = [], []
    service.progressChanged.connect(lambda ch, rid, p: progress.append(p.fraction))
    service.jobCancelled.connect(lambda ch, rid: cancelled.append(rid))
    delivered, _ = _collect(service)
    steps = []

    def long_job(ctx):
        for i in range(500):
            steps.append(i)
            time.sleep(0.005)
            yield Progress(i / 500, f"step {i}")
        return "finished"

    service.submit("train", long_job)
    qtbot.waitUntil(lambda: len(progress) >= 3, timeout=5000)
    service.cancel("train")
    qtbot.waitUntil(lambda: not service.is_busy("train"), timeout=5000)
    assert len(steps) < 500 and not delivered


def _record(handle) -> list:
    seen = []
    handle.started.connect(lambda label: seen.append(("started", label)))
    handle.progress.connect(lambda p: seen.append(("progress", p.fraction)))
    handle.result.connect(lambda value, _t: seen.append(("result", value)))
    handle.failed.connect(lambda message: seen.append(("failed", message)))
    handle.cancelled.connect(lambda: seen.append(("cancelled",)))
    handle.finished.connect(lambda: seen.append(("finished",)))
    return seen


def test_each_request_comes_back_on_its_own_handle(qtbot, service):
    def job(ctx, tag):
        yield Progress(0.5)
        return tag

    a = service.submit("one", job, "a", label="model a")
    b = service.submit("two", job, "b")
    seen_a, seen_b = _record(a), _record(b)
    qtbot.waitUntil(lambda: a.done and b.done, timeout=5000)
    assert seen_a == [("started", "model a"), ("progress", 0.5), ("result", "a"), ("finished",)]
    assert seen_b[-2:] == [("result", "b"), ("finished",)]
    assert a.value == "a" and a.device == "cpu" and a.error is None


def test_a_superseded_handle_stays_silent_and_a_failure_reaches_only_its_own(qtbot, service):
    gate = threading.Event()

    def slow(ctx):
        while not gate.is_set():
            ctx.check_cancelled()
            time.sleep(0.005)
        return "old"

    def broken(ctx):
        raise ValueError("bad input")

    old = service.submit("lesson", slow)
    qtbot.waitUntil(lambda: service.is_busy("lesson"), timeout=5000)
    seen_old = _record(old)
    new = service.submit("lesson", broken)
    other = service.submit("other", lambda ctx: "fine")
    seen_new, seen_other = _record(new), _record(other)
    gate.set()
    qtbot.waitUntil(lambda: new.done and other.done, timeout=5000)
    _drain(qtbot, service, _collect(service)[0])
    assert old.done and seen_old == []
    assert seen_new[-2:] == [("failed", "bad input"), ("finished",)] and new.error == "bad input"
    assert ("result", "fine") in seen_other and not any(e[0] == "failed" for e in seen_other)


def test_cancel_ends_the_handle_with_cancelled_at_once(qtbot, service):
    def endless(ctx):
        while True:
            time.sleep(0.005)
            yield Progress(None)

    handle = service.submit("train", endless)
    qtbot.waitUntil(lambda: service.is_busy("train"), timeout=5000)
    seen = _record(handle)
    handle.cancel()
    assert seen[-2:] == [("cancelled",), ("finished",)] and handle.done
    qtbot.waitUntil(lambda: not service.is_busy("train"), timeout=5000)
    assert not any(e[0] == "result" for e in seen)


def test_cancel_of_a_request_still_queued_ends_its_handle(qtbot, service):
    """The request has not reached the worker yet (another channel's job holds it): cancelling it still tells
    its asker, at once (a stopped generation's buttons come back)."""
    gate = threading.Event()

    def blocker(ctx):
        while not gate.is_set():
            time.sleep(0.005)
        return "done"

    service.submit("other", blocker)
    qtbot.waitUntil(lambda: service.is_busy("other"), timeout=5000)
    handle = service.submit("generate", lambda ctx: "never")
    seen = _record(handle)
    handle.cancel()
    gate.set()
    assert seen == [("cancelled",), ("finished",)] and handle.done
    delivered, _ = _collect(service)
    _drain(qtbot, service, delivered)
    assert not any(ch == "generate" for ch, _, _ in delivered) and seen == [("cancelled",), ("finished",)]


def test_gpu_failure_falls_back_to_the_cpu(qtbot, service):
    notices, devices_seen = [], []
    service.notice.connect(notices.append)
    service.deviceChanged.connect(devices_seen.append)
    delivered, failed = _collect(service)
    service._worker.device = "cuda"  # pretend a GPU was chosen

    def job(ctx):
        if ctx.device != "cpu":
            raise RuntimeError("CUDA error: an illegal memory access was encountered")
        return f"ran on {ctx.device}"

    with qtbot.waitSignal(service.resultReady, timeout=5000):
        service.submit("lesson", job)
    assert delivered[-1][2] == "ran on cpu" and not failed
    assert "running it on the CPU" in notices[0]
    assert service.device == "cpu" and devices_seen[-1] == "cpu"


def test_probe_devices_finds_the_cpu(qtbot, service):
    with qtbot.waitSignal(service.devicesFound, timeout=60000) as blocker:
        service.probe_devices()
    assert "cpu" in blocker.args[0]
    assert service.set_device("cpu") == "cpu"
    assert service.set_device("cuda") in blocker.args[0]  # absent CUDA resolves to the CPU


QUIT_MID_JOB = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from viz_app.core.jobs import Progress
    from viz_app.qt.service import InferenceService
    app = QApplication([])
    service = InferenceService()
    app.aboutToQuit.connect(service.shutdown)
    def endless(ctx):
        while True:
            time.sleep(0.01)
            yield Progress(None, "working")
    service.submit("train", endless)
    QTimer.singleShot(300, app.quit)
    code = app.exec()
    print("worker running after quit:", service._worker.isRunning())
    sys.exit(code)
    """
)


def test_quitting_mid_job_exits_cleanly():
    proc = subprocess.run([sys.executable, "-c", QUIT_MID_JOB], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "worker running after quit: False" in proc.stdout
    assert "QThread: Destroyed" not in proc.stderr


def test_garbage_is_collected_on_the_gui_thread_only(qtbot, service):
    """A reference cycle holding a widget is destroyed by the GUI thread's timer, never by the worker
    (whose collections could destroy widgets off the GUI thread)."""
    import gc
    import threading as _threading

    from PySide6.QtWidgets import QLabel

    from viz_app.qt import gc_guard

    assert gc_guard.installed() and not gc.isenabled()
    destroyed_on: list[str] = []

    class Cycle:
        def __init__(self):
            self.me = self
            self.label = QLabel()

        def __del__(self):
            destroyed_on.append(_threading.current_thread().name)

    Cycle()  # unreachable at once, held only by its own cycle
    # The worker allocates plenty (as a job does) while the cycle waits to be collected; the allocations are
    # kept, so the collector's count stays past its threshold until someone collects. Without the guard the
    # worker's own allocations start the collection there.
    held: list = []
    service.submit("gc", lambda ctx: held.extend([i] for i in range(200_000)) or "done")
    with qtbot.waitSignal(service.resultReady, timeout=20000):
        pass
    qtbot.waitUntil(lambda: bool(destroyed_on), timeout=10000)
    assert destroyed_on == [_threading.main_thread().name]


def test_the_collector_waits_while_a_result_is_awaited(qtbot, make_window):
    """From a keystroke until the lesson has drawn its result the timer collects nothing (the window collects
    at the keystroke, inside the typing pause); once the result is drawn it collects what is due."""
    import gc

    from viz_app.qt import gc_guard

    window = make_window()
    window.select_lesson("bow")
    view = window.current_view()

    class Cycle:
        def __init__(self):
            self.me = self

    gc_guard.collect_due()
    window.input.setPlainText("dog bites man")  # a keystroke: the typing pause starts
    assert window.awaiting_screen()
    probe = Cycle()
    alive = weakref.ref(probe)
    del probe
    held = [[i] for i in range(2 * gc.get_threshold()[0])]  # the young generation past its threshold
    gc_guard.check_now()
    assert alive() is not None  # someone waits: put off
    qtbot.waitUntil(lambda: not window.awaiting_screen() and view.drawn, timeout=20000)
    gc_guard.check_now()
    assert alive() is None and held
