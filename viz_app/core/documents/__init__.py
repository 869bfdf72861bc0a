"""Document embedding: the bag-of-words model and its distances."""
