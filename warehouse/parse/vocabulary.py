"""The export contract's synonyms and vocabularies, read once from vocabulary.toml.

A configuration may add words to them (cchc.toml's [vocabulary], read by
vocabulary_extension.py): `load_vocabulary(extension)` is then the built-in vocabulary with
those entries added, built by the same code, so an added word behaves exactly like a built-in.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from warehouse.parse.text import fold_key, value_key

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.toml")
KINDS = ("dossiers", "report", "catalogue")
# What a dossier says (its content): two dossier rows with the same code are the same version
# when these agree. The batch loader stores them (warehouse/dossier_batches.py) and the load SQL
# compares them as $dossier_content (31_conflicts.sql: repeats in a file; 40_versions.sql:
# earlier versions). Every other column of core.fact_dossier is identity or provenance.
DOSSIER_CONTENT_COLUMNS = (
    "agency_key",
    "procedure_key",
    "channel",
    "service_level",
    "received_at",
    "due_at",
    "completed_at",
    "returned_at",
    "status",
    "digitized",
    "e_result",
    "paid_online",
    "satisfaction",
)


@dataclass(frozen=True)
class KindVocabulary:
    """Header knowledge for one export kind."""

    kind: str
    columns: dict[str, str]  # fold_key(header text) → canonical column
    header_texts: dict[str, list[str]]  # canonical column → its header texts as written
    signature: tuple[str, ...]
    required: tuple[str, ...]


@dataclass(frozen=True)
class ReportVocabulary:
    """Extra header knowledge for report tables: count groups, leaves and section rows."""

    groups: dict[str, str]  # fold_key(group text) → group name
    leaves: dict[str, dict[str, str]]  # group → fold_key(leaf text) → canonical column
    ignored_levels: frozenset[str]
    counts: tuple[str, ...]
    sections: dict[str, str]  # fold_key(section text) → level


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict[str, KindVocabulary]
    report: ReportVocabulary
    values: dict[str, dict[str, object]]  # vocabulary → value_key(text) → canonical value
    value_texts: dict[str, list[str]]  # vocabulary → the texts as written, for messages


# Words a configuration adds: (table, text, canonical), the table named by its path in
# vocabulary.toml ("values.status", "dossiers.columns", "report.leaves.pending"). A tuple, so
# that each extension's vocabulary is built once (load_vocabulary is cached on it).
Extension = tuple[tuple[str, str, object], ...]


def _synonym_map(table: dict[str, list[str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, synonyms in table.items():
        for text in [canonical, *synonyms]:
            key = fold_key(text)
            if mapping.get(key, canonical) != canonical:
                raise ValueError(
                    f"{VOCABULARY_FILE.name}: {text!r} names both {mapping[key]} and {canonical}"
                )
            mapping[key] = canonical
    return mapping


@cache
def built_in_tables() -> dict:
    """vocabulary.toml as read (callers copy before changing it)."""
    return tomllib.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))


def _extended(raw: dict, extension: Extension) -> dict:
    """`raw` with the extension's words added to their tables (checked beforehand by
    vocabulary_extension.read_extension: none of them changes what a word means)."""
    raw = copy.deepcopy(raw)
    for path, text, canonical in extension:
        table = raw
        for part in path.split("."):
            table = table[part]
        if path.startswith("values."):
            table[text] = canonical
        else:
            table[str(canonical)] = [*table[str(canonical)], text]
    return raw


@cache
def load_vocabulary(extension: Extension = ()) -> Vocabulary:
    """The built-in vocabulary, plus `extension`'s words where a configuration adds some."""
    raw = _extended(built_in_tables(), extension) if extension else built_in_tables()
    kinds = {}
    for kind in KINDS:
        section = raw[kind]
        columns = _synonym_map(section["columns"])
        if kind == "report":
            columns |= {fold_key(c): c for c in section["counts"]}
        kinds[kind] = KindVocabulary(
            kind=kind,
            columns=columns,
            header_texts=dict(section["columns"]),
            signature=tuple(section["signature"]),
            required=tuple(section["required"]),
        )
    rep = raw["report"]
    report = ReportVocabulary(
        groups=_synonym_map(rep["groups"]),
        leaves={group: _synonym_map(leaves) for group, leaves in rep["leaves"].items()},
        ignored_levels=frozenset(fold_key(t) for t in rep["ignored_levels"]),
        counts=tuple(rep["counts"]),
        sections={fold_key(t): level for level, texts in rep["sections"].items() for t in texts},
    )
    values = {
        name: {value_key(text): canonical for text, canonical in table.items()}
        for name, table in raw["values"].items()
    }
    texts = {name: list(table) for name, table in raw["values"].items()}
    return Vocabulary(kinds=kinds, report=report, values=values, value_texts=texts)
