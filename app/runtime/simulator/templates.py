"""Fills `{group}` / `{group:filter}` placeholders in scenario strings and tool inputs."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?P<name>\w+)(?::(?P<filter>\w+))?\}")
GIST_WORDS = 12
RESULT_CHARS = 600

Values = Mapping[str, str | None]


class TemplateError(ValueError):
    """A scenario template names an unknown filter."""


def render_text(template: str, values: Values) -> str:
    """Render a string template; missing groups become empty strings."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        value = _filtered(values.get(match["name"]), match["filter"], values)
        return "" if value is None else str(value)

    return PLACEHOLDER.sub(replace, template)


def render_input(template: Mapping[str, Any], values: Values) -> dict[str, Any]:
    """Render a tool input; a value that is one placeholder of a missing group drops its key."""
    rendered: dict[str, Any] = {}
    for key, value in template.items():
        filled = _render_value(value, values)
        if filled is not _MISSING:
            rendered[key] = filled
    return rendered


_MISSING = object()


def _render_value(value: Any, values: Values) -> Any:
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole and whole["name"]:
            filled = _filtered(values.get(whole["name"]), whole["filter"], values)
            return _MISSING if filled is None else filled
        return render_text(value, values)
    if isinstance(value, Mapping):
        return render_input(value, values)
    if isinstance(value, list):
        return [item for item in (_render_value(v, values) for v in value) if item is not _MISSING]
    return value


def _filtered(value: str | None, name: str | None, values: Values) -> Any:
    if value is None:
        return "" if name == "str" else None
    match name:
        case "str":
            return value
        case None:
            return value
        case "int":
            return int(value)
        case "flag":
            return bool(value.strip())
        case "path":
            return in_directory(value, values.get("cwd"))
        case "gist":
            return gist(value)
        case "short":
            return shorten(value, RESULT_CHARS)
        case _:
            raise TemplateError(f"unknown template filter {name!r}")


def in_directory(path: str, cwd: str | None) -> str:
    """An absolute path for `path`, relative to the agent's working directory when one is known."""
    if posixpath.isabs(path) or not cwd:
        return path
    return posixpath.normpath(posixpath.join(cwd, path))


def gist(text: str, words: int = GIST_WORDS) -> str:
    """The first line of `text`, cut to a few words: a one-line summary good enough for a simulator."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    head = lines[0].split() if lines else []
    return " ".join(head[:words]) + ("…" if len(head) > words or len(lines) > 1 else "")


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
