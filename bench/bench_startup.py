"""Start-up of `cchc sql` and `cchc checks`, and the time of `cchc report`, in fresh processes.

Issue 15 asks `cchc sql` and `cchc checks` to take at most 1.5x a bare Python process doing the
same DuckDB query, and `cchc report` at most 5 s on the demo warehouse. Each command runs in a
fresh process, as a person starts it, several rounds, the order alternating between rounds (the
machine is shared: a neighbour's load moves every figure); the table gives medians and the
ratio of the medians. `cchc checks` writes, so each of its rounds gets a fresh copy of the
warehouse (copied outside the timing), brought up to date once before the rounds: a refresh of
the marts runs only after a load or an upgrade (mart.refresh_state), so the rounds measure
`cchc checks` judging an up-to-date warehouse, as it does between loads. Its query work is also
timed inside a process of its own (the stages `cchc checks` runs, after the imports): a bare
Python process doing that work takes at least the bare query's process plus that work, which
gives its second ratio.

Python's bytecode caches are compiled first (as `uv sync --compile-bytecode` leaves them, or
Python after its first run); `--no-bytecode` measures once more with an empty cache that
Python may not write to, as every start is where PYTHONDONTWRITEBYTECODE=1 is set.

    uv run cchc run --warehouse /tmp/startup/warehouse.duckdb   # the demo warehouse, once
    uv run python bench/bench_startup.py --warehouse /tmp/startup/warehouse.duckdb [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ingest import REPO, RESULTS, compile_bytecode

BIN = Path(sys.executable).parent
QUERY = "select count(*) from core.fact_dossier"
BARE = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).sql(sys.argv[2]).fetchall()"
# the stages of `cchc checks` (warehouse/cli.py), timed after the imports
CHECKS_WORK = """
import json, sys, time
from pathlib import Path
from warehouse import pipeline
from warehouse.clock import judging_moment
from warehouse.config import load_config
from warehouse.db import open_writer
settings = load_config(None)
started = time.perf_counter()
with open_writer(Path(sys.argv[1])) as con:
    pipeline.refresh_indicators(con, settings)
    pipeline.judge(con, settings, now=judging_moment(None, settings.as_of))
print(json.dumps({"work": time.perf_counter() - started}))
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 2):  # cchc checks exits 2 only with --fail-on
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def measure(warehouse: Path, rounds: int, report_rounds: int, env: dict[str, str]) -> dict:
    """Median seconds of each command over the rounds, the order alternating."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    copy = scratch / "data" / "warehouse.duckdb"
    copy.parent.mkdir()
    cchc = str(BIN / "cchc")
    current = scratch / "current" / "warehouse.duckdb"  # its marts up to date, untimed
    current.parent.mkdir()
    shutil.copy(warehouse, current)
    timed([cchc, "checks", "--warehouse", str(current)], env)
    commands = {
        "python: duckdb query": [sys.executable, "-c", BARE, str(warehouse), QUERY],
        "cchc sql": [cchc, "sql", QUERY, "--warehouse", str(warehouse)],
        "cchc checks": [cchc, "checks", "--warehouse", str(copy)],
        "checks work (in-process)": [sys.executable, "-c", CHECKS_WORK, str(copy)],
        "cchc report": [
            cchc,
            "report",
            "--out",
            str(scratch / "r.html"),
            "--warehouse",
            str(warehouse),
        ],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(rounds):
        names = list(commands) if round_ % 2 == 0 else list(reversed(commands))
        for name in names:
            if name == "cchc report" and round_ >= report_rounds:
                continue
            if "checks" in name:
                shutil.copy(current, copy)
            seconds, out = timed(commands[name], env)
            times[name].append(
                json.loads(out.splitlines()[-1])["work"]
                if name.startswith("checks work")
                else seconds
            )
    shutil.rmtree(scratch, ignore_errors=True)
    return {name: statistics.median(values) for name, values in times.items()} | {
        "rounds": {name: [round(v, 3) for v in values] for name, values in times.items()}
    }


def print_table(title: str, medians: dict) -> None:
    bare = medians["python: duckdb query"]
    work = medians["checks work (in-process)"]
    rows = [
        ("python: duckdb query", medians["python: duckdb query"], "1.00"),
        ("cchc sql", medians["cchc sql"], f"{medians['cchc sql'] / bare:.2f}"),
        ("cchc checks", medians["cchc checks"], f"{medians['cchc checks'] / bare:.2f}"),
        ("  its work, timed inside", work, ""),
        (
            "  ÷ (bare query process + its work)",
            bare + work,
            f"{medians['cchc checks'] / (bare + work):.2f}",
        ),
        ("cchc report", medians["cchc report"], ""),
    ]
    print(f"\n{title}\n| command | median s | × bare |\n|---|---|---|")
    for name, seconds, ratio in rows:
        print(f"| {name} | {seconds:.3f} | {ratio} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path, default=REPO / "data" / "warehouse.duckdb")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--report-rounds", type=int, default=3)
    parser.add_argument("--no-bytecode", action="store_true", help="also measure without .pyc")
    args = parser.parse_args()
    if not args.warehouse.exists():
        raise SystemExit(f"no warehouse at {args.warehouse}: build one with `cchc run` first")
    env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"bytecode compiled in {compile_bytecode():.1f} s; {os.cpu_count()} CPUs, load {load}")
    results = {"compiled": measure(args.warehouse, args.rounds, args.report_rounds, env)}
    print_table("with bytecode caches", results["compiled"])
    if args.no_bytecode:
        cache = Path(tempfile.mkdtemp(prefix="empty-pycache-"))
        cold = {**env, "PYTHONPYCACHEPREFIX": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
        results["no_bytecode"] = measure(args.warehouse, max(3, args.rounds // 2), 1, cold)
        shutil.rmtree(cache, ignore_errors=True)
        print_table(
            "without bytecode caches (PYTHONDONTWRITEBYTECODE=1, empty cache)",
            results["no_bytecode"],
        )
    out = RESULTS / "startup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
