"""The data dictionary (dictionary.toml) written where people meet it: in the warehouse as
COMMENT ON (so `duckdb_columns()`, DBeaver or harlequin show what a column means) and in
docs/tables.md. One source, three outputs; run `uv run python -m warehouse.dictionary` after
editing the TOML, and tests/test_dictionary.py fails until the outputs match it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DICTIONARY_FILE = Path(__file__).with_name("dictionary.toml")
ROOT = Path(__file__).resolve().parent.parent
# where each schema's comments run: core once the tables exist, mart after every rebuild
OUTPUTS = {"core": "sql/schema/90_dictionary.sql", "mart": "sql/marts/99_dictionary.sql"}
DOCS = "docs/tables.md"


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


def comments_sql(tables: list[TableEntry], schema: str) -> str:
    """COMMENT ON every table and column of `schema`, with a header like every SQL file."""
    lines = [
        f"-- Grain: one comment per table and column of {schema} (the data dictionary).",
        "-- Generated from warehouse/dictionary.toml by `python -m warehouse.dictionary`:",
        "-- edit the TOML, not this file. Reads nothing.",
    ]
    for table in tables:
        if not table.name.startswith(schema + "."):
            continue
        kind = table.kind.upper()
        lines.append(f"COMMENT ON {kind} {table.name} IS {_quoted(table.about.comment)};")
        for column, entry in table.columns.items():
            lines.append(f"COMMENT ON COLUMN {table.name}.{column} IS {_quoted(entry.comment)};")
    return "\n".join(lines) + "\n"


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
    files = {path: comments_sql(tables, schema) for schema, path in OUTPUTS.items()}
    files[DOCS] = tables_markdown(tables)
    return files


if __name__ == "__main__":
    for relative, text in outputs(load_dictionary()).items():
        (ROOT / relative).write_text(text, encoding="utf-8")
        print(f"wrote {relative}")
