"""What every claim kind shares: the registry of kinds (:func:`kind`), :class:`Verdict`, and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


class ClaimError(ValueError):
    """A claim that cannot be evaluated at all (unknown kind, missing field)."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str  # what was computed, for the test's failure message


KINDS: dict[str, Callable] = {}
REQUIRED: dict[str, tuple[str, ...]] = {}


def kind(name: str, *required: str):
    def register(fn):
        KINDS[name] = fn
        REQUIRED[name] = required
        return fn

    return register


def matches(words: list[str], wanted) -> bool:
    """``wanted``: a word, or a list of alternatives (any of them)."""
    options = [wanted] if isinstance(wanted, str) else list(wanted)
    return any(o.lower() in words for o in options)


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12))


def vectors(ctx, model: str):
    from viz_app.core.lessons import word_embedding as embedding_lesson

    return embedding_lesson.vectors(ctx.models, model)


def language_model(ctx, name: str):
    from viz_app.core.lessons import lm as lesson

    return lesson.model(ctx, name)


def finite(*arrays) -> bool:
    return all(np.all(np.isfinite(np.asarray(a, dtype=np.float64))) for a in arrays)
