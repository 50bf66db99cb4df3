"""The marts refreshed night after night equal the marts counted afresh from all the facts.

mart.dossier_day and mart.dossier_online_use are kept, not rebuilt: each refresh adds the
dossier versions the files loaded since the last one and takes back those they replaced
(sql/marts/00_dossier_days.sql). These tests load versions that replace versions, several files
in one night, a file loaded twice and a procedure whose field changes, and compare every row of
every mart table with `refresh_marts(recount=True)` on a copy of the same warehouse.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.datagen import write_dossier_csv
from warehouse.config import Portal, load_config
from warehouse.db import open_writer
from warehouse.marts import refresh_marts

from conftest import ingest

PORTALS = load_config().portals.values()


def _night(warehouse: Path, *files: Path) -> None:
    """One night: load the files, then refresh the marts once."""
    results = ingest(warehouse, *files)
    assert all(r.status in ("loaded", "duplicate") for r in results), results
    with open_writer(warehouse) as con:
        refresh_marts(con, PORTALS)


def _mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the marts (mart.kpi_parts is a view over the kept parts)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE schema_name = 'mart' AND table_name <> 'refresh_state' "
        "UNION SELECT view_name FROM duckdb_views() "
        "WHERE schema_name = 'mart' AND NOT internal ORDER BY 1"
    ).fetchall()
    return [name for (name,) in rows]


def _differences(
    warehouse: Path, tmp_path: Path, portals: Iterable[Portal] = PORTALS
) -> dict[str, tuple[int, int, int]]:
    """Per mart table: (rows, rows only in the kept marts, rows only in the recount)."""
    recounted = tmp_path / "recounted" / "warehouse.duckdb"
    recounted.parent.mkdir(parents=True)
    shutil.copyfile(warehouse, recounted)
    with open_writer(recounted) as con:
        refresh_marts(con, portals, recount=True)
    found = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"ATTACH '{recounted}' AS recounted (READ_ONLY)")
        for table in _mart_tables(con):
            kept, fresh = f"mart.{table}", f"recounted.mart.{table}"
            rows = con.execute(f"SELECT count(*) FROM {kept}").fetchone()[0]
            only_kept = con.execute(
                f"SELECT count(*) FROM (FROM {kept} EXCEPT ALL FROM {fresh})"
            ).fetchone()[0]
            only_fresh = con.execute(
                f"SELECT count(*) FROM (FROM {fresh} EXCEPT ALL FROM {kept})"
            ).fetchone()[0]
            found[table] = (rows, only_kept, only_fresh)
    return found


def _assert_same(
    warehouse: Path, tmp_path: Path, portals: Iterable[Portal] = PORTALS
) -> dict[str, tuple[int, int, int]]:
    found = _differences(warehouse, tmp_path, portals)
    assert {"kpi", "kpi_parts", "kpi_dossier_part", "dossier_day", "coverage"} <= set(found)
    differing = {t: f for t, f in found.items() if f[1] or f[2]}
    assert not differing, f"kept marts differ from a recount: {differing}"
    return found


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    """Dossier lists of one portal whose codes overlap (the generator numbers each day's
    dossiers from 1): a later file with another seed holds new versions of earlier dossiers,
    and a longer one new dossiers as well."""
    folder = tmp_path / "exports"
    return {
        "first": write_dossier_csv(folder / "first.csv", 3_000, seed=1),
        "versions": write_dossier_csv(folder / "versions.csv", 1_000, seed=2),
        "more": write_dossier_csv(folder / "more.csv", 4_000, seed=3),
    }


def test_nights_of_new_versions_equal_a_recount(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    _night(warehouse, exports["first"])
    _assert_same(warehouse, tmp_path / "a")
    # two files in one night: versions of the first file's dossiers, then versions of those
    # (and new dossiers) again, so some versions come and go within the night
    _night(warehouse, exports["versions"], exports["more"])
    _assert_same(warehouse, tmp_path / "b")
    # an older export once more: its versions come back over the newer ones
    _night(warehouse, exports["versions"])
    found = _assert_same(warehouse, tmp_path / "c")
    assert found["dossier_day"][0] > 0 and found["kpi_parts"][0] > 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        history = con.execute("SELECT count(*) FROM core.fact_dossier_history").fetchone()[0]
        counted = con.execute("SELECT sum(received) FROM mart.dossier_day").fetchone()[0]
        current = con.execute("SELECT count(*) FROM core.fact_dossier").fetchone()[0]
    assert history > 500  # versions were replaced, so the nights had something to take back
    assert counted == current  # every current dossier counted once, no replaced one


def _halves(export: Path, folder: Path) -> tuple[Path, Path]:
    """The export cut in two: the dossiers of its earlier days, then those of its later ones
    (the generator writes them day after day)."""
    header, *rows = export.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    folder.mkdir(parents=True)
    halves = folder / "earlier.csv", folder / "later.csv"
    middle = len(rows) // 2
    for path, part in zip(halves, (rows[:middle], rows[middle:]), strict=True):
        path.write_text(header + "".join(part), encoding="utf-8-sig")
    return halves


def _spans(warehouse: Path) -> set[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return set(con.execute("FROM mart.kpi_dossier_window").fetchall())


def test_spans_that_move_are_counted_and_those_left_behind_dropped(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """Coverage moves with every night's export, and with it the month, quarter and year to
    date (and the same days a year earlier): the kept parts of the spans no longer measured go,
    the new spans are counted in full, the others take the night's change."""
    earlier, later = _halves(exports["more"], tmp_path / "halves")
    _night(warehouse, earlier)
    before = _spans(warehouse)
    _night(warehouse, later)
    _assert_same(warehouse, tmp_path / "a")
    after = _spans(warehouse)
    assert before - after, "no span was left behind: the test would not see them kept"
    assert after - before, "no span is new"
    assert before & after, "no span was kept"


def test_a_portal_that_ends_has_its_kept_stocks_counted_afresh(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """A portal's stocks stop at its `until` day: a configuration that sets it (or moves it)
    counts the kept parts afresh, as a recount under the same configuration does."""
    _night(warehouse, exports["first"])
    ended = [replace(p, until=date(2023, 6, 30)) if p.code == "H37" else p for p in PORTALS]
    with open_writer(warehouse) as con:
        assert refresh_marts(con, ended) is True
    _assert_same(warehouse, tmp_path / "a", ended)


def test_a_night_counts_only_what_it_loaded(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """The kept counts move by exactly the night's files: a night with nothing new changes no
    row, and the counts never read the facts of earlier files again (their rows are moved
    aside here, and the next night still counts right)."""
    _night(warehouse, exports["first"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute("FROM mart.dossier_day ORDER BY ALL").fetchall()
    with open_writer(warehouse) as con:
        refresh_marts(con, PORTALS)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("FROM mart.dossier_day ORDER BY ALL").fetchall() == before
    # Hide the first file's dossiers from the facts: a refresh that re-read them would lose
    # them; one that takes in only the new file keeps them counted.
    with open_writer(warehouse) as con:
        con.execute("CREATE TABLE core.hidden AS FROM core.fact_dossier")
        con.execute("DELETE FROM core.fact_dossier")
    _night(warehouse, exports["more"])  # new dossiers, and versions of hidden ones
    with duckdb.connect(str(warehouse), read_only=True) as con:
        received = con.execute("SELECT sum(received) FROM mart.dossier_day").fetchone()[0]
        loaded = con.execute("SELECT count(*) FROM core.fact_dossier").fetchone()[0]
    assert received == 3_000 + loaded  # the hidden first file still counted, the new one added


def test_a_procedure_moving_to_another_field_is_counted_afresh(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    _night(warehouse, exports["first"])
    text = exports["versions"].read_text(encoding="utf-8-sig")
    assert "Đất đai" in text
    moved = tmp_path / "moved.csv"
    moved.write_text(text.replace("Đất đai", "Đất đai và nhà ở"), encoding="utf-8-sig")
    _night(warehouse, moved)
    found = _assert_same(warehouse, tmp_path / "a")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT field_name FROM mart.dossier_day "
            "JOIN mart.dossier_unit USING (unit_key)"
        ).fetchall()
    fields = {field for (field,) in rows}
    assert "Đất đai và nhà ở" in fields
    assert found["dossier_day"][0] > 0


def test_a_refresh_with_nothing_new_is_skipped(warehouse: Path, exports: dict[str, Path]) -> None:
    """No file loaded since the last refresh, no later stated day and the same portals: the
    marts are left as they are (`cchc checks` judges at once, a re-sent export costs nothing);
    a changed portal or a new file refreshes them."""
    _night(warehouse, exports["first"])
    with open_writer(warehouse) as con:
        assert refresh_marts(con, PORTALS) is False
        assert refresh_marts(con, PORTALS, recount=True) is True
        ended = [replace(p, until=date(2023, 6, 30)) if p.code == "H37" else p for p in PORTALS]
        assert refresh_marts(con, ended) is True  # H37's `until` changes the spans
        assert refresh_marts(con, ended) is False
        kept = con.execute("SELECT count(*) FROM mart.kpi").fetchone()[0]
    assert kept > 0
    # the same export sent again, even stated as taken on a later day: nothing loaded and no
    # coverage moved (a duplicate is recorded before its kind is known), nothing to refresh
    for stated in (None, date(2024, 1, 31)):
        assert ingest(warehouse, exports["first"], exported_on=stated)[0].status == "duplicate"
        with open_writer(warehouse) as con:
            assert refresh_marts(con, ended) is False
    results = ingest(warehouse, exports["versions"])
    assert results[0].status == "loaded"
    with open_writer(warehouse) as con:
        assert refresh_marts(con, ended) is True


def test_counts_made_by_other_sql_are_counted_afresh(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """An upgrade that counts differently must not keep the counts of the old SQL: counts
    whose digest is not this SQL's (here: stamped as another's, one of them off by one) are
    counted afresh on the next refresh."""
    _night(warehouse, exports["first"])
    with open_writer(warehouse) as con:
        con.execute("UPDATE mart.dossier_day_state SET counted_by = 'an older release'")
        con.execute(
            "UPDATE mart.dossier_day SET received = received + 1 "
            "WHERE day = (SELECT min(day) FROM mart.dossier_day)"
        )
    _night(warehouse, exports["versions"])
    _assert_same(warehouse, tmp_path / "a")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counted = con.execute("SELECT sum(received) FROM mart.dossier_day").fetchone()[0]
        current = con.execute("SELECT count(*) FROM core.fact_dossier").fetchone()[0]
    assert counted == current


def test_counts_kept_by_names_are_rekeyed_and_counted_afresh(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """The release before mart.dossier_unit kept the daily counts under the unit's names: on
    upgrade those tables take unit_key and are counted afresh, equal to a recount."""
    _night(warehouse, exports["first"])
    with open_writer(warehouse) as con:
        for table, names in (
            ("dossier_day", "u.portal_code, u.agency_nk, u.field_name"),
            ("dossier_online_use", "u.portal_code, u.agency_nk"),
        ):
            con.execute(
                f"CREATE TABLE mart.named AS SELECT {names}, k.* EXCLUDE (unit_key) "
                f"FROM mart.{table} AS k JOIN mart.dossier_unit AS u USING (unit_key)"
            )
            con.execute(f"DROP TABLE mart.{table}")
            con.execute(f"ALTER TABLE mart.named RENAME TO {table}")
        con.execute("DROP TABLE mart.dossier_unit")
        con.execute("UPDATE mart.dossier_day_state SET counted_by = 'the release with names'")
    _night(warehouse, exports["versions"])
    _assert_same(warehouse, tmp_path / "a")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, list(column_name) FROM duckdb_columns() "
            "WHERE schema_name = 'mart' AND table_name IN ('dossier_day', 'dossier_online_use') "
            "GROUP BY ALL"
        ).fetchall()
        counted = con.execute("SELECT sum(received) FROM mart.dossier_day").fetchone()[0]
        current = con.execute("SELECT count(*) FROM core.fact_dossier").fetchone()[0]
    for table, names in columns:
        assert "unit_key" in names and "agency_nk" not in names, (table, names)
    assert counted == current


def test_the_table_of_parts_an_earlier_release_kept_becomes_the_view(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """Up to this release mart.kpi_parts was a table rewritten every night; an upgraded
    warehouse has the view instead, equal to a recount."""
    _night(warehouse, exports["first"])
    with open_writer(warehouse) as con:
        con.execute("CREATE TABLE mart.parts_as_kept AS FROM mart.kpi_parts")
        con.execute("DROP VIEW mart.kpi_parts")
        con.execute("ALTER TABLE mart.parts_as_kept RENAME TO kpi_parts")
    _night(warehouse, exports["versions"])
    _assert_same(warehouse, tmp_path / "a")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        views = con.execute(
            "SELECT count(*) FROM duckdb_views() "
            "WHERE schema_name = 'mart' AND view_name = 'kpi_parts'"
        ).fetchone()[0]
    assert views == 1


def test_parts_counted_by_other_sql_are_counted_afresh_from_the_kept_counts(
    warehouse: Path, tmp_path: Path, exports: dict[str, Path]
) -> None:
    """An upgrade of the parts' SQL alone counts the parts afresh from the kept day and month
    counts (here: parts stamped as another release's, one of them off by one), without counting
    the dossiers again."""
    _night(warehouse, exports["first"])
    with open_writer(warehouse) as con:
        con.execute("UPDATE mart.kpi_dossier_state SET counted_by = 'an older release'")
        con.execute(
            "UPDATE mart.kpi_dossier_part SET numerator = numerator + 1 "
            "WHERE rowid = (SELECT min(rowid) FROM mart.kpi_dossier_part)"
        )
        counted_by = con.execute("SELECT counted_by FROM mart.dossier_day_state").fetchall()
    _night(warehouse, exports["versions"])
    _assert_same(warehouse, tmp_path / "a")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT counted_by FROM mart.dossier_day_state").fetchall() == counted_by
