"""What the load declares once: the run order of its SQL (sql/load/steps.toml), nothing missing
or extra, and the content columns of a dossier (DOSSIER_CONTENT_COLUMNS)."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from warehouse.db import ensure_schema
from warehouse.dossier_batches import FEEDS, LOOKUPS
from warehouse.load import BATCH_LOADERS, kind_steps
from warehouse.parse.vocabulary import DOSSIER_CONTENT_COLUMNS
from warehouse.sqlfiles import SQL_DIR

FOLDERS = {
    "dossiers": "dossiers",
    "report": "reports",
    "catalogue": "catalogue",
    "scoreboard": "scoreboard",
}


def declared(kind: str) -> list[str]:
    steps = kind_steps()[kind]
    return [*steps.start, *steps.batch, *steps.finish]


def test_every_kind_has_steps_and_a_batch_loader() -> None:
    assert set(kind_steps()) == set(FOLDERS) == set(BATCH_LOADERS)


@pytest.mark.parametrize(("kind", "folder"), FOLDERS.items())
def test_every_file_of_the_kinds_folder_runs_exactly_once(kind: str, folder: str) -> None:
    on_disk = {f"load/{folder}/{p.name}" for p in (SQL_DIR / "load" / folder).glob("*.sql")}
    own = Counter(step for step in declared(kind) if step.startswith(f"load/{folder}/"))
    assert set(own) == on_disk
    assert all(times == 1 for times in own.values()), own


@pytest.mark.parametrize("kind", FOLDERS)
def test_every_declared_step_exists(kind: str) -> None:
    missing = [step for step in declared(kind) if not (SQL_DIR / step).is_file()]
    assert not missing


def test_what_the_dossier_loader_feeds_and_looks_up_are_batch_steps_in_order() -> None:
    batch = kind_steps()["dossiers"].batch
    assert set(FEEDS) | set(LOOKUPS) <= set(batch)
    # the keys are found before the rows that carry them go in
    facts = batch.index("load/dossiers/20_batch_facts.sql")
    assert all(batch.index(step) < facts for step in LOOKUPS)


# core.fact_dossier's columns that are not what a dossier says: its identity and provenance
NOT_CONTENT = {"dossier_code", "portal_code", "outcome", "file_id", "source_row"}


def test_every_column_of_a_dossier_is_content_or_named_as_identity_or_provenance() -> None:
    """A column added to core.fact_dossier must be declared content (or not) in one place."""
    con = duckdb.connect()
    ensure_schema(con)
    columns = [
        name
        for (name,) in con.execute(
            "SELECT column_name FROM duckdb_columns() "
            "WHERE schema_name = 'core' AND table_name = 'fact_dossier' ORDER BY column_index"
        ).fetchall()
    ]
    assert set(columns) - NOT_CONTENT == set(DOSSIER_CONTENT_COLUMNS)
    assert len(set(DOSSIER_CONTENT_COLUMNS)) == len(DOSSIER_CONTENT_COLUMNS)


def test_the_dossier_sql_compares_the_declared_content_and_no_list_of_its_own() -> None:
    for step in ("load/dossiers/31_conflicts.sql", "load/dossiers/40_versions.sql"):
        text = (SQL_DIR / step).read_text(encoding="utf-8")
        assert "COLUMNS($dossier_content)" in text
        assert "e_result" not in text and "paid_online" not in text
