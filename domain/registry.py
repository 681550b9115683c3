"""Stable, versioned names of every event type (what the store's `type` column holds) → the event class.

A name never changes meaning: a changed event gets a new version (`….v2`) and an upcaster from the old one.
"""

from __future__ import annotations

from domain.agent import Agent
from domain.codec import AggregateEvent
from domain.session import OrchestratorSession

# Every type is at version 1 so far; spell each name out so a class rename cannot silently change it.
EVENT_TYPES: dict[str, type[AggregateEvent]] = {
    "AgentCreated.v1": Agent.AgentCreated,
    "AgentCommanded.v1": Agent.AgentCommanded,
    "AgentCommandStarted.v1": Agent.AgentCommandStarted,
    "AgentCommandsDiscarded.v1": Agent.AgentCommandsDiscarded,
    "AgentStatusChanged.v1": Agent.AgentStatusChanged,
    "AgentTextBlockRecorded.v1": Agent.AgentTextBlockRecorded,
    "AgentThinkingBlockRecorded.v1": Agent.AgentThinkingBlockRecorded,
    "AgentToolUseBlockRecorded.v1": Agent.AgentToolUseBlockRecorded,
    "HookEventRecorded.v1": Agent.HookEventRecorded,
    "FilesTracked.v1": Agent.FilesTracked,
    "AgentTurnFinished.v1": Agent.AgentTurnFinished,
    "AgentInterruptRequested.v1": Agent.AgentInterruptRequested,
    "AgentInterrupted.v1": Agent.AgentInterrupted,
    "AgentFailed.v1": Agent.AgentFailed,
    "AgentDeleted.v1": Agent.AgentDeleted,
    "AgentSummaryGenerated.v1": Agent.AgentSummaryGenerated,
    "AgentBudgetSet.v1": Agent.AgentBudgetSet,
    "AgentBudgetExceeded.v1": Agent.AgentBudgetExceeded,
    "SessionStarted.v1": OrchestratorSession.SessionStarted,
    "SessionResumed.v1": OrchestratorSession.SessionResumed,
    "UserMessageSent.v1": OrchestratorSession.UserMessageSent,
    "OrchestratorTextBlockRecorded.v1": OrchestratorSession.OrchestratorTextBlockRecorded,
    "OrchestratorThinkingBlockRecorded.v1": OrchestratorSession.OrchestratorThinkingBlockRecorded,
    "OrchestratorToolUseBlockRecorded.v1": OrchestratorSession.OrchestratorToolUseBlockRecorded,
    "OrchestratorToolResultRecorded.v1": OrchestratorSession.OrchestratorToolResultRecorded,
    "OrchestratorTurnFinished.v1": OrchestratorSession.OrchestratorTurnFinished,
    "AgentNameRegistered.v1": OrchestratorSession.AgentNameRegistered,
    "AgentNameReleased.v1": OrchestratorSession.AgentNameReleased,
    "AgentCostAccrued.v1": OrchestratorSession.AgentCostAccrued,
    "SystemLogRecorded.v1": OrchestratorSession.SystemLogRecorded,
    "SessionSummaryGenerated.v1": OrchestratorSession.SessionSummaryGenerated,
    "SessionBudgetSet.v1": OrchestratorSession.SessionBudgetSet,
    "SessionBudgetExceeded.v1": OrchestratorSession.SessionBudgetExceeded,
}

EVENT_NAMES: dict[type[AggregateEvent], str] = {cls: name for name, cls in EVENT_TYPES.items()}
