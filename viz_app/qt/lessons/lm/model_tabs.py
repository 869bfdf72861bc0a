"""Tabs that model lessons share: why this prediction (attributions beside attention) and switching heads off
(with the head scan; GPT and BERT), the KV cache during generation and probability-coloured text that branches
(GPT).

Mixins for a ``ModelLesson`` (which provides ``ask``, ``stop``, ``sampling()``, ``seed``, ``model_name``,
``tabs``); the widgets are in ``heads_panel`` and ``kv_panel``, the jobs in ``viz_app.core.ablation.scan`` and
``viz_app.core.lm.kv_trace``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP

from viz_app.core.ablation import scan
from viz_app.core.explain import Explanations, explain_all_job
from viz_app.core.lm import branches, kv_trace
from viz_app.core.messages import user_text
from viz_app.qt.i18n import tr, tr_core
from viz_app.qt.lessons.lm.branches_panel import BranchesPanel
from viz_app.qt.lessons.lm.kv_panel import KVCachePanel
from viz_app.qt.widgets.explain_panel import ExplainPanel
from viz_app.qt.widgets.heads_panel import HeadsPanel

KV_TAB = QT_TR_NOOP("KV cache")
HEADS_TAB = QT_TR_NOOP("Switch heads off")
BRANCHES_TAB = QT_TR_NOOP("Branching text")
EXPLAIN_TAB = QT_TR_NOOP("Why this prediction?")
SENTIMENT_MODEL = "bert-sentiment"


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


class BranchesTab:
    """The "Branching text" tab: its main request scores the typed text; the buttons and forks are side requests
    ("branch:greedy", "branch:sample", "branch:beam", "fork")."""

    branches_tab = -1

    def build_branches_tab(self) -> None:
        self.branches_panel = BranchesPanel(self)
        self.branches_panel.generateRequested.connect(self.run_branch)
        self.branches_panel.forkRequested.connect(self.run_fork)
        self.branches_tab = self.add_tab(self.branches_panel, BRANCHES_TAB)

    def branches_request(self, text: str):
        return branches.typed_job, (self.model_name, text), {}

    def run_branch(self, method: str) -> None:
        try:
            self.sampling().check()
        except ValueError as exc:
            self.show_error(tr_core(user_text(exc)))
            return
        panel = self.branches_panel
        self.ask(
            f"branch:{method}", branches.branch_job, self.model_name, self.text, (), panel.max_new.value(), method,
            self.sampling(), self.seed.value(),
            label=tr("{model} writing a branch").format(model=self.model_label()),
            on_result=lambda b, _e: panel.add(b, None, None), on_failed=self.show_error,
        )  # fmt: skip

    def run_fork(self, node: int, step: int, token: int) -> None:
        panel = self.branches_panel
        parent = panel.nodes[node].branch
        forced = tuple(s.token_id for s in parent.steps[:step]) + (token,)
        method = "greedy" if parent.method == "typed" else parent.method
        self.ask(
            "fork", branches.branch_job, parent.model, parent.prompt, forced, panel.max_new.value(), method,
            self.sampling(), parent.seed, label=tr("{model} writing a branch").format(model=self.model_label()),
            on_result=lambda b, _e: panel.add(b, node, step), on_failed=self.show_error,
        )  # fmt: skip

    def show_branches_result(self, r) -> bool:
        if isinstance(r, branches.Branch):
            self.branches_panel.set_typed(r)
            return True
        return False

    def branches_csv_rows(self, r) -> list[list] | None:
        if not isinstance(r, branches.Branch):
            return None
        rows = [["branch", "method", "parent", "fork_step", "step", "token", "prob", "entropy_bits", "forced"]]
        for i, n in enumerate(self.branches_panel.nodes):
            for k, s in enumerate(n.branch.steps):
                rows.append([i, n.branch.method, "" if n.parent is None else n.parent,
                             "" if n.fork is None else n.fork, k, s.text, f"{s.prob:.6g}", f"{s.entropy:.4f}",
                             int(s.forced)])  # fmt: skip
        return rows

    def branches_json(self) -> dict:
        return self.branches_panel.to_json()


class ExplainTab:
    """The "Why this prediction?" tab: its main request explains the prediction four ways
    (``viz_app.core.explain.explain_all_job``). ``explain_subjects``: what the tab may explain, as
    (key, English label) pairs ("mask": the word at a [MASK]; "sentiment": bert-sentiment's label)."""

    explain_tab = -1
    explain_subjects: tuple[tuple[str, str], ...] = ()

    def build_explain_tab(self) -> None:
        keys = [k for k, _ in self.explain_subjects]
        self.explain_panel = ExplainPanel(self, self.explain_subjects, masks="mask" in keys)
        self.explain_panel.changed.connect(self._explain_changed)
        self.explain_tab = self.add_tab(self.explain_panel, EXPLAIN_TAB)

    def _explain_changed(self) -> None:
        if self.tabs.currentIndex() == self.explain_tab:
            self.refresh()

    def explain_request(self, text: str):
        p = self.explain_panel
        # positional: ``ask`` has keyword arguments of its own (label=...)
        if p.subject_key() == "sentiment":
            return explain_all_job, (SENTIMENT_MODEL, text, None, None, p.target_text()), {}
        if p.subject_key() == "mask":
            return explain_all_job, (self.model_name, text, p.target_text(), p.mask_index()), {}
        return explain_all_job, (self.model_name, text, p.target_text()), {}

    def show_explain_result(self, r) -> bool:
        if isinstance(r, Explanations):
            self.explain_panel.show_result(r)
            return True
        return False

    def explain_csv_rows(self, r) -> list[list] | None:
        if not isinstance(r, Explanations):
            return None
        return r.csv_rows()
