"""Loading the bundled LSTM and bigram models (int8 or float16 files -> float32 models)."""

from __future__ import annotations

from pathlib import Path


def load_lstm_file(path: Path, vocab_size: int, config):
    from safetensors.torch import load_file

    from viz_app.core.lstm.model import LstmConfig, LstmLanguageModel
    from viz_app.core.quantize import dequantize

    model = LstmLanguageModel(LstmConfig(vocab_size, config.dim, config.layers, config.dropout))
    state = dequantize(load_file(str(path)))
    model.load_state_dict(state)
    model.eval()
    return model
