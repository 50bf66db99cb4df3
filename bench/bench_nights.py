"""Benchmark: what a night costs as the warehouse grows (issue 15.2).

A night here is `cchc ingest` of a 1,000-dossier top-up, checks included, into a warehouse that
already holds N dossiers of the same portal: the load, the refresh of the marts and the checks,
as the nightly job does them, in a fresh process (start-up included, bytecode compiled). The
top-up holds new versions of dossiers already loaded (the generator numbers each day's dossiers
from 1, so its codes are loaded codes), so versions are replaced and taken back from the kept
counts, the costly case. If a night's cost followed the warehouse, the ratio between the largest
and the smallest warehouse would follow their sizes; the target is at most 1.5x.

    uv run python bench/bench_nights.py [--sizes 10000,2000000] [--rounds 3] [--workdir DIR]

Each base warehouse is built once (kept in the workdir, rebuilt when its file or the SQL changes:
a base counted by other SQL would make every night pay for counting afresh) and
copied afresh for every night, so every round measures the same night. Rounds alternate the
order of the sizes, as the machine is shared. Prints a table and writes
bench/results/nights-<sizes>.json. Exit status 1 if any command fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench_ingest import REPO, RESULTS, Run, compile_bytecode, ensure_csv, log_tail, measure

from warehouse.demo.volume import write_dossier_csv

TOP_UP_SEED = 12


def cchc_ingest(csv: Path, warehouse: Path) -> list[str]:
    command = [sys.executable, "-m", "warehouse.cli", "ingest", str(csv), "--portal", "H37"]
    return [*command, "--warehouse", str(warehouse)]


def sql_digest() -> str:
    """What the warehouse is built with besides the file: every SQL file of the repository."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "sql").rglob("*.sql")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def base_warehouse(workdir: Path, rows: int) -> Path:
    """A warehouse holding `rows` dossiers (their first load, marts and checks), built once."""
    csv, _ = ensure_csv(workdir, rows)
    folder = workdir / f"base-{rows}"
    warehouse = folder / "warehouse.duckdb"
    stamp = folder / "built-from.json"
    wanted = {"csv": csv.name, "bytes": csv.stat().st_size, "sql": sql_digest()}
    if warehouse.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return warehouse
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    run = measure(f"base {rows}", cchc_ingest(csv, warehouse), folder / "load.log", REPO)
    if not run.ok:
        sys.exit(f"building the {rows:,}-dossier warehouse failed:\n{log_tail(run)}")
    shutil.rmtree(folder / "raw", ignore_errors=True)  # the nights need no earlier archive
    stamp.write_text(json.dumps(wanted))
    return warehouse


def night(base: Path, top_up: Path, workdir: Path, rows: int, number: int) -> Run:
    """One night on a fresh copy of the base warehouse (only the DuckDB file is copied)."""
    folder = workdir / f"night-{rows}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    warehouse = folder / "warehouse.duckdb"
    shutil.copyfile(base, warehouse)
    # On disk before the night starts, as last night's published warehouse is: otherwise the
    # kernel writes this copy back while the night runs, and the largest pays for it.
    descriptor = os.open(warehouse, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    run = measure(
        f"night {rows}", cchc_ingest(top_up, warehouse), folder / f"night-{number}.log", REPO
    )
    run.round = number
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,2000000", help="dossiers in each warehouse")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top-up", type=int, default=1_000, help="dossiers in the night's file")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    workdir = args.workdir or Path(tempfile.gettempdir()) / "cchc-bench-nights"
    workdir.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    bases = {rows: base_warehouse(workdir, rows) for rows in sizes}
    top_up = write_dossier_csv(workdir / "top-up.csv", args.top_up, seed=TOP_UP_SEED)

    runs: list[Run] = []
    for number in range(1, args.rounds + 1):
        order = sizes if number % 2 else list(reversed(sizes))
        for rows in order:
            run = night(bases[rows], top_up, workdir, rows, number)
            if not run.ok:
                print(f"night into {rows:,} dossiers failed:\n{log_tail(run)}", file=sys.stderr)
                return 1
            runs.append(run)

    median = {
        rows: statistics.median(r.seconds for r in runs if r.name == f"night {rows}")
        for rows in sizes
    }
    print(f"\nA night: `cchc ingest` of {args.top_up:,} dossiers (new versions), checks included")
    print(f"{'warehouse':>12} {'file MB':>8} {'median s':>9} {'runs (s)':<28} {'peak MiB':>9}")
    for rows in sizes:
        mine = [r for r in runs if r.name == f"night {rows}"]
        seconds = " ".join(f"{r.seconds:.2f}" for r in mine)
        peak = max(r.peak_rss_mib for r in mine)
        size_mb = bases[rows].stat().st_size / 1e6
        print(f"{rows:>12,} {size_mb:>8.0f} {median[rows]:>9.2f} {seconds:<28} {peak:>9.0f}")
    ratio = median[sizes[-1]] / median[sizes[0]]
    print(f"largest / smallest: {ratio:.2f}x (target: at most 1.5x)")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"nights-{'-'.join(map(str, sizes))}.json"
    out.write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "top_up": args.top_up,
                "median_seconds": median,
                "ratio": ratio,
                "warehouse_mb": {rows: bases[rows].stat().st_size / 1e6 for rows in sizes},
                "runs": [asdict(r) for r in runs],
            },
            indent=2,
        )
    )
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
