"""The course outline: chapters and lessons in the lecture's order, with their explanations.

Lesson ids are short and stable: the CLI (``viz-app screenshot --lesson ID``),
settings and guided tours refer to them. ``ready`` says whether the lesson's
view exists yet; the others show a "coming in a later version" page that says
what they will show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    id: str
    chapter: str
    title: str
    ready: bool
    summary: str  # one line for the navigator's tooltip and the placeholder page
    explanation: str  # a few short paragraphs (simple HTML) for the explanation panel
    planned: tuple[str, ...] = ()  # what a lesson not yet ready will show


CHAPTERS = (
    "Generative vs discriminative AI",
    "Word embedding",
    "Document embedding",
    "RNN and LSTM",
    "Seq2Seq",
    "Attention",
    "Self-attention",
    "Transformer",
    "BERT",
    "GPT",
)

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="generative",
        chapter="Generative vs discriminative AI",
        title="Generative vs discriminative",
        ready=True,
        summary="Discriminative AI predicts labels; generative AI generates new data samples.",
        explanation=(
            "<p><b>Discriminative AI</b> predicts labels or classifications based on its training set: "
            "is this review positive or negative?</p>"
            "<p><b>Generative AI</b> generates new data samples based on its training set: articles, "
            "images, music, a love letter written on request.</p>"
            "<p>Type a movie review or the start of a story: on the left, a sentiment classifier trained here on "
            "movie reviews labels it (the most accurate of the BERT lesson's three, named on the page); on the "
            "right, the small GPT trained here writes a continuation.</p>"
        ),
        planned=(
            "A sentiment classifier fine-tuned here labels the review you type.",
            "A small GPT trained here continues the same text: one model labels, the other writes.",
        ),
    ),
    Lesson(
        id="word-embedding",
        chapter="Word embedding",
        title="Word embedding lab",
        ready=True,
        summary="One-hot vectors, counting-based (co-occurrence, GloVe) and prediction-based (CBOW, skip-gram) embeddings.",
        explanation=(
            "<p>Word embedding turns a <i>word</i> into a <i>vector</i> of numbers. It is a dimension "
            "reduction: a one-hot vector as long as the vocabulary becomes a short dense vector.</p>"
            "<p><b>Counting-based:</b> if two words often co-occur, their vectors should be close "
            "(GloVe fits w<sub>i</sub>·w̃<sub>j</sub> + b<sub>i</sub> + b̃<sub>j</sub> ≈ log X<sub>ij</sub>).</p>"
            "<p><b>Prediction-based:</b> use a word to predict the next one, or (CBOW) a word from its "
            "context, or (skip-gram) the context from a word, by minimising cross entropy.</p>"
        ),
        planned=(
            "Four embeddings trained here on the same corpus (PPMI-SVD, GloVe, CBOW, skip-gram).",
            "The vocabulary projected in 2D (PCA, t-SNE, UMAP) with nearest neighbours and analogies.",
            "The GloVe ratio table P(k|ice) / P(k|steam) computed from the corpus, and live training.",
        ),
    ),
    Lesson(
        id="bow",
        chapter="Document embedding",
        title="Bag of words",
        ready=True,
        summary="Each document becomes a <word, count> map; compare documents by distance, cosine or dot product.",
        explanation=(
            "<p>Can a whole document be embedded too? A word sequence of any length becomes a vector "
            "of one fixed length that stands for its meaning.</p>"
            "<p><b>Bag of words (BOW)</b> treats a sentence or a document as a bag of words: each "
            "document becomes a &lt;word, count&gt; map. Over the vocabulary of all documents that map "
            "is a count vector.</p>"
            "<p><b>Document similarity:</b> Euclidean distance (small = similar), cosine (the angle; "
            "1 = same direction, whatever the length) or the dot product (grows with length).</p>"
            "<p><b>The problem of BOW:</b> the order of the words is ignored, so "
            "<i>dog bites man</i> and <i>man bites dog</i> get the same vector.</p>"
            "<p><i>Type one document per line.</i></p>"
        ),
    ),
    Lesson(
        id="rnn-toy",
        chapter="RNN and LSTM",
        title="RNN basics (toy network)",
        ready=True,
        summary="The lecture's toy RNN: all weights 1, no bias, linear activations, two memory cells.",
        explanation=(
            "<p>An RNN is designed for time series: it reads one input vector per step and keeps "
            "<b>memory</b> of what it has seen.</p>"
            "<p>In this toy network all the weights are 1, there is no bias and all activations are "
            "linear. The two memory cells start at 0; after each step they store the hidden values.</p>"
            "<p>Input [1,1], [1,1], [2,2] gives output [4,4], [12,12], [32,32]. "
            "<b>Changing the sequence order changes the output</b>, because the memory carries the past.</p>"
            "<p>A <b>bi-directional RNN</b> runs a second network from the end to the start, so each "
            "output sees the whole sequence.</p>"
            "<p><i>Edit the vectors in the table, or type them in the input as 1,1; 1,1; 2,2.</i></p>"
        ),
    ),
    Lesson(
        id="lstm",
        chapter="RNN and LSTM",
        title="LSTM gates",
        ready=True,
        summary="A word-level LSTM language model trained here: input, forget and output gates step by step.",
        explanation=(
            "<p>LSTM is the best-known RNN. Its cell keeps a memory c<sup>t</sup>; an <b>input gate</b> "
            "decides what to write, a <b>forget gate</b> what to keep of c<sup>t-1</sup>, an "
            "<b>output gate</b> what to show: c<sub>t</sub> = f<sub>t</sub>·c<sub>t-1</sub> + "
            "i<sub>t</sub>·g<sub>t</sub>, h<sub>t</sub> = o<sub>t</sub>·tanh(c<sub>t</sub>).</p>"
            '<p>A language model scores a sentence by the chain rule: P("beat a bad Alice") = '
            "P(beat|START) P(a|beat) P(bad|a) P(Alice|bad).</p>"
        ),
        planned=(
            "Gate values i, f, o, g and the cell state c for every word of your sentence.",
            "P(word | words before it) for each word, against a bigram model.",
            "Next-word predictions and generation, step by step.",
        ),
    ),
    Lesson(
        id="seq2seq",
        chapter="Seq2Seq",
        title="Encoder, context vector, decoder",
        ready=True,
        summary='Translate "je suis étudiant" into "i am a student" with an encoder-decoder trained here.',
        explanation=(
            "<p>Seq2Seq is built by two RNN or LSTM models. The <b>encoder</b> converts the input sequence of "
            "length M into a vector with a fixed length, the <b>context vector</b>, composed of the important "
            "information of the input. The <b>decoder</b> generates words from the context vector, one at a "
            "time, until it says &lt;end&gt;: a sequence of length N.</p>"
            "<p>p(y<sub>1</sub>…y<sub>T'</sub> | x<sub>1</sub>…x<sub>T</sub>) = Π<sub>t</sub> "
            "p(y<sub>t</sub> | v, y<sub>1</sub>…y<sub>t−1</sub>): type French and step through the decoder; "
            "force another word at any step and watch the rest change.</p>"
            "<p><b>Beam search</b> keeps the k best partial outputs instead of the single best word. The same "
            "model trained on dialogue turns becomes a <b>chatbot</b> (choose it in the Model box).</p>"
        ),
    ),
    Lesson(
        id="attention",
        chapter="Attention",
        title="Attention alignments",
        ready=True,
        summary="At each output step the decoder weighs every encoder state: c = Σ α h.",
        explanation=(
            "<p>One fixed context vector must hold the whole input. With <b>attention</b>, each decoder "
            "step builds its own context: c<sup>t</sup> = Σ<sub>i</sub> α̂<sub>t</sub><sup>i</sup> h<sup>i</sup>, "
            "a weighted sum of the encoder states, with weights from a softmax.</p>"
            "<p>For example c<sup>0</sup> = 0.5 h<sup>1</sup> + 0.5 h<sup>2</sup>.</p>"
            "<p>The map shows, for each English word, the weights over the French words: "
            "<i>je → i, suis → am, étudiant → student</i>. Compare the same translator trained "
            "without attention, sentence length by sentence length.</p>"
        ),
    ),
    Lesson(
        id="self-attention",
        chapter="Self-attention",
        title="Self-attention: q, k, v",
        ready=True,
        summary="Every output b_i looks at the whole input sequence; all of them are computed in parallel.",
        explanation=(
            "<p>In <b>self-attention</b> b<sub>i</sub> is obtained based on the whole input sequence, and "
            "b<sub>1</sub>, b<sub>2</sub>, b<sub>3</sub>, b<sub>4</sub> can be computed in parallel: you can try "
            "to replace anything that has been done by an RNN with self-attention. It finds the relevant vectors "
            "in a sequence, and can be the input or a hidden layer.</p>"
            "<p>Each input gives a <b>query</b> q, a <b>key</b> k and a <b>value</b> v; the scores q·k, divided "
            "by √d<sub>k</sub>, pass through a <b>softmax</b> and weigh the values: "
            "Z = softmax(QK<sup>T</sup>/√d<sub>k</sub>)V.</p>"
            "<p>Self-attention is used in vision too: the <i>Vision</i> tab runs a self-attention GAN (SAGAN) "
            "trained here on handwritten digits.</p>"
        ),
        planned=(
            "Q = XW<sup>Q</sup>, K = XW<sup>K</sup>, V = XW<sup>V</sup>, the scores and the softmax, with real numbers.",
        ),
    ),
    Lesson(
        id="transformer",
        chapter="Transformer",
        title="Transformer: heads and decoding",
        ready=True,
        summary='"Thinking Machines": 8 heads, concatenate Z, multiply by W^O; positional encoding; step-by-step decoding.',
        explanation=(
            "<p>1) This is our input sentence. 2) We embed each word. 3) Split into 8 heads: multiply X (or, above "
            "the first encoder, the output of the encoder below) by W<sup>Q</sup>, W<sup>K</sup>, W<sup>V</sup>. "
            "4) Calculate attention using the resulting Q/K/V matrices. 5) Concatenate the resulting Z matrices, "
            "then multiply with W<sup>O</sup> to produce the output of the layer.</p>"
            "<p>The decoder attends to its own earlier words (masked: never to later ones) and to the encoder's "
            "output, and produces the translation one time step at a time.</p>"
            "<p>Positional encoding (in the self-attention lesson) gives the model the word order that attention "
            "alone ignores.</p>"
        ),
        planned=("Per-head attention maps, a model view of every layer and head, and decoding time steps.",),
    ),
    Lesson(
        id="bert",
        chapter="BERT",
        title="BERT: masked LM",
        ready=True,
        summary="Bidirectional encoder pre-trained by predicting masked words and next sentences.",
        explanation=(
            "<p><b>BERT</b>: Bidirectional Encoder Representation from Transformers, built by multiple "
            "Transformers' encoders. Features: bidirectionality, pre-training, semantic representation. Objective: a "
            "universal language representation model to be <b>fine-tuned</b> for various NLP tasks.</p>"
            "<p>Pre-training, approach 1: <b>masked LM</b>, predicting the masked word. Approach 2: <b>next sentence "
            "prediction</b>, are the two sentences consecutive?</p>"
            "<p>Put [MASK] into your sentence to see the tiny BERT trained here guess the word from both sides; "
            "compare a word's vectors in different sentences; see the fine-tuned sentiment head.</p>"
        ),
        planned=("Top predictions for every [MASK] in your sentence, attention maps, fine-tuned sentiment.",),
    ),
    Lesson(
        id="gpt",
        chapter="GPT",
        title="GPT: next-word prediction",
        ready=True,
        summary="A generative pre-trained Transformer that predicts the next word and writes text.",
        explanation=(
            "<p><b>GPT</b>: Generative Pre-trained Transformer. Features: generative model, large-scale pre-training, "
            "transfer learning. Objective: a universal language model to understand and generate text.</p>"
            "<p>It learns the language by <b>predicting the next word</b>, reading the text in one direction only, "
            "and generates new text one token at a time: each step samples from the distribution you see here, "
            "reshaped by temperature, top-k and top-p.</p>"
            "<p><b>GPT vs BERT</b>: next word vs masked words and next sentences; unidirectional vs bidirectional; "
            "both are fine-tuned by adjusting the last layer.</p>"
        ),
        planned=("The next-token distribution with temperature, top-k and top-p, and streamed generation.",),
    ),
)

_BY_ID = {lesson.id: lesson for lesson in LESSONS}


def lesson(lesson_id: str) -> Lesson:
    try:
        return _BY_ID[lesson_id]
    except KeyError:
        raise KeyError(f"no lesson {lesson_id!r}; lessons: {', '.join(_BY_ID)}") from None


def lesson_ids() -> list[str]:
    return [lesson.id for lesson in LESSONS]


def to_json() -> list[dict]:
    return [
        {"id": x.id, "chapter": x.chapter, "title": x.title, "ready": x.ready, "summary": x.summary} for x in LESSONS
    ]
