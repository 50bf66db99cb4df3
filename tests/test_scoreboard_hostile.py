"""Hostile and broken national scoreboard answers: refused or rejected in bounded memory and
time, and the good answer given beside them still loads. The real `cchc ingest` runs in a child
under a hard memory limit (tests/memory_guard.py), as in test_hostile_inputs.py."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from memory_guard import run_guarded
from scoreboard_support import ANSWERS, REQUESTS, answer

GOOD = ANSWERS / "service-results.json"


def guarded_ingest(tmp_path: Path, *files: Path):
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    args = ["-m", "warehouse.cli", "ingest", *map(str, files), "--portal", "H37", "--no-checks"]
    args += ["--request", json.dumps(REQUESTS[GOOD.name]), "--as-of", "2026-03-02"]
    run = run_guarded([*args, "--warehouse", str(warehouse)], timeout=120)
    assert run.returncode in (0, 3), run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    return run, warehouse


def outcome(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT source, status, reason, rows_loaded, rows_rejected FROM ops.files"
        ).fetchall()
    return {Path(source).name: tuple(rest) for source, *rest in rows}


def test_bombs_and_broken_answers_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    many = tmp_path / "many_values.json"  # 12 million values: refused before it is parsed
    with many.open("w") as sink:
        sink.write('{"code":"OK","data":{"evaluation":[')
        sink.write("0," * 12_000_000 + "0]}}")
    deep = tmp_path / "deep.json"  # nested far beyond what a parser can follow
    deep.write_text('{"code":"OK","data":{"overview":' + "[" * 200_000 + "]" * 200_000 + "}}")
    digits = tmp_path / "digits.json"  # a number of 20,000 digits
    digits.write_text('{"code":"OK","data":{"evaluation":[{"totalScore":' + "9" * 20_000 + "}]}}")
    latin = tmp_path / "latin1.json"  # bytes that are not UTF-8
    latin.write_bytes(b'{"code":"OK","data":{"evaluation":[{"departmentName":"T\xe9"}]}}')
    run, warehouse = guarded_ingest(tmp_path, many, deep, digits, latin, GOOD)
    assert run.peak_mib < 1024, f"peak {run.peak_mib:.0f} MiB"
    assert outcome(warehouse) == {
        "many_values.json": ("refused", "too_large", None, None),
        "deep.json": ("refused", "damaged_file", None, None),
        "digits.json": ("refused", "damaged_file", None, None),
        "latin1.json": ("refused", "damaged_file", None, None),
        "service-results.json": ("loaded", None, 5, 0),
    }


def test_values_that_are_no_numbers_reject_only_their_unit(tmp_path: Path) -> None:
    document = answer("service-results.json")
    units = document["data"]["evaluation"]
    units[0]["totalScore"] = float("nan")  # NaN, as Python's json writes it
    units[1]["groupScores"]["TDGQ"] = float("inf")
    units[2]["groupScores"]["CKMB"] = True
    units[3]["departmentName"] = "Tỉnh \ud800"  # a lone surrogate: not text
    units.append({"departmentCode": "H24", "totalScore": 1e400})  # beyond a double: Infinity
    units.append({"departmentCode": "H19", "groupScores": {"TDGQ": {"score": 18}}})
    units.append({"departmentCode": "H20", "totalScore": 10**30})
    units.append("H31")
    units.append({"departmentCode": "H 1; DROP TABLE x", "totalScore": 50})
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    _, warehouse = guarded_ingest(tmp_path, path)
    assert outcome(warehouse) == {"hostile.json": ("loaded", None, 1, 9)}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rejects = con.execute(
            "SELECT row_number, column_name, reason FROM ops.rejects ORDER BY 1, 2"
        ).fetchall()
        loaded = con.execute("SELECT DISTINCT unit_code FROM core.fact_scorecard").fetchall()
    assert rejects == [
        (1, "score", "bad_number"),
        (2, "groupScores.TDGQ", "bad_number"),
        (3, "groupScores.CKMB", "bad_number"),
        (4, "departmentName", "bad_encoding"),
        (6, "score", "bad_number"),
        (7, "groupScores.TDGQ", "bad_number"),
        (8, "score", "out_of_range"),
        (9, "departmentCode", "bad_shape"),
        (10, "departmentCode", "bad_code"),
    ]
    assert loaded == [("H29",)]
