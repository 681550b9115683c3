"""The Agent aggregate: one worker agent's commands, status, usage and budget (stream id = agent id).

Public methods decide: all guard clauses run first and may raise a DomainError, then they trigger events.
Private @event methods evolve the state; they run again on replay, where stored facts must always apply,
so they hold no checks. One decision may trigger several events; they are appended together or not at all.
Events that change no decision state (blocks, hooks, files, summaries) are recorded in agent_activity.py.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.agent_guards import ensure_accepts_command, ensure_live, ensure_running
from domain.budget import Budget, BudgetLevel
from domain.errors import InvalidTransition
from domain.events import agent as events
from domain.status import BUSY, REPORTABLE, RESTING, AgentStatus, can_transition
from domain.validation import (
    NAME_MAX_LENGTH,
    PATH_MAX_CHARS,
    SHORT_TEXT_MAX_CHARS,
    check_agent_name,
    check_model,
    check_slug,
    check_text,
    check_turn_report,
)
from domain.values import PendingCommand, Usage


class Agent(Aggregate):
    AgentCreated = events.AgentCreated
    AgentCommanded = events.AgentCommanded
    AgentCommandStarted = events.AgentCommandStarted
    AgentCommandsDiscarded = events.AgentCommandsDiscarded
    AgentStatusChanged = events.AgentStatusChanged
    AgentTextBlockRecorded = events.AgentTextBlockRecorded
    AgentThinkingBlockRecorded = events.AgentThinkingBlockRecorded
    AgentToolUseBlockRecorded = events.AgentToolUseBlockRecorded
    HookEventRecorded = events.HookEventRecorded
    FilesTracked = events.FilesTracked
    AgentTurnFinished = events.AgentTurnFinished
    AgentInterruptRequested = events.AgentInterruptRequested
    AgentInterrupted = events.AgentInterrupted
    AgentFailed = events.AgentFailed
    AgentDeleted = events.AgentDeleted
    AgentSummaryGenerated = events.AgentSummaryGenerated
    AgentBudgetSet = events.AgentBudgetSet
    AgentBudgetExceeded = events.AgentBudgetExceeded

    @event(AgentCreated)
    def __init__(
        self,
        session_id: UUID,
        name: str,
        model: str,
        system_prompt: str,
        template: str | None,
        working_dir: str,
        allowed_tools: tuple[str, ...],
    ) -> None:
        self.session_id = session_id
        self.name = name
        self.model = model
        self.system_prompt = system_prompt
        self.template = template
        self.working_dir = working_dir
        self.allowed_tools = allowed_tools
        self.status = AgentStatus.IDLE
        self.current: PendingCommand | None = None
        self.queue: list[PendingCommand] = []
        self.usage = Usage()
        self.budget: Budget | None = None
        self.budget_levels: list[BudgetLevel] = []
        self.sdk_session_id: str | None = None

    @classmethod
    def create(
        cls,
        session_id: UUID,
        name: str,
        model: str,
        working_dir: str,
        system_prompt: str = "",
        template: str | None = None,
        allowed_tools: tuple[str, ...] = (),
    ) -> Agent:
        check_agent_name(name)
        check_model(model)
        check_text(working_dir, "working_dir", PATH_MAX_CHARS)
        check_text(system_prompt, "system_prompt", required=False)
        if template is not None:
            check_text(template, "template", NAME_MAX_LENGTH)
        for tool in allowed_tools:
            check_text(tool, "allowed_tools", SHORT_TEXT_MAX_CHARS)
        return cls(session_id, name, model, system_prompt, template, working_dir, allowed_tools)

    @property
    def budget_exhausted(self) -> bool:
        return BudgetLevel.LIMIT in self.budget_levels

    # ---- decisions -----------------------------------------------------------------------------------

    def command(
        self, command_id: UUID, prompt: str, task_slug: str, author: str, *, queue: bool = False
    ) -> None:
        """Start the command now if the agent rests; queue it behind the running one only if asked to."""
        check_text(prompt, "prompt")
        check_slug(task_slug)
        ensure_accepts_command(self, queue=queue)
        busy = self.status in BUSY
        self._commanded(command_id, prompt, task_slug, author, queued=busy)
        if not busy:
            self._command_started(command_id)
            self._move_to(AgentStatus.EXECUTING, f"command {task_slug}")

    def finish_turn(
        self,
        usage: Usage,
        duration_ms: int,
        num_turns: int,
        sdk_session_id: str | None,
        is_error: bool,
        result: str,
        rest_status: AgentStatus = AgentStatus.IDLE,
    ) -> None:
        """Record the turn's usage; then fail, start the next queued command, or come to rest."""
        current = ensure_running(self, "finish a turn", allowed=frozenset({AgentStatus.EXECUTING}))
        usage.checked_delta()
        check_turn_report(duration_ms, num_turns, result)
        if rest_status not in (AgentStatus.IDLE, AgentStatus.COMPLETE):
            raise InvalidTransition(
                f"rest_status must be idle or complete, got {rest_status}", field="rest_status"
            )
        command_id = current.command_id
        self._turn_finished(command_id, usage, duration_ms, num_turns, sdk_session_id, is_error, result)
        self._report_budget()
        if is_error:
            reason = result.strip()[:SHORT_TEXT_MAX_CHARS] or "turn ended with an error"
            self.trigger_event(self.AgentFailed, command_id=current.command_id, reason=reason)
            self._end_work(AgentStatus.FAILED, reason)
        elif self.queue and not self.budget_exhausted:
            self._command_started(self.queue[0].command_id)
        else:
            self._end_work(rest_status, "turn finished")

    def request_interrupt(self, reason: str = "") -> None:
        current = ensure_running(self, "interrupt")
        check_text(reason, "reason", SHORT_TEXT_MAX_CHARS, required=False)
        self.trigger_event(self.AgentInterruptRequested, command_id=current.command_id, reason=reason)

    def mark_interrupted(self) -> None:
        """The runtime honoured an interrupt: the running command stops and queued ones are dropped."""
        current = ensure_running(self, "be interrupted")
        self.trigger_event(self.AgentInterrupted, command_id=current.command_id)
        self._end_work(AgentStatus.INTERRUPTED, "interrupted")

    def fail(self, reason: str) -> None:
        """The runtime could not go on with the running command (the CLI broke, a timeout)."""
        current = ensure_running(self, "fail")
        check_text(reason, "reason", SHORT_TEXT_MAX_CHARS)
        self.trigger_event(self.AgentFailed, command_id=current.command_id, reason=reason)
        self._end_work(AgentStatus.FAILED, reason)

    def report_status(self, status: AgentStatus, reason: str) -> None:
        """The runtime reports executing ⇄ waiting (a tool permission asked / answered)."""
        ensure_live(self)
        check_text(reason, "reason", SHORT_TEXT_MAX_CHARS, required=False)
        if (self.status, status) not in REPORTABLE:
            raise InvalidTransition(
                f"agent {self.name!r} cannot be reported {status} while {self.status}; "
                "reportable: executing→waiting, waiting→executing",
                field="status",
            )
        self._move_to(status, reason)

    def delete(self, reason: str = "") -> None:
        ensure_live(self)
        check_text(reason, "reason", SHORT_TEXT_MAX_CHARS, required=False)
        self.trigger_event(self.AgentDeleted, name=self.name, reason=reason)
        self._end_work(AgentStatus.DELETED, reason or "deleted")

    def set_budget(self, limit_usd: float | None, warn_fraction: float) -> None:
        """A new budget replaces the old one; levels the usage already reached are reported again."""
        ensure_live(self)
        Budget.checked(limit_usd, warn_fraction)
        self._budget_set(limit_usd, warn_fraction)
        self._report_budget()
        if self.status is AgentStatus.BLOCKED and not self.budget_exhausted:
            self._move_to(AgentStatus.IDLE, "budget raised")
        elif self.status in RESTING and self.budget_exhausted:
            self._move_to(AgentStatus.BLOCKED, "budget used up")

    # ---- evolution (also runs on replay) -------------------------------------------------------------

    @event(AgentCommanded)
    def _commanded(self, command_id: UUID, prompt: str, task_slug: str, author: str, queued: bool) -> None:
        self.queue.append(PendingCommand(command_id, prompt, task_slug, author))

    @event(AgentCommandStarted)
    def _command_started(self, command_id: UUID) -> None:
        index = next(i for i, queued in enumerate(self.queue) if queued.command_id == command_id)
        self.current = self.queue.pop(index)

    @event(AgentCommandsDiscarded)
    def _commands_discarded(self, command_ids: tuple[UUID, ...], reason: str) -> None:
        self.queue = [queued for queued in self.queue if queued.command_id not in command_ids]

    @event(AgentStatusChanged)
    def _status_changed(self, from_status: AgentStatus, to_status: AgentStatus, reason: str) -> None:
        self.status = to_status
        if to_status not in BUSY:
            self.current = None

    @event(AgentTurnFinished)
    def _turn_finished(
        self,
        command_id: UUID,
        usage: Usage,
        duration_ms: int,
        num_turns: int,
        sdk_session_id: str | None,
        is_error: bool,
        result: str,
    ) -> None:
        self.usage = self.usage + usage
        self.sdk_session_id = sdk_session_id or self.sdk_session_id

    @event(AgentBudgetSet)
    def _budget_set(self, limit_usd: float | None, warn_fraction: float) -> None:
        self.budget = None if limit_usd is None else Budget(limit_usd, warn_fraction)
        self.budget_levels = []

    @event(AgentBudgetExceeded)
    def _budget_exceeded(self, level: BudgetLevel, threshold_usd: float, total_cost_usd: float) -> None:
        self.budget_levels.append(level)

    # ---- helpers -------------------------------------------------------------------------------------

    def _move_to(self, status: AgentStatus, reason: str) -> None:
        if not can_transition(self.status, status):
            raise InvalidTransition(f"agent {self.name!r} cannot go from {self.status} to {status}")
        self._status_changed(self.status, status, reason)

    def _end_work(self, status: AgentStatus, reason: str) -> None:
        """Drop queued commands and come to rest; an agent out of budget rests in `blocked`."""
        if self.queue:
            self._commands_discarded(tuple(queued.command_id for queued in self.queue), reason)
        if status is not AgentStatus.DELETED and self.budget_exhausted:
            status = AgentStatus.BLOCKED
        self._move_to(status, reason)

    def _report_budget(self) -> None:
        if self.budget is None:
            return
        for level in self.budget.reached(self.usage.cost_usd):
            if level not in self.budget_levels:
                self._budget_exceeded(level, self.budget.threshold(level), self.usage.cost_usd)
