"""Synthetic dossier lists at any volume: the package's generator (warehouse/demo/volume.py).

Kept under this name for the tests that import it; the benchmark and the command line use
the package module directly:

    uv run python -m warehouse.demo.volume OUT.csv --rows 2000000
"""

from __future__ import annotations

from warehouse.demo.volume import DATETIME_FORMAT, RELEASE, YEAR, write_dossier_csv

__all__ = ["DATETIME_FORMAT", "RELEASE", "YEAR", "write_dossier_csv"]
