"""sql/load/steps.toml declares the run order of the load SQL: nothing in it is missing or extra."""

from __future__ import annotations

from collections import Counter

import pytest

from warehouse.dossier_batches import FEEDS, LOOKUPS
from warehouse.load import BATCH_LOADERS, kind_steps
from warehouse.sqlfiles import SQL_DIR

FOLDERS = {"dossiers": "dossiers", "report": "reports", "catalogue": "catalogue"}


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
