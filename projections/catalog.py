"""Every projector, by name: what the runner keeps current and what a rebuild can name."""

from __future__ import annotations

from projections import (
    agent_logs,
    agents,
    costs,
    orchestrator_agents,
    orchestrator_chat,
    prompts,
    system_logs,
)
from projections.projector import Projector

PROJECTORS: tuple[Projector, ...] = (
    orchestrator_agents.projector,
    agents.projector,
    agent_logs.projector,
    orchestrator_chat.projector,
    system_logs.projector,
    prompts.projector,
    costs.projector,
)

BY_NAME: dict[str, Projector] = {projector.name: projector for projector in PROJECTORS}
