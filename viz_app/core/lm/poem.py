"""Regular verse from the character GPT (gpt-tang): 五言/七言 絕句/律詩 and 藏頭詩, sampled under the form.

A form fixes every position of the poem (``FORMS``: "5x4" 五言絕句, "7x4" 七言絕句, "5x8" 五言律詩, "7x8"
七言律詩). At each step the sampler permits exactly what the form allows there and nothing else:
- inside a line: a Chinese character of the vocabulary (never a special token such as [UNK], never a mark);
- at a line's end: ``，`` after an odd line (1st, 3rd, ...) and ``。`` after an even one. The rule is the
  corpus's: in tang_regular_verse.tsv the odd lines end with ， 114,738 times out of 114,995 (then 。 170,
  ？ 86), the even lines with 。 114,697 times out of 114,880 (？ 135, ， 40), and 98.9% of the poems follow
  it at every line (:func:`poem_forms.line_end_counts` recounts this from the file);
- after the last line: the end of text ([SEP]), and only that.
A 藏頭詩 (acrostic) forces the first character of line i to the i-th character given. It must have exactly
one character per line of the form (4 for a 絕句, 8 for a 律詩); the form is never changed to fit it, so a
view's form controls and its acrostic box cannot disagree silently (a mismatch is a clear error).

The constraint acts on the logits before temperature, top-k and top-p (``probes.sampling_distribution``):
the tokens the form removes get probability 0, so top-k then keeps the k likeliest *permitted* tokens and
sampling can never be left with nothing to pick (a forced acrostic character far down the model's list is
still drawn). Each step (:class:`PoemStep`) reports the chosen character, its probability under the model
(temperature 1, no constraint) and under the distribution it was drawn from, how much of the model's
probability the form removed, and the model's likeliest next tokens (:class:`PoemRow`) with ``allowed``
(sampling can pick it: the form permits it and top-k / top-p keep it; the same meaning as
``probes.NextToken``'s flag, so a view greys them the same way) and ``form_allowed`` (the form permits it;
tells the form's greying from top-k's).

A prompt is the poem's start (characters and marks, whitespace ignored) and must fit the form; an empty
prompt is allowed. The same model, form, prompt, acrostic, sampling settings and seed give the same poem on
the same device. :func:`poem_forms.check_form` / :func:`free_form_share` measure how often the model keeps a form by
itself, without the constraint (what the constraint adds).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lm import probes
from viz_app.core.lm.poem_forms import (  # the forms, and whether a text keeps one
    EVEN_MARK,
    FORMS,
    LONGEST,
    ODD_MARK,
    Form,
    check_form,
    form_of,
    get_form,
    is_hanzi,
)
from viz_app.core.lm.tang import LINE_ENDS, poem_lines
from viz_app.core.messages import msg

SHOWN_ROWS = 10  # the model's likeliest next tokens reported at each step
FREE_SAMPLES = 50  # free_form_share's default number of samples (seeds 0 .. 49)
FREE_SAMPLING = probes.Sampling(1.0, 40, 1.0)  # ... and its sampling: top-k 40


# --- the model's vocabulary as the form sees it ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # compared by identity (it holds an array)
class Vocabulary:
    """Which ids of a character GPT are characters, marks and the end of text."""

    characters: np.ndarray  # bool (V,): a Chinese character (never a special token or a mark)
    mark_ids: dict  # "，" / "。" -> id
    end_id: int
    index: dict  # character -> id

    def character_id(self, ch: str) -> int | None:
        tid = self.index.get(ch)
        return tid if tid is not None and self.characters[tid] else None


def vocabulary(lm: probes.LanguageModel) -> Vocabulary:
    """The form's view of ``lm``'s tokens; a model that is not a character-level GPT is a ValueError."""
    if lm.kind != "gpt":
        raise ValueError(msg("{model} fills in masked words; use a GPT model to generate", model=lm.name))
    tok = getattr(lm, "tok", None)
    if getattr(tok, "kind", None) != "char" or any(m not in tok.index for m in (ODD_MARK, EVEN_MARK)):
        raise ValueError(
            msg(
                "{model} does not write one character per token: poem forms need a character-level GPT "
                "such as gpt-tang",
                model=lm.name,
            )
        )
    characters = np.zeros(lm.vocab_size, dtype=bool)
    for tid, token in enumerate(tok.tokens[: lm.vocab_size]):
        characters[tid] = tid not in (tok.pad, tok.unk, tok.cls, tok.sep, tok.mask) and is_hanzi(token)
    marks = {m: tok.index[m] for m in (ODD_MARK, EVEN_MARK)}
    return Vocabulary(characters, marks, lm.end_of_text_ids()[0], dict(tok.index))


# --- the request: form, prompt, acrostic ------------------------------------------------------------------------


@dataclass(frozen=True)
class PoemPlan:
    """A checked request: the form, the prompt's characters and ids, and the acrostic's forced characters."""

    model: str
    form: Form
    prompt: str  # whitespace removed
    prompt_ids: tuple[int, ...]
    acrostic: str  # "" for none
    acrostic_ids: tuple[int, ...]
    vocab: Vocabulary

    def permitted(self, position: int) -> np.ndarray:
        """Bool (V,): exactly the tokens the form allows at ``position``."""
        kind, line = self.form.slot(position)
        mask = np.zeros_like(self.vocab.characters)
        if kind == "end":
            mask[self.vocab.end_id] = True
        elif kind == "mark":
            mask[self.vocab.mark_ids[self.form.mark(line)]] = True
        elif self.acrostic_ids and position == (line - 1) * (self.form.chars + 1):
            mask[self.acrostic_ids[line - 1]] = True
        else:
            mask |= self.vocab.characters
        return mask


def _quoted(chars: Iterable[str]) -> str:
    unique = list(dict.fromkeys(chars))
    return " ".join(f"“{c}”" for c in unique[:5]) + (" …" if len(unique) > 5 else "")


def plan(lm: probes.LanguageModel, form: str | Form, prompt: str = "", acrostic: str = "") -> PoemPlan:
    """Check a request against the form and the model's vocabulary; every problem is a ValueError with a
    message for the user (unknown form, unknown characters, a prompt that does not fit, a bad acrostic)."""
    f = get_form(form)
    vocab = vocabulary(lm)
    acrostic = "".join(ch for ch in (acrostic or "") if not ch.isspace())
    text = "".join(ch for ch in (prompt or "") if not ch.isspace())
    if acrostic:
        marks = [ch for ch in acrostic if ch in LINE_ENDS or not is_hanzi(ch)]
        unknown = [ch for ch in acrostic if ch not in marks and vocab.character_id(ch) is None]
        if marks:
            raise ValueError(msg("the acrostic takes Chinese characters only, not {chars}", chars=_quoted(marks)))
        if unknown:
            raise ValueError(
                msg("the acrostic has characters {model} does not know: {chars}", model=lm.name, chars=_quoted(unknown))
            )
        if len(acrostic) != f.lines:
            raise ValueError(
                msg(
                    "a {title} ({form}) has {lines} lines: give the acrostic {lines} characters, one per line "
                    "(it has {n})",
                    title=f.title,
                    form=f.name,
                    lines=f.lines,
                    n=len(acrostic),
                )
            )
    unknown = [ch for ch in text if ch not in LINE_ENDS and vocab.character_id(ch) is None]
    if unknown:
        raise ValueError(
            msg("the prompt has characters {model} does not know: {chars}", model=lm.name, chars=_quoted(unknown))
        )
    if len(text) > f.length:
        raise ValueError(
            msg(
                "the prompt is longer than a {title} ({form}: {length} characters and marks, the prompt {n})",
                title=f.title,
                form=f.name,
                length=f.length,
                n=len(text),
            )
        )
    ids = []
    for position, ch in enumerate(text):
        kind, line = f.slot(position)
        column = position - (line - 1) * (f.chars + 1)
        if kind == "mark" and ch != f.mark(line):
            raise ValueError(
                msg(
                    "line {line} of a {title} ends after {chars} characters with “{mark}”, not “{found}”",
                    line=line,
                    title=f.title,
                    chars=f.chars,
                    mark=f.mark(line),
                    found=ch,
                )
            )
        if kind == "character" and ch in LINE_ENDS:
            raise ValueError(
                msg(
                    "line {line} of a {title} has {chars} characters before its “{mark}”; the prompt puts “{found}” "
                    "after {n}",
                    line=line,
                    title=f.title,
                    chars=f.chars,
                    mark=f.mark(line),
                    found=ch,
                    n=column,
                )
            )
        if kind == "character" and column == 0 and acrostic and ch != acrostic[line - 1]:
            raise ValueError(
                msg(
                    "the acrostic starts line {line} with “{want}”, but the prompt starts it with “{found}”",
                    line=line,
                    want=acrostic[line - 1],
                    found=ch,
                )
            )
        ids.append(vocab.mark_ids[ch] if kind == "mark" else vocab.character_id(ch))
    acrostic_ids = tuple(vocab.character_id(ch) for ch in acrostic)
    return PoemPlan(lm.name, f, text, tuple(ids), acrostic, acrostic_ids, vocab)


# --- sampling -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoemRow:
    """One of the model's likeliest next tokens at a step."""

    token: str
    token_id: int
    prob: float  # the model's probability (temperature 1, no constraint)
    sampling_prob: float  # in the distribution the step drew from (form, temperature, top-k, top-p)
    allowed: bool  # sampling could pick it: the form permits it and top-k / top-p keep it
    form_allowed: bool  # the form permits it here
    chosen: bool

    def to_json(self) -> dict:
        return {
            "token": self.token,
            "prob": self.prob,
            "sampling_prob": self.sampling_prob,
            "allowed": self.allowed,
            "form_allowed": self.form_allowed,
            "chosen": self.chosen,
        }


@dataclass(frozen=True)
class PoemStep:
    position: int  # index in the poem's text (marks included); the form's length for the end
    slot: str  # "character", "mark" or "end"
    line: int | None  # 1-based; None for the end
    token_id: int
    text: str  # the chosen character or mark ("[SEP]" for the end)
    prob: float  # its probability in the distribution it was drawn from
    model_prob: float  # and under the model alone (temperature 1, no constraint)
    permitted: int  # how many tokens the form permits here
    candidates: int  # how many sampling could pick (the form and top-k / top-p)
    removed_mass: float  # the model's probability on the tokens the form removed (temperature 1)
    forced: bool  # the form permits one token only (a mark, an acrostic character, the end)
    top: tuple[PoemRow, ...]  # the model's likeliest tokens, then the chosen one if it is not among them

    def to_json(self) -> dict:
        return {
            "position": self.position,
            "slot": self.slot,
            "line": self.line,
            "token": self.text,
            "prob": self.prob,
            "model_prob": self.model_prob,
            "permitted": self.permitted,
            "candidates": self.candidates,
            "removed_mass": self.removed_mass,
            "forced": self.forced,
            "top": [r.to_json() for r in self.top],
        }


def stream(
    lm: probes.LanguageModel,
    request: PoemPlan,
    sampling: probes.Sampling | None = None,
    seed: int = 0,
    top: int = SHOWN_ROWS,
) -> Iterator[PoemStep]:
    """The poem one token at a time after the prompt, ending with the end of text. Checks the settings at
    once (a ValueError before the first step), then returns the generator."""
    s = sampling or probes.Sampling()
    s.check()
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(msg("the seed must be a whole number, 0 or more"))
    return _steps(lm, request, s, int(seed), max(0, int(top)))


def _steps(lm, request: PoemPlan, s: probes.Sampling, seed: int, top: int) -> Iterator[PoemStep]:
    rng = np.random.default_rng(seed)
    start, body = list(lm.start_ids), list(request.prompt_ids)
    room = lm.max_len - len(start)
    for position in range(len(body), request.form.length + 1):
        # As probes.generate: the window keeps the start token and the latest tokens.
        logits = lm.forward(start + body[-room:]).logits[-1].astype(np.float64)
        permitted = request.permitted(position)
        model_probs = probes.softmax(logits)
        _, kept, final = probes.sampling_distribution(np.where(permitted, logits, -np.inf), s)
        can_pick = kept & permitted
        choice = int(rng.choice(len(final), p=final))
        best = [int(b) for b in np.argsort(-logits, kind="stable")[:top]]
        if choice not in best:
            best.append(choice)
        rows = tuple(
            PoemRow(
                lm.token_text(b), b, float(model_probs[b]), float(final[b]), bool(can_pick[b]), bool(permitted[b]),
                b == choice,
            )
            for b in best
        )  # fmt: skip
        kind, line = request.form.slot(position)
        yield PoemStep(
            position, kind, line, choice, lm.token_text(choice), float(final[choice]), float(model_probs[choice]),
            int(permitted.sum()), int(can_pick.sum()), float(model_probs[~permitted].sum()),
            bool(permitted.sum() == 1), rows,
        )  # fmt: skip
        body.append(choice)


@dataclass(frozen=True)
class GeneratedPoem:
    """A poem (or the part of it written so far) with every step; plain values only."""

    model: str
    form: str  # "5x4"
    title: str  # "五言絕句"
    prompt: str
    acrostic: str
    seed: int
    sampling: tuple[float, int, float]  # temperature, top-k, top-p
    text: str  # prompt + generated characters and marks
    lines: tuple[str, ...]  # each with its mark
    steps: tuple[PoemStep, ...]
    complete: bool  # the end of text was reached

    def to_json(self) -> dict:
        """The English ``generate`` JSON ("text", "steps": [[token, prob]]) plus what the form adds."""
        t, k, p = self.sampling
        return {
            "text": self.text,
            "steps": [[s.text, s.prob] for s in self.steps],
            "model": self.model,
            "form": self.form,
            "form_title": self.title,
            "pattern": FORMS[self.form].pattern(),
            "acrostic": self.acrostic or None,
            "prompt": self.prompt,
            "lines": list(self.lines),
            "seed": self.seed,
            "sampling": {"temperature": t, "top_k": k, "top_p": p},
            "complete": self.complete,
            "mean_removed_mass": float(np.mean([s.removed_mass for s in self.steps])) if self.steps else 0.0,
            "tokens": [s.to_json() for s in self.steps],
        }


def assemble(request: PoemPlan, steps: Sequence[PoemStep], sampling: probes.Sampling, seed: int) -> GeneratedPoem:
    """The poem so far from the steps drawn after the prompt."""
    text = request.prompt + "".join(s.text for s in steps if s.slot != "end")
    return GeneratedPoem(
        request.model, request.form.name, request.form.title, request.prompt, request.acrostic, seed,
        (sampling.temperature, sampling.top_k, sampling.top_p), text, tuple(poem_lines(text)), tuple(steps),
        bool(steps) and steps[-1].slot == "end",
    )  # fmt: skip


def generate(
    lm: probes.LanguageModel,
    form: str | Form,
    prompt: str = "",
    acrostic: str = "",
    sampling: probes.Sampling | None = None,
    seed: int = 0,
    top: int = SHOWN_ROWS,
) -> GeneratedPoem:
    """The whole poem at once (``plan`` + ``stream``)."""
    s = sampling or probes.Sampling()
    request = plan(lm, form, prompt, acrostic)
    return assemble(request, list(stream(lm, request, s, seed, top)), s, seed)


# --- jobs for the worker thread (as viz_app.core.lessons.lm's) --------------------------------------------------


def poem_job(ctx, model_name: str, prompt: str, form: str, acrostic: str, sampling: probes.Sampling, seed: int):
    """The whole poem as a :class:`GeneratedPoem`, on the worker's device."""
    from viz_app.core.lessons.lm import model

    return generate(model(ctx, model_name), form, prompt, acrostic, sampling, seed)


def poem_stream_job(
    ctx, model_name: str, prompt: str, form: str, acrostic: str, sampling: probes.Sampling, seed: int
) -> Iterator[Progress]:
    """Generator job: yields Progress whose data is the :class:`GeneratedPoem` so far after each character
    (its last step holds the next-token rows to draw), and returns the finished poem."""
    from viz_app.core.lessons.lm import model

    lm = model(ctx, model_name)
    s = sampling or probes.Sampling()
    request = plan(lm, form, prompt, acrostic)
    total = request.form.length + 1 - len(request.prompt_ids)
    steps: list[PoemStep] = []
    for step in stream(lm, request, s, seed):
        steps.append(step)
        yield Progress(len(steps) / total, msg("{n} of {total} tokens", n=len(steps), total=total),
                       assemble(request, steps, s, seed))  # fmt: skip
    return assemble(request, steps, s, seed)


# --- does a free sample keep the form? ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FormShare:
    """How many free (unconstrained) samples keep a form by themselves."""

    model: str
    form: str
    prompt: str
    samples: int
    seeds: tuple[int, ...]
    sampling: tuple[float, int, float]
    keeps_form: int  # exactly the form: line count, line lengths, marks, characters
    line_lengths: int  # every line the form's length (whatever the count and marks)
    punctuation: int  # the marks right (whatever the lengths)
    line_count: int
    forms: dict  # form name (or "other") -> samples that took it
    examples: tuple[str, ...]  # the first few samples' text

    def to_json(self) -> dict:
        t, k, p = self.sampling
        n = max(1, self.samples)
        return {
            "model": self.model,
            "form": self.form,
            "prompt": self.prompt,
            "samples": self.samples,
            "seeds": [self.seeds[0], self.seeds[-1]] if self.seeds else [],
            "sampling": {"temperature": t, "top_k": k, "top_p": p},
            "keeps_form": self.keeps_form,
            "share_keeps_form": self.keeps_form / n,
            "share_line_lengths": self.line_lengths / n,
            "share_punctuation": self.punctuation / n,
            "share_line_count": self.line_count / n,
            "share_any_form": (self.samples - self.forms.get("other", 0)) / n,
            "forms": dict(self.forms),
            "examples": list(self.examples),
            "note": "free samples: probes.generate with no form constraint, one per seed, up to "
            f"{LONGEST + 1} tokens (the longest form and its end); a sample keeps the form when its lines, marks "
            "(， after odd lines, 。 after even ones) and line count are the form's and it then ends",
        }


def free_form_share(
    lm: probes.LanguageModel,
    form: str | Form = "5x4",
    samples: int = FREE_SAMPLES,
    sampling: probes.Sampling | None = None,
    prompt: str = "",
    first_seed: int = 0,
) -> FormShare:
    """Sample ``samples`` poems freely (seeds first_seed ..) and count those that keep ``form`` by themselves:
    what the constraint adds is the rest. Each sample may run to the longest form and its end, so a sample
    that goes on past the form is seen to."""
    f = get_form(form)
    vocabulary(lm)  # a character GPT
    s = sampling or FREE_SAMPLING
    seeds = tuple(range(first_seed, first_seed + samples))
    keeps = lengths = marks = count = 0
    forms: Counter = Counter()
    examples = []
    end = set(lm.end_of_text_ids())
    start = "".join(ch for ch in prompt if not ch.isspace())
    for seed in seeds:
        made = [g.text for g in probes.generate(lm, start, LONGEST + 1 - len(start), s, seed) if g.token_id not in end]
        tokens = list(start) + made
        c = check_form(tokens, f)
        keeps += c.ok
        lengths += c.line_lengths and c.characters
        marks += c.punctuation
        count += c.line_count
        forms[form_of(tokens) or "other"] += 1
        if len(examples) < 5:
            examples.append("".join(tokens))
    return FormShare(
        lm.name, f.name, start, samples, seeds, (s.temperature, s.top_k, s.top_p), keeps, lengths, marks, count,
        dict(sorted(forms.items())), tuple(examples),
    )  # fmt: skip
