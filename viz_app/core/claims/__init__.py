"""Claims: checkable statements about what the screen shows for a tour step or a Try button's example.

Every tour step and every Try example carries a ``claims`` list next to its caption, for example::

    {"kind": "sentiment", "label": "negative"}
    {"kind": "translation_contains", "model": "seq2seq-attention", "words": ["i", "am", ["student"]]}
    {"kind": "lstm_beats_bigram"}

A claim is evaluated against the bundled models by :func:`evaluate` (Qt-free); the test suite evaluates every
claim of every step and every example, so a caption that stops being true with the bundled models fails a
test. ``text`` in a claim overrides the text it is checked on (by default the step's or the example's text).
A step that says nothing about model output has ``"claims": []`` and a ``"no_claim_reason"``.

Each kind is a function ``(claim, text, ctx) -> Verdict`` registered in :data:`KINDS` with :func:`kind`.
"""

from __future__ import annotations

from types import SimpleNamespace

from viz_app.core.claims import attention, embeddings_and_rnns, language_models  # noqa: F401 - importing registers their kinds
from viz_app.core.claims.base import KINDS, REQUIRED, ClaimError, Verdict

__all__ = ["KINDS", "ClaimError", "Verdict", "context", "evaluate", "problems"]


def context(store=None):
    """What a job expects as ``ctx``: the model store, on the CPU."""
    from viz_app.core.registry import ModelStore

    return SimpleNamespace(models=store or ModelStore(), device="cpu", cancelled=False, report=lambda p: None)


def problems(claim) -> str:
    """Why ``claim`` is malformed ("" if it is well formed); no model is loaded."""
    if not isinstance(claim, dict):
        return 'a claim is an object with a "kind"'
    name = claim.get("kind")
    if name not in KINDS:
        return f"unknown claim kind {name!r} (known: {', '.join(sorted(KINDS))})"
    missing = [f for f in REQUIRED[name] if f not in claim]
    return f"claim {name!r} needs {', '.join(missing)}" if missing else ""


def evaluate(claim: dict, text: str, ctx=None) -> Verdict:
    problem = problems(claim)
    if problem:
        raise ClaimError(problem)
    ctx = ctx or context()
    return KINDS[claim["kind"]](claim, claim.get("text", text), ctx)
