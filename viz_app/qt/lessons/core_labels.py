"""The fixed labels that the Qt-free core defines and the lesson views show: the bag-of-words metrics, the
word embeddings' names, the sentiment labels and the lecture's GPT vs BERT table.

The core stays in English and free of Qt; the views pass these labels through :func:`label` when they show
them. ``QT_TR_NOOP`` only names each label for ``pyside6-lupdate`` (it returns the text unchanged), so the
.ts files hold them in the empty context that :func:`viz_app.qt.i18n.tr` reads; ``tests/test_i18n.py``
checks that every label the core defines is named here.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP

from viz_app.qt.i18n import tr

CORE_LABELS = (
    # viz_app.core.documents.bag_of_words.METRIC_LABELS
    QT_TR_NOOP("Cosine similarity"),
    QT_TR_NOOP("Euclidean distance"),
    QT_TR_NOOP("Dot product"),
    # viz_app.core.lessons.word_embedding.MODEL_LABELS
    QT_TR_NOOP("Skip-gram (prediction)"),
    QT_TR_NOOP("CBOW (prediction)"),
    QT_TR_NOOP("GloVe (counting)"),
    QT_TR_NOOP("PPMI + SVD (counting)"),
    # viz_app.core.lm.probes.LABELS (the fine-tuned sentiment head)
    QT_TR_NOOP("negative"),
    QT_TR_NOOP("positive"),
    # viz_app.core.lessons.lm.COMPARISON
    QT_TR_NOOP("architecture"),
    QT_TR_NOOP("multiple Transformer encoders, bidirectional"),
    QT_TR_NOOP("stacked Transformer blocks, unidirectional (causal mask)"),
    QT_TR_NOOP("pre-training objectives"),
    QT_TR_NOOP(
        '"masked language model" and "next sentence prediction": predict masked words and judge whether two '
        "sentences are consecutive"
    ),
    QT_TR_NOOP(
        '"predicting the next word", to learn the language structure and contextual relationships within sentences'
    ),
    QT_TR_NOOP("input"),
    QT_TR_NOOP("a bidirectional Transformer: the words on the left and the right of each word ([CLS] A [SEP] B [SEP])"),
    QT_TR_NOOP("a unidirectional Transformer: the text sequence so far"),
    QT_TR_NOOP("fine-tuning"),
    QT_TR_NOOP("adjust the last layer of the pre-trained model to the task"),
    QT_TR_NOOP("the same: adjust the last layer"),
    QT_TR_NOOP("this app's example"),
    QT_TR_NOOP("fill in [MASK]; the sentiment head (Fine-tuning tab)"),
    QT_TR_NOOP("next-token bars and generation"),
)


def label(text: str) -> str:
    """A label from the core in the interface's language (unchanged when it has no translation)."""
    return tr(text) if text else text
