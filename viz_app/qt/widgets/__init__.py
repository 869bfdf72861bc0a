"""Reusable widgets, one file per kind; lessons compose them."""
