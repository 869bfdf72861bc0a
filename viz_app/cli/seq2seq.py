"""The encoder-decoder subcommands: translation (French -> English, the chatbot, the couplet writers), attention, q/k/v, BLEU and training."""

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
    p = sub.add_parser("translate", help="translate French to English (or answer, with the chatbot model)")
    p.add_argument("text", nargs="?", default=None)
    p.add_argument("--file", default=None, help="one sentence per line")
    p.add_argument("--model", default="seq2seq-attention")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("attention", help="every layer's and head's attention weights (Transformer, BERT, GPT)")
    p.add_argument("text")
    p.add_argument("--model", default="transformer")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("qkv", help="q, k, v, scores, weights and z of one encoder head of a Transformer")
    p.add_argument("text")
    p.add_argument("--model", default="transformer")
    p.add_argument("--layer", type=int, default=0)
    p.add_argument("--head", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("bleu", help="BLEU of a translation model on english<TAB>french pairs")
    p.add_argument("--model", required=True)
    p.add_argument("--pairs", required=True)
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "train-transformer",
        help="train the Transformer translator on english<TAB>french pairs (or the couplet writer on the Tang TSV)",
    )
    p.add_argument("--pairs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="transformer")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--layers", type=int, default=3, help="encoder layers (and as many decoder layers)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", action="store_true", help="continue from OUT/NAME.checkpoint.pt")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    p.add_argument("--limit", type=int, default=0, help="train on only the first N pairs (tests)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))

    p = sub.add_parser("train-seq2seq", help="train the encoder-decoder on english<TAB>french pairs")
    p.add_argument("--pairs", required=True)
    p.add_argument("--attention", choices=("yes", "no"), default="yes")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default=None, help="file name stem (default: seq2seq-attention / seq2seq-plain)")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))

    from viz_app.core.seq2seq import couplet

    p = sub.add_parser("train-couplet", help="train the couplet writer (對對子) on the Tang poems (resumable)")
    couplet.add_arguments(p)


def _translator(name: str) -> str:
    from viz_app.core.registry import Registry

    try:
        card = Registry().card(name)
    except KeyError as exc:  # an unknown name is bad input (2); a broken manifest or card fails (1)
        raise UsageError(str(exc)) from None
    if card.kind not in ("seq2seq", "transformer"):
        raise UsageError(f"{name!r} is a {card.kind}, not an encoder-decoder")
    return card.kind


def _transformer(name: str) -> None:
    if _translator(name) != "transformer":
        raise UsageError(f"{name!r} is not a Transformer")


def cmd_translate(args) -> int:

    from viz_app.core.registry import ModelStore, Registry
    from viz_app.core.seq2seq import couplet as couplet_model
    from viz_app.core.seq2seq import probes

    def _check_first_line(text: str, where: str = "") -> None:  # the couplet writer reads one line of Chinese
        try:
            couplet_model.check_first_line(text)
        except ValueError as exc:
            raise UsageError(f"{where}{exc}") from None

    if (args.text is None) == (args.file is None):
        raise UsageError("give the text to translate, or --file PATH (one sentence per line)")
    if not 1 <= args.beam <= 10:
        raise UsageError("--beam must be between 1 and 10")
    if _translator(args.model) == "transformer" and args.beam > 1:
        raise UsageError("the Transformer decodes greedily; --beam is for the RNN translators")
    card = Registry().card(args.model)
    couplet = "couplet" in (card.extra.get("task"), (card.extra.get("config") or {}).get("task"))
    store = ModelStore()
    if args.file is not None:
        try:
            lines = Path(args.file).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot be read ({exc})") from None
        if lines and not lines[-1].strip():
            lines.pop()  # the file's final newline is not one more sentence
        if couplet:  # every non-empty line must be a first line the model can read (an empty one stays empty)
            for i, line in enumerate(lines, start=1):
                if line.strip():
                    _check_first_line(line, f"line {i}: ")
        # One output per line, in order (an empty line gives an empty output, so lines stay matched).
        results = [probes.translate(store, args.model, line, args.beam) for line in lines]
        outputs = [r.output for r in results]
        cuts = [r.truncated for r in results]
        if args.json:
            print_json({"outputs": outputs, "cut_tokens": cuts})
        else:
            print("\n".join(outputs))
        for i, cut in enumerate(cuts, start=1):
            if cut:
                print(f"viz-app: note: line {i} was cut: {cut} tokens past the model's limit left out", file=sys.stderr)
        return EXIT_OK
    if couplet:
        _check_first_line(args.text)
    result = probes.translate(store, args.model, args.text, args.beam)
    if args.json:
        print_json(result.to_json())
    else:
        print(result.output)
    if result.truncated:
        print(
            f"viz-app: note: the text was cut: {result.truncated} tokens past the model's limit left out",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_attention(args) -> int:
    from viz_app.cli import lm as cli_lm
    from viz_app.core.registry import ModelStore
    from viz_app.core.transformer import probes

    if cli_lm.is_lm(args.model):
        return cli_lm.lm_attention(args)

    _transformer(args.model)
    result = probes.translate(ModelStore(), args.model, args.text)
    out = result.to_json()
    out["tokens"] = out["source_tokens"]  # the encoder's self-attention is over the typed tokens
    out["attention"] = out["encoder_attention"]
    if args.json:
        print_json(out)
    else:
        print(f"{len(result.source_tokens)} source tokens, {len(result.output_tokens)} output tokens: {result.output}")
    return EXIT_OK


def cmd_qkv(args) -> int:
    from viz_app.core.registry import ModelStore
    from viz_app.core.transformer import probes

    _transformer(args.model)
    try:
        result = probes.head_numbers(ModelStore(), args.model, args.text, args.layer, args.head)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(result.to_json())
    else:
        print(f"layer {args.layer}, head {args.head}: {len(result.tokens)} tokens, d_k {result.q.shape[1]}")
    return EXIT_OK


def cmd_bleu(args) -> int:

    from viz_app.core.registry import ModelStore
    from viz_app.core.seq2seq import probes

    _translator(args.model)
    if not Path(args.pairs).is_file():
        raise UsageError(f"{args.pairs}: no such file")
    try:
        score, n = probes.bleu_on_pairs(ModelStore(), args.model, args.pairs, args.beam)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json({"bleu": score, "n": n})
    else:
        print(f"BLEU {score:.2f} on {n} pairs")
    return EXIT_OK


def cmd_train_couplet(args) -> int:
    from viz_app.core.seq2seq import couplet

    typed = sys.argv[1:2] == ["train-couplet"]
    try:
        gen = couplet.training(args, "viz-app " + " ".join(sys.argv[1:]) if typed else "viz-app train-couplet")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    couplet.report(gen)
    return EXIT_OK


def cmd_train_seq2seq(args) -> int:

    from viz_app.core.seq2seq.train import TrainConfig, train

    if not Path(args.pairs).is_file():
        raise UsageError(f"{args.pairs}: no such file")
    if args.epochs < 1 or args.batch < 1 or args.dim < 2:
        raise UsageError("--epochs, --batch and --dim must be positive")
    attention = args.attention == "yes"
    name = args.name or ("seq2seq-attention" if attention else "seq2seq-plain")
    config = TrainConfig(attention=attention, dim=args.dim, epochs=args.epochs, batch=args.batch, seed=args.seed)
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-seq2seq"] else ""
    card = run_with_progress(train(Path(args.pairs), Path(args.out), config, args.device, command, name))
    print(json.dumps({"best_epoch": card["best_epoch"], "history": card["history"]}))
    return EXIT_OK


def cmd_train_transformer(args) -> int:

    from viz_app.core.transformer.train import TrainConfig, train

    if not Path(args.pairs).is_file():
        raise UsageError(f"{args.pairs}: no such file")
    if min(args.epochs, args.batch, args.heads, args.layers) < 1 or args.d_model % args.heads or args.limit < 0:
        raise UsageError(
            "--epochs, --batch, --heads and --layers must be positive, --limit not negative; --d-model a multiple "
            "of --heads"
        )
    if args.threads > 0:
        import torch

        torch.set_num_threads(args.threads)
    config = TrainConfig(
        d_model=args.d_model,
        heads=args.heads,
        encoder_layers=args.layers,
        decoder_layers=args.layers,
        d_ff=4 * args.d_model,
        epochs=args.epochs,
        batch=args.batch,
        seed=args.seed,
    )
    command = "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["train-transformer"] else ""
    try:
        card = run_with_progress(
            train(Path(args.pairs), Path(args.out), config, args.device, command, args.name, args.resume, args.limit)
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"best_epoch": card["best_epoch"], "history": card["history"]}))
    return EXIT_OK


COMMANDS = {
    "train-seq2seq": cmd_train_seq2seq,
    "train-couplet": cmd_train_couplet,
    "train-transformer": cmd_train_transformer,
    "translate": cmd_translate,
    "bleu": cmd_bleu,
    "attention": cmd_attention,
    "qkv": cmd_qkv,
}
