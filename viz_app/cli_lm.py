"""The ``viz-app`` subcommands that train the BERT and GPT lessons' models (see ``viz_app.core.lm``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _files(paths: list[str]) -> list[Path]:
    from viz_app.cli import UsageError

    out = [Path(p) for p in paths]
    for p in out:
        if not p.is_file():
            raise UsageError(f"{p}: no such file")
    return out


def _command(name: str) -> str:
    return "viz-app " + " ".join(sys.argv[1:]) if sys.argv[1:2] == [name] else ""


def add_parsers(sub) -> None:
    p = sub.add_parser("train-tokenizer", help="train the WordPiece tokenizer shared by the BERT and the GPT")
    p.add_argument("--corpus", nargs="+", required=True, help="plain-text files, one paragraph or story per line")
    p.add_argument("--imdb", help="also the training reviews of this IMDB folder (imdb_small_3000.csv)")
    p.add_argument("--out", required=True, help="tokenizer.json to write")
    p.add_argument("--vocab-size", type=int, default=8000)

    for kind in ("gpt", "bert"):
        p = sub.add_parser(f"train-{kind}", help=f"pre-train the tiny {kind.upper()} (resumable)")
        p.add_argument("--corpus", nargs="+", required=True, help="training text files")
        p.add_argument("--validation", nargs="+", required=True, help="held-out text files")
        p.add_argument("--out", required=True)
        p.add_argument("--name", default=kind)
        p.add_argument("--tokenizer", help="tokenizer.json (default: OUT/tokenizer.json, trained if missing)")
        if kind == "bert":
            p.add_argument("--imdb", help="add this IMDB folder's training reviews to the pre-training text")
        p.add_argument("--steps", type=int, default=6000)
        p.add_argument("--batch", type=int, default=32)
        p.add_argument("--seq-len", type=int, default=256 if kind == "gpt" else 128)
        p.add_argument("--d-model", type=int, default=256)
        p.add_argument("--heads", type=int, default=8)
        p.add_argument("--layers", type=int, default=4)
        p.add_argument("--lr", type=float, default=5e-4)
        p.add_argument("--eval-every", type=int, default=500)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--resume", action="store_true", help="continue from OUT/NAME.checkpoint.pt")
        p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))

    p = sub.add_parser("finetune-sentiment", help="fine-tune the BERT's last block and a sentiment head on IMDB")
    p.add_argument("--bert", required=True, help="folder of a train-bert run (its NAME.card.json and weights)")
    p.add_argument("--bert-name", default="bert")
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--imdb", required=True, help="folder with imdb_small_3000.csv and imdb_small_1000_b.csv")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="bert-sentiment")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--max-tokens", type=int, default=128, help="a longer review keeps its first and last half")
    p.add_argument("--seed", type=int, default=0)


def cmd_train_tokenizer(args) -> int:
    from viz_app.cli import EXIT_OK, UsageError
    from viz_app.core.lm import data
    from viz_app.core.lm.tokenizer import train_tokenizer

    if not 100 <= args.vocab_size <= 100_000:
        raise UsageError("--vocab-size must be between 100 and 100000")
    try:
        texts = data.lines(_files(args.corpus))
        if args.imdb:
            texts += [t for t, _ in data.imdb_splits(args.imdb)[0]]
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    tok = train_tokenizer(texts, args.vocab_size)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tok.save(args.out)
    print(json.dumps({"entries": len(tok), "texts": len(texts), "out": args.out}))
    return EXIT_OK


def _train(args, kind: str) -> int:
    from viz_app.cli import EXIT_OK, UsageError, run_with_progress
    from viz_app.core.lm import data
    from viz_app.core.lm.train import LMTrainConfig, train

    if min(args.steps, args.batch, args.heads, args.layers, args.eval_every) < 1 or args.d_model % args.heads:
        raise UsageError(
            "--steps, --batch, --heads, --layers, --eval-every must be positive; --d-model a multiple of --heads"
        )
    if not 8 <= args.seq_len <= 512:
        raise UsageError("--seq-len must be between 8 and 512")
    files, validation = _files(args.corpus), _files(args.validation)
    extra = None
    if kind == "bert" and args.imdb:
        try:
            extra = [t for t, _ in data.imdb_splits(args.imdb)[0]]
        except (ValueError, FileNotFoundError) as exc:
            raise UsageError(str(exc)) from None
    config = LMTrainConfig(
        kind,
        d_model=args.d_model,
        heads=args.heads,
        layers=args.layers,
        d_ff=4 * args.d_model,
        seq_len=args.seq_len,
        batch=args.batch,
        steps=args.steps,
        peak_lr=args.lr,
        eval_every=args.eval_every,
        seed=args.seed,
    )
    try:
        card = run_with_progress(
            train(
                files,
                validation,
                Path(args.out),
                config,
                extra,
                args.tokenizer and Path(args.tokenizer),
                args.device,
                _command(f"train-{kind}"),
                args.name,
                args.resume,
            )
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"best": card["best"], "final_validation": card["final_validation"]}))
    return EXIT_OK


def cmd_train_gpt(args) -> int:
    return _train(args, "gpt")


def cmd_train_bert(args) -> int:
    return _train(args, "bert")


def cmd_finetune_sentiment(args) -> int:
    from viz_app.cli import EXIT_OK, UsageError, run_with_progress
    from viz_app.core.lm.finetune import FinetuneConfig, finetune
    from viz_app.core.lm.model import load_trained
    from viz_app.core.lm.tokenizer import WordPieces

    if args.epochs < 1 or not 8 <= args.max_tokens <= 512:
        raise UsageError("--epochs must be positive and --max-tokens between 8 and 512")
    try:
        model = load_trained(args.bert, args.bert_name)
        tok = WordPieces.load(args.tokenizer)
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"cannot load the BERT: {exc}") from None
    if model.config.causal:
        raise UsageError(f"{args.bert}: {args.bert_name} is a GPT, not a BERT")
    config = FinetuneConfig(epochs=args.epochs, max_tokens=args.max_tokens, seed=args.seed)
    try:
        card = run_with_progress(
            finetune(model, tok, Path(args.imdb), Path(args.out), config, args.name, _command("finetune-sentiment"))
        )
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"test_accuracy": card["test_accuracy"], "history": card["history"]}))
    return EXIT_OK


COMMANDS = {
    "train-tokenizer": cmd_train_tokenizer,
    "train-gpt": cmd_train_gpt,
    "train-bert": cmd_train_bert,
    "finetune-sentiment": cmd_finetune_sentiment,
}
