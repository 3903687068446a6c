"""The outbox's one shared exception."""


class PermanentFailure(Exception):
    """The provider refused the address or number for good."""
