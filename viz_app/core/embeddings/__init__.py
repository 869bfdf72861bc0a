"""Training the four word embeddings of the lecture: counting-based (PPMI + SVD, GloVe) and
prediction-based (CBOW, skip-gram). All share one encoded corpus and vocabulary."""
