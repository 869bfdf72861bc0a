"""Loading the bundled LSTM and bigram models (float16 files -> float32 models)."""

from __future__ import annotations

from pathlib import Path


def load_lstm_file(path: Path, vocab_size: int, config):
    from safetensors.torch import load_file

    from viz_app.core.lstm.model import LstmConfig, LstmLanguageModel

    model = LstmLanguageModel(LstmConfig(vocab_size, config.dim, config.layers, config.dropout))
    state = {k: v.float() for k, v in load_file(str(path)).items()}
    model.load_state_dict(state)
    model.eval()
    return model
