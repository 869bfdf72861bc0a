"""Recurrent networks small enough to read: the toy RNN with every weight 1."""
