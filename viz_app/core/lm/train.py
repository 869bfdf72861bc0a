"""``viz-app train-gpt`` and ``viz-app train-bert``: pre-training the two tiny language models.

Both read the same lines (TinyStories by default; BERT also the IMDB training reviews, so that the
sentiment fine-tuning finds its words) through one WordPiece tokenizer (trained first, or given).
- GPT: the lines joined as ``[SEP] line [SEP] line ...`` and cut into blocks; every position predicts
  the next token. Judged by perplexity on held-out lines, per token and per word (the LSTM's measure:
  each line scored on its own, words = whitespace-separated words).
- BERT: pairs of text spans, A then B, where B follows A in the same paragraph or (half the time)
  comes from another paragraph: ``[CLS] A [SEP] B [SEP]``, segment 0 for A, 1 for B. 15% of the
  tokens are chosen; of those 80% become [MASK], 10% a random token, 10% stay; the model predicts
  the chosen tokens (masked LM) and whether B is the next span (next sentence prediction).
  Judged by held-out masked-token top-1 / top-5 accuracy and NSP accuracy.

AdamW with linear warm-up and cosine decay over a fixed number of steps. The full training state is
saved every ``checkpoint_every`` steps (NAME.checkpoint.pt), so a stopped run continues with
``--resume`` exactly where it was: data order, masking and dropout depend only on (seed, epoch, step).
The best weights by held-out loss go to NAME.safetensors (float16), with NAME.card.json beside them.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lm import data
from viz_app.core.lm.tokenizer import WordPieces, train_tokenizer
from viz_app.core.lm.train_data import (  # the two models' training data and held-out measures
    bert_chunks,
    bert_pairs,
    bert_scores,
    gpt_blocks,
    gpt_stream,
    line_nll,
    mask_tokens,
    pack_pairs,
    words_in,
)

TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class GivenTexts:
    """Training and validation texts with their tokenizer, given instead of files (the Tang poems, one poem a
    text, with the character tokenizer): ``sentences`` splits a text for BERT's pairs; ``per_word`` False when
    whitespace-separated words mean nothing (Chinese: the per-token perplexity is the per-character one);
    ``scores(model, texts, device)`` adds figures (floats) to each held-out check."""

    train: list[str]
    validation: list[str]
    tokenizer: object
    sentences: object = None
    per_word: bool = True
    description: str = ""
    scores: object = None
    init_weights: object = None  # a safetensors file (e.g. the GPT's) whose tensors start the model where they fit


@dataclass(frozen=True)
class LMTrainConfig:
    kind: str  # "gpt" or "bert"
    vocab_size: int = 8000
    d_model: int = 256
    heads: int = 8
    layers: int = 4
    d_ff: int = 1024
    dropout: float = 0.1
    seq_len: int = 128
    batch: int = 32
    steps: int = 6000
    peak_lr: float = 5e-4
    warmup: int = 300
    weight_decay: float = 0.01
    eval_every: int = 500
    checkpoint_every: int = 100
    eval_lines: int = 400  # held-out lines used for the checks during training (all of them at the end)
    seed: int = 0
    mask_rate: float = 0.15  # BERT: the share of tokens chosen for prediction (short texts learn faster with more)


def tokenizer_for(texts: list[str], out: Path, given: Path | None, vocab_size: int) -> WordPieces:
    """The given tokenizer, else the one already in ``out`` (a resumed run), else a new one trained on ``texts``."""
    path = Path(given) if given else out / TOKENIZER_FILE
    if path.exists():
        tok = WordPieces.load(path)
    elif given:
        raise ValueError(f"{given}: tokenizer file not found")
    else:
        tok = train_tokenizer(texts, vocab_size)
    if path != out / TOKENIZER_FILE:
        tok.save(out / TOKENIZER_FILE)
    elif not path.exists():
        tok.save(path)
    return tok


# --- the shared loop -------------------------------------------------------------------------------


def _schedule(step: int, config: LMTrainConfig) -> float:
    if step < config.warmup:
        return (step + 1) / config.warmup
    progress = (step - config.warmup) / max(1, config.steps - config.warmup)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def warm_start(model, path) -> dict:
    """Start ``model`` from the tensors of another model's weights (a BERT from the GPT trained on the same text
    and tokenizer): each tensor of the same name is copied where the shapes agree, the position table over the
    rows both have; the rest (segment embeddings, pooler, the BERT's own heads) keep their random start. A run
    that resumes loads its checkpoint over this. Returns what was copied, for the card."""
    import torch
    from safetensors.torch import load_file

    from viz_app.core.quantize import dequantize

    source = dequantize(load_file(str(path)))
    copied, partial = [], []
    state = model.state_dict()
    with torch.no_grad():
        for key, target in state.items():
            tensor = source.get(key)
            if tensor is None:
                continue
            if tensor.shape == target.shape:
                target.copy_(tensor.to(target.dtype))
                copied.append(key)
            elif key.endswith("positions.weight") and tensor.shape[1:] == target.shape[1:]:
                n = min(tensor.shape[0], target.shape[0])
                target[:n].copy_(tensor[:n].to(target.dtype))
                partial.append(key)
    return {"file": str(path), "tensors_copied": len(copied), "positions_copied_in_part": partial,
            "tensors_left_random": sorted(set(state) - set(copied) - set(partial))}  # fmt: skip


def train(
    files: list[Path],
    validation: list[Path],
    out: Path,
    config: LMTrainConfig,
    extra_bert_texts: list[str] | None = None,
    tokenizer: Path | None = None,
    device: str = "cpu",
    command: str = "",
    name: str = "",
    resume: bool = False,
    given: GivenTexts | None = None,
):
    """Generator: yields Progress; returns the model card (also written to OUT/NAME.card.json).
    With ``given`` the texts and tokenizer are those (``files``/``validation`` only name them on the card)."""
    import torch
    from safetensors.torch import save_file

    from viz_app.core.lm.model import LMConfig, TinyLM, parameter_count

    if config.kind not in ("gpt", "bert"):
        raise ValueError("kind must be gpt or bert")
    name = name or config.kind
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    extra = list(extra_bert_texts or []) if config.kind == "bert" else []
    if given is None:
        yield Progress(None, f"reading {len(files)} training files")
        train_lines = data.lines(files)
        val_lines = data.lines(validation)
    else:
        train_lines, val_lines = list(given.train), list(given.validation)
    if not train_lines or not val_lines:
        raise ValueError("no training or validation text")
    yield Progress(None, "tokenizer")
    if given is None:
        tok = tokenizer_for(train_lines + list(extra_bert_texts or []), out, tokenizer, config.vocab_size)
    else:
        tok = given.tokenizer
        tok.save(out / TOKENIZER_FILE)
    split = given.sentences if given is not None else None
    per_word = given is None or given.per_word
    model_config = LMConfig(
        len(tok),
        config.kind == "gpt",
        config.d_model,
        config.heads,
        config.layers,
        config.d_ff,
        config.dropout,
        max(config.seq_len, 128),
    )
    torch.manual_seed(config.seed)
    model = TinyLM(model_config).to(device)
    warm = warm_start(model, given.init_weights) if given is not None and given.init_weights else None
    decay = [p for n, p in model.named_parameters() if p.dim() > 1 and "norm" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.dim() > 1 and "norm" not in n)]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": rest, "weight_decay": 0.0}],
        lr=config.peak_lr,
        betas=(0.9, 0.98),
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: _schedule(s, config))

    yield Progress(None, "encoding the text")
    check_lines = val_lines[: config.eval_lines]
    if config.kind == "gpt":
        stream = gpt_stream(tok, train_lines)
        train_tokens = int(len(stream))

        def epoch_items(epoch):
            return gpt_blocks(stream, config.seq_len, np.random.default_rng([config.seed, epoch]))

        def batch_loss(items, step_rng):
            block = torch.tensor(items, device=device)
            logits = model.token_logits(model(block[:, :-1]))
            return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), block[:, 1:].reshape(-1))

        def evaluate(lines):
            nll, count = line_nll(model, tok, lines, device)
            scores = {"loss": nll / count, "perplexity_per_token": math.exp(nll / count)}
            if per_word:
                scores["perplexity_per_word"] = math.exp(nll / words_in(lines))
            return scores

    else:
        chunks = bert_chunks(tok, train_lines + extra, config.seq_len // 2, split)
        val_chunks = bert_chunks(tok, val_lines, config.seq_len // 2, split)
        train_tokens = int(sum(len(s) for c in chunks for s in c))

        def epoch_items(epoch):
            pairs = bert_pairs(chunks, config.seq_len, np.random.default_rng([config.seed, epoch]))
            order = np.random.default_rng([config.seed, epoch, 1]).permutation(len(pairs))
            return [pairs[i] for i in order]

        def batch_loss(items, step_rng):
            ids, seg, is_next = pack_pairs(items, tok)
            corrupted, targets = mask_tokens(ids, tok, step_rng, config.mask_rate)
            hidden = model(torch.tensor(corrupted, device=device), torch.tensor(seg, device=device))
            chosen = torch.tensor(targets, device=device)
            picked = chosen != -100  # the vocabulary head only where a token is predicted (the same mean loss)
            mlm = torch.nn.functional.cross_entropy(model.token_logits(hidden[picked]), chosen[picked])
            nsp = torch.nn.functional.cross_entropy(
                model.nsp(model.pooled(hidden)), torch.tensor(is_next, device=device)
            )
            return mlm + nsp

        def evaluate(lines):
            held = bert_chunks(tok, lines, config.seq_len // 2, split) if lines is not val_lines else val_chunks
            scores = bert_scores(model, tok, bert_pairs(held, config.seq_len, np.random.default_rng(99)), device=device)
            if given is not None and given.scores is not None:
                scores.update(given.scores(model, lines, device))
                model.train()
            return {"loss": scores["mlm_loss"], **scores}

    items = epoch_items(0)
    steps_per_epoch = max(1, len(items) // config.batch)
    step, history, best, seconds = 0, [], None, 0.0
    checkpoint = out / f"{name}.checkpoint.pt"
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        if state["config"] != asdict(config):
            raise ValueError(f"{checkpoint} was written with other settings: {state['config']}")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        step, history, best, seconds = state["step"], state["history"], state["best"], state["seconds"]
        yield Progress(step / config.steps, f"resumed at step {step}")

    def save_checkpoint():
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "step": step,
                "history": history,
                "best": best,
                "seconds": seconds,
                "config": asdict(config),
            },
            checkpoint,
        )

    def write_card(final_scores=None):
        card = {
            "name": name,
            "kind": config.kind,
            "config": asdict(config),
            "model_config": model_config.to_json(),
            "parameters": parameter_count(model),
            "training_files": [str(f) for f in files],
            "extra_training_texts": len(extra),
            "training_tokens": train_tokens,
            "steps_per_epoch": steps_per_epoch,
            "validation_files": [str(f) for f in validation],
            "validation_lines": len(val_lines),
            "steps_completed": step,
            "best": best,
            "history": history,
            "training_seconds": round(seconds, 1),
            "device": device,
            "training_command": command,
        }
        if warm is not None:
            card["initialised_from"] = warm
        if given is not None and given.description:
            card["training_texts"] = given.description
        if final_scores is not None:
            card["final_validation"] = final_scores
        (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        return card

    model.train()
    epoch = step // steps_per_epoch
    items = epoch_items(epoch)
    mark = time.perf_counter()
    while step < config.steps:
        if step // steps_per_epoch != epoch:
            epoch = step // steps_per_epoch
            items = epoch_items(epoch)
        k = step % steps_per_epoch
        torch.manual_seed(config.seed * 1_000_003 + step)  # dropout: depends only on the step
        loss = batch_loss(
            items[k * config.batch : (k + 1) * config.batch], np.random.default_rng([config.seed, step, 2])
        )
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        step += 1
        now = time.perf_counter()
        seconds += now - mark
        mark = now
        yield Progress(step / config.steps, f"step {step}/{config.steps} (epoch {epoch + 1}), loss {loss.item():.3f}")
        if step % config.eval_every == 0 or step == config.steps:
            scores = evaluate(check_lines)
            history.append(
                {"step": step, "train_loss": round(loss.item(), 4), **{key: round(v, 4) for key, v in scores.items()}}
            )
            yield Progress(
                step / config.steps,
                f"step {step}: held-out "
                + ", ".join(f"{key} {v:.3f}" for key, v in scores.items() if isinstance(v, float)),
            )
            if best is None or scores["loss"] < best["loss"]:
                best = {"step": step, "loss": scores["loss"]}
                save_file(
                    {key: v.detach().cpu().half().contiguous() for key, v in model.state_dict().items()},
                    str(out / f"{name}.safetensors"),
                )
            write_card()
            save_checkpoint()
            mark = time.perf_counter()
        elif step % config.checkpoint_every == 0:
            save_checkpoint()
            mark = time.perf_counter()
    yield Progress(1.0, "scoring the best weights on all held-out lines")
    from safetensors.torch import load_file

    model.load_state_dict({k: v.float() for k, v in load_file(str(out / f"{name}.safetensors")).items()})
    final = {key: round(v, 4) for key, v in evaluate(val_lines).items()}
    return write_card(final)


def small(config: LMTrainConfig) -> LMTrainConfig:
    """A tiny version for tests."""
    return replace(
        config,
        d_model=32,
        heads=4,
        layers=2,
        d_ff=64,
        vocab_size=300,
        seq_len=32,
        batch=4,
        warmup=2,
        eval_every=4,
        checkpoint_every=2,
        eval_lines=10,
    )
