"""Request bodies of the command endpoints: strict msgspec Structs whose constraints mirror the domain's."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.budget import DEFAULT_WARN_FRACTION
from domain.validation import MESSAGE_MAX_CHARS, NAME_MAX_LENGTH, NAME_PATTERN, SHORT_TEXT_MAX_CHARS

AgentName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=NAME_MAX_LENGTH,
        pattern=f"^{NAME_PATTERN.pattern}$",
        description="Unique among the session's live agents; lowercase letters, digits, '_' and '-'.",
        examples=["builder", "test-runner"],
    ),
]
# The size limit is the domain's (it answers 413 naming the length and the limit), so it is only described.
Message = Annotated[str, Meta(description=f"Not blank; at most {MESSAGE_MAX_CHARS} characters.")]
SystemPrompt = Annotated[str, Meta(description=f"May be empty; at most {MESSAGE_MAX_CHARS} characters.")]
Reason = Annotated[str, Meta(max_length=SHORT_TEXT_MAX_CHARS)]
SessionId = Annotated[
    UUID | None, Meta(description="The orchestrator session; omit for the server's current session.")
]
LimitUsd = Annotated[float, Meta(gt=0, description="Cost limit in US dollars.")]
WarnFraction = Annotated[float, Meta(gt=0, le=1, description="Warn when this fraction of the limit is used.")]


class Body(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Strict: a field the API does not know is an error, not silently dropped."""


class SendChatBody(Body, frozen=True):
    message: Message
    session_id: SessionId = None


class CreateAgentBody(Body, frozen=True):
    name: AgentName
    system_prompt: SystemPrompt = ""
    model: Annotated[str, Meta(max_length=100, examples=["sonnet", "haiku"])] | None = None
    subagent_template: Annotated[str, Meta(max_length=NAME_MAX_LENGTH)] | None = None
    session_id: SessionId = None


class CommandAgentBody(Body, frozen=True):
    prompt: Message
    task_slug: Annotated[str, Meta(max_length=80, pattern="^[a-z0-9]+(-[a-z0-9]+)*$")] | None = None
    queue: Annotated[bool, Meta(description="If the agent is busy, run after its current command.")] = False
    session_id: SessionId = None


class InterruptAgentBody(Body, frozen=True):
    reason: Reason = ""
    session_id: SessionId = None


class SetBudgetBody(Body, frozen=True):
    limit_usd: Annotated[LimitUsd | None, Meta(description="None removes the budget.")]
    warn_fraction: WarnFraction = DEFAULT_WARN_FRACTION
    session_id: SessionId = None
