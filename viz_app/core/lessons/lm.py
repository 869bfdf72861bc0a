"""The BERT, GPT and generative-vs-discriminative lessons' computations, as jobs for the worker thread.

Each job takes the worker's context (``ctx.models`` caches loaded models by name) and returns plain
numbers with a ``to_json`` for export. Model names are the bundled ones or a local Hugging Face folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from viz_app.core.jobs import Progress
from viz_app.core.lm import probes
from viz_app.core.messages import msg

BERT = "bert-tiny"
GPT = "gpt-tiny"
BERT_TANG = "bert-tang"  # the character-level models of the Tang poems, offered for Chinese text
GPT_TANG = "gpt-tang"
SENTIMENT = "bert-sentiment"
STATIC = "embedding-skipgram"  # the embedding lesson's static word vectors
STATIC_ZH = "embedding-tang-skipgram"  # its character vectors of the Tang poems, beside bert-tang
AMBIGUOUS_WORD = "fly"
# One sentence a line, its sense after "|". Chosen on bert-tiny from 8 + 8 candidates: at layer 3 these six
# give a mean cosine of 0.77 within a sense and 0.39 across (all 16: 0.69 and 0.52); layers 0 and 1 barely
# separate the senses (the word's own embedding dominates), layer 4 less than layer 3.
AMBIGUOUS_SENTENCES = (
    "the eagle began to fly away. | flying",
    "he wished he could fly to the moon. | flying",
    "the little bird learned to fly. | flying",
    "a little fly landed on the cake. | insect",
    "the fly buzzed around the kitchen all day. | insect",
    "a fly sat on the food. | insect",
)
CONTEXT_LAYER = 3  # where the senses of the default sentences separate most clearly
# The Chinese example (bert-tang): 明 as "bright" (明月, the bright moon) and as "next" (明朝 / 明日, tomorrow),
# in well-known lines of Tang poems.
AMBIGUOUS_WORD_ZH = "明"
AMBIGUOUS_SENTENCES_ZH = (
    "舉頭望明月，低頭思故鄉。 | 明亮",
    "海上生明月，天涯共此時。 | 明亮",
    "秦時明月漢時關，萬里長征人未還。 | 明亮",
    "明日隔山岳，世事兩茫茫。 | 明天",
    "明朝散髮弄扁舟。 | 明天",
    "明朝有意抱琴來。 | 明天",
)
CONTEXT_LAYER_ZH = 2  # measured on bert-tang: within 0.88 vs across 0.68 at layer 2


def parse_sense(line: str) -> tuple[str, str | None]:
    """ "a fly sat on the food. | insect" -> ("a fly sat on the food.", "insect"); no "|": no sense."""
    sentence, bar, sense = line.rpartition("|")
    if not bar:
        return line.strip(), None
    return sentence.strip(), sense.strip() or None


def context_label(sentence: str, word: str, nth: int = 0) -> str:
    """The word in its sentence, for a label: up to two words either side, the word in capitals (a Chinese
    character: two characters either side, the character in 「」)."""
    from viz_app.core.language import is_chinese

    if is_chinese(word):
        hits = [k for k, ch in enumerate(sentence) if sentence.startswith(word, k)]
        if nth >= len(hits):
            return sentence[:12]
        k = hits[nth]
        return f"{sentence[max(0, k - 2) : k]}「{word}」{sentence[k + len(word) : k + len(word) + 2]}"
    words = sentence.split()
    hits = [k for k, w in enumerate(words) if w.strip(".,;:!?\"'()").lower() == word]
    if nth >= len(hits):  # the word is inside a longer one ("flying"): the sentence's start
        return sentence if len(sentence) <= 28 else sentence[:27] + "…"
    k = hits[nth]
    return " ".join(words[max(0, k - 2) : k] + [words[k].upper()] + words[k + 1 : k + 3])


COMPARISON = (  # the lecture's "GPT vs BERT" comparison
    ("", "BERT", "GPT"),
    (
        "architecture",
        "multiple Transformer encoders, bidirectional",
        "stacked Transformer blocks, unidirectional (causal mask)",
    ),
    (
        "pre-training objectives",
        '"masked language model" and "next sentence prediction": predict masked words and judge whether two '
        "sentences are consecutive",
        '"predicting the next word", to learn the language structure and contextual relationships within sentences',
    ),
    (
        "input",
        "a bidirectional Transformer: the words on the left and the right of each word ([CLS] A [SEP] B [SEP])",
        "a unidirectional Transformer: the text sequence so far",
    ),
    ("fine-tuning", "adjust the last layer of the pre-trained model to the task", "the same: adjust the last layer"),
    ("this app's example", "fill in [MASK]; the sentiment head (Fine-tuning tab)", "next-token bars and generation"),
)


def model(ctx, name: str) -> probes.LanguageModel:
    """The loaded model, on the device the worker uses now (the Device menu: CPU or a GPU)."""
    lm = ctx.models.get(name, probes.load)
    device = getattr(ctx, "device", "cpu") or "cpu"
    if getattr(lm, "device", "cpu") != device:
        lm.to(device)
    return lm


def fill_mask_job(ctx, name: str, text: str, top_k: int = 10) -> probes.FillMask:
    return probes.fill_mask(model(ctx, name), text, top_k)


def next_token_job(ctx, name: str, text: str, sampling: probes.Sampling, top: int = 20) -> probes.NextToken:
    return probes.next_token(model(ctx, name), text, sampling, top)


@dataclass
class Generation:
    prompt: str
    steps: list[probes.GeneratedToken]
    text: str

    def to_json(self) -> dict:
        return {"text": self.text, "steps": [[s.text, round(s.prob, 6)] for s in self.steps]}


def generate_job(ctx, name: str, prompt: str, max_new: int, sampling: probes.Sampling, seed: int):
    """Generator job: yields Progress whose data is the Generation so far, one token at a time."""
    lm = model(ctx, name)
    steps: list[probes.GeneratedToken] = []
    for token in probes.generate(lm, prompt, max_new, sampling, seed):
        steps.append(token)
        gen = Generation(prompt, list(steps), probes.join_generated(lm, prompt, steps))
        yield Progress(len(steps) / max_new, f"{len(steps)} of at most {max_new} tokens", gen)
    return Generation(prompt, steps, probes.join_generated(lm, prompt, steps))


@dataclass
class AttentionView:
    name: str
    kind: str
    tokens: list[str]
    attention: np.ndarray  # (layers, heads, T, T)
    cut: int

    def to_json(self) -> dict:
        return {"model": self.name, "tokens": self.tokens, "attention": np.round(self.attention, 6).tolist()}


def attention_job(ctx, name: str, text: str) -> AttentionView:
    lm = model(ctx, name)
    result = probes.attention(lm, text)
    return AttentionView(lm.name, lm.kind, result.tokens, np.stack(result.attention), result.cut)


@dataclass
class LensView:
    tokens: list[str]
    guesses: list[list[tuple[str, float]]]
    cut: int

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "layers": [[{"token": t, "prob": round(p, 6)} for t, p in row] for row in self.guesses],
        }


def logit_lens_job(ctx, name: str, text: str) -> LensView:
    result = probes.logit_lens(model(ctx, name), text)
    return LensView(result.tokens, result.guesses, result.cut)


@dataclass
class Contextual:
    word: str
    layer: int
    sentences: list[str]  # one per point (a sentence with the word twice gives two points)
    coords: np.ndarray  # (N, 2) PCA of the BERT vectors
    bert_cosine: np.ndarray  # (N, N)
    static_cosine: np.ndarray | None  # (N, N) the skip-gram vector is one vector: all ones
    missing: list[str]  # sentences without the word
    layers: int = 0  # how many layers the model has (the layer asked for is clamped to it)
    senses: list[str | None] = field(default_factory=list)  # each point's sense (after "|"), None if unlabelled
    labels: list[str] = field(default_factory=list)  # each point's word in its sentence ("to FLY away")
    # Mean cosine (within one sense, across two senses) at every layer 0..layers; empty with fewer than two senses.
    separation: list[tuple[float, float]] = field(default_factory=list)

    @property
    def sense_names(self) -> list[str]:
        return list(dict.fromkeys(s for s in self.senses if s is not None))

    def to_json(self) -> dict:
        return {
            "word": self.word,
            "layer": self.layer,
            "sentences": self.sentences,
            "senses": self.senses,
            "labels": self.labels,
            "coords": np.round(self.coords, 6).tolist(),
            "bert_cosine": np.round(self.bert_cosine, 6).tolist(),
            "static_cosine": None if self.static_cosine is None else np.round(self.static_cosine, 6).tolist(),
            "separation_by_layer": [{"layer": k, "within": w, "across": a} for k, (w, a) in enumerate(self.separation)],
        }


def _cosine(vectors: np.ndarray) -> np.ndarray:
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return unit @ unit.T


def sense_separation(cosine: np.ndarray, senses: list[str | None]) -> tuple[float, float] | None:
    """Mean cosine over pairs of points with the same sense, and over pairs with different senses."""
    within, across = [], []
    for a in range(len(senses)):
        for b in range(a + 1, len(senses)):
            if senses[a] is None or senses[b] is None:
                continue
            (within if senses[a] == senses[b] else across).append(float(cosine[a, b]))
    if not within or not across:
        return None
    return round(float(np.mean(within)), 6), round(float(np.mean(across)), 6)


def contextual_job(ctx, name: str, sentences: list[str], word: str, layer: int) -> Contextual:
    """``word``'s BERT vector in each sentence at ``layer``; lines may end in "| sense" to colour the points."""
    from viz_app.core.embeddings.projection import pca
    from viz_app.core.embeddings.word_vectors import load_registered

    word = word.strip().lower()
    if not word or " " in word:
        raise ValueError(msg("type one word to follow through the sentences"))
    parsed = [parse_sense(s) for s in sentences if s.strip()]
    parsed = [(s, sense) for s, sense in parsed if s]
    sense_of = {}
    for s, sense in parsed:
        sense_of.setdefault(s, sense)
    lm = model(ctx, name)
    if lm.unk_id is not None and lm.unk_id in lm.encode(word):
        raise ValueError(msg("“{word}” is not in {model}'s vocabulary: try another word", word=word, model=lm.name))
    layer = max(0, min(layer, lm.layers))
    plain = list(dict.fromkeys(s for s, _ in parsed))
    vectors, used = probes.contextual_vectors(lm, plain, word, layer)
    missing = [s for s in plain if s not in used]
    if len(used) < 2:
        raise ValueError(
            msg("“{word}” must appear in at least two of the sentences (found in {n})", word=word, n=len(used))
        )
    senses = [sense_of[s] for s in used]
    labels, seen = [], {}
    for s in used:
        labels.append(context_label(s, word, seen.get(s, 0)))
        seen[s] = seen.get(s, 0) + 1
    separation = []
    if len(set(x for x in senses if x is not None)) >= 2:
        for k in range(lm.layers + 1):
            at_k = vectors if k == layer else probes.contextual_vectors(lm, plain, word, k)[0]
            separation.append(sense_separation(_cosine(at_k), senses))
    coords = pca(vectors.astype(np.float32), 2).coords
    static = None
    try:
        wv = ctx.models.get(STATIC_ZH if name == BERT_TANG else STATIC, load_registered)
        if wv.lookup(word) is not None:
            row = wv.vectors[wv.require(word)]
            static = _cosine(np.repeat(row[None], len(used), 0))
    except Exception:  # noqa: BLE001 - no bundled skip-gram (or a broken one): show BERT's side alone
        static = None
    return Contextual(
        word, layer, used, coords, _cosine(vectors), static, missing, lm.layers, senses, labels, separation
    )


@dataclass
class Comparison:
    tokens: list[str]  # the typed text's tokens, as both models split them (they share the tokenizer)
    bert_attention: np.ndarray  # (T+2, T+2) last layer, mean over heads, with [CLS] ... [SEP]
    bert_tokens: list[str]
    gpt_attention: np.ndarray  # (T+1, T+1) last layer, mean over heads, with the start token
    gpt_tokens: list[str]
    masked_word: str
    bert_guesses: list[tuple[str, float]]  # BERT fills the masked last word, seeing both sides
    gpt_guesses: list[tuple[str, float]]  # GPT predicts the same word from the words before it
    bert_input: str = ""  # the sentence as BERT reads it, with the [MASK] (and a final "." where it had none)
    gpt_input: str = ""  # the words GPT reads before it predicts

    def to_json(self) -> dict:
        return {
            "masked_word": self.masked_word,
            "bert_input": self.bert_input,
            "gpt_input": self.gpt_input,
            "bert_guesses": self.bert_guesses,
            "gpt_guesses": self.gpt_guesses,
            "bert_tokens": self.bert_tokens,
            "bert_attention": np.round(self.bert_attention, 6).tolist(),
            "gpt_tokens": self.gpt_tokens,
            "gpt_attention": np.round(self.gpt_attention, 6).tolist(),
        }


def compare_job(ctx, bert_name: str, gpt_name: str, text: str, top: int = 5) -> Comparison:
    """The same sentence through both: their last layer's attention (mean over heads), and both
    objectives on one word — the last word of the sentence (before its final punctuation): BERT sees it
    masked with what is on both sides, GPT sees only the words before it."""
    from viz_app.core.lessons.word_embedding import mostly_chinese
    from viz_app.core.tokenize import split_tokens

    bert, gpt = model(ctx, bert_name), model(ctx, gpt_name)
    # Chinese has no spaces between words and the Tang models read characters: there each character is a word,
    # the pieces are joined without spaces, and the missing end mark is the Chinese full stop.
    chinese = mostly_chinese(text)
    sep, stop = ("", "。") if chinese else (" ", ".")
    words = split_tokens(text)
    content = [k for k, w in enumerate(words) if w[0].isalnum()]
    if not content:
        raise ValueError(msg("type a sentence with at least one word"))
    target = content[-1]
    after = words[target + 1 :]
    # A [MASK] with nothing after it reads as the end of the text, and BERT then guesses a full stop (". 0.97"):
    # its sentences end with punctuation, so where the typed one has none, BERT reads it with a final ".".
    masked = sep.join(words[:target] + ["[MASK]"] + (after or [stop]))
    before = sep.join(words[:target])
    fill = probes.fill_mask(bert, masked, top)
    b_att = probes.attention(bert, text)
    g_att = probes.attention(gpt, text)
    nxt = probes.next_token(gpt, before, None, top)
    return Comparison(
        [t for t in b_att.tokens[1:-1]],
        b_att.attention[-1].mean(0),
        b_att.tokens,
        g_att.attention[-1].mean(0),
        g_att.tokens,
        words[target],
        fill.masks[0].predictions if fill.masks else [],
        [(t, p) for t, p, _, _ in nxt.top],
        masked,
        before,
    )
