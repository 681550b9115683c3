"""Typed domain errors: a command broke a rule, nothing was recorded; each names the field and the rule."""

from __future__ import annotations


class DomainError(Exception):
    """A command was rejected by a rule of the domain; nothing was recorded."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidName(DomainError):
    """An agent name breaks the naming rule (length, charset, case, reserved words)."""


class InvalidModel(DomainError):
    """A model is neither a known alias nor a `claude-…` model id."""


class InvalidValue(DomainError):
    """A value breaks a format rule: empty text, bad slug, bad level, bad budget, not a finite number."""


class TextTooLong(DomainError):
    """A text is longer than its size limit."""


class NegativeUsage(DomainError):
    """Tokens and costs only grow: a negative (or non-finite) delta was given."""


class NameTaken(DomainError):
    """Another live agent of the session already has this name."""


class TooManyAgents(DomainError):
    """The session already has as many live agents as it may."""


class SessionNotFound(DomainError):
    """No orchestrator session has this id."""


class AgentNotFound(DomainError):
    """No live agent of the session has this name (or no agent has this id)."""


class AgentAlreadyDeleted(DomainError):
    """The agent was deleted; it takes no command."""


class AgentBusy(DomainError):
    """The agent is executing a command and the new one was not queued explicitly."""


class QueueFull(DomainError):
    """The agent's queue of waiting commands is full."""


class BudgetExhausted(DomainError):
    """The agent's or the session's cost budget is used up: no new work until the budget is raised."""


class InvalidTransition(DomainError):
    """The agent's status does not allow this step (see domain/status.py)."""
