"""The tiny GPT's and BERT's training data and held-out measures: the GPT's token stream cut into blocks and its
per-line negative log-likelihood; the BERT's span pairs (next or random), their masking (15%: 80% [MASK], 10%
random, 10% kept) and its masked-token and next-sentence accuracies (``train`` runs the loop)."""

from __future__ import annotations

import numpy as np

from viz_app.core.lm import data
from viz_app.core.lm.tokenizer import WordPieces

# --- GPT data --------------------------------------------------------------------------------------


def gpt_stream(tok: WordPieces, lines: list[str]) -> np.ndarray:
    ids = [tok.sep]
    for enc in tok.encode_many(lines):
        ids.extend(enc)
        ids.append(tok.sep)
    return np.asarray(ids, dtype=np.int64)


def gpt_blocks(stream: np.ndarray, seq_len: int, epoch_rng: np.random.Generator) -> np.ndarray:
    """(N, seq_len + 1) windows of the stream, from a random start offset, in a random order."""
    offset = int(epoch_rng.integers(seq_len))
    n = (len(stream) - offset - 1) // seq_len
    starts = offset + seq_len * epoch_rng.permutation(n)
    return np.stack([stream[s : s + seq_len + 1] for s in starts])


def line_nll(model, tok: WordPieces, lines: list[str], device: str = "cpu") -> tuple[float, int]:
    """Total next-token negative log-likelihood of each line read on its own as [SEP] line -> line [SEP],
    and the number of predicted tokens. Lines longer than the model's context slide a window over them
    (half a window of context kept), so every token is scored exactly once."""
    import torch

    model.eval()
    window = model.config.max_len
    total, count = 0.0, 0
    with torch.no_grad():
        for enc in tok.encode_many(lines):
            seq = [tok.sep, *enc, tok.sep]
            scored = 1  # seq[0] is context only
            start = 0
            while scored < len(seq):
                end = min(len(seq), start + window + 1)
                chunk = torch.tensor([seq[start:end]], device=device)
                logits = model.token_logits(model(chunk[:, :-1]))[0]
                logp = torch.log_softmax(logits.float(), -1)
                targets = chunk[0, 1:]
                first = scored - start - 1  # predictions before this were scored in an earlier window
                picked = logp[torch.arange(len(targets), device=logp.device), targets][first:]
                total -= float(picked.sum())
                count += len(picked)
                scored = end
                start = max(start + 1, end - window // 2 - 1)
    model.train()
    return total, count


def words_in(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


# --- BERT data -------------------------------------------------------------------------------------


def bert_chunks(tok: WordPieces, paragraphs: list[str], max_tokens: int, split=None) -> list[list[list[int]]]:
    """Each paragraph as runs of whole sentences (token ids), cut into chunks of at most ``max_tokens``.
    ``split`` cuts a paragraph into sentences (default ``data.sentences``; the couplets of a poem for Tang)."""
    chunks = []
    for para in paragraphs:
        sents = [s for s in tok.encode_many((split or data.sentences)(para)) if s]
        current, size = [], 0
        for s in sents:
            s = s[:max_tokens]
            if current and size + len(s) > max_tokens:
                chunks.append(current)
                current, size = [], 0
            current.append(s)
            size += len(s)
        if current:
            chunks.append(current)
    return chunks


def bert_pairs(chunks: list[list[list[int]]], seq_len: int, rng: np.random.Generator):
    """One (A, B, is_next) per chunk of two or more sentences: B is the rest of the chunk, or (half the
    time) the sentences of another chunk. Trimmed to fit [CLS] A [SEP] B [SEP] into ``seq_len``."""
    usable = [c for c in chunks if len(c) >= 2]
    pairs = []
    for chunk in usable:
        k = int(rng.integers(1, len(chunk)))
        a = [t for s in chunk[:k] for t in s]
        if rng.random() < 0.5:
            b, is_next = [t for s in chunk[k:] for t in s], 1
        else:
            other = usable[int(rng.integers(len(usable)))]
            while other is chunk and len(usable) > 1:
                other = usable[int(rng.integers(len(usable)))]
            b, is_next = [t for s in other[int(rng.integers(len(other))) :] for t in s], 0
        room = seq_len - 3
        while len(a) + len(b) > room:  # trim the longer side: A from its start, B from its end
            if len(a) > len(b):
                a = a[1:]
            else:
                b = b[:-1]
        pairs.append((a, b, is_next))
    return pairs


def mask_tokens(ids: np.ndarray, tok: WordPieces, rng: np.random.Generator, rate: float = 0.15, all_mask=False):
    """BERT's corruption: choose ``rate`` of the ordinary tokens; 80% -> [MASK], 10% -> random, 10% kept.
    Returns (corrupted ids, targets with -100 where nothing is predicted)."""
    ordinary = ids > 4
    chosen = ordinary & (rng.random(ids.shape) < rate)
    for row in range(ids.shape[0]):  # at least one prediction per sequence
        if not chosen[row].any() and ordinary[row].any():
            chosen[row, rng.choice(np.flatnonzero(ordinary[row]))] = True
    targets = np.where(chosen, ids, -100)
    corrupted = ids.copy()
    roll = rng.random(ids.shape)
    to_mask = chosen & ((roll < 0.8) | all_mask)
    to_random = chosen & (roll >= 0.8) & (roll < 0.9) & (not all_mask)
    corrupted[to_mask] = tok.mask
    corrupted[to_random] = rng.integers(5, len(tok), size=int(to_random.sum()))
    return corrupted, targets


def pack_pairs(pairs, tok: WordPieces) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, segments, is_next) arrays, padded to the longest pair."""
    length = max(len(a) + len(b) + 3 for a, b, _ in pairs)
    ids = np.zeros((len(pairs), length), dtype=np.int64)
    seg = np.zeros_like(ids)
    for i, (a, b, _) in enumerate(pairs):
        row = [tok.cls, *a, tok.sep, *b, tok.sep]
        ids[i, : len(row)] = row
        seg[i, len(a) + 2 : len(row)] = 1
    return ids, seg, np.asarray([n for _, _, n in pairs], dtype=np.int64)


def bert_scores(model, tok, pairs, seed: int = 1234, batch: int = 64, device: str = "cpu") -> dict:
    """Held-out masked LM (every chosen token shown as [MASK]) and NSP: loss, top-1, top-5, NSP accuracy."""
    import torch

    rng = np.random.default_rng(seed)
    model.eval()
    nll = hits1 = hits5 = n_masked = nsp_right = 0
    with torch.no_grad():
        for k in range(0, len(pairs), batch):
            ids, seg, is_next = pack_pairs(pairs[k : k + batch], tok)
            corrupted, targets = mask_tokens(ids, tok, rng, all_mask=True)
            hidden = model(torch.tensor(corrupted, device=device), torch.tensor(seg, device=device))
            where = torch.tensor(targets != -100, device=device)
            logits = model.token_logits(hidden[where]).float()
            gold = torch.tensor(targets, device=device)[where]
            nll += float(torch.nn.functional.cross_entropy(logits, gold, reduction="sum"))
            top5 = logits.topk(5, -1).indices
            hits1 += int((top5[:, 0] == gold).sum())
            hits5 += int((top5 == gold[:, None]).any(-1).sum())
            n_masked += len(gold)
            nsp = model.nsp(model.pooled(hidden)).argmax(-1).cpu().numpy()
            nsp_right += int((nsp == is_next).sum())
    model.train()
    return {
        "mlm_loss": nll / max(1, n_masked),
        "mlm_top1": hits1 / max(1, n_masked),
        "mlm_top5": hits5 / max(1, n_masked),
        "nsp_accuracy": nsp_right / max(1, len(pairs)),
        "masked_tokens": n_masked,
        "pairs": len(pairs),
    }
