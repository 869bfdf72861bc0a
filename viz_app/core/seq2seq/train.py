"""``viz-app train-seq2seq``: train the encoder-decoder on "english<TAB>french" pairs (French -> English),
or on a DailyDialog-style file of dialogues (a chatbot: each turn -> its reply), or on the Tang poems' TSV
(a couplet writer, 對對子: line 1 -> line 2, one token per character; ``viz_app.core.seq2seq.couplet``).

A fixed 5% of the source sentences (of whole dialogues for chat, by hash; the poems' own split for the
couplets) is the validation split; after every epoch the validation loss (teacher forcing) and, for
translation, BLEU (sacrebleu, on detokenised lowercase text, greedy decoding) are measured on it; for the
couplets the share of greedy second lines with the first line's length and an end mark. The best epoch is kept:
by BLEU for translation, by validation loss for chat and couplets (where one right answer does not exist).
Writes NAME.safetensors, NAME.source_vocab.txt, NAME.target_vocab.txt and NAME.card.json. With
``checkpoint_minutes`` > 0 the whole training state also goes to NAME.checkpoint.pt that often (and after every
epoch), and ``resume`` continues from it, mid-epoch included (same data, config and seed give the same batches).
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
    checkpoint_minutes: float = 0.0  # > 0: the training state to NAME.checkpoint.pt this often and every epoch
    max_minutes: float = 0.0  # > 0: no new epoch once the next one would end past this much training time


def _batch(ids_list: list[list[int]], pad: int = 0):
    import torch

    width = max(len(x) for x in ids_list)
    out = torch.full((len(ids_list), width), pad, dtype=torch.long)
    for i, x in enumerate(ids_list):
        out[i, : len(x)] = torch.tensor(x)
    return out


def target_tokens(text: str, task: str = "translate") -> list[str]:
    if task == "couplet":
        return data.char_tokens(text)
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


def shape_check(model, pairs, src_vocab, tgt_vocab) -> float:
    """Couplets: the share of greedy second lines with as many characters as the first line and one end mark,
    at the end only (``couplet.right_shape``)."""
    from viz_app.core.seq2seq.couplet import right_shape
    from viz_app.core.seq2seq.decode import greedy

    good = 0
    for src, _ in pairs:
        toks = data.source_tokens(src, "couplet")
        out = greedy(model, src_vocab.encode(toks), tgt_vocab, max_len=2 * len(toks) + 2, banned=(tgt_vocab.unk,))
        good += right_shape(toks, out.tokens)
    return good / max(1, len(pairs))


def train(
    pairs_path: Path,
    out: Path,
    config: TrainConfig,
    device: str = "cpu",
    command: str = "",
    name: str = "seq2seq",
    resume: bool = False,
    task_data: tuple | None = None,
):
    """Generator: yields Progress; returns the model card. ``resume``: continue from NAME.checkpoint.pt.
    ``task_data``: (task, training pairs, validation pairs) to use instead of ``data.load_task(pairs_path)``."""
    import torch
    from safetensors.torch import save_file

    from viz_app.core.seq2seq.model import Seq2Seq, Seq2SeqConfig

    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    task, train_pairs, valid_pairs = task_data or data.load_task(pairs_path)
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
    first_epoch, first_step, order = 0, 0, None
    checkpoint = out / f"{name}.checkpoint.pt"
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        same = ("epochs", "checkpoint_minutes", "max_minutes")  # may change between runs: more epochs, ...
        if {k: v for k, v in state["config"].items() if k not in same} != {
            k: v for k, v in asdict(config).items() if k not in same
        }:
            raise ValueError(f"{checkpoint}: trained with another configuration; start again without resuming")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        best = tuple(state["best"]) if state["best"] is not None else None
        history, first_epoch, first_step = state["history"], state["epoch"], state["step"]
        order = state["order"]
        start -= state["seconds"]
        yield Progress(
            (first_epoch + first_step / steps) / config.epochs,
            f"resumed at epoch {first_epoch + 1}, step {first_step}/{steps}",
        )
    last_save = time.perf_counter()

    def save_state(epoch: int, step: int, epoch_order) -> None:
        nonlocal last_save
        state = {
            "config": asdict(config),
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "numpy_rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "best": None if best is None else list(best),
            "history": history,
            "epoch": epoch,  # epochs completed
            "step": step,  # steps of the next epoch done
            "order": epoch_order,  # that epoch's batch order (None: draw it)
            "seconds": time.perf_counter() - start,
        }
        torch.save(state, str(checkpoint) + ".tmp")
        Path(str(checkpoint) + ".tmp").replace(checkpoint)  # never a half-written checkpoint
        last_save = time.perf_counter()

    check = valid_pairs[:600]  # BLEU (or the couplets' shape) during training on a fixed part of the validation split
    card = None
    for epoch in range(first_epoch, config.epochs):
        model.train()
        if order is None:
            order = rng.permutation(len(examples))
        for k in range(first_step, steps):
            idx = order[k * config.batch : (k + 1) * config.batch]
            src = _batch([examples[i][0] for i in idx]).to(device)  # (B, M)
            tgt = _batch([examples[i][1] for i in idx]).to(device)  # (B, N + 2)
            logits = model(src, tgt[:, :-1])  # (B, N + 1, V)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
            optimizer.step()
            if config.checkpoint_minutes > 0 and time.perf_counter() - last_save > 60 * config.checkpoint_minutes:
                save_state(epoch, k + 1, order)  # before the report: a run stopped there resumes after this step
            if k % 50 == 0:
                yield Progress(
                    (epoch + k / steps) / config.epochs,
                    f"epoch {epoch + 1}/{config.epochs}, step {k}/{steps}, loss {loss.item():.3f}",
                )
        first_step, order = 0, None
        valid_loss = validation_loss(model, valid_examples, loss_fn, device)
        model.cpu()
        if task == "couplet":
            score = shape_check(model, check, src_vocab, tgt_vocab)
            entry = {"epoch": epoch + 1, "shape_check": round(score, 4), "validation_loss": round(valid_loss, 4)}
            said = f"right length and end mark {100 * score:.1f}%"
        else:
            score, _ = bleu(model, check, src_vocab, tgt_vocab, task=task)
            entry = {"epoch": epoch + 1, "bleu_check": round(score, 2), "validation_loss": round(valid_loss, 4)}
            said = f"BLEU {score:.1f}"
        model.to(device)
        history.append(entry)
        yield Progress(
            (epoch + 1) / config.epochs,
            f"epoch {epoch + 1}: validation loss {valid_loss:.3f}, {said} on {len(check)} validation pairs",
        )
        key = -valid_loss if task in ("chat", "couplet") else score
        if best is None or key > best[0]:
            best = (key, epoch + 1)
            save_file(
                {k: v.detach().cpu().half().contiguous() for k, v in model.state_dict().items()},
                str(out / f"{name}.safetensors"),
            )
        card = {
            "name": name,
            "config": {**asdict(config), "source_vocab": len(src_vocab), "target_vocab": len(tgt_vocab)},
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "pairs_file": str(pairs_path),
            "train_pairs": len(train_pairs),
            "validation_pairs": len(valid_pairs),
            "best_epoch": best[1],
            "epochs_completed": epoch + 1,
            "history": history,
            "training_seconds": round(time.perf_counter() - start, 1),
            "device": device,
            "training_command": command,
        }
        # Written after every epoch, so a run stopped early still leaves a consistent card and weights.
        (out / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        if config.checkpoint_minutes > 0:
            save_state(epoch + 1, 0, None)
        elapsed = time.perf_counter() - start
        if config.max_minutes > 0 and epoch + 1 < config.epochs:
            if elapsed + elapsed / (epoch + 1) > 60 * config.max_minutes:  # the next epoch would end too late
                yield Progress(1.0, f"stopped after epoch {epoch + 1}: another would pass {config.max_minutes} minutes")
                break
    if card is None:  # resumed after the last epoch: the card on disk is the run's
        card = json.loads((out / f"{name}.card.json").read_text(encoding="utf-8"))
    return card
