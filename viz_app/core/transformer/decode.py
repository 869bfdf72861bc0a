"""Greedy decoding for the Transformer: at each time step the decoder reads every word output so far."""

from __future__ import annotations

import torch


@torch.no_grad()
def greedy(
    model,
    src_ids: list[int],
    tgt_vocab,
    max_len: int = 40,
    forced: list[int] | None = None,
    banned: tuple = (),
    memory=None,
):
    """-> (output word ids without <end>, total log-probability). ``forced`` words replace the first picks;
    ``banned`` ids are never picked (the couplet model never writes <unk>). ``memory``: the encoder's output
    for ``src_ids`` when the caller has it already."""
    model.eval()
    device = next(model.parameters()).device  # the model's own device: the CPU or the GPU the user chose
    if memory is None:
        memory, _mask = model.encode(torch.tensor([src_ids], device=device))
    out = [tgt_vocab.start]
    total = 0.0
    cache: dict = {}  # each decoder layer's keys and values so far: a step reads only its new word
    for t in range(max_len):
        logits = model.decode_step(torch.tensor([[out[-1]]], device=device), t, memory, cache)[0]
        if banned:
            logits = logits.clone()
            logits[list(banned)] = float("-inf")
        logp = torch.log_softmax(logits, dim=-1)
        word = forced[t] if forced is not None and t < len(forced) else int(logp.argmax())
        total += float(logp[word])
        if word == tgt_vocab.end:
            break
        out.append(word)
    return out[1:], total


@torch.no_grad()
def greedy_batch(model, batch_src: list[list[int]], tgt_vocab, max_len: int = 40) -> list[list[int]]:
    """Greedy decoding of many sentences at once (for BLEU during training)."""
    model.eval()
    width = max(len(s) for s in batch_src)
    src = torch.zeros(len(batch_src), width, dtype=torch.long)
    for i, s in enumerate(batch_src):
        src[i, : len(s)] = torch.tensor(s)
    memory, mask = model.encode(src)
    ys = torch.full((len(batch_src), 1), tgt_vocab.start, dtype=torch.long)
    done = torch.zeros(len(batch_src), dtype=torch.bool)
    for _ in range(max_len):
        logits = model.decode(ys, memory, mask)[:, -1]
        nxt = logits.argmax(-1)
        nxt = torch.where(done, torch.zeros_like(nxt), nxt)  # finished sentences get padding
        ys = torch.cat([ys, nxt[:, None]], dim=1)
        done |= nxt == tgt_vocab.end
        if bool(done.all()):
            break
    outs = []
    for row in ys[:, 1:].tolist():
        words = []
        for w in row:
            if w in (tgt_vocab.end, 0):
                break
            words.append(w)
        outs.append(words)
    return outs
