"""The `o3s` command line: serve, migrate, sim, and the operator commands."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from uuid import UUID

from app.database import DatabaseUnavailable, check_reachable, database_url
from app.http.auth import TokenRequired, check_exposure
from app.settings import InvalidSettings, Settings, load_settings
from domain.errors import SessionNotFound


def _exit_cleanly(signum: int, frame: object) -> None:
    """uvicorn re-raises SIGTERM after its graceful shutdown; unwinding (not dying) stops embedded PG."""
    raise SystemExit(0)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.bootstrap import prepare_session

    host = args.host or settings.host
    port = args.port or settings.port
    check_exposure(settings, host)
    resume = _session_id(args.session)
    with database_url(settings) as url:
        session_id = asyncio.run(prepare_session(settings, url, resume, Path(args.cwd) if args.cwd else None))
        print(f"o3s: session {session_id} on http://{host}:{port}", file=sys.stderr)
        os.environ.update({"DATABASE_URL": url, "O3S_SESSION_ID": str(session_id)})
        if args.cwd:
            os.environ["O3S_CWD"] = str(Path(args.cwd).absolute())
        signal.signal(signal.SIGTERM, _exit_cleanly)
        uvicorn.run(
            "app.http.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=args.workers,
            log_level=settings.log_level.lower(),
            timeout_graceful_shutdown=5,
        )
    return 0


def _session_id(given: str | None) -> UUID | None:
    if given is None:
        return None
    try:
        return UUID(given)
    except ValueError:
        raise InvalidSettings(f"--session {given!r} is not a session id (a UUID)") from None


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from app.migrate import migrate

    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        asyncio.run(migrate(url))
    print("migrated to the latest revision")
    return 0


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from app.migrate import migrate
    from app.projections import rebuild_projections

    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        asyncio.run(migrate(url))
        try:
            report = asyncio.run(rebuild_projections(url, args.names or None))
        except ValueError as error:
            raise InvalidSettings(str(error)) from None
    print(json.dumps(report, indent=2))
    return 0


def _sim(args: argparse.Namespace, settings: Settings) -> int:
    from app.runtime.simulator import serve_simulator

    serve_simulator(args.host or "127.0.0.1", args.port)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="o3s", description="Orchestrator 3 Stream")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API, the live stream and the web app")
    serve.add_argument("--session", help="resume the orchestrator session with this id")
    serve.add_argument("--cwd", help="working directory of the agents")
    serve.add_argument("--workers", type=int, default=1, help="web worker processes")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(run=_migrate)

    projections = commands.add_parser("projections", help="manage the read tables")
    projection_commands = projections.add_subparsers(dest="projection_command", required=True)
    rebuild = projection_commands.add_parser("rebuild", help="rebuild from position 0 and swap in")
    rebuild.add_argument("names", nargs="*", help="projections to rebuild (default: all)")
    rebuild.set_defaults(run=_rebuild)

    sim = commands.add_parser("sim", help="run the offline model server on its own")
    sim.add_argument("--host")
    sim.add_argument("--port", type=int, default=9404)
    sim.set_defaults(run=_sim)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace, Settings], int] = args.run
    try:
        return run(args, load_settings())
    except DatabaseUnavailable as error:
        print(f"o3s: {error}", file=sys.stderr)
        return 2
    except (InvalidSettings, TokenRequired, SessionNotFound) as error:
        print(f"o3s: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
