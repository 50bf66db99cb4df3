"""XLS (BIFF): each sheet's size measured in a child process with capped memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from warehouse.config import Limits
from warehouse.parse.formats.raw import UnreadableFile, within_cells

# Run in a child process with capped memory: a genuine XLS is small, but calamine allocates
# every cell of the range its cells span, and a few bytes can span the 16.7 million cells of
# a legacy sheet (1.5 GiB). The child says how big each sheet is; only then is it read here.
_XLS_PROBE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import fastexcel
reader = fastexcel.read_excel(open(sys.argv[1], "rb").read())
sizes = {}
for name in reader.sheet_names:
    sheet = reader.load_sheet(name, header_row=None, dtypes="string", n_rows=1)
    sizes[name] = [sheet.total_height, sheet.width]
print(json.dumps(sizes))
"""
XLS_PROBE_MEMORY = 1536 * 1024 * 1024


def probe_xls(path: Path, limits: Limits) -> None:
    """Refuse a genuine XLS whose sheets span more than `limits` cells, measured in a child."""
    try:
        probe = subprocess.run(
            [sys.executable, "-c", _XLS_PROBE, str(path), str(XLS_PROBE_MEMORY)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFile(
            "reading the XLS workbook took more than 2 minutes", reason="too_large"
        ) from None
    if probe.returncode != 0:
        if "memory allocation" in probe.stderr or "MemoryError" in probe.stderr:
            raise UnreadableFile(
                f"reading the XLS workbook needs more than {XLS_PROBE_MEMORY // 1024**2:,} MiB",
                reason="too_large",
            )
        last = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        raise UnreadableFile(f"a damaged XLS workbook: {last}", reason="damaged_file")
    for name, (rows, columns) in json.loads(probe.stdout).items():
        within_cells(f"sheet {name!r}", rows, columns, limits)
