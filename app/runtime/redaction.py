"""Removes secrets (keys, tokens, passwords, Authorization values) before anything is stored or streamed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

# A key whose value is a secret, whatever the value looks like.
_SECRET_KEY = re.compile(
    r"(?:^|[_\-.])(?:api[_\-]?key|key|token|secret|password|passwd|pwd|passphrase|authorization|"
    r"auth|cookie|credentials?|private[_\-]?key|access[_\-]?key|session[_\-]?token)$",
    re.IGNORECASE,
)
# Keys that end in "key"/"token" but carry no secret: identifiers the product itself shows.
_HARMLESS_KEYS = frozenset({"session_id", "tool_use_id", "max_tokens", "input_tokens", "output_tokens"})

# Secrets in free text: assignments (`API_KEY=...`, `"password": "..."`), bearer headers, known key shapes.
_ASSIGNMENT = re.compile(
    r"""(?P<name>\b[\w.\-]*(?:api[_\-]?key|_key|token|secret|password|passwd|pwd|passphrase|credentials?)\b)"""
    r"""(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^\s"'&;,}]{3,})""",
    re.IGNORECASE,
)
_AUTH_HEADER = re.compile(
    r"(?P<name>\bauthorization\s*[:=]\s*)(?:(?:bearer|basic|token)\s+)?[^\s\"',;]+", re.IGNORECASE
)
_BEARER = re.compile(r"\b(?P<name>bearer\s+)[A-Za-z0-9._~+/\-]{8,}=*", re.IGNORECASE)
_KNOWN_SHAPES = re.compile(
    r"\b(?:sk-ant-[A-Za-z0-9_\-]{10,}|sk-[A-Za-z0-9_\-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|"
    r"github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16}|"
    r"AIza[0-9A-Za-z_\-]{30,}|eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})"
)
_URL_PASSWORD = re.compile(r"(?P<name>\b[a-z][a-z0-9+.\-]*://[^\s:/@]+:)[^\s@/]+(?=@)", re.IGNORECASE)


def is_secret_key(key: str) -> bool:
    """Whether a mapping key or variable name names a secret (`ANTHROPIC_API_KEY`, `password`...)."""
    lowered = key.lower()
    if lowered in _HARMLESS_KEYS or lowered.endswith("_tokens"):
        return False
    return bool(_SECRET_KEY.search(lowered))


def redact_text(text: str) -> str:
    """Replaces secret values found in free text (commands, file contents, logs) with a marker."""
    if not text:
        return text
    text = _AUTH_HEADER.sub(lambda m: m["name"] + REDACTED, text)
    text = _BEARER.sub(lambda m: m["name"] + REDACTED, text)
    text = _ASSIGNMENT.sub(_replace_assignment, text)
    text = _URL_PASSWORD.sub(lambda m: m["name"] + REDACTED, text)
    return _KNOWN_SHAPES.sub(REDACTED, text)


def _replace_assignment(match: re.Match[str]) -> str:
    if is_secret_key(match["name"].strip("\"'")) or match["name"].lower().endswith(("_key", "token")):
        return match["name"] + match["sep"] + REDACTED
    return match.group(0)


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with secret-named keys masked and secrets in strings replaced."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            key: (_mask(item) if isinstance(key, str) and is_secret_key(key) else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def _mask(value: Any) -> Any:
    # Numbers and booleans under a secret-sounding key (e.g. `token_count`) carry no secret.
    if value is None or isinstance(value, bool | int | float):
        return value
    return REDACTED
