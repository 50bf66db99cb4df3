"""Refresh the marts: every file of sql/marts in name order, in one transaction.

The marts are derived data, refreshed after every load in one transaction, so a failed refresh
leaves the previous marts in place. What grows with the facts is kept, not rebuilt: the dossiers'
daily counts (sql/marts/00_dossier_days.sql) take in only the files loaded since the last
refresh, and the indicators' dossier parts (10_kpi_dossiers.sql) take in only the change of
those counts, so a night's cost follows what it loaded; everything after them is rebuilt from
those parts. `recount=True` counts every dossier afresh (the same result, as
tests/test_incremental_marts.py proves), as does an upgrade that changes the counting SQL. A
refresh with nothing to do is skipped: no file loaded rows since the last one, no export states
a later day, and the SQL, the dictionary and the configured portals are those it ran with
(mart.refresh_state), so `cchc checks` and a night without news judge at once. The configured
portals are recorded first (core.dim_portal): the pooled spans need each portal's `until` and
province.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb
import polars as pl

from warehouse.config import Portal
from warehouse.dictionary import DICTIONARY_FILE, apply_comments
from warehouse.sqlfiles import SQL_DIR, run_sql_file, sql_files

# The marts files whose counts are kept across refreshes: the day and month counts, counted
# afresh from all the facts when one of their files changes, and the indicators' parts made of
# them, counted afresh from the kept counts when theirs changes.
COUNTING_SQL = ("marts/00_dossier_days.sql", "marts/05_dossier_months.sql")
PARTS_SQL = ("marts/10_kpi_dossiers.sql",)
# Tables of an earlier release that are views now: mart.kpi_parts, over the kept parts.
TABLES_NOW_VIEWS = (("mart", "kpi_parts"),)
PORTAL_SCHEMA = {
    "portal_code": pl.String,
    "portal_name": pl.String,
    "sector": pl.String,
    "province_code_at_source": pl.String,
    "dvcqg_code": pl.String,
    "until": pl.Date,
}


def refresh_marts(
    con: duckdb.DuckDBPyConnection, portals: Iterable[Portal] = (), *, recount: bool = False
) -> bool:
    """Record `portals` (the configuration's; none: keep core.dim_portal as it is), then
    refresh every mart (`recount`: the dossiers' daily counts too, from all the facts).
    False when the marts were up to date and nothing was done."""
    configured = pl.DataFrame(
        [(p.code, p.name, p.sector, p.province_code, p.dvcqg_code, p.until) for p in portals],
        schema=PORTAL_SCHEMA,
        orient="row",
    )
    state = {"fingerprint": _fingerprint(configured)}
    con.begin()
    try:
        up_to_date = run_sql_file(con, "refresh/up_to_date.sql", state).fetchone()[0]
        if up_to_date and not recount:
            con.commit()
            return False
        _drop_tables_now_views(con)
        if configured.height:
            con.register("configured_portals", configured.to_arrow())
            try:
                run_sql_file(con, "load/shared/record_portals.sql")
            finally:
                con.unregister("configured_portals")
        digests = {
            "recount": recount,
            "counted_by": _digest(COUNTING_SQL),
            "parts_counted_by": _digest(PARTS_SQL),
        }
        for name in sql_files("marts"):
            run_sql_file(con, name, digests)
        apply_comments(con, "mart")  # a rebuilt table has lost its comments
        run_sql_file(con, "refresh/record_refresh.sql", state)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True


def _digest(names: tuple[str, ...]) -> str:
    """sha256 of the SQL files `names`, each with its name (so no two lists share a digest)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (SQL_DIR / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _drop_tables_now_views(con: duckdb.DuckDBPyConnection) -> None:
    """Drop a table an earlier release kept where the marts now make a view of the same name
    (DuckDB replaces a view by a view, not a table by a view)."""
    for schema, name in TABLES_NOW_VIEWS:
        found = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
            [schema, name],
        ).fetchone()[0]
        if found:
            con.execute(f"DROP TABLE {schema}.{name}")


def _fingerprint(configured: pl.DataFrame) -> str:
    """What the marts are made with besides the facts: the SQL of the warehouse and the marts,
    the data dictionary, and the configured portals. A change of any of them (an upgrade, a
    portal's `until`) means a refresh even with no new file."""
    digest = hashlib.sha256(_digest((*sql_files("schema"), *sql_files("marts"))).encode())
    digest.update(DICTIONARY_FILE.read_bytes())
    digest.update(repr(configured.rows()).encode())
    return digest.hexdigest()
