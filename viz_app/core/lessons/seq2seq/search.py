"""Beam search as a tree, and the same sentence through the translators with and without attention (with the
BLEU-by-source-length figures of their model cards), for the Seq2Seq and attention lessons (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, field

from viz_app.core.lessons.seq2seq.steps import ATTENTION_MODEL, MAX_OUTPUT, PLAIN_MODEL, StepTrace, _loaded, _source
from viz_app.core.messages import msg
from viz_app.core.seq2seq import data, probes


@dataclass(frozen=True)
class BeamResult:
    source_tokens: tuple[str, ...]
    width: int
    decoded: object  # decode.Decoded, with its tree
    greedy_tokens: tuple[str, ...]
    greedy_score: float

    @property
    def path(self) -> list[int]:
        """Node ids from the first word to the chosen hypothesis's last."""
        by_id = {n.id: n for n in self.decoded.tree}
        out, node = [], self.decoded.best
        while node != -1:
            out.append(node)
            node = by_id[node].parent
        return out[::-1]

    def to_json(self) -> dict:
        return {
            "width": self.width,
            "output_tokens": list(self.decoded.tokens),
            "output": data.detokenize(self.decoded.tokens),
            "score": round(self.decoded.score, 6),
            "greedy_output_tokens": list(self.greedy_tokens),
            "greedy_score": round(self.greedy_score, 6),
            "tree": [
                {
                    "id": n.id,
                    "parent": n.parent,
                    "step": n.step,
                    "word": n.word,
                    "logp": round(n.logp, 6),
                    "score": round(n.score, 6),
                    "finished": n.finished,
                }
                for n in self.decoded.tree
            ],
            "chosen_path": self.path,
        }


def beam_tree(
    store,
    name: str,
    text: str,
    width: int = 5,
    max_len: int = MAX_OUTPUT,
    greedy_run: StepTrace | None = None,
    device: str | None = None,
    encoded: tuple | None = None,
) -> BeamResult | None:
    """``greedy_run``: the unforced :func:`decode_steps` of the same text, if already computed (not decoded again);
    ``encoded``: the encoder's output for the text, if already computed (not encoded again)."""
    from viz_app.core.seq2seq.decode import beam, greedy

    if not 1 <= width <= 10:
        raise ValueError(msg("the beam width must be between 1 and 10"))
    lm = _loaded(store, name, device)
    typed, _ = _source(lm, text)
    if not typed:
        return None
    ids = lm.source.encode(typed)
    banned = probes.banned_words(lm)
    if greedy_run is not None:
        greedy_tokens, greedy_score = tuple(greedy_run.output_tokens), greedy_run.log_prob
    else:
        g = greedy(lm.model, ids, lm.target, max_len, banned=banned)
        greedy_tokens, greedy_score = tuple(g.tokens), g.score
    b = beam(lm.model, ids, lm.target, width, max_len, banned=banned, encoded=encoded)
    return BeamResult(tuple(lm.source.shown(typed)), width, b, greedy_tokens, greedy_score)


@dataclass(frozen=True)
class Comparison:
    translations: dict[str, object] = field(default_factory=dict)  # model -> probes.Translation
    bleu_by_length: dict[str, dict[str, dict]] = field(default_factory=dict)  # model -> bin -> {bleu, n}
    bleu: dict[str, float] = field(default_factory=dict)  # model -> validation BLEU
    errors: dict[str, str] = field(default_factory=dict)  # model -> why it could not translate

    def to_json(self) -> dict:
        return {
            "translations": {k: v.to_json() for k, v in self.translations.items()},
            "bleu": self.bleu,
            "bleu_by_length": self.bleu_by_length,
        }


def card_bleu(registry, name: str) -> tuple[float | None, dict]:
    """(validation BLEU, BLEU by source length) from a model's card; (None, {}) if it has none."""
    try:
        metrics = registry.card(name).metrics
    except Exception:  # noqa: BLE001 - a missing or broken card just means no figures to chart
        return None, {}
    return metrics.get("bleu"), metrics.get("by_source_length", {})


def compare(
    store,
    text: str,
    models: tuple[str, ...] = (ATTENTION_MODEL, PLAIN_MODEL),
    known: dict | None = None,
    device: str | None = None,
    translate: bool = True,
) -> Comparison:
    """``known``: translations of ``text`` already made (model name -> probes.Translation), reused as they are.
    ``translate`` False: only the known translations and the cards' figures (the others are left for later)."""
    from viz_app.core.jobs import error_message

    out = Comparison()
    for name in models:
        try:
            found = (known or {}).get(name)
            if found is None and translate:
                found = probes.translate(store, name, text, device=device)
            if found is not None:
                out.translations[name] = found
        except Exception as exc:  # noqa: BLE001 - one missing model must not hide the other
            out.errors[name] = error_message(exc)
            continue
        bleu, bins = card_bleu(store.registry, name)
        if bleu is not None:
            out.bleu[name] = bleu
        out.bleu_by_length[name] = bins
    return out
