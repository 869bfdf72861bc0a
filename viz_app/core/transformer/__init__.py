"""A small Transformer encoder-decoder trained here (French -> English), with every attention weight readable."""
