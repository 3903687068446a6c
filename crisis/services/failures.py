"""The outbox's shared exceptions."""


class PermanentFailure(Exception):
    """The provider refused the address or number for good."""


class Skipped(Exception):
    """Nothing to send, by design (`Delivery.SkipReason`: opted out, ended, no address or no way to send on the
    channel): the row is skipped, counted apart from the failures."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
