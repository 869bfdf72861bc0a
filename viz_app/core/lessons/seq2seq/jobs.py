"""The Seq2Seq and attention lessons' jobs (run on the inference worker, every model on ``ctx.device``) and the
frozen result the page draws (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from viz_app.core.lessons.seq2seq.search import BeamResult, Comparison, beam_tree, compare
from viz_app.core.lessons.seq2seq.steps import (
    MAX_OUTPUT,
    StepTrace,
    _decode_steps,
    best_reply,
    couplet_attention,
)
from viz_app.core.messages import msg

PARTS = ("beam", "comparison")  # what the Beam search and With vs without attention tabs need beyond the trace


@dataclass(frozen=True)
class Seq2SeqResult:
    """What the page shows for one text: the step-by-step trace (the headline, Alignment, Step by step), the
    beam (Beam search) and the comparison (With vs without attention). ``missing``: the parts not computed yet,
    which :func:`seq2seq_part_job` computes when their tab is opened."""

    trace: StepTrace
    beam: BeamResult | None
    comparison: Comparison | None
    reply: object = None  # the chatbot's re-ranked reply (probes.RankedReply), not with forced words
    couplet_attention: dict | None = None  # the couplet model's card figures (couplet_attention)
    device: str = "cpu"  # where it was computed (ctx.device)
    text: str = ""
    forced: tuple[str, ...] = ()
    width: int = 3  # the beam's width
    missing: tuple[str, ...] = ()  # of PARTS

    def to_json(self) -> dict:
        return {
            "decoding": self.trace.to_json(),
            "beam": None if self.beam is None else self.beam.to_json(),
            "comparison": None if self.comparison is None else self.comparison.to_json(),
            "reply": None if self.reply is None else self.reply.to_json(),
        }


def _device(ctx) -> str:
    """The worker's device ("cpu" for a context that names none, as the benchmark's)."""
    return getattr(ctx, "device", None) or "cpu"


def _fill(store, device: str, result: Seq2SeqResult, parts, encoded=None) -> Seq2SeqResult:
    """``result`` with the missing ``parts`` computed; the comparison's card figures and the translation already
    known (the trace's own, without forcing) are filled in even when the comparison itself is left for later."""
    trace, missing = result.trace, set(result.missing)
    plain = None if result.forced else trace  # without forcing, the step-by-step run is the greedy translation
    beam, comparison = result.beam, result.comparison
    if "beam" in missing and "beam" in parts:
        beam = beam_tree(store, trace.model, result.text, result.width, greedy_run=plain, device=device,
                         encoded=encoded)  # fmt: skip
        missing.discard("beam")
    if "comparison" in missing and trace.task != "translate":
        comparison = None
        missing.discard("comparison")
    elif "comparison" in missing:
        known = dict(comparison.translations) if comparison is not None else {}
        if plain is not None:
            known.setdefault(trace.model, plain.as_translation())
        wanted = "comparison" in parts
        comparison = compare(store, result.text, known=known, device=device, translate=wanted)
        if wanted:
            missing.discard("comparison")
    kept = tuple(p for p in PARTS if p in missing)
    return replace(result, beam=beam, comparison=comparison, device=device, missing=kept)


def seq2seq_lesson_job(
    ctx, model: str, text: str, forced: tuple[str, ...] = (), width: int = 3, parts: tuple[str, ...] = PARTS
) -> Seq2SeqResult:
    """The page's result for ``text``: greedy decoding step by step (``forced`` words first), the chatbot's
    ranked reply, the couplet model's card figures, and of PARTS those named in ``parts`` (the others stay
    ``missing``), every model on ``ctx.device``."""
    store, device = ctx.models, _device(ctx)
    forced = tuple(forced)
    if not 1 <= width <= 10:
        raise ValueError(msg("the beam width must be between 1 and 10"))
    trace, encoded = _decode_steps(store, model, text, forced, MAX_OUTPUT, device)
    reply = best_reply(store, model, text, device) if trace.task == "chat" and not forced else None
    figures = couplet_attention(store.registry, model) if trace.task == "couplet" else None
    result = Seq2SeqResult(trace, None, None, reply, figures, device, text, forced, width, PARTS)
    return _fill(store, device, result, parts, encoded)


def seq2seq_part_job(ctx, result: Seq2SeqResult, part: str) -> Seq2SeqResult:
    """``result`` (of :func:`seq2seq_lesson_job`) with its missing ``part`` ("beam" or "comparison") computed on
    ``ctx.device``, for the tab that shows it."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; parts: {', '.join(PARTS)}")
    return _fill(ctx.models, _device(ctx), result, (part,))
