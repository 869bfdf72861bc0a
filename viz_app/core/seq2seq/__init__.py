"""Seq2Seq: a GRU encoder-decoder, with or without attention, for French -> English and a chatbot."""
