"""Tabs that model lessons share: switching heads off (with the head scan; GPT and BERT) and the KV cache during
generation (GPT).

Mixins for a ``ModelLesson`` (which provides ``ask``, ``stop``, ``sampling()``, ``seed``, ``model_name``,
``tabs``); the widgets are in ``heads_panel`` and ``kv_panel``, the jobs in ``viz_app.core.ablation.scan`` and
``viz_app.core.lm.kv_trace``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP

from viz_app.core.ablation import scan
from viz_app.core.lm import kv_trace
from viz_app.core.messages import user_text
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.lm.kv_panel import KVCachePanel
from viz_app.qt.widgets.heads_panel import HeadsPanel

KV_TAB = QT_TR_NOOP("KV cache")
HEADS_TAB = QT_TR_NOOP("Switch heads off")


class HeadsTab:
    """The "Switch heads off" tab: its main request is the prediction with the chosen heads off; the scan is a
    side request ("headscan")."""

    heads_tab = -1

    def build_heads_tab(self) -> None:
        self.heads_panel = HeadsPanel(self)
        self.heads_panel.changed.connect(self._heads_changed)
        self.heads_panel.scanRequested.connect(self.run_head_scan)
        self.heads_panel.cancelRequested.connect(lambda: self.stop("headscan"))
        self.heads_tab = self.add_tab(self.heads_panel, HEADS_TAB)

    def heads_request(self, text: str):
        p = self.heads_panel
        return scan.ablated_prediction_job, (self.model_name, text, p.heads_off(), p.mode_name), {}

    def _heads_changed(self) -> None:
        if self.tabs.currentIndex() == self.heads_tab:
            self.refresh()

    def run_head_scan(self) -> None:
        if not self.text.strip():
            self.show_error(tr("Type a text first: the scan reads the model's prediction for it."))
            return
        panel = self.heads_panel
        panel.scan_started()
        self.ask(
            "headscan", scan.head_scan_job, self.model_name, self.text, panel.mode_name,
            label=tr("{model}: switching each head off in turn").format(model=self.model_label()),
            on_progress=panel.scan_progress, on_result=lambda v, _e: panel.show_scan(v),
            on_failed=self._scan_failed, on_cancelled=panel.scan_ended,
        )  # fmt: skip

    def _scan_failed(self, message: str) -> None:
        self.heads_panel.scan_ended()
        self.show_error(message)

    def heads_tour_action(self) -> list[int]:
        """The scan, for a tour step or the gallery."""
        self.run_head_scan()
        return [self.asked("headscan").request_id] if self.busy("headscan") else []

    def show_heads_result(self, r) -> bool:
        if isinstance(r, scan.AblatedPrediction):
            self.heads_panel.show_prediction(r)
            return True
        return False

    def heads_csv_rows(self, r) -> list[list] | None:
        if isinstance(r, scan.AblatedPrediction):
            rows = [["heads_off", "mode", "target", "base_logprob", "logprob", "delta_logprob"]]
            off = " ".join(f"{r.rows[a]}:h{b + 1}" for a, b in r.heads_off)
            return rows + [[off, r.mode, r.target, f"{r.base_logprob:.6g}", f"{r.logprob:.6g}",
                            f"{r.delta_logprob:.6g}"]]  # fmt: skip
        return None


class KVCacheTab:
    """The "KV cache" tab: its button generates step by step ("kvcache"); the main request keeps the lesson's
    next-token result fresh."""

    kv_tab = -1

    def build_kv_tab(self) -> None:
        self.kv_panel = KVCachePanel(self)
        self.kv_panel.runRequested.connect(self.run_kv_cache)
        self.kv_tab = self.add_tab(self.kv_panel, KV_TAB)

    def run_kv_cache(self) -> None:
        try:
            self.sampling().check()
        except ValueError as exc:
            self.show_error(tr_core(user_text(exc)))
            return
        if not self.text.strip():
            self.show_error(tr("Type a prompt first: the GPT continues it."))
            return
        panel = self.kv_panel
        panel.set_busy(True)
        self.ask(
            "kvcache", kv_trace.kv_cache_job, self.model_name, self.text, panel.max_new.value(), self.sampling(),
            self.seed.value(), label=tr("{model} generating with the cache").format(model=self.model_label()),
            on_progress=self._kv_progress, on_result=self._kv_done, on_failed=self._kv_failed,
            on_cancelled=lambda: panel.set_busy(False),
        )  # fmt: skip

    def _kv_progress(self, progress) -> None:
        if isinstance(progress.data, kv_trace.KVTrace):
            self.kv_panel.show_trace(progress.data)

    def _kv_done(self, value, _elapsed: float) -> None:
        self.kv_panel.set_busy(False)
        self.kv_panel.show_trace(value)

    def _kv_failed(self, message: str) -> None:
        self.kv_panel.set_busy(False)
        self.show_error(message)

    def kv_tour_action(self) -> list[int]:
        """Generate step by step, for a tour step or the gallery."""
        self.run_kv_cache()
        return [self.asked("kvcache").request_id] if self.busy("kvcache") else []
