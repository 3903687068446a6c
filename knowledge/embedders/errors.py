"""The one error every embedder raises."""


class EmbeddingError(RuntimeError):
    """The embedding provider failed (down, bad response); the caller may retry."""
