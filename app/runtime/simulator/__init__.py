"""Offline model server: the Anthropic Messages API subset the Claude Code CLI uses, scripted by scenarios."""

from app.runtime.simulator.asgi import SimulatorApp, SimulatorConfig
from app.runtime.simulator.request_log import RecordedRequest
from app.runtime.simulator.runner import Simulator, build_app, run_simulator, serve_simulator
from app.runtime.simulator.scenario_files import FaultKind

__all__ = [
    "FaultKind",
    "RecordedRequest",
    "Simulator",
    "SimulatorApp",
    "SimulatorConfig",
    "build_app",
    "run_simulator",
    "serve_simulator",
]
