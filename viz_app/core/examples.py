"""The examples the lessons ship: each lesson's default text and its Try buttons, each with its claims.

Qt-free, so the test suite checks every claim without a window (:mod:`viz_app.core.claims`). A view builds
its Try row from :func:`texts` (``LessonView.example_row``); a new example without claims, or without a
``no_claim_reason`` saying why it makes none, fails ``tests/test_claims.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    text: str
    claims: tuple[dict, ...] = ()
    no_claim_reason: str = ""
    models: tuple[str, ...] = field(default=())  # informative: the models the page shows it with


_FR_EN = ("seq2seq-attention", "seq2seq-plain")
_MEANING = ["beautiful", "nice", "fine", "good", "sunny", "lovely"]

# lesson id -> group -> examples. A lesson whose Try row changes with its model has one group per task.
EXAMPLES: dict[str, dict[str, tuple[Example, ...]]] = {
    "generative": {
        "": (
            Example(
                "a delight, the acting was wonderful",
                ({"kind": "sentiment", "label": "positive"}, {"kind": "generates"}),
            ),
            Example(
                "boring, and far too long",
                ({"kind": "sentiment", "label": "negative"}, {"kind": "generates"}),
            ),
            Example("once upon a time, a little dog", ({"kind": "generates", "min_words": 5},)),
        )
    },
    "seq2seq": {
        "translate": (
            Example(
                "je suis étudiant .",
                tuple(
                    {"kind": "translation_contains", "model": m, "words": ["i", "am", "a", "student"]} for m in _FR_EN
                ),
            ),
            Example(
                "il fait beau aujourd'hui .",
                ({"kind": "translation_contains", "model": "seq2seq-attention", "words": ["today", _MEANING]},),
            ),
            Example(  # with attention the whole sentence comes out; without, the cinema is lost
                "je suis allé au cinéma hier soir .",
                (
                    {
                        "kind": "translation_contains",
                        "model": "seq2seq-attention",
                        "words": ["i", "went", ["movies", "cinema", "movie"], "last", "night"],
                    },
                ),
            ),
        ),
        "chat": (
            Example(
                "how are you ?",
                ({"kind": "translation_contains", "model": "chatbot", "words": [["fine", "good", "well", "great"]]},),
            ),
            Example("thank you .", ({"kind": "translation_contains", "model": "chatbot", "words": ["welcome"]},)),
            Example(
                "do you want some coffee ?",
                ({"kind": "translation_contains", "model": "chatbot", "words": [["yes", "no", "please", "thanks"]]},),
            ),
        ),
        "couplet": (  # first lines the bundled couplet model answers well (outputs checked before choosing them)
            Example(  # in the training poems (its real second line: 黃河入海流。); 白 -> 青, 山 -> 海
                "白日依山盡，",
                ({"kind": "translation_contains", "model": "couplet", "words": ["青", "海", "。"]},),
            ),
            Example(  # a validation poem's line (never trained on); 無地 -> 有天
                "弱水應無地，",
                ({"kind": "translation_contains", "model": "couplet", "words": ["山", "有", "天", "。"]},),
            ),
            Example(  # a validation poem's line; 門前 -> 城外, 浮 -> 落, 秋水 -> 夕陽
                "門前墜葉浮秋水，",
                ({"kind": "translation_contains", "model": "couplet", "words": ["外", "花", "落", "陽", "。"]},),
            ),
        ),
    },
    "transformer": {
        "translate": (
            Example(
                "je suis étudiant .",
                ({"kind": "translation_contains", "model": "transformer", "words": ["i", "am", "a", "student"]},),
            ),
            Example(
                "il fait beau aujourd'hui .",
                ({"kind": "translation_contains", "model": "transformer", "words": ["today", _MEANING]},),
            ),
            Example(
                "nous sommes allés au cinéma hier soir .",
                (
                    {
                        "kind": "translation_contains",
                        "model": "transformer",
                        "words": ["we", "went", ["movies", "cinema", "movie"], "last", "night"],
                    },
                ),
            ),
        ),
        "couplet": (  # first lines the bundled couplet-transformer answers well (outputs checked before choosing)
            Example(  # in the training poems (its real second line: 黃河入海流。); 白日 -> 青山, 盡 -> 深
                "白日依山盡，",
                ({"kind": "translation_contains", "model": "couplet-transformer", "words": ["青", "山", "深", "。"]},),
            ),
            Example(  # 中 -> 上, 無 -> 有: the second line answers the first character by character
                "山中無曆日，",
                ({"kind": "translation_contains", "model": "couplet-transformer", "words": ["山", "上", "有", "。"]},),
            ),
            Example(  # a validation poem's line (never trained on); 門前 -> 水上, 秋水 -> 落日
                "門前墜葉浮秋水，",
                ({"kind": "translation_contains", "model": "couplet-transformer", "words": ["水", "上", "日", "。"]},),
            ),
        ),
    },
    "self-attention": {
        "": (
            Example("Thinking Machines", ({"kind": "self_attention_softmax", "model": "bert-tiny"},)),
            Example("la machine pense .", ({"kind": "self_attention_softmax"},)),
            Example("le chat dort sur le canapé .", ({"kind": "self_attention_softmax"}, {"kind": "heads_differ"})),
        )
    },
}
EXAMPLES["attention"] = EXAMPLES["seq2seq"]  # the attention lesson is the same page, opened on its alignment

# What a lesson shows when a tour step sets no text: the lesson's own first example, never what was typed.
DEFAULT_TEXT: dict[str, str] = {
    "generative": "a delight, the acting was wonderful",
    "word-embedding": "king queen man woman dog cat",
    "bow": "the cat sat on the mat\nthe dog sat on the mat\ndog bites man",
    "rnn-toy": "1,1; 1,1; 2,2",
    "lstm": "once upon a time there was a little girl named lily .",
    "seq2seq": "je suis étudiant .",
    "attention": "je suis étudiant .",
    "self-attention": "Thinking Machines",
    "transformer": "je suis étudiant .",
    "bert": "the little girl [MASK] to the park with her [MASK] .",
    "gpt": "once upon a time, there was a little",
}


def examples(lesson_id: str, group: str = "") -> tuple[Example, ...]:
    return EXAMPLES.get(lesson_id, {}).get(group, ())


def texts(lesson_id: str, group: str = "") -> tuple[str, ...]:
    """The Try buttons' sentences of ``lesson_id`` (``group``: the task, where the row changes with it)."""
    return tuple(e.text for e in examples(lesson_id, group))


def default_text(lesson_id: str) -> str:
    return DEFAULT_TEXT.get(lesson_id, "")


def all_examples():
    """(lesson id, group, index, example) for every Try button (the attention lesson shares seq2seq's)."""
    for lesson_id, groups in EXAMPLES.items():
        if lesson_id == "attention":
            continue
        for group, items in groups.items():
            for k, example in enumerate(items):
                yield lesson_id, group, k, example
