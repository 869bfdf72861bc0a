"""What the Seq2Seq and attention lessons show, computed without Qt (the GUI, CLI and tests share it).

* :func:`decode_steps` - greedy decoding one step at a time, keeping at each step t the attention
  weights alpha_t over the encoder states, the context vector c^t, the decoder state s_t and the
  five most probable next words; words may be forced at any step (what-if), the rest re-decodes.
* :func:`beam_tree` - beam search with every kept hypothesis, for drawing the beam as a tree.
* :func:`compare` - the same sentence through the translators with and without attention, with the
  BLEU-by-source-length figures from their model cards.
* :func:`seq2seq_lesson_job` and :func:`seq2seq_part_job` - the page's jobs, on the worker's device.

The package's modules: ``steps`` (decoding step by step, the notes), ``search`` (beam, comparison), ``jobs``.
"""

from viz_app.core.lessons.seq2seq.jobs import PARTS, Seq2SeqResult, seq2seq_lesson_job, seq2seq_part_job
from viz_app.core.lessons.seq2seq.search import BeamResult, Comparison, beam_tree, card_bleu, compare
from viz_app.core.lessons.seq2seq.steps import (
    ATTENTION_MODEL,
    CHAT_MODEL,
    COUPLET_MODEL,
    MAX_OUTPUT,
    MODELS,
    PLAIN_MODEL,
    RARE_LENGTH_SHARE,
    TOP_K,
    Step,
    StepTrace,
    _source,
    best_reply,
    couplet_attention,
    decode_steps,
    is_chinese,
    length_note,
    missing_expected_words,
)

__all__ = [
    "ATTENTION_MODEL", "CHAT_MODEL", "COUPLET_MODEL", "MAX_OUTPUT", "MODELS", "PARTS", "PLAIN_MODEL",
    "RARE_LENGTH_SHARE", "TOP_K", "BeamResult", "Comparison", "Seq2SeqResult", "Step", "StepTrace", "_source",
    "beam_tree", "best_reply", "card_bleu", "compare", "couplet_attention", "decode_steps", "is_chinese",
    "length_note", "missing_expected_words", "seq2seq_lesson_job", "seq2seq_part_job",
]  # fmt: skip
