"""Training a tiny decoder-only Transformer on a toy task, step by step, with exact pause and resume.

The model is the GPT lesson's ``TinyLM`` (causal, no dropout; its blocks' linear layers Xavier-initialised, see
``_xavier_blocks``). The loss is the cross entropy on the answer
positions only. Step s trains on the batch drawn from ``np.random.default_rng([seed, 0, s])`` and the weights
start from ``torch.manual_seed(seed)``, so nothing depends on how the steps are split: 100 steps at once give
the same losses, bit for bit, as 40 then 60 (the model, the optimizer and the step counter carried over; see
``Trainer.state_dict``). Every ``record_every`` steps (and at step 0) a :class:`Snapshot` keeps the loss, the
answer accuracy on a fixed held-out test batch, every head's attention on one fixed test input (float16) and
every head's score (``score``). At most ``max_snapshots`` are kept: past that every other one is dropped and the
interval doubles, so the history stays evenly spaced from step 0.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import asdict, dataclass, fields

import numpy as np

from viz_app.core.learn import score as scoring
from viz_app.core.learn.tasks import DEFAULT_TEXT, TASKS, Task, make_task
from viz_app.core.messages import msg

TEST_STREAM, TRAIN_STREAM = 1, 0
CPU_THREADS = 1


@dataclass(frozen=True)
class LearnConfig:
    task: str = "reverse"
    width: int = 64  # d_model
    layers: int = 2
    heads: int = 4
    lr: float = 1e-3  # AdamW; 3e-3 learns reverse as fast but leaves induction at chance for 1,000+ steps (seed 1)
    batch: int = 64
    seed: int = 0
    length: int = 6  # input tokens (digit tasks), window half (chars)
    digits: int = 10
    text: str = DEFAULT_TEXT  # the chars task's text
    weight_decay: float = 0.01
    warmup: int = 20  # steps of linearly rising learning rate
    record_every: int = 5
    test_size: int = 256
    max_snapshots: int = 200

    def validate(self) -> None:
        """ValueError with a message for the user on a setting the trainer cannot use."""
        if self.task not in TASKS:
            raise ValueError(msg("unknown task {task}: choose one of {tasks}", task=self.task, tasks=", ".join(TASKS)))
        for name, low, high in (
            ("width", 4, 1024),
            ("layers", 1, 8),
            ("heads", 1, 16),
            ("batch", 1, 4096),
            ("record_every", 1, 100000),
            ("test_size", 1, 4096),
            ("max_snapshots", 2, 100000),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise ValueError(
                    msg("{name} goes from {low} to {high}, not {value}", name=name, low=low, high=high, value=value)
                )
        if self.width % self.heads:
            raise ValueError(
                msg("the width ({width}) must be a multiple of the heads ({heads})", width=self.width, heads=self.heads)
            )
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and 0 < self.lr <= 1):
            raise ValueError(msg("the learning rate must be above 0 and at most 1, not {lr}", lr=self.lr))
        if self.seed < 0 or self.warmup < 0 or self.weight_decay < 0:
            raise ValueError(msg("the seed, warm-up and weight decay cannot be negative"))

    def make_task(self, root=None) -> Task:
        return make_task(self.task, self.length, self.digits, self.text, root)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> LearnConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Snapshot:
    step: int
    loss: float  # the training batch's loss at this step (the test loss at step 0)
    test_loss: float
    accuracy: float  # answer tokens right (argmax, teacher forced) on the test batch
    sequence_accuracy: float  # examples with every answer token right
    attention: np.ndarray  # (L, H, T, T) float16: every head on the fixed test input
    scores: np.ndarray  # (L, H) float32: every head's score on the whole test batch

    @property
    def nbytes(self) -> int:
        return int(self.attention.nbytes + self.scores.nbytes) + 64


@dataclass(frozen=True)
class Evaluation:
    snapshot: Snapshot
    probs: np.ndarray  # (T, V) float32: the next-token probabilities on the fixed test input


def _rng(seed: int, stream: int, step: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, stream, step])


class Trainer:
    def __init__(self, config: LearnConfig, device: str = "cpu", root=None):
        import torch

        from viz_app.core.lm.model import LMConfig, TinyLM

        config.validate()
        self.config = config
        self.task = config.make_task(root)
        t = self.task.seq_len - 1
        self.model_config = LMConfig(
            vocab=len(self.task.vocab),
            causal=True,
            d_model=config.width,
            heads=config.heads,
            layers=config.layers,
            d_ff=4 * config.width,
            dropout=0.0,
            max_len=t,
        )
        with torch.random.fork_rng(devices=[]):  # the seed is the model's own: the caller's generator is untouched
            torch.manual_seed(config.seed)
            self.model = TinyLM(self.model_config)
            _xavier_blocks(self.model)
        self.device = str(device)
        self.model.to(self.device)
        self.optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=config.lr, betas=(0.9, 0.98), weight_decay=config.weight_decay, foreach=True
        )
        self.step = 0
        self.losses: list[float] = []  # one per step
        self.snapshots: list[Snapshot] = []
        self.every = config.record_every
        self.test = self.task.batch(_rng(config.seed, TEST_STREAM), config.test_size, test=True)
        self._current: Evaluation | None = None
        self._record()

    # -- training ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def threads(self):
        """On the CPU, one thread while training: these matrices are too small to share (two threads are several
        times slower on two cores, more so when anything else runs); the caller's count is restored after."""
        import torch

        before = torch.get_num_threads()
        if self.device != "cpu" or before == CPU_THREADS:
            yield
            return
        torch.set_num_threads(CPU_THREADS)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def _tensor(self, array):
        import torch

        return torch.as_tensor(np.ascontiguousarray(array), device=self.device)

    def _lr(self, step: int) -> float:
        w = self.config.warmup
        return self.config.lr * min(1.0, (step + 1) / w) if w else self.config.lr

    def train_step(self) -> float:
        import torch

        batch = self.task.batch(_rng(self.config.seed, TRAIN_STREAM, self.step), self.config.batch)
        self.model.train()
        for group in self.optimizer.param_groups:
            group["lr"] = self._lr(self.step)
        ids, answer = self._tensor(batch.inputs), self._tensor(batch.answer)
        hidden = self.model(ids)
        logits = self.model.token_logits(hidden[answer])
        loss = torch.nn.functional.cross_entropy(logits, self._tensor(batch.targets)[answer])
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.step += 1
        value = float(loss.detach())
        self.losses.append(value)
        self._current = None
        if self.step % self.every == 0:
            self._record()
        return value

    def run(self, steps: int, callback=None) -> list[Snapshot]:
        """Train ``steps`` more steps -> the snapshots recorded meanwhile. ``callback(step, loss)`` after each
        step (a job checks cancellation there; raising stops between two steps, the state consistent)."""
        if steps < 0:
            raise ValueError(msg("the number of steps cannot be negative"))
        before = self.snapshots[-1].step if self.snapshots else -1
        with self.threads():
            for _ in range(int(steps)):
                loss = self.train_step()
                if callback is not None:
                    callback(self.step, loss)
        return [s for s in self.snapshots if s.step > before]

    # -- evaluation --------------------------------------------------------------------------------------
    def evaluate(self) -> Evaluation:
        """The test batch now (cached until the next step)."""
        import torch

        if self._current is not None:
            return self._current
        test = self.test
        self.model.eval()
        record: dict = {}
        with torch.no_grad(), self.threads():
            ids, answer = self._tensor(test.inputs), self._tensor(test.answer)
            targets = self._tensor(test.targets)
            hidden = self.model(ids, record=record)
            logits = self.model.token_logits(hidden)  # (B, T, V)
            logp = torch.log_softmax(logits.float(), -1)
            nll = -logp.gather(-1, targets[..., None])[..., 0]
            test_loss = float(nll[answer].mean())
            right = (logits.argmax(-1) == targets) | ~answer
            accuracy = float(right[answer].float().mean())
            sequence_accuracy = float(right.all(-1).float().mean())
            weights = torch.stack([layer["self"]["weights"] for layer in record["layers"]], 1)  # (B, L, H, T, T)
            weights = weights.float().cpu().numpy()
            probs = logp[0].exp().cpu().numpy()
        scores = self._scores(weights)
        loss = self.losses[-1] if self.losses else test_loss
        snap = Snapshot(
            self.step,
            loss,
            test_loss,
            accuracy,
            sequence_accuracy,
            weights[0].astype(np.float16),
            scores,
        )
        self._current = Evaluation(snap, probs.astype(np.float32))
        return self._current

    def _scores(self, weights: np.ndarray) -> np.ndarray:
        kind = self.task.ideal_kind
        if kind == "position":
            return scoring.head_scores(weights, self.test.ideal)
        if kind == "diagonal":
            return scoring.diagonality(weights, self.test.ideal, self.test.answer)
        return np.full(weights.shape[1:3], np.nan, np.float32)

    def _record(self) -> None:
        self.snapshots.append(self.evaluate().snapshot)
        if len(self.snapshots) > self.config.max_snapshots:  # thin: keep every other one, double the interval
            self.every *= 2
            self.snapshots = [s for s in self.snapshots if s.step % self.every == 0]

    def history_bytes(self) -> int:
        """Memory of the kept history: the snapshots and the per-step losses (as float32 would take)."""
        return sum(s.nbytes for s in self.snapshots) + 4 * len(self.losses)

    # -- state -------------------------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything a fresh Trainer of the same config needs to continue exactly (tensors on the CPU)."""
        import copy

        model = {k: v.detach().cpu().clone() for k, v in self.model.state_dict().items()}
        optimizer = copy.deepcopy(self.optimizer.state_dict())
        for state in optimizer["state"].values():
            for k, v in list(state.items()):
                if hasattr(v, "cpu"):
                    state[k] = v.cpu()
        return {
            "config": self.config.to_json(),
            "model": model,
            "optimizer": optimizer,
            "step": self.step,
            "every": self.every,
            "losses": list(self.losses),
            "snapshots": list(self.snapshots),
        }

    def load_state_dict(self, state: dict) -> None:
        if LearnConfig.from_json(state["config"]) != self.config:
            raise ValueError(msg("this training state belongs to another configuration"))
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])  # moves the state to the parameters' device
        self.step, self.every = int(state["step"]), int(state["every"])
        self.losses = list(state["losses"])
        self.snapshots = list(state["snapshots"])
        self._current = None

    def to(self, device: str) -> Trainer:
        """Move the model and the optimizer's state to ``device``."""
        device = str(device)
        if device != self.device:
            self.model.to(device)
            for state in self.optimizer.state.values():
                for k, v in list(state.items()):
                    if hasattr(v, "to") and getattr(v, "dim", lambda: 1)() > 0:
                        state[k] = v.to(device)
            self.device = device
            self._current = None
        return self


def _xavier_blocks(model) -> None:
    """Xavier-uniform weights for the blocks' linear layers (as the Transformer lesson's model has). TinyLM's own
    init (normal, std 0.02) makes the attention path W_V W_O almost zero, a saddle the training is slow to leave:
    on 2 CPU cores reverse sat at chance (loss ln 10) for ~100 steps, induction for thousands; with this, reverse
    is learned by step ~100 and induction by ~300."""
    from torch import nn

    for name, module in model.named_modules():
        if name.startswith("blocks") and isinstance(module, nn.Linear):
            nn.init.xavier_uniform_(module.weight)
