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
    # The Chain rule tab: P(word | words before it) under the LSTM, with its top 5, and under the bigram model
    # (None until asked for: ``lstm_part_job``, when that tab is opened).
    lstm: probes.ScoreResult | None
    bigram: probes.ScoreResult | None
    following: tuple[tuple[str, float], ...]  # the Next word tab: the LSTM's top words after the text
    # The Bi-directional tab: None until asked for (``lstm_part_job``, when that tab is opened).
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
            "lstm": None if self.lstm is None else self.lstm.to_json(),
            "bigram": None if self.bigram is None else self.bigram.to_json(),
            "next_words": [[w, p] for w, p in self.following],
            "bidirectional": None if self.both_ways is None else self.both_ways.to_json(),
        }


PARTS = ("chain", "both_ways")  # what the Chain rule and Bi-directional tabs need beyond the gates and next word


def lstm_lesson_job(ctx, raw_text: str, parts: tuple[str, ...] = PARTS) -> LstmLesson:
    """The lesson's main job, run again at each edit of the text. One readable pass of the LSTM over the text
    gives the gates and the next word, and with "chain" in ``parts`` the chain rule's distributions (a one-line
    text: its line is that pass's sequence) with the bigram's; "both_ways": the bi-directional states, two more
    passes without the vocabulary's logits. The page asks for the parts its open tab shows, the others when their
    tab is opened (:func:`lstm_part_job`); they stay None until then."""
    for part in parts:
        if part not in PARTS:
            raise ValueError(f"unknown part {part!r}; parts: {', '.join(PARTS)}")
    store, device = ctx.models, ctx.device
    chain = "chain" in parts
    gates, dist = probes.lstm_gates_and_distributions(
        store, probes.LSTM_NAME, raw_text, device=device, distributions=chain
    )
    lm = probes.get(store, probes.LSTM_NAME, device)
    # The next word from the last hidden state: one row of the output layer, the same with the chain or without.
    after = probes.distribution_after(lm, gates.gates["h"][-1])
    following = probes.top_words(lm, after, NEXT_WORDS) if raw_text.strip() else []
    result = LstmLesson(gates, None, None, tuple(following), None, (), None, probes.end_counts(store), device, raw_text)
    if chain:
        result = _with_chain(ctx, result, dist)
    if "both_ways" in parts:
        result = lstm_part_job(ctx, result, "both_ways")
    return result


def _with_chain(ctx, result: LstmLesson, dist: np.ndarray | None = None) -> LstmLesson:
    """``result`` with the chain rule under the LSTM and the bigram; ``dist``: the gate pass's distributions,
    when the caller has them (otherwise the LSTM runs again)."""
    store, device = ctx.models, ctx.device
    lm = probes.get(store, probes.LSTM_NAME, device)
    pass_ids = [lm.vocab.index[text.START], *lm.vocab.encode(list(result.gates.typed[1:]))]

    def distributions(model, ids: list[int]) -> np.ndarray:
        if dist is not None and ids == pass_ids:  # the gate pass has them already
            return dist
        _traces, logits = probes.gate_pass(model, ids)
        return probes.softmax_rows(logits)

    raw_text = result.text
    lstm = probes.score(store, probes.LSTM_NAME, raw_text, ALTERNATIVES, device=device, distributions=distributions)
    bigram = probes.score(store, probes.BIGRAM_NAME, raw_text)
    explanations = probes.bigram_explanations(store, probes.BIGRAM_NAME, bigram)
    unseen = probes.unseen_pair(store, bigram, explanations)
    return replace(result, lstm=lstm, bigram=bigram, explanations=tuple(explanations), unseen=unseen)


def lstm_part_job(ctx, result: LstmLesson, part: str) -> LstmLesson:
    """``result`` (of :func:`lstm_lesson_job`) with its ``part`` ("chain" or "both_ways") computed on
    ``ctx.device``, for the tab that shows it."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; parts: {', '.join(PARTS)}")
    if part == "chain":
        return result if result.lstm is not None else _with_chain(ctx, result)
    if result.both_ways is not None:
        return result
    states = probes.bidirectional_states(ctx.models, probes.LSTM_NAME, result.text, device=ctx.device)
    return replace(result, both_ways=states)


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
