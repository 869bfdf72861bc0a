"""``viz-app train-lstm``: the word-level LSTM language model and the bigram model, on any text corpus.

Sequences (lines) are joined as <start> w1 ... wn <end> <start> ...; the stream is cut
into ``batch`` rows and trained by truncated back-propagation through time. After
each epoch the model is scored on the validation files; the best epoch is kept.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lstm import text


@dataclass(frozen=True)
class TrainConfig:
    vocab_size: int = 10000
    dim: int = 256
    layers: int = 1
    dropout: float = 0.2
    epochs: int = 8
    batch: int = 64
    bptt: int = 64
    lr: float = 0.002
    clip: float = 1.0
    seed: int = 0


def stream(seqs: list[list[str]], vocab: text.Vocab) -> np.ndarray:
    start, end = vocab.index[text.START], vocab.index[text.END]
    out = []
    for s in seqs:
        out.append(start)
        out.extend(vocab.encode(s))
        out.append(end)
    return np.asarray(out, dtype=np.int64)


def nll_of_sequences(model, vocab: text.Vocab, seqs: list[list[str]], device: str = "cpu") -> tuple[float, int]:
    """Total negative log-likelihood (nats) of predicting every token and <end>, each line from <start>."""
    import torch

    model.eval()
    start, end = vocab.index[text.START], vocab.index[text.END]
    total, count = 0.0, 0
    with torch.no_grad():
        for s in seqs:
            ids = torch.tensor([start, *vocab.encode(s), end], device=device)  # (T + 2,)
            logits, _ = model(ids[:-1].unsqueeze(0))  # (1, T + 1, V)
            logp = torch.log_softmax(logits[0], dim=-1)  # (T + 1, V)
            total -= float(logp.gather(1, ids[1:].unsqueeze(1)).sum())
            count += len(ids) - 1
    return total, count


def bigram_nll(bigram, vocab: text.Vocab, seqs: list[list[str]]) -> tuple[float, int]:
    start, end = vocab.index[text.START], vocab.index[text.END]
    return bigram.nll([[start, *vocab.encode(s), end] for s in seqs])


def count_bigram(seqs: list[list[str]], vocab: text.Vocab, seed: int = 0, dev_share: float = 0.05):
    """The Kneser-Ney bigram of the training lines: its discount tuned on a dev split of those lines (never the
    validation files), then counted again on all of them. Returns (model, tuning record for the card)."""
    from viz_app.core.lstm.bigram import BigramModel, tune_discount

    start, end = vocab.index[text.START], vocab.index[text.END]
    ids = [[start, *vocab.encode(s), end] for s in seqs]
    order = np.random.default_rng(seed).permutation(len(ids))
    n_dev = max(1, int(len(ids) * dev_share))
    dev, rest = [ids[k] for k in order[:n_dev]], [ids[k] for k in order[n_dev:]]
    tuned = tune_discount(rest, dev, len(vocab))
    record = {
        "smoothing": "interpolated Kneser-Ney",
        "discount": tuned["discount"],
        "discount_tuned_on": f"{n_dev:,} of the {len(ids):,} training lines held out (seed {seed}), "
        f"{sum(len(d) - 1 for d in dev):,} tokens",
        "dev_perplexity_per_token": {f"{d:.2f}": round(p, 2) for d, p in tuned["dev_perplexity_per_token"].items()},
    }
    return BigramModel.count(ids, len(vocab), tuned["discount"]), record


def words_in(seqs_text: list[str]) -> int:
    return sum(len(line.split()) for line in seqs_text)


def train(
    files: list[Path], validation: list[Path], out: Path, config: TrainConfig, device: str = "cpu", command: str = ""
):
    """Generator: yields Progress; writes lstm.safetensors, bigram.safetensors, vocab.txt, lstm.card.json."""
    import torch
    from safetensors.numpy import save_file
    from safetensors.torch import save_file as save_torch

    from viz_app.core.lstm.model import LstmConfig, LstmLanguageModel

    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    yield Progress(None, f"reading {len(files)} training files")
    seqs = text.sequences(files)
    val_lines = [line for f in validation for line in text.read_text(f).split("\n") if text.word_tokens(line)]
    val_seqs = [text.word_tokens(line) for line in val_lines]
    vocab = text.Vocab(text.build_vocabulary(seqs, config.vocab_size))
    (out / "vocab.txt").write_text("\n".join(vocab.words) + "\n", encoding="utf-8")
    data = stream(seqs, vocab)
    bigram, bigram_record = count_bigram(seqs, vocab, config.seed)
    save_file(bigram.tensors(), str(out / "bigram.safetensors"))
    model = LstmLanguageModel(LstmConfig(len(vocab), config.dim, config.layers, config.dropout)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    rows = len(data) // config.batch
    grid = torch.from_numpy(data[: rows * config.batch].reshape(config.batch, rows)).to(device)  # (B, N)
    steps_per_epoch = (rows - 1) // config.bptt
    best, history, start_time = None, [], time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        state = None
        offset = int(rng.integers(0, config.bptt))  # a different cut of the stream every epoch
        for step in range(steps_per_epoch):
            lo = offset + step * config.bptt
            hi = min(lo + config.bptt, rows - 1)
            if hi <= lo:
                break
            x, y = grid[:, lo:hi], grid[:, lo + 1 : hi + 1]  # (B, T)
            if state is not None:
                state = tuple(s.detach() for s in state)  # truncated back-propagation through time
            logits, state = model(x, state)  # (B, T, V)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
            optimizer.step()
            if step % 20 == 0:
                yield Progress(
                    (epoch + step / steps_per_epoch) / config.epochs,
                    f"epoch {epoch + 1}/{config.epochs}, training loss {loss.item():.3f}",
                )
        nll, tokens = nll_of_sequences(model, vocab, val_seqs, device)
        ppl = math.exp(nll / tokens)
        history.append({"epoch": epoch + 1, "val_perplexity_per_token": round(ppl, 2)})
        yield Progress((epoch + 1) / config.epochs, f"epoch {epoch + 1}: validation perplexity {ppl:.1f} per token")
        if best is None or nll < best[0]:
            best = (nll, tokens, epoch + 1)
            save_torch(
                {k: v.detach().half().cpu().contiguous() for k, v in model.state_dict().items()},
                str(out / "lstm.safetensors"),
            )
    seconds = time.perf_counter() - start_time
    b_nll, b_tokens = bigram_nll(bigram, vocab, val_seqs)
    val_words = words_in(val_lines)
    # Score the stored (float16) weights, as shipped.
    from viz_app.core.lstm.load import load_lstm_file

    shipped = load_lstm_file(out / "lstm.safetensors", len(vocab), config)
    s_nll, s_tokens = nll_of_sequences(shipped, vocab, val_seqs)
    card = {
        "config": asdict(config),
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "training_files": [str(f) for f in files],
        "training_tokens": int(len(data)),
        "validation_files": [str(f) for f in validation],
        "validation_lines": len(val_lines),
        "validation_tokens": s_tokens,
        "validation_words": val_words,
        "best_epoch": best[2],
        "history": history,
        "training_seconds": round(seconds, 1),
        "device": device,
        "training_command": command,
        "metrics": {
            "lstm_val_perplexity_per_token": round(math.exp(s_nll / s_tokens), 2),
            "lstm_val_perplexity_per_word": round(math.exp(s_nll / val_words), 2),
            "bigram_val_perplexity_per_token": round(math.exp(b_nll / b_tokens), 2),
            "bigram_val_perplexity_per_word": round(math.exp(b_nll / val_words), 2),
            "unk_rate_val": round(sum(t not in vocab.index for s in val_seqs for t in s) / max(1, s_tokens), 4),
        },
        "bigram": bigram_record,
    }
    (out / "lstm.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card
