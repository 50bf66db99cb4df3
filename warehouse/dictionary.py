"""The data dictionary (dictionary.toml) written where people meet it: in the warehouse as
COMMENT ON (so `duckdb_columns()`, DBeaver or harlequin show what a column means) and in
docs/tables.md. One source: the comments are applied from it whenever the schema is ensured
(core) and the marts are rebuilt (mart), since DuckDB's COMMENT ON takes no parameters and a
generated SQL file would only repeat the TOML; docs/tables.md is written by
`uv run python -m warehouse.dictionary`, and tests/test_dictionary.py fails until it matches.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

DICTIONARY_FILE = Path(__file__).with_name("dictionary.toml")
ROOT = Path(__file__).resolve().parent.parent
DOCS = "docs/tables.md"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Entry:
    vi: str
    en: str

    @property
    def comment(self) -> str:
        return f"{self.vi} — {self.en}"


@dataclass(frozen=True)
class TableEntry:
    name: str  # schema.table
    about: Entry
    columns: dict[str, Entry]
    kind: str = "table"  # or "view"


def load_dictionary(path: Path = DICTIONARY_FILE) -> list[TableEntry]:
    tables = []
    for schema, entries in tomllib.loads(path.read_text(encoding="utf-8")).items():
        for table, entry in entries.items():
            columns = {c: Entry(vi, en) for c, (vi, en) in entry["columns"].items()}
            about = Entry(entry["vi"], entry["en"])
            kind = entry.get("kind", "table")
            tables.append(TableEntry(f"{schema}.{table}", about, columns, kind))
    return tables


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(tables: list[TableEntry], schema: str) -> list[str]:
    """COMMENT ON every table (view) and column of `schema` the dictionary describes. The names
    are the dictionary's own and must be plain identifiers; the texts are quoted."""
    statements = []
    for table in tables:
        if not table.name.startswith(schema + "."):
            continue
        if not _IDENTIFIER.match(table.name):
            raise ValueError(f"dictionary.toml: {table.name!r} is not schema.table")
        about = _quoted(table.about.comment)
        statements.append(f"COMMENT ON {table.kind.upper()} {table.name} IS {about}")
        for column, entry in table.columns.items():
            if not _IDENTIFIER.match(f"x.{column}"):
                raise ValueError(f"dictionary.toml: {table.name}.{column!r} is not a column name")
            text = _quoted(entry.comment)
            statements.append(f"COMMENT ON COLUMN {table.name}.{column} IS {text}")
    return statements


@cache
def _statements(schema: str) -> tuple[str, ...]:
    return tuple(comment_statements(load_dictionary(), schema))


def apply_comments(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """The dictionary's comments on `schema` ("core" once its tables exist, "mart" after each
    rebuild, which replaces its tables and with them their comments)."""
    for statement in _statements(schema):
        con.execute(statement)


def tables_markdown(tables: list[TableEntry]) -> str:
    lines = [
        "# Tables and columns",
        "",
        "The warehouse's own data dictionary (generated from `warehouse/dictionary.toml`; the same",
        "text is in the warehouse as comments: `SELECT table_name, column_name, comment FROM",
        "duckdb_columns() WHERE schema_name IN ('core', 'mart')`).",
    ]
    for table in tables:
        view = " (view)" if table.kind == "view" else ""
        lines += ["", f"## `{table.name}`{view}", "", f"{table.about.vi}. {table.about.en}.", ""]
        lines += ["| column | tiếng Việt | meaning |", "|---|---|---|"]
        lines += [f"| `{c}` | {e.vi} | {e.en} |" for c, e in table.columns.items()]
    return "\n".join(lines) + "\n"


def outputs(tables: list[TableEntry]) -> dict[str, str]:
    """Every generated file, by its path from the repository root."""
    return {DOCS: tables_markdown(tables)}


if __name__ == "__main__":
    for relative, text in outputs(load_dictionary()).items():
        (ROOT / relative).write_text(text, encoding="utf-8")
        print(f"wrote {relative}")
