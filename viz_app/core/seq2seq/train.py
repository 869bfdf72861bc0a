"""``viz-app train-seq2seq``: train the encoder-decoder on "english<TAB>french" pairs (French -> English),
or on a DailyDialog-style file of dialogues (a chatbot: each turn -> its reply).

A fixed 5% of the source sentences (of whole dialogues for chat, by hash) is the validation split;
after every epoch the validation loss (teacher forcing) and BLEU (sacrebleu, on detokenised lowercase
text, greedy decoding) are measured on it. The best epoch is kept: by BLEU for translation, by
validation loss for chat (where one right answer does not exist). Writes NAME.safetensors,
NAME.source_vocab.txt, NAME.target_vocab.txt and NAME.card.json.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.seq2seq import data


@dataclass(frozen=True)
class TrainConfig:
    attention: bool = True
    dim: int = 256
    epochs: int = 12
    batch: int = 64
    lr: float = 0.001
    clip: float = 1.0
    min_count: int = 2
    max_len: int = 20
    seed: int = 0
    task: str = "translate"  # or "chat"; set from the data file
    bidirectional: bool = True  # encoder
    context_input: bool | None = None  # h^M as a decoder input at every step; default: only without attention
    scaled: bool = True  # attention scores divided by sqrt(dim)


def _batch(ids_list: list[list[int]], pad: int = 0):
    import torch

    width = max(len(x) for x in ids_list)
    out = torch.full((len(ids_list), width), pad, dtype=torch.long)
    for i, x in enumerate(ids_list):
        out[i, : len(x)] = torch.tensor(x)
    return out


def target_tokens(text: str, task: str = "translate") -> list[str]:
    return data.english_tokens(data.chat_text(text) if task == "chat" else text)


def bleu(model, pairs, src_vocab, tgt_vocab, beam_width: int = 1, task: str = "translate") -> tuple[float, list[str]]:
    import sacrebleu

    from viz_app.core.seq2seq.decode import beam, greedy

    hyps, refs = [], []
    for src, ref in pairs:
        ids = src_vocab.encode(data.source_tokens(src, task)) or [src_vocab.unk]
        out = greedy(model, ids, tgt_vocab) if beam_width <= 1 else beam(model, ids, tgt_vocab, beam_width)
        hyps.append(data.detokenize(out.tokens))
        refs.append(data.detokenize(target_tokens(ref, task)))
    return sacrebleu.corpus_bleu(hyps, [refs]).score, hyps


def prepare(train_pairs, valid_pairs, task: str, out: Path, name: str, min_count: int, max_len: int):
    """Vocabularies built from the training pairs (and written next to the weights), and both splits as
    id sequences: (source ids, <start> target ids <end>), each side cut to ``max_len`` tokens.
    Shared by the RNN and the Transformer trainers. -> (source vocab, target vocab, train, validation)"""
    src_tok = [data.source_tokens(s, task) for s, _ in train_pairs]
    tgt_tok = [target_tokens(t, task) for _, t in train_pairs]
    src_vocab = data.Vocab.build(src_tok, min_count)
    tgt_vocab = data.Vocab.build(tgt_tok, min_count)
    (out / f"{name}.source_vocab.txt").write_text("\n".join(src_vocab.words) + "\n", encoding="utf-8")
    (out / f"{name}.target_vocab.txt").write_text("\n".join(tgt_vocab.words) + "\n", encoding="utf-8")

    def encode_pairs(sources, targets):
        return [
            (src_vocab.encode(s[:max_len]), [tgt_vocab.start, *tgt_vocab.encode(t[:max_len]), tgt_vocab.end])
            for s, t in zip(sources, targets, strict=True)
            if s and t
        ]

    valid_src = [data.source_tokens(s, task) for s, _ in valid_pairs]
    valid_tgt = [target_tokens(t, task) for _, t in valid_pairs]
    return src_vocab, tgt_vocab, encode_pairs(src_tok, tgt_tok), encode_pairs(valid_src, valid_tgt)


def validation_loss(model, examples, loss_fn, device: str, batch: int = 256) -> float:
    """Mean cross-entropy per target token on the validation pairs (teacher forcing, no dropout)."""
    import torch

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for k in range(0, len(examples), batch):
            part = examples[k : k + batch]
            src = _batch([e[0] for e in part]).to(device)
            tgt = _batch([e[1] for e in part]).to(device)
            logits = model(src, tgt[:, :-1])
            n = int((tgt[:, 1:] != 0).sum())
            total += float(loss_fn(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))) * n
            count += n
    model.train()
    return total / max(1, count)


def train(
    pairs_path: Path, out: Path, config: TrainConfig, device: str = "cpu", command: str = "", name: str = "seq2seq"
):
    """Generator: yields Progress; returns the model card."""
    import torch
    from safetensors.torch import save_file

    from viz_app.core.seq2seq.model import Seq2Seq, Seq2SeqConfig

    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    task, train_pairs, valid_pairs = data.load_task(pairs_path)
    config = replace(config, task=task)
    if config.context_input is None:
        config = replace(config, context_input=not config.attention)
    src_vocab, tgt_vocab, examples, valid_examples = prepare(
        train_pairs, valid_pairs, task, out, name, config.min_count, config.max_len
    )
    model = Seq2Seq(
        Seq2SeqConfig(
            len(src_vocab),
            len(tgt_vocab),
            config.dim,
            config.attention,
            bidirectional=config.bidirectional,
            context_input=config.context_input,
            scaled=config.scaled,
        )
    ).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=tgt_vocab.pad)
    steps = (len(examples) + config.batch - 1) // config.batch
    best, history, start = None, [], time.perf_counter()
    check = valid_pairs[:600]  # BLEU during training on a fixed part of the validation split (speed)
    for epoch in range(config.epochs):
        model.train()
        order = rng.permutation(len(examples))
        for k in range(steps):
            idx = order[k * config.batch : (k + 1) * config.batch]
            src = _batch([examples[i][0] for i in idx]).to(device)  # (B, M)
            tgt = _batch([examples[i][1] for i in idx]).to(device)  # (B, N + 2)
            logits = model(src, tgt[:, :-1])  # (B, N + 1, V)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
            optimizer.step()
            if k % 50 == 0:
                yield Progress(
                    (epoch + k / steps) / config.epochs, f"epoch {epoch + 1}/{config.epochs}, loss {loss.item():.3f}"
                )
        valid_loss = validation_loss(model, valid_examples, loss_fn, device)
        model.cpu()
        score, _ = bleu(model, check, src_vocab, tgt_vocab, task=task)
        model.to(device)
        history.append({"epoch": epoch + 1, "bleu_check": round(score, 2), "validation_loss": round(valid_loss, 4)})
        yield Progress(
            (epoch + 1) / config.epochs,
            f"epoch {epoch + 1}: validation loss {valid_loss:.3f}, BLEU {score:.1f} on {len(check)} validation pairs",
        )
        key = -valid_loss if task == "chat" else score
        if best is None or key > best[0]:
            best = (key, epoch + 1)
            save_file(
                {k: v.detach().cpu().half().contiguous() for k, v in model.state_dict().items()},
                str(out / f"{name}.safetensors"),
            )
    seconds = time.perf_counter() - start
    card = {
        "name": name,
        "config": {**asdict(config), "source_vocab": len(src_vocab), "target_vocab": len(tgt_vocab)},
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "pairs_file": str(pairs_path),
        "train_pairs": len(train_pairs),
        "validation_pairs": len(valid_pairs),
        "best_epoch": best[1],
        "history": history,
        "training_seconds": round(seconds, 1),
        "device": device,
        "training_command": command,
    }
    (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card
