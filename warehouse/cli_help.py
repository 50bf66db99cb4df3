"""How `cchc ... --help` shows its options: what each takes, never a bare `<bool>`; the
options every command shares, written once, and how they are read (--warehouse, --config,
--as-of); how a command fails: its error printed, exit status 1.

typer prints a type beside every option, a flag included (`--json <bool>`, `--help <bool>`),
which reads as if the flag took a value. A flag takes none, so here it shows no type; the
other options name what they take through their metavar (`<date>`, `<file>`, `<code>`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # the configuration's module is imported by the commands that read one
    from warehouse.config import Config


def _without_flag_types(params: list[Any]) -> list[Any]:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # shown as the type: nothing
    return params


class Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_types(super().get_params(ctx))


class Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_types(super().get_params(ctx))


class App(typer.Typer):
    """typer.Typer whose commands (and the group itself) print flags without a type."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(cls=Group, **settings)

    def command(self, *args: Any, **settings: Any) -> Any:
        return super().command(*args, cls=settings.pop("cls", Command), **settings)


# The options most commands take. A default that is not a plain value (an environment
# variable, then a fallback) is written in the help, in brackets like typer's own.
WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        metavar="<file>",
        help="The warehouse, a DuckDB file "
        "\\[default: $CCHC_WAREHOUSE, else data/warehouse.duckdb].",
        show_default=False,
    ),
]
DEFAULT_WAREHOUSE = Path("data") / "warehouse.duckdb"


def resolve_warehouse(path: Path | None) -> Path:
    """--warehouse, else $CCHC_WAREHOUSE, else data/warehouse.duckdb."""
    return Path(path or os.environ.get("CCHC_WAREHOUSE") or DEFAULT_WAREHOUSE)


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="<file>",
        help="The configuration, a cchc.toml "
        "\\[default: $CCHC_CONFIG, else the built-in demo configuration].",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="<date>",
        help="Judge as of this date, YYYY-MM-DD \\[default: \\[run] as_of of the configuration, "
        "else now].",
        show_default=False,
    ),
]

# Flags, one line each in a command's signature like the options above.
NotifyFlag = Annotated[
    bool, typer.Option("--notify", help="Also send the digest to the configured targets.")
]
VerboseFlag = Annotated[
    bool, typer.Option("--verbose", help="Also print a table of every portal's load.")
]


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"cchc-warehouse {version('cchc-warehouse')}")
        raise typer.Exit()


VersionFlag = Annotated[
    bool,
    typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version."),
]


@contextmanager
def exit_1_on(*errors: type[Exception], prefix: str = "") -> Iterator[None]:
    """Run the block; one of `errors` is printed (after `prefix`) and the command exits with 1."""
    try:
        yield
    except errors as error:
        fail(f"{prefix}{error}")


def fail(message: str) -> NoReturn:
    """Print `message` as an error and exit with status 1. The console (rich) is imported
    here and by the commands that print with it: `cchc sql --format csv` runs without it."""
    from warehouse.console import print_error

    print_error(message)
    raise typer.Exit(1) from None


def settings_of(config: Path | None) -> Config:
    """The configuration, or its error printed and exit status 1."""
    from warehouse.config import ConfigError, load_config

    with exit_1_on(ConfigError):
        return load_config(config)


def moment_of(as_of: str | None, settings):  # type: ignore[no-untyped-def]
    """The one clock: --as-of, else [run] as_of, else now (warehouse/clock.py)."""
    from warehouse.clock import judging_moment, parse_as_of

    with exit_1_on(ValueError, prefix="--as-of: "):
        return judging_moment(parse_as_of(as_of) if as_of else None, settings.as_of)
