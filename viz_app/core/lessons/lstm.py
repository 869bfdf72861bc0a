"""The RNN and LSTM lesson's jobs (Qt-free): a trained LSTM's gates word by word, the chain rule of a text's
probability under the LSTM and a bigram model, the next word, generation and a bi-directional reading.

Every torch model runs on the device the worker uses (``ctx.device``); each result says where
(``device``). The models and their probes live in ``viz_app.core.lstm``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lstm import probes, text
from viz_app.core.messages import msg

NEXT_WORDS = 10  # the Next word tab's table
ALTERNATIVES = 5  # the chain-rule table's "LSTM's top 5 there"


@dataclass(frozen=True)
class LstmLesson:
    """Everything the lesson's four tabs draw for one text."""

    gates: probes.GateResult  # the Gates tab: the last layer's gates at every step
    lstm: probes.ScoreResult  # the Chain rule tab: P(word | words before it) under the LSTM, with its top 5
    bigram: probes.ScoreResult  # ... and under the bigram model
    following: tuple[tuple[str, float], ...]  # the Next word tab: the LSTM's top words after the text
    # The Bi-directional tab: None until asked for (``lstm_both_ways_job``, when that tab is opened).
    both_ways: probes.BidirectionalStates | None
    explanations: tuple  # for each bigram step its counts and smoothing (bigram.PairExplanation)
    unseen: tuple | None  # (previous word, word, PairExplanation, in the text?): a pair never seen in training
    ends: dict  # how the training paragraphs ended (probes.end_counts)
    device: str = "cpu"  # where the LSTM ran
    text: str = ""  # the text it was computed for

    @property
    def pairs(self) -> tuple:
        """(explanations, unseen, ends): what the chain rule's notes need besides the two scores."""
        return self.explanations, self.unseen, self.ends

    def to_json(self) -> dict:
        return {
            "gates": self.gates.to_json(),
            "lstm": self.lstm.to_json(),
            "bigram": self.bigram.to_json(),
            "next_words": [[w, p] for w, p in self.following],
            "bidirectional": None if self.both_ways is None else self.both_ways.to_json(),
        }


def lstm_lesson_job(ctx, raw_text: str, both_ways: bool = True) -> LstmLesson:
    """The lesson's main job, run again at each edit of the text. One readable pass of the LSTM over the text
    gives the gates, the chain rule's distributions (a one-line text: its line is that pass's sequence) and the
    next word; the bi-directional states take two more passes without the vocabulary's logits, made only when
    ``both_ways`` (the page asks for them with its Bi-directional tab open, or later with
    :func:`lstm_both_ways_job`)."""
    store, device = ctx.models, ctx.device
    gates, dist = probes.lstm_gates_and_distributions(store, probes.LSTM_NAME, raw_text, device=device)
    lm = probes.get(store, probes.LSTM_NAME, device)
    pass_ids = [lm.vocab.index[text.START], *lm.vocab.encode(list(gates.typed[1:]))]

    def distributions(model, ids: list[int]) -> np.ndarray:
        if ids == pass_ids:  # the gate pass has them already
            return dist
        _traces, logits = probes.gate_pass(model, ids)
        return probes.softmax_rows(logits)

    lstm = probes.score(store, probes.LSTM_NAME, raw_text, ALTERNATIVES, device=device, distributions=distributions)
    bigram = probes.score(store, probes.BIGRAM_NAME, raw_text)
    explanations = probes.bigram_explanations(store, probes.BIGRAM_NAME, bigram)
    unseen = probes.unseen_pair(store, bigram, explanations)
    following = probes.top_words(lm, dist[-1], NEXT_WORDS) if raw_text.strip() else []
    states = probes.bidirectional_states(store, probes.LSTM_NAME, raw_text, device=device) if both_ways else None
    return LstmLesson(
        gates,
        lstm,
        bigram,
        tuple(following),
        states,
        tuple(explanations),
        unseen,
        probes.end_counts(store),
        device,
        raw_text,
    )


def lstm_both_ways_job(ctx, result: LstmLesson) -> LstmLesson:
    """``result`` (of :func:`lstm_lesson_job`) with its bi-directional states, on ``ctx.device``."""
    if result.both_ways is not None:
        return result
    states = probes.bidirectional_states(ctx.models, probes.LSTM_NAME, result.text, device=ctx.device)
    return replace(result, both_ways=states, device=ctx.device)


@dataclass(frozen=True)
class Generated:
    """Generation so far (a progress step's data) or at its end (the job's result)."""

    text: str  # the prompt and the words generated, as text
    steps: tuple[tuple[str, float], ...]  # each generated word (<end> too) with its probability when sampled
    gates: probes.GateResult | None  # the gates over ``text`` (the maps follow the words); None at the end
    device: str = "cpu"


def generate_job(ctx, prompt: str, max_words: int, temperature: float, seed: int):
    """Sample word by word; after each word yield Progress whose data is the ``Generated`` text so far with its
    gates (the maps follow along); return the final ``Generated`` (without gates)."""
    store, device = ctx.models, ctx.device
    gen = probes.generate(store, probes.LSTM_NAME, prompt, max_words, temperature, seed, device=device)
    steps = []
    while True:
        try:
            word, p = next(gen)
        except StopIteration as stop:
            final_text, final_steps = stop.value
            return Generated(final_text, tuple(final_steps), None, device)
        steps.append((word, p))
        sofar = probes.detokenize(text.word_tokens(prompt) + [w for w, _ in steps if w != text.END])
        gates = probes.lstm_gates(store, probes.LSTM_NAME, sofar, device=device)
        yield Progress(
            len(steps) / max_words,
            msg("generated {n} of at most {most} words", n=len(steps), most=max_words),
            Generated(sofar, tuple(steps), gates, device),
        )
