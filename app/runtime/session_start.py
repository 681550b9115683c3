"""Which orchestrator session a server runs: a new one, or one resumed from its events (`--session ID`).

Resuming needs nothing but the store: the session's costs, tokens and working dir are folded from its
events, and its SDK session id (in its last finished turn) lets the orchestrator's next CLI resume the
conversation itself.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

from app.commands.runner import Commands
from app.commands.session_handlers import resume_session, start_session
from app.settings import Settings
from domain.commands import ResumeSession, StartSession
from domain.metadata import Actor, Metadata


async def open_session(
    commands: Commands, settings: Settings, session_id: UUID | None = None, working_dir: Path | None = None
) -> UUID:
    """Starts a session in `working_dir` (default: settings.cwd), or resumes `session_id` — moved to
    `working_dir` only when one is given (`--cwd`). Raises SessionNotFound for an unknown id."""
    metadata = Metadata.first(uuid4(), Actor.SYSTEM, "o3s serve")
    # Absolute paths: agents and the orchestrator run with the dir as cwd, whatever the server's own is.
    moved_to = _absolute(working_dir) if working_dir is not None else None
    if session_id is None:
        cwd = moved_to or _absolute(settings.cwd)
        start = StartSession(working_dir=cwd, model=settings.orchestrator_model)
        return (await commands.run(start_session, start, metadata)).session_id
    resume = ResumeSession(session_id=session_id, working_dir=moved_to)
    return (await commands.run(resume_session, resume, metadata)).session_id


def _absolute(path: Path) -> str:
    return str(path.absolute())
