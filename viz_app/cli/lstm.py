"""The LSTM language model's subcommands (gates, scoring, generation, training); scoring and generation hand a BERT or GPT to ``viz_app.cli.lm``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from viz_app.cli._common import (
    EXIT_OK,
    UsageError,
    print_json,
    run_with_progress,
)


def add_parsers(sub) -> None:
    p = sub.add_parser("lstm-gates", help="the LSTM's gate values for every word of a text")
    p.add_argument("text")
    p.add_argument("--model", default="lstm-tinystories")
    p.add_argument("--layer", type=int, default=None)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("score", help="a language model's log-likelihood of a text (chain rule)")
    p.add_argument("--model", required=True)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text")
    source.add_argument("--file")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("generate", help="continue a prompt word by word")
    p.add_argument("prompt")
    p.add_argument("--model", default="gpt-tiny", help="gpt-tiny (default), lstm-tinystories, bigram-tinystories")
    p.add_argument("--max-new-tokens", type=int, default=20)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=0, help="GPT models: sample among the k likeliest (0: all)")
    p.add_argument("--top-p", type=float, default=1.0, help="GPT models: the fewest tokens reaching p")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--form",
        default=None,
        help="gpt-tang: a regular-verse form, 5x4 (五言絕句), 7x4 (七言絕句), 5x8 (五言律詩) or 7x8 (七言律詩); the "
        "prompt (may be empty) is the poem's start; --max-new-tokens is then ignored",
    )
    p.add_argument("--acrostic", default=None, help="with --form: 藏頭詩, one character per line to start it")
    p.add_argument(
        "--no-kv-cache",
        action="store_true",
        help="GPT models: recompute the whole window at every step instead of keeping each token's keys and "
        "values (the same tokens, slower; for comparison)",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("train-lstm", help="train the word-level LSTM language model (and the bigram model)")
    p.add_argument("--corpus", nargs="+", required=True, help="text files, or folders of .txt files")
    p.add_argument("--validation", nargs="+", required=True, help="held-out text files to score each epoch")
    p.add_argument("--out", required=True)
    p.add_argument("--vocab-size", type=int, default=10000)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))


def _language_model(name: str):
    from viz_app.core.registry import Registry

    try:
        card = Registry().card(name)
    except KeyError as exc:  # an unknown name is bad input (2); a broken manifest or card fails (1)
        raise UsageError(str(exc)) from None
    if card.kind not in ("lstm-lm", "bigram-lm"):
        raise UsageError(f"{name!r} is a {card.kind}, not a language model")


def cmd_lstm_gates(args) -> int:
    from viz_app.core.lstm import probes
    from viz_app.core.registry import ModelStore

    _language_model(args.model)
    try:
        result = probes.lstm_gates(ModelStore(), args.model, args.text, args.layer)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(result.to_json())
    else:
        for t, (i, f, o) in zip(
            result.tokens, zip(result.gates["i"], result.gates["f"], result.gates["o"], strict=True), strict=True
        ):
            print(f"{t:12} mean input gate {i.mean():.3f}  forget gate {f.mean():.3f}  output gate {o.mean():.3f}")
    if result.truncated:
        print(f"viz-app: the text was cut: {result.truncated} tokens past the first 100 left out", file=sys.stderr)
    return EXIT_OK


def cmd_score(args) -> int:

    from viz_app.cli import lm as cli_lm

    if cli_lm.is_lm(args.model):
        return cli_lm.lm_score(args)

    from viz_app.core.lstm import probes
    from viz_app.core.registry import ModelStore

    _language_model(args.model)
    if args.file:
        try:
            content = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot be read ({exc})") from None
    else:
        content = args.text
    result = probes.score(ModelStore(), args.model, content, limit=False)
    data = result.to_json(per_token=args.text is not None)
    if not result.tokens:
        data["perplexity_per_token"] = None
        data.setdefault("notes", []).append("the text has no words: there is nothing to score (perplexity null)")
    if args.json:
        print_json(data)
    elif not result.tokens:
        print("the text has no words: nothing to score")
    else:
        print(
            f"{data['tokens']} tokens, {data['words']} words, log-likelihood {-data['nll_nats']:.2f} nats, "
            f"perplexity {data['perplexity_per_token']:.2f} per token"
        )
    return EXIT_OK


def cmd_generate(args) -> int:
    from viz_app.cli import lm as cli_lm
    from viz_app.core.lstm import probes

    if args.form is not None or args.acrostic is not None:  # a Tang poem in a form (viz_app.core.lm.poem)
        from viz_app.core.lm import poem
        from viz_app.core.lm import probes as lm_probes

        if args.form is None:
            raise UsageError("--acrostic needs --form (5x4, 7x4, 5x8 or 7x8)")
        if not cli_lm.is_lm(args.model):
            raise UsageError(f"--form needs a character-level GPT such as gpt-tang, not {args.model}")
        sampling = lm_probes.Sampling(args.temperature, args.top_k, args.top_p)
        lm = cli_lm.load_lm(args.model, "gpt")
        try:
            request = poem.plan(lm, args.form, args.prompt, args.acrostic or "")
            steps = poem.stream(lm, request, sampling, args.seed)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        result = poem.assemble(request, list(steps), sampling, args.seed)
        if args.json:
            print_json(result.to_json())
        else:
            print("\n".join(result.lines))
        return EXIT_OK
    if cli_lm.is_lm(args.model):
        return cli_lm.lm_generate(args)
    from viz_app.core.registry import ModelStore

    _language_model(args.model)
    if not 1 <= args.max_new_tokens <= 1000 or args.temperature <= 0:
        raise UsageError("--max-new-tokens must be 1..1000 and --temperature above 0")
    gen = probes.generate(ModelStore(), args.model, args.prompt, args.max_new_tokens, args.temperature, args.seed)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            text_out, steps = stop.value
            break
    if args.json:
        print_json({"text": text_out, "steps": [[t, p] for t, p in steps]})
    else:
        print(text_out)
    return EXIT_OK


def cmd_train_lstm(args) -> int:

    from viz_app.core.embeddings.train import corpus_files
    from viz_app.core.lstm.train import TrainConfig, train

    try:
        files = corpus_files(args.corpus, None)
        validation = corpus_files(args.validation, None)
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    if args.vocab_size < 10 or args.dim < 2 or args.layers < 1 or args.epochs < 1:
        raise UsageError("--vocab-size, --dim, --layers and --epochs must be positive (vocabulary at least 10)")
    config = TrainConfig(
        vocab_size=args.vocab_size, dim=args.dim, layers=args.layers, epochs=args.epochs, seed=args.seed
    )
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-lstm"] else ""
    card = run_with_progress(train(files, validation, Path(args.out), config, args.device, command))
    print(json.dumps(card["metrics"]))
    return EXIT_OK


COMMANDS = {
    "train-lstm": cmd_train_lstm,
    "lstm-gates": cmd_lstm_gates,
    "score": cmd_score,
    "generate": cmd_generate,
}
