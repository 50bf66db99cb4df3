"""Benchmark: `cchc ingest` of a large dossier list against DuckDB's own typed CSV read.

DuckDB reading the same file straight into a typed table is about the least a load can cost on
this machine, so the ratio to it says how much our parsing, checking and bookkeeping add, in time
and in memory, and moves much less with the hardware than raw seconds do. Both figures include
starting Python and importing the libraries, with the bytecode caches in place, as Python
leaves them after its first run wherever it may write them (or `uv sync --compile-bytecode`).
The project's machines set PYTHONDONTWRITEBYTECODE=1, under which every start recompiles some 750
modules: the script compiles the caches first, and measures one more `cchc ingest` without
them, reported apart, so that cost is shown rather than hidden.

    uv run python bench/bench_ingest.py [--rows 2000000] [--rounds 3] [--workdir DIR]

The machines are shared, so one pair of runs can mislead (DuckDB's own time has moved 2× between
runs): both loads run in each of several rounds, alternating which goes first, the ratio is
taken within a round, and the median and highest ratio are reported. Each command runs in a
fresh child process, reaped with os.wait4, so the peak RSS reported is that child's own (not the
largest of all runs, as RUSAGE_CHILDREN would give). The table is printed and written to
bench/results/ingest-<rows>.json. Exit status 1 if any command fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse.demo.headers import columns
from warehouse.demo.volume import DATETIME_FORMAT, RELEASE, write_dossier_csv

REPO = Path(__file__).resolve().parents[1]

RESULTS = REPO / "bench" / "results"
SEED = 2023
DATE_COLUMNS = {"received_at", "due_at", "completed_at", "returned_at"}

# The reference load, run as `python -c DUCKDB_LOAD DB SQL`; it prints the rows loaded (and
# not a progress bar, which it would draw into the log).
DUCKDB_LOAD = (
    "import sys, duckdb; con = duckdb.connect(sys.argv[1]); "
    "con.execute('SET enable_progress_bar = false'); con.execute(sys.argv[2]); "
    "print(con.execute('SELECT count(*) FROM t').fetchone()[0]); con.close()"
)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def reference_sql(csv: Path) -> str:
    """DuckDB's typed read: every column typed up front, date-times in the export's format."""
    types = ", ".join(
        f"{_sql_text(header)}: '{'TIMESTAMP' if column in DATE_COLUMNS else 'VARCHAR'}'"
        for column, header in zip(columns("dossiers"), RELEASE.header_texts(), strict=True)
    )
    fmt = _sql_text(DATETIME_FORMAT)
    return (
        f"CREATE TABLE t AS SELECT * FROM read_csv({_sql_text(str(csv))}, header = true, "
        f"delim = ',', types = {{{types}}}, dateformat = {fmt}, timestampformat = {fmt})"
    )


@dataclass
class Run:
    """One measured command: what ran, whether it worked, and what it cost."""

    name: str
    command: list[str]
    exit_code: int
    seconds: float
    peak_rss_mib: float
    log: str
    round: int = 0
    rows_per_second: float | None = None
    time_ratio_to_duckdb: float | None = None
    memory_ratio_to_duckdb: float | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def ensure_csv(workdir: Path, rows: int) -> tuple[Path, float | None]:
    """The benchmark file, generated unless a file of the same rows and seed is already there.

    A sidecar JSON records rows, seed and size, so a half-written or foreign file is remade
    rather than counted (counting 2M rows would cost as much as a load).
    """
    csv = workdir / f"dossiers-{rows}.csv"
    meta = csv.with_suffix(".csv.json")
    wanted = {"rows": rows, "seed": SEED}
    if csv.exists() and meta.exists():
        recorded = json.loads(meta.read_text())
        same = all(recorded.get(k) == v for k, v in wanted.items())
        if same and recorded.get("bytes") == csv.stat().st_size:
            return csv, None
    meta.unlink(missing_ok=True)
    started = time.perf_counter()
    write_dossier_csv(csv, rows, seed=SEED)
    seconds = time.perf_counter() - started
    meta.write_text(json.dumps({**wanted, "bytes": csv.stat().st_size}))
    return csv, seconds


def compile_bytecode() -> float:
    """Compile the installed packages and the project once; seconds it took (0 when cached).

    `compileall` writes the caches even where PYTHONDONTWRITEBYTECODE stops Python from doing
    so on import, and skips files whose cache is current. Its exit status is not checked: a few
    packages ship files that are not Python 3.11 (templates, test data), which it reports.
    """
    started = time.perf_counter()
    folders = [*sorted({p for p in sys.path if p.endswith("site-packages")})]
    folders += [REPO / "warehouse", REPO / "flows"]
    command = [sys.executable, "-m", "compileall", "-q", "-j", "0", *map(str, folders)]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def fresh_database(directory: Path, name: str) -> Path:
    """A database path in an emptied directory, so every load starts from nothing.

    The whole directory goes: `cchc ingest` keeps its raw archive and scratch files next to the
    warehouse, and a file already archived by an earlier run would make the next one cheaper.
    """
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory / name


def measure(
    name: str, command: list[str], log: Path, cwd: Path, env: dict[str, str] | None = None
) -> Run:
    """Run a command in a child process; wall time and that child's own peak RSS.

    Output goes to a log file rather than a pipe: os.wait4 reaps the child itself, and nobody
    would drain a pipe meanwhile.
    """
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    peak_kib = usage.ru_maxrss  # KiB on Linux (bytes on macOS, which this is not run on)
    return Run(name, command, child.returncode, seconds, peak_kib / 1024, str(log))


def log_tail(run: Run, lines: int = 15) -> str:
    text = Path(run.log).read_text(errors="replace").rstrip().splitlines()
    return "\n".join("    " + line for line in text[-lines:])


def print_table(rows: int, file_mb: float, runs: list[Run]) -> None:
    """A fixed-width table of the runs (the same figures go to the JSON)."""
    print(f"\n{rows:,} rows, {file_mb:,.1f} MB CSV")
    head = f"{'round':>5} {'command':<14} {'status':>6} {'seconds':>8} {'rows/s':>11}"
    print(head + f" {'peak MiB':>9} {'time ×duckdb':>13} {'mem ×duckdb':>12}")
    for run in runs:
        per_s = f"{run.rows_per_second:,.0f}" if run.rows_per_second else "-"
        t_ratio = f"{run.time_ratio_to_duckdb:.2f}" if run.time_ratio_to_duckdb else "-"
        m_ratio = f"{run.memory_ratio_to_duckdb:.2f}" if run.memory_ratio_to_duckdb else "-"
        status = "ok" if run.ok else f"exit {run.exit_code}"
        print(
            f"{run.round:>5} {run.name:<14} {status:>6} {run.seconds:>8.2f} {per_s:>11} "
            f"{run.peak_rss_mib:>9.0f} {t_ratio:>13} {m_ratio:>12}"
        )


def cchc_command(csv: Path, workdir: Path) -> list[str]:
    """`cchc ingest` of the file into a new, empty warehouse."""
    warehouse = fresh_database(workdir / "cchc", "W1.duckdb")
    command = [sys.executable, "-m", "warehouse.cli", "ingest", str(csv), "--portal", "H37"]
    return [*command, "--no-checks", "--warehouse", str(warehouse)]


def measure_without_bytecode(csv: Path, rows: int, workdir: Path, duckdb_seconds: float) -> Run:
    """`cchc ingest` once more, as every start is where PYTHONDONTWRITEBYTECODE=1 is set and
    no installer compiled the caches: Python pointed at an empty cache it may not write to."""
    cache = Path(tempfile.mkdtemp(prefix="empty-pycache-", dir=workdir))
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    log = workdir / "cchc-ingest-no-bytecode.log"
    run = measure("cchc, no .pyc", cchc_command(csv, workdir), log, REPO, env)
    shutil.rmtree(cache, ignore_errors=True)
    if run.ok:
        run.rows_per_second = rows / run.seconds
        run.time_ratio_to_duckdb = run.seconds / duckdb_seconds
    return run


def measure_round(number: int, csv: Path, rows: int, workdir: Path) -> list[Run]:
    """Both loads from empty databases, one right after the other, and their ratios.

    Odd rounds run `cchc ingest` first, even rounds DuckDB first, so neither always inherits
    the other's warm caches or a noisy neighbour's burst.
    """
    cchc = cchc_command(csv, workdir)
    w2 = fresh_database(workdir / "duckdb", "W2.duckdb")
    reference = [sys.executable, "-c", DUCKDB_LOAD, str(w2), reference_sql(csv)]
    plan = [
        ("cchc ingest", cchc, workdir / f"cchc-ingest-{number}.log"),
        ("duckdb read", reference, workdir / f"duckdb-read-{number}.log"),
    ]
    if number % 2 == 0:
        plan.reverse()
    measured = {name: measure(name, command, log, REPO) for name, command, log in plan}
    cchc_run, duck_run = measured["cchc ingest"], measured["duckdb read"]
    if duck_run.ok:
        loaded = Path(duck_run.log).read_text().strip().splitlines()[-1]
        if loaded != str(rows):
            print(f"duckdb loaded {loaded} rows, expected {rows}", file=sys.stderr)
            duck_run.exit_code = duck_run.exit_code or 1
    for run in (cchc_run, duck_run):
        run.round = number
        if run.ok:
            run.rows_per_second = rows / run.seconds
            if duck_run.ok:
                run.time_ratio_to_duckdb = run.seconds / duck_run.seconds
                run.memory_ratio_to_duckdb = run.peak_rss_mib / duck_run.peak_rss_mib
    return [cchc_run, duck_run]


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) the file, time both loads in rounds, print and save the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of both loads; the ratio is taken within each round (default: %(default)s)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "cchc-bench",
        help="where the CSV, warehouses and logs go (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)

    compiled_seconds = compile_bytecode()
    print(f"bytecode compiled in {compiled_seconds:.1f} s")
    csv, generated_seconds = ensure_csv(workdir, args.rows)
    file_mb = csv.stat().st_size / 1e6
    if generated_seconds is None:
        print(f"reusing {csv}")
    else:
        print(f"generated {csv} in {generated_seconds:.1f} s")

    runs: list[Run] = []
    for number in range(1, args.rounds + 1):
        runs += measure_round(number, csv, args.rows, workdir)

    duckdb_seconds = [r.seconds for r in runs if r.name == "duckdb read" and r.ok]
    cold = None
    if duckdb_seconds:
        cold = measure_without_bytecode(csv, args.rows, workdir, statistics.median(duckdb_seconds))

    print_table(args.rows, file_mb, runs)
    ratios = [r.time_ratio_to_duckdb for r in runs if r.name == "cchc ingest"]
    ratios = [r for r in ratios if r is not None]
    if ratios:
        print(
            f"time × DuckDB over {len(ratios)} rounds: median {statistics.median(ratios):.2f}, "
            f"highest {max(ratios):.2f}"
        )
    if cold is not None and cold.time_ratio_to_duckdb is not None:
        print(
            f"without bytecode caches: cchc ingest {cold.seconds:.2f} s, "
            f"{cold.time_ratio_to_duckdb:.2f} × the median DuckDB time"
        )
    for run in [*runs, *([cold] if cold else [])]:
        if not run.ok:
            print(f"\nFAILED: {run.name} exited {run.exit_code}; last lines of {run.log}:")
            print(log_tail(run))
            if run.name == "cchc ingest" and run.exit_code == 3:
                print("(exit 3 = rows rejected or files refused: the generated file has none)")

    result = {
        "rows": args.rows,
        "file": str(csv),
        "file_bytes": csv.stat().st_size,
        "file_mb": round(file_mb, 1),
        "generated_seconds": generated_seconds,
        "bytecode_compile_seconds": round(compiled_seconds, 1),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "polars": pl.__version__,
            "duckdb": duckdb.__version__,
        },
        "time_ratio_median": round(statistics.median(ratios), 2) if ratios else None,
        "time_ratio_highest": round(max(ratios), 2) if ratios else None,
        "runs": [{**asdict(run), "ok": run.ok} for run in runs],
        "without_bytecode": {**asdict(cold), "ok": cold.ok} if cold else None,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"ingest-{args.rows}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {out.relative_to(REPO)}")
    return 0 if all(run.ok for run in [*runs, *([cold] if cold else [])]) else 1


if __name__ == "__main__":
    sys.exit(main())
