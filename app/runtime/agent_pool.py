"""The worker agents this runtime drives: one AgentWorker per agent, created when it is first commanded."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID

from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient

from app.commands.loading import load_agent, load_session
from app.commands.runner import Commands
from app.commands.unit_of_work import UnitOfWork
from app.runtime.agent_options import worker_options
from app.runtime.agent_recorder import AgentRecorder, SummaryRequester
from app.runtime.cli_launch import CliLaunch
from app.runtime.file_tracking import FileTracker
from app.runtime.hooks import Hooks
from app.runtime.reports import Reports
from app.runtime.worker import AgentWorker, ClientFactory, CommandRun
from domain.agent import Agent
from domain.metadata import Actor, Metadata
from domain.session import OrchestratorSession


async def _agent_and_session(unit: UnitOfWork, agent_id: UUID) -> tuple[Agent, OrchestratorSession]:
    agent = await load_agent(unit, agent_id)
    return agent, await load_session(unit, agent.session_id)


def cost_cap(agent: Agent, session: OrchestratorSession, cost_before: float) -> float | None:
    """The SDK session's running total at which the CLI must stop: what is left of the agent's and the
    session's budgets, on top of what the SDK session has already spent. None when no budget is set."""
    left = []
    if agent.budget is not None:
        left.append(agent.budget.limit_usd - agent.usage.cost_usd)
    if session.budget is not None:
        left.append(session.budget.limit_usd - session.total_cost_usd)
    return cost_before + max(min(left), 0.0) if left else None


class AgentPool:
    def __init__(
        self,
        commands: Commands,
        reports: Reports,
        launch: CliLaunch,
        max_running: int,
        *,
        summarize: SummaryRequester | None = None,
        connect: ClientFactory = ClaudeSDKClient,
    ) -> None:
        self._commands = commands
        self._reports = reports
        self._launch = launch
        self._slots = asyncio.Semaphore(max_running)
        self._summarize = summarize
        self._connect = connect
        self._workers: dict[UUID, AgentWorker] = {}

    @property
    def running(self) -> int:
        return sum(1 for worker in self._workers.values() if worker.running_command is not None)

    async def start(self, agent_id: UUID, command_id: UUID, cause: Metadata) -> None:
        """Runs the command the agent has just started, unless the agent has moved on since."""
        agent, session = await self._commands.run(_agent_and_session, agent_id, cause)
        if agent.current is None or agent.current.command_id != command_id:
            return
        resume = agent.sdk_session_id
        cost_before = agent.usage.cost_usd if resume else 0.0
        run = CommandRun(
            command_id=command_id,
            prompt=agent.current.prompt,
            metadata=cause.caused_by(cause.causation_id, Actor.AGENT, agent.name),
            resume=resume,
            cost_before=cost_before,
            max_cost_usd=cost_cap(agent, session, cost_before),
        )
        self._worker(agent).start(run)

    async def interrupt(self, agent_id: UUID, command_id: UUID | None) -> None:
        worker = self._workers.get(agent_id)
        if worker is not None and command_id is not None:
            await worker.interrupt(command_id)

    async def close(self, agent_id: UUID) -> None:
        worker = self._workers.pop(agent_id, None)
        if worker is not None:
            await worker.close()

    async def close_all(self) -> None:
        workers, self._workers = list(self._workers.values()), {}
        await asyncio.gather(*(worker.close() for worker in workers))

    def _worker(self, agent: Agent) -> AgentWorker:
        worker = self._workers.get(agent.id)
        if worker is None:
            cwd = Path(agent.working_dir)

            def options(resume: str | None, max_cost: float | None, hooks: Hooks) -> ClaudeAgentOptions:
                return worker_options(
                    self._launch,
                    cwd=cwd,
                    model=agent.model,
                    system_prompt=agent.system_prompt,
                    tools=agent.allowed_tools,
                    resume=resume,
                    max_cost_usd=max_cost,
                    hooks=hooks,
                )

            recorder = AgentRecorder(agent.id, agent.session_id, self._reports, self._summarize)
            worker = AgentWorker(recorder, FileTracker(cwd), options, self._slots, connect=self._connect)
            self._workers[agent.id] = worker
        return worker
