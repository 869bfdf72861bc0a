"""The BERT and GPT subcommands that read a model: fill-mask, the classifiers, and the generate, score and
attention commands' BERT/GPT side (see ``viz_app.core.lm``; training them is in ``lm_train``)."""

from __future__ import annotations

from pathlib import Path

from viz_app.cli._common import (
    EXIT_OK,
    UsageError,
    print_json,
    read_lines,
)


def add_parsers(sub) -> None:
    p = sub.add_parser("fill-mask", help="the BERT's predictions for each [MASK] in a sentence")
    p.add_argument("text", nargs="?", default=None)
    p.add_argument("--file", default=None, help="one sentence per line (the model is loaded once)")
    p.add_argument("--model", default="bert-tiny", help="a bundled BERT or a local Hugging Face folder")
    p.add_argument("--top-k", type=int, default=10)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("classify", help="a sentiment classifier's reading of a review (positive / negative)")
    p.add_argument("text", nargs="?", default=None)
    p.add_argument("--file", default=None, help="one text per line (the model is loaded once)")
    p.add_argument(
        "--model",
        default="featured",
        help="bow-sentiment, bert-sentiment (last block fine-tuned), bert-sentiment-whole, or featured: the best "
        "of them by its card (the one the generative page uses)",
    )
    p.add_argument("--json", action="store_true")


LM_KINDS = ("bert", "gpt", "bert-sentiment")


def is_lm(name: str) -> bool:
    """A bundled BERT / GPT, or a folder (a local Hugging Face model)."""
    from viz_app.core.registry import Registry, RegistryError

    if Path(name).is_dir() or "/" in name or "\\" in name:
        return True
    try:
        return Registry().card(name).kind in LM_KINDS
    except (KeyError, RegistryError):
        return False


def load_lm(name: str, kind: str | None = None):
    """The model. A name or folder that is not a model here is a usage error (exit status 2); a bundled
    model that is missing or broken raises an error naming it (exit status 1, as from every command)."""
    from viz_app.core.lm import probes
    from viz_app.core.registry import ModelFileError, ModelLoadError, Registry, RegistryError, load_model

    try:
        lm = load_model(Registry(), name, probes.load)
    except (ModelFileError, ModelLoadError, RegistryError):
        raise
    except (KeyError, ValueError, OSError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    if kind == "bert" and lm.kind != "bert":
        raise UsageError(f"{name} predicts the next word; fill-mask needs a BERT model (bert-tiny)")
    if kind == "gpt" and lm.kind != "gpt":
        raise UsageError(f"{name} fills in masked words; this needs a GPT model (gpt-tiny)")
    return lm


def cmd_fill_mask(args) -> int:
    from viz_app.core.lm import probes

    if not 1 <= args.top_k <= 1000:
        raise UsageError("--top-k must be between 1 and 1000")
    if (args.text is None) == (args.file is None):
        raise UsageError("give a TEXT with [MASK] or --file PATH (one sentence per line)")
    lm = load_lm(args.model, "bert")
    lines = [args.text] if args.text is not None else read_lines(args.file)
    results = [probes.fill_mask(lm, line, args.top_k).to_json() for line in lines]
    if args.json:
        print_json(results[0] if args.text is not None else {"results": results})
    else:
        for line, r in zip(lines, results, strict=True):
            if not r["masks"]:
                print(f"{line}: no [MASK] in the text")
            for m in r["masks"]:
                best = ", ".join(f"{t} {p:.2f}" for t, p in m["predictions"][:5])
                print(f"[MASK] at {m['position']}: {best}")
    return EXIT_OK


def classify_line(r) -> str:
    """One classification as the app shows it: the label, "uncertain", or that the model cannot tell."""
    p = r.probs[r.label]
    if r.verdict == "unreadable":
        return "cannot tell: the model does not know these words"
    if r.verdict == "uncertain":
        return f"uncertain ({r.label} {p:.2f})"
    return f"{r.label} ({p:.2f})"


def cmd_classify(args) -> int:
    from viz_app.core import claims
    from viz_app.core.lessons import generative as gen_lesson
    from viz_app.core.registry import ModelFileError, ModelLoadError, Registry, RegistryError

    if (args.text is None) == (args.file is None):
        raise UsageError("give a TEXT or --file PATH (one text per line)")
    registry = Registry()
    name = gen_lesson.featured_classifier(registry) if args.model == gen_lesson.FEATURED else args.model
    card = registry.cards().get(name)
    if card is None or card.kind not in ("bert-sentiment", "bow-sentiment"):
        known = ", ".join(gen_lesson.classifiers(registry))
        raise UsageError(f"{args.model} is not a sentiment classifier here (bundled: {known}, or featured)")
    lines = [args.text] if args.text is not None else read_lines(args.file)
    ctx = claims.context()  # one model store: the model is loaded once for every line
    ctx.models.registry = registry
    try:
        results = [gen_lesson.classify_job(ctx, name, line) for line in lines]
    except (ModelFileError, ModelLoadError, RegistryError):
        raise
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        payload = [r.to_json() for r in results]
        print_json(payload[0] if args.text is not None else {"model": name, "results": payload})
    elif args.text is not None:
        print(classify_line(results[0]))
    else:
        for line, r in zip(lines, results, strict=True):
            print(f"{classify_line(r)}\t{line}")
    return EXIT_OK


def lm_generate(args) -> int:
    """``viz-app generate`` for a GPT (the LSTM keeps its own path)."""
    from viz_app.core.lm import probes

    sampling = probes.Sampling(args.temperature, args.top_k, args.top_p)
    try:
        sampling.check()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not 1 <= args.max_new_tokens <= 1000:
        raise UsageError("--max-new-tokens must be 1..1000")
    lm = load_lm(args.model, "gpt")
    kv_cache = not getattr(args, "no_kv_cache", False)
    steps = list(probes.generate(lm, args.prompt, args.max_new_tokens, sampling, args.seed, kv_cache=kv_cache))
    text = probes.join_generated(lm, args.prompt, steps)
    if args.json:
        print_json({"text": text, "steps": [[s.text, s.prob] for s in steps]})
    else:
        print(text)
    return EXIT_OK


def lm_score(args) -> int:
    """Per-token and per-word perplexity from unrounded log-probabilities; a line longer than the model's
    context is read in overlapping windows, so the words divided by are exactly the words scored."""
    import math

    from viz_app.core.lm import probes

    lm = load_lm(args.model, "gpt")
    lines = [line for line in read_lines(args.file) if line.strip()] if args.file else [args.text]
    nll, tokens, windows, results = 0.0, 0, 0, []
    for line in lines:
        r = probes.score(lm, line)
        nll += r["nll_nats"]
        tokens += len(r["log_probs"])
        windows += r["windows"]
        results.append(r)
    words = sum(len(line.split()) for line in lines)
    summary = {
        "tokens": tokens,
        "words": words,
        "nll_nats": nll,
        "perplexity_per_token": math.exp(nll / tokens) if tokens else None,
        "perplexity_per_word": math.exp(nll / words) if words else None,
        "windows": windows,
        "cut_tokens": 0,
    }
    if not words:
        summary["note"] = "the text has no words: the per-word perplexity is undefined (null)"
    if args.file:
        data = {"lines": len(lines), **summary}
    else:  # the per-token lists of the one text, then its totals
        data = {**results[0], **{k: v for k, v in summary.items() if k != "tokens"}}
    if args.json:
        print_json(data)
    else:
        ppl = data["perplexity_per_token"]
        print(f"perplexity {ppl:.2f} per token" if ppl is not None else "nothing to score")
    return EXIT_OK


def lm_attention(args) -> int:
    from viz_app.core.lm import probes

    lm = load_lm(args.model)
    result = probes.attention(lm, args.text)
    if args.json:
        print_json(result.to_json())
    else:
        print(f"{len(result.tokens)} tokens, {len(result.attention)} layers x {lm.heads} heads")
    return EXIT_OK


COMMANDS = {
    "fill-mask": cmd_fill_mask,
    "classify": cmd_classify,
}
