"""The "watch a Transformer learn" job (Qt-free): a tiny attention model trained a chunk of steps at a time.

``learn_chunk_job(ctx, session_key, config, steps)`` trains ``steps`` more steps of the trainer kept here under
``session_key`` (made on the first call, made again when the config changes or ``reset=True``), yielding
Progress between pieces of a few steps (so a chunk can be cancelled; the trainer stays consistent), and returns
a :class:`LearnChunk`: the losses so far, the snapshot history (for replaying the heads from step 0), the latest
attention of every head on the fixed test input, every head's score against the task's ideal pattern and the
predictions on the test input. The view asks for one chunk after another; pausing is simply not asking.
Torch-free at import: the trainer imports torch when it is made.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.learn import score as scoring
from viz_app.core.learn.trainer import LearnConfig, Trainer
from viz_app.core.messages import msg

MAX_SESSIONS = 4  # trainers kept at once (the least recently used goes first)
PIECE = 5  # steps between two progress reports (and cancellation checks)
MAX_CHUNK = 100000

_SESSIONS: OrderedDict[str, Trainer] = OrderedDict()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class LearnChunk:
    session_key: str
    task: str
    step: int  # steps trained so far
    losses: np.ndarray  # (step,) float32: every step's training loss
    snapshot_steps: np.ndarray  # (S,) int64: the steps of the kept snapshots, from 0
    snapshot_losses: np.ndarray  # (S,) float32
    test_losses: np.ndarray  # (S,) float32
    accuracies: np.ndarray  # (S,) float32: answer accuracy on the held-out test batch
    sequence_accuracies: np.ndarray  # (S,) float32
    history: np.ndarray  # (S, L, H, T, T) float16: every head on the test input at each snapshot
    history_scores: np.ndarray  # (S, L, H) float32
    attention: np.ndarray  # (L, H, T, T) float32: now
    scores: np.ndarray  # (L, H) float32: now (NaN where the task has no ideal pattern)
    best_layer: int
    best_head: int
    best_score: float
    formed: bool  # the best score above score.FORMED
    score_kind: str  # "ideal", "diagonal" (french) or "none" (chars)
    tokens: tuple[str, ...]  # the T tokens of the test input the model reads (the attention's axes)
    ideal: np.ndarray  # (T,) int64: the ideal key per query position, -1 where none
    answer: np.ndarray  # (T,) bool: the query positions whose output is an answer
    predictions: tuple[tuple[int, str, float, str, float], ...]  # (position, best guess, its probability,
    #                                                               expected token, its probability)
    loss: float  # the last step's training loss (the test loss before any step)
    accuracy: float  # now
    sequence_accuracy: float
    hint: str
    seconds: float  # this chunk's time
    steps_per_second: float
    device: str
    history_bytes: int

    def to_json(self) -> dict:
        return {
            "session_key": self.session_key, "task": self.task, "step": self.step, "loss": self.loss,
            "accuracy": self.accuracy, "sequence_accuracy": self.sequence_accuracy,
            "losses": np.round(self.losses, 5).tolist(), "snapshot_steps": self.snapshot_steps.tolist(),
            "accuracies": np.round(self.accuracies, 4).tolist(), "scores": _nan_none(self.scores),
            "best": [self.best_layer, self.best_head, None if np.isnan(self.best_score) else self.best_score],
            "formed": self.formed, "score_kind": self.score_kind, "tokens": list(self.tokens),
            "ideal": self.ideal.tolist(), "predictions": [list(p) for p in self.predictions], "hint": self.hint,
            "seconds": self.seconds, "steps_per_second": self.steps_per_second, "device": self.device,
        }  # fmt: skip


def _nan_none(a: np.ndarray) -> list:
    return [[None if np.isnan(v) else round(float(v), 4) for v in row] for row in np.asarray(a)]


def _config(config) -> LearnConfig:
    if isinstance(config, LearnConfig):
        return config
    if isinstance(config, dict):
        return LearnConfig.from_json(config)
    raise ValueError(msg("a training configuration is needed"))


def trainer(session_key: str, config, device: str = "cpu", reset: bool = False) -> Trainer:
    """The session's trainer on ``device``: made on the first call, made again when ``config`` changes or on
    ``reset``."""
    config = _config(config)
    with _LOCK:
        t = _SESSIONS.get(session_key)
        if reset or t is None or t.config != config:
            _SESSIONS.pop(session_key, None)
            t = None
        else:
            _SESSIONS.move_to_end(session_key)
    if t is None:
        t = Trainer(config, device)  # outside the lock: loading torch and the data takes a while
        with _LOCK:
            _SESSIONS[session_key] = t
            while len(_SESSIONS) > MAX_SESSIONS:
                _SESSIONS.popitem(last=False)
    return t.to(device)


def forget(session_key: str) -> None:
    with _LOCK:
        _SESSIONS.pop(session_key, None)


def learn_chunk_job(ctx, session_key: str, config, steps: int = 25, reset: bool = False):
    """Generator job: ``steps`` more training steps of ``session_key``'s trainer -> a :class:`LearnChunk`.
    ``steps`` = 0 reports the current state (after a reset: the untrained model)."""
    steps = int(steps)
    if not 0 <= steps <= MAX_CHUNK:
        raise ValueError(msg("the steps per chunk go from 0 to {high}, not {steps}", high=MAX_CHUNK, steps=steps))
    t = trainer(session_key, config, ctx.device, reset)
    start, t0 = t.step, time.perf_counter()
    done = 0
    while done < steps:
        n = min(PIECE, steps - done)
        t.run(n)
        done += n
        loss = t.losses[-1]
        yield Progress(
            done / steps,
            msg(
                "step {step} ({done} of {steps}), loss {loss}", step=t.step, done=done, steps=steps, loss=f"{loss:.3f}"
            ),
            (t.step, loss),
        )
    seconds = time.perf_counter() - t0
    return chunk(t, session_key, seconds, (t.step - start) / seconds if seconds > 0 and t.step > start else 0.0)


def chunk(t: Trainer, session_key: str, seconds: float = 0.0, rate: float = 0.0) -> LearnChunk:
    """The trainer's state now as a :class:`LearnChunk` (numpy only, trimmed to the test input's tokens)."""
    now = t.evaluate()
    snap = now.snapshot
    snaps = t.snapshots
    test = t.test
    real = int(np.count_nonzero(test.inputs[0]))  # the test input's tokens before any padding
    ids = test.inputs[0, :real]
    targets = test.targets[0, :real]
    answer = test.answer[0, :real].copy()
    ideal = test.ideal[0, :real].copy()
    probs = now.probs[:real]
    vocab = t.task.vocab
    predictions = tuple(
        (
            int(p),
            vocab[int(np.argmax(probs[p]))],
            float(np.max(probs[p])),
            vocab[int(targets[p])],
            float(probs[p, int(targets[p])]),
        )
        for p in np.flatnonzero(answer)
    )
    kind = {"position": "ideal", "diagonal": "diagonal"}.get(t.task.ideal_kind, "none")
    layer, head, best = scoring.best_head(snap.scores)
    return LearnChunk(
        session_key=session_key,
        task=t.config.task,
        step=t.step,
        losses=np.asarray(t.losses, np.float32),
        snapshot_steps=np.array([s.step for s in snaps], np.int64),
        snapshot_losses=np.array([s.loss for s in snaps], np.float32),
        test_losses=np.array([s.test_loss for s in snaps], np.float32),
        accuracies=np.array([s.accuracy for s in snaps], np.float32),
        sequence_accuracies=np.array([s.sequence_accuracy for s in snaps], np.float32),
        history=np.stack([s.attention[:, :, :real, :real] for s in snaps]),
        history_scores=np.stack([s.scores for s in snaps]).astype(np.float32),
        attention=snap.attention[:, :, :real, :real].astype(np.float32),
        scores=snap.scores.astype(np.float32),
        best_layer=layer,
        best_head=head,
        best_score=best,
        formed=kind == "ideal" and scoring.formed(snap.scores),
        score_kind=kind,
        tokens=tuple(vocab[int(i)] for i in ids),
        ideal=ideal,
        answer=answer,
        predictions=predictions,
        loss=float(snap.loss),
        accuracy=float(snap.accuracy),
        sequence_accuracy=float(snap.sequence_accuracy),
        hint=t.task.hint(),
        seconds=float(seconds),
        steps_per_second=float(rate),
        device=t.device,
        history_bytes=t.history_bytes(),
    )


@dataclass(frozen=True)
class LearnedModel:
    """What other views can use: the trained TinyLM (a copy, on the CPU, eval mode) and its vocabulary."""

    model: object  # viz_app.core.lm.model.TinyLM
    vocab: tuple[str, ...]
    config: LearnConfig
    step: int

    def encode(self, tokens) -> list[int]:
        index = {w: i for i, w in enumerate(self.vocab)}
        return [index[t] for t in tokens]


def _get(session_key: str) -> Trainer:
    with _LOCK:
        t = _SESSIONS.get(session_key)
    if t is None:
        raise LookupError(msg("nothing has been trained in this session yet"))
    return t


def learned_model(session_key: str) -> LearnedModel:
    import copy

    t = _get(session_key)
    model = copy.deepcopy(t.model).to("cpu").eval()
    return LearnedModel(model, t.task.vocab, t.config, t.step)


def save(session_key: str, folder) -> tuple[Path, Path]:
    """Write the session's model as NAME.safetensors and NAME.json (the configs, the vocabulary, the step) in
    ``folder`` -> the two paths."""
    from safetensors.torch import save_file

    t = _get(session_key)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"learn-{t.config.task}-step{t.step}"
    weights, card = folder / f"{name}.safetensors", folder / f"{name}.json"
    save_file({k: v.detach().cpu().contiguous() for k, v in t.model.state_dict().items()}, str(weights))
    info = {
        "task": t.config.task,
        "step": t.step,
        "learn_config": t.config.to_json(),
        "model_config": t.model_config.to_json(),
        "vocab": list(t.task.vocab),
        "accuracy": t.evaluate().snapshot.accuracy,
    }
    card.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return weights, card


class _VocabTokens:
    """The task's vocabulary as the tokenizer the language-model probes read (``probes.OwnModel``): tokens
    separated by spaces (characters one by one for the next-character task); only the task's own tokens."""

    def __init__(self, vocab: tuple[str, ...], chars: bool):
        self.words, self.chars = vocab, chars
        self.index = {w: i for i, w in enumerate(vocab)}
        self.unk = self.sep = self.cls = self.index.get("|", 0)
        self.mask = None
        self.kind = "char" if chars else "word"

    def split(self, text: str) -> list[str]:
        return list(text) if self.chars else text.split()

    def encode_as_text(self, text: str) -> list[int]:
        parts = self.split(text)
        unknown = sorted({p for p in parts if p not in self.index or self.index[p] == 0})
        if unknown:
            shown = " ".join(w for w in self.words if w != "<pad>")
            raise ValueError(msg("the model trained in Learn reads only its task's tokens ({tokens}), not {unknown}",
                                 tokens=shown[:120], unknown=" ".join(unknown)[:60]))  # fmt: skip
        return [self.index[p] for p in parts]

    def plain(self, token_id: int) -> str:
        return self.words[token_id]

    def is_continuation(self, _token_id: int) -> bool:
        return self.chars

    def decode(self, ids) -> str:
        return ("" if self.chars else " ").join(self.words[i] for i in ids)


def as_language_model(session_key: str, device: str = "cpu"):
    """The session's model as the lessons' language models are (``probes.OwnModel``, no start or end token:
    it reads its task's sequences as they are), a copy on ``device``: the other tabs of the lesson draw it."""
    from viz_app.core.lm.probes import OwnModel

    learned = learned_model(session_key)
    lm = OwnModel(
        f"learn-{learned.config.task}", learned.model, _VocabTokens(learned.vocab, learned.config.task == "chars")
    )
    lm.start_ids, lm.end_ids = [], []
    lm.step = learned.step
    return lm.to(device)


def test_input_text(chunk: LearnChunk) -> str:
    """The test input the Learn tab shows, as text the learned model reads (the lesson's input box)."""
    joiner = "" if chunk.task == "chars" else " "
    return joiner.join(t for t in chunk.tokens if t != "<pad>")


def save_job(ctx, session_key: str, folder: str) -> tuple[str, str]:
    """:func:`save` on the worker (the trainer lives there) -> the two paths written."""
    weights, card = save(session_key, folder)
    return str(weights), str(card)
