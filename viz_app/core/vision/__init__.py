"""Self-attention in vision: a small SAGAN trained here on 8x8 handwritten digits (torch lives in sagan.py)."""
