"""What a file's reader tells a person about the file as a whole: a code and a sentence.

The code is the contract (ops.file_warnings.code; a check selects by it), the message is for
people and may be reworded. One value per warning, from the parser to the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WarningCode = Literal[
    "unknown_columns",  # header columns that map to no canonical column: kept in the raw file
    "blank_rows",  # rows with no value in any column of the kind, or no data row at all
    "bad_encoding",  # rows rejected for a NUL byte or bytes that are not UTF-8
    "totals_mismatch",  # a report's totals row does not match the rows that loaded
    "unknown_metrics",  # a scoreboard answer's metric or group codes scoreboard.toml lacks
    "incomplete_answer",  # a scoreboard answer that is one page of several
]


@dataclass(frozen=True)
class FileWarning:
    code: WarningCode
    message: str
