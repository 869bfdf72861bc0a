"""The lecture's toy recurrent network.

Two inputs x1, x2; two hidden neurons whose values are copied into two memory
cells a1, a2 after every step; two outputs. All weights are 1, there is no bias
and every activation is linear, so at step t (memory starts at 0):

    h_t = W_xh x_t + W_hh a_t        # (2,)  hidden neurons
    y_t = W_hy h_t                   # (2,)  outputs
    a_(t+1) = h_t                    # memory keeps the hidden values

Input [1,1], [1,1], [2,2] gives outputs [4,4], [12,12], [32,32]; the same
inputs in another order give other outputs, because the memory carries the past.

The bi-directional version runs a second, identical network from the last step
to the first; each output neuron then sees both hidden layers (weights 1):
y_t = W_hy_fwd h_fwd_t + W_hy_bwd h_bwd_t.

The weights live in ``resources/models/rnn_toy.safetensors`` (all ones, as in the
lecture) and are loaded through the model registry like every bundled model.
Running this file writes that weight file: ``python -m viz_app.core.rnn.toy OUT``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import numpy as np

from viz_app.core.messages import msg

INPUT_SIZE = 2
MAX_STEPS = 64
LECTURE_INPUTS = ((1.0, 1.0), (1.0, 1.0), (2.0, 2.0))
WEIGHT_NAMES = (
    "forward.W_xh",
    "forward.W_hh",
    "forward.W_hy",
    "backward.W_xh",
    "backward.W_hh",
    "backward.W_hy",
)


@dataclass(frozen=True)
class DirectionTrace:
    """One direction of the network, indexed by the original time steps."""

    memory_before: np.ndarray  # (T, 2) memory cells a_t when x_t arrives
    hidden: np.ndarray  # (T, 2) hidden neurons h_t (copied to memory afterwards)
    outputs: np.ndarray  # (T, 2) y_t of this direction alone


@dataclass(frozen=True)
class ToyRnnResult:
    inputs: np.ndarray  # (T, 2)
    forward: DirectionTrace
    backward: DirectionTrace | None  # only when bidirectional
    outputs: np.ndarray  # (T, 2) the network's outputs (both directions when bidirectional)
    reversed_outputs: np.ndarray  # (T, 2) outputs for the same inputs in reverse order

    @property
    def bidirectional(self) -> bool:
        return self.backward is not None

    def to_json(self) -> dict:
        def clean(a: np.ndarray) -> list:
            return [[_num(v) for v in row] for row in a]

        out = {
            "inputs": clean(self.inputs),
            "outputs": clean(self.outputs),
            "memory": clean(self.forward.hidden),  # memory cells after each step
            "memory_before": clean(self.forward.memory_before),
            "bidirectional": self.bidirectional,
            "reversed_inputs_outputs": clean(self.reversed_outputs),
        }
        if self.backward is not None:
            out["forward"] = {
                "outputs": clean(self.forward.outputs),
                "memory": clean(self.forward.hidden),
            }
            out["backward"] = {
                "outputs": clean(self.backward.outputs),
                "memory": clean(self.backward.hidden),
                "memory_before": clean(self.backward.memory_before),
            }
        return out


def _num(v: float) -> float | int:
    """Integers print as integers in JSON (the lecture's [4, 4], not [4.0, 4.0])."""
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def lecture_weights() -> dict[str, np.ndarray]:
    """All weights 1: the network on the lecture's slide."""
    return {name: np.ones((INPUT_SIZE, INPUT_SIZE), dtype=np.float64) for name in WEIGHT_NAMES}


def check_weights(weights: dict[str, np.ndarray]) -> None:
    for name in WEIGHT_NAMES:
        if name not in weights:
            raise ValueError(f"toy RNN weights lack the tensor {name!r}")
        if tuple(weights[name].shape) != (INPUT_SIZE, INPUT_SIZE):
            raise ValueError(f"toy RNN tensor {name!r} has shape {tuple(weights[name].shape)}, expected (2, 2)")


def _run_direction(inputs: np.ndarray, w_xh: np.ndarray, w_hh: np.ndarray, w_hy: np.ndarray) -> DirectionTrace:
    steps = inputs.shape[0]
    memory = np.zeros(INPUT_SIZE)  # (2,) a_0 = 0
    memory_before = np.zeros((steps, INPUT_SIZE))
    hidden = np.zeros((steps, INPUT_SIZE))
    outputs = np.zeros((steps, INPUT_SIZE))
    for t in range(steps):
        memory_before[t] = memory
        h = w_xh @ inputs[t] + w_hh @ memory  # (2,) linear activation, no bias
        hidden[t] = h
        outputs[t] = w_hy @ h  # (2,)
        memory = h  # the memory cells store the hidden values for the next step
    return DirectionTrace(memory_before=memory_before, hidden=hidden, outputs=outputs)


def run(inputs, weights: dict[str, np.ndarray] | None = None, bidirectional: bool = False) -> ToyRnnResult:
    """Run the toy network over ``inputs`` ((T, 2) numbers)."""
    x = validate_inputs(inputs)
    w = lecture_weights() if weights is None else weights
    check_weights(w)
    fwd = _run_direction(x, w["forward.W_xh"], w["forward.W_hh"], w["forward.W_hy"])
    rev_fwd = _run_direction(x[::-1], w["forward.W_xh"], w["forward.W_hh"], w["forward.W_hy"])
    if not bidirectional:
        return ToyRnnResult(inputs=x, forward=fwd, backward=None, outputs=fwd.outputs, reversed_outputs=rev_fwd.outputs)
    bwd_rev = _run_direction(x[::-1], w["backward.W_xh"], w["backward.W_hh"], w["backward.W_hy"])
    bwd = DirectionTrace(
        memory_before=bwd_rev.memory_before[::-1].copy(),
        hidden=bwd_rev.hidden[::-1].copy(),
        outputs=bwd_rev.outputs[::-1].copy(),
    )
    combined = fwd.outputs + bwd.outputs  # y_t = W_hy_fwd h_fwd_t + W_hy_bwd h_bwd_t
    # The same network on the reversed sequence, for the "order matters" comparison.
    rb = _run_direction(x, w["backward.W_xh"], w["backward.W_hh"], w["backward.W_hy"])
    reversed_combined = rev_fwd.outputs + rb.outputs[::-1]
    return ToyRnnResult(inputs=x, forward=fwd, backward=bwd, outputs=combined, reversed_outputs=reversed_combined)


MODEL_NAME = "rnn-toy"


def load_bundled_weights(registry, name: str = MODEL_NAME) -> dict[str, np.ndarray]:
    """The toy network's weights from the registry (checked against the manifest's sha256)."""
    tensors = registry.load_numpy_tensors(name)
    weights = {k: np.asarray(v, dtype=np.float64) for k, v in tensors.items()}
    check_weights(weights)
    return weights


def run_bundled(store, inputs, bidirectional: bool = False) -> ToyRnnResult:
    """The lesson's probe: the bundled toy network (via a ModelStore) over ``inputs``."""
    weights = store.get(MODEL_NAME, load_bundled_weights)
    return run(inputs, weights, bidirectional=bidirectional)


def validate_inputs(inputs) -> np.ndarray:
    try:
        x = np.asarray(inputs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(msg("input vectors must be numbers: {error}", error=str(exc))) from None
    if x.ndim != 2 or x.shape[1] != INPUT_SIZE:
        raise ValueError(msg("each input vector must have exactly 2 numbers, like 1,1"))
    if x.shape[0] == 0:
        raise ValueError(msg("give at least one input vector, like 1,1; 1,1; 2,2"))
    if x.shape[0] > MAX_STEPS:
        raise ValueError(
            msg("at most {n} time steps (got {got}): the values double every step", n=MAX_STEPS, got=x.shape[0])
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(msg("input numbers must be finite"))
    if np.any(np.abs(x) > 1e6):
        raise ValueError(msg("input numbers must lie between -1,000,000 and 1,000,000"))
    return x


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_VECTOR_RE = re.compile(rf"^\s*\[?\s*({_NUMBER})\s*[, ]\s*({_NUMBER})\s*\]?\s*$")


def parse_vectors(text: str) -> np.ndarray:
    """Parse "1,1; 1,1; 2,2" (also "[1,1] [1,1] [2,2]" or one vector a line) -> (T, 2).

    Raises ValueError with a one-line message naming the part that is not a vector.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(msg("no input vectors: type them like 1,1; 1,1; 2,2"))
    parts = re.split(r"\s*;\s*|\s*\n\s*|(?<=\])\s*(?=\[)", cleaned)
    rows = []
    for part in parts:
        if not part.strip():
            continue
        m = _VECTOR_RE.match(part)
        if not m:
            raise ValueError(msg("{part} is not a vector of two numbers like 1,1", part=repr(part.strip()[:40])))
        rows.append((float(m.group(1)), float(m.group(2))))
    return validate_inputs(rows)


def format_vectors(inputs) -> str:
    return "; ".join(f"{_num(a)},{_num(b)}" for a, b in np.asarray(inputs))


def save_lecture_weights(path: str) -> None:
    from safetensors.numpy import save_file

    save_file({k: v.astype(np.float32) for k, v in lecture_weights().items()}, path)


if __name__ == "__main__":  # pragma: no cover - the command that wrote the bundled file
    save_lecture_weights(sys.argv[1])
