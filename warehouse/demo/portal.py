"""The demo portal during a command: the built-in demo exports served on 127.0.0.1 while `cchc
run` or `cchc serve` works with the built-in demo configuration."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEMO_URL_VARIABLE = "CCHC_DEMO_URL"


@contextmanager
def demo_url(base_url: str) -> Iterator[None]:
    """$CCHC_DEMO_URL = `base_url` inside the block, then as it was.

    The demo configuration's sources name `${CCHC_DEMO_URL}/<portal>/<file>`, and
    config.source_url expands it from the environment when a source is fetched, as it does
    for any `${NAME}`; a served deployment's flow runs read it the same way. This is the one
    place that sets it.
    """
    previous = os.environ.get(DEMO_URL_VARIABLE)
    os.environ[DEMO_URL_VARIABLE] = base_url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DEMO_URL_VARIABLE, None)
        else:
            os.environ[DEMO_URL_VARIABLE] = previous


@contextmanager
def demo_portal(config: Path | None, data_dir: Path) -> Iterator[str | None]:
    """With the built-in demo configuration (neither `config` nor $CCHC_CONFIG names another),
    serve the demo exports of `data_dir` on 127.0.0.1 for the block and yield their base URL;
    with any other configuration, do nothing and yield None."""
    if config or os.environ.get("CCHC_CONFIG"):
        yield None
        return
    from warehouse.demo.server import serving
    from warehouse.demo.site import demo_exports

    with serving(demo_exports(data_dir)) as base_url, demo_url(base_url):
        yield base_url
