"""``viz-app train-transformer``: the Transformer on the same French -> English pairs, tokens and fixed
validation split as the Seq2Seq translator (``viz_app.core.seq2seq.data``), or, given the Tang-poem TSV, on the
couplet writer's couplets (line 1 -> line 2, one token per character, ``tang.load_split``'s split by poem).

Adam (0.9, 0.98) with a linear warm-up then 1/sqrt(step) decay, label smoothing 0.1. After every
epoch: validation loss and BLEU (sacrebleu, detokenised lowercase, greedy) on a fixed 600 pairs of
the validation split; the best epoch by BLEU is kept (for couplets: the epoch with the lowest validation loss). Writes NAME.safetensors (float16),
NAME.source_vocab.txt, NAME.target_vocab.txt and NAME.card.json. Deterministic for a seed on the CPU.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.seq2seq import data
from viz_app.core.seq2seq.train import _batch, prepare, target_tokens, validation_loss


@dataclass(frozen=True)
class TrainConfig:
    d_model: int = 256
    heads: int = 8
    encoder_layers: int = 3
    decoder_layers: int = 3
    d_ff: int = 1024
    dropout: float = 0.1
    epochs: int = 20
    batch: int = 128
    peak_lr: float = 7e-4
    warmup: int = 1000
    label_smoothing: float = 0.1
    min_count: int = 2
    max_len: int = 20
    seed: int = 0


def bleu(model, pairs, src_vocab, tgt_vocab, batch: int = 100) -> float:
    import sacrebleu

    from viz_app.core.transformer.decode import greedy_batch

    if not pairs:
        return 0.0

    hyps = []
    for k in range(0, len(pairs), batch):
        part = pairs[k : k + batch]
        ids = [src_vocab.encode(data.source_tokens(s)[:40]) or [src_vocab.unk] for s, _ in part]
        hyps.extend(data.detokenize([tgt_vocab.words[w] for w in out]) for out in greedy_batch(model, ids, tgt_vocab))
    refs = [data.detokenize(target_tokens(ref)) for _, ref in pairs]
    return sacrebleu.corpus_bleu(hyps, [refs]).score


def train(
    pairs_path: Path,
    out: Path,
    config: TrainConfig,
    device: str = "cpu",
    command: str = "",
    name: str = "",
    resume: bool = False,
    limit: int = 0,
):
    """Generator: yields Progress; returns the model card. After every epoch the full training state goes
    to NAME.checkpoint.pt; ``resume`` continues from it (same data, config and seed give the same run).
    ``limit`` > 0: only the first LIMIT training pairs and 100 validation pairs (tests)."""
    import torch
    from safetensors.torch import save_file

    from viz_app.core.transformer.model import Transformer, TransformerConfig

    name = name or "transformer"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    task, train_pairs, valid_pairs = data.load_task(pairs_path)
    if limit:
        train_pairs, valid_pairs = train_pairs[:limit], valid_pairs[:100]
    if task not in ("translate", "couplet"):
        raise ValueError("the Transformer trains on english<TAB>french pairs or on the Tang-poem TSV's couplets")
    src_vocab, tgt_vocab, examples, valid_examples = prepare(
        train_pairs, valid_pairs, task, out, name, config.min_count, config.max_len
    )
    model_config = TransformerConfig(
        len(src_vocab),
        len(tgt_vocab),
        config.d_model,
        config.heads,
        config.encoder_layers,
        config.decoder_layers,
        config.d_ff,
        config.dropout,
    )
    model = Transformer(model_config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.peak_lr, betas=(0.9, 0.98), eps=1e-9)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / config.warmup, (config.warmup / (step + 1)) ** 0.5)
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=tgt_vocab.pad, label_smoothing=config.label_smoothing)
    plain_loss = torch.nn.CrossEntropyLoss(ignore_index=tgt_vocab.pad)
    steps = (len(examples) + config.batch - 1) // config.batch
    best, history, start, first_epoch = None, [], time.perf_counter(), 0
    checkpoint = out / f"{name}.checkpoint.pt"
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        best, history, first_epoch = tuple(state["best"]), state["history"], state["epoch"]
        start -= state["seconds"]
        yield Progress(first_epoch / config.epochs, f"resumed after epoch {first_epoch}")
    check = valid_pairs[:600]
    for epoch in range(first_epoch, config.epochs):
        model.train()
        order = rng.permutation(len(examples))
        for k in range(steps):
            idx = order[k * config.batch : (k + 1) * config.batch]
            src = _batch([examples[i][0] for i in idx]).to(device)
            tgt = _batch([examples[i][1] for i in idx]).to(device)
            logits = model(src, tgt[:, :-1])
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            if k % 50 == 0:
                yield Progress(
                    (epoch + k / steps) / config.epochs, f"epoch {epoch + 1}/{config.epochs}, loss {loss.item():.3f}"
                )
        valid_loss = validation_loss(model, valid_examples, plain_loss, device)
        if task == "translate":
            model.cpu()
            score = bleu(model, check, src_vocab, tgt_vocab)
            model.to(device)
            history.append({"epoch": epoch + 1, "bleu_check": round(score, 2), "validation_loss": round(valid_loss, 4)})
            said = f"BLEU {score:.1f} on {len(check)} validation pairs"
        else:  # couplets: BLEU on 5-7 characters says little; the best epoch is the one with the lowest loss
            score = -valid_loss
            history.append({"epoch": epoch + 1, "validation_loss": round(valid_loss, 4)})
            said = f"on {len(valid_examples)} validation couplets"
        yield Progress((epoch + 1) / config.epochs, f"epoch {epoch + 1}: validation loss {valid_loss:.3f}, {said}")
        if best is None or score > best[0]:
            best = (score, epoch + 1)
            save_file(
                {k: v.detach().cpu().half().contiguous() for k, v in model.state_dict().items()},
                str(out / f"{name}.safetensors"),
            )
        card = _card(name, config, src_vocab, tgt_vocab, model_config, model, pairs_path, train_pairs, valid_pairs)
        card.update(
            task=task,
            best_epoch=best[1],
            epochs_completed=epoch + 1,
            history=history,
            training_seconds=round(time.perf_counter() - start, 1),
            device=device,
            training_command=command,
        )
        # Written after every epoch, so a run stopped early still leaves a consistent card and weights.
        (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "numpy_rng": rng.bit_generator.state,
                "torch_rng": torch.get_rng_state(),
                "best": list(best),
                "history": history,
                "epoch": epoch + 1,
                "seconds": time.perf_counter() - start,
            },
            checkpoint,
        )
    return card


def _card(name, config, src_vocab, tgt_vocab, model_config, model, pairs_path, train_pairs, valid_pairs) -> dict:
    return {
        "name": name,
        "config": {**asdict(config), "source_vocab": len(src_vocab), "target_vocab": len(tgt_vocab)},
        "model_config": model_config.to_json(),
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "pairs_file": str(pairs_path),
        "train_pairs": len(train_pairs),
        "validation_pairs": len(valid_pairs),
    }
