"""One clock for every command that judges time: `--as-of`, else `[run] as_of`, else now.

The warehouse stores every timestamp in Vietnam local time (naive), so "now" is Vietnam's.
`cchc run`, `ingest`, `checks` and `report` all resolve their moment here, so the same
configuration judges the same way whichever command runs.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_DAY = time(23, 59)


def vietnam_now() -> datetime:
    """Naive Vietnam local time: the warehouse stores every timestamp in Asia/Ho_Chi_Minh."""
    return datetime.now(VIETNAM).replace(tzinfo=None)


def parse_as_of(text: str) -> datetime:
    """'2025-01-15' → the end of that day (everything loaded that day counts); a full ISO
    timestamp is taken as it is. Raises ValueError with the text in words."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use one such as 2025-01-15") from None
    return datetime.combine(moment.date(), END_OF_DAY) if len(text.strip()) == 10 else moment


def judging_moment(as_of: datetime | date | None, configured: datetime | None) -> datetime:
    """The moment a command judges: its --as-of, else the configuration's, else now."""
    if isinstance(as_of, datetime):
        return as_of
    if isinstance(as_of, date):
        return datetime.combine(as_of, END_OF_DAY)
    return configured or vietnam_now()
