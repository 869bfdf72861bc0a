"""The couplet writer (對對子): the Seq2Seq encoder-decoder with attention, one token per character, trained on the
Tang poems to write a couplet's second line from its first (line 1 -> line 2, line 3 -> line 4, ... of every poem).

* :func:`right_shape` - what a second line must look like: as many characters as the first line, then one end mark.
* :func:`check_first_line` - the command line's check of a typed first line (empty, no Chinese, emoji, too long).
* :func:`evaluate` - the card's figures, computed from the bundled (int8) files on the validation couplets only:
  per-character perplexity of the real second lines beside a character bigram (Kneser-Ney, ``tang.Bigram``)
  counted on the training second lines; the share of greedy (and beam) outputs with the right length and end mark;
  the mean attention weight on the same character position (in a parallel couplet character i answers character
  i) beside the uniform 1 / length; example outputs for well-known first lines, each said to be in the training
  poems, the validation poems, or neither.
* ``python -m viz_app.core.seq2seq.couplet --out DIR [--resume] [--threads 1]`` trains it (``train.train`` on the
  Tang TSV, task "couplet"), resumably, with checkpoints and a progress line per 50 steps;
  ``python -m viz_app.core.seq2seq.couplet --bundle DIR`` stores it int8 in resources/models/seq2seq, scores it
  there and registers the card (:func:`bundle`).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from viz_app.core.messages import msg
from viz_app.core.seq2seq import data

NAME = "couplet"
END_MARKS = "。？！；"  # a second line ends with one of these (。 nearly always)
MAX_LINE_CHARS = 16  # the longest first line the command line takes (the poems' lines have 5 or 7 characters)
# First lines of well-known poems for the card's examples (靜夜思 is in the collection as 床前看月光, so the
# line everyone knows, 床前明月光, is in no poem here).
WELL_KNOWN = ("床前明月光，", "白日依山盡，", "春眠不覺曉，", "國破山河在，", "海上生明月，")


def right_shape(source_tokens, output_tokens) -> bool:
    """As many tokens as the first line (its characters and its ，), the last an end mark, none before it."""
    out = list(output_tokens)
    return (
        len(out) == len(source_tokens)
        and len(out) >= 2
        and out[-1] in END_MARKS
        and all(data.is_cjk(t[0]) for t in out[:-1] if t)
        and all(t for t in out[:-1])
    )


def check_first_line(text: str) -> None:
    """ValueError with a message for the user unless ``text`` is a line of Chinese characters (a closing
    punctuation mark allowed; spaces skipped) of at most MAX_LINE_CHARS characters."""
    toks = data.char_tokens(text)
    if not toks:
        raise ValueError(msg("type the first line of a couplet, e.g. 白日依山盡，"))
    chars = toks[:-1] if toks[-1] in data.COUPLET_ENDS else toks
    if any(t in data.COUPLET_ENDS for t in chars):
        raise ValueError(msg("one line at a time: type only the first line of the couplet (up to its ，)"))
    other = sorted({t for t in chars if not data.is_cjk(t)})
    if other:
        raise ValueError(
            msg(
                "the couplet model reads Chinese characters (a first line such as 白日依山盡，); it cannot read: {chars}",
                chars=" ".join(other[:10]),
            )
        )
    if len(chars) > MAX_LINE_CHARS:
        raise ValueError(
            msg(
                "one line of at most {n} characters, please (the poems' lines have 5 or 7); this has {m}",
                n=MAX_LINE_CHARS,
                m=len(chars),
            )
        )


def pad_rows(rows: list[list[int]]):
    import torch

    out = torch.zeros(len(rows), max(len(r) for r in rows), dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r)
    return out


def teacher_forced(lm, pairs, batch: int = 256) -> dict:
    """Per-character negative log-likelihood of the real second lines (characters and end mark; the <end> token
    and the positions whose character is outside the vocabulary left out) and the teacher-forced attention on
    the same position."""
    import torch

    nll, count, unknown = 0.0, 0, 0
    same, uniform, rows = 0.0, 0.0, 0
    argmax_same = 0
    by_length: dict[int, list[float]] = {}  # characters -> [same, on the closing mark, argmax same, rows]
    for k in range(0, len(pairs), batch):
        part = pairs[k : k + batch]
        src_tok = [data.source_tokens(s, "couplet") for s, _ in part]
        tgt_tok = [data.char_tokens(t) for _, t in part]
        src = pad_rows([lm.source.encode(t) for t in src_tok])
        tgt = [lm.target.encode(t) for t in tgt_tok]
        tgt_in = pad_rows([[lm.target.start, *t] for t in tgt])
        with torch.no_grad():
            states, final, mask = lm.model.encode(src)
            logits, alpha, _ = lm.model.decode(tgt_in, states, final, mask)
            logp = torch.log_softmax(logits, dim=-1).numpy()
        alpha = alpha.numpy()
        for i, ids in enumerate(tgt):
            for t, w in enumerate(ids):
                if w == lm.target.unk:
                    unknown += 1
                    continue
                nll -= float(logp[i, t, w])
                count += 1
            m = len(src_tok[i])
            for t in range(min(len(ids), m)):
                same += float(alpha[i, t, t])
                uniform += 1.0 / m
                argmax_same += int(np.argmax(alpha[i, t, :m]) == t)
                rows += 1
            cell = by_length.setdefault(m - 1, [0.0, 0.0, 0.0, 0])
            for t in range(min(len(ids), m) - 1):  # the characters (not the end mark), as in the lesson's map
                cell[0] += float(alpha[i, t, t])
                cell[1] += float(alpha[i, t, m - 1])
                cell[2] += int(np.argmax(alpha[i, t, :m]) == t)
                cell[3] += 1
    return {
        "nll": nll,
        "characters": count,
        "unknown": unknown,
        "same_position": same / max(1, rows),
        "uniform": uniform / max(1, rows),
        "argmax_same_position": argmax_same / max(1, rows),
        "by_line_length": {
            f"{n} characters": {
                "same_position": round(c[0] / max(1, c[3]), 4),
                "on_the_closing_mark": round(c[1] / max(1, c[3]), 4),
                "argmax_same_position": round(c[2] / max(1, c[3]), 4),
                "uniform": round(1 / (n + 1), 4),
                "output_characters": int(c[3]),
            }
            for n, c in sorted(by_length.items())
        },
    }


def bigram_baseline(train_pairs, valid_pairs) -> dict:
    """The character bigram (interpolated Kneser-Ney, ``tang.Bigram``) counted on the training second lines, each
    line read as [SEP] line: per-character NLL of the validation second lines on the same positions as the
    model (characters and end mark, unknown characters left out)."""
    from viz_app.core.lm import tang

    seconds = [t for _, t in train_pairs]
    tok = tang.CharTokenizer.train(seconds)
    bigram = tang.Bigram(tok, seconds)
    nll, count = 0.0, 0
    for _, line in valid_pairs:
        ids = [tok.sep, *tok.encode_as_text("".join(data.char_tokens(line)))]
        for a, b in zip(ids[:-1], ids[1:], strict=True):
            if b == tok.unk:
                continue
            nll -= math.log(bigram.prob(a, b))
            count += 1
    return {"nll": nll, "characters": count, "vocabulary": len(tok)}


def decode_figures(lm, pairs, beam_width: int = 1) -> dict:
    """Greedy (``beam_width`` 1) or beam outputs for every first line: the shares with the right length, an end
    mark at the end (and none before), both, the real line's end mark; the attention on the same position."""
    from viz_app.core.seq2seq.decode import beam, greedy

    banned = (lm.target.unk,)
    n = length = mark = shape = same_mark = 0
    same = uniform = argmax_same = 0.0
    rows = 0
    for src, ref in pairs:
        toks = data.source_tokens(src, "couplet")
        ids = lm.source.encode(toks)
        limit = 2 * len(toks) + 2
        if beam_width <= 1:
            out = greedy(lm.model, ids, lm.target, limit, banned=banned)
        else:
            out = beam(lm.model, ids, lm.target, beam_width, limit, banned=banned)
        words = out.tokens
        n += 1
        length += len(words) == len(toks)
        ends = bool(words) and words[-1] in END_MARKS and not any(w in data.COUPLET_ENDS for w in words[:-1])
        mark += ends
        shape += right_shape(toks, words)
        same_mark += bool(words) and words[-1] == data.char_tokens(ref)[-1]
        if out.attention is not None:
            m = len(toks)
            for t in range(min(len(words), m)):
                same += float(out.attention[t, t])
                uniform += 1.0 / m
                argmax_same += int(np.argmax(out.attention[t]) == t)
                rows += 1
    return {
        "right_length": round(length / max(1, n), 4),
        "ends_with_end_mark": round(mark / max(1, n), 4),
        "right_length_and_end_mark": round(shape / max(1, n), 4),
        "same_end_mark_as_the_real_line": round(same_mark / max(1, n), 4),
        "attention_same_position": round(same / max(1, rows), 4),
        "attention_uniform": round(uniform / max(1, rows), 4),
        "attention_argmax_same_position": round(argmax_same / max(1, rows), 4),
        "n": n,
    }


def where(first_line: str, train_pairs, valid_pairs) -> str:
    """Whether ``first_line`` (punctuation aside) is a first line of a training couplet, a validation one, or
    in neither (a line elsewhere in a poem counts as neither)."""
    key = "".join(data.char_tokens(first_line)).rstrip(data.COUPLET_ENDS)
    for side, pairs in (("training", train_pairs), ("validation", valid_pairs)):
        for s, t in pairs:
            if s.rstrip(data.COUPLET_ENDS) == key:
                return f"a first line in the {side} poems (its second line there: {t})"
    return "not a first line in the corpus"


def example_outputs(lm, lines, train_pairs, valid_pairs, beam_width: int = 5) -> dict:
    from viz_app.core.seq2seq.decode import beam, greedy

    out = {}
    for line in lines:
        toks = data.source_tokens(line, "couplet")
        ids = lm.source.encode(toks)
        g = greedy(lm.model, ids, lm.target, 2 * len(toks) + 2, banned=(lm.target.unk,))
        b = beam(lm.model, ids, lm.target, beam_width, 2 * len(toks) + 2, banned=(lm.target.unk,))
        out[line] = {
            "greedy": data.detokenize(g.tokens),
            f"beam{beam_width}": data.detokenize(b.tokens),
            "in_corpus": where(line, train_pairs, valid_pairs),
        }
    return out


VALIDATION_NOTE = (
    "couplets (line 1 -> line 2, line 3 -> line 4, ...) of the validation poems of tang.load_split (5% by "
    "poem hash; no validation poem shares a line with a training poem), never trained on. Perplexity: "
    "teacher forcing on the real second lines, per character (its characters and end mark; the <end> "
    "token and characters outside the vocabulary left out), beside a character bigram with interpolated "
    "Kneser-Ney counted on the training second lines (each read from a line start), on the same "
    "positions. Right length: as many characters as the first line; end mark: the line ends with one of "
    "。？！； and has none before. Attention on the same position: the weight output character i gives "
    "source character i (the first line's ， and the second line's end mark included), averaged over "
    "output positions and couplets, beside 1 / (first line's length) for uniform attention; argmax: the "
    "share of output positions whose largest weight is on the same position. By line length: the second line's "
    "characters only (not its end mark), with the weight they give the first line's closing mark (its "
    "encoder state sums up the line). <unk> is never output."
)


def evaluate(store, name: str = NAME, tsv: str | Path | None = None, beam_width: int = 5) -> dict:
    """The card's metrics from the bundled files (see the module's docstring)."""
    from viz_app.core.lm import tang
    from viz_app.core.seq2seq import probes

    lm = store.get(name, probes.load)
    split = tang.load_split(tsv or tang.DEFAULT_TSV)
    train_pairs, valid_pairs = data.couplet_pairs(split.train), data.couplet_pairs(split.validation)
    forced = teacher_forced(lm, valid_pairs)
    base = bigram_baseline(train_pairs, valid_pairs)
    greedy_figures = decode_figures(lm, valid_pairs)
    beam_figures = decode_figures(lm, valid_pairs, beam_width) if beam_width > 1 else None
    ppl = math.exp(forced["nll"] / max(1, forced["characters"]))
    base_ppl = math.exp(base["nll"] / max(1, base["characters"]))
    out = {
        "validation_couplets": len(valid_pairs),
        "validation_poems": len(split.validation),
        "perplexity_per_character": round(ppl, 2),
        "baseline_bigram_perplexity_per_character": round(base_ppl, 2),
        "scored_characters": forced["characters"],
        "unknown_characters_left_out": forced["unknown"],
        "attention_same_position_teacher_forced": round(forced["same_position"], 4),
        "attention_uniform_teacher_forced": round(forced["uniform"], 4),
        "attention_argmax_same_position_teacher_forced": round(forced["argmax_same_position"], 4),
        "attention_teacher_forced_by_line_length": forced["by_line_length"],
        "greedy": greedy_figures,
        f"beam{beam_width}": beam_figures,
        "examples": example_outputs(lm, WELL_KNOWN, train_pairs, valid_pairs, beam_width),
        "validation": VALIDATION_NOTE,
    }
    return out


# --- bundling -----------------------------------------------------------------------------------------------


def bundle(trained: Path, folder: Path = Path("resources/models/seq2seq"), name: str = NAME) -> dict:
    """Copy the trained model into ``folder`` with int8 weights, score it there (:func:`evaluate`, through
    ``register.evaluate_card``) and register the card with its metrics (``register.bundle``)."""
    from viz_app.core.seq2seq.register import bundle as register_bundle

    return register_bundle(trained, name, folder)


# --- the training command ---------------------------------------------------------------------------------

DEFAULTS = {"epochs": 10, "batch": 64, "dim": 256, "min_count": 2, "checkpoint_minutes": 4.0}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of the couplet trainer (for ``viz-app train-couplet`` as for this module's ``main``)."""
    p.add_argument("--out", required=True, help="folder for the weights, vocabularies, card and checkpoint")
    p.add_argument("--poems", default=None, help="the Tang TSV (default: ../shared/data/zh_tw_tang_poems/...)")
    p.add_argument("--name", default=NAME)
    p.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    p.add_argument("--batch", type=int, default=DEFAULTS["batch"])
    p.add_argument("--dim", type=int, default=DEFAULTS["dim"])
    p.add_argument("--min-count", type=int, default=DEFAULTS["min_count"], help="rarer characters become <unk>")
    p.add_argument("--limit", type=int, default=0, help="train on only the first N training couplets (tests)")
    p.add_argument("--checkpoint-minutes", type=float, default=DEFAULTS["checkpoint_minutes"])
    p.add_argument(
        "--max-minutes", type=float, default=0.0, help="start no epoch that would end past this training time"
    )
    p.add_argument("--resume", action="store_true", help="continue from OUT/NAME.checkpoint.pt")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))


def training(args, command: str):
    """The trainer's generator (yields Progress, returns the card) for parsed ``args``; ValueError for bad ones."""
    from viz_app.core.lm import tang
    from viz_app.core.seq2seq.train import TrainConfig, train

    if min(args.epochs, args.batch, args.dim - 1, args.min_count) < 1 or args.limit < 0:
        raise ValueError("--epochs, --batch and --min-count must be positive, --dim at least 2")
    poems = Path(args.poems) if args.poems else tang.DEFAULT_TSV
    if not poems.is_file():
        raise ValueError(f"{poems}: no such file")
    if args.threads > 0:
        import torch

        torch.set_num_threads(args.threads)
    config = TrainConfig(
        attention=True,
        dim=args.dim,
        epochs=args.epochs,
        batch=args.batch,
        min_count=args.min_count,
        seed=args.seed,
        checkpoint_minutes=args.checkpoint_minutes,
        max_minutes=args.max_minutes,
    )
    task_data = None
    if args.limit:  # a small run (tests): the first LIMIT training couplets, the first 100 validation ones
        task, train_pairs, valid_pairs = _couplets(str(poems.resolve()))
        task_data = (task, train_pairs[: args.limit], valid_pairs[:100])
    return train(poems, Path(args.out), config, args.device, command, args.name, args.resume, task_data)


@functools.lru_cache(maxsize=2)
def _couplets(path: str):
    return data.load_task(path)


def run_logged(gen, stream=None) -> dict:
    """Drive the trainer, writing each progress message with the time (UTC) and, between two step reports of
    the same epoch, the steps per second."""
    import re

    stream = stream or sys.stdout
    last = None  # (time, epoch, step) of the last step report
    while True:
        try:
            p = next(gen)
        except StopIteration as stop:
            return stop.value
        now = time.time()
        rate = ""
        found = re.match(r"epoch (\d+)/\d+, step (\d+)/", p.message)
        if found:
            epoch, step = int(found.group(1)), int(found.group(2))
            if last is not None and last[1] == epoch and step > last[2] and now > last[0]:
                rate = f", {(step - last[2]) / (now - last[0]):.2f} steps/s"
            last = (now, epoch, step)
        print(f"{time.strftime('%H:%M:%S', time.gmtime(now))} {p.message}{rate}", file=stream, flush=True)


def report(gen) -> dict:
    """Drive the trainer ``gen`` (from ``training``), logging progress, and print the best epoch and the history
    as one JSON line last. Returns the card."""
    card = run_logged(gen)
    print(json.dumps({"best_epoch": card["best_epoch"], "history": card["history"]}), flush=True)
    return card


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m viz_app.core.seq2seq.couplet", description=__doc__.split("\n")[0])
    p.add_argument("--bundle", default=None, help="bundle the model trained in this folder instead of training")
    if "--bundle" in argv:
        args, _ = p.parse_known_args(argv)
        entry = bundle(Path(args.bundle))
        print(json.dumps(entry["metrics"], ensure_ascii=False, indent=1))
        return 0
    add_arguments(p)
    args = p.parse_args(argv)
    try:
        gen = training(args, "python -m viz_app.core.seq2seq.couplet " + " ".join(argv))
    except ValueError as exc:
        print(f"couplet: {exc}", file=sys.stderr)
        return 2
    report(gen)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
