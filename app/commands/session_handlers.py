"""Handlers of the session's commands: start, resume, chat, budget, system log."""

from __future__ import annotations

from app.commands.loading import last_position, load_session
from app.commands.receipts import MessageReceipt, Receipt, SessionReceipt
from app.commands.unit_of_work import UnitOfWork
from domain import session_activity
from domain.commands import RecordSystemLog, ResumeSession, SendChat, SetSessionBudget, StartSession
from domain.session import OrchestratorSession


async def start_session(unit: UnitOfWork, command: StartSession) -> SessionReceipt:
    session = OrchestratorSession.start(command.working_dir, command.model, command.system_prompt)
    unit.add(session)
    positions = await unit.commit()
    return SessionReceipt(session_id=session.id, position=last_position(positions))


async def resume_session(unit: UnitOfWork, command: ResumeSession) -> SessionReceipt:
    session = await load_session(unit, command.session_id)
    session.resume(command.working_dir, command.model)
    positions = await unit.commit()
    return SessionReceipt(session_id=session.id, position=last_position(positions))


async def send_chat(unit: UnitOfWork, command: SendChat) -> MessageReceipt:
    session = await load_session(unit, command.session_id)
    session.send_user_message(command.message_id, command.text)
    positions = await unit.commit()
    return MessageReceipt(message_id=command.message_id, position=last_position(positions))


async def set_session_budget(unit: UnitOfWork, command: SetSessionBudget) -> Receipt:
    session = await load_session(unit, command.session_id)
    session.set_budget(command.limit_usd, command.warn_fraction)
    return Receipt(position=last_position(await unit.commit()))


async def record_system_log(unit: UnitOfWork, command: RecordSystemLog) -> Receipt:
    session = await load_session(unit, command.session_id)
    session_activity.record_system_log(
        session, command.log_id, command.level, command.message, command.details
    )
    return Receipt(position=last_position(await unit.commit()))
