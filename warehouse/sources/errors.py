"""The one error the extraction step raises, so the nightly job can fail a source, not the run."""

from __future__ import annotations


class SourceError(RuntimeError):
    """A source could not be read or downloaded.

    The message is shown to operators and may end up in alerts, so whoever raises it passes
    URLs through `redact` and never includes a token: the message is safe to print as is.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status that ended the fetch, when there was one
