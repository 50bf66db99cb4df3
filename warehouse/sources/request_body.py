"""The JSON body of a POST source, with its placeholders filled from the run's as-of day.

The national portal is asked for a period ("year 2026, quarter 1"), and the period a nightly
run wants moves with the calendar, so cchc.toml writes the body once with placeholders and each
run fills them from its own as-of day (`--as-of`, `[run] as_of`, else today): the same day the
answer's snapshot is dated by, so a run for a past day asks what that day would have asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from warehouse.sources.errors import SourceError

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A string that is only one of these becomes a JSON number: the portal wants "year": 2026.
NUMERIC = ("year", "quarter", "month")


def placeholders(as_of: date) -> dict[str, int | str]:
    """{year}, {quarter}, {month} and {as_of} (ISO, 2026-01-15) of a day."""
    return {
        "year": as_of.year,
        "quarter": (as_of.month - 1) // 3 + 1,
        "month": as_of.month,
        "as_of": as_of.isoformat(),
    }


def fill_body(body: Mapping[str, Any], as_of: date, *, source: str = "source") -> dict[str, Any]:
    """A copy of `body` with every placeholder filled; a value that is exactly `{year}`,
    `{quarter}` or `{month}` becomes a number, any other text has them written in.

    An unknown `{name}` is a SourceError naming it (a typo such as `{yaer}` would otherwise
    reach the portal and come back as an error envelope at 2 a.m.).
    """
    values = placeholders(as_of)

    def fill(value: Any, where: str) -> Any:
        if isinstance(value, Mapping):
            return {key: fill(item, f"{where}.{key}") for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item, f"{where}[{i}]") for i, item in enumerate(value)]
        if not isinstance(value, str):
            return value
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and whole.group(1) in NUMERIC:
            return values[whole.group(1)]
        unknown = [name for name in _PLACEHOLDER.findall(value) if name not in values]
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in values)
            raise SourceError(
                f"{source}: body{where} = {value!r} names {{{unknown[0]}}}; use {known}"
            )
        return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), value)

    return fill(body, "")
