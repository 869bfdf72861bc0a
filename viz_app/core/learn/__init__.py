"""Watch a Transformer learn: a tiny decoder-only model trained live on toy tasks, its heads followed as they form.

- ``tasks``: the toy tasks (copy, reverse, sort, induction, next character, French to English), each a small
  vocabulary, a seeded batch generator and, for each answer position, the IDEAL key position a head should
  attend to.
- ``trainer``: ``LearnConfig`` and ``Trainer`` (exact pause and resume; bounded snapshot history).
- ``score``: how close each head's attention is to the ideal pattern.

Torch-free at import, like the rest of the core: ``trainer`` imports torch in its functions.
"""
