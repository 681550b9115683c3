"""What the chat input offers: slash commands (`.claude/commands/*.md`) and agent templates
(`.claude/agents/*.md`) of the working directory, listed by name and description."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from read_api.responses import AgentTemplate, SlashCommand

log = logging.getLogger(__name__)


def _frontmatter(path: Path) -> tuple[dict[str, Any], str]:
    """The YAML mapping between leading `---` fences, and the body; files without fences have no mapping."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}, text
    head, fence, body = text[3:].partition("\n---")
    if not fence:
        return {}, text
    meta = yaml.safe_load(head) or {}
    if not isinstance(meta, dict):
        raise TypeError("frontmatter is not a mapping")
    return {str(key): value for key, value in meta.items()}, body.partition("\n")[2]


def _first_line(body: str) -> str:
    return next((line.strip("# ").strip() for line in body.splitlines() if line.strip()), "")


def _text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def slash_commands(working_dir: Path) -> list[SlashCommand]:
    """By name (sub-folders give `folder:name`); unreadable files are logged and left out."""
    folder = working_dir / ".claude" / "commands"
    found: list[SlashCommand] = []
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        try:
            meta, body = _frontmatter(path)
        except (OSError, ValueError, TypeError, yaml.YAMLError) as error:
            log.warning("skipping slash command %s: %s", path, error)
            continue
        found.append(
            SlashCommand(
                name=":".join(path.relative_to(folder).with_suffix("").parts),
                description=_text(meta.get("description")) or _first_line(body),
                argument_hint=_text(meta.get("argument-hint") or meta.get("argument_hint")) or "",
            )
        )
    return found


def agent_templates(working_dir: Path) -> list[AgentTemplate]:
    """By name (frontmatter `name`, else the file name); unreadable files are logged and left out."""
    folder = working_dir / ".claude" / "agents"
    found: list[AgentTemplate] = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        try:
            meta, _ = _frontmatter(path)
        except (OSError, ValueError, TypeError, yaml.YAMLError) as error:
            log.warning("skipping agent template %s: %s", path, error)
            continue
        tools = meta.get("tools") or []
        if isinstance(tools, str):
            tools = [tool.strip() for tool in tools.split(",")]
        found.append(
            AgentTemplate(
                name=_text(meta.get("name")) or path.stem,
                description=_text(meta.get("description")) or "",
                model=_text(meta.get("model")),
                color=_text(meta.get("color")),
                tools=[str(tool) for tool in tools if str(tool).strip()] if isinstance(tools, list) else [],
            )
        )
    return sorted(found, key=lambda template: template.name)
