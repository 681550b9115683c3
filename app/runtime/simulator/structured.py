"""Answers shaped by a JSON schema (session titles, `output_format` requests), filled from the prompt."""

from __future__ import annotations

import re
from typing import Any

from app.runtime.simulator.templates import gist

_NUMBERED_ITEM = re.compile(r"^[ \t]*(?:\[\d+\]|\d+[.)])[ \t]+(\S.*)$", re.MULTILINE)


def fill_schema(schema: Any, text: str) -> Any:
    """A value that validates against common schemas: strings get a gist of `text`, arrays one
    element per numbered item of `text` (batched requests), objects every property."""
    if not isinstance(schema, dict):
        return gist(text)
    if schema.get("enum"):
        return schema["enum"][0]
    match schema.get("type"):
        case "object":
            properties = schema.get("properties") or {}
            return {name: fill_schema(sub, text) for name, sub in properties.items()}
        case "array":
            items = _NUMBERED_ITEM.findall(text) or [text]
            return [fill_schema(schema.get("items"), item) for item in items]
        case "integer" | "number":
            return 0
        case "boolean":
            return False
        case "null":
            return None
        case _:
            return gist(text)
