"""What a newcomer types first: `cchc --version`, `cchc init`, one query at a time."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from warehouse.config import load_config

from conftest import cchc


def test_version() -> None:
    code, out = cchc("--version")
    assert code == 0 and out.strip() == f"cchc-warehouse {version('cchc-warehouse')}"


def test_init_writes_a_configuration_that_loads_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "cchc.toml"
    code, out = cchc("init", str(path))
    assert code == 0 and "edit its [[portals]] and [[sources]]" in out
    config = load_config(path)
    assert list(config.portals) == ["H37"] and [s.portal for s in config.sources] == ["H37"]
    assert config.checks.warn_pp == 1.0 and config.portals["H37"].province_code == "20"
    path.write_text("# mine\n", encoding="utf-8")
    code, out = cchc("init", str(path))
    assert code == 1 and "exists" in out and path.read_text(encoding="utf-8") == "# mine\n"
    code, _ = cchc("init", str(path), "--force")
    assert code == 0 and "[[portals]]" in path.read_text(encoding="utf-8")


def test_sql_refuses_several_statements_instead_of_running_only_the_last(loaded: Path) -> None:
    code, out = cchc("sql", "SELECT 1; SELECT 2", "--warehouse", str(loaded))
    assert code == 1 and "holds 2" in out
    code, out = cchc("sql", "SELECT 41 + 1 AS answer", "--warehouse", str(loaded))
    assert code == 0 and "42" in out


def test_the_template_s_vocabulary_example_loads_once_uncommented(tmp_path: Path) -> None:
    """The commented [vocabulary] of `cchc init` is valid as written: uncommented, its words
    reach the portal (and so every load of it)."""
    path = tmp_path / "cchc.toml"
    assert cchc("init", str(path))[0] == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("# [vocabulary.values.status]")
    block = []
    for line in lines[start:]:
        if not line.startswith("# ") or not line[2:3].strip():
            break
        block.append(line[2:])
    path.write_text("\n".join([*lines, *block]) + "\n", encoding="utf-8")
    words = load_config(path).portal("H37").vocabulary
    assert ("values.status", "Đang giải quyết", "pending") in words
    assert ("values.status", "Hoàn thành", "resolved") in words
    assert ("dossiers.columns", "Ngày nộp hồ sơ", "received_at") in words


def test_init_writes_the_portals_asked_for_into_a_new_folder(tmp_path: Path) -> None:
    """`--portal CODE` (the contract's `cchc init [--portal CODE ...]`): a code the built-in
    configuration knows comes with its name and province; another one loads with a name to
    edit. The folder is made when missing."""
    path = tmp_path / "new" / "cchc.toml"
    code, _ = cchc("init", str(path), "--portal", "H37", "--portal", "X99")
    assert code == 0
    config = load_config(path)
    assert list(config.portals) == ["H37", "X99"]
    assert config.portals["H37"].name == load_config().portals["H37"].name
    assert config.portals["H37"].province_code == "20"
    assert config.portals["X99"].name == "Cổng dịch vụ công X99"
    assert [(s.portal, s.name) for s in config.sources] == [
        ("H37", "H37-exports"),
        ("X99", "X99-exports"),
    ]
    assert "# The national scoreboard" in path.read_text(encoding="utf-8")
