"""Slash commands from `.claude/commands/*.md`: listed for the UI, expanded into a prompt in chat."""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec
import yaml

from app.runtime.templates import split_frontmatter

log = logging.getLogger(__name__)


class SlashCommand(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str = ""
    argument_hint: str = ""
    body: str = ""


def load_slash_commands(cwd: Path) -> dict[str, SlashCommand]:
    """Commands by name (file stem; sub-folders give `folder:name`), broken files logged and skipped."""
    folder = cwd / ".claude" / "commands"
    commands: dict[str, SlashCommand] = {}
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        name = ":".join(path.relative_to(folder).with_suffix("").parts)
        try:
            meta, body = split_frontmatter(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, yaml.YAMLError) as error:
            log.warning("skipping slash command %s: %s", path, error)
            continue
        description = str(meta.get("description") or "").strip() or _first_line(body)
        hint = str(meta.get("argument-hint") or meta.get("argument_hint") or "")
        commands[name] = SlashCommand(
            name=name, description=description, argument_hint=hint, body=body.strip()
        )
    return commands


def _first_line(body: str) -> str:
    return next((line.strip("# ").strip() for line in body.splitlines() if line.strip()), "")


def expand_slash_command(message: str, commands: dict[str, SlashCommand]) -> str:
    """`/name args` becomes the command's body with `$ARGUMENTS` and `$1`…`$9` filled; other text stays."""
    if not message.startswith("/"):
        return message
    head, _, arguments = message[1:].partition(" ")
    command = commands.get(head.strip())
    if command is None:
        return message
    arguments = arguments.strip()
    body = command.body.replace("$ARGUMENTS", arguments)
    words = arguments.split()
    for index in range(9, 0, -1):
        body = body.replace(f"${index}", words[index - 1] if index <= len(words) else "")
    takes_arguments = "$ARGUMENTS" in command.body or any(f"${i}" in command.body for i in range(1, 10))
    if arguments and not takes_arguments:
        body = f"{body}\n\n{arguments}"
    return body
