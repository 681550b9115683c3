"""Files an agent read or changed, with their diff: `git diff` in a git repo, else difflib from a snapshot."""

from __future__ import annotations

import asyncio
import difflib
from pathlib import Path
from typing import Any

import msgspec

READ_TOOLS = frozenset({"Read"})
WRITE_TOOLS = frozenset({"Write", "Edit", "MultiEdit"})
MAX_DIFF_CHARS = 20_000
MAX_SNAPSHOT_BYTES = 1_000_000
TRUNCATED = "\n… [diff truncated]"


class FileActivity(msgspec.Struct, frozen=True, kw_only=True):
    """One file touched by one tool call; `diff` is empty for reads."""

    tool_name: str
    tool_use_id: str
    path: str
    action: str  # "read" | "changed"
    diff: str = ""
    truncated: bool = False


def cap(diff: str, limit: int = MAX_DIFF_CHARS) -> tuple[str, bool]:
    if len(diff) <= limit:
        return diff, False
    return diff[:limit] + TRUNCATED, True


def plain_diff(before: str | None, after: str | None, name: str) -> str:
    old = (before or "").splitlines(keepends=True)
    new = (after or "").splitlines(keepends=True)
    source = "/dev/null" if before is None else f"a/{name}"
    target = "/dev/null" if after is None else f"b/{name}"
    return "".join(difflib.unified_diff(old, new, source, target))


def _read_text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_SNAPSHOT_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


class FileTracker:
    """Per agent: snapshots a file before a write tool runs, and describes what the tool did to it after."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._is_git: bool | None = None
        self._before: dict[str, str | None] = {}

    def resolve(self, tool_input: dict[str, Any]) -> Path | None:
        raw = tool_input.get("file_path") or tool_input.get("path")
        if not isinstance(raw, str) or not raw:
            return None
        path = Path(raw)
        return path if path.is_absolute() else self.cwd / path

    def display_name(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.cwd.resolve()))
        except ValueError:
            return str(path)

    def before_tool(self, tool_name: str, tool_use_id: str, tool_input: dict[str, Any]) -> None:
        """Called from PreToolUse: keeps the file's current text for the difflib fallback."""
        path = self.resolve(tool_input)
        if tool_name in WRITE_TOOLS and path is not None:
            self._before[tool_use_id] = _read_text(path)

    def forget(self, tool_use_id: str) -> None:
        self._before.pop(tool_use_id, None)

    async def after_tool(
        self, tool_name: str, tool_use_id: str, tool_input: dict[str, Any]
    ) -> FileActivity | None:
        """Called from PostToolUse; None for tools that touch no file."""
        path = self.resolve(tool_input)
        before = self._before.pop(tool_use_id, None)
        if path is None or tool_name not in READ_TOOLS | WRITE_TOOLS:
            return None
        name = self.display_name(path)
        if tool_name in READ_TOOLS:
            return FileActivity(tool_name=tool_name, tool_use_id=tool_use_id, path=name, action="read")
        diff = await self._git_diff(path) if await self.is_git() else None
        if diff is None:
            diff = plain_diff(before, _read_text(path), name)
        text, truncated = cap(diff)
        return FileActivity(
            tool_name=tool_name,
            tool_use_id=tool_use_id,
            path=name,
            action="changed",
            diff=text,
            truncated=truncated,
        )

    async def is_git(self) -> bool:
        if self._is_git is None:
            code, out = await _git(self.cwd, "rev-parse", "--is-inside-work-tree")
            self._is_git = code == 0 and out.strip() == "true"
        return self._is_git

    async def _git_diff(self, path: Path) -> str | None:
        code, out = await _git(self.cwd, "diff", "--no-color", "HEAD", "--", str(path))
        if code == 0 and out:
            return out
        tracked_code, tracked = await _git(self.cwd, "ls-files", "--", str(path))
        if code == 0 and tracked_code == 0 and tracked.strip():
            return ""
        # Untracked (or HEAD-less) files: diff against nothing so a new file still shows its content.
        code, out = await _git(self.cwd, "diff", "--no-color", "--no-index", "--", "/dev/null", str(path))
        return out if code in (0, 1) and out else None


async def _git(cwd: Path, *args: str) -> tuple[int, str]:
    try:
        process = await asyncio.create_subprocess_exec(
            "git", *args, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
        )
    except OSError:
        return 127, ""
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode("utf-8", errors="replace")
