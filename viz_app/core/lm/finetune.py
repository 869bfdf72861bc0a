"""``viz-app finetune-sentiment``: pre-train, then fine-tune — a sentiment head on IMDB, and BERT under it.

Two recipes:
- ``last`` (the lecture's): the pre-trained BERT is frozen except its last Transformer block, the pooler
  and a new two-way head (negative / positive) on [CLS].
- ``whole``: every weight of the BERT is trained with the head (linear warm-up, then linear decay),
  optionally after ``mlm_steps`` more steps of masked-LM pre-training on the training reviews alone.
Reviews are cut to ``max_tokens`` (their first half and their last half, where opinions tend to be
stated). ``sentences`` > 0 adds up to that many short sentences (4 to 30 words) cut from each training
review, with the review's label, kept only where a bag-of-words model fitted on the same training
reviews agrees with that label (so that "The plot follows a young man." is not taught as positive).
Training reviews: imdb_small_3000.csv, of which a fixed 10% is held out (with the sentences cut from
it) to pick the best epoch; test reviews: imdb_small_1000_b.csv minus the 71 reviews the two files
share (``data.imdb_splits``), never seen in training or model selection. Writes the fine-tuned tensors
(NAME.safetensors, float16), which load on top of the pre-trained BERT, a card and a log.
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
    recipe: str = "last"  # "last": the last block, pooler and head; "whole": every weight
    sentences: int = 0  # short sentences cut from each training review (0: none)
    mlm_steps: int = 0  # masked-LM steps on the training reviews before fine-tuning ("whole" only)
    mlm_lr: float = 1e-4
    warmup: float = 0.06  # fraction of the steps with a rising learning rate ("whole")


RECIPES = ("last", "whole")
MIN_WORDS, MAX_WORDS = 4, 30


def trainable_names(model, recipe: str = "last") -> list[str]:
    if recipe == "whole":
        skip = ("nsp.", "mlm_transform.", "out_bias")  # the pre-training heads play no part in the label
        return [n for n, _ in model.named_parameters() if not n.startswith(skip)]
    last = len(model.blocks) - 1
    return [n for n, _ in model.named_parameters() if n.startswith((f"blocks.{last}.", "pooler.", "sentiment."))]


def short_sentences(reviews: list[tuple[str, int]], per_review: int, seed: int, teacher=None):
    """Up to ``per_review`` sentences of MIN_WORDS..MAX_WORDS words from each review, with its label;
    with a ``teacher`` (a ``BowClassifier``), only those whose P(review's label) from it is above 0.5."""
    rng = np.random.default_rng(seed)
    out = []
    for text, label in reviews:
        sents = [s for s in data.sentences(text) if MIN_WORDS <= len(s.split()) <= MAX_WORDS]
        if teacher is not None and sents:
            probs = teacher.predict_proba(sents)[:, label]
            sents = [s for s, p in zip(sents, probs, strict=True) if p > 0.5]
        for i in rng.permutation(len(sents))[:per_review]:
            out.append((sents[int(i)], label))
    return out


def review_ids(tok, text: str, max_tokens: int) -> list[int]:
    """[CLS] review [SEP], the review cut to its first and last (max_tokens - 2) / 2 tokens when longer."""
    ids = tok.encode(text).ids
    room = max_tokens - 2
    if len(ids) > room:
        ids = ids[: room // 2] + ids[len(ids) - (room - room // 2) :]
    return [tok.cls, *ids, tok.sep]


def review_windows(tok, text: str, max_tokens: int) -> list[list[int]]:
    """The whole text as [CLS] window [SEP] rows of at most ``max_tokens``: consecutive windows of
    (max_tokens - 2) tokens, the last one ending at the text's end (so it may overlap the one before)."""
    ids = tok.encode(text).ids
    room = max_tokens - 2
    if len(ids) <= room:
        return [[tok.cls, *ids, tok.sep]]
    starts = list(range(0, len(ids) - room + 1, room))
    if starts[-1] + room < len(ids):
        starts.append(len(ids) - room)
    return [[tok.cls, *ids[s : s + room], tok.sep] for s in starts]


def predict_texts(model, tok, texts: list[str], max_tokens: int) -> np.ndarray:
    """(N, 2) probabilities of negative / positive, each text read whole in windows (``review_windows``)
    and its windows' probabilities averaged: how the cards measure and how the app classifies."""
    rows, owner = [], []
    for i, text in enumerate(texts):
        windows = review_windows(tok, text, max_tokens)
        rows += windows
        owner += [i] * len(windows)
    probs = predict(model, rows)
    owner = np.asarray(owner)
    return np.stack([probs[owner == i].mean(0) for i in range(len(texts))]) if texts else np.zeros((0, 2))


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


def _mlm(model, tok, reviews: list[tuple[str, int]], config: FinetuneConfig, device: str, log):
    """Continue BERT's masked-LM pre-training on ``reviews`` (their text only) for ``config.mlm_steps`` steps."""
    import torch

    from viz_app.core.lm import train

    rng = np.random.default_rng(config.seed + 7)
    chunks = train.bert_chunks(tok, [t for t, _ in reviews], (config.max_tokens - 2) // 2)
    pairs = train.bert_pairs(chunks, config.max_tokens, rng)
    params = [p for n, p in model.named_parameters() if not n.startswith(("sentiment.", "nsp."))]
    for p in model.parameters():
        p.requires_grad_(False)
    for p in params:
        p.requires_grad_(True)
    optimizer = torch.optim.AdamW(params, lr=config.mlm_lr, weight_decay=0.01)
    model.train()
    order, k = rng.permutation(len(pairs)), 0
    for step in range(config.mlm_steps):
        if k + 32 > len(order):
            order, k = rng.permutation(len(pairs)), 0
        ids, seg, _ = train.pack_pairs([pairs[i] for i in order[k : k + 32]], tok)
        k += 32
        corrupted, targets = train.mask_tokens(ids, tok, rng)
        hidden = model(torch.tensor(corrupted, device=device), torch.tensor(seg, device=device))
        where = torch.tensor(targets != -100, device=device)
        loss = torch.nn.functional.cross_entropy(
            model.token_logits(hidden[where]), torch.tensor(targets, device=device)[where]
        )
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        for g in optimizer.param_groups:
            g["lr"] = config.mlm_lr * (1 - (step + 1) / config.mlm_steps)
        if step % 20 == 0 or step + 1 == config.mlm_steps:
            log(f"mlm step {step + 1}/{config.mlm_steps}: loss {loss.item():.3f}")
            yield Progress((step + 1) / config.mlm_steps, f"masked LM on the reviews, step {step + 1}")


def _card(name, config, params, names, fit_rows, sent_rows, dev_rows, dev_sent_rows, test_rows) -> dict:
    return {
        "name": name,
        "config": asdict(config),
        "trainable_parameters": int(sum(p.numel() for p in params)),
        "trained_tensors": sorted(names),
        "train_reviews": len(fit_rows),
        "train_sentences": len(sent_rows),
        "dev_reviews": len(dev_rows),
        "dev_sentences": len(dev_sent_rows),
        "test_reviews": len(test_rows),
    }


def _accuracy(model, rows, y) -> float:
    return float((predict(model, rows).argmax(1) == y).mean()) if len(rows) else float("nan")


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

    if config.recipe not in RECIPES:
        raise ValueError(f"recipe must be one of {', '.join(RECIPES)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / f"{name}.log"

    def log(line: str) -> None:
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%H:%M:%S')} {line}\n")

    log(f"config {json.dumps(asdict(config))}")
    train_reviews, test_reviews = data.imdb_splits(imdb_dir)
    order = np.random.default_rng(config.seed).permutation(len(train_reviews))
    n_dev = len(train_reviews) // 10
    dev = [train_reviews[i] for i in order[:n_dev]]
    fit = [train_reviews[i] for i in order[n_dev:]]
    fit_sents, dev_sents = [], []
    if config.sentences > 0:
        from viz_app.core.lm import bow_classifier as bow

        yield Progress(None, "fitting the bag-of-words filter for the short sentences")
        teacher = bow.from_sklearn(bow.fit([t for t, _ in fit], [y for _, y in fit], 10.0))
        fit_sents = short_sentences(fit, config.sentences, config.seed, teacher)
        dev_sents = short_sentences(dev, 2, config.seed + 1, teacher)
        log(f"{len(fit_sents)} training sentences, {len(dev_sents)} dev sentences")
    yield Progress(None, f"tokenizing {len(train_reviews) + len(test_reviews)} reviews")
    fit_rows = [review_ids(tok, t, config.max_tokens) for t, _ in fit]
    fit_y = np.asarray([y for _, y in fit])
    sent_rows = [review_ids(tok, t, config.max_tokens) for t, _ in fit_sents]
    sent_y = np.asarray([y for _, y in fit_sents], dtype=np.int64)
    dev_rows = [review_ids(tok, t, config.max_tokens) for t, _ in dev]
    dev_y = np.asarray([y for _, y in dev])
    dev_sent_rows = [review_ids(tok, t, config.max_tokens) for t, _ in dev_sents]
    dev_sent_y = np.asarray([y for _, y in dev_sents], dtype=np.int64)
    test_rows = [review_ids(tok, t, config.max_tokens) for t, _ in test_reviews]
    test_y = np.asarray([y for _, y in test_reviews])

    model = bert_model.to(device)
    torch.manual_seed(config.seed)
    start = time.perf_counter()
    if config.mlm_steps > 0:
        if config.recipe != "whole":
            raise ValueError("masked-LM steps change the whole BERT: use the whole recipe")
        yield from _mlm(model, tok, fit, config, device, log)
    torch.nn.init.normal_(model.sentiment.weight, std=0.02)
    torch.nn.init.zeros_(model.sentiment.bias)
    names = set(trainable_names(model, config.recipe))
    for n, p in model.named_parameters():
        p.requires_grad_(n in names)
    params = [p for n, p in model.named_parameters() if n in names]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.01)
    rng = np.random.default_rng(config.seed)
    # batches: reviews in batches of config.batch; sentences (short) in batches four times larger
    steps = (len(fit_rows) + config.batch - 1) // config.batch + (len(sent_rows) + 4 * config.batch - 1) // (
        4 * config.batch
    )
    total = steps * config.epochs
    history, best = [], None
    before = _accuracy(model, dev_rows, dev_y)  # the untrained head: about chance
    step_no = 0
    for epoch in range(config.epochs):
        model.train()
        perm = rng.permutation(len(fit_rows))
        batches = [("r", perm[k : k + config.batch]) for k in range(0, len(perm), config.batch)]
        if len(sent_rows):
            sperm = rng.permutation(len(sent_rows))
            batches += [("s", sperm[k : k + 4 * config.batch]) for k in range(0, len(sperm), 4 * config.batch)]
        batches = [batches[i] for i in rng.permutation(len(batches))]
        for k, (kind, idx) in enumerate(batches):
            rows, ys = (fit_rows, fit_y) if kind == "r" else (sent_rows, sent_y)
            hidden = model(_batch([rows[i] for i in idx], device))
            loss = torch.nn.functional.cross_entropy(
                model.sentiment(model.pooled(hidden)), torch.tensor(ys[idx], device=device)
            )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step_no += 1
            if config.recipe == "whole":
                warm = max(1, int(config.warmup * total))
                scale = step_no / warm if step_no < warm else max(0.0, (total - step_no) / max(1, total - warm))
                for g in optimizer.param_groups:
                    g["lr"] = config.lr * scale
            if k % 25 == 0:
                log(f"epoch {epoch + 1} batch {k + 1}/{len(batches)} loss {loss.item():.3f}")
            yield Progress(
                (epoch + (k + 1) / len(batches)) / config.epochs, f"epoch {epoch + 1}, loss {loss.item():.3f}"
            )
        dev_acc = _accuracy(model, dev_rows, dev_y)
        dev_sent_acc = _accuracy(model, dev_sent_rows, dev_sent_y)
        score = dev_acc if not len(dev_sent_rows) else (dev_acc + dev_sent_acc) / 2
        entry = {"epoch": epoch + 1, "dev_accuracy": round(dev_acc, 4)}
        if len(dev_sent_rows):
            entry["dev_sentence_accuracy"] = round(dev_sent_acc, 4)
        history.append(entry)
        log(f"epoch {epoch + 1}: {json.dumps(entry)} ({time.perf_counter() - start:.0f} s)")
        yield Progress(
            (epoch + 1) / config.epochs,
            f"epoch {epoch + 1}: accuracy {dev_acc:.3f} on {len(dev_rows)} held-out training reviews",
        )
        if best is None or score > best[0]:
            best = (score, epoch + 1)
            state = model.state_dict()
            save_file(
                {n: state[n].detach().cpu().half().contiguous() for n in sorted(names)},
                str(out / f"{name}.safetensors"),
            )
        card = _card(name, config, params, names, fit_rows, sent_rows, dev_rows, dev_sent_rows, test_rows)
        card.update(dev_accuracy_before_finetuning=round(before, 4), best_epoch=best[1], history=history)
        card.update(training_seconds=round(time.perf_counter() - start, 1), training_command=command, device=device)
        (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")  # so far
    from safetensors.torch import load_file

    best_state = load_file(str(out / f"{name}.safetensors"))
    model.load_state_dict({k: v.float().to(device) for k, v in best_state.items()}, strict=False)
    test_acc = _accuracy(model, test_rows, test_y)
    log(f"best epoch {best[1]}; test accuracy {test_acc:.4f} on {len(test_rows)} reviews")
    card["test_accuracy"] = round(test_acc, 4)
    (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card
