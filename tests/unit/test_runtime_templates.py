"""Subagent templates and slash commands are read from the working dir's `.claude/` folder."""

from __future__ import annotations

from pathlib import Path

from app.runtime.slash_commands import expand_slash_command, load_slash_commands
from app.runtime.templates import fill_subagent_map, load_templates


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_templates_come_from_frontmatter_and_body(tmp_path: Path) -> None:
    _write(
        tmp_path / ".claude/agents/reviewer.md",
        "---\nname: code-reviewer\ndescription: Reviews diffs\ntools: Read, Grep\nmodel: haiku\n"
        "color: blue\n---\nYou review code.\n",
    )
    _write(tmp_path / ".claude/agents/broken.md", "---\n[not: a mapping\n---\nbody\n")
    templates = load_templates(tmp_path)
    assert list(templates) == ["code-reviewer"]
    reviewer = templates["code-reviewer"]
    assert (reviewer.tools, reviewer.model, reviewer.color) == (("Read", "Grep"), "haiku", "blue")
    assert reviewer.system_prompt == "You review code."


def test_subagent_map_is_filled_into_the_prompt(tmp_path: Path) -> None:
    _write(tmp_path / ".claude/agents/a.md", "---\nname: builder\ndescription: Builds things\n---\nBuild.\n")
    prompt = fill_subagent_map("Templates:\n{{SUBAGENT_MAP}}\nEnd", load_templates(tmp_path))
    assert prompt == "Templates:\n- builder: Builds things\nEnd"
    assert "No subagent templates" in fill_subagent_map("{{SUBAGENT_MAP}}", {})


def test_slash_commands_are_listed_and_expanded(tmp_path: Path) -> None:
    _write(
        tmp_path / ".claude/commands/plan.md",
        "---\ndescription: Plan a feature\nargument-hint: <feature>\n---\nPlan $ARGUMENTS carefully.\n",
    )
    _write(tmp_path / ".claude/commands/git/status.md", "# Show status\nRun git status.\n")
    commands = load_slash_commands(tmp_path)
    assert sorted(commands) == ["git:status", "plan"]
    assert commands["plan"].argument_hint == "<feature>"
    assert commands["git:status"].description == "Show status"
    assert expand_slash_command("/plan the login page", commands) == "Plan the login page carefully."
    assert expand_slash_command("/git:status now", commands) == "# Show status\nRun git status.\n\nnow"
    assert expand_slash_command("/unknown x", commands) == "/unknown x"
    assert expand_slash_command("plain text", commands) == "plain text"
