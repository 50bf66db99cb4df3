"""Opening the warehouse: writers on a private copy published atomically, readers read-only.

Writers take an exclusive lock file first and wait for it, so two loads queue instead of
failing on DuckDB's own lock; see `write_session` for why readers are never blocked.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from warehouse.sqlfiles import run_sql_file, sql_files

if TYPE_CHECKING:  # a reader (`cchc sql`) never builds a frame: Polars is imported by writers
    import polars as pl

DATE_RANGE = (date(2015, 1, 1), date(2035, 12, 31))
# DuckDB spills beyond this; with Polars batches beside it a 2M-row file peaks near 1.1 GiB.
MEMORY_LIMIT = os.environ.get("CCHC_DUCKDB_MEMORY", "512MB")


@contextmanager
def write_session(warehouse: Path) -> Iterator[Path]:
    """A private working copy of the warehouse, published atomically when the session ends well.

    DuckDB allows one writing process or many reading ones on a file, never both. So writers
    never touch the published file: they take the lock, copy it aside, write the copy, checkpoint
    it and rename it over the published one. A reader keeps the file it opened (the old inode)
    until it closes, so it sees the state before or the state after a load, never a mix, and is
    never refused. A session that fails or is killed leaves the published file as it was.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    working = warehouse.with_name(f".{warehouse.name}.next")
    with (warehouse.parent / f".{warehouse.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in (working, working.with_name(working.name + ".wal")):
            leftover.unlink(missing_ok=True)  # a killed session's copy and its log
        discard_uncommitted_archives(warehouse)
        if warehouse.exists():
            shutil.copyfile(warehouse, working)
        try:
            yield working
        except BaseException:
            working.unlink(missing_ok=True)
            raise
        os.replace(working, warehouse)
        directory = os.open(warehouse.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)


def discard_uncommitted_archives(warehouse: Path, *, older_than: float | None = None) -> list[Path]:
    """Remove the archives (data/raw) of files that no warehouse of the folder recorded.

    Run by every write session under the writer lock (see archive.discard_uncommitted for why
    that cannot take a copy a waiting load still needs). Every published warehouse beside this
    one shares data/raw, so all their ops.files count; when one cannot be read, or this one
    does not exist yet (nothing to judge by, and a warehouse deleted to be rebuilt from
    data/raw must not take the archive with it), nothing is removed.
    """
    from warehouse.archive import PROCESS_STARTED, discard_uncommitted

    raw_dir = warehouse.parent / "raw"
    if not warehouse.exists() or not raw_dir.is_dir():
        return []
    committed: set[str] = set()
    for published in sorted(warehouse.parent.glob("*.duckdb")):
        if published.name.startswith("."):
            continue
        try:
            with duckdb.connect(str(published), read_only=True) as con:
                # inline, not in sql/: one lookup of this module's own bookkeeping
                has_files = con.execute(
                    "SELECT count(*) FROM duckdb_tables() "
                    "WHERE schema_name = 'ops' AND table_name = 'files'"
                ).fetchone()[0]
                if has_files:
                    rows = con.execute("SELECT DISTINCT sha256 FROM ops.files").fetchall()
                    committed.update(sha for (sha,) in rows)
                elif published == warehouse:
                    return []
        except duckdb.Error:
            return []
    return discard_uncommitted(raw_dir, committed, older_than=older_than or PROCESS_STARTED)


@contextmanager
def connect_working(working: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a session's working copy, schema in place, checkpointed on close."""
    tmp = working.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    con = duckdb.connect(
        str(working), config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(tmp)}
    )
    try:
        ensure_schema(con)
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()


@contextmanager
def open_writer(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write session with one connection: the common case (ingest, checks, tests)."""
    with write_session(warehouse) as working, connect_working(working) as con:
        yield con


def open_reader(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}; load one with `cchc ingest` first")
    return duckdb.connect(str(warehouse), read_only=True)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; safe to run on every open."""
    for name in sql_files("schema"):
        run_sql_file(con, name)
    if con.execute("SELECT count(*) FROM core.dim_date").fetchone()[0] == 0:
        dates = date_dimension(*DATE_RANGE)
        run_sql_file(con, "load/shared/insert_dates.sql", incoming=dates.to_arrow())
    if con.execute("SELECT count(*) FROM core.dim_province").fetchone()[0] == 0:
        _insert_admin_units(con)
    from warehouse.dictionary import apply_comments

    apply_comments(con, "core")


def _insert_admin_units(con: duckdb.DuckDBPyConnection) -> None:
    """The provinces and crosswalks of 2025, registered by name for the one SQL file that
    inserts them (small tables: about 10,700 rows, read once per process)."""
    from warehouse.admin_units import load_admin_units

    units = load_admin_units()
    tables = {
        "provinces": units.provinces,
        "province_crosswalk": units.province_crosswalk,
        "ward_crosswalk": units.ward_crosswalk,
    }
    for name, frame in tables.items():
        con.register(name, frame.to_arrow())
    try:
        run_sql_file(con, "load/shared/insert_admin_units.sql")
    finally:
        for name in tables:
            con.unregister(name)


def date_dimension(first: date, last: date) -> pl.DataFrame:
    """One row per day; weekends and Vietnamese public holidays (Tết included) are not working.

    Built once per warehouse, so `holidays` (a third of a second to import) is imported here.
    """
    import holidays
    import polars as pl

    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    vn = holidays.country_holidays("VN", years=range(first.year, last.year + 1), language="vi")
    return pl.DataFrame(
        {
            "date": days,
            "holiday_name": [vn.get(d) for d in days],
        },
        schema={"date": pl.Date, "holiday_name": pl.String},
    ).with_columns(
        pl.col("date").dt.year().cast(pl.Int32).alias("year"),
        pl.col("date").dt.quarter().cast(pl.Int32).alias("quarter"),
        pl.col("date").dt.month().cast(pl.Int32).alias("month"),
        ((pl.col("date").dt.weekday() <= 5) & pl.col("holiday_name").is_null()).alias(
            "is_working_day"
        ),
    )
