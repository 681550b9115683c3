"""The OrchestratorSession aggregate: the chat, the orchestrator's turns and costs, the names of the live
agents (unique per session), and the session's cost budget (stream id = session id).

Public methods decide (guard clauses first, then events); private @event methods evolve and also run on
replay, so they hold no checks. Chat blocks, tool results, logs and summaries change no decision state and
are recorded in session_activity.py.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.budget import Budget, BudgetLevel
from domain.errors import AgentNotFound, BudgetExhausted, NameTaken, TooManyAgents
from domain.events import session as events
from domain.validation import (
    PATH_MAX_CHARS,
    check_agent_name,
    check_model,
    check_text,
    check_turn_report,
)
from domain.values import Usage

MAX_LIVE_AGENTS = 100


class OrchestratorSession(Aggregate):
    SessionStarted = events.SessionStarted
    SessionResumed = events.SessionResumed
    UserMessageSent = events.UserMessageSent
    OrchestratorTextBlockRecorded = events.OrchestratorTextBlockRecorded
    OrchestratorThinkingBlockRecorded = events.OrchestratorThinkingBlockRecorded
    OrchestratorToolUseBlockRecorded = events.OrchestratorToolUseBlockRecorded
    OrchestratorToolResultRecorded = events.OrchestratorToolResultRecorded
    OrchestratorTurnFinished = events.OrchestratorTurnFinished
    AgentNameRegistered = events.AgentNameRegistered
    AgentNameReleased = events.AgentNameReleased
    AgentCostAccrued = events.AgentCostAccrued
    SystemLogRecorded = events.SystemLogRecorded
    SessionSummaryGenerated = events.SessionSummaryGenerated
    SessionBudgetSet = events.SessionBudgetSet
    SessionBudgetExceeded = events.SessionBudgetExceeded

    @event(SessionStarted)
    def __init__(self, working_dir: str, model: str, system_prompt: str) -> None:
        self.working_dir = working_dir
        self.model = model
        self.system_prompt = system_prompt
        self.agents: dict[str, UUID] = {}
        self.orchestrator_usage = Usage()
        self.agents_usage = Usage()
        self.sdk_session_id: str | None = None
        self.budget: Budget | None = None
        self.budget_levels: list[BudgetLevel] = []

    @classmethod
    def start(cls, working_dir: str, model: str, system_prompt: str = "") -> OrchestratorSession:
        check_text(working_dir, "working_dir", PATH_MAX_CHARS)
        check_model(model)
        check_text(system_prompt, "system_prompt", required=False)
        return cls(working_dir, model, system_prompt)

    # ---- queries -------------------------------------------------------------------------------------

    @property
    def total_cost_usd(self) -> float:
        return self.orchestrator_usage.cost_usd + self.agents_usage.cost_usd

    @property
    def budget_exhausted(self) -> bool:
        return BudgetLevel.LIMIT in self.budget_levels

    def agent_id_for(self, name: str) -> UUID:
        """The id of the live agent with this name."""
        try:
            return self.agents[name]
        except KeyError:
            raise AgentNotFound(f"no live agent named {name!r} in this session", field="name") from None

    def ensure_budget_left(self) -> None:
        if self.budget_exhausted:
            limit = self.budget.limit_usd if self.budget else 0.0
            raise BudgetExhausted(
                f"the session has used up its cost budget (${self.total_cost_usd:.4f} of ${limit:.4f}); "
                "raise the session budget to give it new work",
                field="limit_usd",
            )

    # ---- decisions -----------------------------------------------------------------------------------

    def resume(self, working_dir: str | None = None, model: str | None = None) -> None:
        if working_dir is not None:
            check_text(working_dir, "working_dir", PATH_MAX_CHARS)
        if model is not None:
            check_model(model)
        self._resumed(working_dir or self.working_dir, model or self.model)

    def send_user_message(self, message_id: UUID, text: str) -> None:
        check_text(text, "text")
        self.ensure_budget_left()
        self.trigger_event(self.UserMessageSent, message_id=message_id, text=text)

    def register_agent(self, name: str, agent_id: UUID) -> None:
        """Claim a name for a new agent: unique among the session's live agents."""
        check_agent_name(name)
        if name in self.agents:
            raise NameTaken(f"an agent named {name!r} already exists in this session", field="name")
        if len(self.agents) >= MAX_LIVE_AGENTS:
            raise TooManyAgents(
                f"the session already has {len(self.agents)} live agents (limit {MAX_LIVE_AGENTS}); "
                "delete one first",
                field="name",
            )
        self._name_registered(name, agent_id)

    def release_agent(self, name: str, agent_id: UUID) -> None:
        """Free the name of a deleted agent so a new agent may take it."""
        if self.agents.get(name) != agent_id:
            raise AgentNotFound(
                f"no live agent named {name!r} with id {agent_id} in this session", field="name"
            )
        self._name_released(name, agent_id)

    def finish_turn(
        self,
        reply_to: UUID | None,
        usage: Usage,
        duration_ms: int,
        num_turns: int,
        sdk_session_id: str | None,
        is_error: bool,
        result: str,
    ) -> None:
        usage.checked_delta()
        check_turn_report(duration_ms, num_turns, result)
        self._turn_finished(reply_to, usage, duration_ms, num_turns, sdk_session_id, is_error, result)
        self._report_budget()

    def accrue_agent_cost(self, agent_id: UUID, usage: Usage) -> None:
        """Count an agent's turn against the session budget (the agent's own stream records the turn)."""
        usage.checked_delta()
        self._agent_cost_accrued(agent_id, usage)
        self._report_budget()

    def set_budget(self, limit_usd: float | None, warn_fraction: float) -> None:
        """A new budget replaces the old one; levels the total already reached are reported again."""
        Budget.checked(limit_usd, warn_fraction)
        self._budget_set(limit_usd, warn_fraction)
        self._report_budget()

    # ---- evolution (also runs on replay) -------------------------------------------------------------

    @event(SessionResumed)
    def _resumed(self, working_dir: str, model: str) -> None:
        self.working_dir = working_dir
        self.model = model

    @event(AgentNameRegistered)
    def _name_registered(self, name: str, agent_id: UUID) -> None:
        self.agents[name] = agent_id

    @event(AgentNameReleased)
    def _name_released(self, name: str, agent_id: UUID) -> None:
        del self.agents[name]

    @event(OrchestratorTurnFinished)
    def _turn_finished(
        self,
        reply_to: UUID | None,
        usage: Usage,
        duration_ms: int,
        num_turns: int,
        sdk_session_id: str | None,
        is_error: bool,
        result: str,
    ) -> None:
        self.orchestrator_usage = self.orchestrator_usage + usage
        self.sdk_session_id = sdk_session_id or self.sdk_session_id

    @event(AgentCostAccrued)
    def _agent_cost_accrued(self, agent_id: UUID, usage: Usage) -> None:
        self.agents_usage = self.agents_usage + usage

    @event(SessionBudgetSet)
    def _budget_set(self, limit_usd: float | None, warn_fraction: float) -> None:
        self.budget = None if limit_usd is None else Budget(limit_usd, warn_fraction)
        self.budget_levels = []

    @event(SessionBudgetExceeded)
    def _budget_exceeded(self, level: BudgetLevel, threshold_usd: float, total_cost_usd: float) -> None:
        self.budget_levels.append(level)

    def _report_budget(self) -> None:
        if self.budget is None:
            return
        total = self.total_cost_usd
        for level in self.budget.reached(total):
            if level not in self.budget_levels:
                self._budget_exceeded(level, self.budget.threshold(level), total)
