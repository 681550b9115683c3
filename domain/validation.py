"""Format rules for inputs, shared by the aggregates: agent names, models, text sizes, slugs, log levels."""

from __future__ import annotations

import re

from domain.errors import InvalidModel, InvalidName, InvalidValue, TextTooLong

NAME_MAX_LENGTH = 64
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Names the chat and the logs already use for the other participants.
RESERVED_NAMES = frozenset({"orchestrator", "user", "system"})

MESSAGE_MAX_CHARS = 100_000  # chat messages, agent commands, system prompts, log messages
CONTENT_MAX_CHARS = 1_000_000  # what agents produce: blocks, tool results, diffs (the runtime truncates)
SHORT_TEXT_MAX_CHARS = 1_000  # ids from the SDK, tool names, reasons
SUMMARY_MAX_CHARS = SHORT_TEXT_MAX_CHARS * 10
PATH_MAX_CHARS = 4_096

MODEL_ALIASES = frozenset({"sonnet", "opus", "haiku", "opusplan", "sonnet[1m]"})
MODEL_ID_PATTERN = re.compile(r"claude-[a-z0-9][a-z0-9.-]{0,98}")

SLUG_MAX_LENGTH = 80
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def check_agent_name(name: str, field: str = "name") -> str:
    """Lowercase only, so names are unique without case folding and read the same everywhere."""
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        raise InvalidName(
            f"{field} must be 1 to {NAME_MAX_LENGTH} characters long, got {len(name)}", field=field
        )
    if NAME_PATTERN.fullmatch(name) is None:
        hint = " (use lowercase)" if NAME_PATTERN.fullmatch(name.lower()) else ""
        raise InvalidName(
            f"{field} {name!r} must match [a-z0-9][a-z0-9_-]*: start with a lowercase letter or digit, "
            f"then lowercase letters, digits, '_' or '-'{hint}",
            field=field,
        )
    if name in RESERVED_NAMES:
        raise InvalidName(f"{field} {name!r} is reserved ({', '.join(sorted(RESERVED_NAMES))})", field=field)
    return name


def check_model(model: str, field: str = "model") -> str:
    if model in MODEL_ALIASES or MODEL_ID_PATTERN.fullmatch(model):
        return model
    raise InvalidModel(
        f"{field} {model!r} is not a model: use an alias ({', '.join(sorted(MODEL_ALIASES))}) "
        "or a model id 'claude-…' (lowercase letters, digits, '.', '-')",
        field=field,
    )


def check_text(text: str, field: str, max_chars: int = MESSAGE_MAX_CHARS, *, required: bool = True) -> str:
    if len(text) > max_chars:
        raise TextTooLong(f"{field} is {len(text)} characters long; the limit is {max_chars}", field=field)
    if required and not text.strip():
        raise InvalidValue(f"{field} must not be empty or only whitespace", field=field)
    return text


def check_slug(slug: str, field: str = "task_slug") -> str:
    if len(slug) > SLUG_MAX_LENGTH or SLUG_PATTERN.fullmatch(slug) is None:
        raise InvalidValue(
            f"{field} {slug!r} must be 1 to {SLUG_MAX_LENGTH} characters of lowercase letters and digits "
            "in words joined by single '-'",
            field=field,
        )
    return slug


def slug_from(text: str, suffix: str, max_words: int = 6) -> str:
    """A readable task slug from the first words of a prompt, made unique by `suffix`."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    stem = "-".join(words)[: SLUG_MAX_LENGTH - len(suffix) - 1].strip("-")
    return f"{stem}-{suffix}" if stem else suffix


def check_level(level: str, field: str = "level") -> str:
    if level not in LOG_LEVELS:
        raise InvalidValue(f"{field} {level!r} must be one of {', '.join(LOG_LEVELS)}", field=field)
    return level


def check_turn_report(duration_ms: int, num_turns: int, result: str) -> None:
    """What the SDK's result message says about a finished turn, besides its usage."""
    check_count(duration_ms, "duration_ms")
    check_count(num_turns, "num_turns")
    check_text(result, "result", CONTENT_MAX_CHARS, required=False)


def check_summary(summary: str, subject_kind: str) -> None:
    """A generated summary and the kind of entry it summarises (a block, a hook call, a log line)."""
    check_text(summary, "summary", SUMMARY_MAX_CHARS)
    check_text(subject_kind, "subject_kind", SHORT_TEXT_MAX_CHARS)


def check_count(value: int, field: str) -> int:
    if value < 0:
        raise InvalidValue(f"{field} must be >= 0, got {value}", field=field)
    return value
