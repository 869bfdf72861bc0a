"""Greedy decoding one step at a time for the Seq2Seq and attention lessons (Qt-free): at each step t the
attention weights alpha_t over the encoder states, the context vector c^t, the decoder state s_t and the five
most probable next words; words may be forced at any step (what-if), the rest re-decodes. Also the notes the
page shows beside it (hints, rare lengths, a Try example's missing words) and the chatbot's ranked reply."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.messages import msg
from viz_app.core.seq2seq import data, probes

ATTENTION_MODEL = "seq2seq-attention"
PLAIN_MODEL = "seq2seq-plain"
CHAT_MODEL = "chatbot"
COUPLET_MODEL = "couplet"  # Chinese: a couplet's first line -> its second line (viz_app.core.seq2seq.couplet)
MODELS = (ATTENTION_MODEL, PLAIN_MODEL, CHAT_MODEL, COUPLET_MODEL)
TOP_K = 5
MAX_OUTPUT = 40


@dataclass(frozen=True)
class Step:
    """Decoder step t: what it attended to, what it holds, what it could say and what it said."""

    word: str  # the word output at this step ("<end>" to stop)
    prob: float  # its probability
    forced: bool  # chosen by the user instead of the model
    top: tuple[tuple[str, float], ...]  # the TOP_K most probable words here
    alpha: np.ndarray | None  # (M,) weights over the source words (sum 1); None without attention
    context: np.ndarray  # (D,) c^t = sum_i alpha_t^i h^i (without attention: the fixed h^M)
    state: np.ndarray  # (D,) decoder state s_t


@dataclass(frozen=True)
class StepTrace:
    model: str
    task: str  # "translate", "chat" or "couplet"
    attention: bool
    typed: tuple[str, ...]  # the source tokens as typed
    source_tokens: tuple[str, ...]  # as the model sees them (<unk> for unknown words)
    truncated: int  # source tokens cut beyond probes.MAX_SOURCE_TOKENS
    encoder_states: np.ndarray  # (M, D) h^1..h^M
    steps: tuple[Step, ...] = ()
    hint: str = ""  # e.g. "this looks like English" for the translator
    log_prob: float = 0.0
    length_note: str = ""  # the sentence is longer than nearly all the training sentences (from the card)

    @property
    def output_tokens(self) -> list[str]:
        return [s.word for s in self.steps if s.word != data.END]

    @property
    def output(self) -> str:
        return data.detokenize(self.output_tokens)

    @property
    def unknown(self) -> list[str]:
        return [t for t, s in zip(self.typed, self.source_tokens, strict=True) if s == data.UNK]

    def attention_matrix(self) -> np.ndarray | None:
        """(N, M): one row per output token (not the final <end>), weights over the source tokens."""
        rows = [s.alpha for s in self.steps if s.word != data.END]
        if not self.attention or not rows:
            return None
        return np.stack(rows)

    def as_translation(self) -> probes.Translation:
        """The same greedy result in the form ``probes.translate`` gives (attention rows include <end>)."""
        rows = [s.alpha for s in self.steps] if self.attention and self.steps else []
        attention = np.stack(rows) if rows else (np.zeros((0, 0), np.float32) if self.attention else None)
        return probes.Translation(self.source_tokens, tuple(self.output_tokens), self.output, attention, self.truncated)

    def to_json(self) -> dict:
        att = self.attention_matrix()
        return {
            "model": self.model,
            "source_tokens": list(self.source_tokens),
            "output_tokens": self.output_tokens,
            "output": self.output,
            "attention": None if att is None else np.round(att, 6).tolist(),
            "steps": [
                {
                    "word": s.word,
                    "probability": round(s.prob, 6),
                    "forced": s.forced,
                    "top": [[w, round(p, 6)] for w, p in s.top],
                }
                for s in self.steps
            ],
            "hint": self.hint,
            "length_note": str(self.length_note),
        }


def is_chinese(text: str) -> bool:
    """Text for the couplet model: most of its letters are Chinese characters (``language.is_chinese``, the test
    every lesson with a Chinese model uses)."""
    from viz_app.core import language

    return language.is_chinese(text)


def _couplet_hint(typed: list[str]) -> str:
    """What the couplet writer can make of the line: it reads one line of Chinese characters, 5 or 7 long."""
    body = typed[:-1] if typed and typed[-1] in data.COUPLET_ENDS else typed
    if not any(data.is_cjk(t) for t in body):
        return msg(
            "The couplet model reads a line of Chinese characters (Traditional, as in the Tang poems) and writes "
            "the line that answers it: try “白日依山盡，”."
        )
    if any(t in data.COUPLET_ENDS for t in body):
        return msg("The couplet model answers one line: type only the first line of a couplet (up to its ，).")
    if len(body) not in (5, 7):
        return msg(
            "The poems' lines have 5 or 7 characters; this one has {n}, a length the model never saw.", n=len(body)
        )
    return ""


def _english_hint(lm, typed: list[str]) -> str:
    """A gentle hint when the translator (which reads French) is given what looks like English, or the couplet
    writer something other than a line of Chinese."""
    if lm.task == "couplet":
        return _couplet_hint(typed)
    if lm.task != "translate":
        return ""
    words = [t for t in typed if any(ch.isalpha() for ch in t)]
    french = sum(w in lm.source.index for w in words)
    english = sum(w in lm.target.index and w not in lm.source.index for w in words)
    if words and english > french and english >= len(words) / 2:
        return msg(
            "This looks like English. The translator reads French and writes English: try "
            "“je suis étudiant .” or “il fait beau aujourd'hui .”"
        )
    return ""


RARE_LENGTH_SHARE = 0.05  # a source length that fewer than 5% of the training sentences reach


def length_note(registry, name: str, n_tokens: int):
    """A note when ``n_tokens`` source tokens is a length that fewer than 5% of the model's training
    sentences reach (the card's "training_source_lengths": tokens -> number of training sentences), since
    the small translators then tend to stop early and leave out the end; "" otherwise or without counts."""
    try:
        counts = registry.card(name).extra.get("training_source_lengths") or {}
        counts = {int(k): int(v) for k, v in counts.items()}
    except Exception:  # noqa: BLE001 - a card without the counts just gives no note
        return ""
    total = sum(counts.values())
    longer = sum(v for k, v in counts.items() if k >= n_tokens)
    if not total or longer / total >= RARE_LENGTH_SHARE:
        return ""
    return msg(
        "This sentence has {n} tokens; only {share}% of the {total} training sentences have {n} or more (the "
        "corpus keeps pairs whose English side is at most 30 characters). The model may stop early and leave out "
        "the end of the sentence.",
        n=n_tokens,
        share=f"{100 * longer / total:.1f}",
        total=f"{total:,}",
    )


def couplet_attention(registry, name: str = COUPLET_MODEL) -> dict | None:
    """From the couplet model's card (teacher forcing on the validation couplets, the second lines' characters):
    the mean attention weight on the same position, on the first line's closing mark and under uniform
    attention, over the 5- and 7-character lines together -> {"same", "mark", "uniform"}; None without them."""
    try:
        rows = registry.card(name).metrics.get("attention_teacher_forced_by_line_length") or {}
        n = sum(int(r["output_characters"]) for r in rows.values())
        if not n:
            return None
        return {
            key: sum(float(r[field]) * int(r["output_characters"]) for r in rows.values()) / n
            for key, field in (("same", "same_position"), ("mark", "on_the_closing_mark"), ("uniform", "uniform"))
        }
    except Exception:  # noqa: BLE001 - a card without the figures just gives no sentence
        return None


def _loaded(store, name: str, device: str | None):
    """The loaded model ``name``, on ``device`` (None: where it is)."""
    return probes.on_device(store.get(name, probes.load), device)


def best_reply(store, name: str, text: str, device: str | None = None):
    """The chatbot's reply as the lesson shows it: beam search, no repeated trigrams, re-ranked
    (:func:`probes.ranked_reply`); None for an empty input or a translator."""
    lm = _loaded(store, name, device)
    if lm.task != "chat":
        return None
    typed, _ = _source(lm, text)
    if not typed:
        return None
    return probes.ranked_reply(lm, lm.source.encode(typed))


def missing_expected_words(text: str, model: str, task: str, output_tokens) -> list[str] | None:
    """For a shipped Try example of the lesson's ``task`` row (``viz_app.core.examples``), the words a right
    output has that ``output_tokens`` lacks (alternatives joined by "/"), read from the example's
    ``translation_contains`` claims for ``model`` or, if it has none, for another model of the row; None for
    any other text."""
    from viz_app.core import examples

    typed = " ".join(text.split())
    for example in examples.examples("seq2seq", task):
        if " ".join(example.text.split()) != typed:
            continue
        wanted = [c for c in example.claims if c.get("kind") == "translation_contains"]
        mine = [c for c in wanted if c.get("model") == model] or wanted[:1]
        out = [t.lower() for t in output_tokens]
        missing = []
        for claim in mine:
            for item in claim["words"]:
                options = [item] if isinstance(item, str) else list(item)
                if not any(o.lower() in out for o in options):
                    missing.append("/".join(options))
        return missing
    return None


def _source(lm, text: str):
    typed = data.source_tokens(text, lm.task)
    cut = max(0, len(typed) - probes.MAX_SOURCE_TOKENS)
    typed = typed[: probes.MAX_SOURCE_TOKENS]
    return typed, cut


def decode_steps(
    store, name: str, text: str, forced: tuple[str, ...] = (), max_len: int = MAX_OUTPUT, device: str | None = None
) -> StepTrace:
    """Greedy decoding of ``text`` step by step. ``forced`` words replace the model's first picks
    (force a word at step t by passing the first t output words and the new one); unknown forced
    words raise ValueError. ``device``: where the model runs (None: where it is)."""
    return _decode_steps(store, name, text, forced, max_len, device)[0]


def _decode_steps(store, name, text, forced, max_len, device):
    """:func:`decode_steps`, with the encoder's output (states, final, mask) for a beam search to reuse (None for
    an empty text)."""
    import torch

    lm = _loaded(store, name, device)
    typed, cut = _source(lm, text)
    dim = lm.model.config.dim
    if not typed:
        return StepTrace(name, lm.task, lm.attention, (), (), 0, np.zeros((0, dim), np.float32)), None
    forced_ids = []
    for w in forced:
        if w not in lm.target.index or w in (data.PAD, data.START, data.UNK):
            raise ValueError(msg("“{word}” is not a word this model can output", word=w))
        forced_ids.append(lm.target.index[w])
    model = lm.model
    on = next(model.parameters()).device
    banned = list(probes.banned_words(lm))
    words = lm.target.words
    end_id, start_id = lm.target.end, lm.target.start

    def pick(logits, t: int) -> int:
        """The word at step t: the forced one, else the most probable (never a banned one)."""
        if t < len(forced_ids):
            return forced_ids[t]
        logits = logits.clone()
        logits[banned] = float("-inf")
        return int(logits.argmax())

    out: list[int] = []  # the words chosen, <end> included when it was
    with torch.inference_mode():  # no autograd bookkeeping at all (a little faster than no_grad, step by step)
        encoded = states, final, mask = model.encode(torch.tensor([lm.source.encode(typed)], device=on))
        # The last output is checked first, as speculative decoding checks a guess: one teacher-forced pass over
        # it gives every step's choice at once, kept while each word is the model's own pick after the words
        # before it; decoding goes on a step at a time from the first that is not.
        draft = [] if forced_ids else list(lm.last_output)[:max_len]
        read = model.read(torch.tensor([[start_id, *draft]], device=on), states, final, mask) if draft else None
        if read is not None:
            for t in range(min(len(draft) + 1, max_len)):
                out.append(pick(read[0][0, t], t))
                if out[-1] == end_id or t == len(draft) or out[-1] != draft[t]:
                    break
        if len(out) < max_len and (not out or out[-1] != end_id):
            s = final.unsqueeze(0) if not out else read[3][:, len(out) - 1].unsqueeze(0).contiguous()
            for t in range(len(out), max_len):
                prev = torch.tensor([out[-1] if out else start_id], device=on)
                logits, s, _alpha = model.step(prev, s, states, mask, final)
                out.append(pick(logits[0], t))
                if out[-1] == end_id:
                    break
        # Every step's numbers from one teacher-forced pass over exactly the words chosen (step t reads word
        # t - 1): the same numbers whichever way the words were found.
        inputs = [start_id, *out[:-1]]
        if read is None or inputs != [start_id, *draft]:
            read = model.read(torch.tensor([inputs], device=on), states, final, mask)
        logits_all, alpha_all, context_all, s_all = read
        steps, total = [], 0.0
        for t, word in enumerate(out):
            logits = logits_all[0, t].clone()
            logits[banned] = float("-inf")
            probs = torch.softmax(logits, dim=-1)
            top = torch.topk(probs, TOP_K)
            p = float(probs[word])
            total += float(np.log(max(p, 1e-30)))
            steps.append(
                Step(
                    words[word],
                    p,
                    t < len(forced_ids),
                    tuple((words[i], q) for q, i in zip(top.values.tolist(), top.indices.tolist(), strict=True)),
                    None if alpha_all is None else alpha_all[0, t].cpu().numpy().copy(),
                    context_all[0, t].cpu().numpy().copy(),
                    s_all[0, t].cpu().numpy().copy(),
                )
            )
    if not forced_ids:
        lm.last_output = [w for w in out if w != end_id]
    return StepTrace(
        name,
        lm.task,
        lm.attention,
        tuple(typed),
        tuple(lm.source.shown(typed)),
        cut,
        states[0].cpu().numpy().copy(),
        tuple(steps),
        _english_hint(lm, typed),
        total,
        length_note(store.registry, name, len(typed)) if lm.task == "translate" else "",
    ), encoded
