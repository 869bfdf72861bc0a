"""The bag-of-words lesson's job (Qt-free): the user's documents and the lecture's word-order example."""

from __future__ import annotations

from dataclasses import dataclass

from viz_app.core.documents import bag_of_words as bow


@dataclass(frozen=True)
class BowLesson:
    """The user's documents (one per line) and the lecture's "dog bites man" pair, under the same metric."""

    user: bow.BowResult
    example: bow.BowResult
    device: str = "cpu"  # where it was computed (counting needs no accelerator; kept for uniformity)

    def to_json(self) -> dict:
        return self.user.to_json()


def bow_lesson_job(ctx, text: str, metric: str) -> BowLesson:
    """Worker job: the user's documents (one per line) and the lecture's word-order example."""
    documents = bow.split_documents(text)
    return BowLesson(bow.analyze(documents, metric), bow.analyze(list(bow.ORDER_EXAMPLE), metric), ctx.device)
