"""Every committed fixture export loads exactly as tests/fixtures/expected.toml says.

The manifest was written by hand from the export contract, file by file: the status, kind and
format, the row counts, every reject (row, column, reason) and spot values of loaded rows.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from warehouse.sources.json_pages import combine_json_pages

from conftest import EXPORTS, FIXTURES, ingest, query

MANIFEST = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))
SINGLE_FILES = sorted(name for name, entry in MANIFEST.items() if "pages" not in entry)


def fact_view(fact: str, where: str, *, procedure: bool = True) -> str:
    """The rows of core.<fact> (`f`) with the names of their agency (`a`) and procedure (`p`)."""
    names = "a.agency_name, a.agency_code, a.level"
    joins = "JOIN core.dim_agency a USING (agency_key)"
    if procedure:
        names += ", p.procedure_code, p.procedure_name, p.field_name"
        joins += " JOIN core.dim_procedure p USING (procedure_key)"
    return f"SELECT f.*, {names} FROM core.{fact} f {joins} WHERE {where}"


DOSSIER_VIEW = fact_view("fact_dossier", "f.dossier_code = ?")
REPORT_VIEW = fact_view("fact_report", "a.agency_name = ?", procedure=False)
SERVICE_VIEW = fact_view("fact_service", "p.procedure_code = ? AND a.agency_name = ?")


def _load(warehouse: Path, name: str, tmp_path: Path):
    entry = MANIFEST[name]
    if "pages" in entry:
        combined = tmp_path / f"{name}.json"
        pages = [(EXPORTS / page).read_bytes() for page in entry["pages"]]
        combined.write_bytes(combine_json_pages(pages))
        return ingest(warehouse, combined)[0]
    return ingest(warehouse, EXPORTS / name)[0]


@pytest.mark.parametrize("name", [*SINGLE_FILES, "dossiers_paged"])
def test_fixture_loads_as_the_manifest_says(name: str, warehouse: Path, tmp_path: Path) -> None:
    entry = MANIFEST[name]
    result = _load(warehouse, name, tmp_path)
    (row,) = query(
        warehouse,
        "SELECT status, kind, format, rows_read, rows_loaded, rows_rejected, reason, error "
        "FROM ops.files WHERE file_id = ?",
        [result.file_id],
    )
    status, kind, fmt, read, loaded, rejected, reason, error = row
    assert status == entry["status"], error
    if status == "refused":
        assert reason == entry["refuse_reason"]
        for column in entry.get("missing_columns", []):
            assert column in error
        return
    assert (kind, fmt) == (entry["kind"], entry["format"])
    assert (read, loaded, rejected) == (
        entry["rows_read"],
        entry["rows_loaded"],
        entry["rows_rejected"],
    )
    assert read == loaded + rejected
    rejects = query(
        warehouse,
        "SELECT row_number, column_name, reason, value FROM ops.rejects WHERE file_id = ?",
        [result.file_id],
    )
    assert sorted((r, c, why) for r, c, why, _ in rejects) == sorted(
        (e["row"], e["column"], e["reason"]) for e in entry["rejects"]
    )
    values = {(r, c): v for r, c, _, v in rejects}
    for expected in entry["rejects"]:
        if "value" not in expected:
            continue
        stored = values[(expected["row"], expected["column"])]
        if expected["reason"] == "identity_failed":  # every count of the identity is kept
            assert f"{expected['column']}={expected['value']}" in stored
        else:
            assert stored == expected["value"]
    if "distinct_dossier_codes_loaded" in entry:
        (count,) = query(warehouse, "SELECT count(*) FROM core.fact_dossier")[0]
        assert count == entry["distinct_dossier_codes_loaded"]
    for check in entry.get("checks", []):
        _assert_check(warehouse, entry, check)
    if "extra_columns" in entry:
        ignored = query(
            warehouse,
            "SELECT header_text FROM ops.file_columns "
            "WHERE file_id = ? AND canonical_column IS NULL",
            [result.file_id],
        )
        assert set(entry["extra_columns"]) <= {text for (text,) in ignored}
    if "agency" in entry:
        agencies = query(warehouse, "SELECT DISTINCT agency_name FROM core.dim_agency")
        assert agencies == [(entry["agency"],)]
    if entry.get("valid_from_is_export_date"):
        (fetched,) = query(
            warehouse, "SELECT fetched_at::DATE FROM ops.files WHERE file_id = ?", [result.file_id]
        )[0]
        assert query(warehouse, "SELECT DISTINCT valid_from FROM core.fact_service") == [(fetched,)]
    if "totals_mismatch" in entry:
        warnings = query(
            warehouse,
            "SELECT code, message FROM ops.file_warnings WHERE file_id = ?",
            [result.file_id],
        )
        mismatches = [m for code, m in warnings if code == "totals_mismatch"]
        assert bool(mismatches) == entry["totals_mismatch"]
        assert all(m.startswith("totals row") for m in mismatches)


def _assert_check(warehouse: Path, entry: dict, check: dict) -> None:
    if "dossier_code" in check:
        sql, params = DOSSIER_VIEW, [check["dossier_code"]]
    elif entry["kind"] == "report":
        sql, params = REPORT_VIEW, [check["agency"]]
        if "field" in check:
            sql, params = sql + " AND f.field_name = ?", [*params, check["field"]]
        if "period_from" in check:
            sql, params = sql + " AND f.period_from = ?", [*params, check["period_from"]]
    else:
        sql, params = SERVICE_VIEW, [check["procedure_code"], check["agency"]]
    rows = _rows_as_dicts(warehouse, sql, params)
    assert len(rows) == 1, f"{check}: {len(rows)} rows"
    actual = rows[0][check["column"]]
    if check.get("null"):
        assert actual is None, check
        return
    expected = check["value"]
    if isinstance(actual, datetime) and len(expected) == 10:
        actual = actual.date().isoformat()
    elif isinstance(actual, datetime | date):
        actual = actual.isoformat()
    assert actual == expected, check


def _rows_as_dicts(warehouse: Path, sql: str, params: list) -> list[dict]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
