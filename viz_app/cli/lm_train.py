"""Training the BERT and GPT lessons' models: the tokenizer, the tiny BERT and GPT, the Tang poems' character
models, and the fine-tuned sentiment and author classifiers (see ``viz_app.core.lm``)."""

from __future__ import annotations

import json
from pathlib import Path

from viz_app.cli._common import (
    EXIT_OK,
    UsageError,
    command_line,
    existing_files,
    run_with_progress,
)


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

    for kind in ("gpt", "bert"):
        p = sub.add_parser(
            f"train-{kind}-tang",
            help=f"pre-train a character-level {kind.upper()} on the Tang poems (fixed split by poem; resumable)",
        )
        p.add_argument("--data", default=None, help="tang_regular_verse.tsv (default: ../shared/data/zh_tw_tang_poems)")
        p.add_argument("--out", required=True)
        p.add_argument("--name", default=f"{kind}-tang")
        p.add_argument("--steps", type=int, default=6000)
        p.add_argument("--batch", type=int, default=32)
        p.add_argument("--seq-len", type=int, default=96 if kind == "gpt" else 136)
        p.add_argument("--d-model", type=int, default=192)
        p.add_argument("--heads", type=int, default=6)
        p.add_argument("--layers", type=int, default=4)
        p.add_argument("--lr", type=float, default=1e-3)
        p.add_argument("--warmup", type=int, default=200)
        p.add_argument("--dropout", type=float, default=0.0, help="short runs of a few epochs learn faster without")
        p.add_argument("--eval-every", type=int, default=250)
        p.add_argument("--checkpoint-every", type=int, default=100)
        p.add_argument("--eval-poems", type=int, default=300, help="validation poems scored during training")
        p.add_argument("--log-every", type=int, default=25, help="a progress line every N steps")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--resume", action="store_true", help="continue from OUT/NAME.checkpoint.pt")
        p.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0: torch's default)")
        p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))
        if kind == "bert":
            p.add_argument(
                "--init-from", default=None, help="start from a trained gpt-tang's safetensors (same tokenizer)"
            )
            p.add_argument("--mask-rate", type=float, default=0.15, help="share of the characters to predict")

    from viz_app.core.lm import author

    p = sub.add_parser("finetune-author", help="fine-tune bert-tang to name the poet of a Tang poem")
    author.add_arguments(p)

    p = sub.add_parser("finetune-sentiment", help="fine-tune the BERT's last block and a sentiment head on IMDB")
    p.add_argument("--bert", required=True, help="folder of a train-bert run, or a bundled BERT's name (bert-tiny)")
    p.add_argument("--bert-name", default="bert")
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--imdb", required=True, help="folder with imdb_small_3000.csv and imdb_small_1000_b.csv")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="bert-sentiment")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--max-tokens", type=int, default=128, help="a longer review keeps its first and last half")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--recipe", default="last", choices=("last", "whole"), help="train the last block, or all of BERT")
    p.add_argument("--sentences", type=int, default=0, help="short sentences cut from each training review")
    p.add_argument("--mlm-steps", type=int, default=0, help="masked-LM steps on the training reviews first (whole)")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for torch (0: torch's default)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "mps"))


def cmd_train_tokenizer(args) -> int:
    from viz_app.core.lm import data
    from viz_app.core.lm.tokenizer import train_tokenizer

    if not 100 <= args.vocab_size <= 100_000:
        raise UsageError("--vocab-size must be between 100 and 100000")
    try:
        texts = data.lines(existing_files(args.corpus))
        if args.imdb:
            texts += [t for t, _ in data.imdb_splits(args.imdb)[0]]
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    tok = train_tokenizer(texts, args.vocab_size)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tok.save(args.out)
    print(json.dumps({"entries": len(tok), "texts": len(texts), "out": args.out}))
    return EXIT_OK


def _lm_config(args, kind: str, **more):
    """The trainer's config from the options every BERT/GPT training command shares (``more``: its own)."""
    from viz_app.core.lm.train import LMTrainConfig

    return LMTrainConfig(
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
        **more,
    )


def _train(args, kind: str) -> int:
    from viz_app.core.lm import data
    from viz_app.core.lm.train import train

    if min(args.steps, args.batch, args.heads, args.layers, args.eval_every) < 1 or args.d_model % args.heads:
        raise UsageError(
            "--steps, --batch, --heads, --layers, --eval-every must be positive; --d-model a multiple of --heads"
        )
    if not 8 <= args.seq_len <= 512:
        raise UsageError("--seq-len must be between 8 and 512")
    files, validation = existing_files(args.corpus), existing_files(args.validation)
    extra = None
    if kind == "bert" and args.imdb:
        try:
            extra = [t for t, _ in data.imdb_splits(args.imdb)[0]]
        except (ValueError, FileNotFoundError) as exc:
            raise UsageError(str(exc)) from None
    config = _lm_config(args, kind)
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
                command_line(f"train-{kind}"),
                args.name,
                args.resume,
            )
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"best": card["best"], "final_validation": card["final_validation"]}))
    return EXIT_OK


def _run_logged(gen, every: int):
    """Drive a training generator writing plain lines (for a log file): the held-out scores, every ``every``-th
    step with steps per second, and the rest of its messages."""
    import re
    import time

    start, first, last = time.perf_counter(), None, None
    while True:
        try:
            p = next(gen)
        except StopIteration as stop:
            return stop.value
        m = re.match(r"step (\d+)/", p.message)
        if m:
            step, now = int(m.group(1)), time.perf_counter()
            if first is None:
                first, start, last = step, now, (step, now)
            if step % every:
                continue
            rate = (step - first) / max(1e-9, now - start)
            recent = (step - last[0]) / max(1e-9, now - last[1])
            last = (step, now)
            message = f"{p.message}, {rate:.3f} steps/s ({recent:.3f} over the last {every})"
        else:
            message = p.message
        print(time.strftime("%H:%M:%S"), message, flush=True)


def _train_tang(args, kind: str) -> int:
    from viz_app.core.lm import tang
    from viz_app.core.lm.train import TOKENIZER_FILE, GivenTexts, train

    if min(args.steps, args.batch, args.heads, args.layers, args.eval_every, args.checkpoint_every) < 1:
        raise UsageError("--steps, --batch, --heads, --layers, --eval-every, --checkpoint-every must be positive")
    if args.d_model % args.heads or not 8 <= args.seq_len <= 512 or args.warmup < 1 or args.eval_poems < 1:
        raise UsageError("--d-model must be a multiple of --heads, --seq-len 8..512, --warmup and --eval-poems >= 1")
    if not 0 < getattr(args, "mask_rate", 0.15) < 1:
        raise UsageError("--mask-rate must be between 0 and 1")
    if args.threads < 0 or args.log_every < 1 or not 0 <= args.dropout < 1:
        raise UsageError("--threads cannot be negative, --log-every must be positive and --dropout in [0, 1)")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    path = Path(args.data) if args.data else tang.DEFAULT_TSV
    try:
        split = tang.load_split(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    train_texts = [p.text for p in split.train]
    tok = tang.CharTokenizer.train(train_texts)
    out = Path(args.out)
    saved = out / TOKENIZER_FILE
    if args.resume and saved.exists():
        try:
            previous = tang.CharTokenizer.load(saved)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if previous.tokens != tok.tokens:
            raise UsageError(f"{saved} differs from the tokenizer of these poems: not the same run")
    print(json.dumps({"data": str(path), **split.to_json(), "vocabulary": len(tok)}, ensure_ascii=False), flush=True)
    config = _lm_config(
        args,
        kind,
        vocab_size=len(tok),
        dropout=args.dropout,
        warmup=args.warmup,
        checkpoint_every=args.checkpoint_every,
        eval_lines=args.eval_poems,
        **({"mask_rate": args.mask_rate} if kind == "bert" else {}),
    )
    given = GivenTexts(
        train_texts,
        [p.text for p in split.validation],
        tok,
        sentences=tang.couplets,
        per_word=False,
        description=f"{path}: {split.to_json()['rule']}",
        scores=_char_mask_scores(tok) if kind == "bert" else None,
        init_weights=getattr(args, "init_from", None),
    )
    try:
        card = _run_logged(
            train(
                [path],
                [path],
                out,
                config,
                None,
                None,
                args.device,
                command_line(f"train-{kind}-tang"),
                args.name,
                args.resume,
                given,
            ),
            args.log_every,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"best": card["best"], "final_validation": card["final_validation"]}), flush=True)
    return EXIT_OK


def _char_mask_scores(tok):
    """bert-tang's check on the masked baseline's questions (one character masked at a time, never punctuation)."""
    from viz_app.core.lm import tang

    def scores(model, texts, device):
        r = tang.bert_masked_scores(model, tok, texts, device=device)
        return {"char_top1": float(r["top1"] or 0.0), "char_top5": float(r["top5"] or 0.0)}

    return scores


def cmd_train_gpt_tang(args) -> int:
    return _train_tang(args, "gpt")


def cmd_train_bert_tang(args) -> int:
    return _train_tang(args, "bert")


def cmd_train_gpt(args) -> int:
    return _train(args, "gpt")


def cmd_train_bert(args) -> int:
    return _train(args, "bert")


def cmd_finetune_sentiment(args) -> int:
    from viz_app.core.lm.finetune import FinetuneConfig, finetune
    from viz_app.core.lm.model import load_trained
    from viz_app.core.lm.tokenizer import WordPieces

    if args.epochs < 1 or not 8 <= args.max_tokens <= 512 or args.lr <= 0:
        raise UsageError("--epochs and --lr must be positive and --max-tokens between 8 and 512")
    if args.sentences < 0 or args.mlm_steps < 0 or args.threads < 0:
        raise UsageError("--sentences, --mlm-steps and --threads cannot be negative")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    try:
        if Path(args.bert).is_dir():
            model = load_trained(args.bert, args.bert_name)
        else:
            from viz_app.core.lm.model import LMConfig, load_weights
            from viz_app.core.registry import Registry

            registry = Registry()
            card = registry.card(args.bert)
            model = load_weights(registry.verified_path(args.bert, 0), LMConfig(**card.extra["model_config"]))
        tok = WordPieces.load(args.tokenizer)
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"cannot load the BERT: {exc}") from None
    if model.config.causal:
        raise UsageError(f"{args.bert}: {args.bert_name} is a GPT, not a BERT")
    if args.max_tokens > model.config.max_len:
        raise UsageError(f"--max-tokens: this BERT reads at most {model.config.max_len} tokens")
    config = FinetuneConfig(
        epochs=args.epochs,
        lr=args.lr,
        max_tokens=args.max_tokens,
        seed=args.seed,
        recipe=args.recipe,
        sentences=args.sentences,
        mlm_steps=args.mlm_steps,
    )
    try:
        card = run_with_progress(
            finetune(
                model,
                tok,
                Path(args.imdb),
                Path(args.out),
                config,
                args.name,
                command_line("finetune-sentiment"),
                args.device,
            )
        )
    except (ValueError, FileNotFoundError) as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({"test_accuracy": card["test_accuracy"], "history": card["history"]}))
    return EXIT_OK


def cmd_finetune_author(args) -> int:
    from viz_app.core.lm import author, probes
    from viz_app.core.lm.tang import DEFAULT_TSV
    from viz_app.core.registry import Registry

    poems = Path(args.poems) if args.poems else DEFAULT_TSV
    if not poems.is_file():
        raise UsageError(f"{poems}: no such file")
    if args.limit < 0:
        raise UsageError("--limit must not be negative")
    if args.threads > 0:
        import torch

        torch.set_num_threads(args.threads)
    registry = Registry()
    card = registry.cards().get(args.bert)
    if card is None or card.kind != "bert" or card.extra.get("tokenizer") != "char":
        raise UsageError(f"{args.bert} is not a bundled character BERT (bert-tang)")
    config = author.AuthorConfig(
        poets=args.poets, epochs=args.epochs, batch=args.batch, lr=args.lr, recipe=args.recipe, seed=args.seed
    )
    try:
        gen = author.finetune(
            probes.load(registry, args.bert), Path(args.out), config, poems, args.device,
            command_line("finetune-author"), args.limit,
        )  # fmt: skip
        card = run_with_progress(gen)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps({k: card[k] for k in ("poets", "dev_accuracy", "test_accuracy_at_training", "history")},
                     ensure_ascii=False))  # fmt: skip
    return EXIT_OK


COMMANDS = {
    "train-tokenizer": cmd_train_tokenizer,
    "train-gpt": cmd_train_gpt,
    "train-bert": cmd_train_bert,
    "train-gpt-tang": cmd_train_gpt_tang,
    "train-bert-tang": cmd_train_bert_tang,
    "finetune-sentiment": cmd_finetune_sentiment,
    "finetune-author": cmd_finetune_author,
}
