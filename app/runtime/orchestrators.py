"""The orchestrators this runtime drives: one OrchestratorService (and `mgmt` server) per session."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from uuid import UUID

from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient

from app.commands.loading import load_session
from app.commands.runner import Commands
from app.eventstore.store import EventStore
from app.runtime.agent_options import orchestrator_options, orchestrator_system_prompt
from app.runtime.agent_recorder import SummaryRequester
from app.runtime.cli_launch import CliLaunch
from app.runtime.ephemeral import Ephemeral, EphemeralPublisher
from app.runtime.mgmt_queries import MgmtQueries
from app.runtime.mgmt_tools import MgmtTools
from app.runtime.orchestrator import OrchestratorService, SdkSession, UserTurn
from app.runtime.orchestrator_recorder import OrchestratorRecorder
from app.runtime.reports import Reports
from app.runtime.slash_commands import expand_slash_command, load_slash_commands
from app.runtime.summaries import Subject
from app.runtime.worker import ClientFactory
from domain.codec import EventCodec
from domain.metadata import Actor, Metadata
from domain.session import OrchestratorSession


class Orchestrators:
    def __init__(
        self,
        commands: Commands,
        store: EventStore,
        codec: EventCodec,
        reports: Reports,
        launch: CliLaunch,
        publisher: EphemeralPublisher | None,
        *,
        summarize: SummaryRequester | None = None,
        connect: ClientFactory = ClaudeSDKClient,
    ) -> None:
        self._commands = commands
        self._store = store
        self._codec = codec
        self._reports = reports
        self._launch = launch
        self._publisher = publisher
        self._summarize = summarize
        self._connect = connect
        self._services: dict[UUID, OrchestratorService] = {}

    async def answer(self, session_id: UUID, message_id: UUID, text: str, cause: Metadata) -> None:
        """Queues the user's message for the session's orchestrator (its slash commands expanded)."""
        session = await self._commands.run(load_session, session_id, cause)
        service = self._services.get(session_id) or self._open(session)
        cwd = Path(session.working_dir)
        prompt = expand_slash_command(text, load_slash_commands(cwd))
        metadata = cause.caused_by(cause.causation_id, Actor.ORCHESTRATOR, "orchestrator")
        if self._summarize is not None:
            self._summarize(Subject("session", session_id, message_id, "prompt", session_id), text)
        resume = SdkSession(session.sdk_session_id, session.orchestrator_usage.cost_usd)
        service.answer(UserTurn(message_id, prompt, metadata), resume)

    async def reset(self, session_id: UUID) -> None:
        """Closes the session's orchestrator (after a resume moved its working dir): reopened when needed."""
        service = self._services.pop(session_id, None)
        if service is not None:
            await service.close()

    async def close_all(self) -> None:
        services, self._services = list(self._services.values()), {}
        await asyncio.gather(*(service.close() for service in services))

    def _open(self, session: OrchestratorSession) -> OrchestratorService:
        cwd = Path(session.working_dir)
        recorder = OrchestratorRecorder(session.id, self._reports, self._summarize)
        holder: list[OrchestratorService] = []

        def turn_metadata() -> Metadata:
            turn = holder[0].turn if holder else None
            if turn is None:
                return Metadata.first(session.id, Actor.ORCHESTRATOR, "orchestrator")
            return turn.metadata

        def refused(tool: str, arguments: dict[str, Any], error: str) -> None:
            details = {"tool": tool, "input": arguments, "error": error}
            recorder.log("WARNING", f"mgmt tool {tool} refused: {error}", details, turn_metadata())

        queries = MgmtQueries(self._commands, self._store, self._codec, session.id)
        mgmt = MgmtTools(self._commands, queries, cwd, turn_metadata, refused).server()
        prompt = orchestrator_system_prompt(cwd, session.system_prompt)

        def options(resume: str | None) -> ClaudeAgentOptions:
            return orchestrator_options(
                self._launch, cwd=cwd, model=session.model, system_prompt=prompt, mgmt=mgmt, resume=resume
            )

        service = OrchestratorService(
            session.id, recorder, options, Ephemeral(self._publisher, session.id), connect=self._connect
        )
        holder.append(service)
        self._services[session.id] = service
        return service
