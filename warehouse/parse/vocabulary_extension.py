"""Words a configuration adds to the vocabulary (cchc.toml's [vocabulary]), checked.

A province's portal may write a status ("Đang giải quyết"), a channel or a header the contract
does not list. Rather than edit the package, the configuration adds them, in tables shaped like
vocabulary.toml's own:

    [vocabulary.values.status]          # value tables: text = canonical value
    "Đang giải quyết" = "pending"
    [vocabulary.dossiers.columns]       # header tables: canonical column = [texts]
    received_at = ["Ngày nộp hồ sơ"]

An extension only adds: a word that already means something else (in the built-in vocabulary
or earlier in the extension) is refused, naming the key, so a configuration can never quietly
change what an export means. A word that already means the same is accepted and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from warehouse.parse.text import fold_key, value_key
from warehouse.parse.vocabulary import KINDS, Extension, built_in_tables


class VocabularyError(ValueError):
    """An entry of [vocabulary] is not a table, not a canonical value, or changes a meaning."""


def header_tables(raw: Mapping) -> dict[str, dict[str, list[str]]]:
    """Every canonical → [texts] table of vocabulary.toml, by its dotted path."""
    tables = {f"{kind}.columns": raw[kind]["columns"] for kind in KINDS}
    tables["report.groups"] = raw["report"]["groups"]
    tables["report.sections"] = raw["report"]["sections"]
    for group, leaves in raw["report"]["leaves"].items():
        tables[f"report.leaves.{group}"] = leaves
    return tables


def value_tables(raw: Mapping) -> dict[str, dict[str, object]]:
    """Every text → canonical table of vocabulary.toml, by its dotted path."""
    return {f"values.{name}": table for name, table in raw["values"].items()}


def read_extension(raw: Mapping[str, object]) -> Extension:
    """The entries of a [vocabulary] table; VocabularyError names the first wrong one."""
    built_in = built_in_tables()
    headers, values = header_tables(built_in), value_tables(built_in)
    entries: list[tuple[str, str, object]] = []
    for path, table in _tables(raw, set(headers) | set(values)):
        if path in values:
            entries += _value_entries(path, table, values[path])
        else:
            known = _header_keys(path, headers[path], built_in)
            entries += _header_entries(path, table, known)
    return tuple(entries)


def _tables(raw: Mapping, known: set[str], prefix: str = "") -> Iterator[tuple[str, Mapping]]:
    for key, value in raw.items():
        path = f"{prefix}{key}"
        if not isinstance(value, Mapping):
            raise VocabularyError(f"[vocabulary.{path}]: write it as a table ({_paths(known)})")
        if path in known:
            yield path, value
        elif any(k.startswith(f"{path}.") for k in known):
            yield from _tables(value, known, f"{path}.")
        else:
            raise VocabularyError(f"[vocabulary.{path}] is not a vocabulary table: use one of "
                                  f"{_paths(known)}")  # fmt: skip


def _paths(known: set[str]) -> str:
    return ", ".join(f"[vocabulary.{path}]" for path in sorted(known))


def _value_entries(
    path: str, table: Mapping[str, object], built_in: Mapping[str, object]
) -> Iterator[tuple[str, str, object]]:
    canonicals = list(dict.fromkeys(built_in.values()))
    meaning = {value_key(text): canonical for text, canonical in built_in.items()}
    for text, canonical in table.items():
        where = f'[vocabulary.{path}] "{text}" = {_shown(canonical)}'
        if not any(type(c) is type(canonical) and c == canonical for c in canonicals):
            choices = ", ".join(_shown(c) for c in canonicals)
            raise VocabularyError(f"{where}: the value must be one of {choices}")
        key = value_key(text)
        if not key:
            raise VocabularyError(f"{where}: an empty text matches nothing")
        if key in meaning:
            if meaning[key] != canonical:
                raise VocabularyError(_conflict(where, text, meaning[key]))
            continue  # already means that: nothing to add
        meaning[key] = canonical
        yield path, text, canonical


def _header_keys(path: str, table: Mapping[str, list[str]], raw: Mapping) -> dict[str, str]:
    """fold_key(header text) → canonical of one built-in header table."""
    known = {fold_key(t): canonical for canonical, texts in table.items() for t in texts}
    known |= {fold_key(canonical): canonical for canonical in table if path != "report.sections"}
    if path == "report.columns":  # count columns also match their own names
        known |= {fold_key(count): count for count in raw["report"]["counts"]}
    return known


def _header_entries(
    path: str, table: Mapping[str, object], known: dict[str, str]
) -> Iterator[tuple[str, str, object]]:
    canonicals = sorted(set(known.values()))
    for canonical, texts in table.items():
        where = f"[vocabulary.{path}] {canonical}"
        if canonical not in canonicals:
            raise VocabularyError(f"{where}: not a name of this table; use one of "
                                  f"{', '.join(canonicals)}")  # fmt: skip
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise VocabularyError(f'{where}: write the texts as a list, e.g. ["Ngày nộp"]')
        for text in texts:
            key = fold_key(text)
            if not key:
                raise VocabularyError(f'{where}: "{text}" matches nothing')
            if key in known:
                if known[key] != canonical:
                    raise VocabularyError(_conflict(f'{where} "{text}"', text, known[key]))
                continue
            known[key] = canonical
            yield path, text, canonical


def _conflict(where: str, text: str, meaning: object) -> str:
    return (
        f'{where}: "{text}" already means {_shown(meaning)}; an extension adds words, it '
        "cannot change what one means (remove the entry or map it to the same value)"
    )


def _shown(value: object) -> str:
    """A value as it is written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else repr(value)
