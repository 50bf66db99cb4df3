"""Helpers of the demo tests: files as the extractor saves them, what the warehouse holds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import polars as pl

from warehouse.demo.manifest import DemoFile
from warehouse.demo.model import COUNTS
from warehouse.demo.server import PAGE_SIZE
from warehouse.demo.today import today_of
from warehouse.sources.json_pages import combine_json_pages


def served_file(folder: Path, file: DemoFile, work: Path) -> Path:
    """The file as the extractor saves it: a paged export becomes one combined document, a
    national portal's answer is the file that answers its body."""
    if file.answer is not None:
        return folder / file.answer
    name, path = file.name, folder / file.name
    if file.format != "json-pages":
        return path
    records = json.loads(path.read_bytes())
    chunks = [records[i : i + PAGE_SIZE] for i in range(0, len(records), PAGE_SIZE)]
    pages = [
        json.dumps({"data": chunk, "page": n, "total_pages": len(chunks)}).encode()
        for n, chunk in enumerate(chunks, start=1)
    ]
    combined = work / f"{folder.name}-{Path(name).name}"
    combined.write_bytes(combine_json_pages(pages))
    return combined


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def kpi(warehouse: Path, where: str) -> dict[tuple, float]:
    """{(sector or portal, metric, basis, year): value} of the year rows matching `where`."""
    rows = query(
        warehouse,
        "SELECT coalesce(portal_code, sector), metric, basis, year(period_start), value "
        f"FROM mart.kpi WHERE period_grain = 'year' AND {where}",
    )
    return {tuple(row[:4]): row[4] for row in rows}


def monthly_counts(warehouse: Path, unit_of: dict[str, str]) -> pl.DataFrame:
    """Every report count loaded, summed per unit (`unit_of`: portal → unit), year and month."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT portal_code, year(period_from) AS year, month(period_from) AS month, "
            + ", ".join(f"sum({c}) AS {c}" for c in COUNTS)
            + " FROM core.fact_report GROUP BY ALL"
        ).pl()
    units = pl.DataFrame(
        {"portal_code": list(unit_of), "unit": list(unit_of.values())}
    )  # a portal the mapping leaves out is left out
    return (
        rows.join(units, on="portal_code")
        .group_by("unit", "year", "month")
        .agg(pl.col(COUNTS).sum())
        .sort("unit", "year", "month")
    )


def today_province(province_code: str | None, sector: str, portal: str) -> str:
    """The unit a portal's counts pool into: today's province (localities), else the portal."""
    return today_of()[province_code].gso_code if sector == "locality" else portal
