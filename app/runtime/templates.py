"""Subagent templates from `.claude/agents/*.md` (YAML frontmatter + prompt body) and `{{SUBAGENT_MAP}}`."""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec
import yaml

log = logging.getLogger(__name__)

SUBAGENT_MAP_PLACEHOLDER = "{{SUBAGENT_MAP}}"


class SubagentTemplate(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str = ""
    tools: tuple[str, ...] = ()
    model: str | None = None
    color: str | None = None
    system_prompt: str = ""
    path: str = ""


def split_frontmatter(text: str) -> tuple[dict[str, object], str]:
    """The YAML mapping between the leading `---` fences and the body after it; no fences → empty mapping."""
    if not text.startswith("---"):
        return {}, text
    head, fence, body = text[3:].partition("\n---")
    if not fence:
        return {}, text
    loaded = yaml.safe_load(head) or {}
    if not isinstance(loaded, dict):
        raise TypeError("frontmatter is not a mapping")
    return {str(key): value for key, value in loaded.items()}, body.partition("\n")[2].strip()


def parse_template(path: Path) -> SubagentTemplate:
    meta, body = split_frontmatter(path.read_text(encoding="utf-8"))
    tools = meta.get("tools") or ()
    if isinstance(tools, str):
        tools = tuple(tool.strip() for tool in tools.split(",") if tool.strip())
    return SubagentTemplate(
        name=str(meta.get("name") or path.stem),
        description=str(meta.get("description") or "").strip(),
        tools=tuple(str(tool) for tool in tools) if isinstance(tools, list | tuple) else (),
        model=str(meta["model"]) if meta.get("model") else None,
        color=str(meta["color"]) if meta.get("color") else None,
        system_prompt=body,
        path=str(path),
    )


def load_templates(cwd: Path) -> dict[str, SubagentTemplate]:
    """Every readable template under `<cwd>/.claude/agents/`, by name; broken files are logged and skipped."""
    folder = cwd / ".claude" / "agents"
    templates: dict[str, SubagentTemplate] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        try:
            template = parse_template(path)
        except (OSError, ValueError, TypeError, yaml.YAMLError) as error:
            log.warning("skipping subagent template %s: %s", path, error)
            continue
        templates[template.name] = template
    return templates


def subagent_map(templates: dict[str, SubagentTemplate]) -> str:
    """The text that replaces `{{SUBAGENT_MAP}}`: one entry per template, or a plain 'none' line."""
    if not templates:
        return "No subagent templates are available; create agents with your own system prompt."
    lines = []
    for template in templates.values():
        extras = []
        if template.model:
            extras.append(f"model: {template.model}")
        if template.tools:
            extras.append("tools: " + ", ".join(template.tools))
        suffix = f" ({'; '.join(extras)})" if extras else ""
        lines.append(f"- {template.name}: {template.description or 'no description'}{suffix}")
    return "\n".join(lines)


def fill_subagent_map(prompt: str, templates: dict[str, SubagentTemplate]) -> str:
    return prompt.replace(SUBAGENT_MAP_PLACEHOLDER, subagent_map(templates))
