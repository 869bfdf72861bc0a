"""Python's cyclic garbage collector runs only on the GUI thread while the app runs.

The collector runs on whichever thread happens to allocate when a generation fills up: often the
inference worker, which allocates heavily. A reference cycle that holds a Qt widget (a lambda connected
to one of its signals, a view and its helpers) is then destroyed on the worker thread, where Qt must not
touch widgets, and the worker and the GUI thread can end up waiting on each other (the likely cause of a
suite run that hung for the whole CI budget: the worker inside a job, the GUI thread inside the event loop).

So, as pyqtgraph's ``GarbageCollector`` helper does, automatic collection is switched off and a timer on
the GUI thread collects each generation once its count passes the collector's own thresholds: the
same amount of collecting, always on the thread that owns the widgets.

A collection takes 5-15 ms here (the objects of a quarter second of drawing), an older generation's up to
80 ms. The window says when someone is waiting for the screen (``set_waiting``: a typing pause has ended
and its result is not drawn yet); the timer then leaves the collection for later, unless the young objects
pile up past ``HARD_LIMIT``. The window collects at each keystroke instead (``collect_due``), inside the
pause it waits for before computing anything.
"""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

INTERVAL_MS = 250
HARD_LIMIT = 200_000  # young objects past which the timer collects even while someone waits

_guard: _Collector | None = None


class _Collector(QObject):
    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self.setObjectName("gcGuard")
        self.thresholds = gc.get_threshold()
        self.waiting = None  # a weak reference to () -> bool: True while a result is awaited (``set_waiting``)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        waiting = self.waiting() if self.waiting is not None else None  # the window's method, while it lives
        if waiting is not None and counts[0] < HARD_LIMIT:
            try:
                if waiting():
                    return  # a result is awaited: collect after it is drawn
            except RuntimeError:  # the window's C++ side has gone
                self.waiting = None
        self.collect(counts)

    def collect(self, counts=None) -> None:
        counts = counts or gc.get_count()
        # The oldest generation whose count passed its threshold is collected (with the younger ones),
        # as the automatic collector would have done.
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


def install() -> bool:
    """Switch automatic collection off and collect from the GUI thread instead. Called before the
    worker thread starts; idempotent. Returns False (and changes nothing) without a Qt application or
    off the GUI thread."""
    global _guard
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return False
    if _guard is None or not _is_alive(_guard):  # one per application (it is the application's child)
        _guard = _Collector(app)
    gc.disable()
    return True


def collect_due() -> None:
    """Collect now what the timer would collect next (for code that runs without an event loop, and for the
    window at a keystroke), whoever waits."""
    if installed():
        _guard.collect()


def check_now() -> None:
    """What the timer does at its next tick (collect what is due, unless someone waits), now."""
    if installed():
        _guard.check()


def set_waiting(waiting) -> None:
    """``waiting``: a bound method () -> bool, True while the user waits for a result to be drawn; the timer's
    collections are put off meanwhile. Held weakly (a closed window answers no more); None: never put off."""
    if _guard is not None and _is_alive(_guard):
        _guard.waiting = None if waiting is None else weakref.WeakMethod(waiting)


def installed() -> bool:
    return _guard is not None and _is_alive(_guard) and not gc.isenabled()


def _is_alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:  # the C++ object went with its application
        return False
    return True
