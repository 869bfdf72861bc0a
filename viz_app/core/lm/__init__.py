"""BERT and GPT: a tiny masked language model and a tiny next-token model trained here, sharing one tokenizer.

data.py and tokenizer.py are torch-free; model.py, train.py and probes.py use torch.
"""
