"""Random command sequences against a session and its agents: invariants hold after every step, a
rejected command changes nothing, and replaying the events through the codec rebuilds equal aggregates."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain import agent_activity, session_activity
from domain.agent import Agent
from domain.agent_guards import MAX_QUEUED_COMMANDS
from domain.agent_lifecycle import command_agent, create_agent, delete_agent, finish_agent_turn
from domain.codec import AggregateEvent, EventCodec
from domain.errors import DomainError
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.status import BUSY, RESTING, AgentStatus, can_transition
from domain.values import Usage
from tests.unit.domain_builders import as_recorded

CODEC = EventCodec(EVENT_TYPES)
NAMES = st.sampled_from(["alpha", "beta", "gamma", "alpha", "beta", "Bad Name", "orchestrator", "x" * 65])
TOO_LONG = "y" * 100_001
PROMPTS = st.sampled_from(["build it", "test it", "fix it", "", "too long"]).map(
    lambda prompt: TOO_LONG if prompt == "too long" else prompt
)
COSTS = st.sampled_from([0.4, 0.05, 1.5, 0.0, -0.1])
LIMITS = st.sampled_from([1.0, 0.3, 5.0, None, -1.0])
PICK = st.integers(min_value=0, max_value=7)


def replay(history: list[AggregateEvent]) -> Any:
    """Encode → store record → decode → fold, as loading from the store does."""
    metadata = Metadata.first(uuid4(), Actor.SYSTEM)
    aggregate: Any = None
    for position, event in enumerate(history, start=1):
        new = CODEC.encode(event, metadata)
        aggregate = CODEC.decode(as_recorded(new, position)).mutate(aggregate)
    return aggregate


class SessionWithAgents(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.session = OrchestratorSession.start("/work", "sonnet")
        self.agents: list[Agent] = []
        self.history: dict[UUID, list[AggregateEvent]] = {}
        self.turn_costs: dict[UUID, float] = {}
        self.deleted_at: dict[UUID, int] = {}
        self._collect()

    # ---- plumbing --------------------------------------------------------------------------------------

    def _collect(self) -> None:
        for aggregate in (self.session, *self.agents):
            self.history.setdefault(aggregate.id, []).extend(aggregate.collect_events())

    def _attempt(self, decision: Callable[[], object]) -> None:
        """Run a decision; if the domain rejects it, nothing may have changed."""
        before = copy.deepcopy((self.session, self.agents))
        try:
            decision()
        except DomainError:
            assert (self.session, self.agents) == before
            return
        self._collect()

    def _agent(self, pick: int) -> Agent | None:
        return self.agents[pick % len(self.agents)] if self.agents else None

    # ---- rules -------------------------------------------------------------------------------------------

    @rule(name=NAMES)
    def create(self, name: str) -> None:
        def decide() -> None:
            agent = create_agent(self.session, name, "sonnet", "/work")
            self.agents.append(agent)
            self.turn_costs[agent.id] = 0.0

        self._attempt(decide)

    @rule(pick=PICK, prompt=PROMPTS, queue=st.booleans())
    def command(self, pick: int, prompt: str, queue: bool) -> None:
        if agent := self._agent(pick):
            self._attempt(lambda: command_agent(self.session, agent, uuid4(), prompt, "user", queue=queue))

    @rule(pick=PICK, cost=COSTS, is_error=st.booleans())
    def finish_turn(self, pick: int, cost: float, is_error: bool) -> None:
        if agent := self._agent(pick):
            usage = Usage(input_tokens=10, output_tokens=3, cost_usd=cost)

            def decide() -> None:
                finish_agent_turn(
                    self.session, agent, usage, 100, 1, "sdk", is_error, "boom" if is_error else ""
                )
                self.turn_costs[agent.id] += cost

            self._attempt(decide)

    @rule(pick=PICK, cost=COSTS)
    def run_a_whole_turn(self, pick: int, cost: float) -> None:
        self.command(pick, "whole turn", queue=True)
        self.finish_turn(pick, cost, is_error=False)

    @rule(pick=PICK)
    def request_interrupt(self, pick: int) -> None:
        if agent := self._agent(pick):
            self._attempt(lambda: agent.request_interrupt("stop"))

    @rule(pick=PICK)
    def mark_interrupted(self, pick: int) -> None:
        if agent := self._agent(pick):
            self._attempt(agent.mark_interrupted)

    @rule(pick=PICK)
    def fail(self, pick: int) -> None:
        if agent := self._agent(pick):
            self._attempt(lambda: agent.fail("the CLI exited"))

    @rule(pick=PICK, status=st.sampled_from([AgentStatus.WAITING, AgentStatus.EXECUTING, AgentStatus.IDLE]))
    def report_status(self, pick: int, status: AgentStatus) -> None:
        if agent := self._agent(pick):
            self._attempt(lambda: agent.report_status(status, "permission"))

    @rule(pick=PICK, rarely=st.integers(0, 3))
    def delete(self, pick: int, rarely: int) -> None:
        if rarely == 0 and (agent := self._agent(pick)):

            def decide() -> None:
                delete_agent(self.session, agent)
                self.deleted_at[agent.id] = len(self.history[agent.id]) + len(agent.pending_events)

            self._attempt(decide)

    @rule(pick=PICK, limit=LIMITS)
    def set_agent_budget(self, pick: int, limit: float | None) -> None:
        if agent := self._agent(pick):
            self._attempt(lambda: agent.set_budget(limit, 0.5))

    @rule(limit=LIMITS)
    def set_session_budget(self, limit: float | None) -> None:
        self._attempt(lambda: self.session.set_budget(limit, 0.8))

    @rule(pick=PICK)
    def record_output(self, pick: int) -> None:
        if agent := self._agent(pick):
            self._attempt(lambda: agent_activity.record_text_block(agent, uuid4(), "output"))

    @rule(text=PROMPTS)
    def chat(self, text: str) -> None:
        self._attempt(lambda: self.session.send_user_message(uuid4(), text))
        self._attempt(lambda: session_activity.record_text_block(self.session, uuid4(), None, "reply"))

    # ---- invariants --------------------------------------------------------------------------------------

    @invariant()
    def live_names_are_unique_and_match_the_registry(self) -> None:
        live = {agent.name: agent.id for agent in self.agents if agent.status is not AgentStatus.DELETED}
        assert len(live) == len([a for a in self.agents if a.status is not AgentStatus.DELETED])
        assert self.session.agents == live

    @invariant()
    def agents_are_consistent(self) -> None:
        for agent in self.agents:
            assert (agent.current is not None) == (agent.status in BUSY)
            assert len(agent.queue) <= MAX_QUEUED_COMMANDS
            if agent.status not in BUSY:
                assert agent.queue == []
            if agent.budget_exhausted:
                assert agent.status not in RESTING

    @invariant()
    def status_changes_follow_the_state_machine(self) -> None:
        for agent in self.agents:
            status = AgentStatus.IDLE
            for event in self.history[agent.id]:
                if isinstance(event, Agent.AgentStatusChanged):
                    assert event.from_status is status
                    assert can_transition(event.from_status, event.to_status)
                    status = event.to_status
            assert status is agent.status

    @invariant()
    def costs_only_grow_and_add_up(self) -> None:
        for agent in self.agents:
            assert agent.usage.cost_usd == sum_turns(self.history[agent.id])
            assert agent.usage.cost_usd >= 0
            assert (
                agent.usage.cost_usd == self.turn_costs[agent.id]
                or abs(agent.usage.cost_usd - self.turn_costs[agent.id]) < 1e-9
            )
        accrued = sum(agent.usage.cost_usd for agent in self.agents)
        assert abs(self.session.agents_usage.cost_usd - accrued) < 1e-9

    @invariant()
    def deleted_agents_take_nothing_more(self) -> None:
        for agent_id, count in self.deleted_at.items():
            assert len(self.history[agent_id]) == count

    @invariant()
    def replaying_the_events_rebuilds_equal_aggregates(self) -> None:
        for aggregate in (self.session, *self.agents):
            assert replay(self.history[aggregate.id]) == aggregate


def sum_turns(history: list[AggregateEvent]) -> float:
    total = 0.0
    for event in history:
        if isinstance(event, Agent.AgentTurnFinished):
            total += event.usage.cost_usd
    return total


SessionWithAgents.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestSessionWithAgents = SessionWithAgents.TestCase
