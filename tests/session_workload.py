"""Drives a session and its agents through the domain with numbered actions, yielding what each decision
appends: realistic event histories for projection tests and benchmarks (rejected decisions append nothing)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from uuid import UUID, uuid4

from domain import agent_activity, session_activity
from domain.agent import Agent
from domain.agent_lifecycle import command_agent, create_agent, delete_agent, finish_agent_turn
from domain.codec import EventCodec
from domain.errors import DomainError
from domain.metadata import Actor, Metadata
from domain.records import NewEvent
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.status import AgentStatus
from domain.values import ChangedFile, Usage

CODEC = EventCodec(EVENT_TYPES)
NAMES = ("alpha", "beta", "gamma", "delta")
MODELS = ("sonnet", "haiku", "opus")


class SessionWorkload:
    """`decide(action, pick)` runs one decision (action modulo the number of actions, pick choosing an
    agent or a value) and returns the events to append together, [] when the domain refused it."""

    def __init__(self, model: str = "sonnet") -> None:
        self.session = OrchestratorSession.start("/work", model)
        self.agents: list[Agent] = []
        self.subjects: list[tuple[UUID, UUID]] = []  # (stream, id of a thing that can get a summary)
        self._pending = list(self.session.collect_events())
        self.actions: list[Callable[[int], None]] = [
            self._create,
            self._command,
            self._command,
            self._text,
            self._thinking,
            self._tool_use,
            self._hook,
            self._files,
            self._finish,
            self._finish,
            self._interrupt,
            self._fail,
            self._wait,
            self._delete,
            self._agent_budget,
            self._agent_summary,
            self._chat,
            self._orchestrator_turn,
            self._system_log,
            self._session_summary,
            self._session_budget,
            self._resume,
        ]

    def first(self) -> list[NewEvent]:
        """The session's start, to append before any decision."""
        return self._encode()

    def decide(self, action: int, pick: int) -> list[NewEvent]:
        # A refused decision triggers nothing; the ones before it in the same action stand.
        with contextlib.suppress(DomainError):
            self.actions[action % len(self.actions)](pick)
        return self._encode()

    def _encode(self) -> list[NewEvent]:
        for aggregate in (self.session, *self.agents):
            self._pending.extend(aggregate.collect_events())
        metadata = Metadata.first(uuid4(), Actor.SYSTEM).in_session(self.session.id)
        encoded = [CODEC.encode(event, metadata) for event in self._pending]
        self._pending = []
        return encoded

    def _agent(self, pick: int) -> Agent:
        if not self.agents:
            raise _Nothing("no agent yet")
        return self.agents[pick % len(self.agents)]

    # ---- agent decisions --------------------------------------------------------------------------------

    def _create(self, pick: int) -> None:
        name = f"{NAMES[pick % len(NAMES)]}-{len(self.agents) // len(NAMES)}"
        agent = create_agent(self.session, name, MODELS[pick % len(MODELS)], "/work", "be brief")
        self.agents.append(agent)

    def _command(self, pick: int) -> None:
        agent = self._agent(pick)
        command_id = uuid4()
        command_agent(self.session, agent, command_id, f"task {pick}", "orchestrator", queue=pick % 3 == 0)
        self.subjects.append((agent.id, command_id))

    def _text(self, pick: int) -> None:
        block_id = uuid4()
        agent = self._agent(pick)
        agent_activity.record_text_block(agent, block_id, f"text {pick}")
        self.subjects.append((agent.id, block_id))

    def _thinking(self, pick: int) -> None:
        agent_activity.record_thinking_block(self._agent(pick), uuid4(), f"thinking {pick}")

    def _tool_use(self, pick: int) -> None:
        agent_activity.record_tool_use_block(
            self._agent(pick), uuid4(), f"tu{pick}", "Read", {"path": "a.py"}
        )

    def _hook(self, pick: int) -> None:
        hook_id = uuid4()
        agent = self._agent(pick)
        hook = ("PreToolUse", "PostToolUse", "Stop")[pick % 3]
        agent_activity.record_hook_event(agent, hook_id, hook, tool_name="Read", tool_input={"n": pick})
        self.subjects.append((agent.id, hook_id))

    def _files(self, pick: int) -> None:
        changed = (ChangedFile(path=f"f{pick}.py", diff="+x"),)
        agent_activity.track_files(self._agent(pick), f"tu{pick}", ("a.py",), changed)

    def _finish(self, pick: int) -> None:
        agent = self._agent(pick)
        if agent.status is not AgentStatus.EXECUTING:
            raise _Nothing("not executing")
        usage = Usage(
            input_tokens=100 + pick, output_tokens=20, cache_read_input_tokens=pick, cost_usd=0.01 * pick
        )
        finish_agent_turn(self.session, agent, usage, 900, 2, f"sdk-{agent.name}", pick % 5 == 4, "result")

    def _interrupt(self, pick: int) -> None:
        agent = self._agent(pick)
        agent.request_interrupt("enough")
        agent.mark_interrupted()

    def _fail(self, pick: int) -> None:
        self._agent(pick).fail("the CLI exited")

    def _wait(self, pick: int) -> None:
        agent = self._agent(pick)
        target = AgentStatus.WAITING if agent.status is AgentStatus.EXECUTING else AgentStatus.EXECUTING
        agent.report_status(target, "permission")

    def _delete(self, pick: int) -> None:
        if pick % 4:
            raise _Nothing("deletes are rare")
        delete_agent(self.session, self._agent(pick))

    def _agent_budget(self, pick: int) -> None:
        self._agent(pick).set_budget((None, 0.05, 5.0)[pick % 3], 0.5)

    def _agent_summary(self, pick: int) -> None:
        agents = {agent.id: agent for agent in self.agents}
        candidates = [(stream, subject) for stream, subject in self.subjects if stream in agents]
        if not candidates:
            raise _Nothing("nothing to summarise")
        stream, subject = candidates[pick % len(candidates)]
        usage = Usage(input_tokens=30, output_tokens=10, cost_usd=0.001)
        agent_activity.record_summary(agents[stream], subject, "block", f"summary {pick}", "haiku", usage)

    # ---- session decisions ------------------------------------------------------------------------------

    def _chat(self, pick: int) -> None:
        message_id, block_id = uuid4(), uuid4()
        self.session.send_user_message(message_id, f"please {pick}")
        session_activity.record_thinking_block(self.session, uuid4(), message_id, "hmm")
        session_activity.record_tool_use_block(self.session, uuid4(), message_id, "t1", "list_agents", {})
        session_activity.record_tool_result(self.session, uuid4(), message_id, "t1", "[]", False)
        session_activity.record_text_block(self.session, block_id, message_id, f"reply {pick}")
        self.subjects += [(self.session.id, message_id), (self.session.id, block_id)]

    def _orchestrator_turn(self, pick: int) -> None:
        usage = Usage(input_tokens=500, output_tokens=50, cache_creation_input_tokens=pick, cost_usd=0.02)
        self.session.finish_turn(None, usage, 1500, 1, "sdk-orchestrator", False, "ok")

    def _system_log(self, pick: int) -> None:
        log_id = uuid4()
        level = ("INFO", "WARNING", "ERROR")[pick % 3]
        session_activity.record_system_log(self.session, log_id, level, f"log line {pick}", {"pick": pick})
        self.subjects.append((self.session.id, log_id))

    def _session_summary(self, pick: int) -> None:
        candidates = [subject for stream, subject in self.subjects if stream == self.session.id]
        if not candidates:
            raise _Nothing("nothing to summarise")
        usage = Usage(input_tokens=20, output_tokens=5, cost_usd=0.0005)
        subject = candidates[pick % len(candidates)]
        session_activity.record_summary(self.session, subject, "chat", f"gist {pick}", "haiku", usage)

    def _session_budget(self, pick: int) -> None:
        self.session.set_budget((None, 0.5, 50.0)[pick % 3], 0.8)

    def _resume(self, pick: int) -> None:
        self.session.resume(model=MODELS[pick % len(MODELS)])


class _Nothing(DomainError):
    """The workload skips a decision that makes no sense in the current state."""
