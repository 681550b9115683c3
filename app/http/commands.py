"""Command endpoints: translate HTTP into domain commands and answer the receipt; nothing else.

They only append events (the runtime reacts to them). Errors answer problem+json (app/http/problems.py).
The session is the request's `session_id`, else the server's current one (`app.state.session_id`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from app.bootstrap import Services
from app.commands import agent_handlers, session_handlers
from app.commands.receipts import AgentReceipt, CommandReceipt, MessageReceipt, Receipt
from app.commands.runner import Commands
from app.http.command_schemas import (
    AgentName,
    CommandAgentBody,
    CreateAgentBody,
    InterruptAgentBody,
    SendChatBody,
    SetBudgetBody,
)
from domain import commands as cmd
from domain.errors import SessionNotFound
from domain.metadata import Actor, Metadata

AnyRequest = Request[Any, Any, Any]
CommandsDep = NamedDependency[Commands]


def provide_commands(services: NamedDependency[Services]) -> Commands:
    """The process's one Commands (it holds the aggregate cache), built by the composition root."""
    return services.commands


def _session(state: State, given: UUID | None) -> UUID:
    session_id: UUID | None = given or state.get("session_id")
    if session_id is None:
        raise SessionNotFound("no session_id given and the server has no current session", field="session_id")
    return session_id


def _from_user(request: AnyRequest) -> Metadata:
    """Each request starts its own chain, unless an `X-Correlation-ID` header (a UUID) names one."""
    command_id = cmd.new_id()
    try:
        correlation_id = UUID(request.headers["x-correlation-id"])
    except (KeyError, ValueError):
        correlation_id = command_id
    return Metadata(correlation_id=correlation_id, causation_id=command_id, actor=Actor.USER)


class CommandController(Controller):
    dependencies = {"commands": Provide(provide_commands, sync_to_thread=False)}
    tags = ["commands"]

    @post("/send_chat", status_code=HTTP_202_ACCEPTED)
    async def send_chat(
        self,
        request: AnyRequest,
        state: State,
        commands: CommandsDep,
        data: JSONBody[SendChatBody],
    ) -> MessageReceipt:
        """Send a message to the orchestrator; answers at once with its id and position."""
        command = cmd.SendChat(session_id=_session(state, data.session_id), text=data.message)
        return await commands.run(session_handlers.send_chat, command, _from_user(request))

    @post("/api/agents", status_code=HTTP_201_CREATED)
    async def create_agent(
        self,
        request: AnyRequest,
        state: State,
        commands: CommandsDep,
        data: JSONBody[CreateAgentBody],
    ) -> AgentReceipt:
        command = cmd.CreateAgent(
            session_id=_session(state, data.session_id),
            name=data.name,
            model=data.model,
            system_prompt=data.system_prompt,
            template=data.subagent_template,
        )
        return await commands.run(agent_handlers.create_agent, command, _from_user(request))

    @post("/api/agents/{name:str}/commands", status_code=HTTP_202_ACCEPTED)
    async def command_agent(
        self,
        request: AnyRequest,
        state: State,
        commands: CommandsDep,
        name: AgentName,
        data: JSONBody[CommandAgentBody],
    ) -> CommandReceipt:
        """Give the agent a prompt; it starts at once, or after its current command if `queue` is set."""
        command = cmd.CommandAgent(
            session_id=_session(state, data.session_id),
            name=name,
            prompt=data.prompt,
            task_slug=data.task_slug,
            queue=data.queue,
        )
        return await commands.run(agent_handlers.command_agent, command, _from_user(request))

    @post("/api/agents/{name:str}/interrupt", status_code=HTTP_202_ACCEPTED)
    async def interrupt_agent(
        self,
        request: AnyRequest,
        state: State,
        commands: CommandsDep,
        name: AgentName,
        data: JSONBody[InterruptAgentBody | None] = None,
    ) -> Receipt:
        body = data or InterruptAgentBody()
        command = cmd.InterruptAgent(
            session_id=_session(state, body.session_id), name=name, reason=body.reason
        )
        return await commands.run(agent_handlers.interrupt_agent, command, _from_user(request))

    @delete("/api/agents/{name:str}", status_code=HTTP_200_OK)
    async def delete_agent(
        self,
        request: AnyRequest,
        state: State,
        commands: CommandsDep,
        name: AgentName,
        session_id: FromQuery[UUID | None] = None,
    ) -> Receipt:
        command = cmd.DeleteAgent(session_id=_session(state, session_id), name=name)
        return await commands.run(agent_handlers.delete_agent, command, _from_user(request))

    @put("/api/agents/{name:str}/budget", status_code=HTTP_200_OK)
    async def set_agent_budget(
        self,
        request: AnyRequest,
        state: State,
        commands: CommandsDep,
        name: AgentName,
        data: JSONBody[SetBudgetBody],
    ) -> Receipt:
        command = cmd.SetAgentBudget(
            session_id=_session(state, data.session_id),
            name=name,
            limit_usd=data.limit_usd,
            warn_fraction=data.warn_fraction,
        )
        return await commands.run(agent_handlers.set_agent_budget, command, _from_user(request))
