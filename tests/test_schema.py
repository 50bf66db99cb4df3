"""The schema's ENUM types and the parser's vocabularies must name the same values.

A value the vocabulary maps to but the ENUM lacks would fail every load that meets it; a value
the ENUM has but no text maps to is dead. Either drift is caught here, not in a night's load.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.db import ensure_schema
from warehouse.parse.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path: Path = tmp_path_factory.mktemp("schema") / "warehouse.duckdb"
    connection = duckdb.connect(str(path))
    ensure_schema(connection)
    return connection


@pytest.mark.parametrize(
    ("enum", "vocabulary"),
    [
        ("enum_channel", "channel"),
        ("enum_service_level", "service_level"),
        ("enum_status", "status"),
        ("enum_satisfaction", "satisfaction"),
    ],
)
def test_each_dossier_enum_holds_exactly_its_vocabularys_values(
    con: duckdb.DuckDBPyConnection, enum: str, vocabulary: str
) -> None:
    members = con.execute(f"SELECT enum_range(NULL::core.{enum})").fetchone()[0]
    canonical = set(load_vocabulary().values[vocabulary].values())
    assert sorted(members) == sorted(canonical)


def test_dossier_columns_use_the_enums(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("fact_dossier", "fact_dossier_history"):
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'core' AND table_name = ?",
                [table],
            ).fetchall()
        )
        for column in ("channel", "service_level", "status", "outcome", "satisfaction"):
            assert types[column].startswith("ENUM("), (table, column, types[column])
