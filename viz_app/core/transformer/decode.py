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
    if model.training:  # eval() walks every submodule: a few ms a keystroke
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


def _picks(logits, banned: tuple) -> list[int]:
    """Each row's greedy pick, the ``banned`` ids never."""
    if banned:
        logits = logits.clone()
        logits[:, list(banned)] = float("-inf")
    return logits.argmax(-1).tolist()


@torch.no_grad()
def greedy_checking(model, memory, src_mask, tgt_vocab, max_len: int, draft, banned: tuple = ()):
    """Greedy decoding that first checks a guess of its output (``draft``: word ids, such as the translation of
    the text before the last keystroke), as speculative decoding does. One pass of the decoder over the draft's
    positions at once gives the greedy pick at each of them; the draft's words are kept for as long as each is
    the decoder's own pick after the words before it, and decoding goes on word by word (keys and values kept)
    from the first that is not. A draft that is right costs one pass instead of a step per word; a wrong one
    costs one pass more. The same words as :func:`greedy` (tested).

    -> (output word ids without <end>, logits (N + 1, V) and the decoder's record of one pass over exactly <start>
    + the output: the same numbers whatever the draft was)."""
    if model.training:  # eval() walks every submodule: a few ms a keystroke
        model.eval()
    device = memory.device
    draft = [int(w) for w in draft][:max_len]
    record: dict = {}
    logits = model.decode(torch.tensor([[tgt_vocab.start, *draft]], device=device), memory, src_mask, record)[0]
    picks = _picks(logits, banned)
    kept = 0
    while kept < len(draft) and picks[kept] == draft[kept]:
        kept += 1
    out = draft[:kept]
    if kept == len(draft) and (kept == max_len or picks[kept] == tgt_vocab.end):
        return out, logits, record  # the draft was the greedy output: the pass is its read-out
    if kept == max_len or picks[kept] == tgt_vocab.end:  # the output is the draft's start: read it out alone
        record = {}
        start = torch.tensor([[tgt_vocab.start, *out]], device=device)
        return out, model.decode(start, memory, src_mask, record)[0], record
    # The pass's keys and values of <start> + the kept words are the cache a step-by-step decoder would hold.
    cache = {
        i: {
            "self": {"k": layer["self"]["k"][:, :, : kept + 1], "v": layer["self"]["v"][:, :, : kept + 1]},
            "cross": {"k": layer["cross"]["k"], "v": layer["cross"]["v"]},
        }
        for i, layer in enumerate(record["layers"])
    }
    out.append(picks[kept])
    for t in range(kept + 1, max_len):
        step = model.decode_step(torch.tensor([[out[-1]]], device=device), t, memory, cache)
        word = _picks(step, banned)[0]
        if word == tgt_vocab.end:
            break
        out.append(word)
    record = {}
    logits = model.decode(torch.tensor([[tgt_vocab.start, *out]], device=device), memory, src_mask, record)[0]
    return out, logits, record


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
