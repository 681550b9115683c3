"""Handlers of what users and the orchestrator ask of agents, by name: create, command, interrupt,
delete, budget. Creating and deleting change the session (its name registry) and the agent at once."""

from __future__ import annotations

from app.commands.loading import last_position, load_agent_by_name, load_session
from app.commands.receipts import AgentReceipt, CommandReceipt, Receipt
from app.commands.unit_of_work import UnitOfWork
from domain import agent_lifecycle
from domain.commands import CommandAgent, CreateAgent, DeleteAgent, InterruptAgent, SetAgentBudget


async def create_agent(unit: UnitOfWork, command: CreateAgent) -> AgentReceipt:
    session = await load_session(unit, command.session_id)
    agent = agent_lifecycle.create_agent(
        session,
        command.name,
        command.model or unit.defaults.worker_model,
        command.working_dir or session.working_dir,
        command.system_prompt,
        command.template,
        command.allowed_tools,
    )
    unit.add(agent)
    positions = await unit.commit()
    return AgentReceipt(agent_id=agent.id, name=agent.name, position=last_position(positions))


async def command_agent(unit: UnitOfWork, command: CommandAgent) -> CommandReceipt:
    session, agent = await load_agent_by_name(unit, command.session_id, command.name)
    agent_lifecycle.command_agent(
        session,
        agent,
        command.command_id,
        command.prompt,
        author=unit.metadata.actor.value,
        task_slug=command.task_slug,
        queue=command.queue,
    )
    commanded = next(e for e in agent.pending_events if isinstance(e, agent.AgentCommanded))
    positions = await unit.commit()
    return CommandReceipt(
        command_id=command.command_id,
        agent_id=agent.id,
        task_slug=commanded.task_slug,
        queued=commanded.queued,
        position=last_position(positions),
    )


async def interrupt_agent(unit: UnitOfWork, command: InterruptAgent) -> Receipt:
    _, agent = await load_agent_by_name(unit, command.session_id, command.name)
    agent.request_interrupt(command.reason)
    return Receipt(position=last_position(await unit.commit()))


async def delete_agent(unit: UnitOfWork, command: DeleteAgent) -> Receipt:
    session, agent = await load_agent_by_name(unit, command.session_id, command.name)
    agent_lifecycle.delete_agent(session, agent, command.reason)
    return Receipt(position=last_position(await unit.commit()))


async def set_agent_budget(unit: UnitOfWork, command: SetAgentBudget) -> Receipt:
    _, agent = await load_agent_by_name(unit, command.session_id, command.name)
    agent.set_budget(command.limit_usd, command.warn_fraction)
    return Receipt(position=last_position(await unit.commit()))
