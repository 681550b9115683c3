"""On start: work the previous runtime process had begun and never finished is marked failed, with why.

The runtime saves its checkpoint before it reacts to an event, so everything it had started lies at or
before the checkpoint: agents still busy with a command started there, and user messages there that got
no answer. Events after the checkpoint are new work; the follower runs them normally.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from app.commands.agent_report_handlers import fail_agent
from app.commands.loading import load_agent
from app.commands.orchestrator_handlers import finish_orchestrator_turn
from app.commands.runner import Commands
from app.eventstore.store import EventStore
from domain.agent import Agent
from domain.codec import EventCodec
from domain.errors import DomainError
from domain.metadata import Actor, Metadata
from domain.runtime_commands import FailAgent, FinishOrchestratorTurn
from domain.session import OrchestratorSession
from domain.status import BUSY
from domain.values import Usage

log = logging.getLogger(__name__)

AGENT_REASON = "the runtime stopped while this agent was executing; its command did not finish"
CHAT_REASON = "the runtime stopped before the orchestrator answered this message; please send it again"
PAGE = 1000


@dataclass
class Unfinished:
    """Commands and messages in flight at the checkpoint."""

    commands: dict[UUID, UUID] = field(default_factory=dict)  # agent id → running command id
    messages: dict[UUID, UUID] = field(default_factory=dict)  # message id → session id


async def find_unfinished(store: EventStore, codec: EventCodec, checkpoint: int) -> Unfinished:
    """Folds, up to the checkpoint, only the event types that say what was in flight."""
    types = [
        codec.type_name(cls)
        for cls in (
            Agent.AgentCommandStarted,
            Agent.AgentStatusChanged,
            OrchestratorSession.UserMessageSent,
            OrchestratorSession.OrchestratorTurnFinished,
        )
    ]
    found = Unfinished()
    busy: set[UUID] = set()
    position = 0
    while position < checkpoint:
        page = await store.read_filtered(position, PAGE, types=types)
        for recorded in page:
            if recorded.position > checkpoint:
                break
            _fold(found, busy, recorded.stream_id, codec.decode(recorded))
        if len(page) < PAGE or page[-1].position > checkpoint:
            break
        position = page[-1].position
    found.commands = {agent: command for agent, command in found.commands.items() if agent in busy}
    return found


def _fold(found: Unfinished, busy: set[UUID], stream_id: UUID, event: object) -> None:
    if isinstance(event, Agent.AgentCommandStarted):
        found.commands[stream_id] = event.command_id
    elif isinstance(event, Agent.AgentStatusChanged):
        (busy.add if event.to_status in BUSY else busy.discard)(stream_id)
    elif isinstance(event, OrchestratorSession.UserMessageSent):
        found.messages[event.message_id] = stream_id
    elif isinstance(event, OrchestratorSession.OrchestratorTurnFinished) and event.reply_to is not None:
        found.messages.pop(event.reply_to, None)


async def fail_unfinished(commands: Commands, unfinished: Unfinished) -> int:
    """Records each lost command and message as failed; returns how many there were."""
    metadata = Metadata.first(uuid4(), Actor.SYSTEM, "runtime")
    count = 0
    for agent_id, command_id in unfinished.commands.items():
        agent = await commands.run(load_agent, agent_id, metadata)
        if agent.current is None or agent.current.command_id != command_id:
            continue  # it moved on after the checkpoint (interrupted, deleted): nothing was lost
        try:
            await commands.run(fail_agent, FailAgent(agent_id=agent_id, reason=AGENT_REASON), metadata)
            count += 1
        except DomainError as error:
            log.info("agent %s needs no recovery: %s", agent_id, error)
    for message_id, session_id in unfinished.messages.items():
        failed = FinishOrchestratorTurn(
            session_id=session_id,
            reply_to=message_id,
            usage=Usage(),
            duration_ms=0,
            num_turns=0,
            sdk_session_id=None,
            is_error=True,
            result=CHAT_REASON,
        )
        await commands.run(finish_orchestrator_turn, failed, metadata)
        count += 1
    if count:
        log.warning("marked %d unfinished commands or messages of the previous runtime as failed", count)
    return count
