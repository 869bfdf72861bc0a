"""The RNN and LSTM lesson's language models: a word-level LSTM whose gates can be read, and a bigram model."""
