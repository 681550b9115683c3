"""The orchestrator's 8 management tools (in-process MCP server `mgmt`), thin adapters over the handlers.

Every change goes through the same command handlers the HTTP API uses. Bad input (unknown agent or
template, duplicate name, bad model, busy agent, empty command) answers the orchestrator a clear error it
can act on, and is recorded as a WARNING system log line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from claude_agent_sdk import SdkMcpTool, create_sdk_mcp_server, tool
from claude_agent_sdk.types import McpSdkServerConfig

from app.commands import agent_handlers
from app.commands.runner import Commands
from app.runtime.mgmt_queries import DEFAULT_TAIL, MgmtQueries
from app.runtime.mgmt_schemas import (
    COMMAND_SCHEMA,
    CREATE_SCHEMA,
    LOGS_SCHEMA,
    NAME_SCHEMA,
    NO_INPUT,
    STATUS_SCHEMA,
)
from app.runtime.redaction import redact_text
from app.runtime.sdk_env import MGMT_SERVER
from app.runtime.templates import load_templates
from domain.commands import CommandAgent, CreateAgent, DeleteAgent, InterruptAgent
from domain.errors import AgentBusy, DomainError
from domain.metadata import Metadata

ToolResult = dict[str, Any]
RefusalLog = Callable[[str, dict[str, Any], str], None]
"""Records a refused tool call: (tool name, its input, the error told to the orchestrator)."""


class ToolInputError(ValueError):
    """Input the runtime itself refuses before any handler runs (an unknown template)."""


def _text(text: str, *, error: bool = False) -> ToolResult:
    result: ToolResult = {"content": [{"type": "text", "text": text}]}
    if error:
        result["is_error"] = True
    return result


class MgmtTools:
    """The tools of one session; `metadata` gives the chain of the orchestrator turn that calls them."""

    def __init__(
        self,
        commands: Commands,
        queries: MgmtQueries,
        working_dir: Path,
        metadata: Callable[[], Metadata],
        refused: RefusalLog,
    ) -> None:
        self._commands = commands
        self._queries = queries
        self._session_id = queries.session_id
        self._working_dir = working_dir
        self._metadata = metadata
        self._refused = refused

    def server(self) -> McpSdkServerConfig:
        return create_sdk_mcp_server(MGMT_SERVER, tools=self.tools())

    def tools(self) -> list[SdkMcpTool[Any]]:
        return [
            tool("create_agent", "Create a worker agent (names: lowercase, unique).", CREATE_SCHEMA)(
                self._guarded("create_agent", self.create_agent)
            ),
            tool("list_agents", "List the live agents with status, model and cost.", NO_INPUT)(
                self._guarded("list_agents", self.list_agents)
            ),
            tool(
                "command_agent",
                "Give an agent a task; returns at once, the agent works in the background.",
                COMMAND_SCHEMA,
            )(self._guarded("command_agent", self.command_agent)),
            tool("check_agent_status", "An agent's status, cost and latest log entries.", STATUS_SCHEMA)(
                self._guarded("check_agent_status", self.check_agent_status)
            ),
            tool("delete_agent", "Delete an agent for good (interrupting it if it works).", NAME_SCHEMA)(
                self._guarded("delete_agent", self.delete_agent)
            ),
            tool("interrupt_agent", "Stop what an agent is doing now.", NAME_SCHEMA)(
                self._guarded("interrupt_agent", self.interrupt_agent)
            ),
            tool("read_system_logs", "Read the system log, filtered and paged.", LOGS_SCHEMA)(
                self._guarded("read_system_logs", self.read_system_logs)
            ),
            tool(
                "report_cost",
                "Tokens and cost of the session, per agent and for the orchestrator.",
                NO_INPUT,
            )(self._guarded("report_cost", self.report_cost)),
        ]

    def _guarded(
        self, name: str, run: Callable[[dict[str, Any]], Awaitable[str]]
    ) -> Callable[[dict[str, Any]], Awaitable[ToolResult]]:
        async def call(arguments: dict[str, Any]) -> ToolResult:
            try:
                return _text(await run(arguments))
            except (DomainError, ToolInputError) as error:
                message = _advice(error)
                self._refused(name, arguments, message)
                return _text(f"Error: {message}", error=True)

        return call

    async def create_agent(self, arguments: dict[str, Any]) -> str:
        template_name = _optional(arguments, "subagent_template")
        prompt = _optional(arguments, "system_prompt") or ""
        model = _optional(arguments, "model")
        tools: tuple[str, ...] = ()
        if template_name is not None:
            templates = load_templates(self._working_dir)
            template = templates.get(template_name)
            if template is None:
                known = ", ".join(sorted(templates)) or "none in .claude/agents/"
                raise ToolInputError(f"unknown subagent_template {template_name!r}; available: {known}")
            prompt = prompt or template.system_prompt
            model = model or template.model
            tools = template.tools
        command = CreateAgent(
            session_id=self._session_id,
            name=str(arguments.get("name", "")),
            model=model,
            system_prompt=redact_text(prompt),
            template=template_name,
            allowed_tools=tools,
        )
        receipt = await self._commands.run(agent_handlers.create_agent, command, self._metadata())
        return f"Created agent {receipt.name!r} (id {receipt.agent_id}, model {model or 'default'})."

    async def list_agents(self, arguments: dict[str, Any]) -> str:
        return await self._queries.list_agents(self._metadata())

    async def command_agent(self, arguments: dict[str, Any]) -> str:
        command = CommandAgent(
            session_id=self._session_id,
            name=str(arguments.get("agent_name", "")),
            prompt=redact_text(str(arguments.get("command", ""))),
        )
        receipt = await self._commands.run(agent_handlers.command_agent, command, self._metadata())
        return (
            f"Agent {command.name!r} started task {receipt.task_slug!r}; it works in the background. "
            "Use check_agent_status to follow it."
        )

    async def check_agent_status(self, arguments: dict[str, Any]) -> str:
        tail = _integer(arguments.get("tail_count"), DEFAULT_TAIL)
        verbose = bool(arguments.get("verbose_logs") or False)
        return await self._queries.status(
            str(arguments.get("agent_name", "")), tail, verbose, self._metadata()
        )

    async def delete_agent(self, arguments: dict[str, Any]) -> str:
        name = str(arguments.get("agent_name", ""))
        command = DeleteAgent(session_id=self._session_id, name=name, reason="deleted by the orchestrator")
        await self._commands.run(agent_handlers.delete_agent, command, self._metadata())
        return f"Deleted agent {name!r}."

    async def interrupt_agent(self, arguments: dict[str, Any]) -> str:
        name = str(arguments.get("agent_name", ""))
        command = InterruptAgent(
            session_id=self._session_id, name=name, reason="interrupted by the orchestrator"
        )
        await self._commands.run(agent_handlers.interrupt_agent, command, self._metadata())
        return f"Interrupt sent to agent {name!r}; it stops within a second."

    async def read_system_logs(self, arguments: dict[str, Any]) -> str:
        return await self._queries.system_logs(
            _integer(arguments.get("offset"), 0),
            _integer(arguments.get("limit"), 50),
            _optional(arguments, "message_contains"),
            _optional(arguments, "level"),
        )

    async def report_cost(self, arguments: dict[str, Any]) -> str:
        return await self._queries.cost(self._metadata())


def _optional(arguments: dict[str, Any], key: str) -> str | None:
    value = arguments.get(key)
    return str(value) if value not in (None, "") else None


def _integer(value: object, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise ToolInputError(f"expected a whole number, got {value!r}")


def _advice(error: Exception) -> str:
    """The error, reworded where the handler's advice does not fit the orchestrator's tools."""
    if isinstance(error, AgentBusy):
        return (
            error.message.split(";")[0] + "; wait for it to finish (check_agent_status) or interrupt it first"
        )
    return error.message if isinstance(error, DomainError) else str(error)
