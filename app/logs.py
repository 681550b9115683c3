"""Process logging: a Rich console and hourly rotating files under LOG_DIR."""

from __future__ import annotations

import logging
from logging.handlers import TimedRotatingFileHandler

from rich.logging import RichHandler

from app.settings import Settings


def configure_logging(settings: Settings) -> None:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    files = TimedRotatingFileHandler(settings.log_dir / "o3s.log", when="H", backupCount=72, encoding="utf-8")
    files.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"))
    console = RichHandler(rich_tracebacks=True, show_path=False)
    logging.basicConfig(level=settings.log_level.upper(), handlers=[console, files], force=True)
