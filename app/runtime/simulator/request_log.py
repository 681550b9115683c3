"""What the simulator received, kept in memory so tests can assert what the CLI sent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_SHOWN_HEADERS = (
    "anthropic-version",
    "anthropic-beta",
    "x-claude-code-session-id",
    "x-api-key",
    "user-agent",
)


@dataclass
class RecordedRequest:
    index: int
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any
    role: str | None = None
    prompt: str | None = None
    turn: int | None = None
    outcome: str | None = None
    usage: dict[str, int] | None = None  # as reported to the client, when a message was answered
    session_id: str | None = field(default=None)

    @property
    def tool_names(self) -> list[str]:
        tools = self.body.get("tools") if isinstance(self.body, dict) else None
        return [tool.get("name", "") for tool in tools or []]

    def summary(self) -> dict[str, Any]:
        """JSON for `GET /_sim/requests`: the body without its bulky tool schemas, plus their names."""
        shown = asdict(self)
        if isinstance(self.body, dict):
            shown["body"] = {key: value for key, value in self.body.items() if key != "tools"}
        shown["tool_names"] = self.tool_names
        shown["headers"] = {key: value for key, value in self.headers.items() if key in _SHOWN_HEADERS}
        return shown
