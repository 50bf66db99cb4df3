"""Dossier lists (danh sách hồ sơ) as CSV, in the forms vendor releases write them.

One writer for the demo's dossier lists and the benchmark's large files: a frame with the
contract's canonical columns goes out under the header texts of a release (from the
vocabulary, see headers.py), with the release's separator, BOM, line ends, date-time format and
yes/no words. Frames can be appended one after another (the header goes first, on its own),
so a file of millions of rows is written in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from warehouse.demo.headers import Release, columns

DMY_HMS = "%d/%m/%Y %H:%M:%S"


@dataclass(frozen=True)
class DossierCsv:
    """How a vendor release writes a dossier list."""

    header: Release = field(default_factory=Release)
    separator: str = ","
    bom: bool = True
    newline: str = "\r\n"
    timestamp: str = DMY_HMS
    yes: str = "Có"
    no: str = "Không"

    def header_texts(self, names: tuple[str, ...] | None = None) -> list[str]:
        return self.header.header("dossiers", names or columns("dossiers"))

    def write(self, path: Path, frames: Iterable[pl.DataFrame]) -> Path:
        """Write the frames (canonical columns, in contract order) to `path`, header first."""
        with Path(path).open("wb") as out:
            self._write_header(out)
            for frame in frames:
                self._cells(frame).write_csv(
                    out,
                    include_header=False,
                    separator=self.separator,
                    line_terminator=self.newline,
                    datetime_format=self.timestamp,
                )
        return Path(path)

    def _write_header(self, out: BinaryIO) -> None:
        # an empty frame writes the BOM and the header line, so an empty list still has both
        pl.DataFrame(schema={h: pl.String for h in self.header_texts()}).write_csv(
            out, include_bom=self.bom, separator=self.separator, line_terminator=self.newline
        )

    def _cells(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Yes/no flags as the release's words; empty text as an empty cell (not `""`)."""
        if tuple(frame.columns) != columns("dossiers"):
            raise ValueError(f"dossier columns should be {columns('dossiers')}")
        flags = [name for name, dtype in frame.schema.items() if dtype == pl.Boolean]
        words = [
            pl.when(pl.col(c)).then(pl.lit(self.yes)).when(~pl.col(c)).then(pl.lit(self.no))
            for c in flags
        ]
        frame = frame.with_columns(w.alias(c) for w, c in zip(words, flags, strict=True))
        return frame.with_columns(pl.when(pl.col(pl.String) != "").then(pl.col(pl.String)))


# The two vendor releases the demo's dossier lists (and the test fixtures) are written in:
# the first synonyms, `,`, UTF-8 with BOM, CRLF, dd/mm/yyyy HH:MM:SS and Có/Không; and a later
# release with the second synonyms (for the service level the third, "Mức độ"), `;`, no BOM,
# LF, ISO date-times and 1/0.
FIRST_RELEASE = DossierCsv()
LATER_RELEASE = DossierCsv(
    header=Release(synonym=1, texts={"service_level": "Mức độ"}),
    separator=";", bom=False, newline="\n", timestamp="%Y-%m-%dT%H:%M:%S", yes="1", no="0",
)  # fmt: skip
