"""The toy RNN lesson's job (Qt-free): the lecture's toy network over the user's vectors."""

from __future__ import annotations

from dataclasses import dataclass, fields

from viz_app.core.rnn import toy


@dataclass(frozen=True)
class ToyRnnLesson(toy.ToyRnnResult):
    """``toy.ToyRnnResult`` and the device it was computed on (plain numpy: kept for uniformity)."""

    device: str = "cpu"


def toy_rnn_job(ctx, inputs, bidirectional: bool) -> ToyRnnLesson:
    """Worker job: the bundled toy network over ``inputs`` ((T, 2) numbers), one- or bi-directional."""
    result = toy.run_bundled(ctx.models, inputs, bidirectional=bidirectional)
    return ToyRnnLesson(**{f.name: getattr(result, f.name) for f in fields(result)}, device=ctx.device)
