"""The one error the extraction step raises, so the nightly job can fail a source, not the run.

It says whether trying again later may help (`transient`): the nightly flow retries a source
only then, so a 404 is asked for once and a 2 GiB export refused for its size is not streamed
a second time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_noted: ContextVar[list[SourceError] | None] = ContextVar("cchc_source_errors", default=None)


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
        noted = _noted.get()
        if noted is not None:
            noted.append(self)


def is_transient(error: BaseException | None) -> bool:
    """Whether `error` is a SourceError worth another attempt later; anything else is not."""
    return isinstance(error, SourceError) and error.transient


@contextmanager
def noting_source_errors() -> Iterator[list[SourceError]]:
    """The SourceErrors raised in this thread (context) within the block, oldest first.

    For a caller that only gets a message back: `pipeline.extract` turns the error that ended
    a fetch into a failed result holding its text, and the nightly flow still needs to know
    whether that failure was transient. The last one noted is the one that ended the fetch
    (nothing in `warehouse.sources` catches a SourceError and carries on). A field on
    `pipeline.Extracted` would make this unnecessary.
    """
    noted: list[SourceError] = []
    token = _noted.set(noted)
    try:
        yield noted
    finally:
        _noted.reset(token)
