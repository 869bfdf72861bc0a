import numpy as np
import pytest

from viz_app.core.documents import bag_of_words as bow
from viz_app.core.tokenize import word_tokens

REVIEW = (
    "Very good drama although it appeared to have a few blank areas leaving the viewers to fill in the action "
    "for themselves. I can imagine life being this way for someone who can neither read nor write. This film "
    "simply smacked of the real world: the wife who is suddenly the sole supporter, the live-in relatives and "
    "their quarrels, the troubled child who gets knocked up and then, typically, drops out of school, a jackass "
    "husband who takes the nest egg and buys beer with it. 2 thumbs up... very very very good movie."
)


def test_lecture_review_counts():
    counts = bow.count_words(REVIEW).counts
    assert counts[:6] == (("the", 8), (",", 5), ("very", 4), (".", 4), ("who", 4), ("and", 3))
    # Then the lecture's pairs with count 2, in order of first appearance.
    assert counts[6:14] == tuple((w, 2) for w in ("good", "it", "to", "a", "for", "can", "this", "of"))
    assert ("drama", 1) in counts and ("live-in", 1) in counts and ("...", 1) in counts


def test_dog_bites_man_has_the_same_bag_as_man_bites_dog():
    result = bow.analyze(["dog bites man", "man bites dog", "the cat sat"], "cosine")
    assert np.array_equal(result.vectors[0], result.vectors[1])
    assert result.same_bag_pairs == ((0, 1),)
    assert result.matrix[0, 1] == pytest.approx(1.0)
    assert result.matrix[0, 2] == pytest.approx(0.0)


def test_metrics_on_known_vectors():
    # vocabulary a, b: doc1 = [2, 0], doc2 = [1, 1]
    result = bow.analyze(["a a", "a b"], "dot")
    assert result.matrix.tolist() == [[4.0, 2.0], [2.0, 2.0]]
    euclid = bow.analyze(["a a", "a b"], "euclidean").matrix
    assert euclid[0, 1] == pytest.approx(np.sqrt(2.0))
    assert euclid[0, 0] == 0.0
    cosine = bow.analyze(["a a", "a b"], "cosine").matrix
    assert cosine[0, 1] == pytest.approx(2 / (2 * np.sqrt(2)))


def test_unknown_metric_is_rejected():
    with pytest.raises(ValueError, match="unknown metric"):
        bow.analyze(["a"], "manhattan")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("   ", []),
        ("我愛你", ["我", "愛", "你"]),
        ("I ❤️ NLP 😀!", ["i", "❤", "\ufe0f", "nlp", "😀", "!"]),
        ("Don't stop", ["don't", "stop"]),
        ("Étudiant, je suis", ["étudiant", ",", "je", "suis"]),
    ],
)
def test_tokeniser_on_odd_input(text, expected):
    assert word_tokens(text) == expected


def test_empty_and_blank_documents_do_not_break_similarity():
    result = bow.analyze(["", "a b"], "cosine")
    assert result.matrix[0, 1] == 0.0 and result.matrix[0, 0] == 0.0
    assert any("no words" in note for note in result.notes)
    assert bow.analyze([], "cosine").matrix.shape == (0, 0)


def test_very_long_text_and_many_documents():
    long_doc = "word " * 200_000
    result = bow.analyze([long_doc, "word"], "cosine")
    assert result.documents[0].counts == (("word", 200_000),)
    many = bow.analyze([f"doc {i}" for i in range(bow.MAX_DOCUMENTS + 5)], "dot")
    assert many.matrix.shape == (bow.MAX_DOCUMENTS, bow.MAX_DOCUMENTS)
    assert many.notes


def test_split_documents_one_per_line():
    assert bow.split_documents("a b\n\n  c d  \n") == ["a b", "c d"]


def test_to_json_shape():
    data = bow.analyze(["dog bites man", "man bites dog"], "cosine").to_json()
    assert set(data) >= {"documents", "metric", "matrix"}
    assert data["documents"][0]["counts"] == [["dog", 1], ["bites", 1], ["man", 1]]


def test_lesson_job_on_cpu_records_the_device():
    from viz_app.core.jobs import JobContext, Request
    from viz_app.core.lessons.bow import BowLesson, bow_lesson_job
    from viz_app.core.registry import ModelStore

    ctx = JobContext(request=Request("t", bow_lesson_job), device="cpu", models=ModelStore())
    result = bow_lesson_job(ctx, "dog bites man\nman bites dog", "cosine")
    assert isinstance(result, BowLesson) and result.device == "cpu"
    assert result.user.same_bag_pairs == ((0, 1),) and len(result.example.documents) == 2
