"""``viz-app self-test``: every bundled model loads and every ready lesson runs once.

Installers run it after installing; it needs no window.
"""

from __future__ import annotations

import time

from viz_app.core.documents import bag_of_words
from viz_app.core.registry import ModelStore, Registry, RegistryError
from viz_app.core.rnn import toy as toy_rnn


def _check(name: str, fn) -> dict:
    start = time.perf_counter()
    try:
        detail = fn()
        ok = True
    except Exception as exc:  # noqa: BLE001 - each failure is reported, the rest still run
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return {"name": name, "ok": ok, "detail": detail, "seconds": round(time.perf_counter() - start, 4)}


def model_loader(kind: str):
    """The function the lessons build a model of this kind with, ``loader(registry, name)``; None for a kind
    that is only data (its tensors are read instead)."""
    if kind in ("bert", "gpt", "bert-sentiment"):
        from viz_app.core.lm import probes

        return probes.load
    if kind == "bert-author":
        from viz_app.core.lm import author

        return author.load
    if kind == "bow-sentiment":
        from viz_app.core.lm import bow_classifier

        return bow_classifier.load
    if kind in ("lstm-lm", "bigram-lm"):
        from viz_app.core.lstm import probes

        return probes.load
    if kind == "seq2seq":
        from viz_app.core.seq2seq import probes

        return probes.load
    if kind == "transformer":
        from viz_app.core.transformer import probes

        return probes.load
    if kind == "sagan":
        from viz_app.core.vision import sagan

        return sagan.load
    if kind == "word-embedding":
        from viz_app.core.embeddings import word_vectors

        return lambda registry, name: word_vectors.resolve(name, registry)
    if kind == "cooccurrence":
        from viz_app.core.embeddings import ratio

        return ratio.load_bundled
    if kind == "toy-rnn":
        return toy_rnn.load_bundled_weights
    return None


def run_self_test(registry: Registry | None = None) -> dict:
    registry = registry or Registry()
    store = ModelStore(registry)
    checks = []
    try:
        names = list(registry.cards())
    except RegistryError as exc:
        names = []
        checks.append({"name": "manifest", "ok": False, "detail": str(exc), "seconds": 0.0})

    def load(name: str):
        def run() -> str:
            status = registry.status(name)
            if status.status != "ok":
                raise RuntimeError("; ".join(status.problems))
            loader = model_loader(registry.card(name).kind)
            if loader is not None:  # built the way the lessons build it
                model = store.get(name, loader)
                return f"loaded as {type(model).__name__}"
            tensors = registry.load_numpy_tensors(name)
            return f"{len(tensors)} tensors, {sum(t.size for t in tensors.values())} numbers"

        return run

    for name in names:
        checks.append(_check(f"model {name}", load(name)))
    try:
        malformed = registry.malformed()
    except RegistryError:
        malformed = {}
    for label, problem in malformed.items():
        checks.append({"name": f"model {label}", "ok": False, "detail": problem, "seconds": 0.0})

    def lesson_bow() -> str:
        result = bag_of_words.analyze(list(bag_of_words.ORDER_EXAMPLE), "cosine")
        if result.same_bag_pairs != ((0, 1),):
            raise RuntimeError("dog bites man / man bites dog should share one bag of words")
        return f"dog bites man ~ man bites dog: cosine {result.matrix[0, 1]:.2f}"

    def lesson_rnn() -> str:
        result = toy_rnn.run_bundled(store, toy_rnn.LECTURE_INPUTS)
        outputs = result.to_json()["outputs"]
        if outputs != [[4, 4], [12, 12], [32, 32]]:
            raise RuntimeError(f"expected [[4,4],[12,12],[32,32]], got {outputs}")
        return f"outputs {outputs}"

    def lesson_word_embedding() -> str:
        from viz_app.core.lessons import word_embedding as embedding_lesson

        result = embedding_lesson.lesson_probe(store, embedding_lesson.MODELS[0], "the king and the queen")
        answers = [
            w for w, _ in embedding_lesson.analogy_probe(store, embedding_lesson.MODELS[0], "man", "woman", "king", 3)
        ]
        if "queen" not in answers:
            raise RuntimeError(f"man : woman :: king : ? gave {answers}")
        return f"{len(result.words)} words mapped; man : woman :: king : {answers[0]}"

    def lesson_lstm() -> str:
        from viz_app.core.lstm import probes

        gates = probes.lstm_gates(store, probes.LSTM_NAME, "once upon a time")
        scored = probes.score(store, probes.LSTM_NAME, "once upon a time")
        return f"{len(gates.tokens)} steps of gates; perplexity {scored.perplexity:.1f} per token"

    def lesson_seq2seq() -> str:
        from viz_app.core.lessons import seq2seq as lesson

        trace = lesson.decode_steps(store, lesson.ATTENTION_MODEL, "je suis étudiant .")
        if trace.output != "i am a student.":
            raise RuntimeError(f"'je suis étudiant .' gave {trace.output!r}")
        beam = lesson.beam_tree(store, lesson.ATTENTION_MODEL, "je suis étudiant .", 5)
        plain = lesson.decode_steps(store, lesson.PLAIN_MODEL, "je suis étudiant .")
        reply = lesson.decode_steps(store, lesson.CHAT_MODEL, "how are you ?")
        return (
            f"je suis étudiant . -> {trace.output} (beam 5: {len(beam.decoded.tree)} hypotheses; "
            f"without attention: {plain.output}); chatbot: how are you ? -> {reply.output}"
        )

    def lesson_transformer() -> str:
        from viz_app.core.lessons import transformer as lesson
        from viz_app.core.transformer import probes

        tr = probes.translate(store, lesson.MODEL, "je suis étudiant .")
        return f"Transformer: je suis étudiant . -> {tr.output} ({tr.encoder_attention.shape[1]} heads)"

    def lesson_vision() -> str:
        from viz_app.core.vision import sagan

        made = sagan.generate(store.get("sagan-digits", sagan.load), list(range(10)), seed=0)
        return f"SAGAN: 10 digits, attention maps {made.attention.shape[1:]}"

    def lesson_bert_gpt() -> str:
        from viz_app.core.lm import probes

        bert, gpt = store.get("bert-tiny", probes.load), store.get("gpt-tiny", probes.load)
        fill = probes.fill_mask(bert, "the little girl [MASK] to the park.", 3)
        nxt = probes.next_token(gpt, "once upon a time", top=3)
        return f"BERT [MASK] -> {fill.masks[0].predictions[0][0]}; GPT after 'once upon a time' -> {nxt.top[0][0]}"

    checks.append(_check("lesson bow", lesson_bow))
    checks.append(_check("lesson rnn-toy", lesson_rnn))
    checks.append(_check("lesson word-embedding", lesson_word_embedding))
    checks.append(_check("lesson lstm", lesson_lstm))
    checks.append(_check("lesson seq2seq and attention", lesson_seq2seq))
    # Lessons whose models come later are checked once their models are bundled.
    for needed, title, fn in (
        (("transformer",), "lesson self-attention and transformer", lesson_transformer),
        (("sagan-digits",), "lesson self-attention in vision", lesson_vision),
        (("bert-tiny", "gpt-tiny"), "lesson bert and gpt", lesson_bert_gpt),
    ):
        if all(n in names for n in needed):
            checks.append(_check(title, fn))
    return {"ok": all(c["ok"] for c in checks), "checks": checks}
