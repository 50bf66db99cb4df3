"""The one error the extraction step raises, so the nightly job can fail a source, not the run.

It says whether trying again later may help (`transient`): the nightly flow retries a source
only then, so a 404 is asked for once and a 2 GiB export refused for its size is not streamed
a second time.
"""

from __future__ import annotations


class SourceError(RuntimeError):
    """A source could not be read or downloaded.

    The message is shown to operators and may end up in alerts, so whoever raises it passes
    URLs through `redact` and never includes a token: the message is safe to print as is.

    `transient` is True for failures the server may answer differently later (connection
    errors, timeouts, 408, 429, 5xx, a body cut short), once the HTTP layer's own retries are
    spent; False for permanent ones (other 4xx, a body over `max_bytes`, a TLS failure, a
    missing token, a missing folder, a broken page sequence), which no retry can fix.
    """

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status that ended the fetch, when there was one
        self.transient = transient


def is_transient(error: BaseException | None) -> bool:
    """Whether `error` is a SourceError worth another attempt later; anything else is not."""
    return isinstance(error, SourceError) and error.transient
