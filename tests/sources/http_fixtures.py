"""The fixtures the HTTP source tests share, loaded with `pytest_plugins = ["http_fixtures"]`.

Not a tests/sources/conftest.py: a second module named conftest would shadow tests/conftest.py
for the tests that do `from conftest import ...`. Not in http_support.py either: a module that
tests import by name cannot also be loaded as a plugin without pytest warning that it was
imported before it could rewrite its asserts.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from http_support import Waits


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def refused() -> Iterator[str]:
    """`http://127.0.0.1:<port>`, a port bound (so nobody else takes it) but not listening."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}"
