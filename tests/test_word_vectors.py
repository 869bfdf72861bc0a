import struct

import numpy as np
import pytest

from viz_app.core.embeddings import word_vectors as wvmod
from viz_app.core.embeddings.word_vectors import (
    WordVectors,
    evaluate_analogies,
    evaluate_similarity,
    load_vectors_file,
    spearman,
)

# A tiny space where man:woman :: king:queen holds exactly (gender on axis 1, royalty on axis 0).
WORDS = ["man", "woman", "king", "queen", "apple", "banana"]
VECS = np.array(
    [[0, 1, 0, 0], [0, -1, 0, 0], [1, 1, 0, 0], [1, -1, 0, 0], [0, 0, 1, 0.1], [0, 0, 1, -0.1]], dtype=np.float32
)


@pytest.fixture
def wv():
    return WordVectors.from_arrays(WORDS, VECS)


def test_neighbors_and_analogy(wv):
    assert wv.neighbors("apple", 1)[0][0] == "banana"
    answers = wv.analogy("man", "woman", "king", k=3)
    assert answers[0][0] == "queen" and answers[0][1] > answers[1][1]
    assert {"man", "woman", "king"}.isdisjoint(w for w, _ in answers)
    assert wv.neighbors("KING", 2)  # looked up lowercased


def test_unknown_words(wv):
    with pytest.raises(KeyError, match="zebra"):
        wv.neighbors("zebra")
    found, unknown = wv.embed(["king", "zebra", "我"])
    assert list(found) == ["king"] and unknown == ["zebra", "我"]
    assert found["king"] == [1.0, 1.0, 0.0, 0.0]


def test_evaluate_analogies(tmp_path, wv):
    f = tmp_path / "q.txt"
    f.write_text(
        ": gender\nman woman king queen\nwoman man queen king\nman woman zebra zebras\n"
        ": fruit\napple banana man woman\n"
    )
    report = evaluate_analogies(wv, f)
    assert report.n == 3 and report.skipped == 1
    assert report.categories["gender"]["top1"] == 1.0
    assert report.top1 == pytest.approx(2 / 3)


def test_evaluate_similarity(tmp_path, wv):
    f = tmp_path / "s.tsv"
    f.write_text("word1\tword2\tscore\napple\tbanana\t9\nman\tking\t5\napple\tking\t0.5\nfoo\tbar\t3\n")
    report = evaluate_similarity(wv, f)
    assert report.n == 3 and report.skipped == 1
    assert report.spearman == pytest.approx(1.0)


def test_spearman_with_ties_matches_pearson_of_average_ranks():
    x, y = [1, 2, 2, 3, 5], [10, 20, 20, 25, 30]
    assert spearman(x, y) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


def _write_bin(path, words, vecs):
    with open(path, "wb") as fh:
        fh.write(f"{len(words)} {vecs.shape[1]}\n".encode())
        for w, v in zip(words, vecs, strict=True):
            fh.write(w.encode() + b" " + struct.pack(f"<{len(v)}f", *v) + b"\n")


@pytest.mark.parametrize("header", [True, False])
def test_load_text_vectors(tmp_path, header):
    lines = [f"{w} " + " ".join(str(x) for x in v) for w, v in zip(WORDS, VECS, strict=True)]
    if header:
        lines.insert(0, f"{len(WORDS)} 4")
    path = tmp_path / "v.vec"
    path.write_text("\n".join(lines) + "\n")
    wv = load_vectors_file(path)
    assert wv.words == tuple(WORDS) and np.allclose(wv.vectors, VECS)


def test_load_binary_vectors(tmp_path):
    path = tmp_path / "v.bin"
    _write_bin(path, WORDS, VECS)
    wv = load_vectors_file(path)
    assert wv.words == tuple(WORDS) and np.allclose(wv.vectors, VECS)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("a 1 2\nb 1\n", ":2: expected 2 numbers"),
        ("a 1 x\n", ":1: the numbers"),
        ("3 2\n", "no vectors"),
    ],
)
def test_malformed_text_files_name_the_line(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        load_vectors_file(path)


def test_truncated_binary_file(tmp_path):
    path = tmp_path / "v.bin"
    _write_bin(path, WORDS, VECS)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ValueError, match="cut off"):
        load_vectors_file(path)


def test_not_utf8_and_missing(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9 1 2\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        load_vectors_file(path)
    with pytest.raises(ValueError, match="no such file"):
        load_vectors_file(tmp_path / "nope.txt")


def test_resolve_unknown_name_lists_what_exists():
    with pytest.raises(LookupError, match="no embedding named"):
        wvmod.resolve("no-such-model")


@pytest.fixture
def vec_file(tmp_path):
    path = tmp_path / "toy.vec"
    path.write_text("\n".join(f"{w} " + " ".join(str(x) for x in v) for w, v in zip(WORDS, VECS, strict=True)))
    return path


def test_cli_neighbors_analogy_embed(capsys, vec_file):
    import json

    from viz_app.cli import main

    assert main(["neighbors", "apple", "--model", str(vec_file), "--k", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["word"] == "apple" and data["neighbors"][0][0] == "banana"
    assert main(["analogy", "man", "woman", "king", "--model", str(vec_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"][0][0] == "queen"
    assert main(["embed", "king", "zebra", "--model", str(vec_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unknown"] == ["zebra"] and len(data["vectors"]["king"]) == 4


def test_cli_evaluations(capsys, vec_file, tmp_path):
    import json

    from viz_app.cli import main

    q = tmp_path / "q.txt"
    q.write_text(": gender\nman woman king queen\n")
    assert main(["evaluate-analogies", str(q), "--model", str(vec_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["top1"] == 1.0
    s = tmp_path / "s.tsv"
    s.write_text("apple\tbanana\t9\nman\tking\t5\napple\tking\t0.5\n")
    assert main(["evaluate-similarity", str(s), "--model", str(vec_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["spearman"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "argv",
    [
        ["neighbors", "zebra"],
        ["neighbors", "apple", "--k", "0"],
        ["analogy", "man", "woman", "zebra"],
        ["evaluate-analogies", "MISSING"],
    ],
)
def test_cli_bad_input_gives_status_2(capsys, vec_file, argv):
    from viz_app.cli import main

    code = main([*argv, "--model", str(vec_file)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1


def test_cli_malformed_vectors_file_names_the_line(capsys, tmp_path):
    from viz_app.cli import main

    bad = tmp_path / "bad.vec"
    bad.write_text("a 1 2\nb 1 2 3\n")
    assert main(["neighbors", "a", "--model", str(bad)]) == 2
    assert "bad.vec:2" in capsys.readouterr().err
