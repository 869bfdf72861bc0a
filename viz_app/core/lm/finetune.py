"""``viz-app finetune-sentiment``: pre-train, then fine-tune — BERT's last block and a sentiment head on IMDB.

The pre-trained BERT is frozen except its last Transformer block, the pooler and a new two-way head
(negative / positive) on [CLS]; reviews are cut to ``max_tokens`` (their first half and their last
half, where opinions tend to be stated). Training reviews: imdb_small_3000.csv, of which a fixed 10%
is held out to pick the best epoch; test reviews: imdb_small_1000_b.csv minus the 71 reviews the two
files share (``data.imdb_splits``), never seen in training or model selection. Writes only the
fine-tuned tensors (NAME.safetensors, float16), which load on top of the pre-trained BERT.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lm import data

LABELS = ("negative", "positive")


@dataclass(frozen=True)
class FinetuneConfig:
    epochs: int = 4
    batch: int = 16
    lr: float = 1e-4
    max_tokens: int = 128
    seed: int = 0


def trainable_names(model) -> list[str]:
    last = len(model.blocks) - 1
    return [n for n, _ in model.named_parameters() if n.startswith((f"blocks.{last}.", "pooler.", "sentiment."))]


def review_ids(tok, text: str, max_tokens: int) -> list[int]:
    """[CLS] review [SEP], the review cut to its first and last (max_tokens - 2) / 2 tokens when longer."""
    ids = tok.encode(text).ids
    room = max_tokens - 2
    if len(ids) > room:
        ids = ids[: room // 2] + ids[len(ids) - (room - room // 2) :]
    return [tok.cls, *ids, tok.sep]


def _batch(rows: list[list[int]], device="cpu"):
    import torch

    out = torch.zeros(len(rows), max(len(r) for r in rows), dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, : len(r)] = torch.tensor(r)
    return out.to(device)


def predict(model, rows: list[list[int]], batch: int = 32) -> np.ndarray:
    """Probabilities (N, 2) of negative / positive, on the device the model is on."""
    import torch

    model.eval()
    device = next(model.parameters()).device
    probs = []
    with torch.no_grad():
        for k in range(0, len(rows), batch):
            hidden = model(_batch(rows[k : k + batch], device))
            probs.append(torch.softmax(model.sentiment(model.pooled(hidden)).float(), -1).cpu().numpy())
    return np.concatenate(probs) if probs else np.zeros((0, 2))


def finetune(
    bert_model,
    tok,
    imdb_dir: Path,
    out: Path,
    config: FinetuneConfig,
    name: str = "bert-sentiment",
    command: str = "",
    device: str = "cpu",
):
    """Generator over Progress; fine-tunes ``bert_model`` in place and returns the card."""
    import torch
    from safetensors.torch import save_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    train_reviews, test_reviews = data.imdb_splits(imdb_dir)
    order = np.random.default_rng(config.seed).permutation(len(train_reviews))
    n_dev = len(train_reviews) // 10
    dev = [train_reviews[i] for i in order[:n_dev]]
    fit = [train_reviews[i] for i in order[n_dev:]]
    yield Progress(None, f"tokenizing {len(train_reviews) + len(test_reviews)} reviews")
    fit_rows = [review_ids(tok, t, config.max_tokens) for t, _ in fit]
    fit_y = np.asarray([y for _, y in fit])
    dev_rows = [review_ids(tok, t, config.max_tokens) for t, _ in dev]
    dev_y = np.asarray([y for _, y in dev])
    test_rows = [review_ids(tok, t, config.max_tokens) for t, _ in test_reviews]
    test_y = np.asarray([y for _, y in test_reviews])

    model = bert_model.to(device)
    torch.manual_seed(config.seed)
    torch.nn.init.normal_(model.sentiment.weight, std=0.02)
    torch.nn.init.zeros_(model.sentiment.bias)
    names = set(trainable_names(model))
    for n, p in model.named_parameters():
        p.requires_grad_(n in names)
    params = [p for n, p in model.named_parameters() if n in names]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.01)
    rng = np.random.default_rng(config.seed)
    steps = (len(fit_rows) + config.batch - 1) // config.batch
    history, best, start = [], None, time.perf_counter()
    before = float((predict(model, dev_rows).argmax(1) == dev_y).mean())  # the untrained head: about chance
    for epoch in range(config.epochs):
        model.train()
        perm = rng.permutation(len(fit_rows))
        for k in range(steps):
            idx = perm[k * config.batch : (k + 1) * config.batch]
            hidden = model(_batch([fit_rows[i] for i in idx], device))
            loss = torch.nn.functional.cross_entropy(
                model.sentiment(model.pooled(hidden)), torch.tensor(fit_y[idx], device=device)
            )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            yield Progress((epoch + (k + 1) / steps) / config.epochs, f"epoch {epoch + 1}, loss {loss.item():.3f}")
        dev_acc = float((predict(model, dev_rows).argmax(1) == dev_y).mean())
        history.append({"epoch": epoch + 1, "dev_accuracy": round(dev_acc, 4)})
        yield Progress(
            (epoch + 1) / config.epochs,
            f"epoch {epoch + 1}: accuracy {dev_acc:.3f} on {len(dev_rows)} held-out training reviews",
        )
        if best is None or dev_acc > best[0]:
            best = (dev_acc, epoch + 1)
            state = model.state_dict()
            save_file(
                {n: state[n].detach().cpu().half().contiguous() for n in sorted(names)},
                str(out / f"{name}.safetensors"),
            )
    from safetensors.torch import load_file

    best_state = load_file(str(out / f"{name}.safetensors"))
    model.load_state_dict({k: v.float().to(device) for k, v in best_state.items()}, strict=False)
    test_acc = float((predict(model, test_rows).argmax(1) == test_y).mean())
    card = {
        "name": name,
        "config": asdict(config),
        "trainable_parameters": int(sum(p.numel() for p in params)),
        "trained_tensors": sorted(names),
        "train_reviews": len(fit_rows),
        "dev_reviews": len(dev_rows),
        "test_reviews": len(test_rows),
        "dev_accuracy_before_finetuning": round(before, 4),
        "best_epoch": best[1],
        "history": history,
        "test_accuracy": round(test_acc, 4),
        "training_seconds": round(time.perf_counter() - start, 1),
        "training_command": command,
        "device": device,
    }
    (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card
